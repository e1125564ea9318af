import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '../eslint-utils.js';
import { isFunctionNode, isWithin, unwrapExpression } from './ast.js';
import type { Evaluator } from './evaluate.js';
import { type Breakpoint, type PromptRequest, type Segment, estimateSegments } from './request.js';
import { type Stability, getPartStability, getSegmentStability } from './stability.js';
import { type Part, type UnknownPart, getKnownText, iterateUnknownParts } from './values.js';

/**
 * The stable content right after a breakpoint: the segments that follow the marked one and are `static` or
 * `once` (see `stability.ts`), up to the first `per-request` segment or the end of the prompt. This content
 * is the same on every request, yet a read can only reuse what sits *before* a breakpoint, so it is sent
 * uncached each time.
 */
export interface StableRun {
  breakpoint: Breakpoint;
  /** The stable segments after the breakpoint's segment, in API order (never empty). */
  segments: Segment[];
  /**
   * The last segment of the run that can carry a marker (a tool, a block, a string system prompt or message
   * content once turned into a block); never a thinking block or an opaque run.
   */
  target: Segment;
  /** The first per-request segment after the run, or null when the run reaches the end of the prompt. */
  next: Segment | null;
  /** Estimated tokens from the run's first segment to `target` (a lower bound when `complete` is false). */
  estimate: { tokens: number; complete: boolean };
  /** File reads of unknown size in the run up to `target` (`readFileSync(...)` at module level). */
  fileReads: UnknownPart[];
}

/** Segment kinds that can never carry `cache_control` (API types without the field, or unknown runs). */
const UNMARKABLE = new Set<Segment['kind']>(['thinking', 'redacted_thinking', 'opaque']);

/** Whether a marker can be put on `segment` (possibly after turning a string into a text block). */
export function isMarkableSegment(segment: Segment): boolean {
  if (UNMARKABLE.has(segment.kind) || segment.repeated) return false;
  return !(segment.kind === 'text' && getKnownText(segment.parts) === ''); // empty text blocks cannot be marked
}

/**
 * The stable run after `breakpoint`'s segment, or null when there is none or it cannot be told:
 * - the breakpoint is automatic (it sits at the end) or not placed on a segment;
 * - the segment right after it is per-request, or there is nothing after it;
 * - a segment of `unknown` stability comes before the first per-request one (the run may end earlier);
 * - no segment of the run can carry a marker.
 *
 * @param stabilityOf memoised stability lookup (defaults to {@link getSegmentStability}).
 */
export function getStableRunAfter(
  request: PromptRequest,
  breakpoint: Breakpoint,
  stabilityOf: (segment: Segment) => Stability = (segment) => getSegmentStability(segment, request),
): StableRun | null {
  if (breakpoint.automatic || breakpoint.segmentIndex < 0 || breakpoint.segmentIndex >= request.segments.length) return null;
  const segments: Segment[] = [];
  let next: Segment | null = null;
  for (let i = breakpoint.segmentIndex + 1; i < request.segments.length; i++) {
    const segment = request.segments[i];
    const stability = stabilityOf(segment);
    if (stability === 'per-request') {
      next = segment;
      break;
    }
    if (stability === 'unknown') return null;
    segments.push(segment);
  }
  const target = [...segments].reverse().find(isMarkableSegment);
  if (!target) return null;
  const fileReads: UnknownPart[] = [];
  for (const segment of segments) {
    if (segment.index > target.index) break;
    for (const part of iterateUnknownParts(segment.parts)) if (part.reason === 'file') fileReads.push(part);
  }
  return {
    breakpoint,
    segments,
    target,
    next,
    estimate: estimateSegments(request, segments[0].index, target.index),
    fileReads,
  };
}

/**
 * A memoised stability lookup for the segments of `request`: {@link getSegmentStability}, with two cases the
 * core leaves `unknown` resolved to `per-request`:
 * - a member of a parameter of the function making the request (`input.question`, `essays[0]`), like the
 *   parameter itself;
 * - a run repeated over an array of unknown length (`turns.map(...)`, a `for…of` loop pushing blocks) whose
 *   items or source array come from such a parameter.
 *
 * TODO(core): move both cases into `getPartStability` / `getSegmentStability` and drop this wrapper.
 */
export function createStabilityLookup(
  request: PromptRequest,
  sourceCode: Readonly<TSESLint.SourceCode>,
  evaluator: Evaluator,
): (segment: Segment) => Stability {
  const memo = new Map<Segment, Stability>();
  return (segment) => {
    let stability = memo.get(segment);
    if (stability === undefined) {
      stability = getSegmentStability(segment, request);
      if (stability === 'unknown') stability = refine(segment.parts, request, sourceCode);
      if (stability === 'unknown' && segment.repeated && isRepeatedPerRequest(segment, request, sourceCode, evaluator)) stability = 'per-request';
      memo.set(segment, stability);
    }
    return stability;
  };
}

/** The items of a repeated run, or the array it loops over, depend on a parameter of the request's function. */
function isRepeatedPerRequest(segment: Segment, request: PromptRequest, sourceCode: Readonly<TSESLint.SourceCode>, evaluator: Evaluator): boolean {
  if (segment.value?.kind === 'object' && refine(evaluator.serialize(segment.value, segment.node), request, sourceCode) === 'per-request') return true;
  // `for (const turn of turns) blocks.push({ … })`: the pushed item's loop.
  const call = segment.node.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  for (let node: TSESTree.Node | undefined = call.parent; node && !isFunctionNode(node); node = node.parent) {
    if (node.type === AST_NODE_TYPES.ForOfStatement || node.type === AST_NODE_TYPES.ForInStatement) {
      const source = evaluator.evaluate(node.right);
      return source.kind === 'unknown' && refine([source.part], request, sourceCode) === 'per-request';
    }
  }
  return false;
}

function refine(parts: readonly Part[], request: PromptRequest, sourceCode: Readonly<TSESLint.SourceCode>): Stability {
  const values = parts.map((part) => {
    const stability = getPartStability(part, request);
    return stability === 'unknown' && isMemberOfRequestParameter(part, request, sourceCode) ? 'per-request' : stability;
  });
  if (values.includes('per-request')) return 'per-request';
  if (values.includes('unknown')) return 'unknown';
  return values.includes('once') ? 'once' : 'static';
}

/** `input.question` where `input` is a parameter of the request's function (or of a function around it). */
function isMemberOfRequestParameter(part: Part, request: PromptRequest, sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  if (part.kind !== 'unknown' || part.reason !== 'member' || !part.path || !request.fn) return false;
  let node: TSESTree.Node = unwrapExpression(part.node);
  while (node.type === AST_NODE_TYPES.MemberExpression) node = unwrapExpression(node.object);
  if (node.type !== AST_NODE_TYPES.Identifier || node.name !== part.path[0]) return false;
  const variable = findVariable(sourceCode.getScope(node), node);
  const def = variable?.defs[0];
  if (!def || def.type !== 'Parameter' || !isFunctionNode(def.node)) return false;
  return def.node === request.fn || isWithin(request.fn, def.node);
}
