import type { Evaluator } from './evaluate.js';
import { getModelInfo, isBedrockModelId, normalizeModelId } from './models.js';
import { type PromptRequest, type Segment, estimateSegments } from './request.js';
import { upperBoundOfCount } from './tokens.js';
import { getKnownString } from './values.js';

/**
 * The size of a cached prefix (segments `0..segmentIndex` of a request) compared with a model's minimum
 * cacheable length, and the minimum itself with per-model overrides. Used by rules that must tell whether a
 * breakpoint can be cached at all.
 */

/** Size of the prompt prefix up to (and including) one segment. */
export interface PrefixSize {
  /** Central estimate (estimateSegments: volatile scalars counted with a nominal size). */
  tokens: number;
  /**
   * A count the real prefix is very unlikely to exceed: the central estimate with the `upperBoundTokens` (tokens.ts)
   * margin, plus {@link FRAMING_TOKENS_PER_SEGMENT} per segment and {@link TOOL_USE_PROMPT_TOKENS} when the
   * prefix holds tool definitions.
   */
  upperBound: number;
}

/**
 * Tokens allowed per segment for the framing the API renders around it (role headers, block separators).
 * Only ever added, so it can only make a "too small" claim harder to reach.
 */
export const FRAMING_TOKENS_PER_SEGMENT = 5;

/**
 * Tokens allowed for the hidden tool-use system prompt the API adds when `tools` is present (Anthropic's
 * tool-use docs give 313–346 tokens on Claude 4 models). Added to the upper bound of any prefix holding tools.
 */
export const TOOL_USE_PROMPT_TOKENS = 350;


/**
 * The size of segments `0..segmentIndex`, or null when it cannot be bounded from the source: some text is
 * unknown (a parameter, `...history`), a section could not be laid out (`request.incomplete`), or a segment's
 * size is not its text (images, documents, server tools, unrecognised block types, tool results holding them).
 *
 * @param request the request whose prefix is measured
 * @param segmentIndex the last segment of the prefix (a breakpoint's `segmentIndex`)
 * @param evaluator the file's evaluator (to look into tool definitions and tool results)
 */
export function getPrefixSize(request: PromptRequest, segmentIndex: number, evaluator: Evaluator): PrefixSize | null {
  if (request.incomplete || segmentIndex < 0 || segmentIndex >= request.segments.length) return null;
  let hasTools = false;
  for (let i = 0; i <= segmentIndex; i++) {
    const segment = request.segments[i];
    if (!isSizeKnowable(segment, evaluator)) return null;
    if (segment.section === 'tools') hasTools = true;
  }
  const estimate = estimateSegments(request, 0, segmentIndex);
  if (!estimate.complete) return null;
  const framing = (segmentIndex + 1) * FRAMING_TOKENS_PER_SEGMENT + (hasTools ? TOOL_USE_PROMPT_TOKENS : 0);
  return { tokens: estimate.tokens, upperBound: upperBoundOfCount(estimate.tokens) + framing };
}

/** Whether the segment's token count follows from its text (not from pixels, pages or a server-side definition). */
function isSizeKnowable(segment: Segment, evaluator: Evaluator): boolean {
  if (segment.opaque) return false;
  switch (segment.kind) {
    case 'system':
    case 'text':
    case 'thinking':
    case 'redacted_thinking':
    case 'tool_use':
      return true;
    case 'tool': {
      // Server tools (`web_search_…`, `mcp_toolset`, computer use) are expanded by the API: size unknown.
      if (!segment.value || segment.value.kind !== 'object') return false;
      const type = evaluator.getProperty(segment.value, 'type');
      return type === null || getKnownString(type) === 'custom';
    }
    case 'tool_result': {
      if (!segment.value || segment.value.kind !== 'object') return false;
      const content = evaluator.getProperty(segment.value, 'content');
      if (!content || content.kind === 'string') return true;
      if (content.kind !== 'array') return false;
      return content.items.every((item) => {
        if (item.kind !== 'value') return false;
        if (item.value.kind !== 'object') return item.value.kind === 'string';
        return getKnownString(evaluator.getProperty(item.value, 'type')) === 'text';
      });
    }
    default:
      // image, document, other (search results, container uploads, …), opaque
      return false;
  }
}

/** A model's minimum cacheable prefix, and where the figure comes from. */
export interface CacheMinimum {
  /** The model id as written (or as configured). */
  model: string;
  /** The normalised id (`claude-opus-4-7`). */
  normalized: string;
  tokens: number;
  /** `table`: the Claude API figure; `bedrock`: the Amazon Bedrock figure; `override`: user option. */
  source: 'table' | 'bedrock' | 'override';
}

/**
 * The minimum cacheable prefix for a model, or null when unknown (not in the table, or its minimum unknown,
 * and no override). Overrides are keyed by model id; keys and `modelId` are both normalised before matching,
 * and an override applies on every platform. Without one, the Bedrock figure is used when `bedrock` is set
 * (a Bedrock client) or the id is spelled the Bedrock way (`anthropic.claude-…-v1:0`).
 *
 * @param modelId the model id as written
 * @param bedrock whether the request goes to Amazon Bedrock
 * @param overrides per-model minimums (normalised id → tokens)
 */
export function getCacheMinimum(modelId: string, bedrock: boolean, overrides: Readonly<Record<string, number>> = {}): CacheMinimum | null {
  const normalized = normalizeModelId(modelId);
  for (const [key, tokens] of Object.entries(overrides)) {
    if (normalizeModelId(key) === normalized && Number.isFinite(tokens) && tokens >= 1) {
      return { model: modelId, normalized, tokens, source: 'override' };
    }
  }
  const info = getModelInfo(modelId);
  if (!info) return null;
  const onBedrock = bedrock || isBedrockModelId(modelId);
  if (onBedrock && info.bedrockMinCacheableTokens !== null) {
    return { model: modelId, normalized, tokens: info.bedrockMinCacheableTokens, source: 'bedrock' };
  }
  if (info.minCacheableTokens === null) return null;
  return { model: modelId, normalized, tokens: info.minCacheableTokens, source: 'table' };
}
