import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { unwrapExpression } from '../src/analysis/ast.js';
import { getVolatileCacheKey, iterateVolatileBeforeStable } from '../src/analysis/automatic-prefix.js';
import {
  DEFAULT_SYSTEM_PROMPT_NAMES,
  type ImplicitPrompt,
  ImplicitPromptCollector,
  compilePromptNames,
  iterateVolatileInImplicitPrompts,
  mayContainSystemPrompt,
  promptCandidateTypes,
} from '../src/analysis/implicit-prompts.js';
import { describeCost, describeSegment, describeTokens } from '../src/analysis/messages.js';
import { type VolatileFinding, iterateVolatileInPrefix } from '../src/analysis/prefix.js';
import { getFileAnalysis } from '../src/analysis/request.js';
import { FREQUENCY_WORDING, REPORTABLE_FREQUENCIES, type ReportableFrequency } from '../src/analysis/volatility.js';
import { createRule, extendRuleScope } from '../src/create-rule.js';

type Options = [
  {
    volatileCalls?: string[];
    userObjects?: string[];
    ignoreFrequencies?: ReportableFrequency[];
    systemPromptNames?: string[];
  },
];
type MessageIds = 'volatileInPrefix' | 'moveAfterBreakpoint' | 'volatileBeforeStable' | 'volatileCacheKey' | 'volatileInSystemPrompt';

const NAME = 'no-volatile-in-prefix';

/** Compiled name sets, per option array (options objects are reused by ESLint for every file). */
const compiledNames = new WeakMap<readonly string[], ReturnType<typeof compilePromptNames>>();
function promptNames(names: readonly string[] = DEFAULT_SYSTEM_PROMPT_NAMES): ReturnType<typeof compilePromptNames> {
  let compiled = compiledNames.get(names);
  if (!compiled) {
    compiled = compilePromptNames(names);
    compiledNames.set(names, compiled);
  }
  return compiled;
}

// System prompts are read in files that make no request themselves (the request is in another module).
extendRuleScope<Options>(NAME, (text, [options]) => mayContainSystemPrompt(text, promptNames(options?.systemPromptNames)));

export default createRule<Options, MessageIds>({
  name: NAME,
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow values that change per request, per user or over time in the cached prompt prefix',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      volatileInPrefix:
        '{{value}} {{frequency}} but sits in the cached prefix ({{where}}): each change rewrites ~{{tokens}} cached tokens instead of reading them{{cost}}. Move it after the last cache_control breakpoint, or make it stable.',
      moveAfterBreakpoint: 'Move {{value}} into its own text block after the cache_control breakpoint.',
      volatileBeforeStable:
        '{{value}} {{frequency}} but comes before ~{{tokens}} tokens of stable text ({{where}}): {{provider}} caches prompt prefixes of 1,024+ tokens automatically, so each change costs that text its cache hit. Move it after the stable text (for example into the user message).',
      volatileInSystemPrompt:
        '{{value}} {{frequency}} but is part of a system prompt ({{prompt}}): system prompts are cached as the start of each request, automatically or by cache markers added where the prompt is sent, so each change rewrites ~{{tokens}} tokens instead of reading them. Move it into the newest user message, or compute it once per session.',
      volatileCacheKey:
        'prompt_cache_key uses {{value}}, which {{frequency}}: requests are routed to a cache by this key, so a new key per request never hits the cache. Use a stable key per prompt family (a feature name, or a tenant or user id).',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          volatileCalls: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description: 'Extra function names whose results change on every request (`getNow`, `clock.now`), for calls the analysis cannot follow.',
          },
          userObjects: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description: 'Extra names of objects holding per-user data (`visitor`, `principal`), in addition to user, session, customer, account, tenant, profile, req and request.',
          },
          ignoreFrequencies: {
            type: 'array',
            items: { type: 'string', enum: [...REPORTABLE_FREQUENCIES] },
            uniqueItems: true,
            description: 'Frequencies not to report: `request`, `second`, `minute`, `hour`, `day`, `user`.',
          },
          systemPromptNames: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description:
              'Names that mark text as a system prompt even where no request or cache marker is visible: variables, options and properties with these names, and functions named like them with a verb (`buildSystemPrompt`). Case, and `_`, `-` or `$` between words, are ignored. One-word names such as `instructions` count only in LLM code (files that call a supported API or import an LLM SDK or agent framework). `[]` turns this off.',
          },
        },
      },
    ],
    defaultOptions: [{ volatileCalls: [], userObjects: [], ignoreFrequencies: [], systemPromptNames: DEFAULT_SYSTEM_PROMPT_NAMES }],
  },
  create(context, [options]) {
    const ignore = new Set(options.ignoreFrequencies ?? []);
    const volatility = { volatileCalls: options.volatileCalls ?? [], userObjects: options.userObjects ?? [] };
    const names = promptNames(options.systemPromptNames);
    // System prompts without a visible request: candidate nodes are collected during the traversal.
    const collector = names.names.size > 0 && mayContainSystemPrompt(context.sourceCode.text, names) ? new ImplicitPromptCollector(names) : null;
    const candidateListeners = collector ? Object.fromEntries(promptCandidateTypes(context.sourceCode.text).map((type) => [type, collector.visit])) : {};
    return {
      ...candidateListeners,
      'Program:exit'() {
        const analysis = getFileAnalysis(context.sourceCode);
        const { requests, evaluator } = analysis;
        const reported = new Set<string>();
        const once = (node: TSESTree.Node, label: string): boolean => {
          const key = `${node.range[0]}:${node.range[1]}:${label}`;
          if (reported.has(key)) return false;
          reported.add(key);
          return true;
        };
        for (const request of requests) {
          for (const finding of iterateVolatileBeforeStable(request, volatility)) {
            if (ignore.has(finding.frequency) || !once(finding.reportNode, finding.label)) continue;
            context.report({
              node: finding.reportNode,
              messageId: 'volatileBeforeStable',
              data: {
                value: finding.label,
                frequency: FREQUENCY_WORDING[finding.frequency],
                tokens: describeTokens(finding.tail),
                where: describeSegment(finding.segment),
                provider: 'OpenAI',
              },
            });
          }
          const cacheKey = getVolatileCacheKey(request, evaluator, volatility);
          if (cacheKey && !ignore.has(cacheKey.frequency) && once(cacheKey.node, cacheKey.label)) {
            context.report({
              node: cacheKey.node,
              messageId: 'volatileCacheKey',
              data: { value: cacheKey.label, frequency: FREQUENCY_WORDING[cacheKey.frequency] },
            });
          }
          for (const finding of iterateVolatileInPrefix(request, volatility)) {
            if (ignore.has(finding.frequency) || !once(finding.reportNode, finding.label)) continue;
            const fix = getMoveFix(finding, context.sourceCode);
            context.report({
              node: finding.reportNode,
              messageId: 'volatileInPrefix',
              data: {
                value: finding.label,
                frequency: FREQUENCY_WORDING[finding.frequency],
                where: describeSegment(finding.segment),
                tokens: describeTokens(finding.invalidated),
                cost: describeCost(request, finding.invalidated, finding.breakpoint, finding.frequency),
              },
              suggest: fix ? [{ messageId: 'moveAfterBreakpoint', data: { value: finding.label }, fix }] : [],
            });
          }
        }
        if (!collector) return;
        for (const finding of iterateVolatileInImplicitPrompts(collector.prompts(context.sourceCode, analysis), analysis, volatility)) {
          if (ignore.has(finding.frequency) || !once(finding.reportNode, finding.label)) continue;
          context.report({
            node: finding.reportNode,
            messageId: 'volatileInSystemPrompt',
            data: {
              value: finding.label,
              frequency: FREQUENCY_WORDING[finding.frequency],
              prompt: describePrompt(finding.prompt),
              tokens: describeTokens(finding.tokens),
            },
          });
        }
      },
    };
  },
});

/** `systemPrompt`, `returned by buildSystemPrompt()`, `passed as instructions`, `in a system message`. */
function describePrompt(prompt: ImplicitPrompt): string {
  switch (prompt.kind) {
    case 'variable':
      return prompt.name;
    case 'function':
      return `returned by ${prompt.name}`;
    case 'property':
      return `passed as ${prompt.name}`;
    case 'message':
      return `in a ${prompt.name}`;
  }
}

/**
 * The mechanical fix: the value is interpolated into the template literal that is the `text` of the block
 * holding the last breakpoint (an object literal in an array literal). Split the template there: the stable
 * head keeps the marker, the rest moves into a new text block right after it, past the breakpoint.
 */
function getMoveFix(finding: VolatileFinding, sourceCode: Readonly<TSESLint.SourceCode>): TSESLint.ReportFixFunction | null {
  const { segment, breakpoint } = finding;
  // The new block is written in the Messages API shape (`{ type: 'text', text }`), which LangChain's
  // ChatAnthropic blocks share; Converse and the AI SDK use other shapes.
  const { format, platform } = finding.request.site;
  if (!(format === 'anthropic' || (format === 'langchain' && platform !== 'bedrock'))) return null;
  if (breakpoint.automatic || breakpoint.segmentIndex !== segment.index || segment.kind !== 'text' || !segment.textNode) return null;
  const block = segment.node;
  if (block.type !== AST_NODE_TYPES.ObjectExpression || block.parent?.type !== AST_NODE_TYPES.ArrayExpression) return null;
  const textProperty = block.properties.find(
    (p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === 'text',
  );
  if (!textProperty) return null;
  const template = unwrapExpression(textProperty.value);
  if (template.type !== AST_NODE_TYPES.TemplateLiteral || template !== textProperty.value) return null;
  const entry = finding.entryNode;
  const index = template.expressions.findIndex((expression) => expression.range[0] <= entry.range[0] && entry.range[1] <= expression.range[1]);
  if (index === -1) return null;
  const text = sourceCode.text;
  const splitAt = template.quasis[index].range[1] - 2; // the `${` that opens the expression
  const headBody = text.slice(template.range[0] + 1, splitAt);
  if (headBody.trim() === '') return null;
  const head = `\`${headBody}\``;
  const tail = `\`${text.slice(splitAt, template.range[1])}`;
  const typeProperty = block.properties.find(
    (p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === 'type',
  );
  const quote = typeProperty && typeProperty.value.type === AST_NODE_TYPES.Literal ? typeProperty.value.raw[0] : "'";
  return (fixer) => [fixer.replaceText(template, head), fixer.insertTextAfter(block, `, { type: ${quote}text${quote}, text: ${tail} }`)];
}
