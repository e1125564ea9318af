/**
 * LangChain.js requests (src/analysis/langchain.ts) through the rules: `ChatAnthropic` / `ChatBedrockConverse`
 * `invoke` / `stream` / `batch`, message classes, role tuples and `{ role, content }` objects, `cache_control`
 * on content blocks, the `cache_control` call option, `bindTools`, class fields, and `createAgent` with
 * `anthropicPromptCachingMiddleware`. Expected data was checked by hand against the token estimate (4 characters
 * per token, 10 per volatile value) and the model table (claude-sonnet-4-6: $3/MTok, a miss costs 1.15 × that).
 */
import { describe, expect, it } from 'vitest';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';

import plugin from '../../src/index.js';
import maxBreakpoints from '../../rules/max-breakpoints.js';
import minCacheableSize from '../../rules/min-cacheable-size.js';
import noEarlyBreakpoint from '../../rules/no-early-breakpoint.js';
import noVolatileInPrefix from '../../rules/no-volatile-in-prefix.js';
import { getFileAnalysis, type PromptRequest } from '../../src/analysis/request.js';
import { filler, jsRuleTester, ruleTester } from '../rules/utils.js';

/** Four lines: a ChatAnthropic model on claude-sonnet-4-6 and the message classes. Snippets start on line 5. */
const LC = `import { ChatAnthropic } from '@langchain/anthropic';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
const CC = { type: 'ephemeral' } as const;
const model = new ChatAnthropic({ model: 'claude-sonnet-4-6', temperature: 0 });
`;

/** The same with ChatBedrockConverse on a Bedrock Claude id. */
const BEDROCK = `import { ChatBedrockConverse } from '@langchain/aws';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
const CC = { type: 'ephemeral' } as const;
const model = new ChatBedrockConverse({ model: 'us.anthropic.claude-sonnet-4-6-v1:0', region: 'us-east-1' });
`;

const AGENT = `import { createAgent, anthropicPromptCachingMiddleware } from 'langchain';
`;

const volatile = (value: string, frequency: string, tokens: string, cost: string, where = 'system prompt') => ({ value, frequency, where, tokens, cost });
/** claude-sonnet-4-6: a rewritten token costs 1.15 × $3 per MTok. */
const perRequest = (dollars: string, perThousand: string) => `; about ${dollars} extra per request on claude-sonnet-4-6 (${perThousand} per 1,000 requests)`;

ruleTester.run('no-volatile-in-prefix (LangChain)', noVolatileInPrefix, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'no marker: the same call without cache_control is never cached',
      code: `${LC}export const ask = (q: string) =>
  model.invoke([new SystemMessage(\`Today is \${new Date().toISOString()}\`), new HumanMessage(q)]);`,
    },
    {
      name: 'the volatile value comes after the marker (in the human message)',
      code: `${LC}export const ask = (q: string) =>
  model.invoke([
    new SystemMessage({ content: [{ type: 'text', text: 'You are a support agent.', cache_control: CC }] }),
    new HumanMessage(\`Now: \${new Date().toISOString()}\\n\${q}\`),
  ]);`,
    },
    {
      name: 'a local class named ChatAnthropic is not the LangChain model',
      code: `import { HumanMessage, SystemMessage } from '@langchain/core/messages';
class ChatAnthropic { constructor(_: object) {} invoke(_: unknown) { return null; } }
const model = new ChatAnthropic({ model: 'claude-sonnet-4-6' });
export const ask = (q: string) =>
  model.invoke([new SystemMessage({ content: [{ type: 'text', text: \`Now \${Date.now()}\`, cache_control: { type: 'ephemeral' } }] }), new HumanMessage(q)]);`,
    },
    {
      name: 'SystemMessage from another module is not a LangChain message',
      code: `import { ChatAnthropic } from '@langchain/anthropic';
import { SystemMessage } from './my-messages';
const model = new ChatAnthropic({ model: 'claude-sonnet-4-6' });
export const ask = (q: string) =>
  model.invoke([new SystemMessage({ content: [{ type: 'text', text: \`Now \${Date.now()}\`, cache_control: { type: 'ephemeral' } }] }), q]);`,
    },
    {
      name: 'a non-Anthropic LangChain model (ChatOpenAI) does not use cache_control markers',
      code: `import { ChatOpenAI } from '@langchain/openai';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
const model = new ChatOpenAI({ model: 'gpt-4o' });
export const ask = (q: string) =>
  model.invoke([new SystemMessage({ content: [{ type: 'text', text: \`Now \${Date.now()}\`, cache_control: { type: 'ephemeral' } }] }), new HumanMessage(q)]);`,
    },
    {
      name: 'ChatBedrockConverse drops cache_control on content blocks (its marker is a cachePoint block)',
      code: `${BEDROCK}export const ask = (q: string) =>
  model.invoke([new SystemMessage({ content: [{ type: 'text', text: \`Now \${Date.now()}\`, cache_control: CC }] }), new HumanMessage(q)]);`,
    },
    {
      name: 'ChatAnthropic drops a Converse cachePoint block',
      code: `${LC}export const ask = (q: string) =>
  model.invoke([new SystemMessage({ content: [{ type: 'text', text: \`Now \${Date.now()}\` }, { cachePoint: { type: 'default' } }] }), new HumanMessage(q)]);`,
    },
    {
      name: 'v1 contentBlocks: ChatAnthropic does not send metadata.cache_control of a text block',
      code: `${LC}export const ask = (q: string) =>
  model.invoke([new HumanMessage({ contentBlocks: [{ type: 'text', text: \`Now \${Date.now()}\`, metadata: { cache_control: CC } }, { type: 'text', text: q }] })]);`,
    },
    {
      name: 'cache_control: null or false on a block is dropped (no marker)',
      code: `${LC}export const ask = (q: string) =>
  model.invoke([new SystemMessage({ content: [{ type: 'text', text: \`Now \${Date.now()}\`, cache_control: null }, { type: 'text', text: 'Be brief.', cache_control: false }] }), new HumanMessage(q)]);`,
    },
    {
      name: 'a module-level SystemMessage is built once per process',
      code: `${LC}const SYSTEM = new SystemMessage({ content: [{ type: 'text', text: \`Deployed \${new Date().toISOString()}\`, cache_control: CC }] });
export const ask = (q: string) => model.invoke([SYSTEM, new HumanMessage(q)]);`,
    },
    {
      name: 'agent: the middleware skips a tool-less call below minMessagesToCache (default 3)',
      code: `${AGENT}const agent = createAgent({
  model: 'anthropic:claude-sonnet-4-6',
  systemPrompt: \`You help. Now: \${new Date().toISOString()}\`,
  middleware: [anthropicPromptCachingMiddleware()],
});
export const ask = (q: string) => agent.invoke({ messages: [{ role: 'user', content: q }] });`,
    },
    {
      name: 'agent created at module level: its systemPrompt is computed once',
      code: `${AGENT}const agent = createAgent({
  model: 'anthropic:claude-sonnet-4-6',
  systemPrompt: \`You are a travel agent. Started: \${new Date().toISOString()}\`,
  middleware: [anthropicPromptCachingMiddleware({ minMessagesToCache: 1 })],
});
export const plan = (q: string) => agent.invoke({ messages: [{ role: 'user', content: q }] });`,
    },
    {
      name: 'agent: enableCaching: false',
      code: `${AGENT}export async function ask(q: string) {
  const agent = createAgent({
    model: 'anthropic:claude-sonnet-4-6',
    systemPrompt: \`You help. Now: \${new Date().toISOString()}\`,
    middleware: [anthropicPromptCachingMiddleware({ enableCaching: false, minMessagesToCache: 1 })],
  });
  return agent.invoke({ messages: [{ role: 'user', content: q }] });
}`,
    },
  ],
  invalid: [
    {
      name: 'agent on a non-Anthropic model string: no markers apply, but the agent\'s system prompt is cached automatically',
      code: `${AGENT}export async function ask(q: string) {
  const agent = createAgent({
    model: 'openai:gpt-4o',
    systemPrompt: \`You help. Now: \${new Date().toISOString()}\`,
    middleware: [anthropicPromptCachingMiddleware({ minMessagesToCache: 1 })],
  });
  return agent.invoke({ messages: [{ role: 'user', content: q }] });
}`,
      errors: [{ messageId: 'volatileInSystemPrompt', data: { value: 'new Date().toISOString()', frequency: 'changes on every request', prompt: 'passed as systemPrompt', tokens: '14' }, line: 5, column: 37, endLine: 5, endColumn: 47 }],
    },
    {
      name: 'volatile value in a cached SystemMessage content block',
      code: `${LC}export const ask = (q: string) =>
  model.invoke([
    new SystemMessage({ content: [{ type: 'text', text: \`You are a support agent. Now: \${new Date().toISOString()}\`, cache_control: CC }] }),
    new HumanMessage(q),
  ]);`,
      errors: [
        {
          messageId: 'volatileInPrefix',
          // 'You are a support agent. Now: ' is 30 characters (8 tokens) + 10 for the value.
          data: volatile('new Date().toISOString()', 'changes on every request', '18', perRequest('$0.000062', '$0.062')),
          line: 7,
          column: 90,
          endLine: 7,
          endColumn: 100,
          // ChatAnthropic blocks have the Messages API shape: the value moves into its own block after the marker
          suggestions: [
            {
              messageId: 'moveAfterBreakpoint',
              data: { value: 'new Date().toISOString()' },
              output: `${LC}export const ask = (q: string) =>
  model.invoke([
    new SystemMessage({ content: [{ type: 'text', text: \`You are a support agent. Now: \`, cache_control: CC }, { type: 'text', text: \`\${new Date().toISOString()}\` }] }),
    new HumanMessage(q),
  ]);`,
            },
          ],
        },
      ],
    },
    {
      name: 'role tuple system prompt with the cache_control call option (automatic caching)',
      code: `${LC}export const ask = (q: string) =>
  model.invoke(
    [['system', \`Answer briefly. Date: \${new Date().toDateString()}\`], ['human', q]],
    { cache_control: { type: 'ephemeral' } },
  );`,
      errors: [
        {
          messageId: 'volatileInPrefix',
          // 'Answer briefly. Date: ' is 22 characters (6 tokens) + 10; the automatic marker covers the human message (unknown).
          data: volatile('new Date().toDateString()', 'changes daily', '16+', '; at least $0.000055 extra on claude-sonnet-4-6 each time it changes'),
          line: 7,
          column: 42,
          endLine: 7,
          endColumn: 52,
        },
      ],
    },
    {
      name: 'plain { role, content } messages: a per-user value before the marked block',
      code: `${LC}export const ask = (user: { name: string }, q: string) =>
  model.invoke([
    { role: 'system', content: [{ type: 'text', text: \`Customer: \${user.name}\` }, { type: 'text', text: 'Follow the refund policy.', cache_control: CC }] },
    { role: 'user', content: q },
  ]);`,
      errors: [
        {
          messageId: 'volatileInPrefix',
          // 'Customer: ' (3 tokens; the name is unknown) + 'Follow the refund policy.' (7 tokens)
          data: volatile('user.name', 'differs per user or session', '10+', '; at least $0.000035 extra on claude-sonnet-4-6 each time it changes'),
          line: 7,
          column: 68,
          endLine: 7,
          endColumn: 77,
        },
      ],
    },
    {
      name: 'bindTools: a date in a marked Anthropic-format tool definition',
      code: `${LC}export async function ask(q: string) {
  const withTools = model.bindTools([
    { name: 'lookup', description: \`Search orders placed before \${new Date().toDateString()}\`, input_schema: { type: 'object', properties: {} }, cache_control: CC },
  ]);
  return withTools.invoke([new HumanMessage(q)]);
}`,
      errors: [
        {
          messageId: 'volatileInPrefix',
          // {"name":"lookup","description":"Search orders placed before …","input_schema":{…}}: 111 characters
          // (28 tokens) + 10 for the value; cache_control is not sent as text
          data: volatile('new Date().toDateString()', 'changes daily', '38', '; about $0.00013 extra on claude-sonnet-4-6 each time it changes', 'tool definitions'),
          line: 7,
          column: 67,
          endLine: 7,
          endColumn: 77,
        },
      ],
    },
    {
      name: 'batch: both inputs share the volatile cached system prompt (reported once)',
      code: `${LC}export async function askAll(a: string, b: string) {
  const system = new SystemMessage({ content: [{ type: 'text', text: \`Shift started \${Date.now()}\`, cache_control: CC }] });
  return model.batch([[system, new HumanMessage(a)], [system, new HumanMessage(b)]]);
}`,
      errors: [
        {
          messageId: 'volatileInPrefix',
          // 'Shift started ' is 14 characters (4 tokens) + 10
          data: volatile('Date.now()', 'changes on every request', '14', perRequest('$0.000048', '$0.048')),
          line: 6,
          column: 87,
          endLine: 6,
          endColumn: 97,
          // the rule's move fix is written for raw Messages API bodies only
          suggestions: [],
        },
      ],
    },
    {
      name: 'ChatBedrockConverse: a cachePoint block after a volatile system text',
      code: `${BEDROCK}export const ask = (q: string) =>
  model.stream([new SystemMessage({ content: [{ type: 'text', text: \`Now: \${new Date().toISOString()}\` }, { cachePoint: { type: 'default' } }] }), new HumanMessage(q)]);`,
      errors: [
        {
          messageId: 'volatileInPrefix',
          // 'Now: ' (2 tokens) + 10; Bedrock claude-sonnet-4-6 has the same price, named by its Bedrock id
          data: volatile('new Date().toISOString()', 'changes on every request', '12', '; about $0.000041 extra per request on us.anthropic.claude-sonnet-4-6-v1:0 ($0.041 per 1,000 requests)'),
          line: 6,
          column: 77,
          endLine: 6,
          endColumn: 87,
        },
      ],
    },
    {
      name: 'a model in a class field: this.model.invoke with a volatile system block',
      code: `${LC}export class Support {
  private llm = new ChatAnthropic({ model: 'claude-sonnet-4-6' });
  async reply(q: string) {
    return this.llm.invoke([new SystemMessage({ content: [{ type: 'text', text: \`Request \${crypto.randomUUID()}\`, cache_control: CC }] }), new HumanMessage(q)]);
  }
}`,
      errors: [
        {
          messageId: 'volatileInPrefix',
          // 'Request ' (2 tokens) + 10
          data: volatile('crypto.randomUUID()', 'changes on every request', '12', perRequest('$0.000041', '$0.041')),
          line: 8,
          column: 92,
          endLine: 8,
          endColumn: 111,
          suggestions: [
            {
              messageId: 'moveAfterBreakpoint',
              data: { value: 'crypto.randomUUID()' },
              output: `${LC}export class Support {
  private llm = new ChatAnthropic({ model: 'claude-sonnet-4-6' });
  async reply(q: string) {
    return this.llm.invoke([new SystemMessage({ content: [{ type: 'text', text: \`Request \`, cache_control: CC }, { type: 'text', text: \`\${crypto.randomUUID()}\` }] }), new HumanMessage(q)]);
  }
}`,
            },
          ],
        },
      ],
    },
    {
      name: 'agent built per request: systemPrompt with a timestamp under anthropicPromptCachingMiddleware',
      code: `${AGENT}export async function plan(q: string) {
  const agent = createAgent({
    model: 'anthropic:claude-sonnet-4-6',
    systemPrompt: \`You are a travel agent. Today: \${new Date().toISOString()}\`,
    middleware: [anthropicPromptCachingMiddleware({ ttl: '1h', minMessagesToCache: 1 })],
  });
  return agent.invoke({ messages: [{ role: 'user', content: q }] });
}`,
      errors: [
        {
          messageId: 'volatileInPrefix',
          // 'You are a travel agent. Today: ' (31 characters, 8 tokens) + 10 + the unknown question;
          // a 1h write costs 2x: 18 × $3 × (2 − 0.1) per MTok
          data: volatile('new Date().toISOString()', 'changes on every request', '18+', '; at least $0.00010 extra per request on claude-sonnet-4-6 ($0.10 per 1,000 requests)'),
          line: 5,
          column: 53,
          endLine: 5,
          endColumn: 63,
        },
      ],
    },
  ],
});

jsRuleTester.run('no-volatile-in-prefix (LangChain, plain JS)', noVolatileInPrefix, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'JS: require, the same helper without a marker',
      code: `const { ChatAnthropic } = require('@langchain/anthropic');
const { HumanMessage, SystemMessage } = require('@langchain/core/messages');
const llm = new ChatAnthropic({ modelName: 'claude-sonnet-4-6' });
function systemPrompt() { return new SystemMessage(\`Time: \${Date.now()}\`); }
async function ask(q) { return llm.invoke([systemPrompt(), new HumanMessage(q)]); }
module.exports = { ask };`,
    },
  ],
  invalid: [
    {
      name: 'JS: require, message built in a helper: reported where it enters the request',
      code: `const { ChatAnthropic } = require('@langchain/anthropic');
const { HumanMessage, SystemMessage } = require('@langchain/core/messages');
const llm = new ChatAnthropic({ modelName: 'claude-sonnet-4-6' });
function systemPrompt() {
  return new SystemMessage({ content: [{ type: 'text', text: \`Time: \${Date.now()}\`, cache_control: { type: 'ephemeral' } }] });
}
async function ask(q) { return llm.invoke([systemPrompt(), new HumanMessage(q)]); }
module.exports = { ask };`,
      errors: [
        {
          messageId: 'volatileInPrefix',
          // 'Time: ' (2 tokens) + 10
          data: volatile('Date.now()', 'changes on every request', '12', perRequest('$0.000041', '$0.041')),
          line: 7,
          column: 44,
          endLine: 7,
          endColumn: 58,
        },
      ],
    },
  ],
});

const marked = (text: string) => `{ type: 'text', text: '${text}', cache_control: CC }`;

ruleTester.run('max-breakpoints (LangChain)', maxBreakpoints, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'four block markers',
      code: `${LC}export const ask = () =>
  model.invoke([new SystemMessage({ content: [${marked('A')}, ${marked('B')}] }), new HumanMessage({ content: [${marked('C')}, ${marked('D')}] })]);`,
    },
    {
      name: 'ChatBedrockConverse: five cache_control blocks are no markers there',
      code: `${BEDROCK}export const ask = () =>
  model.invoke([new SystemMessage({ content: [${marked('A')}, ${marked('B')}] }), new HumanMessage({ content: [${marked('C')}, ${marked('D')}, ${marked('E')}] })]);`,
    },
  ],
  invalid: [
    {
      name: 'five block markers across a SystemMessage and a HumanMessage',
      code: `${LC}export const ask = () =>
  model.invoke([
    new SystemMessage({ content: [${marked('A')}, ${marked('B')}] }),
    new HumanMessage({ content: [${marked('C')}, ${marked('D')}, ${marked('E')}] }),
  ]);`,
      errors: [{ messageId: 'tooMany', data: { count: '5', max: '4' }, line: 8, column: 157, endLine: 8, endColumn: 174 }],
    },
    {
      name: 'four block markers plus the cache_control call option',
      code: `${LC}export const ask = () =>
  model.invoke(
    [new SystemMessage({ content: [${marked('A')}, ${marked('B')}] }), ['human', [${marked('C')}, ${marked('D')}]]],
    { cache_control: CC },
  );`,
      errors: [{ messageId: 'tooMany', data: { count: '5', max: '4' }, line: 8, column: 7, endLine: 8, endColumn: 24 }],
    },
  ],
});

ruleTester.run('min-cacheable-size (LangChain)', minCacheableSize, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'a system prompt above the 1,024-token minimum',
      code: `${LC}export const ask = (q: string) =>
  model.invoke([new SystemMessage({ content: [{ type: 'text', text: '${filler(1200)}', cache_control: CC }] }), new HumanMessage(q)]);`,
    },
    {
      name: 'unknown model id: not checked',
      code: `import { ChatAnthropic } from '@langchain/anthropic';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
export const ask = (modelId: string, q: string) =>
  new ChatAnthropic({ model: modelId }).invoke([new SystemMessage({ content: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }] }), new HumanMessage(q)]);`,
    },
  ],
  invalid: [
    {
      name: 'a tiny cached SystemMessage on claude-sonnet-4-6',
      code: `${LC}export const ask = (q: string) =>
  model.invoke([new SystemMessage({ content: [{ type: 'text', text: 'You are a helpful assistant.', cache_control: CC }] }), new HumanMessage(q)]);`,
      errors: [
        {
          messageId: 'belowMinimum',
          // 28 characters → 7 tokens; upper bound ceil(7 × 1.5) + 5 framing tokens for one segment
          data: { marker: 'This cache_control marker', tokens: '7', upperBound: '16', minimum: '1,024', model: 'claude-sonnet-4-6', source: '', others: '' },
          line: 6,
          column: 101,
          endLine: 6,
          endColumn: 118,
        },
      ],
    },
    {
      name: 'the cache_control call option on a short prompt (claude-haiku-4-5, 4,096 minimum)',
      code: `import { ChatAnthropic } from '@langchain/anthropic';
const haiku = new ChatAnthropic('claude-haiku-4-5');
export const summarize = () =>
  haiku.invoke([['system', 'Summarize the ticket.'], ['human', 'Printer is on fire.']], { cache_control: { type: 'ephemeral' } });`,
      errors: [
        {
          messageId: 'belowMinimum',
          // 'Summarize the ticket.' (6 tokens) + 'Printer is on fire.' (5); ceil(11 × 1.5) + 2 × 5 framing
          data: { marker: 'Automatic caching (the top-level cache_control)', tokens: '11', upperBound: '27', minimum: '4,096', model: 'claude-haiku-4-5', source: '', others: '' },
          line: 4,
          column: 91,
          endLine: 4,
          endColumn: 127,
        },
      ],
    },
  ],
});

ruleTester.run('no-early-breakpoint (LangChain)', noEarlyBreakpoint, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'the cache_control call option caches up to the end',
      code: `${LC}export const ask = (q: string) =>
  model.invoke([new SystemMessage({ content: [{ type: 'text', text: 'Intro.' }, { type: 'text', text: '${filler(1200)}' }] }), new HumanMessage(q)], { cache_control: CC });`,
    },
  ],
  invalid: [
    {
      name: 'the marker on the first system block leaves the long stable block after it uncached',
      code: `${LC}export const ask = (q: string) =>
  model.invoke([
    new SystemMessage({ content: [{ type: 'text', text: 'Intro.', cache_control: CC }, { type: 'text', text: '${filler(1200)}' }] }),
    new HumanMessage(q),
  ]);`,
      errors: [
        {
          messageId: 'earlyBreakpoint',
          // 1,200 tokens sent uncached: 1,200 × $3 × (1 − 0.1) per MTok
          data: { marker: 'cache_control', amount: '~1,200 stable tokens', where: 'system prompt, before per-request content in message 1', cost: '; about $0.0032 extra per request on claude-sonnet-4-6 ($3.24 per 1,000 requests)' },
          line: 7,
          column: 67,
          endLine: 7,
          endColumn: 84,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: `${LC}export const ask = (q: string) =>
  model.invoke([
    new SystemMessage({ content: [{ type: 'text', text: 'Intro.' }, { type: 'text', text: '${filler(1200)}', cache_control: CC }] }),
    new HumanMessage(q),
  ]);`,
            },
          ],
        },
      ],
    },
  ],
});

/** The requests the core finds in `code` (TypeScript), through ESLint's Linter. */
function requestsOf(code: string): PromptRequest[] {
  let found: PromptRequest[] = [];
  const linter = new Linter();
  const probe = {
    meta: { type: 'problem' as const, schema: [] },
    create(context: { sourceCode: Parameters<typeof getFileAnalysis>[0] }) {
      return { 'Program:exit'() { found = getFileAnalysis(context.sourceCode).requests; } };
    },
  };
  const messages = linter.verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tsParser as never }, plugins: { probe: { rules: { requests: probe as never } } }, rules: { 'probe/requests': 'error' } }], { filename: 'file.ts' });
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return found;
}

describe('LangChain request layout', () => {
  it('puts leading system messages in system and keeps a later one in messages (ChatAnthropic)', () => {
    const [request] = requestsOf(`${LC}export const ask = (q: string) =>
  model.invoke([['system', 'A'], new SystemMessage('B'), ['human', q], ['ai', 'ok'], ['system', 'Later'], { role: 'user', content: 'next' }]);`);
    expect(request.site).toMatchObject({ format: 'langchain', provider: 'langchain', method: 'invoke', client: 'ChatAnthropic', platform: 'anthropic' });
    expect(request.model?.id).toBe('claude-sonnet-4-6');
    expect(request.segments.map((s) => [s.section, s.role, s.messageIndex])).toEqual([
      ['system', null, null],
      ['system', null, null],
      ['messages', 'user', 0],
      ['messages', 'assistant', 1],
      ['messages', 'system', 2],
      ['messages', 'user', 3],
    ]);
    expect(request.hasHistory).toBe(true);
  });

  it('collects every system message into system on ChatBedrockConverse, and the call option adds cache points', () => {
    const [request] = requestsOf(`${BEDROCK}export const ask = (q: string) =>
  model.invoke([['human', 'a'], ['system', 'S'], ['human', q]], { cache_control: { type: 'ephemeral', ttl: '1h' } });`);
    expect(request.site).toMatchObject({ client: 'ChatBedrockConverse', platform: 'bedrock', format: 'langchain' });
    expect(request.model).toMatchObject({ id: 'us.anthropic.claude-sonnet-4-6-v1:0', bedrock: true });
    expect(request.segments.map((s) => s.section)).toEqual(['system', 'messages', 'messages']);
    // after the system blocks and after the last message; no automatic caching on Bedrock
    expect(request.breakpoints.map((b) => [b.segmentIndex, b.ttl, b.automatic])).toEqual([
      [0, '1h', false],
      [2, '1h', false],
    ]);
    expect(request.automatic).toBeNull();
  });

  it('reads stream and batch methods, bindTools chains and the call option as automatic caching', () => {
    const requests = requestsOf(`${LC}const tools = [{ name: 'f', description: 'd', input_schema: { type: 'object' }, cache_control: CC }];
const bound = model.bindTools(tools).withConfig({ cache_control: { type: 'ephemeral', ttl: '1h' } });
export async function run(a: string, b: string) {
  await bound.stream(a);
  await model.batch(['x', [['system', 'S'], ['human', b]]]);
}`);
    expect(requests.map((r) => r.site.method)).toEqual(['stream.langchain', 'batch', 'batch']);
    const [stream, first, second] = requests;
    expect(stream.segments[0]).toMatchObject({ section: 'tools', kind: 'tool' });
    expect(stream.breakpoints.map((b) => [b.segmentIndex, b.automatic, b.ttl])).toEqual([
      [0, false, undefined],
      [1, true, '1h'],
    ]);
    expect(first.segments.map((s) => s.kind)).toEqual(['text']);
    expect(second.segments.map((s) => [s.section, s.kind])).toEqual([
      ['system', 'system'],
      ['messages', 'opaque'],
    ]);
  });

  it('keeps metadata.cache_control of a legacy data block (source_type) in a message', () => {
    const [request] = requestsOf(`${LC}export const ask = () =>
  model.invoke([new HumanMessage({ content: [{ type: 'text', source_type: 'text', text: 'Doc', metadata: { cache_control: CC } }, { type: 'text', text: 'Q' }] })]);`);
    expect(request.breakpoints.map((b) => b.segmentIndex)).toEqual([0]);
  });

  it('lays out an agent: systemPrompt first, messages, automatic caching with the middleware ttl', () => {
    const [request] = requestsOf(`${AGENT}import { ChatAnthropic } from '@langchain/anthropic';
const agent = createAgent({
  model: new ChatAnthropic({ model: 'claude-opus-4-8' }),
  systemPrompt: 'You plan trips.',
  tools: [],
  middleware: [anthropicPromptCachingMiddleware({ ttl: '1h' })],
});
export const plan = (history: unknown[], q: string) => agent.invoke({ messages: [...history, { role: 'user', content: q }] });`);
    expect(request.site).toMatchObject({ client: 'createAgent', method: 'invoke', platform: 'anthropic' });
    expect(request.model?.id).toBe('claude-opus-4-8');
    expect(request.segments.map((s) => [s.section, s.kind, s.opaque])).toEqual([
      ['system', 'system', false],
      ['messages', 'opaque', true],
      ['messages', 'opaque', false],
    ]);
    expect(request.automatic).toMatchObject({ automatic: true, type: 'ephemeral', ttl: '1h', segmentIndex: 2 });
  });

  it('follows initChatModel, a model assigned in the constructor, withStructuredOutput and messages from langchain', () => {
    const requests = requestsOf(`import { initChatModel, HumanMessage, SystemMessage } from 'langchain';
import { ChatAnthropic } from '@langchain/anthropic';
export async function quick(q: string) {
  const fast = await initChatModel('anthropic:claude-haiku-4-5');
  return fast.invoke([new SystemMessage('S'), new HumanMessage(q)]);
}
export class Extractor {
  private llm;
  constructor() { this.llm = new ChatAnthropic({ model: 'claude-opus-4-8' }); }
  run(text: string) { return this.llm.withStructuredOutput({ type: 'object', properties: {} }).invoke(text); }
}`);
    expect(requests.map((r) => [r.site.client, r.model?.id, r.segments.map((s) => `${s.section}/${s.kind}`).join(' ')])).toEqual([
      ['ChatAnthropic', 'claude-haiku-4-5', 'system/system messages/opaque'],
      ['ChatAnthropic', 'claude-opus-4-8', 'tools/tool messages/opaque'],
    ]);
  });

  it('finds no request for a model that is never called, nor for .pipe() chains', () => {
    expect(requestsOf(`${LC}import { ChatPromptTemplate } from '@langchain/core/prompts';
const prompt = ChatPromptTemplate.fromMessages([['system', 'S'], ['human', '{q}']]);
export const chain = prompt.pipe(model);`)).toEqual([]);
  });

  it('runs in the full plugin without findings on a stable, well-cached request', () => {
    const linter = new Linter();
    const code = `${LC}export const ask = (q: string) =>
  model.invoke([new SystemMessage({ content: [{ type: 'text', text: '${filler(1200)}', cache_control: CC }] }), new HumanMessage(q)]);`;
    const messages = linter.verify(code, [{ files: ['**/*.ts'], languageOptions: { parser: tsParser as never }, ...plugin.configs.all }], { filename: 'file.ts' });
    expect(messages).toEqual([]);
  });
});
