import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { unwrapExpression } from '../src/analysis/ast.js';
import { type Iteration, getMarkerLoopCount, getMarkerLoops, getUnboundedIteration } from '../src/analysis/marker-loops.js';
import { MAX_BREAKPOINTS } from '../src/analysis/models.js';
import { type Breakpoint, getFileAnalysis } from '../src/analysis/request.js';
import { createRule } from '../src/create-rule.js';

type Options = [{ max?: number }];
type MessageIds = 'tooMany' | 'tooManyDropped' | 'unbounded' | 'perTurn';

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
      unbounded:
        'cache_control is added for every item of {{array}}: with more than {{max}} items the API rejects the request (400). Mark only the last item (or last few).',
      perTurn:
        'cache_control is added to a new item of {{array}} on every turn of this loop and older markers are never removed: after {{max}} turns every request is rejected with a 400. Remove the previous marker when adding a new one, or use automatic caching (top-level cache_control).',
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
        const { requests } = getFileAnalysis(context.sourceCode);
        if (requests.length === 0) return;
        const reported = new Set<TSESTree.Node>();
        for (const request of requests) {
          const counted = request.breakpoints.filter(isCounted);
          if (counted.length <= max) continue;
          const over = counted[max];
          if (reported.has(over.node)) continue;
          reported.add(over.node);
          // The AI SDK validates block markers itself and drops the extra ones; only a call-level (automatic)
          // marker over the limit reaches the API, which rejects it (400).
          const dropped = request.site.format === 'ai-sdk' && !over.automatic;
          context.report({ node: over.node, messageId: dropped ? 'tooManyDropped' : 'tooMany', data: { count: String(counted.length), max: String(max) } });
        }
        for (const loop of getMarkerLoops(context.sourceCode)) {
          if (!loop.certain || loop.conditional || reported.has(loop.node)) continue;
          const count = getMarkerLoopCount(loop);
          if (count === undefined || (count !== null && count <= max)) continue;
          reported.add(loop.node);
          const iteration = getUnboundedIteration(loop) ?? loop.iterations[loop.iterations.length - 1];
          const perTurn = iteration.perTurn || (count !== null && loop.iterations.some((it) => it.perTurn));
          context.report({
            node: loop.node,
            messageId: perTurn ? 'perTurn' : 'unbounded',
            data: { array: describeArray(perTurn ? loop.iterations.find((it) => it.perTurn)! : iteration, context.sourceCode), max: String(max) },
          });
        }
      },
    };
  },
});

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
  if (!iteration.array) return 'this loop';
  const text = sourceCode.getText(iteration.array).replace(/\s+/g, ' ');
  return text.length > MAX_ARRAY_TEXT ? `${text.slice(0, MAX_ARRAY_TEXT - 1)}…` : text;
}
