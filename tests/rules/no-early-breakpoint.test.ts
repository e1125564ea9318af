import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../../src/index.js';
import rule from '../../rules/no-early-breakpoint.js';
import { filler, jsRuleTester, ruleTester, sdk } from './utils.js';

// `GUIDE` is 4,000 ASCII characters: exactly 1,000 estimated tokens (line 3 of every `sdk(GUIDE + …)` case).
const GUIDE = `const GUIDE = 'x'.repeat(4000);\n`;

// claude-sonnet-4-5: $3/MTok input, read 0.1x → a token sent uncached instead of read costs 0.9 × $3 per MTok.
// 1,000 tokens → $0.0027 per request.
const SONNET_1000 = '; about $0.0027 extra per request on claude-sonnet-4-5 ($2.70 per 1,000 requests)';

const CC = "cache_control: { type: 'ephemeral' }";

const data = (amount: string, where: string, cost = SONNET_1000, marker = 'cache_control') => ({ marker, amount, where, cost });
const THOUSAND = '~1,000 stable tokens';
const BEFORE_MESSAGE_1 = 'system prompt, before per-request content in message 1';

/** A request with the given `system` blocks (one per line, from line 9) and a per-request user question. */
function systemBlocks(...blocks: string[]): string {
  return sdk(`${GUIDE}export async function ask(question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [
${blocks.map((block) => `      ${block},`).join('\n')}
    ],
    messages: [{ role: 'user', content: question }],
  });
}`);
}

const MSG = "type Msg = { role: 'user' | 'assistant'; content: { type: 'text'; text: string; cache_control?: unknown }[] };\n";
const EARLY = `{ type: 'text', text: 'You are a support agent.', ${CC} }, { type: 'text', text: GUIDE }`;
const MOVED = `{ type: 'text', text: 'You are a support agent.' }, { type: 'text', text: GUIDE, ${CC} }`;
const BEFORE_HISTORY = 'system prompt, before the conversation history';

/**
 * A chat request whose short first system block carries the marker, GUIDE (1,000 tokens) after it, then
 * `messages`; `before` runs in the function first, `preamble` declares helpers. The marker is on line 11.
 */
function chatRequest(messages: string, { before = '', preamble = '', system = EARLY } = {}): string {
  return sdk(`${GUIDE}${MSG}${preamble}
export async function chat(history: Msg[], other: Msg[]) {
  ${before}
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [${system}],
    messages: ${messages},
  });
}`);
}

/** The helpers below are one line each, so the marker stays on line 11. */
const MARK_LAST = "const markLast = (msgs: Msg[]) => msgs.map((m, i) => (i === msgs.length - 1 ? { ...m, content: m.content.map((b) => ({ ...b, cache_control: { type: 'ephemeral' as const } })) } : m));";
const MARK_RECENT = "function markRecent(msgs: Msg[]) { for (let i = msgs.length - 1, n = 0; i >= 0 && n < 2; i--) { if (msgs[i].role !== 'user') continue; msgs[i].content.at(-1)!.cache_control = { type: 'ephemeral' }; n++; } }";
const COUNT_MARKERS = 'function countMarkers(msgs: Msg[]) { return msgs.filter((m) => m.content.some((b) => b.cache_control)).length; }';

/** The early-marker report on a `chatRequest`, with its suggestion. */
function earlyInChat(messages: string, options: { before?: string; preamble?: string } = {}) {
  return {
    code: chatRequest(messages, options),
    errors: [
      {
        messageId: 'earlyBreakpoint' as const,
        data: data(THOUSAND, BEFORE_HISTORY),
        line: 11,
        column: 64,
        endLine: 11,
        endColumn: 100,
        suggestions: [{ messageId: 'moveBreakpoint' as const, data: { marker: 'cache_control', target: 'system prompt' }, output: chatRequest(messages, { ...options, system: MOVED }) }],
      },
    ],
  };
}

ruleTester.run('no-early-breakpoint', rule, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    // --- the breakpoint already closes the stable prefix ----------------------------------------------------
    {
      name: 'the last breakpoint is already on the last stable block',
      code: systemBlocks("{ type: 'text', text: 'You are a support agent.' }", `{ type: 'text', text: GUIDE, ${CC} }`),
    },
    {
      name: 'per-request content follows the breakpoint directly',
      code: systemBlocks(`{ type: 'text', text: GUIDE, ${CC} }`),
    },
    {
      name: 'multi-turn: breakpoint on the newest message after ...history',
      code: sdk(`${GUIDE}export async function chat(history: Anthropic.MessageParam[], question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    system: [{ type: 'text', text: GUIDE, ${CC} }],
    messages: [...history, { role: 'user', content: [{ type: 'text', text: question, ${CC} }] }],
  });
}`),
    },
    {
      name: 'multi-turn: a static reminder after the marked newest turn of a growing conversation',
      code: sdk(`${GUIDE}export async function chat(history: Anthropic.MessageParam[]) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    messages: [...history, { role: 'user', content: [{ type: 'text', text: 'Continue.', ${CC} }, { type: 'text', text: GUIDE }] }],
  });
}`),
    },
    {
      name: 'automatic caching puts its breakpoint at the end',
      code: sdk(`${GUIDE}export async function ask(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, ${CC},
    system: [{ type: 'text', text: 'Short.', ${CC} }, { type: 'text', text: GUIDE }],
    messages: [{ role: 'user', content: question }],
  });
}`),
    },
    {
      name: 'conversation history (a loop with a marker on every turn) before a static message',
      code: sdk(`${GUIDE}export async function chat(turns: { role: 'user' | 'assistant'; text: string }[], question: string) {
  const messages: Anthropic.MessageParam[] = [];
  for (const turn of turns) messages.push({ role: turn.role, content: [{ type: 'text', text: turn.text, ${CC} }] });
  messages.push({ role: 'user', content: GUIDE });
  messages.push({ role: 'user', content: question });
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
}`),
    },
    {
      name: 'repeated marker in a map template over a parameter (the tools differ per request)',
      code: sdk(`${GUIDE}export async function agent(toolNames: string[], question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    tools: toolNames.map((name) => ({ name, input_schema: { type: 'object' as const }, ${CC} })),
    system: GUIDE,
    messages: [{ role: 'user', content: question }],
  });
}`),
    },
    {
      name: 'repeated marker pushed in a loop over a parameter',
      code: sdk(`${GUIDE}export async function agent(defs: Anthropic.Tool[], question: string) {
  const tools: Anthropic.Tool[] = [];
  for (const def of defs) tools.push({ ...def, ${CC} });
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, tools, system: GUIDE, messages: [{ role: 'user', content: question }] });
}`),
    },

    // --- too little stable content to be worth a report -----------------------------------------------------
    {
      name: 'a short label after the breakpoint',
      code: systemBlocks(`{ type: 'text', text: GUIDE, ${CC} }`, "{ type: 'text', text: 'Question:' }"),
    },
    {
      name: 'stable text up to the end of the prompt, below the threshold',
      code: sdk(`${GUIDE}export async function daily() {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    system: [{ type: 'text', text: GUIDE, ${CC} }],
    messages: [{ role: 'user', content: 'Write the daily tip.' }],
  });
}`),
    },
    {
      name: 'the whole prefix stays below the model minimum (claude-haiku-4-5: 4,096)',
      code: systemBlocks(`{ type: 'text', text: 'Short.', ${CC} }`, `{ type: 'text', text: '${filler(400)}' }`).replace('claude-sonnet-4-5', 'claude-haiku-4-5'),
    },
    {
      name: 'option minTokens above the stable run',
      code: systemBlocks(`{ type: 'text', text: 'Short.', ${CC} }`, "{ type: 'text', text: GUIDE }"),
      options: [{ minTokens: 2000 }],
    },
    {
      name: 'option checkEndOfPrompt: false ignores stable content that runs to the end',
      code: sdk(`${GUIDE}export async function daily() {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    system: [{ type: 'text', text: 'Short.', ${CC} }],
    messages: [{ role: 'user', content: GUIDE }],
  });
}`),
      options: [{ checkEndOfPrompt: false }],
    },

    // --- cannot tell ------------------------------------------------------------------------------------------
    {
      name: 'content after the breakpoint depends on a function parameter',
      code: systemBlocks(`{ type: 'text', text: 'Short.', ${CC} }`, "{ type: 'text', text: GUIDE + ' Plan: ' + plan }").replace('(question: string)', '(question: string, plan: string)'),
    },
    {
      name: 'an imported constant after the breakpoint (unknown)',
      code: `import { POLICY } from './policy';\n${systemBlocks(`{ type: 'text', text: 'Short.', ${CC} }`, "{ type: 'text', text: POLICY }", "{ type: 'text', text: GUIDE }")}`,
    },
    {
      name: 'an unknown call result after the breakpoint',
      code: `declare function loadContext(): Promise<string>;\n${systemBlocks(`{ type: 'text', text: 'Short.', ${CC} }`, "{ type: 'text', text: GUIDE }", "{ type: 'text', text: await loadContext() }")}`,
    },
    {
      name: 'per-request content before the breakpoint (the prefix is not reusable either)',
      code: systemBlocks(`{ type: 'text', text: \`Today is \${new Date().toISOString()}\`, ${CC} }`, "{ type: 'text', text: GUIDE }"),
    },
    {
      name: 'request params spread from an unknown object',
      code: sdk(`${GUIDE}export async function ask(base: Anthropic.MessageCreateParamsNonStreaming, question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    system: [{ type: 'text', text: 'Short.', ${CC} }, { type: 'text', text: GUIDE }],
    messages: [{ role: 'user', content: question }],
    ...base,
  });
}`),
    },
    {
      name: 'token counting never uses the cache',
      code: systemBlocks(`{ type: 'text', text: 'Short.', ${CC} }`, "{ type: 'text', text: GUIDE }").replace('messages.create({', 'messages.countTokens({').replace('    max_tokens: 1024,\n', ''),
    },
    {
      name: 'the conversation history follows the system marker directly',
      code: sdk(`${GUIDE}export async function chat(history: Anthropic.MessageParam[], question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    system: [{ type: 'text', text: 'Short.', ${CC} }],
    messages: [...history, { role: 'user', content: GUIDE }, { role: 'user', content: question }],
  });
}`),
    },
    {
      name: 'no breakpoint at all',
      code: systemBlocks("{ type: 'text', text: 'Short.' }", "{ type: 'text', text: GUIDE }"),
    },
    {
      name: 'Twilio client.messages.create look-alike',
      code: `import twilio from 'twilio';\nconst client = twilio('sid', 'token');\n${GUIDE}export async function sms(to: string) {
  return client.messages.create({ body: GUIDE, cache_control: { type: 'ephemeral' }, to, from: '+15550100' });
}`,
    },
    // --- markers added outside the request literal move the last breakpoint ---------------------------------
    {
      name: 'helper: a map that marks the newest message (messages: markLast(history)) puts the last breakpoint after GUIDE',
      code: chatRequest('markLast(history)', { preamble: MARK_LAST }),
    },
    {
      name: 'helper: the newest user turns marked in place before the request',
      code: chatRequest('[...history]', { before: 'markRecent(history);', preamble: MARK_RECENT }),
    },
    {
      name: 'helper: the marked copy is sent under a condition (may still add the last breakpoint)',
      code: chatRequest('history.length > 2 ? markLast(history) : history', { preamble: MARK_LAST }),
    },
    {
      name: 'helper: marks under a condition (may still add the last breakpoint)',
      code: chatRequest('history', { before: 'if (history.length > 2) markRecent(history);', preamble: MARK_RECENT }),
    },
    {
      name: 'inline: a counter loop from the end marks the newest user turns',
      code: chatRequest('history', { before: "for (let i = history.length - 1, n = 0; i >= 0 && n < 2; i--) { if (history[i].role !== 'user') continue; history[i].content.at(-1)!.cache_control = { type: 'ephemeral' }; n++; }" }),
    },
    {
      name: 'inline: the newest message marked by an assignment',
      code: chatRequest('history', { before: "history.at(-1)!.content.at(-1)!.cache_control = { type: 'ephemeral' };" }),
    },
    {
      name: 'AI SDK: a helper sets providerOptions on the newest messages',
      code: `import { generateText, type ModelMessage } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
${GUIDE}const cached = { anthropic: { cacheControl: { type: 'ephemeral' } } } as const;
const cacheLast = (messages: ModelMessage[]) => messages.map((message, index) => (index >= messages.length - 2 ? { ...message, providerOptions: cached } : message));
export const chat = (history: ModelMessage[]) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  system: [{ role: 'system', content: 'You are a support agent.', providerOptions: cached }, { role: 'system', content: GUIDE }],
  messages: cacheLast(history),
});`,
    },
  ],
  invalid: [
    {
      name: 'a large static system block after the marked one',
      code: systemBlocks(`{ type: 'text', text: 'You are a support agent.', ${CC} }`, "{ type: 'text', text: GUIDE }"),
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data(THOUSAND, BEFORE_MESSAGE_1),
          line: 9,
          column: 57,
          endLine: 9,
          endColumn: 93,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: systemBlocks("{ type: 'text', text: 'You are a support agent.' }", `{ type: 'text', text: GUIDE, ${CC} }`),
            },
          ],
        },
      ],
    },
    {
      name: 'cache_control in the middle of the block; the target block has a trailing comma',
      code: systemBlocks(`{ type: 'text', ${CC}, text: 'Short.' }`, "{ type: 'text', text: GUIDE, }"),
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data(THOUSAND, BEFORE_MESSAGE_1),
          line: 9,
          column: 23,
          endLine: 9,
          endColumn: 59,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: systemBlocks("{ type: 'text', text: 'Short.' }", `{ type: 'text', text: GUIDE, ${CC}, }`),
            },
          ],
        },
      ],
    },
    {
      name: 'multi-line blocks: the property line is removed and re-added with the target indentation',
      code: sdk(`${GUIDE}export async function ask(question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [
      {
        type: 'text',
        text: 'You are a support agent.',
        cache_control: { type: 'ephemeral', ttl: '1h' },
      },
      {
        type: 'text',
        text: GUIDE
      },
    ],
    messages: [{ role: 'user', content: question }],
  });
}`),
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data(THOUSAND, BEFORE_MESSAGE_1),
          line: 12,
          column: 9,
          endLine: 12,
          endColumn: 56,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: sdk(`${GUIDE}export async function ask(question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [
      {
        type: 'text',
        text: 'You are a support agent.',
      },
      {
        type: 'text',
        text: GUIDE,
        cache_control: { type: 'ephemeral', ttl: '1h' }
      },
    ],
    messages: [{ role: 'user', content: question }],
  });
}`),
            },
          ],
        },
      ],
    },
    {
      name: 'a shorthand marker constant keeps its source text',
      code: `const cache_control = { type: 'ephemeral' } as const;\n${systemBlocks("{ type: 'text', text: 'Short.', cache_control }", "{ type: 'text', text: GUIDE }")}`,
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data(THOUSAND, BEFORE_MESSAGE_1),
          line: 10,
          column: 39,
          endLine: 10,
          endColumn: 52,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: `const cache_control = { type: 'ephemeral' } as const;\n${systemBlocks("{ type: 'text', text: 'Short.' }", "{ type: 'text', text: GUIDE, cache_control }")}`,
            },
          ],
        },
      ],
    },
    {
      name: 'the stable run spans several blocks; the marker moves to the last one',
      code: systemBlocks(`{ type: 'text', text: 'Short.', ${CC} }`, "{ type: 'text', text: GUIDE }", "{ type: 'text', text: 'Answer in English.' }"),
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data('~1,005 stable tokens', BEFORE_MESSAGE_1, '; about $0.0027 extra per request on claude-sonnet-4-5 ($2.71 per 1,000 requests)'),
          line: 9,
          column: 39,
          endLine: 9,
          endColumn: 75,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: systemBlocks("{ type: 'text', text: 'Short.' }", "{ type: 'text', text: GUIDE }", `{ type: 'text', text: 'Answer in English.', ${CC} }`),
            },
          ],
        },
      ],
    },
    {
      name: 'a conditional marker is moved as written',
      code: systemBlocks("{ type: 'text', text: 'Short.', cache_control: CACHE ? { type: 'ephemeral' } : undefined }", "{ type: 'text', text: GUIDE }").replace(GUIDE, `${GUIDE}const CACHE = process.env.CACHE === '1';\n`),
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data(THOUSAND, BEFORE_MESSAGE_1),
          line: 10,
          column: 39,
          endLine: 10,
          endColumn: 95,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: systemBlocks("{ type: 'text', text: 'Short.' }", "{ type: 'text', text: GUIDE, cache_control: CACHE ? { type: 'ephemeral' } : undefined }").replace(
                GUIDE,
                `${GUIDE}const CACHE = process.env.CACHE === '1';\n`,
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'last system breakpoint followed by a long static few-shot exchange (no suggestion: other array)',
      code: sdk(`${GUIDE}export async function classify(ticket: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    system: [{ type: 'text', text: 'Classify support tickets.', ${CC} }],
    messages: [
      { role: 'user', content: GUIDE },
      { role: 'assistant', content: 'billing' },
      { role: 'user', content: ticket },
    ],
  });
}`),
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data('~1,002 stable tokens', 'message 1 to message 2, before per-request content in message 3', '; about $0.0027 extra per request on claude-sonnet-4-5 ($2.71 per 1,000 requests)'),
          line: 6,
          column: 65,
          endLine: 6,
          endColumn: 101,
        },
      ],
    },
    {
      name: 'few-shot content blocks before ...history: the marker moves within the message',
      code: sdk(`${GUIDE}export async function chat(history: Anthropic.MessageParam[]) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Examples follow.', ${CC} }, { type: 'text', text: GUIDE }] },
      ...history,
    ],
  });
}`),
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data(THOUSAND, 'message 1, before the conversation history'),
          line: 7,
          column: 75,
          endLine: 7,
          endColumn: 111,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'message 1' },
              output: sdk(`${GUIDE}export async function chat(history: Anthropic.MessageParam[]) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Examples follow.' }, { type: 'text', text: GUIDE, ${CC} }] },
      ...history,
    ],
  });
}`),
            },
          ],
        },
      ],
    },
    {
      name: 'stable content up to the end of the prompt',
      code: sdk(`${GUIDE}export async function weeklyDigest() {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    system: [{ type: 'text', text: 'You write digests.', ${CC} }],
    messages: [{ role: 'user', content: [{ type: 'text', text: GUIDE }] }],
  });
}`),
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data(THOUSAND, 'message 1, up to the end of the prompt'),
          line: 6,
          column: 58,
          endLine: 6,
          endColumn: 94,
        },
      ],
    },
    {
      name: 'a prompt file read once at module level after the breakpoint',
      code: `import { readFileSync } from 'node:fs';\nconst RUBRIC = readFileSync(new URL('./rubric.md', import.meta.url), 'utf8');\n${systemBlocks(`{ type: 'text', text: 'Grade the essay.', ${CC} }`, "{ type: 'text', text: RUBRIC }")}`,
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data('stable text of unknown size (readFileSync() at module level)', BEFORE_MESSAGE_1, ''),
          line: 11,
          column: 49,
          endLine: 11,
          endColumn: 85,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: `import { readFileSync } from 'node:fs';\nconst RUBRIC = readFileSync(new URL('./rubric.md', import.meta.url), 'utf8');\n${systemBlocks("{ type: 'text', text: 'Grade the essay.' }", `{ type: 'text', text: RUBRIC, ${CC} }`)}`,
            },
          ],
        },
      ],
    },
    {
      name: 'a module-level value of unknown size plus known text: the count is a lower bound',
      code: `declare function loadTone(): string;\nconst TONE = loadTone();\n${systemBlocks(`{ type: 'text', text: 'Short.', ${CC} }`, "{ type: 'text', text: TONE }", "{ type: 'text', text: GUIDE }")}`,
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data('~1,000+ stable tokens', BEFORE_MESSAGE_1, '; at least $0.0027 extra per request on claude-sonnet-4-5 ($2.70 per 1,000 requests)'),
          line: 11,
          column: 39,
          endLine: 11,
          endColumn: 75,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: `declare function loadTone(): string;\nconst TONE = loadTone();\n${systemBlocks("{ type: 'text', text: 'Short.' }", "{ type: 'text', text: TONE }", `{ type: 'text', text: GUIDE, ${CC} }`)}`,
            },
          ],
        },
      ],
    },
    {
      name: 'tools: the marker on the first tool, more static tools after it',
      code: sdk(`${GUIDE}export async function agent(question: string) {
  return client.messages.create({ model: 'claude-opus-5', max_tokens: 1024,
    tools: [
      { name: 'search', input_schema: { type: 'object' }, ${CC} },
      { name: 'lookup', description: GUIDE, input_schema: { type: 'object' } },
    ],
    system: \`Today: \${new Date().toDateString()}\`,
    messages: [{ role: 'user', content: question }],
  });
}`),
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data('~1,017 stable tokens', 'tool definitions, before per-request content in the system prompt', '; about $0.0046 extra per request on claude-opus-5 ($4.58 per 1,000 requests)'),
          line: 7,
          column: 59,
          endLine: 7,
          endColumn: 95,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'tool definitions' },
              output: sdk(`${GUIDE}export async function agent(question: string) {
  return client.messages.create({ model: 'claude-opus-5', max_tokens: 1024,
    tools: [
      { name: 'search', input_schema: { type: 'object' } },
      { name: 'lookup', description: GUIDE, input_schema: { type: 'object' }, ${CC} },
    ],
    system: \`Today: \${new Date().toDateString()}\`,
    messages: [{ role: 'user', content: question }],
  });
}`),
            },
          ],
        },
      ],
    },
    {
      name: 'a string system prompt after the tools marker (no suggestion: a string cannot hold the marker)',
      code: sdk(`${GUIDE}export async function agent(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    tools: [{ name: 'search', input_schema: { type: 'object' }, ${CC} }],
    system: GUIDE,
    messages: [{ role: 'user', content: question }],
  });
}`),
      errors: [{ messageId: 'earlyBreakpoint', data: data(THOUSAND, BEFORE_MESSAGE_1), line: 6, column: 65, endLine: 6, endColumn: 101 }],
    },
    {
      name: 'repeated marker: tools pushed in a loop, then a static system prompt (reported once, no suggestion)',
      code: sdk(`${GUIDE}import { TOOL_DEFS } from './tools';
export async function agent(question: string) {
  const tools: Anthropic.Tool[] = [];
  for (const def of TOOL_DEFS) tools.push({ ...def, ${CC} });
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, tools, system: GUIDE,
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [{ messageId: 'earlyBreakpoint', data: data(THOUSAND, BEFORE_MESSAGE_1), line: 7, column: 53, endLine: 7, endColumn: 89 }],
    },
    {
      name: 'one shared system array used by two requests is reported once',
      code: sdk(`${GUIDE}const SYSTEM: Anthropic.TextBlockParam[] = [{ type: 'text', text: 'Short.', ${CC} }, { type: 'text', text: GUIDE }];
export const a = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, system: SYSTEM, messages: [{ role: 'user', content: q }] });
export const b = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, system: SYSTEM, messages: [{ role: 'user', content: \`Re: \${q}\` }] });`),
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data(THOUSAND, BEFORE_MESSAGE_1),
          line: 4,
          column: 77,
          endLine: 4,
          endColumn: 113,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: sdk(`${GUIDE}const SYSTEM: Anthropic.TextBlockParam[] = [{ type: 'text', text: 'Short.' }, { type: 'text', text: GUIDE, ${CC} }];
export const a = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, system: SYSTEM, messages: [{ role: 'user', content: q }] });
export const b = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, system: SYSTEM, messages: [{ role: 'user', content: \`Re: \${q}\` }] });`),
            },
          ],
        },
      ],
    },
    {
      name: 'an unknown model: no cost, still reported',
      code: systemBlocks(`{ type: 'text', text: 'Short.', ${CC} }`, "{ type: 'text', text: GUIDE }").replace('claude-sonnet-4-5', 'claude-next'),
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data(THOUSAND, BEFORE_MESSAGE_1, ''),
          line: 9,
          column: 39,
          endLine: 9,
          endColumn: 75,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: systemBlocks("{ type: 'text', text: 'Short.' }", `{ type: 'text', text: GUIDE, ${CC} }`).replace('claude-sonnet-4-5', 'claude-next'),
            },
          ],
        },
      ],
    },
    {
      name: 'option minTokens lowered: a short stable instruction is reported',
      code: systemBlocks(`{ type: 'text', text: GUIDE, ${CC} }`, `{ type: 'text', text: '${filler(100)}' }`),
      options: [{ minTokens: 50 }],
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data('~101 stable tokens', BEFORE_MESSAGE_1, '; about $0.00027 extra per request on claude-sonnet-4-5 ($0.27 per 1,000 requests)'),
          line: 9,
          column: 36,
          endLine: 9,
          endColumn: 72,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: systemBlocks("{ type: 'text', text: GUIDE }", `{ type: 'text', text: '${filler(100)}', ${CC} }`),
            },
          ],
        },
      ],
    },
    {
      name: 'a member of a parameter is per-request content',
      code: sdk(`${GUIDE}export async function answer(input: { question: string; locale: string }) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    system: [{ type: 'text', text: 'Short.', ${CC} }, { type: 'text', text: GUIDE }],
    messages: [{ role: 'user', content: input.question }],
  });
}`),
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data(THOUSAND, BEFORE_MESSAGE_1),
          line: 6,
          column: 46,
          endLine: 6,
          endColumn: 82,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: sdk(`${GUIDE}export async function answer(input: { question: string; locale: string }) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    system: [{ type: 'text', text: 'Short.' }, { type: 'text', text: GUIDE, ${CC} }],
    messages: [{ role: 'user', content: input.question }],
  });
}`),
            },
          ],
        },
      ],
    },
    {
      name: 'the marked block is declared in a variable (no suggestion)',
      code: sdk(`${GUIDE}const HEAD: Anthropic.TextBlockParam = { type: 'text', text: 'Short.', ${CC} };
export const ask = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, system: [HEAD, { type: 'text', text: GUIDE }], messages: [{ role: 'user', content: q }] });`),
      errors: [{ messageId: 'earlyBreakpoint', data: data(THOUSAND, BEFORE_MESSAGE_1), line: 4, column: 72, endLine: 4, endColumn: 108 }],
    },
    {
      name: 'a comment next to the marker (no suggestion: it would be lost)',
      code: systemBlocks(`{ type: 'text', text: 'Short.', /* cache the head */ ${CC} }`, "{ type: 'text', text: GUIDE }"),
      errors: [{ messageId: 'earlyBreakpoint', data: data(THOUSAND, BEFORE_MESSAGE_1), line: 9, column: 60, endLine: 9, endColumn: 96 }],
    },
    {
      name: 'a batch request item',
      code: sdk(`${GUIDE}export async function grade(essays: string[]) {
  return client.messages.batches.create({
    requests: [{ custom_id: 'e1', params: { model: 'claude-sonnet-4-5', max_tokens: 1024,
      system: [{ type: 'text', text: 'Grade the essay.', ${CC} }, { type: 'text', text: GUIDE }],
      messages: [{ role: 'user', content: essays[0] }] } }],
  });
}`),
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data(THOUSAND, BEFORE_MESSAGE_1),
          line: 7,
          column: 58,
          endLine: 7,
          endColumn: 94,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: sdk(`${GUIDE}export async function grade(essays: string[]) {
  return client.messages.batches.create({
    requests: [{ custom_id: 'e1', params: { model: 'claude-sonnet-4-5', max_tokens: 1024,
      system: [{ type: 'text', text: 'Grade the essay.' }, { type: 'text', text: GUIDE, ${CC} }],
      messages: [{ role: 'user', content: essays[0] }] } }],
  });
}`),
            },
          ],
        },
      ],
    },
    // --- helpers that add no later breakpoint -------------------------------------------------------------
    {
      name: 'helper: a function that only reads markers does not move the last breakpoint',
      ...earlyInChat('history', { before: 'if (countMarkers(history) > 4) throw new Error();', preamble: COUNT_MARKERS }),
    },
    {
      name: 'helper: marks the messages of another request',
      ...earlyInChat('history', { before: 'markRecent(other);', preamble: MARK_RECENT }),
    },
    {
      name: 'helper: called in a callback that runs later, not before the request',
      ...earlyInChat('history', { before: 'queueMicrotask(() => markRecent(history));', preamble: MARK_RECENT }),
    },
  ],
});

const JS_HEAD = `const Anthropic = require('@anthropic-ai/sdk');\nconst client = new Anthropic();\n${GUIDE}`;

jsRuleTester.run('no-early-breakpoint (plain JavaScript)', rule, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'JS: multi-turn marker on the newest message',
      code: `${JS_HEAD}exports.chat = (history, q) => client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, system: [{ type: 'text', text: GUIDE }], messages: [...history, { role: 'user', content: [{ type: 'text', text: q, ${CC} }] }] });`,
    },
    {
      name: 'JS: marker already on the last stable block',
      code: `${JS_HEAD}exports.ask = (q) => client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, system: [{ type: 'text', text: 'Short.' }, { type: 'text', text: GUIDE, ${CC} }], messages: [{ role: 'user', content: q }] });`,
    },
  ],
  invalid: [
    {
      name: 'JS: require() client, marker before a large static block',
      code: `${JS_HEAD}exports.ask = (q) => client.messages.create({ model: 'claude-opus-5', max_tokens: 10, system: [{ type: 'text', text: 'Short.', ${CC} }, { type: 'text', text: GUIDE + GUIDE }], messages: [{ role: 'user', content: q }] });`,
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data('~2,000 stable tokens', BEFORE_MESSAGE_1, '; about $0.0090 extra per request on claude-opus-5 ($9.00 per 1,000 requests)'),
          line: 4,
          column: 128,
          endLine: 4,
          endColumn: 164,
          suggestions: [
            {
              messageId: 'moveBreakpoint',
              data: { marker: 'cache_control', target: 'system prompt' },
              output: `${JS_HEAD}exports.ask = (q) => client.messages.create({ model: 'claude-opus-5', max_tokens: 10, system: [{ type: 'text', text: 'Short.' }, { type: 'text', text: GUIDE + GUIDE, ${CC} }], messages: [{ role: 'user', content: q }] });`,
            },
          ],
        },
      ],
    },
    {
      name: 'JS: static few-shot messages after the system marker',
      code: `${JS_HEAD}exports.ask = (q) => client.messages.create({ model: 'claude-opus-5', max_tokens: 10, system: [{ type: 'text', text: 'Short.', ${CC} }], messages: [{ role: 'user', content: GUIDE }, { role: 'assistant', content: 'OK' }, { role: 'user', content: q }] });`,
      errors: [
        {
          messageId: 'earlyBreakpoint',
          data: data('~1,001 stable tokens', 'message 1 to message 2, before per-request content in message 3', '; about $0.0045 extra per request on claude-opus-5 ($4.50 per 1,000 requests)'),
          line: 4,
          column: 128,
          endLine: 4,
          endColumn: 164,
        },
      ],
    },
  ],
});

describe('no-early-breakpoint options', () => {
  const verify = (options: unknown) => () =>
    new Linter().verify('const x = 1;', [{ plugins: { 'prompt-cache': plugin }, rules: { 'prompt-cache/no-early-breakpoint': ['error', options] } }]);

  it('rejects a misspelt option, naming it and the valid ones', () => {
    expect(verify({ minToken: 10 })).toThrow(/no-early-breakpoint[\s\S]*Unexpected property "minToken"\. Expected properties: "minTokens", "checkEndOfPrompt"/);
  });

  it('rejects a negative minTokens', () => {
    // ESLint's schema messages name the value, not the property, for range and type errors.
    expect(verify({ minTokens: -1 })).toThrow(/no-early-breakpoint[\s\S]*Value -1 should be >= 0/);
  });

  it('rejects a non-boolean checkEndOfPrompt', () => {
    expect(verify({ checkEndOfPrompt: 'yes' })).toThrow(/no-early-breakpoint[\s\S]*Value "yes" should be boolean/);
  });
});
