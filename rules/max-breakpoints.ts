import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '../src/eslint-utils.js';
import { unwrapExpression } from '../src/analysis/ast.js';
import { getMarkerKind, getMarkerName } from '../src/analysis/cache-control.js';
import { getBoundedMarkerCount, getInlineMarkers, getMarkerHelperCalls, getSegmentsFedBy, getUnboundedMarker } from '../src/analysis/marker-helpers.js';
import { type Iteration, type MarkerLoop, getMarkerLoopCount, getMarkerLoops, getUnboundedIteration } from '../src/analysis/marker-loops.js';
import { MAX_BREAKPOINTS } from '../src/analysis/models.js';
import { type Breakpoint, type PromptRequest, type Segment, getFileAnalysis } from '../src/analysis/request.js';
import { createRule } from '../src/create-rule.js';

type Options = [{ max?: number }];
type MessageIds = 'tooMany' | 'tooManyDropped' | 'tooManyAdded' | 'tooManyAddedDropped' | 'unbounded' | 'unboundedDropped' | 'perTurn' | 'perTurnDropped';

/** Markers added outside the request literal: by a helper call, or by a bounded loop in the request's function. */
interface AddedMarkers {
  /** Where to report: the helper call, or the loop's marker. */
  node: TSESTree.Node;
  /** `markRecentTurns()`, or `this loop`. */
  source: string;
  /** At most this many markers (certain values, bounded count). */
  count: number;
  /** Segments these markers may share with markers written in the request (null: they make blocks of their own). */
  segments: readonly Segment[] | null;
}

/** Longest array expression quoted in a message. */
const MAX_ARRAY_TEXT = 40;

export default createRule<Options, MessageIds>({
  name: 'max-breakpoints',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow more cache breakpoints in one request than the API accepts (4), including markers added per item in a loop',
      recommended: true,
    },
    messages: {
      tooMany:
        'This request has {{count}} cache breakpoints; the API allows at most {{max}} and rejects it with a 400. Remove this marker (and any after it) or merge cached blocks.',
      tooManyDropped:
        'This request has {{count}} cache breakpoints; the AI SDK keeps at most {{max}} block markers and drops this one with a warning, so what follows the last kept marker is not cached as intended. Remove this marker (and any after it) or merge cached blocks.',
      tooManyAdded:
        'This request can carry {{count}} cache breakpoints, up to {{added}} of them added by {{source}}; the API allows at most {{max}} and rejects it with a 400. Remove some markers or merge cached blocks.',
      tooManyAddedDropped:
        'This request can carry {{count}} cache breakpoints, up to {{added}} of them added by {{source}}; the AI SDK keeps at most {{max}} block markers and drops the others with a warning, so what follows the last kept marker is not cached as intended. Remove some markers or merge cached blocks.',
      unbounded:
        '{{marker}} is added {{by}}for every item of {{array}}: with more than {{max}} items the API rejects the request (400). Mark only the last item (or last few).',
      unboundedDropped:
        '{{marker}} is added {{by}}for every item of {{array}}: the AI SDK keeps only the first {{max}} block markers and drops the others with a warning, so the newest items are never cached. Mark only the last item (or last few).',
      perTurn:
        '{{marker}} is added to a new item of {{array}} on every turn of this loop and older markers are never removed: after {{max}} turns every request is rejected with a 400. Remove the previous marker when adding a new one{{automatic}}.',
      perTurnDropped:
        '{{marker}} is added to a new item of {{array}} on every turn of this loop and older markers are never removed: after {{max}} turns the AI SDK drops each new marker with a warning, so new turns are never cached. Remove the previous marker when adding a new one{{automatic}}.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          max: {
            type: 'integer',
            minimum: 1,
            description: 'Most cache breakpoints one request may carry, the top-level automatic `cache_control` included (the Anthropic API accepts 4).',
          },
        },
      },
    ],
    defaultOptions: [{ max: MAX_BREAKPOINTS }],
  },
  create(context, [options]) {
    const max = options.max ?? MAX_BREAKPOINTS;
    return {
      'Program:exit'() {
        const { sourceCode } = context;
        const { requests } = getFileAnalysis(sourceCode);
        if (requests.length === 0) return;
        const reported = new Set<TSESTree.Node>();
        const loops = getMarkerLoops(sourceCode);
        const helpers = getMarkerHelperCalls(sourceCode);
        const inline = getInlineMarkers(sourceCode);
        for (const request of requests) {
          const counted = request.breakpoints.filter(isCounted);
          if (counted.length > max) {
            const over = counted[max];
            if (reported.has(over.node)) continue;
            reported.add(over.node);
            // The AI SDK validates block markers itself and drops the extra ones; only a call-level (automatic)
            // marker over the limit reaches the API, which rejects it (400).
            const dropped = request.site.format === 'ai-sdk' && !over.automatic;
            context.report({ node: over.node, messageId: dropped ? 'tooManyDropped' : 'tooMany', data: { count: String(counted.length), max: String(max) } });
            continue;
          }
          const requestHelpers = helpers.filter((helper) => helper.request === request);
          const added = [
            ...requestHelpers.flatMap((helper): AddedMarkers[] => {
              const count = getBoundedMarkerCount(helper);
              return count > 0 ? [{ node: helper.call, source: helper.name, count, segments: helper.segments }] : [];
            }),
            ...loops.flatMap((loop) => (loop.request === request && !requestHelpers.some((helper) => helper.markers.some((marker) => marker.node === loop.node)) ? getLoopMarkers(loop, max, sourceCode) : [])),
            ...inline.flatMap(({ request: target, marker, segments }): AddedMarkers[] =>
              target === request && marker.certain && !marker.conditional ? [{ node: marker.node, source: 'this assignment', count: 1, segments }] : [],
            ),
          ];
          if (added.length === 0) continue;
          const total = countWithAdded(counted, added, request);
          if (total.count <= max) continue;
          const first = [...added].sort((a, b) => a.node.range[0] - b.node.range[0])[0];
          if (reported.has(first.node)) continue;
          reported.add(first.node);
          // Markers added to messages are block markers: past the limit the AI SDK drops them.
          const dropped = request.site.format === 'ai-sdk' && total.blocks > max;
          context.report({
            node: first.node,
            messageId: dropped ? 'tooManyAddedDropped' : 'tooManyAdded',
            data: { count: String(total.count), added: String(total.added), source: joinNames(added.map((a) => a.source)), max: String(max) },
          });
        }
        for (const loop of loops) {
          if (!loop.certain || loop.conditional || reported.has(loop.node)) continue;
          const count = getMarkerLoopCount(loop);
          if (count === undefined || (count !== null && count <= max)) continue;
          reported.add(loop.node);
          const iteration = getUnboundedIteration(loop) ?? loop.iterations[loop.iterations.length - 1];
          const perTurn = iteration.perTurn || (count !== null && loop.iterations.some((it) => it.perTurn));
          const aiSdk = loop.request.site.format === 'ai-sdk';
          const array = describeArray(perTurn ? loop.iterations.find((it) => it.perTurn)! : iteration, sourceCode);
          const marker = getMarkerName(loop.kind);
          if (perTurn) {
            context.report({ node: loop.node, messageId: aiSdk ? 'perTurnDropped' : 'perTurn', data: { marker, array, max: String(max), automatic: describeAutomatic(loop.request) } });
          } else {
            context.report({ node: loop.node, messageId: aiSdk ? 'unboundedDropped' : 'unbounded', data: { marker, by: '', array, max: String(max) } });
          }
        }
        for (const helper of helpers) {
          const marker = getUnboundedMarker(helper);
          if (!marker || reported.has(helper.call)) continue;
          // A helper of this file whose loop was reported at its marker above.
          if (helper.local && loops.some((loop) => loop.node === marker.node && reported.has(loop.node))) continue;
          reported.add(helper.call);
          context.report({
            node: helper.call,
            messageId: helper.request.site.format === 'ai-sdk' ? 'unboundedDropped' : 'unbounded',
            data: { marker: getMarkerName(marker.kind), by: `by ${helper.name} `, array: shorten(sourceCode.getText(helper.argument)), max: String(max) },
          });
        }
      },
    };
  },
});

/**
 * The markers a request can carry with the added ones: those written in it, plus each source's count; where
 * added markers may land on blocks that already carry a written marker (a helper marking the newest messages
 * of a literal that marks its last one), only the larger of the two counts there. `blocks`: without the
 * automatic marker (what the AI SDK's validator counts).
 */
function countWithAdded(counted: readonly Breakpoint[], added: readonly AddedMarkers[], request: PromptRequest): { count: number; added: number; blocks: number } {
  const shared = new Set<Segment>();
  for (const source of added) for (const segment of source.segments ?? []) shared.add(segment);
  const inside = counted.filter((breakpoint) => !breakpoint.automatic && shared.has(request.segments[breakpoint.segmentIndex]));
  const sum = added.reduce((total, source) => total + source.count, 0);
  const separate = added.filter((source) => !source.segments).reduce((total, source) => total + source.count, 0);
  const count = counted.length - inside.length + separate + Math.max(inside.length, sum - separate);
  const automatic = counted.some((breakpoint) => breakpoint.automatic) ? 1 : 0;
  return { count, added: sum, blocks: count - automatic };
}

/**
 * A loop of the request's own code that adds a bounded number of markers (`history.slice(-2).forEach(…)`, a
 * counter loop from the end), up to `max` on its own (more is reported at the loop): its count, and — for `x.cache_control = …` on the items of an array the request
 * sends — the segments it may share with markers written in the request.
 */
function getLoopMarkers(loop: MarkerLoop, max: number, sourceCode: Readonly<TSESLint.SourceCode>): AddedMarkers[] {
  const count = getMarkerLoopCount(loop);
  if (!loop.certain || typeof count !== 'number' || count === 0 || loop.iterations.some((iteration) => iteration.perTurn)) return [];
  // Over the limit on its own: reported as a loop marker (`unbounded`).
  if (count > max && !loop.conditional) return [];
  let segments: readonly Segment[] | null = null;
  if (loop.source === 'assignment') {
    // Items of an array the request sends: which section, if it can be told; else every written marker may be shared.
    segments = loop.request.segments;
    const roots = [(loop.node as TSESTree.AssignmentExpression).left, ...loop.iterations.map((iteration) => iteration.array)];
    for (const root of roots) {
      const id = root && getRootIdentifier(root);
      const variable = id && findVariable(sourceCode.getScope(id), id);
      const fed = variable ? getSegmentsFedBy(loop.request, variable, sourceCode) : null;
      if (fed) {
        segments = fed;
        break;
      }
    }
  }
  return [{ node: loop.node, source: 'this loop', count, segments }];
}

/** The identifier an expression chain starts from: `messages` of `messages[i].content.at(-1)`. */
function getRootIdentifier(node: TSESTree.Node): TSESTree.Identifier | null {
  let current = unwrapExpression(node);
  for (let depth = 0; depth < 20; depth++) {
    if (current.type === AST_NODE_TYPES.Identifier) return current;
    if (current.type === AST_NODE_TYPES.MemberExpression) current = unwrapExpression(current.object);
    else if (current.type === AST_NODE_TYPES.CallExpression) current = unwrapExpression(current.callee);
    else return null;
  }
  return null;
}

/** `a()`, `a() and b()`, `a(), b() and c()`, without repeats. */
function joinNames(names: readonly string[]): string {
  const unique = [...new Set(names)];
  return unique.length <= 1 ? (unique[0] ?? '') : `${unique.slice(0, -1).join(', ')} and ${unique[unique.length - 1]}`;
}

/** The automatic caching a request family offers, as a hint (none on Bedrock Converse). */
function describeAutomatic(request: PromptRequest): string {
  switch (request.site.format) {
    case 'converse':
      return '';
    case 'ai-sdk':
      return ', or use automatic caching (call-level providerOptions.anthropic.cacheControl)';
    case 'langchain':
      // ChatBedrockConverse: cache points, and no automatic caching on Bedrock.
      return getMarkerKind(request, request.breakpoints[0] ?? null) === 'cachePoint' ? '' : ', or use automatic caching (the cache_control call option)';
    default:
      return ', or use automatic caching (top-level cache_control)';
  }
}

/**
 * A marker that is certainly sent once: an object value (not `cond ? {...} : undefined`), not made per item of
 * a loop (those are checked as loops). `cond && {...}` and `...(cond && { cache_control })` are conditions even
 * when the evaluator folds them to the object.
 */
function isCounted(breakpoint: Breakpoint): boolean {
  if (!breakpoint.certain || breakpoint.repeated) return false;
  if (breakpoint.node.type === AST_NODE_TYPES.Property && isConditional(breakpoint.node.value as TSESTree.Node)) return false;
  return !isUnderCondition(breakpoint.node);
}

function isConditional(node: TSESTree.Node): boolean {
  const value = unwrapExpression(node);
  return value.type === AST_NODE_TYPES.LogicalExpression || value.type === AST_NODE_TYPES.ConditionalExpression;
}

/** The marker property sits in a branch of `?:` / `&&` inside its block literal (`...(last && { cache_control })`). */
function isUnderCondition(node: TSESTree.Node): boolean {
  let child = node;
  let parent = node.parent;
  while (parent) {
    switch (parent.type) {
      case AST_NODE_TYPES.ConditionalExpression:
        if (child !== parent.test) return true;
        break;
      case AST_NODE_TYPES.LogicalExpression:
        if (child === parent.right) return true;
        break;
      case AST_NODE_TYPES.ObjectExpression:
      case AST_NODE_TYPES.Property:
      case AST_NODE_TYPES.SpreadElement:
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
        break;
      default:
        return false;
    }
    child = parent;
    parent = parent.parent;
  }
  return false;
}

/** `history`, `messages.slice(1)`: the array the marker is made for, as written (shortened), or `this loop`. */
function describeArray(iteration: Iteration, sourceCode: Readonly<TSESLint.SourceCode>): string {
  return iteration.array ? shorten(sourceCode.getText(iteration.array)) : 'this loop';
}

/** An expression's text on one line, cut to {@link MAX_ARRAY_TEXT} characters. */
function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > MAX_ARRAY_TEXT ? `${line.slice(0, MAX_ARRAY_TEXT - 1)}…` : line;
}
