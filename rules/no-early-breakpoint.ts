import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { getStaticKey } from '../src/analysis/ast.js';
import { getMarkerKind, getMarkerName } from '../src/analysis/cache-control.js';
import type { Evaluator } from '../src/analysis/evaluate.js';
import { hasMarkersAddedAfter } from '../src/analysis/marker-helpers.js';
import { describeSegment, describeTokens, describeUncachedCost } from '../src/analysis/messages.js';
import { type PromptRequest, type Segment, estimateSegments, getFileAnalysis, getLastBreakpoint } from '../src/analysis/request.js';
import { type StableRun, createStabilityLookup, getStableRunAfter } from '../src/analysis/stable-run.js';
import { ESTIMATE_MARGIN } from '../src/analysis/tokens.js';
import { createRule } from '../src/create-rule.js';

type Options = [
  {
    minTokens?: number;
    checkEndOfPrompt?: boolean;
  },
];
type MessageIds = 'earlyBreakpoint' | 'moveBreakpoint';

/** Default of `minTokens`: about 1,000 characters of prose; below it the saving is small and the estimate's ±25% dominates. */
const DEFAULT_MIN_TOKENS = 256;

export default createRule<Options, MessageIds>({
  name: 'no-early-breakpoint',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow a last cache breakpoint that leaves stable prompt content after it uncached',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      earlyBreakpoint:
        '{{marker}} here leaves {{amount}} after it uncached ({{where}}), re-sent at full price on every request{{cost}}. Move the breakpoint to the last stable block.',
      moveBreakpoint: 'Move {{marker}} to the last stable block ({{target}}).',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          minTokens: {
            type: 'integer',
            minimum: 0,
            description: 'Smallest stable run (estimated tokens) after the last breakpoint worth a report.',
          },
          checkEndOfPrompt: {
            type: 'boolean',
            description: 'Also report when the stable content after the last breakpoint runs to the end of the prompt (nothing per-request follows).',
          },
        },
      },
    ],
    defaultOptions: [{ minTokens: DEFAULT_MIN_TOKENS, checkEndOfPrompt: true }],
  },
  create(context, [options]) {
    const minTokens = options.minTokens ?? DEFAULT_MIN_TOKENS;
    const checkEndOfPrompt = options.checkEndOfPrompt ?? true;
    return {
      'Program:exit'() {
        const { evaluator, requests } = getFileAnalysis(context.sourceCode);
        const reported = new Set<string>();
        for (const request of requests) {
          const run = getReportableRun(request, evaluator, minTokens, checkEndOfPrompt);
          if (!run || hasMarkersAddedAfter(request, run.breakpoint, context.sourceCode)) continue;
          const marker = getMarkerName(getMarkerKind(request, run.breakpoint));
          const node = run.breakpoint.node;
          const key = `${node.range[0]}:${node.range[1]}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const fix = getMoveFix(request, run, context.sourceCode);
          context.report({
            node,
            messageId: 'earlyBreakpoint',
            data: {
              marker,
              amount: describeAmount(run),
              where: describeWhere(run),
              cost: describeRunCost(request, run),
            },
            suggest: fix ? [{ messageId: 'moveBreakpoint', data: { marker, target: describeSegment(run.target) }, fix }] : [],
          });
        }
      },
    };
  },
});

/**
 * The stable run after the request's last breakpoint, when it is worth a report. Silent when:
 * token counting (never cached), unknown or spread request params, caching is automatic (its marker is at
 * the end), the breakpoint closes the newest turn of a conversation, anything up to the breakpoint is
 * per-request (the stable text after it could not be reused either), the run is too small, or the whole
 * prefix through the run is certainly below the model's minimum (nothing is cached either way).
 */
function getReportableRun(
  request: PromptRequest,
  evaluator: Evaluator,
  minTokens: number,
  checkEndOfPrompt: boolean,
): StableRun | null {
  const { site } = request;
  if (site.method === 'countTokens' || site.params.kind !== 'object' || site.params.partial) return null;
  if (request.automatic) return null;
  const last = getLastBreakpoint(request);
  if (!last || last.automatic) return null;
  const marked = request.segments[last.segmentIndex];
  if (!marked) return null;
  // The multi-turn pattern: the marker closes the newest turn of a growing conversation.
  if (marked.inLastMessage && request.segments.some((segment) => segment.index < marked.index && segment.section === 'messages' && segment.opaque)) return null;
  // A `system` that could not be laid out (an object, a function): the segments have a hole.
  if (evaluator.getProperty(site.params, 'system') && !request.segments.some((segment) => segment.section === 'system')) return null;

  const stabilityOf = createStabilityLookup(request);
  for (let i = 0; i <= last.segmentIndex; i++) if (stabilityOf(request.segments[i]) === 'per-request') return null;

  const run = getStableRunAfter(request, last, stabilityOf);
  if (!run) return null;
  if (!run.next && !checkEndOfPrompt) return null;
  if (run.estimate.tokens < minTokens && run.fileReads.length === 0) return null;
  if (isCertainlyBelowMinimum(request, run)) return null;
  return run;
}


/** The prefix through the run's target is, even counted generously, below the model's minimum cacheable length. */
function isCertainlyBelowMinimum(request: PromptRequest, run: StableRun): boolean {
  const model = request.model;
  if (!model?.info) return false;
  const { info } = model;
  const minimum = model.bedrock && info.bedrockMinCacheableTokens !== null ? info.bedrockMinCacheableTokens : info.minCacheableTokens;
  if (minimum === null) return false;
  const prefix = estimateSegments(request, 0, run.target.index);
  return prefix.complete && Math.ceil(prefix.tokens * (1 + 2 * ESTIMATE_MARGIN)) < minimum;
}

/** `~1,450 stable tokens`, `~1,450+ stable tokens`, or the file read when its size is all we do not know. */
function describeAmount(run: StableRun): string {
  if (run.estimate.tokens > 0) return `~${describeTokens(run.estimate)} stable tokens`;
  const label = run.fileReads[0]?.source?.label ?? 'a file read';
  return `stable text of unknown size (${label} at module level)`;
}

/** `system prompt, before the conversation history`, `system prompt to message 2, up to the end of the prompt`. */
function describeWhere(run: StableRun): string {
  const first = describeSegment(run.segments[0]);
  const last = describeSegment(run.target);
  const span = first === last ? first : `${first} to ${last}`;
  if (!run.next) return `${span}, up to the end of the prompt`;
  if (run.next.opaque && run.next.section === 'messages') return `${span}, before the conversation history`;
  return `${span}, before per-request content in ${withArticle(run.next)}`;
}

/** `the system prompt`, `the tool definitions`, `message 3`. */
function withArticle(segment: Segment): string {
  return segment.section === 'messages' ? describeSegment(segment) : `the ${describeSegment(segment)}`;
}

function describeRunCost(request: PromptRequest, run: StableRun): string {
  return describeUncachedCost(request, run.estimate);
}

/**
 * The suggestion: when the marked block and the run's last stable block are object literals in the same
 * array, move the `cache_control` property (its source text unchanged) from the first to the second.
 */
function getMoveFix(request: PromptRequest, run: StableRun, sourceCode: Readonly<TSESLint.SourceCode>): TSESLint.ReportFixFunction | null {
  const { breakpoint, target } = run;
  if (breakpoint.repeated) return null;
  const property = breakpoint.node;
  const from = request.segments[breakpoint.segmentIndex]?.node;
  const to = target.node;
  if (property.type !== AST_NODE_TYPES.Property || !from || from.type !== AST_NODE_TYPES.ObjectExpression || property.parent !== from) return null;
  if (to.type !== AST_NODE_TYPES.ObjectExpression || to === from || target.value?.kind !== 'object' || target.value.node !== to) return null;
  const array = from.parent;
  if (array?.type !== AST_NODE_TYPES.ArrayExpression || to.parent !== array || !array.elements.includes(from) || !array.elements.includes(to)) return null;
  // The moved key (`cache_control`, or `providerOptions` in the AI SDK) must not exist on the target already,
  // nor may the target spread unknown keys.
  const key = getStaticKey(property);
  if (key === null || to.properties.some((p) => p.type === AST_NODE_TYPES.SpreadElement || getStaticKey(p) === key)) return null;
  const removal = getRemovalRange(property, sourceCode);
  const insertion = getInsertion(to, sourceCode.getText(property), sourceCode);
  if (!removal || !insertion) return null;
  return (fixer) => [fixer.removeRange(removal), fixer.insertTextAfterRange(insertion.after, insertion.text)];
}

/** Range that removes `property` with its comma: its whole line(s) when it stands alone on them. */
function getRemovalRange(property: TSESTree.Property, sourceCode: Readonly<TSESLint.SourceCode>): [number, number] | null {
  const text = sourceCode.text;
  const before = sourceCode.getTokenBefore(property);
  const after = sourceCode.getTokenAfter(property);
  if (!before || !after) return null;
  const hasComma = after.value === ',';
  if (!hasComma && before.value !== ',') return null; // the only property: nothing sensible to leave behind
  const end = hasComma ? after.range[1] : property.range[1];
  let range: [number, number];
  const lineStart = text.lastIndexOf('\n', property.range[0] - 1) + 1;
  const newline = text.indexOf('\n', end);
  const ownLine =
    newline !== -1 &&
    before.loc.end.line < property.loc.start.line &&
    /^[ \t]*$/.test(text.slice(lineStart, property.range[0])) &&
    /^[ \t]*\r?$/.test(text.slice(end, newline));
  if (ownLine) {
    range = [lineStart, newline + 1];
  } else if (hasComma) {
    const next = sourceCode.getTokenAfter(after, { includeComments: true });
    if (next && next.loc.start.line === after.loc.end.line) range = [property.range[0], next.range[0]];
    else range = [before.range[1], after.range[1]];
  } else {
    range = [before.range[0], property.range[1]];
  }
  const inside = (r: readonly [number, number], outer: readonly [number, number]) => r[0] >= outer[0] && r[1] <= outer[1];
  const stray = sourceCode.getAllComments().some((comment) => inside(comment.range, range) && !inside(comment.range, property.range));
  return stray ? null : range;
}

/** Where and what to insert to add `propertyText` as the last property of `object`. */
function getInsertion(
  object: TSESTree.ObjectExpression,
  propertyText: string,
  sourceCode: Readonly<TSESLint.SourceCode>,
): { after: [number, number]; text: string } | null {
  const last = object.properties[object.properties.length - 1];
  if (!last) return null;
  const closing = sourceCode.getLastToken(object);
  const comma = sourceCode.getTokenAfter(last);
  if (!closing || !comma) return null;
  const trailingComma = comma.value === ',';
  if (closing.loc.start.line === last.loc.end.line) return { after: last.range, text: `, ${propertyText}` };
  const text = sourceCode.text;
  const lineStart = text.lastIndexOf('\n', last.range[0] - 1) + 1;
  const lead = text.slice(lineStart, last.range[0]);
  const indent = /^[ \t]*$/.test(lead) ? lead : '';
  if (trailingComma) return { after: comma.range, text: `\n${indent}${propertyText},` };
  return { after: last.range, text: `,\n${indent}${propertyText}` };
}
