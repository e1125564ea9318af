import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../../src/index.js';
import rule from '../../rules/max-breakpoints.js';
import { jsRuleTester, ruleTester, sdk } from './utils.js';

type Options = [{ max?: number }];
type MessageIds = 'tooMany' | 'unbounded' | 'perTurn';

const CC = "const CC = { type: 'ephemeral' } as const;";
const CC_JS = "const CC = { type: 'ephemeral' };";

/** A request with the given system blocks and content blocks of one user message, and optional top-level fields. */
function request(system: string[], content: string[], extra = ''): string {
  return sdk(`${CC}
export const ask = (q: string) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,${extra}
  system: [
${system.map((block) => `    ${block},`).join('\n')}
  ],
  messages: [{ role: 'user', content: [
${content.map((block) => `    ${block},`).join('\n')}
  ] }],
});`);
}

const marked = (text: string) => `{ type: 'text', text: '${text}', cache_control: CC }`;

const unbounded = (array: string, max = '4') => ({ messageId: 'unbounded' as const, data: { array, max } });

const valid: ValidTestCase<Options>[] = [
  // --- the static count ------------------------------------------------------------------------------------
  { name: 'exactly four block markers', code: request([marked('A'), marked('B')], [marked('C'), marked('D')]) },
  { name: 'three block markers plus automatic caching', code: request([marked('A'), marked('B')], [marked('C')], '\n  cache_control: CC,') },
  {
    name: 'a fifth marker that is conditional (cond ? {...} : undefined) is not counted',
    code: request([marked('A'), marked('B')], [marked('C'), marked('D'), "{ type: 'text', text: q, cache_control: q.length > 9 ? CC : undefined }"]),
  },
  {
    name: 'a fifth marker spread in under a condition is not counted',
    code: request([marked('A'), marked('B')], [marked('C'), marked('D'), "{ type: 'text', text: q, ...(q.length > 9 && { cache_control: CC }) }"]),
  },
  { name: 'cache_control: null / undefined are no markers', code: request([marked('A'), marked('B')], [marked('C'), marked('D'), "{ type: 'text', text: q, cache_control: null }", "{ type: 'text', text: 'E', cache_control: undefined }"]) },
  {
    name: 'markers on different requests in one function count separately',
    code: sdk(`${CC}
export async function run(q: string) {
  await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    system: [${marked('A')}, ${marked('B')}, ${marked('C')}],
    messages: [{ role: 'user', content: q }] });
  await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024,
    system: [${marked('A')}, ${marked('B')}, ${marked('C')}],
    messages: [{ role: 'user', content: q }] });
}`),
  },
  { name: 'a higher max option', code: request([marked('A'), marked('B'), marked('C')], [marked('D'), marked('E')]), options: [{ max: 5 }] },

  // --- loops and maps that stay bounded -------------------------------------------------------------------
  {
    name: 'map marks only the last message (i === arr.length - 1)',
    code: sdk(`${CC}
export const ask = (history: { role: 'user' | 'assistant'; text: string }[]) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: history.map((m, i) => ({
    role: m.role,
    content: [{ type: 'text', text: m.text, cache_control: i === history.length - 1 ? CC : undefined }],
  })),
});`),
  },
  {
    name: 'map marks the last two messages (idx >= arr.length - 2)',
    code: sdk(`${CC}
export const ask = (history: { role: 'user' | 'assistant'; text: string }[]) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: history.map((m, idx, all) => ({
    role: m.role,
    content: [{ type: 'text', text: m.text, ...(idx >= all.length - 2 ? { cache_control: CC } : {}) }],
  })),
});`),
  },
  {
    name: 'map with an early return for all but the last item',
    code: sdk(`${CC}
export const ask = (history: { role: 'user' | 'assistant'; content: string }[]) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: history.map((m, i) => {
    if (i < history.length - 1) return m;
    return { role: m.role, content: [{ type: 'text', text: m.content, cache_control: CC }] };
  }),
});`),
  },
  {
    name: 'slice(-2).forEach marks at most two messages',
    code: sdk(`${CC}
export async function ask(messages: { role: 'user' | 'assistant'; content: { type: 'text'; text: string; cache_control?: unknown }[] }[]) {
  messages.slice(-2).forEach((m) => {
    m.content[m.content.length - 1].cache_control = CC;
  });
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
}`),
  },
  {
    name: 'slice(-3).map template over history (bounded by 3)',
    code: sdk(`${CC}
export const ask = (history: { role: 'user' | 'assistant'; content: string }[], q: string) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [...history.slice(-3).map((m) => ({ role: m.role, content: [{ type: 'text' as const, text: m.content, cache_control: CC }] })), { role: 'user', content: q }],
});`),
  },
  {
    name: 'a map result cut to its last two items before it is sent',
    code: sdk(`${CC}
export function ask(history: { role: 'user' | 'assistant'; content: string }[]) {
  const marked = history.map((m) => ({ ...m, cache_control: CC }));
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: marked.slice(-2) });
}`),
  },
  {
    name: 'map marks with cache_control: isLast && CC (a condition, even though it folds to the object)',
    code: sdk(`${CC}
export const ask = (history: { role: 'user' | 'assistant'; text: string }[]) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: history.map((m, i) => ({ role: m.role, content: [{ type: 'text', text: m.text, cache_control: i === history.length - 1 && CC }] })),
});`),
  },
  {
    name: 'for loop bounded by a small constant',
    code: sdk(`${CC}
export async function ask(messages: { role: 'user' | 'assistant'; content: string; cache_control?: unknown }[]) {
  for (let i = 0; i < 2; i++) messages[i].cache_control = CC;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
}`),
  },
  {
    name: 'for loop over the last two indexes',
    code: sdk(`${CC}
export async function ask(messages: { role: 'user' | 'assistant'; content: string; cache_control?: unknown }[]) {
  for (let i = messages.length - 2; i < messages.length; i++) messages[i].cache_control = CC;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
}`),
  },
  {
    name: 'loop guarded by if (i === last)',
    code: sdk(`${CC}
export async function ask(messages: { role: 'user' | 'assistant'; content: string; cache_control?: unknown }[]) {
  const last = messages.length - 1;
  for (let i = 0; i < messages.length; i++) {
    if (i === last) messages[i].cache_control = CC;
  }
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
}`),
  },
  {
    name: 'the last message is marked outside the loop',
    code: sdk(`${CC}
export async function ask(history: string[]) {
  const messages: { role: 'user'; content: { type: 'text'; text: string; cache_control?: unknown }[] }[] = [];
  for (const text of history) messages.push({ role: 'user', content: [{ type: 'text', text }] });
  messages[messages.length - 1].content[0].cache_control = CC;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
}`),
  },
  {
    name: 'a loop that removes markers (delete / = undefined)',
    code: sdk(`${CC}
export async function ask(messages: { role: 'user'; content: { type: 'text'; text: string; cache_control?: unknown }[] }[]) {
  for (const m of messages) for (const block of m.content) delete block.cache_control;
  messages.forEach((m) => { m.content[0].cache_control = undefined; });
  messages.at(-1)!.content[0].cache_control = CC;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
}`),
  },
  {
    name: 'a loop that marks an array no request uses',
    code: sdk(`${CC}
export async function ask(q: string, tools: { name: string; cache_control?: unknown }[]) {
  for (const tool of tools) tool.cache_control = CC;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: q }] });
}`),
  },
  {
    name: 'a map run again for each request (loop around the request) marks one message each time',
    code: sdk(`${CC}
export async function askAll(questions: string[], history: { role: 'user' | 'assistant'; content: string }[]) {
  for (const q of questions) {
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [...history.slice(-1).map((m) => ({ ...m, cache_control: CC })), { role: 'user', content: q }],
    });
  }
}`),
  },
  {
    name: 'an array declared inside the loop that sends it holds one marked message per request',
    code: sdk(`${CC}
export async function askEach(questions: string[]) {
  for (const q of questions) {
    const messages = [];
    messages.push({ role: 'user' as const, content: [{ type: 'text' as const, text: q, cache_control: CC }] });
    await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
  }
}`),
  },
  {
    name: 'a while loop with an unknown number of rounds (not a request loop)',
    code: sdk(`${CC}
export async function ask(pages: { next(): { text: string } | null }) {
  const system = [];
  let page = pages.next();
  while (page) {
    system.push({ type: 'text' as const, text: page.text, cache_control: CC });
    page = pages.next();
  }
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system, messages: [{ role: 'user', content: 'Summarise.' }] });
}`),
  },
  {
    name: 'agent loop that removes the previous marker before adding one',
    code: sdk(`${CC}
type Block = { type: 'text'; text: string; cache_control?: unknown };
export async function chat(next: () => Promise<string>) {
  const messages: { role: 'user' | 'assistant'; content: Block[] }[] = [];
  for (;;) {
    for (const m of messages) for (const b of m.content) delete b.cache_control;
    messages.push({ role: 'user', content: [{ type: 'text', text: await next(), cache_control: CC }] });
    const res = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
    messages.push({ role: 'assistant', content: [{ type: 'text', text: String(res.id) }] });
  }
}`),
  },
  {
    name: 'a marker value that is unknown (a parameter) is not counted',
    code: request([marked('A'), marked('B')], [marked('C'), marked('D'), "{ type: 'text', text: q, cache_control: cacheFor(q) }"]).replace('export const', 'declare function cacheFor(q: string): { type: "ephemeral" } | undefined;\nexport const'),
  },

  // --- look-alikes ------------------------------------------------------------------------------------------
  {
    name: 'Vercel AI SDK cacheControl on every message is another SDK',
    code: `import { generateText } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
export const ask = (history: { role: 'user' | 'assistant'; content: string }[]) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  messages: history.map((m) => ({ ...m, providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } })),
});`,
  },
  {
    name: 'Twilio messages.create',
    code: `declare const twilio: { messages: { create(x: object): Promise<void> } };
const CC = { type: 'ephemeral' };
export const send = (to: string[]) => Promise.all(to.map((n) => twilio.messages.create({ body: 'hi', to: n, from: '+1', cache_control: CC })));`,
  },
];

const invalid: InvalidTestCase<MessageIds, Options>[] = [
  // --- the static count ------------------------------------------------------------------------------------
  {
    name: 'five block markers: the fifth is reported',
    code: request([marked('A'), marked('B'), marked('C')], [marked('D'), marked('E')]),
    errors: [{ messageId: 'tooMany', data: { count: '5', max: '4' }, line: 14, column: 32, endLine: 14, endColumn: 49 }],
  },
  {
    name: 'four block markers plus automatic caching: reported on the automatic one',
    code: request([marked('A'), marked('B')], [marked('C'), marked('D')], '\n  cache_control: CC,'),
    errors: [{ messageId: 'tooMany', data: { count: '5', max: '4' }, line: 7, column: 3, endLine: 7, endColumn: 20 }],
  },
  {
    name: 'six markers across tools, system and messages',
    code: sdk(`${CC}
const TOOLS = [
  { name: 'a', description: 'A', input_schema: { type: 'object' as const }, cache_control: CC },
  { name: 'b', description: 'B', input_schema: { type: 'object' as const }, cache_control: CC },
];
export const ask = (q: string) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  tools: TOOLS,
  system: [${marked('S1')}, ${marked('S2')}],
  messages: [{ role: 'user', content: [${marked('M1')}, { type: 'text', text: q, cache_control: CC }] }],
});`),
    errors: [{ messageId: 'tooMany', data: { count: '6', max: '4' }, line: 13, column: 68, endLine: 13, endColumn: 85 }],
  },
  {
    name: 'a map over a literal array of six documents is counted statically',
    code: sdk(`${CC}
const DOCS = ['a', 'b', 'c', 'd', 'e', 'f'];
export const ask = (q: string) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: DOCS.map((text) => ({ type: 'text' as const, text, cache_control: CC })),
  messages: [{ role: 'user', content: q }],
});`),
    errors: [{ messageId: 'tooMany', data: { count: '6', max: '4' }, line: 8, column: 62, endLine: 8, endColumn: 79 }],
  },
  {
    name: 'max option 2',
    code: request([marked('A'), marked('B')], [marked('C')]),
    options: [{ max: 2 }],
    errors: [{ messageId: 'tooMany', data: { count: '3', max: '2' }, line: 12, column: 32, endLine: 12, endColumn: 49 }],
  },
  {
    name: 'message batch: each request is counted',
    code: sdk(`${CC}
export const submit = (q: string) => client.messages.batches.create({
  requests: [{
    custom_id: 'a',
    params: {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      cache_control: CC,
      system: [${marked('A')}, ${marked('B')}, ${marked('C')}],
      messages: [{ role: 'user', content: [{ type: 'text', text: q, cache_control: CC }] }],
    },
  }],
});`),
    errors: [{ messageId: 'tooMany', data: { count: '5', max: '4' }, line: 10, column: 7, endLine: 10, endColumn: 24 }],
  },

  // --- markers made per item -------------------------------------------------------------------------------
  {
    name: 'map over history marks every message',
    code: sdk(`${CC}
export const ask = (history: { role: 'user' | 'assistant'; text: string }[]) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: history.map((m) => ({
    role: m.role,
    content: [{ type: 'text', text: m.text, cache_control: CC }],
  })),
});`),
    errors: [{ ...unbounded('history'), line: 9, column: 45, endLine: 9, endColumn: 62 }],
  },
  {
    name: 'spread map before the new question',
    code: sdk(`${CC}
export const ask = (history: { role: 'user' | 'assistant'; content: string }[], q: string) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [...history.map((m) => ({ ...m, cache_control: CC })), { role: 'user', content: q }],
});`),
    errors: [{ ...unbounded('history'), line: 7, column: 45, endLine: 7, endColumn: 62 }],
  },
  {
    name: 'map over a spread copy (a repeated breakpoint of the core)',
    code: sdk(`${CC}
export const ask = (history: { role: 'user' | 'assistant'; text: string }[]) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [...history].map((m) => ({ role: m.role, content: [{ type: 'text', text: m.text, cache_control: CC }] })),
});`),
    errors: [{ ...unbounded('[...history]'), line: 7, column: 94, endLine: 7, endColumn: 111 }],
  },
  {
    name: 'every document of a list as a cached system block',
    code: sdk(`${CC}
export const ask = (docs: string[], q: string) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: docs.map((text) => ({ type: 'text' as const, text, cache_control: CC })),
  messages: [{ role: 'user', content: q }],
});`),
    errors: [{ ...unbounded('docs'), line: 7, column: 62, endLine: 7, endColumn: 79 }],
  },
  {
    name: 'map callback defined as a function elsewhere in the file',
    code: sdk(`${CC}
type Turn = { role: 'user' | 'assistant'; text: string };
function toMessage(turn: Turn) {
  return { role: turn.role, content: [{ type: 'text' as const, text: turn.text, cache_control: CC }] };
}
export const ask = (history: Turn[]) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: history.map(toMessage),
});`),
    errors: [{ ...unbounded('history'), line: 6, column: 81, endLine: 6, endColumn: 98 }],
  },
  {
    name: 'slice(-6) keeps up to six marked messages',
    code: sdk(`${CC}
export const ask = (history: { role: 'user' | 'assistant'; content: string }[]) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: history.slice(-6).map((m) => ({ ...m, cache_control: CC })),
});`),
    errors: [{ ...unbounded('history.slice(-6)'), line: 7, column: 51, endLine: 7, endColumn: 68 }],
  },
  {
    name: 'blocks pushed in a for…of loop',
    code: sdk(`${CC}
export async function ask(chunks: string[], q: string) {
  const system = [];
  for (const chunk of chunks) {
    system.push({ type: 'text' as const, text: chunk, cache_control: CC });
  }
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system, messages: [{ role: 'user', content: q }] });
}`),
    errors: [{ ...unbounded('chunks'), line: 7, column: 55, endLine: 7, endColumn: 72 }],
  },
  {
    name: 'for…of assignment on the first content block of every message',
    code: sdk(`export async function ask(messages: { role: 'user' | 'assistant'; content: { type: 'text'; text: string; cache_control?: unknown }[] }[]) {
  for (const m of messages) m.content[0].cache_control = { type: 'ephemeral' };
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
}`),
    errors: [{ ...unbounded('messages'), line: 4, column: 29, endLine: 4, endColumn: 79 }],
  },
  {
    name: 'forEach assignment on a copy that is sent',
    code: sdk(`${CC}
export async function ask(history: { role: 'user' | 'assistant'; content: string; cache_control?: unknown }[], q: string) {
  const messages = [...history, { role: 'user' as const, content: q }];
  messages.forEach((m) => {
    m.cache_control = CC;
  });
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
}`),
    errors: [{ ...unbounded('messages'), line: 7, column: 5, endLine: 7, endColumn: 25 }],
  },
  {
    name: 'index loop over messages.length',
    code: sdk(`${CC}
export async function ask(messages: { role: 'user'; content: { type: 'text'; text: string; cache_control?: unknown }[] }[]) {
  for (let i = 0; i < messages.length; i++) {
    messages[i].content[0].cache_control = CC;
  }
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
}`),
    errors: [{ ...unbounded('messages'), line: 6, column: 5, endLine: 6, endColumn: 46 }],
  },
  {
    name: 'nested loops mark every block of every message (named by the outer array)',
    code: sdk(`${CC}
export async function ask(messages: { role: 'user'; content: { type: 'text'; text: string; cache_control?: unknown }[] }[]) {
  for (const m of messages) {
    for (const block of m.content) block.cache_control = CC;
  }
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
}`),
    errors: [{ ...unbounded('messages'), line: 6, column: 36, endLine: 6, endColumn: 60 }],
  },
  {
    name: 'a helper that marks every message, called in the request',
    code: sdk(`${CC}
type Msg = { role: 'user' | 'assistant'; content: { type: 'text'; text: string; cache_control?: unknown }[] };
function withCache(list: Msg[]): Msg[] {
  for (const m of list) m.content.at(-1)!.cache_control = CC;
  return list;
}
export const ask = (history: Msg[]) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: withCache(history) });`),
    errors: [{ ...unbounded('list'), line: 6, column: 25, endLine: 6, endColumn: 61 }],
  },
  {
    name: 'class field history marked in forEach',
    code: sdk(`${CC}
export class Chat {
  history: { role: 'user' | 'assistant'; content: string; cache_control?: unknown }[] = [];
  send() {
    this.history.forEach((m) => { m.cache_control = CC; });
    return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: this.history });
  }
}`),
    errors: [{ ...unbounded('this.history'), line: 7, column: 35, endLine: 7, endColumn: 55 }],
  },
  {
    name: 'agent loop marks every new user turn and never removes markers',
    code: sdk(`${CC}
type Block = { type: 'text'; text: string; cache_control?: unknown };
export async function chat(next: () => Promise<string>) {
  const messages: { role: 'user' | 'assistant'; content: Block[] }[] = [];
  while (true) {
    messages.push({ role: 'user', content: [{ type: 'text', text: await next(), cache_control: CC }] });
    const res = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
    messages.push({ role: 'assistant', content: [{ type: 'text', text: String(res.id) }] });
  }
}`),
    errors: [{ messageId: 'perTurn', data: { array: 'messages', max: '4' }, line: 8, column: 81, endLine: 8, endColumn: 98 }],
  },
  {
    name: 'agent loop marks the newest message with at(-1) on every turn',
    code: sdk(`${CC}
type Block = { type: 'text'; text: string; cache_control?: unknown };
export async function chat(next: () => Promise<string>) {
  const messages: { role: 'user' | 'assistant'; content: Block[] }[] = [];
  for (;;) {
    messages.push({ role: 'user', content: [{ type: 'text', text: await next() }] });
    messages.at(-1)!.content[0].cache_control = CC;
    const res = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
    messages.push({ role: 'assistant', content: [{ type: 'text', text: String(res.id) }] });
  }
}`),
    errors: [{ messageId: 'perTurn', data: { array: 'messages', max: '4' }, line: 9, column: 5, endLine: 9, endColumn: 51 }],
  },
  {
    name: 'slice(-3) is bounded by 3, over a max of 2',
    code: sdk(`${CC}
export const ask = (history: { role: 'user' | 'assistant'; content: string }[]) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: history.slice(-3).map((m) => ({ ...m, cache_control: CC })),
});`),
    options: [{ max: 2 }],
    errors: [{ ...unbounded('history.slice(-3)', '2'), line: 7, column: 51, endLine: 7, endColumn: 68 }],
  },
];

ruleTester.run('max-breakpoints', rule, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid,
  invalid,
});

// Plain JavaScript through espree: the same analysis without TypeScript syntax.
jsRuleTester.run('max-breakpoints (JavaScript)', rule, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'JS: map marks only the last message',
      code: sdk(`${CC_JS}
export const ask = (history) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: history.map((m, i) => ({ role: m.role, content: [{ type: 'text', text: m.text, cache_control: i === history.length - 1 ? CC : undefined }] })),
});`),
    },
    {
      name: 'JS: three markers plus automatic caching',
      code: sdk(`${CC_JS}
export const ask = (q) => client.messages.create({
  model: 'claude-sonnet-4-5', max_tokens: 1024, cache_control: CC,
  system: [{ type: 'text', text: 'A', cache_control: CC }, { type: 'text', text: 'B', cache_control: CC }],
  messages: [{ role: 'user', content: [{ type: 'text', text: q, cache_control: CC }] }],
});`),
    },
  ],
  invalid: [
    {
      name: 'JS: four markers plus automatic caching',
      code: sdk(`${CC_JS}
export const ask = (q) => client.messages.create({
  model: 'claude-sonnet-4-5', max_tokens: 1024, cache_control: CC,
  system: [{ type: 'text', text: 'A', cache_control: CC }, { type: 'text', text: 'B', cache_control: CC }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'C', cache_control: CC }, { type: 'text', text: q, cache_control: CC }] }],
});`),
      errors: [{ messageId: 'tooMany', data: { count: '5', max: '4' }, line: 5, column: 49, endLine: 5, endColumn: 66 }],
    },
    {
      name: 'JS: forEach marks every message',
      code: sdk(`${CC_JS}
export async function ask(messages) {
  messages.forEach((m) => { m.content[0].cache_control = CC; });
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
}`),
      errors: [{ messageId: 'unbounded', data: { array: 'messages', max: '4' }, line: 5, column: 29, endLine: 5, endColumn: 60 }],
    },
  ],
});

describe('max-breakpoints options', () => {
  function lint(options: unknown): void {
    new Linter().verify('const x = 1;', [{ plugins: { 'prompt-cache': plugin }, rules: { 'prompt-cache/max-breakpoints': ['error', options] as never } }]);
  }

  it('rejects an unknown option and names the expected one', () => {
    expect(() => lint({ limit: 3 })).toThrow(/Unexpected property "limit"\. Expected properties: "max"/);
  });

  it('rejects max below 1', () => {
    expect(() => lint({ max: 0 })).toThrow(/max-breakpoints[\s\S]*Value 0 should be >= 1/);
  });

  it('rejects a fractional max', () => {
    expect(() => lint({ max: 2.5 })).toThrow(/Value 2\.5 should be integer/);
  });

  it('rejects a max given as a string', () => {
    expect(() => lint({ max: '4' })).toThrow(/max-breakpoints[\s\S]*Value "4" should be integer/);
  });

  it('accepts an integer max', () => {
    expect(() => lint({ max: 3 })).not.toThrow();
  });
});
