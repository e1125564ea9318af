import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../../src/index.js';
import rule from '../../rules/max-breakpoints.js';
import { jsRuleTester, ruleTester, sdk } from './utils.js';

type Options = [{ max?: number }];
type MessageIds = 'tooMany' | 'tooManyAdded' | 'tooManyAddedDropped' | 'unbounded' | 'unboundedDropped' | 'perTurn' | 'perTurnDropped';

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

/** A message type whose blocks may carry a marker (for helpers that mark them). */
const MSG = "type Msg = { role: 'user' | 'assistant'; content: { type: 'text'; text: string; cache_control?: unknown }[] };";

/** The brief's helper: the last block of the two newest user turns, from the end, in place. */
const MARK_RECENT = `function markRecent(msgs: Msg[]): void {
  for (let i = msgs.length - 1, n = 0; i >= 0 && n < 2; i--) {
    if (msgs[i].role !== 'user') continue;
    msgs[i].content.at(-1)!.cache_control = CC;
    n++;
  }
}`;

const added = (count: string, addedCount: string, source: string) => ({ messageId: 'tooManyAdded' as const, data: { count, added: addedCount, source, max: '4' } });

const unbounded = (array: string, max = '4') => ({ messageId: 'unbounded' as const, data: { marker: 'cache_control', by: '', array, max } });
const TOP_LEVEL = ', or use automatic caching (top-level cache_control)';
const perTurn = (array: string) => ({ messageId: 'perTurn' as const, data: { marker: 'cache_control', array, max: '4', automatic: TOP_LEVEL } });

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

  // --- markers added by helpers and by the request's own code ---------------------------------------------
  {
    name: 'helper: a function that only reads cache_control adds no marker',
    code: sdk(`${CC}
${MSG}
function countMarkers(msgs: Msg[]): number {
  return msgs.filter((m) => m.content.some((b) => b.cache_control)).length;
}
export async function ask(messages: Msg[]) {
  if (countMarkers(messages) > 0) throw new Error('markers already set');
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}, ${marked('D')}], messages });
}`),
  },
  {
    name: 'helper: marks every pinned message (a condition on the item: how many cannot be known)',
    code: sdk(`${CC}
${MSG}
function markPinned(msgs: (Msg & { pinned?: boolean })[]): void {
  for (const m of msgs) if (m.pinned) m.content[0].cache_control = CC;
}
export async function ask(messages: Msg[]) {
  markPinned(messages);
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}], messages });
}`),
  },
  {
    name: 'helper: marks the messages of another request',
    code: sdk(`${CC}
${MSG}
${MARK_RECENT}
export async function ask(messages: Msg[], other: Msg[]) {
  markRecent(other);
  await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: other });
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}], messages });
}`),
  },
  {
    name: 'helper: two written markers plus up to two added are four',
    code: sdk(`${CC}
${MSG}
${MARK_RECENT}
export async function ask(messages: Msg[]) {
  markRecent(messages);
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}], messages });
}`),
  },
  {
    name: 'helper: run twice on the same array marks the same items (counted once)',
    code: sdk(`${CC}
${MSG}
${MARK_RECENT}
export async function ask(messages: Msg[]) {
  markRecent(messages);
  markRecent(messages);
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}], messages });
}`),
  },
  {
    name: 'helper: the array is replaced after the helper ran',
    code: sdk(`${CC}
${MSG}
${MARK_RECENT}
export async function ask(history: Msg[], fresh: Msg[]) {
  let messages = history;
  markRecent(messages);
  messages = fresh;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}], messages });
}`),
  },
  {
    name: 'helper: odd shapes (destructured, rest, recursive, generator, logical assignment, labelled loop, counter not tied to the marker) stay silent',
    code: sdk(`${CC}
${MSG}
function fromOptions({ msgs }: { msgs: Msg[] }) { msgs.at(-1)!.content[0].cache_control = CC; }
function rest(...lists: Msg[][]) { for (const list of lists) list.at(-1)!.content[0].cache_control = CC; }
function recurse(msgs: Msg[]): Msg[] { if (msgs.length > 9) return recurse(msgs.slice(1)); return msgs; }
function* generate(msgs: Msg[]) { for (const m of msgs) yield m; }
function orAssign(msgs: Msg[]) { for (const m of msgs) m.content[0].cache_control ||= CC; }
function uncounted(msgs: Msg[]) { let n = 0; for (let i = msgs.length - 1; i >= 0 && n < 2; i--) { if (msgs[i].role === 'user') n += 2; else msgs[i].content[0].cache_control = CC; } }
function labelled(msgs: Msg[]) { outer: for (const m of msgs) { for (const b of m.content) { b.cache_control = CC; break outer; } } }
class Chat {
  async ask(messages: Msg[]) {
    fromOptions({ msgs: messages });
    rest(messages);
    generate(messages);
    orAssign(messages);
    uncounted(messages);
    labelled(messages);
    return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}, ${marked('D')}], messages: recurse(messages) });
  }
}
export const chat = new Chat();`),
  },
  {
    name: 'helper: called only under a condition',
    code: sdk(`${CC}
${MSG}
${MARK_RECENT}
export async function ask(messages: Msg[], caching: boolean) {
  if (caching) markRecent(messages);
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}], messages });
}`),
  },
  {
    name: 'helper: its marked copy is sent only under a condition',
    code: sdk(`${CC}
${MSG}
const markLast = (msgs: Msg[]) => msgs.map((m, i) => (i === msgs.length - 1 ? { ...m, content: [{ type: 'text' as const, text: 'x', cache_control: CC }] } : m));
export const ask = (history: Msg[], caching: boolean) =>
  client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}, ${marked('D')}], messages: caching ? markLast(history) : history });`),
  },
  {
    name: 'helper: called after the request',
    code: sdk(`${CC}
${MSG}
${MARK_RECENT}
export async function ask(messages: Msg[]) {
  const response = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}], messages });
  markRecent(messages);
  return response;
}`),
  },
  {
    name: 'helper: the marker value is a parameter (unknown)',
    code: sdk(`${CC}
${MSG}
function markLast(msgs: Msg[], marker: unknown): void {
  msgs.at(-1)!.content.at(-1)!.cache_control = marker;
}
export async function ask(messages: Msg[], marker: unknown) {
  markLast(messages, marker);
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}, ${marked('D')}], messages });
}`),
  },
  {
    name: 'helper: marks the newest message, which the request already marks (the same block counts once)',
    code: sdk(`${CC}
${MSG}
function markLast(msgs: Msg[]): Msg[] {
  msgs[msgs.length - 1].content[0].cache_control = CC;
  return msgs;
}
export const ask = (q: string) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: [${marked('A')}, ${marked('B')}, ${marked('C')}],
  messages: markLast([{ role: 'user', content: [{ type: 'text', text: q, cache_control: CC }] }]),
});`),
  },
  {
    name: 'helper: a map that marks the last index, with three written markers',
    code: sdk(`${CC}
${MSG}
const markLast = (msgs: Msg[]) =>
  msgs.map((m, i) => (i === msgs.length - 1 ? { ...m, content: [{ type: 'text' as const, text: m.content.map((b) => b.text).join(''), cache_control: CC }] } : m));
export const ask = (history: Msg[]) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}], messages: markLast(history) });`),
  },
  {
    name: 'inline: a loop over the last two messages and two written markers',
    code: sdk(`${CC}
${MSG}
export async function ask(messages: Msg[]) {
  for (const m of messages.slice(-2)) m.content[0].cache_control = CC;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}], messages });
}`),
  },

  // --- look-alikes ------------------------------------------------------------------------------------------
  {
    name: 'AI SDK: cache_control on a message is no AI SDK marker (only providerOptions are)',
    code: `import { generateText } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
export const ask = (history: { role: 'user' | 'assistant'; content: string }[]) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  messages: history.map((m) => ({ ...m, cache_control: { type: 'ephemeral' } })),
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
    errors: [{ ...perTurn('messages'), line: 8, column: 81, endLine: 8, endColumn: 98 }],
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
    errors: [{ ...perTurn('messages'), line: 9, column: 5, endLine: 9, endColumn: 51 }],
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
  // --- markers added by helpers and by the request's own code ---------------------------------------------
  {
    name: 'helper: three written markers and up to two added on the newest user turns (counter loop from the end)',
    code: sdk(`${CC}
${MSG}
${MARK_RECENT}
export async function ask(messages: Msg[]) {
  markRecent(messages);
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}], messages });
}`),
    errors: [{ ...added('5', '2', 'markRecent()'), line: 13, column: 3, endLine: 13, endColumn: 23 }],
  },
  {
    name: 'helper: a map that marks the last index, the copy sent with four written markers',
    code: sdk(`${CC}
${MSG}
function markLast(msgs: Msg[]): Msg[] {
  return msgs.map((m, i) => (i === msgs.length - 1 ? { ...m, content: m.content.map((b, j) => (j === m.content.length - 1 ? { ...b, cache_control: CC } : b)) } : m));
}
export const ask = (history: Msg[]) => client.messages.create({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: [${marked('A')}, ${marked('B')}, ${marked('C')}, ${marked('D')}],
  messages: markLast(history),
});`),
    errors: [{ ...added('5', '1', 'markLast()'), line: 12, column: 13, endLine: 12, endColumn: 30 }],
  },
  {
    name: 'helper: a reverse loop over the last two indexes (i >= msgs.length - 2), the value from a config object',
    code: sdk(`${MSG}
const config = { cacheControl: { type: 'ephemeral' } as const };
function markTail(msgs: Msg[]): Msg[] {
  for (let i = msgs.length - 1; i >= msgs.length - 2; i--) msgs[i].content[0].cache_control = config.cacheControl;
  return msgs;
}
export async function ask(history: Msg[]) {
  const messages = markTail([...history]);
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: 'A', cache_control: config.cacheControl }, { type: 'text', text: 'B', cache_control: config.cacheControl }, { type: 'text', text: 'C', cache_control: config.cacheControl }],
    messages,
  });
}`),
    errors: [{ ...added('5', '2', 'markTail()'), line: 10, column: 20, endLine: 10, endColumn: 42 }],
  },
  {
    name: 'helper: a loop that stops after marking the newest user turn (break), through a wrapper helper',
    code: sdk(`${CC}
${MSG}
function markLastUser(msgs: Msg[]): void {
  for (let i = msgs.length - 1; i >= 0; i--) {
    if (msgs[i].role === 'user') {
      msgs[i].content[0].cache_control = CC;
      break;
    }
  }
}
function prepare(msgs: Msg[]): Msg[] {
  markLastUser(msgs);
  return msgs;
}
export const ask = (history: Msg[]) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}, ${marked('D')}], messages: prepare(history) });`),
    errors: [{ ...added('5', '1', 'prepare()'), line: 17, column: 323, endLine: 17, endColumn: 339 }],
  },
  {
    name: 'helper of this file: marks every message of a copy it returns (reported at its marker, as a loop)',
    code: sdk(`${CC}
${MSG}
function withCache(msgs: Msg[]): Msg[] {
  const out = msgs.map((m) => ({ ...m }));
  out.forEach((m) => {
    m.content[m.content.length - 1].cache_control = CC;
  });
  return out;
}
export const ask = (history: Msg[]) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: withCache(history) });`),
    errors: [{ ...unbounded('out'), line: 8, column: 5, endLine: 8, endColumn: 55 }],
  },
  {
    name: 'helper: marks in place, then the array passes through a function that hands it back',
    code: sdk(`${CC}
${MSG}
${MARK_RECENT}
function traced(msgs: Msg[]): Msg[] {
  console.debug(msgs.length);
  return msgs;
}
export async function ask(messages: Msg[]) {
  markRecent(messages);
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}], messages: traced(messages) });
}`),
    errors: [{ ...added('5', '2', 'markRecent()'), line: 17, column: 3, endLine: 17, endColumn: 23 }],
  },
  {
    name: 'helper: a method of the class, called on this',
    code: sdk(`${CC}
${MSG}
export class Chat {
  private markLast(msgs: Msg[]) {
    msgs[msgs.length - 1].content[0].cache_control = CC;
  }
  async ask(messages: Msg[]) {
    this.markLast(messages);
    return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}, ${marked('D')}], messages });
  }
}`),
    errors: [{ ...added('5', '1', 'this.markLast()'), line: 10, column: 5, endLine: 10, endColumn: 28 }],
  },
  {
    name: 'inline: a counter loop from the end marks the two newest user turns, with three written markers',
    code: sdk(`${CC}
${MSG}
export async function ask(history: Msg[], q: string) {
  const messages: Msg[] = [...history, { role: 'user', content: [{ type: 'text', text: q }] }];
  for (let i = messages.length - 1, n = 0; i >= 0 && n < 2; i--) {
    if (messages[i].role !== 'user') continue;
    messages[i].content.at(-1)!.cache_control = CC;
    n++;
  }
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}], messages });
}`),
    errors: [{ ...added('5', '2', 'this loop'), line: 9, column: 5, endLine: 9, endColumn: 51 }],
  },
  {
    name: 'inline: slice(-2).forEach with three written markers',
    code: sdk(`${CC}
${MSG}
export async function ask(messages: Msg[]) {
  messages.slice(-2).forEach((m) => {
    m.content[0].cache_control = CC;
  });
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}], messages });
}`),
    errors: [{ ...added('5', '2', 'this loop'), line: 7, column: 5, endLine: 7, endColumn: 36 }],
  },
  {
    name: 'inline: the newest message marked by an assignment, with four written markers',
    code: sdk(`${CC}
${MSG}
export async function ask(messages: Msg[]) {
  messages.at(-1)!.content.at(-1)!.cache_control = CC;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [${marked('A')}, ${marked('B')}, ${marked('C')}, ${marked('D')}], messages });
}`),
    errors: [{ ...added('5', '1', 'this assignment'), line: 6, column: 3, endLine: 6, endColumn: 54 }],
  },
  // --- the AI SDK: markers past four are dropped by the SDK ---------------------------------------------------
  {
    name: 'AI SDK: providerOptions cacheControl on every message (the SDK keeps the first four)',
    code: `import { generateText } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
export const ask = (history: { role: 'user' | 'assistant'; content: string }[]) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  messages: history.map((m) => ({ ...m, providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } })),
});`,
    errors: [{ messageId: 'unboundedDropped', data: { marker: 'providerOptions.anthropic.cacheControl', by: '', array: 'history', max: '4' }, line: 5, column: 73, endLine: 5, endColumn: 108 }],
  },
  {
    name: 'AI SDK: a helper sets providerOptions on the two newest messages, with three cached system messages',
    code: `import { generateText, type ModelMessage } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
const cached = { anthropic: { cacheControl: { type: 'ephemeral' } } } as const;
function cacheLast(messages: ModelMessage[]): ModelMessage[] {
  return messages.map((message, index) => (index >= messages.length - 2 ? { ...message, providerOptions: cached } : message));
}
export const ask = (history: ModelMessage[]) => generateText({
  model: anthropic('claude-sonnet-4-5'),
  system: [
    { role: 'system', content: 'A', providerOptions: cached },
    { role: 'system', content: 'B', providerOptions: cached },
    { role: 'system', content: 'C', providerOptions: cached },
  ],
  messages: cacheLast(history),
});`,
    errors: [{ messageId: 'tooManyAddedDropped', data: { count: '5', added: '2', source: 'cacheLast()', max: '4' }, line: 14, column: 13, endLine: 14, endColumn: 31 }],
  },
  {
    name: 'AI SDK: a chat loop marks every new user turn with provider options',
    code: `import { generateText, type ModelMessage } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
const cached = { anthropic: { cacheControl: { type: 'ephemeral' } } } as const;
export async function chat(next: () => Promise<string>) {
  const messages: ModelMessage[] = [];
  for (;;) {
    messages.push({ role: 'user', content: await next(), providerOptions: cached });
    const { text } = await generateText({ model: anthropic('claude-sonnet-4-5'), messages });
    messages.push({ role: 'assistant', content: text });
  }
}`,
    errors: [
      {
        messageId: 'perTurnDropped',
        data: { marker: 'providerOptions.anthropic.cacheControl', array: 'messages', max: '4', automatic: ', or use automatic caching (call-level providerOptions.anthropic.cacheControl)' },
        line: 7,
        column: 58,
        endLine: 7,
        endColumn: 81,
      },
    ],
  },
  {
    name: 'LangChain: a chat loop marks every new user turn',
    code: `import { ChatAnthropic } from '@langchain/anthropic';
import { HumanMessage, type BaseMessage } from '@langchain/core/messages';
const model = new ChatAnthropic({ model: 'claude-sonnet-4-6' });
export async function chat(next: () => Promise<string>) {
  const messages: BaseMessage[] = [];
  for (;;) {
    messages.push(new HumanMessage({ content: [{ type: 'text', text: await next(), cache_control: { type: 'ephemeral' } }] }));
    messages.push(await model.invoke(messages));
  }
}`,
    errors: [{ messageId: 'perTurn', data: { marker: 'cache_control', array: 'messages', max: '4', automatic: ', or use automatic caching (the cache_control call option)' }, line: 7, column: 84, endLine: 7, endColumn: 120 }],
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
      name: 'JS: a helper marks the two newest user turns, with three written markers',
      code: sdk(`${CC_JS}
function markRecent(msgs) {
  for (let i = msgs.length - 1, n = 0; i >= 0 && n < 2; i--) {
    if (msgs[i].role !== 'user') continue;
    msgs[i].content.at(-1).cache_control = CC;
    n++;
  }
}
export async function ask(messages) {
  markRecent(messages);
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: [{ type: 'text', text: 'A', cache_control: CC }, { type: 'text', text: 'B', cache_control: CC }, { type: 'text', text: 'C', cache_control: CC }], messages });
}`),
      errors: [{ messageId: 'tooManyAdded', data: { count: '5', added: '2', source: 'markRecent()', max: '4' }, line: 12, column: 3, endLine: 12, endColumn: 23 }],
    },
    {
      name: 'JS: forEach marks every message',
      code: sdk(`${CC_JS}
export async function ask(messages) {
  messages.forEach((m) => { m.content[0].cache_control = CC; });
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages });
}`),
      errors: [{ ...unbounded('messages'), line: 5, column: 29, endLine: 5, endColumn: 60 }],
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
