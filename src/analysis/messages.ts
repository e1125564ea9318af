import { type Ttl, formatUsd, getMissCost, getUncachedCost } from './models.js';
import type { Breakpoint, PromptRequest, Segment } from './request.js';
import { formatTokens } from './tokens.js';
import type { ReportableFrequency } from './volatility.js';

/** Wording shared by rule messages: where a segment sits, how many tokens, what it costs. */

/** `system prompt`, `tool definitions`, `message 3` */
export function describeSegment(segment: Segment): string {
  if (segment.section === 'system') return 'system prompt';
  if (segment.section === 'tools') return 'tool definitions';
  return segment.messageIndex === null ? 'messages' : `message ${segment.messageIndex + 1}`;
}

/** `1,234`, or `1,234+` when part of the text is unknown (the count is then a lower bound). */
export function describeTokens(estimate: { tokens: number; complete: boolean }): string {
  return `${formatTokens(estimate.tokens)}${estimate.complete ? '' : '+'}`;
}

function ttlOf(breakpoint: Breakpoint): Ttl {
  return breakpoint.ttl === '1h' ? '1h' : '5m';
}

/**
 * `; about $0.0047 extra per request on claude-sonnet-4-5 ($4.69 per 1,000 requests)`: the price of a cache
 * write instead of a read, for the invalidated tokens. Empty when the model or its price is unknown.
 */
export function describeCost(
  request: PromptRequest,
  estimate: { tokens: number; complete: boolean },
  breakpoint: Breakpoint,
  frequency: ReportableFrequency,
): string {
  const model = request.model;
  if (!model?.info || estimate.tokens === 0) return '';
  const cost = getMissCost(model.info, estimate.tokens, ttlOf(breakpoint));
  if (cost === null) return '';
  const about = estimate.complete ? 'about' : 'at least';
  if (frequency === 'request' || frequency === 'second') {
    return `; ${about} ${formatUsd(cost)} extra per request on ${model.id} (${formatUsd(cost * 1000)} per 1,000 requests)`;
  }
  return `; ${about} ${formatUsd(cost)} extra on ${model.id} each time it changes`;
}

/**
 * `; about $0.0041 extra per request on claude-sonnet-4-5 (…)`: the price of sending tokens uncached instead of
 * reading them from the cache (`at least` when the count is a lower bound). Empty when the price is unknown.
 */
export function describeUncachedCost(request: PromptRequest, estimate: { tokens: number; complete: boolean }): string {
  const cost = getUncachedCost(request.model?.info ?? null, estimate.tokens);
  if (cost === null || estimate.tokens === 0) return '';
  const about = estimate.complete ? 'about' : 'at least';
  return `; ${about} ${formatUsd(cost)} extra per request on ${request.model!.id} (${formatUsd(cost * 1000)} per 1,000 requests)`;
}
