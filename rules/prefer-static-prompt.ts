import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import { describeSegment, describeTokens } from '../src/analysis/messages.js';
import { getModuleHoist } from '../src/analysis/module-hoist.js';
import { type RebuiltText, PATH_HELPERS, isStablePart, iteratePerRequestFileReads, iterateRebuiltText } from '../src/analysis/rebuilt-text.js';
import { type PromptRequest, type Segment, estimateSegments, getFileAnalysis } from '../src/analysis/request.js';
import { createRule } from '../src/create-rule.js';

type Options = [
  {
    checkFileReads?: boolean;
    treatImportsAsConstants?: boolean;
  },
];
type MessageIds = 'rebuiltPrompt' | 'fileReadPerRequest' | 'hoistToModule';

export default createRule<Options, MessageIds>({
  name: 'prefer-static-prompt',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Enforce building cached prompt text from constants once, at module level, instead of on every request',
      recommended: false,
    },
    hasSuggestions: true,
    messages: {
      rebuiltPrompt:
        '{{what}} rebuilds cached prompt text ({{where}}, ~{{tokens}} tokens) on every request, though it only combines module-level constants. Hoist it to module scope (`const {{name}} = …` at top level) so its bytes are computed once and cannot drift between calls.',
      fileReadPerRequest:
        '{{call}} reads cached prompt text ({{where}}) from disk on every request: one more disk read per call, and an edit to the file changes the cached prefix between calls. Read it once at module level (`const {{name}} = readFileSync(…)` at top level).',
      hoistToModule: 'Move `const {{name}}` to module scope.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          checkFileReads: {
            type: 'boolean',
            description: 'Also report prompt files read (`readFileSync`, `fs.promises.readFile`) inside the function that makes the request.',
          },
          treatImportsAsConstants: {
            type: 'boolean',
            description: 'Treat names imported with `import` (and their members) as module-level constants, so text built from them is reported too.',
          },
        },
      },
    ],
    defaultOptions: [{ checkFileReads: true, treatImportsAsConstants: false }],
  },
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    const checkFileReads = options.checkFileReads !== false;
    const importsAreConstant = options.treatImportsAsConstants === true;

    return {
      'Program:exit'() {
        const { evaluator, requests } = getFileAnalysis(sourceCode);
        const reported = new Set<TSESTree.Node>();
        for (const request of requests) {
          for (const finding of iterateRebuiltText(request, sourceCode, (part) => isStablePart(part, request, sourceCode, importsAreConstant))) {
            if (reported.has(finding.node)) continue;
            reported.add(finding.node);
            const hoist = getModuleHoist(sourceCode, finding.node, () => false);
            context.report({
              node: finding.node,
              messageId: 'rebuiltPrompt',
              data: {
                what: describeConstruction(finding),
                where: describeSegment(finding.segment),
                tokens: segmentTokens(request, finding.segment),
                name: hoist?.name ?? getDeclaredName(finding.node) ?? defaultName(finding.segment),
              },
              suggest: hoist ? [{ messageId: 'hoistToModule', data: { name: hoist.name }, fix: hoist.fix }] : [],
            });
          }
          if (!checkFileReads) continue;
          for (const read of iteratePerRequestFileReads(request, sourceCode, evaluator)) {
            if (reported.has(read.node)) continue;
            reported.add(read.node);
            const hoist = read.sync ? getModuleHoist(sourceCode, outermostText(read.node), (call) => call === read.node || isPathHelper(call)) : null;
            context.report({
              node: read.node,
              messageId: 'fileReadPerRequest',
              data: {
                call: read.label,
                where: describeSegment(read.segment),
                name: hoist?.name ?? getDeclaredName(read.node) ?? defaultName(read.segment),
              },
              suggest: hoist ? [{ messageId: 'hoistToModule', data: { name: hoist.name }, fix: hoist.fix }] : [],
            });
          }
        }
      },
    };
  },
});

/** `This template literal`, `This \`+\` concatenation`, …: what the report points at. */
function describeConstruction(finding: RebuiltText): string {
  switch (finding.kind) {
    case 'template':
      return 'This template literal';
    case 'concatenation':
      return 'This `+` concatenation';
    case 'join':
      return 'This `.join()`';
    case 'concat':
      return 'This `.concat()`';
    case 'method':
      return `This \`.${finding.method ?? 'replace'}()\` call`;
    case 'builder':
      return `This call of \`${finding.method ?? 'the builder'}()\``;
  }
}

function segmentTokens(request: PromptRequest, segment: Segment): string {
  return describeTokens(estimateSegments(request, segment.index, segment.index));
}

function defaultName(segment: Segment): string {
  return segment.section === 'system' ? 'SYSTEM_PROMPT' : 'PROMPT_TEXT';
}

/** `readFileSync(p, 'utf8').trim()` → the whole chain: the expression a `const` would be initialized with. */
function outermostText(call: TSESTree.Node): TSESTree.Node {
  let current = call;
  while (
    current.parent?.type === AST_NODE_TYPES.MemberExpression &&
    current.parent.object === current &&
    current.parent.parent?.type === AST_NODE_TYPES.CallExpression &&
    current.parent.parent.callee === current.parent
  ) {
    current = current.parent.parent;
  }
  return current;
}

/** `x` when `node` initializes `const x` (through `await`, `as`, `.trim()`), else null. */
function getDeclaredName(node: TSESTree.Node): string | null {
  let current = outermostText(node);
  while (
    current.parent &&
    (current.parent.type === AST_NODE_TYPES.AwaitExpression ||
      current.parent.type === AST_NODE_TYPES.TSAsExpression ||
      current.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      current.parent.type === AST_NODE_TYPES.TSNonNullExpression)
  ) {
    current = outermostText(current.parent);
  }
  const parent = current.parent;
  return parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === current && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id.name : null;
}

function isPathHelper(call: TSESTree.CallExpression): boolean {
  const callee = call.callee;
  const name =
    callee.type === AST_NODE_TYPES.Identifier
      ? callee.name
      : callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier
        ? callee.property.name
        : null;
  return name !== null && PATH_HELPERS.has(name) && name !== 'cwd';
}
