import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../../src/index.js';
import rule from '../../rules/no-volatile-in-prefix.js';
import { jsRuleTester, ruleTester, sdk } from './utils.js';

// `SYS` is 4,000 ASCII characters: exactly 1,000 estimated tokens. A volatile scalar counts 10 tokens.
const SYS = `const SYS = 'x'.repeat(4000);\n`;

// claude-sonnet-4-5: $3/MTok input, 5m write 1.25x, read 0.1x → a miss costs 1.15 × $3 per MTok,
// e.g. 1,012 tokens → $0.0034914 per request ("$0.0035", "$3.49 per 1,000 requests").

function systemRequest(text: string, extra = ''): string {
  return sdk(`${SYS}export async function ask(question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,${extra}
    system: [{ type: 'text', text: ${text}, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  });
}`);
}

const MESSAGE = (value: string, frequency: string, tokens: string, cost: string, where = 'system prompt') => ({
  value,
  frequency,
  where,
  tokens,
  cost,
});

ruleTester.run('no-volatile-in-prefix', rule, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    // --- stable prompts -----------------------------------------------------------------------------------
    { name: 'static system prompt with a marker', code: systemRequest('`${SYS} Be concise.`') },
    { name: 'a constant date is not volatile', code: systemRequest("`${SYS} Cutoff: ${new Date('2024-03-01').toISOString()}`") },
    { name: 'environment variables are stable per deployment', code: systemRequest('`${SYS} Company: ${process.env.COMPANY_NAME} ${process.env.USER_ID}`') },
    { name: 'the year changes too rarely to matter', code: systemRequest('`${SYS} Year: ${new Date().getFullYear()}`') },
    { name: 'a per-user choice between two static prompts', code: sdk(`${SYS}const ADMIN = SYS + ' admin';\nexport async function ask(user: { isAdmin: boolean }, q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    system: [{ type: 'text', text: user.isAdmin ? ADMIN : SYS, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }] });
}`) },
    { name: 'an unknown parameter that is not per-user by name stays silent', code: systemRequest('`${SYS} ${docs}`').replace('(question: string)', '(question: string, docs: string)') },
    { name: 'an imported constant stays silent', code: `import { SYSTEM } from './prompts';\n${systemRequest('SYSTEM')}` },

    // --- computed once ----------------------------------------------------------------------------------
    { name: 'module-level timestamp is computed once per process', code: `const STARTED = new Date().toISOString();\n${systemRequest('`${SYS} Up since ${STARTED}`')}` },
    { name: 'a timestamp captured by a session factory is stable per session', code: sdk(`${SYS}export function createAgent() {
  const started = new Date().toISOString();
  return {
    ask: (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
      system: [{ type: 'text', text: \`\${SYS} Session started \${started}\`, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: q }] }),
  };
}`) },
    { name: 'a value on this (set elsewhere) is unknown', code: sdk(`${SYS}class Agent {
  startedAt = new Date().toISOString();
  ask(q: string) {
    return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
      system: [{ type: 'text', text: \`\${SYS} \${this.startedAt}\`, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: q }] });
  }
}`) },

    // --- position ---------------------------------------------------------------------------------------
    { name: 'volatile value after the last breakpoint', code: sdk(`${SYS}export async function ask(q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: \`Now: \${new Date().toISOString()}. \${q}\` }] });
}`) },
    { name: 'volatile system prompt without any breakpoint is not cached by markers', code: sdk(`${SYS}export async function ask(q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    system: \`\${SYS} \${new Date().toISOString()}\`,
    messages: [{ role: 'user', content: q }] });
}`) },
    { name: 'the newest turn of a conversation may carry the time (marker on it)', code: sdk(`${SYS}export async function chat(history: any[], q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
    messages: [...history, { role: 'user', content: [{ type: 'text', text: \`[\${new Date().toISOString()}] \${q}\`, cache_control: { type: 'ephemeral' } }] }] });
}`) },
    { name: 'the newest turn with automatic caching', code: sdk(`${SYS}export async function chat(history: any[], q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, cache_control: { type: 'ephemeral' },
    system: SYS,
    messages: [...history, { role: 'user', content: \`[\${Date.now()}] \${q}\` }] });
}`) },
    { name: 'countTokens never uses the cache', code: sdk(`${SYS}export async function count(q: string) {
  return client.messages.countTokens({ model: 'claude-sonnet-4-5',
    system: [{ type: 'text', text: \`\${SYS} \${Date.now()}\`, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }] });
}`) },

    // --- not prompts ------------------------------------------------------------------------------------
    { name: "Twilio's messages.create is not a prompt", code: `import twilio from 'twilio';\nconst client = twilio('sid', 'token');\nexport function notify(to: string) {\n  return client.messages.create({ body: \`Sent at \${new Date().toISOString()}\`, to, from: '+15550000000' });\n}` },
    { name: 'OpenAI Assistants thread messages are not Messages API requests', code: `import OpenAI from 'openai';\nconst openai = new OpenAI();\nexport function post(threadId: string) {\n  return openai.beta.threads.messages.create(threadId, { role: 'user', content: \`at \${Date.now()}\`, cache_control: { type: 'ephemeral' } } as any);\n}` },
    { name: 'a Prisma model named messages', code: `declare const prisma: any;\nexport function save(text: string) {\n  return prisma.messages.create({ data: { text, createdAt: new Date(), id: crypto.randomUUID() } });\n}` },
    { name: 'metadata.user_id is not part of the prompt', code: sdk(`${SYS}export async function ask(q: string, user: { id: string }) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, metadata: { user_id: user.id },
    system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }] });
}`) },
    { name: 'a value that is only logged', code: sdk(`${SYS}export async function ask(q: string) {
  const startedAt = new Date().toISOString();
  console.log('request', startedAt, crypto.randomUUID());
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }] });
}`) },

    { name: 'a Slack message is not a prompt', code: `declare const slack: any;\nexport function post() {\n  return slack.chat.postMessage({ channel: 'C1', text: \`deployed at \${Date.now()}\` });\n}` },
    { name: 'OpenAI chat completions are not Anthropic Messages requests', code: `import OpenAI from 'openai';\nconst openai = new OpenAI();\nexport function ask(q: string) {\n  return openai.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'system', content: \`Now: \${new Date().toISOString()}\` }, { role: 'user', content: q }] });\n}` },
    { name: 'volatile sampling parameters are not prompt text', code: sdk(`${SYS}export async function ask(q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100 + Math.floor(Math.random() * 10), temperature: Math.random(),
    system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }] });
}`) },
    { name: "the user's name in the user turn, after the breakpoint", code: sdk(`${SYS}export async function ask(q: string, user: { name: string }) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: \`\${user.name} asks: \${q}\` }] });
}`) },
    { name: 'a date built from constant parts', code: systemRequest('`${SYS} Launch: ${new Date(2024, 0, 15).toDateString()}`') },
    { name: 'a volatile prompt in a request without markers next to a cached one', code: sdk(`${SYS}export async function ask(q: string) {
  await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, system: \`\${SYS} \${Date.now()}\`, messages: [{ role: 'user', content: q }] });
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }] });
}`) },
    // --- options ----------------------------------------------------------------------------------------
    { name: 'ignoreFrequencies: day', code: systemRequest('`${SYS} Today is ${new Date().toDateString()}`'), options: [{ ignoreFrequencies: ['day'] }] },
    { name: 'ignoreFrequencies: user', code: systemRequest('`${SYS} Name: ${user.name}`').replace('(question: string)', '(question: string, user: { name: string })'), options: [{ ignoreFrequencies: ['user'] }] },
    { name: 'volatileCalls does not match a different name', code: `import { getNow } from './clock';\n${systemRequest('`${SYS} ${getTime()}`')}`.replace('import { getNow }', 'import { getTime }'), options: [{ volatileCalls: ['getNow'] }] },
  ],
  invalid: [
    {
      name: 'new Date().toISOString() in a cached system block, with the split suggestion',
      code: systemRequest('`${SYS} Today: ${new Date().toISOString()}`'),
      errors: [
        {
          messageId: 'volatileInPrefix',
          data: MESSAGE('new Date().toISOString()', 'changes on every request', '1,012', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.49 per 1,000 requests)'),
          line: 8,
          column: 53,
          endLine: 8,
          endColumn: 63,
          suggestions: [
            {
              messageId: 'moveAfterBreakpoint',
              data: { value: 'new Date().toISOString()' },
              output: systemRequest('`${SYS} Today: ${new Date().toISOString()}`').replace(
                "text: `${SYS} Today: ${new Date().toISOString()}`, cache_control: { type: 'ephemeral' } }",
                "text: `${SYS} Today: `, cache_control: { type: 'ephemeral' } }, { type: 'text', text: `${new Date().toISOString()}` }",
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'Date.now() in a string system prompt before a marker on the first message',
      code: sdk(`${SYS}export async function ask(q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    system: \`\${SYS} t=\${Date.now()}\`,
    messages: [{ role: 'user', content: [{ type: 'text', text: q, cache_control: { type: 'ephemeral' } }] }] });
}`),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('Date.now()', 'changes on every request', '1,011+', '; at least $0.0035 extra per request on claude-sonnet-4-5 ($3.49 per 1,000 requests)'), line: 6, column: 25, endLine: 6, endColumn: 35 }],
    },
    {
      name: 'global crypto.randomUUID()',
      code: systemRequest('`${SYS} Trace: ${crypto.randomUUID()}`'),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('crypto.randomUUID()', 'changes on every request', '1,012', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.49 per 1,000 requests)'), line: 8, column: 53, endLine: 8, endColumn: 72, suggestions: [{ messageId: 'moveAfterBreakpoint', data: { value: 'crypto.randomUUID()' }, output: systemRequest('`${SYS} Trace: `').replace('`${SYS} Trace: `,', "`${SYS} Trace: `, cache_control: { type: 'ephemeral' } }, { type: 'text', text: `${crypto.randomUUID()}` }").replace(", cache_control: { type: 'ephemeral' } }, { type: 'text', text: `${crypto.randomUUID()}` } cache_control: { type: 'ephemeral' } }", ", cache_control: { type: 'ephemeral' } }, { type: 'text', text: `${crypto.randomUUID()}` }") }] }],
    },
    {
      name: "randomUUID imported from 'node:crypto'",
      code: `import { randomUUID } from 'node:crypto';\n${systemRequest('SYS + randomUUID()')}`,
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('crypto.randomUUID()', 'changes on every request', '1,010', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)'), line: 9, column: 42, endLine: 9, endColumn: 54 }],
    },
    {
      name: 'uuid v4 under an alias',
      code: `import { v4 as uuidv4 } from 'uuid';\n${systemRequest('`${SYS} id=${uuidv4()}`')}`,
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('uuid.v4()', 'changes on every request', '1,011', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.49 per 1,000 requests)'), line: 9, column: 49, endLine: 9, endColumn: 57, suggestions: [{ messageId: 'moveAfterBreakpoint', data: { value: 'uuid.v4()' }, output: `import { v4 as uuidv4 } from 'uuid';\n${systemRequest('`${SYS} id=`')}`.replace("`${SYS} id=`, cache_control: { type: 'ephemeral' } }", "`${SYS} id=`, cache_control: { type: 'ephemeral' } }, { type: 'text', text: `${uuidv4()}` }") }] }],
    },
    {
      name: 'nanoid() via require',
      code: `const { nanoid } = require('nanoid');\n${systemRequest('SYS.concat(nanoid())')}`,
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('nanoid()', 'changes on every request', '1,010', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)'), line: 9, column: 47, endLine: 9, endColumn: 55 }],
    },
    {
      name: 'Math.random() picks a variant',
      code: systemRequest("`${SYS} Variant ${Math.floor(Math.random() * 3)}`"),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('Math.random()', 'changes on every request', '1,013', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.49 per 1,000 requests)'), line: 8, column: 65, endLine: 8, endColumn: 78, suggestions: [{ messageId: 'moveAfterBreakpoint', data: { value: 'Math.random()' }, output: systemRequest("`${SYS} Variant `").replace("`${SYS} Variant `, cache_control: { type: 'ephemeral' } }", "`${SYS} Variant `, cache_control: { type: 'ephemeral' } }, { type: 'text', text: `${Math.floor(Math.random() * 3)}` }") }] }],
    },
    {
      name: "moment().format('HH:mm') changes every minute",
      code: `import moment from 'moment';\n${systemRequest("SYS + ' ' + moment().format('HH:mm')")}`,
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('moment().format()', 'changes every minute', '1,011', '; about $0.0035 extra on claude-sonnet-4-5 each time it changes'), line: 9, column: 48, endLine: 9, endColumn: 56 }],
    },
    {
      name: "dayjs().format('YYYY-MM-DD') changes daily",
      code: `import dayjs from 'dayjs';\n${systemRequest("SYS + dayjs().format('YYYY-MM-DD')")}`,
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('dayjs().format()', 'changes daily', '1,010', '; about $0.0035 extra on claude-sonnet-4-5 each time it changes'), line: 9, column: 42, endLine: 9, endColumn: 49 }],
    },
    {
      name: 'an ISO timestamp cut to the day',
      code: systemRequest('`${SYS} Date: ${new Date().toISOString().slice(0, 10)}`'),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('new Date().toISOString().slice()', 'changes daily', '1,012', '; about $0.0035 extra on claude-sonnet-4-5 each time it changes'), line: 8, column: 52, endLine: 8, endColumn: 62, suggestions: [{ messageId: 'moveAfterBreakpoint', data: { value: 'new Date().toISOString().slice()' }, output: systemRequest('`${SYS} Date: `').replace("`${SYS} Date: `, cache_control: { type: 'ephemeral' } }", "`${SYS} Date: `, cache_control: { type: 'ephemeral' } }, { type: 'text', text: `${new Date().toISOString().slice(0, 10)}` }") }] }],
    },
    {
      name: 'date-fns format(new Date()) keeps the minute',
      code: `import { format } from 'date-fns';\n${systemRequest("`${SYS} ${format(new Date(), 'yyyy-MM-dd HH:mm')}`")}`,
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('format(new Date())', 'changes every minute', '1,011', '; about $0.0035 extra on claude-sonnet-4-5 each time it changes'), line: 9, column: 53, endLine: 9, endColumn: 63, suggestions: [{ messageId: 'moveAfterBreakpoint', data: { value: 'format(new Date())' }, output: `import { format } from 'date-fns';\n${systemRequest('`${SYS} `')}`.replace("`${SYS} `, cache_control: { type: 'ephemeral' } }", "`${SYS} `, cache_control: { type: 'ephemeral' } }, { type: 'text', text: `${format(new Date(), 'yyyy-MM-dd HH:mm')}` }") }] }],
    },
    {
      name: "a user's name is per user",
      code: systemRequest('`${SYS} The user is ${user.name}.`').replace('(question: string)', '(question: string, user: { name: string })'),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('user.name', 'differs per user or session', '1,004+', '; at least $0.0035 extra on claude-sonnet-4-5 each time it changes'), line: 8, column: 58, endLine: 8, endColumn: 67, suggestions: [{ messageId: 'moveAfterBreakpoint', data: { value: 'user.name' }, output: systemRequest('`${SYS} The user is `').replace('(question: string)', '(question: string, user: { name: string })').replace("`${SYS} The user is `, cache_control: { type: 'ephemeral' } }", "`${SYS} The user is `, cache_control: { type: 'ephemeral' } }, { type: 'text', text: `${user.name}.` }") }] }],
    },
    {
      name: 'request body fields are per request',
      code: systemRequest('SYS + req.body.tenantName').replace('(question: string)', '(question: string, req: any)'),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('req.body.tenantName', 'differs per user or session', '1,000+', '; at least $0.0034 extra on claude-sonnet-4-5 each time it changes'), line: 8, column: 42, endLine: 8, endColumn: 61 }],
    },
    {
      name: 'a userId parameter',
      code: systemRequest('`${SYS} [user ${userId}]`').replace('(question: string)', '(question: string, userId: string)'),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('userId', 'differs per user or session', '1,002+', '; at least $0.0035 extra on claude-sonnet-4-5 each time it changes'), line: 8, column: 52, endLine: 8, endColumn: 58, suggestions: [{ messageId: 'moveAfterBreakpoint', data: { value: 'userId' }, output: systemRequest('`${SYS} [user `').replace('(question: string)', '(question: string, userId: string)').replace("`${SYS} [user `, cache_control: { type: 'ephemeral' } }", "`${SYS} [user `, cache_control: { type: 'ephemeral' } }, { type: 'text', text: `${userId}]` }") }] }],
    },
    {
      name: 'a builder function in the same file: reported where it enters the request',
      code: sdk(`${SYS}function buildSystem() {
  return [SYS, \`Current time: \${new Date().toLocaleTimeString()}\`].join('\\n');
}
export async function ask(q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    system: [{ type: 'text', text: buildSystem(), cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }] });
}`),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('new Date().toLocaleTimeString()', 'changes every second', '1,014', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.50 per 1,000 requests)'), line: 9, column: 36, endLine: 9, endColumn: 49 }],
    },
    {
      name: 'a const in the same function: reported at the volatile expression',
      code: sdk(`${SYS}export async function ask(q: string) {
  const now = new Date();
  const stamp = now.toUTCString();
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    system: [{ type: 'text', text: SYS + '\\n' + stamp, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }] });
}`),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('new Date().toUTCString()', 'changes every second', '1,011', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.49 per 1,000 requests)'), line: 5, column: 15, endLine: 5, endColumn: 25 }],
    },
    {
      name: 'a tool description before a system marker',
      code: sdk(`${SYS}export async function ask(q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    tools: [{ name: 'search', description: \`Search (index built \${new Date().toISOString()})\`, input_schema: { type: 'object' } }],
    system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }] });
}`),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('new Date().toISOString()', 'changes on every request', '1,032', '; about $0.0036 extra per request on claude-sonnet-4-5 ($3.56 per 1,000 requests)', 'tool definitions'), line: 6, column: 67, endLine: 6, endColumn: 77 }],
    },
    {
      name: 'an earlier message before a marker on the last message',
      code: sdk(`${SYS}export async function ask(q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    messages: [
      { role: 'user', content: \`Context as of \${Date.now()}\` },
      { role: 'assistant', content: 'Understood.' },
      { role: 'user', content: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }] },
    ] });
}`),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('Date.now()', 'changes on every request', '1,017', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.51 per 1,000 requests)', 'message 1'), line: 7, column: 49, endLine: 7, endColumn: 59 }],
    },
    {
      name: 'automatic caching (top-level cache_control) caches the system prompt',
      code: sdk(`${SYS}export async function ask(q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, cache_control: { type: 'ephemeral' },
    system: \`\${SYS} \${new Date().toISOString()}\`,
    messages: [{ role: 'user', content: q }] });
}`),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('new Date().toISOString()', 'changes on every request', '1,011+', '; at least $0.0035 extra per request on claude-sonnet-4-5 ($3.49 per 1,000 requests)'), line: 6, column: 23, endLine: 6, endColumn: 33 }],
    },
    {
      name: 'a 1h marker costs a 2x write',
      code: systemRequest('`${SYS} ${Date.now()}`').replace("cache_control: { type: 'ephemeral' }", "cache_control: { type: 'ephemeral', ttl: '1h' }"),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('Date.now()', 'changes on every request', '1,011', '; about $0.0058 extra per request on claude-sonnet-4-5 ($5.76 per 1,000 requests)'), line: 8, column: 46, endLine: 8, endColumn: 56, suggestions: [{ messageId: 'moveAfterBreakpoint', data: { value: 'Date.now()' }, output: systemRequest('`${SYS} `').replace("cache_control: { type: 'ephemeral' }", "cache_control: { type: 'ephemeral', ttl: '1h' }").replace("`${SYS} `, cache_control: { type: 'ephemeral', ttl: '1h' } }", "`${SYS} `, cache_control: { type: 'ephemeral', ttl: '1h' } }, { type: 'text', text: `${Date.now()}` }") }] }],
    },
    {
      name: 'a placeholder expanded with replace()',
      code: sdk(`${SYS}const TEMPLATE = SYS + ' Today is {date}.';
export async function ask(q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    system: [{ type: 'text', text: TEMPLATE.replace('{date}', new Date().toLocaleDateString()), cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }] });
}`),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('new Date().toLocaleDateString()', 'changes daily', '1,013', '; about $0.0035 extra on claude-sonnet-4-5 each time it changes'), line: 7, column: 63, endLine: 7, endColumn: 73 }],
    },
    {
      name: 'each item of a batch is a request',
      code: sdk(`${SYS}export async function run(items: string[]) {
  return client.messages.batches.create({ requests: [
    { custom_id: 'a', params: { model: 'claude-sonnet-4-5', max_tokens: 10,
      system: [{ type: 'text', text: \`\${SYS} \${Date.now()}\`, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'hi' }] } },
  ] });
}`),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('Date.now()', 'changes on every request', '1,011', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.49 per 1,000 requests)'), line: 7, column: 48, endLine: 7, endColumn: 58, suggestions: [{ messageId: 'moveAfterBreakpoint', data: { value: 'Date.now()' }, output: sdk(`${SYS}export async function run(items: string[]) {
  return client.messages.batches.create({ requests: [
    { custom_id: 'a', params: { model: 'claude-sonnet-4-5', max_tokens: 10,
      system: [{ type: 'text', text: \`\${SYS} \`, cache_control: { type: 'ephemeral' } }, { type: 'text', text: \`\${Date.now()}\` }],
      messages: [{ role: 'user', content: 'hi' }] } },
  ] });
}`) }] }],
    },
    {
      name: 'a Bedrock client and model id use the normalised model row',
      code: `import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';\nconst bedrock = new AnthropicBedrock();\n${SYS}export async function ask(q: string) {
  return bedrock.messages.create({ model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', max_tokens: 10,
    system: [{ type: 'text', text: SYS + performance.now(), cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }] });
}`,
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('performance.now()', 'changes on every request', '1,010', '; about $0.0035 extra per request on us.anthropic.claude-sonnet-4-5-20250929-v1:0 ($3.48 per 1,000 requests)'), line: 6, column: 42, endLine: 6, endColumn: 59 }],
    },
    {
      name: 'a builder shared by two requests is reported where it enters each',
      code: sdk(`${SYS}function sys() { return SYS + Date.now(); }
export async function a(q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, system: [{ type: 'text', text: sys(), cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] });
}
export async function b(q: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10, system: [{ type: 'text', text: sys(), cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] });
}`),
      errors: [
        { messageId: 'volatileInPrefix', data: MESSAGE('Date.now()', 'changes on every request', '1,010', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)'), line: 6, column: 110, endLine: 6, endColumn: 115 },
        { messageId: 'volatileInPrefix', data: MESSAGE('Date.now()', 'changes on every request', '1,010', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)'), line: 9, column: 110, endLine: 9, endColumn: 115 },
      ],
    },
    {
      name: 'an untraced client on this with the shape of a request',
      code: `${SYS}export class Service {
  constructor(private client: any) {}
  ask(q: string) {
    return this.client.messages.create({ model: 'claude-opus-5', max_tokens: 10,
      system: [{ type: 'text', text: \`\${SYS} \${Date.now()}\`, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: q }] });
  }
}`,
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('Date.now()', 'changes on every request', '1,011', '; about $0.0058 extra per request on claude-opus-5 ($5.81 per 1,000 requests)'), line: 6, column: 48, endLine: 6, endColumn: 58, suggestions: [{ messageId: 'moveAfterBreakpoint', data: { value: 'Date.now()' }, output: `${SYS}export class Service {
  constructor(private client: any) {}
  ask(q: string) {
    return this.client.messages.create({ model: 'claude-opus-5', max_tokens: 10,
      system: [{ type: 'text', text: \`\${SYS} \`, cache_control: { type: 'ephemeral' } }, { type: 'text', text: \`\${Date.now()}\` }],
      messages: [{ role: 'user', content: q }] });
  }
}` }] }],
    },
    {
      name: 'a value from the handler used inside a retry callback is per request',
      code: sdk(`${SYS}declare function retry<T>(fn: () => T): T;
export async function handler(q: string) {
  const now = Date.now();
  return retry(() => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 10,
    system: [{ type: 'text', text: SYS + now, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }] }));
}`),
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('Date.now()', 'changes on every request', '1,010', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)'), line: 8, column: 42, endLine: 8, endColumn: 45 }],
    },
    {
      name: 'option volatileCalls: an imported clock helper',
      code: `import { getNow } from './clock';\n${systemRequest('SYS + getNow()')}`,
      options: [{ volatileCalls: ['getNow'] }],
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('getNow()', 'changes on every request', '1,000+', '; at least $0.0034 extra per request on claude-sonnet-4-5 ($3.45 per 1,000 requests)'), line: 9, column: 42, endLine: 9, endColumn: 50 }],
    },
    {
      name: 'option userObjects: a visitor object',
      code: systemRequest('SYS + visitor.locale').replace('(question: string)', '(question: string, visitor: { locale: string })'),
      options: [{ userObjects: ['visitor'] }],
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('visitor.locale', 'differs per user or session', '1,000+', '; at least $0.0034 extra on claude-sonnet-4-5 each time it changes'), line: 8, column: 42, endLine: 8, endColumn: 56 }],
    },
  ],
});

jsRuleTester.run('no-volatile-in-prefix (plain JavaScript)', rule, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'JS: static prompt',
      code: `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();\n${SYS}export const ask = (q) => client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] });`,
    },
    {
      name: 'JS: require() client, volatile only in the user turn',
      code: `const Anthropic = require('@anthropic-ai/sdk');\nconst client = new Anthropic();\n${SYS}exports.ask = (q) => client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: new Date() + q }] });`,
    },
  ],
  invalid: [
    {
      name: 'JS: new Date() interpolated into a cached system block',
      code: `const Anthropic = require('@anthropic-ai/sdk');\nconst client = new Anthropic();\n${SYS}exports.ask = (q) => client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, system: [{ type: 'text', text: SYS + new Date(), cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] });`,
      errors: [{ messageId: 'volatileInPrefix', data: MESSAGE('new Date()', 'changes every second', '1,010', '; about $0.0012 extra per request on claude-haiku-4-5 ($1.16 per 1,000 requests)'), line: 4, column: 127, endLine: 4, endColumn: 137 }],
    },
  ],
});

const SYSTEM_PROMPT_MESSAGE = (value: string, frequency: string, prompt: string, tokens: string) => ({ value, frequency, prompt, tokens });

ruleTester.run('no-volatile-in-prefix (system prompts without a visible request)', rule, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'module-level prompt: computed once per process',
      code: "export const SYSTEM_PROMPT = `You are Forge. Started ${new Date().toISOString()}.`;",
    },
    {
      name: 'builder reading a module-level start time',
      code: 'const STARTED = new Date().toISOString();\nexport function buildSystemPrompt() { return `Started ${STARTED}`; }',
    },
    {
      name: 'date captured once by a session factory',
      code: 'export function createSession() {\n  const today = new Date().toDateString();\n  return { getSystemPrompt: () => `Today is ${today}` };\n}',
    },
    {
      name: 'a session id and a working directory are stable for the session',
      code: 'export function buildSystemPrompt(sessionId: string, cwd: string) { return `Session ${sessionId} in ${cwd}`; }',
    },
    {
      name: 'a context window size is a setting, not a per-turn value',
      code: 'export function buildSystemPrompt(s: { contextWindow: number; maxTokens: number }) { return `Window ${s.contextWindow}, max ${s.maxTokens}`; }',
    },
    {
      name: 'time in a user message is the newest turn, not the system prompt',
      code: "export function userTurn(q: string) { return { role: 'user', content: `${q} (now: ${new Date().toISOString()})` }; }",
    },
    {
      name: 'a function not named like a system prompt',
      code: 'export function footer() { return `Generated ${new Date().toISOString()}`; }',
    },
    {
      name: '`instructions` outside LLM code (no LLM import)',
      code: 'export function label() { return { instructions: `Deliver by ${new Date().toDateString()}` }; }',
    },
    {
      name: 'system message inside a call named like a request (the request decides)',
      code: "declare const llm: { chat(x: object): void };\nexport function ask() { llm.chat({ messages: [{ role: 'system', content: `Now ${Date.now()}` }] }); }",
    },
    {
      name: 'names turned off',
      code: 'export function buildSystemPrompt() { return `Now ${Date.now()}`; }',
      options: [{ systemPromptNames: [] }],
    },
    {
      name: 'frequency ignored',
      code: 'export function buildSystemPrompt() { return `Today ${new Date().toDateString()}`; }',
      options: [{ ignoreFrequencies: ['day'] }],
    },
  ],
  invalid: [
    {
      name: 'builder function returning a template with a date',
      code: 'export function buildSystemPrompt(): string {\n  return `You are Forge. Today is ${new Date().toDateString()}.`;\n}',
      errors: [{ messageId: 'volatileInSystemPrompt', data: SYSTEM_PROMPT_MESSAGE('new Date().toDateString()', 'changes daily', 'returned by buildSystemPrompt()', '17'), line: 2, column: 37, endLine: 2, endColumn: 47 }],
    },
    {
      name: 'SYSTEM_PROMPT variable built per call, the value through a local',
      code: 'export function handle(topic: string) {\n  const stamp = Date.now();\n  const SYSTEM_PROMPT = `Topic: ${topic}. Build ${stamp}.`;\n  return SYSTEM_PROMPT;\n}',
      errors: [{ messageId: 'volatileInSystemPrompt', data: SYSTEM_PROMPT_MESSAGE('Date.now()', 'changes on every request', 'SYSTEM_PROMPT', '14+'), line: 2, column: 17, endLine: 2, endColumn: 27 }],
    },
    {
      name: 'sections pushed into an array and joined',
      code: "export function getSystemPrompt(): string {\n  const lines: string[] = ['You are a helpful agent.'];\n  lines.push(`Request ${crypto.randomUUID()}`);\n  return lines.join('\\n');\n}",
      errors: [{ messageId: 'volatileInSystemPrompt', data: SYSTEM_PROMPT_MESSAGE('crypto.randomUUID()', 'changes on every request', 'returned by getSystemPrompt()', '19'), line: 3, column: 25, endLine: 3, endColumn: 44 }],
    },
    {
      name: 'string built with += in a loop over known sections',
      code: "export function renderSystemPrompt(): string {\n  let prompt = '';\n  for (const section of ['Rules.', 'Tools.']) prompt += section + '\\n';\n  prompt += `Time: ${new Date().toLocaleTimeString()}`;\n  return prompt;\n}",
      errors: [{ messageId: 'volatileInSystemPrompt', data: SYSTEM_PROMPT_MESSAGE('new Date().toLocaleTimeString()', 'changes every second', 'returned by renderSystemPrompt()', '15'), line: 4, column: 22, endLine: 4, endColumn: 32 }],
    },
    {
      name: 'per-turn token count from a parameter',
      code: 'export function buildSystemPrompt(tokensUsed: number): string {\n  return `You are Forge. ${tokensUsed} tokens used so far.`;\n}',
      errors: [{ messageId: 'volatileInSystemPrompt', data: SYSTEM_PROMPT_MESSAGE('tokensUsed', 'changes on every request', 'returned by buildSystemPrompt()', '9+'), line: 2, column: 28, endLine: 2, endColumn: 38 }],
    },
    {
      name: 'a getter named systemPrompt',
      code: 'export class Agent {\n  get systemPrompt(): string {\n    return `Now: ${new Date().toISOString()}`;\n  }\n}',
      errors: [{ messageId: 'volatileInSystemPrompt', data: SYSTEM_PROMPT_MESSAGE('new Date().toISOString()', 'changes on every request', 'returned by systemPrompt()', '12'), line: 3, column: 20, endLine: 3, endColumn: 30 }],
    },
    {
      name: 'role: developer message built in a helper',
      code: "export function devMessage() {\n  return { role: 'developer', content: `Now: ${Date.now()}` };\n}",
      errors: [{ messageId: 'volatileInSystemPrompt', data: SYSTEM_PROMPT_MESSAGE('Date.now()', 'changes on every request', 'in a developer message', '12'), line: 2, column: 48, endLine: 2, endColumn: 58 }],
    },
    {
      name: 'agent instructions in a file that imports an agent framework',
      code: "import { Agent } from '@openai/agents';\nexport const make = () => new Agent({ name: 'a', instructions: `Now: ${new Date().toISOString()}` });",
      errors: [{ messageId: 'volatileInSystemPrompt', data: SYSTEM_PROMPT_MESSAGE('new Date().toISOString()', 'changes on every request', 'passed as instructions', '12'), line: 2, column: 72, endLine: 2, endColumn: 82 }],
    },
    {
      name: 'custom name from systemPromptNames',
      code: "import OpenAI from 'openai';\nexport type C = OpenAI;\nexport function preamble() { return `Build ${Date.now()}`; }",
      options: [{ systemPromptNames: ['preamble'] }],
      errors: [{ messageId: 'volatileInSystemPrompt', data: SYSTEM_PROMPT_MESSAGE('Date.now()', 'changes on every request', 'returned by preamble()', '12'), line: 3, column: 46, endLine: 3, endColumn: 56 }],
    },
  ],
});

jsRuleTester.run('no-volatile-in-prefix (system prompts, plain JavaScript)', rule, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [{ name: 'JS: module-level system prompt', code: 'exports.SYSTEM_PROMPT = `Started ${Date.now()}`;' }],
  invalid: [
    {
      name: 'JS: builder arrow function',
      code: 'const buildSystemPrompt = (name) => `Hi ${name}, it is ${new Date().toISOString()}`;\nmodule.exports = { buildSystemPrompt };',
      errors: [{ messageId: 'volatileInSystemPrompt', data: SYSTEM_PROMPT_MESSAGE('new Date().toISOString()', 'changes on every request', 'returned by buildSystemPrompt()', '13+'), line: 1, column: 58, endLine: 1, endColumn: 68 }],
    },
  ],
});

describe('no-volatile-in-prefix options', () => {
  it('rejects an unknown frequency with a schema error naming the rule and the value', () => {
    const linter = new Linter();
    expect(() =>
      linter.verify('const x = 1;', [
        { plugins: { 'prompt-cache': plugin }, rules: { 'prompt-cache/no-volatile-in-prefix': ['error', { ignoreFrequencies: ['weekly'] }] } },
      ]),
    ).toThrow(/no-volatile-in-prefix[\s\S]*"weekly" should be equal to one of the allowed values/);
  });

  it('rejects unknown option keys', () => {
    const linter = new Linter();
    expect(() =>
      linter.verify('const x = 1;', [
        { plugins: { 'prompt-cache': plugin }, rules: { 'prompt-cache/no-volatile-in-prefix': ['error', { checkEverything: true }] } },
      ]),
    ).toThrow(/additional properties|checkEverything/i);
  });
});
