import { type Breakpoint, type PromptRequest, type Segment, estimateSegments } from './request.js';
import { type Stability, getSegmentStability } from './stability.js';
import { type UnknownPart, getKnownText, iterateUnknownParts } from './values.js';

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

/** A memoised {@link getSegmentStability} for the segments of `request`. */
export function createStabilityLookup(request: PromptRequest): (segment: Segment) => Stability {
  const memo = new Map<Segment, Stability>();
  return (segment) => {
    let stability = memo.get(segment);
    if (stability === undefined) {
      stability = getSegmentStability(segment, request);
      memo.set(segment, stability);
    }
    return stability;
  };
}
