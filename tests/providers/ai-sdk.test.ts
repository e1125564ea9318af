import tsParser from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import maxBreakpoints from '../../rules/max-breakpoints.js';
import minCacheableSize from '../../rules/min-cacheable-size.js';
import noEarlyBreakpoint from '../../rules/no-early-breakpoint.js';
import noVolatileInPrefix from '../../rules/no-volatile-in-prefix.js';
import { getFileAnalysis } from '../../src/analysis/request.js';
import { filler, jsRuleTester, ruleTester } from '../rules/utils.js';

// Vercel AI SDK (`ai` 6 with `@ai-sdk/anthropic` 3 / `@ai-sdk/amazon-bedrock`): markers live in
// `providerOptions.anthropic.cacheControl` (messages, parts, tools, system messages; call level = automatic
// caching) or, for Bedrock Converse models, `providerOptions.bedrock.cachePoint`.

/** Line 1–2: the AI SDK and the Anthropic provider. */
const IMPORTS = "import { generateText, streamText, tool, ToolLoopAgent } from 'ai';\nimport { anthropic } from '@ai-sdk/anthropic';\n";
const CACHED = "{ anthropic: { cacheControl: { type: 'ephemeral' } } }";

/**
 * A cached system message (object form) whose content is `content`; the user's question follows.
 * Line 5 holds the system message (its marker starts at the `cacheControl` key).
 */
function cachedSystem(content: string, model = "anthropic('claude-sonnet-4-5')", imports = IMPORTS): string {
  return `${imports}export async function ask(question: string) {
  return generateText({
    model: ${model},
    system: { role: 'system', content: ${content}, providerOptions: ${CACHED} },
    prompt: question,
  });
}`;
}

/** claude-sonnet-4-5: $3/MTok, a miss costs (1.25 − 0.1) × $3 per MTok. */
const volatile = (value: string, frequency: string, tokens: string, cost: string, where = 'system prompt') => ({ value, frequency, where, tokens, cost });

ruleTester.run('ai-sdk: no-volatile-in-prefix', noVolatileInPrefix, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'the same call without any marker',
      code: `${IMPORTS}export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  system: \`You are helpful. Today is \${new Date().toISOString()}\`,
  prompt: question,
});`,
    },
    {
      name: 'volatile value after the marker (in the user prompt)',
      code: `${IMPORTS}export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  system: { role: 'system', content: 'You are helpful.', providerOptions: ${CACHED} },
  prompt: \`\${question} (asked at \${new Date().toISOString()})\`,
});`,
    },
    {
      name: 'an unrelated generateText not imported from ai',
      code: cachedSystem('`Today is ${new Date().toISOString()}`', "anthropic('claude-sonnet-4-5')", "import { tool } from 'ai';\nimport { anthropic } from '@ai-sdk/anthropic';\nimport { generateText } from './local-llm';\n"),
    },
    {
      name: 'a local function named generateText',
      code: `import 'ai';
import { anthropic } from '@ai-sdk/anthropic';
function generateText(options: object) { return options; }
export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  system: { role: 'system', content: \`Now: \${Date.now()}\`, providerOptions: ${CACHED} },
  prompt: question,
});`,
    },
    {
      name: 'an OpenAI model: Anthropic markers do not apply',
      code: cachedSystem('`Today is ${new Date().toISOString()}`', "openai('gpt-5')", `${IMPORTS}import { openai } from '@ai-sdk/openai';\n`),
    },
    {
      name: 'a gateway id of another provider',
      code: cachedSystem('`Today is ${new Date().toISOString()}`', "'openai/gpt-5'"),
    },
    {
      name: 'a Bedrock Converse model ignores providerOptions.anthropic',
      code: cachedSystem('`Today is ${new Date().toISOString()}`', "bedrock('anthropic.claude-sonnet-4-5-20250929-v1:0')", `${IMPORTS}import { bedrock } from '@ai-sdk/amazon-bedrock';\n`),
    },
    {
      name: 'an Anthropic model ignores Bedrock cachePoint markers',
      code: `${IMPORTS}export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  system: { role: 'system', content: \`Now: \${Date.now()}\`, providerOptions: { bedrock: { cachePoint: { type: 'default' } } } },
  prompt: question,
});`,
    },
    {
      name: 'a marker under another provider namespace',
      code: `${IMPORTS}export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  system: { role: 'system', content: \`Now: \${Date.now()}\`, providerOptions: { openai: { cacheControl: { type: 'ephemeral' } } } },
  prompt: question,
});`,
    },
    {
      name: 'agent instructions built once at module level',
      code: `${IMPORTS}const agent = new ToolLoopAgent({
  model: anthropic('claude-sonnet-4-5'),
  instructions: { role: 'system', content: \`Deployed \${new Date().toISOString()}\`, providerOptions: ${CACHED} },
});
export const ask = (question: string) => agent.generate({ prompt: question });`,
    },
    {
      name: 'the newest turn after the history (multi-turn pattern)',
      code: `${IMPORTS}export const ask = (question: string, history: any[]) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  messages: [
    ...history,
    { role: 'user', content: \`\${question} at \${Date.now()}\`, providerOptions: ${CACHED} },
  ],
});`,
    },
  ],
  invalid: [
    {
      name: 'volatile date in a cached system message',
      code: cachedSystem('`You are helpful. Today is ${new Date().toISOString()}`'),
      errors: [{ messageId: 'volatileInPrefix', data: volatile('new Date().toISOString()', 'changes on every request', '17', '; about $0.000059 extra per request on claude-sonnet-4-5 ($0.059 per 1,000 requests)'), line: 6, column: 69, endLine: 6, endColumn: 79 }],
    },
    {
      name: 'volatile id in a cached user text part',
      code: `${IMPORTS}export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  messages: [{ role: 'user', content: [
    { type: 'text', text: \`Request \${crypto.randomUUID()}\`, providerOptions: ${CACHED} },
    { type: 'text', text: question },
  ] }],
});`,
      errors: [{ messageId: 'volatileInPrefix', data: volatile('crypto.randomUUID()', 'changes on every request', '12', '; about $0.000041 extra per request on claude-sonnet-4-5 ($0.041 per 1,000 requests)', 'message 1'), line: 6, column: 38, endLine: 6, endColumn: 57 }],
    },
    {
      name: 'a message-level marker closes the last part: volatile in an earlier part',
      code: `${IMPORTS}export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  messages: [
    { role: 'user', content: [{ type: 'text', text: \`Now: \${Date.now()}\` }, { type: 'text', text: 'Answer briefly.' }], providerOptions: ${CACHED} },
    { role: 'assistant', content: 'OK.' },
    { role: 'user', content: question },
  ],
});`,
      errors: [{ messageId: 'volatileInPrefix', data: volatile('Date.now()', 'changes on every request', '16', '; about $0.000055 extra per request on claude-sonnet-4-5 ($0.055 per 1,000 requests)', 'message 1'), line: 6, column: 61, endLine: 6, endColumn: 71 }],
    },
    {
      name: 'call-level cacheControl is automatic caching of the whole prompt',
      code: `${IMPORTS}export const ask = (question: string) => streamText({
  model: anthropic('claude-sonnet-4-5'),
  system: \`Today is \${new Date().toISOString()}.\`,
  prompt: question,
  providerOptions: ${CACHED},
});`,
      errors: [{ messageId: 'volatileInPrefix', data: volatile('new Date().toISOString()', 'changes on every request', '13+', '; at least $0.000045 extra per request on claude-sonnet-4-5 ($0.045 per 1,000 requests)'), line: 5, column: 23, endLine: 5, endColumn: 33 }],
    },
    {
      name: 'a cached tool whose description changes daily',
      code: `${IMPORTS}export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  tools: {
    search: tool({
      description: \`Search the catalogue as of \${new Date().toDateString()}\`,
      inputSchema: { type: 'object' },
      providerOptions: ${CACHED},
    }),
  },
  prompt: question,
});`,
      errors: [{ messageId: 'volatileInPrefix', data: volatile('new Date().toDateString()', 'changes daily', '34', '; about $0.00012 extra on claude-sonnet-4-5 each time it changes', 'tool definitions'), line: 7, column: 50, endLine: 7, endColumn: 60 }],
    },
    {
      name: 'Bedrock cachePoint on a system message',
      code: `import { generateText } from 'ai';
import { bedrock } from '@ai-sdk/amazon-bedrock';
export const ask = (question: string) => generateText({
  model: bedrock('us.anthropic.claude-sonnet-4-5-20250929-v1:0'),
  system: { role: 'system', content: \`Now: \${Date.now()}\`, providerOptions: { bedrock: { cachePoint: { type: 'default' } } } },
  prompt: question,
});`,
      errors: [{ messageId: 'volatileInPrefix', data: volatile('Date.now()', 'changes on every request', '12', '; about $0.000041 extra per request on us.anthropic.claude-sonnet-4-5-20250929-v1:0 ($0.041 per 1,000 requests)'), line: 5, column: 46, endLine: 5, endColumn: 56 }],
    },
    {
      name: 'agent built per request with per-user instructions',
      code: `${IMPORTS}export async function handle(user: { name: string }, question: string) {
  const agent = new ToolLoopAgent({
    model: anthropic.messages('claude-sonnet-4-5'),
    instructions: [{ role: 'system', content: \`You help \${user.name}.\`, providerOptions: ${CACHED} }],
  });
  return agent.stream({ prompt: question });
}`,
      errors: [{ messageId: 'volatileInPrefix', data: volatile('user.name', 'differs per user or session', '3+', '; at least $0.000010 extra on claude-sonnet-4-5 each time it changes'), line: 6, column: 59, endLine: 6, endColumn: 68 }],
    },
    {
      name: 'the older experimental_providerMetadata spelling',
      code: `${IMPORTS}export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  messages: [
    { role: 'system', content: \`Now: \${Date.now()}\`, experimental_providerMetadata: ${CACHED} },
    { role: 'user', content: question },
  ],
});`,
      errors: [{ messageId: 'volatileInPrefix', data: volatile('Date.now()', 'changes on every request', '12', '; about $0.000041 extra per request on claude-sonnet-4-5 ($0.041 per 1,000 requests)'), line: 6, column: 40, endLine: 6, endColumn: 50 }],
    },
  ],
});

jsRuleTester.run('ai-sdk (plain JS): no-volatile-in-prefix', noVolatileInPrefix, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'JS: require of another package named like the SDK function',
      code: `const { streamText } = require('./ai');
const { anthropic } = require('@ai-sdk/anthropic');
exports.ask = (question) => streamText({
  model: anthropic('claude-sonnet-4-5'),
  system: { role: 'system', content: 'Now: ' + Date.now(), providerOptions: ${CACHED} },
  prompt: question,
});`,
    },
  ],
  invalid: [
    {
      name: 'JS: require(\'ai\') with a cached system message',
      code: `const { streamText } = require('ai');
const { anthropic } = require('@ai-sdk/anthropic');
exports.ask = (question) => streamText({
  model: anthropic('claude-sonnet-4-5'),
  system: { role: 'system', content: 'Now: ' + Date.now(), providerOptions: ${CACHED} },
  prompt: question,
});`,
      errors: [{ messageId: 'volatileInPrefix', data: volatile('Date.now()', 'changes on every request', '12', '; about $0.000041 extra per request on claude-sonnet-4-5 ($0.041 per 1,000 requests)'), line: 5, column: 48, endLine: 5, endColumn: 58 }],
    },
  ],
});

/** `n` cached text parts in one user message, then the question (line 6 onwards: one part per line). */
function markedParts(n: number, callLevel = false): string {
  const parts = Array.from({ length: n }, (_, i) => `    { type: 'text', text: 'Part ${i + 1}.', providerOptions: ${CACHED} },`).join('\n');
  return `${IMPORTS}export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  messages: [{ role: 'user', content: [
${parts}
    { type: 'text', text: question },
  ] }],${callLevel ? `\n  providerOptions: ${CACHED},` : ''}
});`;
}

ruleTester.run('ai-sdk: max-breakpoints', maxBreakpoints, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    { name: 'four markers', code: markedParts(4) },
    { name: 'three markers and call-level automatic caching', code: markedParts(3, true) },
    {
      name: 'a conditional marker is not counted',
      code: markedParts(4).replace("{ type: 'text', text: question }", `{ type: 'text', text: question, providerOptions: question.length > 9 ? ${CACHED} : undefined }`),
    },
  ],
  invalid: [
    {
      // The SDK's validator keeps 4 block markers and drops the 5th with a warning (no 400).
      name: 'five block markers',
      code: markedParts(5),
      errors: [{ messageId: 'tooManyDropped', data: { count: '5', max: '4' }, line: 10, column: 70, endLine: 10, endColumn: 105 }],
    },
    {
      // The SDK's own check counts only block markers, so this request passes it and gets a 400 from the API.
      name: 'four block markers plus call-level automatic caching',
      code: markedParts(4, true),
      errors: [{ messageId: 'tooMany', data: { count: '5', max: '4' }, line: 12, column: 35, endLine: 12, endColumn: 70 }],
    },
  ],
});

const min = (tokens: string, upperBound: string, minimum: string, model: string) => ({
  marker: 'This cache_control marker',
  tokens,
  upperBound,
  minimum,
  model,
  source: '',
  others: '',
});

ruleTester.run('ai-sdk: min-cacheable-size', minCacheableSize, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    { name: 'a cached system prompt above the minimum', code: `const GUIDE = '${filler(2000)}';\n${cachedSystem('GUIDE')}` },
    { name: 'a tiny cached prompt with a model passed in (unknown minimum)', code: cachedSystem("'You are helpful.'", 'model').replace('(question: string)', '(question: string, model: any)') },
  ],
  invalid: [
    {
      name: 'a tiny cached system prompt on claude-sonnet-4-5',
      code: cachedSystem("'You are a support bot.'"),
      errors: [{ messageId: 'belowMinimum', data: min('6', '14', '1,024', 'claude-sonnet-4-5'), line: 6, column: 98, endLine: 6, endColumn: 133 }],
    },
    {
      name: 'a shared marker constant is reported on the block that uses it',
      code: `${IMPORTS}const cached = ${CACHED};
export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  messages: [{ role: 'user', content: 'Hello, I have a question.', providerOptions: cached }, { role: 'assistant', content: 'Sure.' }, { role: 'user', content: question }],
});`,
      errors: [{ messageId: 'belowMinimum', data: min('7', '16', '1,024', 'claude-sonnet-4-5'), line: 6, column: 68, endLine: 6, endColumn: 91 }],
    },
  ],
});

ruleTester.run('ai-sdk: no-early-breakpoint', noEarlyBreakpoint, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'the marker closes the last stable system message',
      code: `${IMPORTS}const GUIDE = '${filler(2000)}';
export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  system: [
    { role: 'system', content: 'You are a support bot.' },
    { role: 'system', content: GUIDE, providerOptions: ${CACHED} },
  ],
  prompt: question,
});`,
    },
  ],
  invalid: [
    {
      name: 'stable guide after the cached system message',
      code: `${IMPORTS}const GUIDE = '${filler(2000)}';
export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  system: [
    { role: 'system', content: 'You are a support bot.', providerOptions: ${CACHED} },
    { role: 'system', content: GUIDE },
  ],
  prompt: question,
});`,
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: {
            marker: 'providerOptions.anthropic.cacheControl',
            amount: '~2,001 stable tokens',
            where: 'system prompt, before per-request content in message 1',
            cost: '; about $0.0054 extra per request on claude-sonnet-4-5 ($5.40 per 1,000 requests)',
          },
          line: 7,
          column: 90,
          endLine: 7,
          endColumn: 125,
        },
      ],
    },
    {
      // A shared marker constant is moved as its `providerOptions` property; a target that already has
      // `providerOptions` would get a duplicate key, so no suggestion is offered.
      name: 'stable guide after the cached system message, target with its own providerOptions: no suggestion',
      code: `${IMPORTS}const GUIDE = '${filler(2000)}';
const cached = ${CACHED};
export const ask = (question: string) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  system: [
    { role: 'system', content: 'You are a support bot.', providerOptions: cached },
    { role: 'system', content: GUIDE, providerOptions: { anthropic: { sendReasoning: true } } },
  ],
  prompt: question,
});`,
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: {
            marker: 'providerOptions.anthropic.cacheControl',
            amount: '~2,001 stable tokens',
            where: 'system prompt, before per-request content in message 1',
            cost: '; about $0.0054 extra per request on claude-sonnet-4-5 ($5.40 per 1,000 requests)',
          },
          line: 8,
          column: 58,
          endLine: 8,
          endColumn: 81,
          suggestions: [],
        },
      ],
    },
  ],
});

// --- layout: what the family lays out, checked through the core's per-file analysis ----------------------

/** `section/kind[role]:text ^marker` per segment, plus `auto` for call-level caching, for each request of `code`. */
function layout(code: string): string[] {
  const out: string[] = [];
  const probe = {
    meta: { type: 'problem' as const, schema: [] },
    create(context: TSESLint.RuleContext<string, []>) {
      return {
        'Program:exit'() {
          for (const request of getFileAnalysis(context.sourceCode).requests) {
            const segments = request.segments.map((segment) => {
              const text = segment.parts.map((part) => (part.kind === 'text' ? part.text : `<${part.kind}>`)).join('');
              const breakpoint = segment.breakpoint;
              const marker = breakpoint ? ` ^${breakpoint.type ?? '?'}${breakpoint.ttl ? `/${breakpoint.ttl}` : ''}${breakpoint.repeated ? '*' : ''}` : '';
              return `${segment.section}/${segment.kind}${segment.role ? `[${segment.role}]` : ''}:${text.slice(0, 24)}${marker}`;
            });
            const model = request.model ? ` model=${request.model.info?.id ?? request.model.id}` : '';
            out.push(`${request.site.method} ${request.site.platform ?? '-'}${model} history=${request.hasHistory} | ${segments.join(' | ')}${request.automatic ? ' | auto' : ''}`);
          }
        },
      };
    },
  };
  const messages = new Linter().verify(code, [
    { files: ['**/*.ts'], languageOptions: { parser: tsParser as never }, plugins: { probe: { rules: { probe: probe as never } } }, rules: { 'probe/probe': 'error' } },
  ], { filename: 'file.ts' });
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(fatal.message);
  return out;
}

describe('ai-sdk layout', () => {
  it('lays out tools → system → leading system messages → messages, with message-level markers on the last part', () => {
    expect(
      layout(`${IMPORTS}export const ask = (q: string, history: any[]) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  tools: { find: tool({ description: 'Find.', inputSchema: { type: 'object' }, providerOptions: ${CACHED} }), other: { description: 'Other.' } },
  system: 'Be brief.',
  messages: [
    { role: 'system', content: 'Rules.', providerOptions: ${CACHED} },
    { role: 'user', content: [{ type: 'text', text: 'A' }, { type: 'text', text: 'B', providerOptions: { anthropic: { cacheControl: { type: 'ephemeral', ttl: '1h' } } } }], providerOptions: ${CACHED} },
    { role: 'assistant', content: [{ type: 'tool-call', toolCallId: '1', toolName: 'find', input: {} }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: '1', toolName: 'find', output: { type: 'text', value: 'found' } }] },
    ...history,
    { role: 'user', content: q },
  ],
});`),
    ).toEqual([
      'generateText anthropic model=claude-sonnet-4-5 history=true | ' +
        'tools/tool:{"name":"find","descript ^ephemeral | tools/tool:{"name":"other","descrip | system/system:Be brief. | system/text[system]:Rules. ^ephemeral | ' +
        'messages/text[user]:A | messages/text[user]:B ^ephemeral/1h | messages/tool_use[assistant]:find{} | messages/tool_result[tool]:found | ' +
        'messages/opaque:<unknown> | messages/opaque[user]:<unknown>',
    ]);
  });

  it('reads markers from map templates, old spellings and conditional options', () => {
    expect(
      layout(`${IMPORTS}export const ask = (q: string, turns: string[], pin: boolean) => streamText({
  model: anthropic('claude-haiku-4-5'),
  prompt: [
    { role: 'user', content: 'Intro', providerMetadata: ${CACHED} },
    ...turns.map((t) => ({ role: 'user', content: t, providerOptions: ${CACHED} })),
    { role: 'user', content: q, providerOptions: pin ? ${CACHED} : undefined },
  ],
});`),
    ).toEqual([
      'streamText anthropic model=claude-haiku-4-5 history=true | messages/text[user]:Intro ^ephemeral | messages/opaque:<unknown> ^ephemeral* | messages/opaque[user]:<unknown> ^?',
    ]);
  });

  it('merges agent settings with the call and reads the custom namespace at call level', () => {
    expect(
      layout(`import { Experimental_Agent as Agent } from 'ai';
import { createAnthropic } from '@ai-sdk/anthropic';
const corp = createAnthropic({ name: 'corp.messages' });
const agent = new Agent({ model: corp('claude-opus-4-5'), instructions: 'Help.', providerOptions: { corp: { cacheControl: { type: 'ephemeral' } } } });
export const ask = (q: string) => agent.generate({ messages: [{ role: 'user', content: q }] });`),
    ).toEqual(['agent anthropic model=claude-opus-4-5 history=false | system/system:Help. | messages/opaque[user]:<unknown> | auto']);
  });

  it('reads Bedrock cache points on parts and messages, not on tools, and follows wrapLanguageModel', () => {
    expect(
      layout(`import { generateText, wrapLanguageModel } from 'ai';
import { bedrock } from '@ai-sdk/amazon-bedrock';
const model = wrapLanguageModel({ model: bedrock('anthropic.claude-3-7-sonnet-20250219-v1:0'), middleware: [] });
const point = { bedrock: { cachePoint: { type: 'default' } } };
export const ask = (q: string) => generateText({
  model,
  tools: { t: { description: 'T.', providerOptions: point } },
  system: [{ role: 'system', content: 'S.', providerOptions: { amazonBedrock: { cachePoint: { type: 'default' } } } }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'A', providerOptions: point }, { type: 'text', text: q }], providerOptions: point }],
  providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } },
});`),
    ).toEqual([
      'generateText bedrock model=claude-3-7-sonnet history=false | tools/tool:{"name":"t","description | system/text[system]:S. ^default | messages/text[user]:A ^default | messages/text[user]:<unknown> ^default',
    ]);
  });

  it('reads tool-result output markers, file kinds and v7 instructions', () => {
    expect(
      layout(`${IMPORTS}export const ask = (pdf: Uint8Array, png: Uint8Array) => generateObject({
  model: anthropic.languageModel('claude-sonnet-4-5'),
  instructions: [{ role: 'system', content: 'Extract.' }],
  messages: [
    { role: 'user', content: [{ type: 'file', data: pdf, mediaType: 'application/pdf' }, { type: 'file', data: png, mediaType: 'image/png' }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: '1', toolName: 'f', output: { type: 'json', value: { ok: true }, providerOptions: ${CACHED} } }] },
  ],
});`.replace('streamText, tool', 'streamText, generateObject, tool')),
    ).toEqual([
      'generateObject anthropic model=claude-sonnet-4-5 history=true | system/text[system]:Extract. | messages/document[user]:{"type":"file","data":<u | messages/image[user]:{"type":"file","data":<u | messages/tool_result[tool]:{"ok":true} ^ephemeral',
    ]);
  });

  it('finds no request for other providers and for calls that are not the SDK', () => {
    expect(
      layout(`import { generateText } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
const openai = createOpenAI({});
export const a = (q: string) => generateText({ model: openai('gpt-5'), prompt: q });
export const b = (q: string) => generateText({ model: 'google/gemini-3-pro', prompt: q });
const local = { generateText: (x: object) => x };
export const c = (q: string) => local.generateText({ model: 'claude-sonnet-4-5', prompt: q });`),
    ).toEqual([]);
  });
});
