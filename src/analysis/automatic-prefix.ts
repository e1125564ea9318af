import type { TSESTree } from '@typescript-eslint/utils';

import type { Evaluator } from './evaluate.js';
import { type VolatilityOptions, getReportNode, isComputedPerRequest, iterateChangingParts } from './prefix.js';
import { type PromptRequest, type Segment, estimateSegments } from './request.js';
import { getSegmentStability } from './stability.js';
import { estimateTokens } from './tokens.js';
import type { Part, UnknownPart, VolatilePart } from './values.js';
import type { ReportableFrequency } from './volatility.js';

type Node = TSESTree.Node;

/**
 * Automatic prefix caching (OpenAI and OpenAI-compatible servers): there is no marker; the API caches the
 * longest prefix it has seen before, for prompts of {@link AUTOMATIC_MIN_TOKENS}+ tokens. A value that changes
 * early in the prompt — in the tools, the instructions or the system/developer messages — therefore costs all
 * the stable text after it its cache hit.
 */

/** OpenAI caches prompts of 1,024 tokens or more (facts §3). */
export const AUTOMATIC_MIN_TOKENS = 1024;

/** Stable text after the value worth reporting: smaller tails are within the estimate's error. */
export const MIN_STABLE_TAIL_TOKENS = 256;

export interface StableTailFinding {
  request: PromptRequest;
  segment: Segment;
  part: VolatilePart | UnknownPart;
  label: string;
  frequency: ReportableFrequency;
  reportNode: Node;
  /** The stable text after the value that loses its cache hit. */
  tail: { tokens: number; complete: boolean };
}

/**
 * Changing values in the instructions part of an automatically cached request (tools, instructions, system and
 * developer messages: everything before the conversation) that are followed by at least
 * {@link MIN_STABLE_TAIL_TOKENS} tokens of stable text, in a prompt long enough to be cached.
 */
export function* iterateVolatileBeforeStable(request: PromptRequest, options: VolatilityOptions): Generator<StableTailFinding> {
  if (request.site.format !== 'openai') return;
  const region: Segment[] = [];
  for (const segment of request.segments) {
    if (segment.section === 'messages') break;
    region.push(segment);
  }
  const regionSize = estimateSegments(request, 0, region.length - 1);
  for (const [position, segment] of region.entries()) {
    for (const { part, label, frequency } of iterateChangingParts(segment.parts, options)) {
      if (!isComputedPerRequest(part, request)) continue;
      const tail = getStableTail(request, region, position, part);
      if (tail.tokens < MIN_STABLE_TAIL_TOKENS || regionSize.tokens < AUTOMATIC_MIN_TOKENS) continue;
      yield { request, segment, part, label, frequency, reportNode: getReportNode(part, request, segment.textNode ?? segment.node), tail };
    }
  }
}

/** Known text after `part` in its segment, then the following stable segments up to the first changing one. */
function getStableTail(request: PromptRequest, region: Segment[], position: number, part: Part): { tokens: number; complete: boolean } {
  const parts = region[position].parts;
  const index = parts.findIndex((candidate) => contains(candidate, part));
  let text = '';
  for (const after of parts.slice(index + 1)) {
    if (after.kind !== 'text') break;
    text += after.text;
  }
  let tokens = estimateTokens(text);
  let complete = true;
  const rest = parts.slice(index + 1);
  if (rest.some((after) => after.kind !== 'text')) return { tokens, complete };
  for (const segment of region.slice(position + 1)) {
    const stability = getSegmentStability(segment, request);
    if (stability === 'per-request' || stability === 'unknown') break;
    const estimate = estimateSegments(request, segment.index, segment.index);
    tokens += estimate.tokens;
    complete &&= estimate.complete;
  }
  return { tokens, complete };
}

function contains(candidate: Part, part: Part): boolean {
  if (candidate === part) return true;
  return candidate.kind === 'unknown' && !!candidate.branches?.some((branch) => branch.some((inner) => contains(inner, part)));
}

/**
 * A `prompt_cache_key` that changes per request (a fresh UUID, a timestamp): the key routes requests to a cache,
 * so a new key per request never hits. Per-user keys are the intended use and are not reported.
 */
export function getVolatileCacheKey(
  request: PromptRequest,
  evaluator: Evaluator,
  options: VolatilityOptions,
): { part: VolatilePart | UnknownPart; label: string; frequency: ReportableFrequency; node: Node } | null {
  if (request.site.format !== 'openai' || request.site.params.kind !== 'object') return null;
  const key = evaluator.getProperty(request.site.params, 'prompt_cache_key');
  if (!key) return null;
  const prop = [...request.site.params.props].reverse().find((p) => p.key === 'prompt_cache_key');
  for (const found of iterateChangingParts(evaluator.toParts(key, prop?.node ?? request.site.paramsNode), options)) {
    if (found.frequency === 'user' || !isComputedPerRequest(found.part, request)) continue;
    return { ...found, node: getReportNode(found.part, request, prop?.node ?? request.site.paramsNode) };
  }
  return null;
}
