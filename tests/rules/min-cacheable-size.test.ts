import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../../src/index.js';
import rule from '../../rules/min-cacheable-size.js';
import { jsRuleTester, ruleTester, sdk } from './utils.js';

// `'x'.repeat(4 * n)` is exactly n estimated tokens. The rule compares the upper bound
// ceil(1.5 × estimate) + 5 per segment (+ 350 when the prefix holds tools) with the model's minimum.

/** One cached system block of `tokens` estimated tokens; the marker is on line 10, columns 9–45. */
function systemRequest(tokens: number, model = "'claude-sonnet-4-5'", params = 'question: string'): string {
  return sdk(`const SYS = 'x'.repeat(${tokens * 4});
export async function ask(${params}) {
  return client.messages.create({
    model: ${model},
    max_tokens: 1024,
    system: [
      { type: 'text', text: SYS,
        cache_control: { type: 'ephemeral' } },
    ],
    messages: [{ role: 'user', content: question }],
  });
}`);
}

/** The location of the marker in {@link systemRequest}. */
const SYSTEM_MARKER = { line: 10, column: 9, endLine: 10, endColumn: 45 } as const;

function data(tokens: string, upperBound: string, minimum: string, model: string, extra: { source?: string; others?: string; marker?: string } = {}) {
  return {
    marker: extra.marker ?? 'This cache_control marker',
    tokens,
    upperBound,
    minimum,
    model,
    source: extra.source ?? '',
    others: extra.others ?? '',
  };
}

const AUTOMATIC = 'Automatic caching (the top-level cache_control)';

ruleTester.run('min-cacheable-size', rule, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'a helper marks the newest user turn of the history: that later marker may cache enough',
      code: sdk(`const SYS = 'x'.repeat(400);
type Message = { role: 'user' | 'assistant'; content: { type: 'text'; text: string; cache_control?: object }[] };
function markRecentUserTurn(msgs: Message[]): void {
  for (let i = msgs.length - 1; i >= 0; i--) {
    if (msgs[i].role !== 'user') continue;
    msgs[i].content.at(-1)!.cache_control = { type: 'ephemeral' };
    break;
  }
}
export async function ask(history: Message[], question: string) {
  markRecentUserTurn(history);
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
    messages: [...history, { role: 'user', content: question }],
  });
}`),
    },
    // --- large enough --------------------------------------------------------------------------------------
    { name: 'prefix well above the minimum', code: systemRequest(2000) },
    // 700 tokens: upper bound 1,050 + 5 ≥ 1,024, so the estimate error could still put it above the minimum.
    { name: 'prefix near the minimum but within the margin', code: systemRequest(700) },
    // 679 tokens: upper bound 1,019 + 5 = 1,024, exactly the minimum.
    { name: 'upper bound exactly at the minimum', code: systemRequest(679) },
    { name: 'Opus 5 (512) with the text Haiku 4.5 cannot cache', code: systemRequest(1000, "'claude-opus-5'") },
    { name: 'claude-opus-4-7 uses the 2,048 Claude API minimum', code: systemRequest(1500, "'claude-opus-4-7'") },
    {
      name: 'tiny marker on the tools when a later breakpoint clears the minimum (wasted slot, not reported)',
      code: sdk(`const SYS = 'x'.repeat(8000);
export const ask = (question: string) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  tools: [{ name: 'lookup', description: 'Look up an order.', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }],
  system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: question }],
});`),
    },
    {
      name: 'a later conditional marker whose prefix clears the minimum',
      code: sdk(`const SYS = 'x'.repeat(400);
const MANUAL = 'y'.repeat(8000);
export const ask = (question: string, pin: boolean) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: [
    { type: 'text', text: SYS, cache_control: { type: 'ephemeral' } },
    { type: 'text', text: MANUAL, cache_control: pin ? { type: 'ephemeral' } : undefined },
  ],
  messages: [{ role: 'user', content: question }],
});`),
    },
    {
      // 450 tokens + a small tool: ~1,060 with the tool-use system prompt allowance.
      name: 'tool definitions add the hidden tool-use prompt to the upper bound',
      code: sdk(`const SYS = 'x'.repeat(1800);
export const ask = (question: string) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  tools: [{ name: 'lookup', description: 'Look up an order.', input_schema: { type: 'object' } }],
  system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: question }],
});`),
    },

    // --- size unknown ----------------------------------------------------------------------------------------
    {
      name: 'prefix with a parameter in it',
      code: sdk(`export const ask = (rules: string, question: string) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: [{ type: 'text', text: \`Follow these rules: \${rules}\`, cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: question }],
});`),
    },
    {
      name: 'system prompt passed in whole',
      code: sdk(`export const ask = (system: Anthropic.TextBlockParam[], question: string) => client.messages.create({
  model: 'claude-sonnet-4-5', max_tokens: 1024, system, messages: [{ role: 'user', content: question, cache_control: { type: 'ephemeral' } }],
});`),
    },
    {
      name: 'conversation history before the marker',
      code: sdk(`export const ask = (history: Anthropic.MessageParam[]) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [...history, { role: 'user', content: [{ type: 'text', text: 'Continue.', cache_control: { type: 'ephemeral' } }] }],
});`),
    },
    {
      name: 'an image in the prefix (its tokens depend on its pixels)',
      code: sdk(`export const describe = () => client.messages.create({
  model: 'claude-haiku-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: [
    { type: 'image', source: { type: 'url', url: 'https://example.com/chart.png' } },
    { type: 'text', text: 'Describe the chart.', cache_control: { type: 'ephemeral' } },
  ] }],
});`),
    },
    {
      name: 'a server tool in the prefix (expanded by the API)',
      code: sdk(`export const search = (question: string) => client.messages.create({
  model: 'claude-haiku-4-5',
  max_tokens: 1024,
  tools: [{ type: 'web_search_20250305', name: 'web_search', cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: question }],
});`),
    },
    { name: 'spread of unknown request options', code: sdk(`const SYS = 'x'.repeat(400);
export const ask = (base: object, question: string) => client.messages.create({ ...base, model: 'claude-sonnet-4-5', max_tokens: 10, system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: question }] });`) },

    // --- model unknown --------------------------------------------------------------------------------------
    { name: 'model id not in the table', code: systemRequest(100, "'claude-next-9'") },
    { name: 'model with an unknown minimum (claude-fable-5-2)', code: systemRequest(100, "'claude-fable-5-2'") },
    { name: 'model from a parameter without defaultModel', code: systemRequest(100, 'model', 'model: string, question: string') },
    { name: 'defaultModel does not replace a literal id that is not in the table', code: systemRequest(100, "'claude-next-9'"), options: [{ defaultModel: 'claude-haiku-4-5' }] },

    // --- not a caching request / not a silent no-op -----------------------------------------------------------
    {
      name: 'countTokens accepts the marker but never uses the cache',
      code: sdk(`const SYS = 'x'.repeat(400);
export const count = (question: string) => client.messages.countTokens({
  model: 'claude-sonnet-4-5',
  system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: question }],
});`),
    },
    {
      name: 'automatic caching in a tool runner (the marker moves forward with every turn)',
      code: sdk(`export const run = () => client.beta.messages.toolRunner({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  cache_control: { type: 'ephemeral' },
  system: 'Be brief.',
  messages: [{ role: 'user', content: 'What is the weather?' }],
  tools: [],
});`),
    },
    {
      name: 'malformed marker (a 400 error, left to valid-cache-control)',
      code: sdk(`const SYS = 'x'.repeat(400);
export const ask = (question: string) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: [{ type: 'text', text: SYS, cache_control: { type: 'persistent' } }],
  messages: [{ role: 'user', content: question }],
});`),
    },
    { name: 'no cache_control at all', code: sdk(`export const ask = () => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] });`) },
    {
      name: 'a marked block that is never sent',
      code: `const block = { type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } };\nexport default block;`,
    },

    // --- options ----------------------------------------------------------------------------------------------
    { name: 'minimums override lowers the minimum', code: systemRequest(1000, "'claude-haiku-4-5'"), options: [{ minimums: { 'claude-haiku-4-5': 1024 } }] },
    { name: 'Sonnet 4.6 above its table minimum', code: systemRequest(1000, "'claude-sonnet-4-6'") },
  ],
  invalid: [
    // --- one marker --------------------------------------------------------------------------------------------
    {
      name: 'short cached system prompt on Sonnet 4.5',
      code: systemRequest(400),
      errors: [{ messageId: 'belowMinimum', data: data('400', '605', '1,024', 'claude-sonnet-4-5'), ...SYSTEM_MARKER }],
    },
    {
      name: 'just below the minimum once the margin is applied',
      code: systemRequest(678),
      errors: [{ messageId: 'belowMinimum', data: data('678', '1,022', '1,024', 'claude-sonnet-4-5'), ...SYSTEM_MARKER }],
    },
    {
      name: 'Haiku 4.5 needs 4,096 tokens',
      code: systemRequest(1000, "'claude-haiku-4-5'"),
      errors: [{ messageId: 'belowMinimum', data: data('1,000', '1,505', '4,096', 'claude-haiku-4-5'), ...SYSTEM_MARKER }],
    },
    {
      name: 'Opus 5 (512) with a tiny prompt',
      code: systemRequest(200, "'claude-opus-5'"),
      errors: [{ messageId: 'belowMinimum', data: data('200', '305', '512', 'claude-opus-5'), ...SYSTEM_MARKER }],
    },
    {
      name: 'Bedrock id anthropic.claude-opus-4-7-v1:0 uses the Bedrock minimum (4,096)',
      code: systemRequest(1500, "'anthropic.claude-opus-4-7-v1:0'"),
      errors: [{ messageId: 'belowMinimum', data: data('1,500', '2,255', '4,096', 'anthropic.claude-opus-4-7-v1:0', { source: ' on Amazon Bedrock' }), ...SYSTEM_MARKER }],
    },
    {
      name: 'Bedrock client with a cross-region inference profile id',
      code: `import AnthropicBedrock from '@anthropic-ai/bedrock-sdk';
const client = new AnthropicBedrock();
const SYS = 'x'.repeat(6000);
export const ask = (question: string) => client.messages.create({
  model: 'us.anthropic.claude-opus-4-7',
  max_tokens: 1024,
  system: [{ type: 'text', text: SYS,
    cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: question }],
});`,
      errors: [{ messageId: 'belowMinimum', data: data('1,500', '2,255', '4,096', 'us.anthropic.claude-opus-4-7', { source: ' on Amazon Bedrock' }), line: 8, column: 5, endLine: 8, endColumn: 41 }],
    },
    {
      name: 'Vertex id claude-sonnet-4-5@20250929 is normalised',
      code: systemRequest(400, "'claude-sonnet-4-5@20250929'"),
      errors: [{ messageId: 'belowMinimum', data: data('400', '605', '1,024', 'claude-sonnet-4-5@20250929'), ...SYSTEM_MARKER }],
    },
    {
      name: 'Vertex client and a marker taken from a constant',
      code: `import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
const client = new AnthropicVertex();
const EPHEMERAL = { type: 'ephemeral' } as const;
const SYS = 'x'.repeat(400);
export const ask = (question: string) => client.messages.create({
  model: 'claude-opus-4-6@20260205',
  max_tokens: 1024,
  system: [{ type: 'text', text: SYS, cache_control: EPHEMERAL }],
  messages: [{ role: 'user', content: question }],
});`,
      errors: [{ messageId: 'belowMinimum', data: data('100', '155', '4,096', 'claude-opus-4-6@20260205'), line: 8, column: 39, endLine: 8, endColumn: 63 }],
    },
    {
      name: 'dated snapshot id',
      code: systemRequest(400, "'claude-haiku-4-5-20251001'"),
      errors: [{ messageId: 'belowMinimum', data: data('400', '605', '4,096', 'claude-haiku-4-5-20251001'), ...SYSTEM_MARKER }],
    },
    {
      name: 'marker on a user content block',
      code: sdk(`const DOC = 'x'.repeat(400);
export const ask = (question: string) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: [
    { type: 'text', text: DOC,
      cache_control: { type: 'ephemeral', ttl: '1h' } },
    { type: 'text', text: question },
  ] }],
});`),
      errors: [{ messageId: 'belowMinimum', data: data('100', '155', '1,024', 'claude-sonnet-4-5'), line: 9, column: 7, endLine: 9, endColumn: 54 }],
    },
    {
      name: 'a volatile date in the prefix counts with a nominal size',
      code: sdk(`const SYS = 'x'.repeat(400);
export const ask = (question: string) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: [{ type: 'text', text: \`\${SYS} Today is \${new Date().toDateString()}.\`,
    cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: question }],
});`),
      errors: [{ messageId: 'belowMinimum', data: data('113', '175', '1,024', 'claude-sonnet-4-5'), line: 8, column: 5, endLine: 8, endColumn: 41 }],
    },

    // --- automatic caching ----------------------------------------------------------------------------------
    {
      name: 'automatic caching of a short, fully known prompt',
      code: sdk(`const SYS = 'x'.repeat(1600);
export const ask = () => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  cache_control: { type: 'ephemeral' },
  system: SYS,
  messages: [{ role: 'user', content: 'Summarise the rules.' }],
});`),
      errors: [{ messageId: 'belowMinimum', data: data('405', '618', '1,024', 'claude-sonnet-4-5', { marker: AUTOMATIC }), line: 7, column: 3, endLine: 7, endColumn: 39 }],
    },

    // --- several markers: one report, on the last -------------------------------------------------------------
    {
      name: 'tools, system and message markers all below the minimum: reported once, on the last',
      code: sdk(`const SYS = 'x'.repeat(400);
export const ask = () => client.messages.create({
  model: 'claude-haiku-4-5',
  max_tokens: 1024,
  tools: [{ name: 'lookup', description: 'Look up an order.', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }],
  system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Where is order 42?',
    cache_control: { type: 'ephemeral' } }] }],
});`),
      errors: [{ messageId: 'belowMinimum', data: data('126', '554', '4,096', 'claude-haiku-4-5', { others: '; its 2 earlier markers cover even less' }), line: 10, column: 5, endLine: 10, endColumn: 41 }],
    },
    {
      name: 'a later conditional marker that is also too small: reported on the last certain one',
      code: sdk(`const SYS = 'x'.repeat(400);
export const ask = (pin: boolean) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: [
    { type: 'text', text: SYS,
      cache_control: { type: 'ephemeral' } },
    { type: 'text', text: 'Answer in French.', cache_control: pin ? { type: 'ephemeral' } : undefined },
  ],
  messages: [{ role: 'user', content: 'Bonjour' }],
});`),
      errors: [{ messageId: 'belowMinimum', data: data('100', '155', '1,024', 'claude-sonnet-4-5'), line: 9, column: 7, endLine: 9, endColumn: 43 }],
    },
    {
      name: 'a marked block shared by two requests is reported once',
      code: sdk(`const SYSTEM = [{ type: 'text' as const, text: 'x'.repeat(400), cache_control: { type: 'ephemeral' as const } }];
export const a = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, system: SYSTEM, messages: [{ role: 'user', content: q }] });
export const b = (q: string) => client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 10, system: SYSTEM, messages: [{ role: 'user', content: q }] });`),
      errors: [{ messageId: 'belowMinimum', data: data('100', '155', '1,024', 'claude-sonnet-4-5'), line: 3, column: 65, endLine: 3, endColumn: 110 }],
    },
    {
      name: 'few-shot tool exchange cached at the tool result',
      code: sdk(`export const ask = (question: string) => client.messages.create({
  model: 'claude-opus-4-8',
  max_tokens: 1024,
  messages: [
    { role: 'user', content: 'Where is order 42?' },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { order: 42 } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Shipped on Monday.',
      cache_control: { type: 'ephemeral' } }] },
    { role: 'user', content: question },
  ],
});`),
      errors: [{ messageId: 'belowMinimum', data: data('28', '57', '1,024', 'claude-opus-4-8'), line: 10, column: 7, endLine: 10, endColumn: 43 }],
    },
    {
      name: 'batch request item',
      code: sdk(`const SYS = 'x'.repeat(400);
export const submit = (questions: string[]) => client.messages.batches.create({
  requests: [{ custom_id: 'q1', params: {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: 'Hi' }],
  } }],
});`),
      errors: [{ messageId: 'belowMinimum', data: data('100', '155', '1,024', 'claude-sonnet-4-5'), line: 8, column: 41, endLine: 8, endColumn: 77 }],
    },

    // --- options ----------------------------------------------------------------------------------------------
    {
      name: 'minimums override raises the minimum',
      code: systemRequest(1000, "'claude-sonnet-4-6'"),
      options: [{ minimums: { 'claude-sonnet-4-6': 2048 } }],
      errors: [{ messageId: 'belowMinimum', data: data('1,000', '1,505', '2,048', 'claude-sonnet-4-6', { source: ' (set in the minimums option)' }), ...SYSTEM_MARKER }],
    },
    {
      name: 'minimums override for a model without a known minimum, keyed by a dated id',
      code: systemRequest(100, "'claude-fable-5-2'"),
      options: [{ minimums: { 'claude-fable-5-2-20261109': 512 } }],
      errors: [{ messageId: 'belowMinimum', data: data('100', '155', '512', 'claude-fable-5-2', { source: ' (set in the minimums option)' }), ...SYSTEM_MARKER }],
    },
    {
      name: 'defaultModel for a model passed in',
      code: systemRequest(1000, 'model', 'model: string, question: string'),
      options: [{ defaultModel: 'claude-haiku-4-5' }],
      errors: [{ messageId: 'belowMinimum', data: data('1,000', '1,505', '4,096', 'claude-haiku-4-5 (the defaultModel option)'), ...SYSTEM_MARKER }],
    },
  ],
});

jsRuleTester.run('min-cacheable-size (plain JS)', rule, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'JS: long enough prompt',
      code: `const Anthropic = require('@anthropic-ai/sdk');\nconst client = new Anthropic();\nconst SYS = 'x'.repeat(8000);\nexports.ask = (q) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] });`,
    },
    {
      name: 'JS: prompt read from a parameter',
      code: `const Anthropic = require('@anthropic-ai/sdk');\nconst client = new Anthropic();\nexports.ask = (sys, q) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, system: [{ type: 'text', text: sys, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] });`,
    },
  ],
  invalid: [
    {
      name: 'JS: short cached system prompt (require)',
      code: `const Anthropic = require('@anthropic-ai/sdk');\nconst client = new Anthropic();\nconst SYS = 'x'.repeat(400);\nexports.ask = (q) => client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] });`,
      errors: [{ messageId: 'belowMinimum', data: data('100', '155', '4,096', 'claude-haiku-4-5'), line: 4, column: 126, endLine: 4, endColumn: 162 }],
    },
    {
      name: 'JS: automatic caching with defaultModel',
      code: `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();\nexport const ask = (model) => client.messages.create({ model, max_tokens: 10, cache_control: { type: 'ephemeral' }, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] });`,
      options: [{ defaultModel: 'claude-opus-5' }],
      errors: [{ messageId: 'belowMinimum', data: data('4', '16', '512', 'claude-opus-5 (the defaultModel option)', { marker: AUTOMATIC }), line: 3, column: 79, endLine: 3, endColumn: 115 }],
    },
  ],
});

describe('min-cacheable-size options', () => {
  function lint(options: unknown): void {
    new Linter().verify('const x = 1;', [{ plugins: { 'prompt-cache': plugin }, rules: { 'prompt-cache/min-cacheable-size': ['error', options] as never } }]);
  }

  it('rejects a misspelt option and names the expected ones', () => {
    expect(() => lint({ minimum: { 'claude-sonnet-4-6': 2048 } })).toThrow(/Unexpected property "minimum"\. Expected properties: "minimums", "defaultModel"/);
  });

  it('rejects a minimum below 1', () => {
    expect(() => lint({ minimums: { 'claude-sonnet-4-6': 0 } })).toThrow(/min-cacheable-size[\s\S]*Value 0 should be >= 1/);
  });

  it('rejects a fractional minimum', () => {
    expect(() => lint({ minimums: { 'claude-sonnet-4-6': 1.5 } })).toThrow(/Value 1\.5 should be integer/);
  });

  it('rejects a defaultModel that is not a string', () => {
    expect(() => lint({ defaultModel: 4 })).toThrow(/min-cacheable-size[\s\S]*Value 4 should be string/);
  });

  it('accepts both options', () => {
    expect(() => lint({ minimums: { 'claude-sonnet-4-6': 2048 }, defaultModel: 'claude-sonnet-4-5' })).not.toThrow();
  });
});
