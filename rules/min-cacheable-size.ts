import type { TSESLint } from '@typescript-eslint/utils';

import { hasMarkersAddedAfter } from '../src/analysis/marker-helpers.js';
import { type CacheMinimum, getCacheMinimum, getPrefixSize } from '../src/analysis/prefix-size.js';
import { type Breakpoint, type PromptRequest, getFileAnalysis } from '../src/analysis/request.js';
import type { Evaluator } from '../src/analysis/evaluate.js';
import { getExpectedMarkerType } from '../src/analysis/cache-control.js';
import { isBedrockModelId } from '../src/analysis/models.js';
import { formatTokens } from '../src/analysis/tokens.js';
import { getKnownText } from '../src/analysis/values.js';
import { createRule } from '../src/create-rule.js';

type Options = [
  {
    minimums?: Record<string, number>;
    defaultModel?: string;
  },
];
type MessageIds = 'belowMinimum';

export default createRule<Options, MessageIds>({
  name: 'min-cacheable-size',
  meta: {
    type: 'problem',
    docs: {
      description: "Disallow cache_control breakpoints whose prompt prefix is below the model's minimum cacheable length",
      recommended: true,
    },
    messages: {
      belowMinimum:
        "{{marker}} covers a prompt prefix of ~{{tokens}} tokens (at most {{upperBound}} with the estimate's margin), below the {{minimum}}-token minimum of {{model}}{{source}}. The API silently ignores such a marker (no error, no cache write, no cache read), so nothing in this request is cached{{others}}. Remove the marker, or cache more: move it to a later block or add stable content until the prefix reaches {{minimum}} tokens.",
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          minimums: {
            type: 'object',
            additionalProperties: { type: 'integer', minimum: 1 },
            description:
              'Minimum cacheable tokens per model, overriding the built-in table (`{ "claude-sonnet-4-6": 2048 }`). Keys are model ids, matched after normalisation (Bedrock prefixes and version suffixes, Vertex `@date` and dated snapshots stripped); an override applies on every platform.',
          },
          defaultModel: {
            type: 'string',
            minLength: 1,
            description: 'Model id assumed for requests whose `model` is not a known string (a variable, a parameter). Without it those requests are not checked.',
          },
        },
      },
    ],
    defaultOptions: [{ minimums: {} }],
  },
  create(context, [options]) {
    const overrides = options.minimums ?? {};
    const defaultModel = options.defaultModel ?? null;
    return {
      'Program:exit'() {
        const { requests, evaluator } = getFileAnalysis(context.sourceCode);
        const reported = new Set<string>();
        for (const request of requests) {
          const finding = checkRequest(request, evaluator, overrides, defaultModel, context.sourceCode);
          if (!finding) continue;
          const node = finding.breakpoint.node;
          const key = `${node.range[0]}:${node.range[1]}`;
          if (reported.has(key)) continue;
          reported.add(key);
          context.report({
            node,
            messageId: 'belowMinimum',
            data: {
              marker: finding.breakpoint.automatic ? 'Automatic caching (the top-level cache_control)' : 'This cache_control marker',
              tokens: formatTokens(finding.tokens),
              upperBound: formatTokens(finding.upperBound),
              minimum: formatTokens(finding.minimum.tokens),
              model: finding.fromDefault ? `${finding.minimum.model} (the defaultModel option)` : finding.minimum.model,
              source: SOURCE_WORDING[finding.minimum.source],
              others: finding.others === 0 ? '' : `; its ${finding.others} earlier marker${finding.others === 1 ? '' : 's'} cover${finding.others === 1 ? 's' : ''} even less`,
            },
          });
        }
      },
    };
  },
});

const SOURCE_WORDING: Record<CacheMinimum['source'], string> = {
  table: '',
  bedrock: ' on Amazon Bedrock',
  override: ' (set in the minimums option)',
};

interface Finding {
  breakpoint: Breakpoint;
  tokens: number;
  upperBound: number;
  minimum: CacheMinimum;
  fromDefault: boolean;
  /** Other certain markers of the request (all closing shorter prefixes). */
  others: number;
}

/**
 * A request is reported when even its LAST breakpoint closes a prefix whose upper-bound size is below the
 * model's minimum: then no marker of the request can be cached (prefixes only grow along the breakpoints).
 * The report goes on the last certain marker, the one to move or remove; earlier markers are counted in the
 * message instead of reported one by one. A too-small earlier marker followed by a large-enough later one is
 * not reported: the later one caches the whole prefix, the early one only wastes a slot.
 */
function checkRequest(
  request: PromptRequest,
  evaluator: Evaluator,
  overrides: Readonly<Record<string, number>>,
  defaultModel: string | null,
  sourceCode: Readonly<TSESLint.SourceCode>,
): Finding | null {
  // Token counting accepts cache_control but never reads or writes the cache.
  if (request.site.method === 'countTokens') return null;
  // A tool runner appends turns; the automatic marker moves forward with them.
  const breakpoints = request.breakpoints.filter((breakpoint) => !(breakpoint.automatic && request.site.method === 'toolRunner'));
  if (breakpoints.length === 0) return null;
  // A malformed marker makes the request fail (valid-cache-control's business), not silently uncached.
  if (breakpoints.some((breakpoint) => breakpoint.certain && !isAcceptedMarker(breakpoint, request))) return null;
  const certain = breakpoints.filter((breakpoint) => breakpoint.certain && !breakpoint.repeated);
  const target = certain[certain.length - 1];
  if (!target) return null;

  const minimum = getRequestMinimum(request, overrides, defaultModel);
  if (!minimum) return null;

  const last = breakpoints[breakpoints.length - 1];
  // A helper or loop may add a later marker (`markRecentTurns(messages)`): that one may cache enough.
  if (hasMarkersAddedAfter(request, last, sourceCode)) return null;
  const whole = getPrefixSize(request, last.segmentIndex, evaluator);
  if (!whole || whole.upperBound >= minimum.minimum.tokens) return null;
  const size = target === last ? whole : getPrefixSize(request, target.segmentIndex, evaluator);
  if (!size) return null;
  return {
    breakpoint: target,
    tokens: size.tokens,
    upperBound: size.upperBound,
    minimum: minimum.minimum,
    fromDefault: minimum.fromDefault,
    others: certain.length - 1,
  };
}

/** The request's model minimum: its literal model, else `defaultModel`; null when unknown. */
function getRequestMinimum(request: PromptRequest, overrides: Readonly<Record<string, number>>, defaultModel: string | null): { minimum: CacheMinimum; fromDefault: boolean } | null {
  const bedrockClient = request.site.platform === 'bedrock';
  if (request.model) {
    const minimum = getCacheMinimum(request.model.id, request.model.bedrock || bedrockClient, overrides);
    return minimum ? { minimum, fromDefault: false } : null;
  }
  if (defaultModel === null) return null;
  const minimum = getCacheMinimum(defaultModel, bedrockClient || isBedrockModelId(defaultModel), overrides);
  return minimum ? { minimum, fromDefault: true } : null;
}

/** A marker the API accepts: `type` ephemeral (or unknown), a valid TTL, on a block that can carry one. */
function isAcceptedMarker(breakpoint: Breakpoint, request: PromptRequest): boolean {
  if (breakpoint.type !== null && breakpoint.type !== getExpectedMarkerType(breakpoint)) return false;
  if (typeof breakpoint.ttl === 'string' && breakpoint.ttl !== '5m' && breakpoint.ttl !== '1h') return false;
  if (breakpoint.automatic) return true;
  const segment = request.segments[breakpoint.segmentIndex];
  if (!segment) return false;
  if (segment.kind === 'thinking' || segment.kind === 'redacted_thinking') return false;
  // An empty text block cannot carry a marker (400).
  if (segment.kind === 'text' && getKnownText(segment.parts) === '') return false;
  return true;
}
