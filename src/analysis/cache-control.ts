import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import { unwrapExpression } from './ast.js';
import type { Ttl } from './models.js';
import { getCacheMinimum } from './prefix-size.js';
import { type Breakpoint, type PromptRequest, type Segment, estimateSegments } from './request.js';
import { type ObjectProp, type ObjectValue, type Value, getKnownString, getKnownText } from './values.js';

type Node = TSESTree.Node;

/** The only marker type the API knows (facts §2.2). */
export const MARKER_TYPE = 'ephemeral';

/**
 * Whether a breakpoint is a Bedrock cache point (`{ cachePoint: { type: 'default' } }` in Converse, or
 * `providerOptions.bedrock.cachePoint` in the AI SDK) rather than an Anthropic `cache_control` marker.
 */
export function isCachePoint(breakpoint: Breakpoint): boolean {
  const node = breakpoint.node;
  return node.type === 'Property' && !node.computed && ((node.key.type === 'Identifier' && node.key.name === 'cachePoint') || (node.key.type === 'Literal' && node.key.value === 'cachePoint'));
}

/** The `type` a marker must have: `'default'` for Bedrock cache points, `'ephemeral'` for `cache_control`. */
export function getExpectedMarkerType(breakpoint: Breakpoint): string {
  return isCachePoint(breakpoint) ? 'default' : MARKER_TYPE;
}

/** The TTLs the API accepts (facts §2.2); `'5m'` is the default. */
export const MARKER_TTLS: readonly Ttl[] = ['5m', '1h'];

/**
 * One field (`type` or `ttl`) of a marker object literal, as far as it is known:
 * - `absent`: the object certainly has no such key (or it is `undefined`);
 * - `unknown`: it may exist or its value cannot be known (a parameter, a ternary, an unknown spread);
 * - `known`: a string, number, boolean or `null` written in the code.
 */
export type MarkerField =
  | { state: 'absent' }
  | { state: 'unknown' }
  | { state: 'known'; value: string | number | boolean | null; prop: ObjectProp; valueNode: Node };

/**
 * The `key` field of a marker object. `valueNode` is the property's value as written (unwrapped from
 * `as const` and the like), or the property itself when it came through a spread of a non-literal.
 */
export function getMarkerField(marker: ObjectValue, key: string): MarkerField {
  let prop: ObjectProp | undefined;
  for (let i = marker.props.length - 1; i >= 0; i--) {
    if (marker.props[i].key === key) {
      prop = marker.props[i];
      break;
    }
  }
  if (!prop) return marker.partial ? { state: 'unknown' } : { state: 'absent' };
  const value = prop.value;
  if (value.kind === 'primitive') {
    if (value.value === undefined) return { state: 'absent' };
    if (typeof value.value === 'bigint') return { state: 'unknown' };
    return { state: 'known', value: value.value, prop, valueNode: propertyValueNode(prop) };
  }
  const text = getKnownString(value);
  if (text === null) return { state: 'unknown' };
  return { state: 'known', value: text, prop, valueNode: propertyValueNode(prop) };
}

function propertyValueNode(prop: ObjectProp): Node {
  return prop.node.type === AST_NODE_TYPES.Property ? unwrapExpression(prop.node.value) : prop.node;
}

/**
 * Every object a marker value may be: the object itself, or each object branch of a ternary / `??` / `||`.
 * Non-object branches (`undefined`, an unknown value) are skipped.
 */
export function* iterateMarkerObjects(value: Value, depth = 0): Generator<ObjectValue> {
  if (value.kind === 'object') yield value;
  else if (value.kind === 'choice' && depth < 8) for (const option of value.options) yield* iterateMarkerObjects(option, depth + 1);
}

/**
 * The TTL a marker writes with: `'5m'` for a bare `{ type: 'ephemeral' }` (facts §2.10) or `ttl: '5m'`,
 * `'1h'` for `ttl: '1h'`; null when unknown, invalid, or the marker is not a known marker object.
 */
export function getEffectiveTtl(breakpoint: Breakpoint): Ttl | null {
  if (breakpoint.type !== MARKER_TYPE && breakpoint.type !== null) return null; // no type / a wrong type: rejected anyway
  if (breakpoint.value.kind !== 'object') return null;
  if (breakpoint.ttl === undefined || breakpoint.ttl === '5m') return '5m';
  if (breakpoint.ttl === '1h') return '1h';
  return null;
}

/**
 * The TTL a mistyped `ttl` most likely meant: `'60m'`, `'1hr'`, `'1 hour'`, `3600` (seconds), `3_600_000` (ms),
 * `'PT1H'` → `'1h'`; `'5min'`, `300` → `'5m'`. Null when the value does not denote 5 minutes or 1 hour.
 * A bare number (or numeric string) is read as seconds, or as milliseconds when it is 300,000 / 3,600,000.
 */
export function getIntendedTtl(value: string | number | boolean | null): Ttl | null {
  let seconds: number | null = null;
  if (typeof value === 'number') {
    seconds = value === 300_000 || value === 3_600_000 ? value / 1000 : value;
  } else if (typeof value === 'string') {
    const text = value.trim().toLowerCase().replace(/\s+/g, '');
    const iso = /^pt(\d+(?:\.\d+)?)([hms])$/.exec(text);
    const plain = /^(\d+(?:\.\d+)?)(ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?)?$/.exec(text);
    const match = iso ?? plain;
    if (match) {
      const amount = Number(match[1]);
      const unit = match[2] ?? 's';
      const factor = unit === 'ms' ? 0.001 : unit.startsWith('h') ? 3600 : unit.startsWith('m') ? 60 : 1;
      seconds = amount * factor;
      if (!match[2] && (amount === 300_000 || amount === 3_600_000)) seconds = amount / 1000;
    }
  }
  if (seconds === 300) return '5m';
  if (seconds === 3600) return '1h';
  return null;
}

/**
 * Whether a wrong `type` is a slip of `'ephemeral'` (case, surrounding spaces, up to two typos:
 * `'Ephemeral'`, `'ephemeral '`, `'ephermal'`), as opposed to a different idea (`'persistent'`).
 */
export function isEphemeralTypo(value: string): boolean {
  const text = value.trim().toLowerCase();
  return text === MARKER_TYPE || editDistance(text, MARKER_TYPE) <= 2;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The segment the automatic (top-level) marker lands on: the last block, walking back past blocks that
 * cannot be marked (thinking, redacted thinking, empty text; facts §2.4, §2.6). Null when that block is
 * unknown (an opaque run such as `...history` comes first on the way back) or there is none.
 */
export function getAutomaticTarget(request: PromptRequest): Segment | null {
  for (let i = request.segments.length - 1; i >= 0; i--) {
    const segment = request.segments[i];
    if (segment.opaque || segment.repeated) return null;
    if (segment.kind === 'thinking' || segment.kind === 'redacted_thinking') continue;
    if (segment.kind === 'text' && getKnownText(segment.parts) === '') continue;
    return segment;
  }
  return null;
}

/**
 * Markers on the same request whose TTLs put a 1h marker after a 5m one (a bare marker counts as 5m), in
 * tools → system → messages order with the automatic marker last. Each 1h marker is paired with the first
 * 5m marker before it. Markers with an unknown or invalid TTL are skipped (neither side).
 */
export function* iterateTtlOrderViolations(request: PromptRequest): Generator<{ marker: Breakpoint; earlier: Breakpoint }> {
  let first5m: Breakpoint | null = null;
  for (const breakpoint of request.breakpoints) {
    const ttl = getEffectiveTtl(breakpoint);
    if (ttl === '5m') first5m ??= breakpoint;
    else if (ttl === '1h' && first5m) yield { marker: breakpoint, earlier: first5m };
  }
}

/**
 * The tokens a marker on segment `index` would have cached, now sent uncached because the marker is missing or
 * misspelt: from after the previous breakpoint through `index`. Null when a breakpoint at or after `index`
 * covers them anyway, or when the prefix is certainly below the model's minimum (nothing would be cached).
 */
export function getMissedMarkerTokens(request: PromptRequest, index: number): { tokens: number; complete: boolean } | null {
  if (request.breakpoints.some((breakpoint) => breakpoint.segmentIndex >= index)) return null;
  const previous = [...request.breakpoints].reverse().find((breakpoint) => breakpoint.segmentIndex < index);
  const model = request.model;
  const minimum = model ? getCacheMinimum(model.id, model.bedrock) : null;
  const prefix = estimateSegments(request, 0, index);
  if (minimum && prefix.complete && prefix.tokens < minimum.tokens) return null;
  return estimateSegments(request, previous ? previous.segmentIndex + 1 : 0, index);
}

/**
 * How a marker is written, for messages: `cache_control` (Anthropic, raw HTTP, LangChain), the AI SDK's
 * `providerOptions.anthropic.cacheControl` or `providerOptions.bedrock.cachePoint`, or a Bedrock Converse
 * `cachePoint` block.
 */
export type MarkerKind = 'cache_control' | 'cacheControl' | 'bedrockCachePoint' | 'cachePoint';

const MARKER_NAMES: Record<MarkerKind, string> = {
  cache_control: 'cache_control',
  cacheControl: 'providerOptions.anthropic.cacheControl',
  bedrockCachePoint: 'providerOptions.bedrock.cachePoint',
  cachePoint: 'cachePoint',
};

/** The marker as users write it: `cache_control`, `providerOptions.anthropic.cacheControl`, `cachePoint`… */
export function getMarkerName(kind: MarkerKind): string {
  return MARKER_NAMES[kind];
}

/**
 * The kind of a request's marker: from the breakpoint when there is one (a `cachePoint` key, or a `'default'`
 * type in AI SDK provider options), else from the request format.
 */
export function getMarkerKind(request: PromptRequest, breakpoint: Breakpoint | null = null): MarkerKind {
  const format = request.site.format;
  const cachePoint = !!breakpoint && (isCachePoint(breakpoint) || (format === 'ai-sdk' && breakpoint.type === 'default'));
  if (format === 'ai-sdk') return cachePoint ? 'bedrockCachePoint' : 'cacheControl';
  if (format === 'converse' || cachePoint) return 'cachePoint';
  return 'cache_control';
}
