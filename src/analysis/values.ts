import type { TSESTree } from '@typescript-eslint/utils';

import type { FunctionNode } from './ast.js';
import type { Frequency, SourceInfo } from './volatility.js';

type Node = TSESTree.Node;

/**
 * One hop the evaluator took to reach a value: an identifier resolved to its definition, or a call followed
 * into the called function. Outermost hop first. Rules use the chain to report where a value *enters* the
 * prompt and to tell per-request values from values computed once (module level, session object).
 */
export interface Hop {
  node: Node;
  kind: 'reference' | 'call';
  /** For references: the function the referenced variable is declared in (null: module level). */
  declaredIn?: FunctionNode | null;
}

/** Immutable list of hops, outermost first. */
export interface Via {
  hop: Hop;
  next: Via | null;
}

export function viaToArray(via: Via | null): Hop[] {
  const hops: Hop[] = [];
  for (let v = via; v; v = v.next) hops.push(v.hop);
  return hops;
}

/** Known text. */
export interface TextPart {
  kind: 'text';
  text: string;
  node: Node;
}

/** A value that changes over time or per request (a clock, a random id). */
export interface VolatilePart {
  kind: 'volatile';
  node: Node;
  /** How the value is shown in messages: `new Date().toISOString()`. */
  label: string;
  frequency: Frequency;
  via: Via | null;
  /** Text in ISO-8601 layout: cutting it (`slice(0, 10)`) lowers its precision. */
  iso?: boolean;
  /** A millisecond count: dividing it lowers its precision. */
  millis?: boolean;
}

export type UnknownReason =
  | 'parameter'
  | 'import'
  | 'global'
  | 'this'
  | 'call'
  | 'member'
  | 'dynamic'
  | 'limit'
  | 'branches'
  | 'file'
  | 'unsupported';

/** A value the evaluator cannot know. Never reported as volatile by itself (precision first). */
export interface UnknownPart {
  kind: 'unknown';
  node: Node;
  reason: UnknownReason;
  via: Via | null;
  /** Dotted name of the value or callee (`req.body.name`, `db.getUser`), when it has one. */
  path?: string[];
  /** The value is the result of calling `path`. */
  isCall?: boolean;
  /** Possible contents: every branch of a ternary, or the inputs of an unknown function. */
  branches?: Part[][];
  /** Set for file reads (`readFileSync(...)`). */
  source?: SourceInfo;
}

export type Part = TextPart | VolatilePart | UnknownPart;

export interface StringValue {
  kind: 'string';
  parts: Part[];
  /** For `JSON.stringify(x)`: the value of `x` (an HTTP body is laid out from it, not from its JSON text). */
  json?: Value;
}

export interface PrimitiveValue {
  kind: 'primitive';
  value: number | boolean | null | undefined | bigint;
  node: Node;
}

export type ArrayItem =
  | { kind: 'value'; value: Value; node: Node }
  /** `...x` where `x` is not a known array: any number of unknown items. */
  | { kind: 'spread'; value: Value; node: Node }
  /** Items made by `.map()` or a loop over an array of unknown length; `value` is one such item. */
  | { kind: 'repeat'; value: Value; node: Node };

export interface ArrayValue {
  kind: 'array';
  items: ArrayItem[];
  node: Node;
}

export interface ObjectProp {
  key: string;
  value: Value;
  /** The `Property` node (or the spread element the key came from). */
  node: Node;
  /** The key node, when the property is written in this object literal. */
  keyNode?: Node;
}

export interface ObjectValue {
  kind: 'object';
  props: ObjectProp[];
  node: Node;
  /** An unknown spread or computed key: keys not listed may still exist. */
  partial: boolean;
  /** The unknown values spread into the object (`{ ...def }`), to keep their origin. */
  spreads?: Value[];
}

/** A date-like object (JS Date, moment/dayjs, luxon, Temporal) whose precision is `frequency`. */
export interface DateValue {
  kind: 'date';
  lib: 'date' | 'moment' | 'luxon' | 'temporal';
  /** Precision of the value, or null for a constant date (`new Date('2024-03-01')`). */
  frequency: 'request' | 'second' | 'minute' | 'hour' | 'day' | null;
  label: string;
  node: Node;
  via: Via | null;
}

export interface FunctionValue {
  kind: 'function';
  node: FunctionNode;
  /** The evaluator of the file the function is written in (an `Evaluator`; functions may be imported). */
  owner: unknown;
}

/** An unknown or volatile scalar. */
export interface OpaqueValue {
  kind: 'unknown';
  part: UnknownPart | VolatilePart;
}

/** One of several values (ternary / `??` / `||` branches, several `return`s). */
export interface ChoiceValue {
  kind: 'choice';
  options: Value[];
  node: Node;
}

export type Value =
  | StringValue
  | PrimitiveValue
  | ArrayValue
  | ObjectValue
  | DateValue
  | FunctionValue
  | OpaqueValue
  | ChoiceValue;

export function textValue(text: string, node: Node): StringValue {
  return { kind: 'string', parts: [{ kind: 'text', text, node }] };
}

export function unknownValue(node: Node, reason: UnknownReason, extra: Partial<UnknownPart> = {}): OpaqueValue {
  return { kind: 'unknown', part: { kind: 'unknown', node, reason, via: null, ...extra } };
}

/** The text when every part is known, else null. */
export function getKnownText(parts: readonly Part[]): string | null {
  let text = '';
  for (const part of parts) {
    if (part.kind !== 'text') return null;
    text += part.text;
  }
  return text;
}

/** Known text of a value that is a fully known string, else null. */
export function getKnownString(value: Value | null | undefined): string | null {
  if (!value) return null;
  if (value.kind === 'string') return getKnownText(value.parts);
  return null;
}

/** Longest known text kept in one value; longer text becomes unknown (a prompt is far smaller). */
export const MAX_TEXT_LENGTH = 4_000_000;

/** Most parts kept in one value; past it, text is dropped and each distinct non-text part kept once. */
export const MAX_PARTS = 2_000;

/**
 * Merges adjacent text parts (keeps the first node). Bounded: text longer than {@link MAX_TEXT_LENGTH} or more
 * than {@link MAX_PARTS} parts (`T1 = T0 + T0; T2 = T1 + T1; …` doubles both) collapse into an unknown part of
 * reason `limit`, keeping every distinct volatile or unknown part so that what changes is still seen.
 */
export function normalizeParts(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.kind === 'text' && part.text === '') continue;
    if (part.kind === 'text' && last?.kind === 'text') {
      if (last.text.length + part.text.length > MAX_TEXT_LENGTH) {
        out[out.length - 1] = { kind: 'unknown', node: last.node, reason: 'limit', via: null };
        continue;
      }
      out[out.length - 1] = { kind: 'text', text: last.text + part.text, node: last.node };
    } else if (part.kind === 'text' && last?.kind === 'unknown' && last.reason === 'limit' && !last.branches) {
      continue; // text after an overflow: part of the unknown tail
    } else {
      out.push(part);
    }
  }
  return out.length > MAX_PARTS ? collapseParts(out) : out;
}

function collapseParts(parts: Part[]): Part[] {
  const distinct = [...new Set(parts.filter((part) => part.kind !== 'text'))].slice(0, MAX_PARTS - 1);
  return [...distinct, { kind: 'unknown', node: parts[0].node, reason: 'limit', via: null }];
}

/** Every volatile part in `parts`, including those inside unknown parts' branches. */
export function* iterateVolatileParts(parts: readonly Part[], seen = new Set<Part>()): Generator<VolatilePart> {
  for (const part of parts) {
    if (seen.has(part)) continue;
    seen.add(part);
    if (part.kind === 'volatile') yield part;
    else if (part.kind === 'unknown' && part.branches) {
      for (const branch of part.branches) yield* iterateVolatileParts(branch, seen);
    }
  }
}

/** Every unknown part in `parts` (branches included). */
export function* iterateUnknownParts(parts: readonly Part[], seen = new Set<Part>()): Generator<UnknownPart> {
  for (const part of parts) {
    if (seen.has(part) || part.kind !== 'unknown') continue;
    seen.add(part);
    yield part;
    if (part.branches) for (const branch of part.branches) yield* iterateUnknownParts(branch, seen);
  }
}

/** Length of the known text in `parts` (a lower bound of the real length when parts are unknown). */
export function knownLength(parts: readonly Part[]): number {
  let length = 0;
  for (const part of parts) if (part.kind === 'text') length += part.text.length;
  return length;
}
