import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import { type FunctionNode, getEnclosingFunction, isFunctionNode, isWithin } from './ast.js';
import { type Breakpoint, type PromptRequest, type Segment, estimateSegments, getLastBreakpoint } from './request.js';
import { type Part, type UnknownPart, type VolatilePart, viaToArray } from './values.js';
import { type Frequency, type ReportableFrequency, getNamedValueFrequency, isUserObjectName } from './volatility.js';

type Node = TSESTree.Node;

/** Options that widen what counts as volatile (rule options of `no-volatile-in-prefix`). */
export interface VolatilityOptions {
  /** Extra call names whose results change per request (`getNow`, `clock.now`). */
  volatileCalls: readonly string[];
  /** Extra names of objects holding per-user data (`visitor`, `principal`). */
  userObjects: readonly string[];
}

/** A value in the cached prefix that changes, with where to report it and what it costs. */
export interface VolatileFinding {
  request: PromptRequest;
  segment: Segment;
  part: VolatilePart | UnknownPart;
  /** How the value is named in messages. */
  label: string;
  frequency: ReportableFrequency;
  /** Where the value enters the prompt in the request's function (or the value itself, if it is there). */
  reportNode: Node;
  /** The outermost expression in the segment's text that carries the value. */
  entryNode: Node;
  /** The marker whose cached prefix the value invalidates (the request's last one). */
  breakpoint: Breakpoint;
  /** Tokens from the previous breakpoint before the value to the last breakpoint: what is rewritten. */
  invalidated: { tokens: number; complete: boolean };
}

/**
 * Every changing value at or before the request's last breakpoint. Skipped: values after it; values
 * computed once (module level, or captured from an enclosing factory/constructor run); and the newest turn
 * of a conversation (the last message after a history run, when the breakpoint sits on it or is automatic):
 * that is the multi-turn pattern, where per-request content belongs.
 */
export function* iterateVolatileInPrefix(request: PromptRequest, options: VolatilityOptions): Generator<VolatileFinding> {
  // Token counting accepts markers but never reads or writes the cache.
  if (request.site.method === 'countTokens') return;
  const last = getLastBreakpoint(request);
  if (!last || last.segmentIndex < 0) return;
  const newestTurnExempt = request.hasHistory && (last.automatic || isLastSegmentOfLastMessage(request, last.segmentIndex));
  for (const segment of request.segments) {
    if (segment.index > last.segmentIndex) break;
    if (newestTurnExempt && segment.inLastMessage) continue;
    for (const { part, label, frequency } of iterateChangingParts(segment.parts, options)) {
      if (!isComputedPerRequest(part, request)) continue;
      const previous = [...request.breakpoints].reverse().find((bp) => bp.segmentIndex < segment.index && !bp.automatic);
      yield {
        request,
        segment,
        part,
        label,
        frequency,
        reportNode: getReportNode(part, request, segment.textNode ?? segment.node),
        entryNode: viaToArray(part.via)[0]?.node ?? part.node,
        breakpoint: last,
        invalidated: estimateSegments(request, previous ? previous.segmentIndex + 1 : 0, last.segmentIndex),
      };
    }
  }
}

function isLastSegmentOfLastMessage(request: PromptRequest, index: number): boolean {
  const segment = request.segments[index];
  return !!segment?.inLastMessage && !request.segments[index + 1];
}

/** Volatile parts, and unknown parts that name per-user data or a configured volatile call. */
export function* iterateChangingParts(
  parts: readonly Part[],
  options: VolatilityOptions,
  seen = new Set<Part>(),
): Generator<{ part: VolatilePart | UnknownPart; label: string; frequency: ReportableFrequency }> {
  for (const part of parts) {
    if (seen.has(part)) continue;
    seen.add(part);
    if (part.kind === 'volatile') {
      if (isReportable(part.frequency)) yield { part, label: part.label, frequency: part.frequency };
    } else if (part.kind === 'unknown') {
      const classified = classifyUnknown(part, options);
      if (classified) yield { part, ...classified };
      else if (part.branches) for (const branch of part.branches) yield* iterateChangingParts(branch, options, seen);
    }
  }
}

function isReportable(frequency: Frequency): frequency is ReportableFrequency {
  return frequency !== 'process' && frequency !== 'session';
}

/** Number and string formatting methods: `x.toFixed(1)` changes exactly when `x` does. */
const FORMAT_METHODS = new Set(['toFixed', 'toPrecision', 'toString', 'toLocaleString', 'padStart', 'padEnd', 'trim']);

/**
 * Names that say "per user": a member of an object named like a user/session/request (`user.name`,
 * `req.body.topic`), an identifier like `userId` / `email`, or a call configured in `volatileCalls`.
 * Environment variables are never per user.
 */
export function classifyUnknown(part: UnknownPart, options: VolatilityOptions): { label: string; frequency: ReportableFrequency } | null {
  if (part.reason === 'file' || part.reason === 'limit') return null;
  const path = part.path?.map((segment) => segment.replace(/\(\)$/, ''));
  if (path && path.length > 0) {
    if ((path[0] === 'process' && path[1] === 'env') || path[0] === 'env' || path[0] === 'config' || path[0] === 'import') return null;
    const dotted = path.join('.');
    if (part.isCall && options.volatileCalls.some((name) => dotted === name || dotted.endsWith(`.${name}`))) {
      return { label: `${dotted}()`, frequency: 'request' };
    }
    const label = part.isCall ? `${dotted}()` : dotted;
    // `contextUsage.toFixed(1)`: a formatted value is named by what it formats.
    const formatted = part.isCall && path.length >= 2 && FORMAT_METHODS.has(path[path.length - 1]);
    const named = getNamedValueFrequency(path[path.length - (formatted ? 2 : 1)]);
    if (named) return { label, frequency: named };
    if (path.length >= 2 && path.slice(0, -1).some((segment) => isUserObjectName(segment, options.userObjects))) return { label, frequency: 'user' };
    if (path.length === 1 && options.userObjects.includes(path[0])) return { label, frequency: 'user' };
  }
  if (part.isCall) return null;
  for (const hop of viaToArray(part.via)) {
    const named = hop.kind === 'reference' && hop.node.type === AST_NODE_TYPES.Identifier ? getNamedValueFrequency(hop.node.name) : null;
    if (named) {
      return { label: (hop.node as TSESTree.Identifier).name, frequency: named };
    }
  }
  return null;
}

/**
 * Whether the value is recomputed for each request made at `request`: false for values read from a
 * module-level binding (computed once per process) and for values captured from an enclosing function that
 * does not run per request (a factory or constructor whose returned closure or method makes the request).
 */
export function isComputedPerRequest(part: VolatilePart | UnknownPart, request: PromptRequest): boolean {
  return isComputedPerCall(part, request.fn, request.site.call);
}

/**
 * Whether the value is recomputed on each call of `fn` (null: module level), where `site` is the expression
 * that uses it: see {@link isComputedPerRequest}.
 */
export function isComputedPerCall(part: VolatilePart | UnknownPart, fn: FunctionNode | null, site: Node): boolean {
  let direct = true;
  for (const hop of viaToArray(part.via)) {
    if (hop.kind === 'call') {
      direct = false;
      continue;
    }
    if (hop.declaredIn === null && fn !== null) return false;
    if (direct && hop.declaredIn && fn && hop.declaredIn !== fn && isWithin(fn, hop.declaredIn)) {
      if (!isCallbackChain(fn, hop.declaredIn)) return false;
    }
  }
  // A volatile expression written at module level itself (no hop) when the site is in a function.
  if (!part.via && fn !== null && getEnclosingFunction(part.node) === null && !isWithin(part.node, site)) {
    return false;
  }
  return true;
}

/**
 * Whether every function from `inner` up to (not including) `outer` runs during `outer`'s call: a callback
 * passed to a call (`retry(() => …)`, `.map(…)`) or an IIFE. A function that is returned, stored or a method
 * may run later and many times per `outer` call.
 */
export function isCallbackChain(inner: FunctionNode, outer: FunctionNode): boolean {
  let fn: FunctionNode | null = inner;
  while (fn && fn !== outer) {
    const parent: Node | undefined = fn.parent;
    const isArgument = parent?.type === AST_NODE_TYPES.CallExpression && (parent.arguments as Node[]).includes(fn);
    const isIife = parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === fn;
    if (!isArgument && !isIife) return false;
    fn = getEnclosingFunction(fn);
  }
  return true;
}

/**
 * Where to report a changing value: the value itself when it is written in the request's function,
 * otherwise the deepest hop (identifier or call) in that function through which it enters the prompt.
 */
export function getReportNode(part: VolatilePart | UnknownPart, request: PromptRequest, fallback: Node): Node {
  return getReportNodeIn(part, request.fn, fallback);
}

/** {@link getReportNode} for a value used in `fn` (null: module level). */
export function getReportNodeIn(part: VolatilePart | UnknownPart, fn: FunctionNode | null, fallback: Node): Node {
  // Values followed into imported modules carry that module's nodes; module level there is not module level here.
  const program = programOf(fallback);
  const here = (node: Node) => inFunction(node, fn) && programOf(node) === program;
  if (here(part.node)) return part.node;
  let anchor: Node | null = null;
  for (const hop of viaToArray(part.via)) if (here(hop.node)) anchor = hop.node;
  const outermost = viaToArray(part.via)[0]?.node;
  return anchor ?? (outermost && programOf(outermost) === program ? outermost : fallback);
}

function programOf(node: Node): Node {
  let current = node;
  while (current.parent) current = current.parent;
  return current;
}

function inFunction(node: Node, fn: FunctionNode | null): boolean {
  if (fn === null) return getEnclosingFunction(node) === null;
  let current: Node | undefined = node.parent;
  while (current) {
    if (current === fn) return true;
    if (isFunctionNode(current)) return false;
    current = current.parent;
  }
  return false;
}
