import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../../src/index.js';
import rule from '../../rules/valid-cache-control.js';
import { jsRuleTester, ruleTester, sdk } from './utils.js';

/** A Messages request (lines 3–6 of the file) whose remaining fields start on line 7. */
function request(fields: string, model = 'claude-sonnet-4-6'): string {
  return sdk(`export const ask = (q: string, opts: { ttl: '5m' | '1h' }) =>
  client.messages.create({
    model: '${model}',
    max_tokens: 1024,
${fields}
  });`);
}

// 8,000 ASCII characters = 2,000 estimated tokens: above the 1,024-token minimum of claude-sonnet-4-6.
// Uncached instead of read: 2,000 × $3/MTok × (1 − 0.1) = $0.0054 per request.
const SYS = `const SYS = 'x'.repeat(8000);\n`;
const SYS_COST = ' (~2,000 tokens up to here are sent uncached on every request; about $0.0054 extra per request on claude-sonnet-4-6 ($5.40 per 1,000 requests))';

const orderData = (marker: string, earlier: string) => ({ marker, earlier });

ruleTester.run('valid-cache-control', rule, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    // --- well-formed markers -------------------------------------------------------------------------------
    {
      name: 'bare ephemeral marker on a system block',
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }],`),
    },
    {
      name: '1h markers before 5m ones (tools 1h, system 1h, messages 5m)',
      code: request(`    tools: [{ name: 'search', description: 'Search.', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral', ttl: '1h' } }],
    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [{ role: 'user', content: [{ type: 'text', text: q, cache_control: { type: 'ephemeral', ttl: '5m' } }] }],`),
    },
    {
      name: 'a ttl from a parameter after a 5m marker is unknown: silent',
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: [{ type: 'text', text: q, cache_control: { type: 'ephemeral', ttl: opts.ttl } }] }],`),
    },
    {
      name: 'a conditional 5m marker before a 1h one is not a certain 5m marker',
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: q ? { type: 'ephemeral' } : undefined }],
    messages: [{ role: 'user', content: [{ type: 'text', text: q, cache_control: { type: 'ephemeral', ttl: '1h' } }] }],`),
    },
    {
      name: 'cache_control: null and undefined mean no marker',
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: null }, { type: 'text', text: 'More.', cache_control: undefined }],
    messages: [{ role: 'user', content: q }],`),
    },
    {
      name: 'a type from an imported constant is unknown: silent',
      code: `import { MARKER_TYPE } from './config';\n${request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: MARKER_TYPE } }],
    messages: [{ role: 'user', content: q }],`)}`,
    },
    {
      name: 'ttl: null is left alone (not in the SDK types, but its API behaviour is undocumented)',
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: null } }],
    messages: [{ role: 'user', content: q }],`),
    },
    {
      name: 'a marker from a parameter is unknown: silent',
      code: sdk(`export const ask = (q: string, marker: { type: 'ephemeral' }) =>
  client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, system: [{ type: 'text', text: 'Hi', cache_control: marker }], messages: [{ role: 'user', content: q }] });`),
    },
    {
      name: 'markers on image, document, tool_use and tool_result blocks are allowed',
      code: request(`    messages: [
      { role: 'user', content: [
        { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' }, cache_control: { type: 'ephemeral' } },
        { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Doc' }, cache_control: { type: 'ephemeral' } },
      ] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'search', input: {}, cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok', cache_control: { type: 'ephemeral' } }] },
    ],`),
    },
    {
      name: 'thinking block without a marker, marker on the next block',
      code: request(`    messages: [
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'Hmm.', signature: 'sig' }, { type: 'text', text: 'Done.', cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: q },
    ],`),
    },
    {
      name: 'a whitespace-only text block is not reported by default',
      code: request(`    system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: ' ', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }],`),
    },
    // --- TTL order -----------------------------------------------------------------------------------------
    {
      name: 'a 1h marker after a 5m one, but in a different request',
      code: sdk(`export async function two(q: string) {
  await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, system: [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] });
  await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, system: [{ type: 'text', text: 'B', cache_control: { type: 'ephemeral', ttl: '1h' } }], messages: [{ role: 'user', content: q }] });
}`),
    },
    {
      name: 'countTokens: the TTL order is not checked (token counting never caches)',
      code: sdk(`export const count = (q: string) =>
  client.messages.countTokens({ model: 'claude-sonnet-4-6', system: [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: [{ type: 'text', text: q, cache_control: { type: 'ephemeral', ttl: '1h' } }] }] });`),
    },
    {
      name: 'automatic 1h marker with only 1h explicit markers',
      code: request(`    cache_control: { type: 'ephemeral', ttl: '1h' },
    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [{ role: 'user', content: q }],`),
    },
    {
      name: 'automatic bare marker and a bare explicit marker on the last block (same TTL: a no-op)',
      code: request(`    cache_control: { type: 'ephemeral' },
    messages: [{ role: 'user', content: [{ type: 'text', text: q, cache_control: { type: 'ephemeral', ttl: '5m' } }] }],`),
    },
    {
      name: 'automatic 5m marker after a 1h marker that is not on the last block',
      code: request(`    cache_control: { type: 'ephemeral' },
    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [{ role: 'user', content: q }],`),
    },
    // --- spelling ------------------------------------------------------------------------------------------
    {
      name: 'cacheControl in AI SDK providerOptions.anthropic is the right spelling there',
      code: `import { generateText } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
export const run = (prompt: string) => generateText({
  model: anthropic('claude-sonnet-4-6'),
  messages: [{ role: 'system', content: 'Be brief.', providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } }, { role: 'user', content: prompt }],
});`,
    },
    {
      name: 'cache_control in AI SDK providerOptions.anthropic is read by the AI SDK too',
      code: `import { streamText } from 'ai';
import { anthropic } from '@ai-sdk/anthropic';
export const run = (prompt: string) => streamText({
  model: anthropic('claude-sonnet-4-6'),
  messages: [{ role: 'user', content: prompt, providerOptions: { anthropic: { cache_control: { type: 'ephemeral' } } } }],
});`,
    },
    {
      name: 'Twilio look-alike: messages.create with a cacheControl field',
      code: `import twilio from 'twilio';
const sms = twilio('sid', 'token');
export const send = (to: string) => sms.messages.create({ body: 'Hi', to, from: '+15550100', cacheControl: 'no-cache' });`,
    },
    {
      name: 'an object named cache_control in unrelated code',
      code: `const cache_control = { type: 'persistent', ttl: '10m' };
export function headers() {
  return { 'Cache-Control': 'max-age=600', meta: { cache_control, cacheControl: cache_control } };
}`,
    },
    {
      name: 'both spellings on one block: the cache_control marker is there',
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' }, cacheControl: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }],`),
    },
    {
      name: 'cacheControl next to an unknown spread that may bring cache_control',
      code: sdk(`export const ask = (q: string, base: object) =>
  client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, ...base, cacheControl: { type: 'ephemeral' }, messages: [{ role: 'user', content: q }] });`),
    },
    {
      name: 'cacheControl: undefined carries no marker',
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cacheControl: undefined }],
    messages: [{ role: 'user', content: q }],`),
    },
    {
      name: 'checkKeySpelling: false ignores cacheControl',
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cacheControl: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }],`),
      options: [{ checkKeySpelling: false }],
    },
  ],
  invalid: [
    // --- type ----------------------------------------------------------------------------------------------
    {
      name: "type: 'persistent' (no such cache type; no suggestion)",
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'persistent' } }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'invalidType', data: { value: "'persistent'" }, line: 7, column: 72, endLine: 7, endColumn: 84, suggestions: [] }],
    },
    {
      name: "type: 'Ephemeral' (suggestion: 'ephemeral', keeping double quotes)",
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: "Ephemeral" } }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'invalidType', data: { value: "'Ephemeral'" }, line: 7, column: 72, endLine: 7, endColumn: 83, suggestions: [
          { messageId: 'useValue', data: { replacement: "'ephemeral'" }, output: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: "ephemeral" } }],
    messages: [{ role: 'user', content: q }],`) },
        ] }],
    },
    {
      name: 'missing type: cache_control: {}',
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: {} }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'missingType', line: 7, column: 64, endLine: 7, endColumn: 66, suggestions: [
          { messageId: 'addType', output: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }],`) },
        ] }],
    },
    {
      name: "missing type: { ttl: '1h' } (suggestion inserts the type)",
      code: request(`    tools: [{ name: 'search', description: 'Search.', input_schema: { type: 'object' }, cache_control: { ttl: '1h' } }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'missingType', line: 7, column: 104, endLine: 7, endColumn: 117, suggestions: [
          { messageId: 'addType', output: request(`    tools: [{ name: 'search', description: 'Search.', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [{ role: 'user', content: q }],`) },
        ] }],
    },
    {
      name: "cache_control: 'ephemeral' is not an object",
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: 'ephemeral' }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'notAnObject', data: { value: "'ephemeral'" }, line: 7, column: 64, endLine: 7, endColumn: 75, suggestions: [
          { messageId: 'useValue', data: { replacement: "{ type: 'ephemeral' }" }, output: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }],`) },
        ] }],
    },
    {
      name: 'cache_control: true is not an object',
      code: request(`    cache_control: true,
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'notAnObject', data: { value: 'true' }, line: 7, column: 20, endLine: 7, endColumn: 24, suggestions: [
          { messageId: 'useValue', data: { replacement: "{ type: 'ephemeral' }" }, output: request(`    cache_control: { type: 'ephemeral' },
    messages: [{ role: 'user', content: q }],`) },
        ] }],
    },
    // --- ttl -----------------------------------------------------------------------------------------------
    {
      name: "ttl: '10m' (not a TTL the API offers; no suggestion)",
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '10m' } }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'invalidTtl', data: { value: "'10m'" }, line: 7, column: 90, endLine: 7, endColumn: 95, suggestions: [] }],
    },
    {
      name: "ttl: '60m' → '1h'",
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '60m' } }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'invalidTtl', data: { value: "'60m'" }, line: 7, column: 90, endLine: 7, endColumn: 95, suggestions: [
          { messageId: 'useValue', data: { replacement: "'1h'" }, output: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [{ role: 'user', content: q }],`) },
        ] }],
    },
    {
      name: 'ttl: "1hr" → "1h" (keeps double quotes)',
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: "1hr" } }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'invalidTtl', data: { value: "'1hr'" }, line: 7, column: 90, endLine: 7, endColumn: 95, suggestions: [
          { messageId: 'useValue', data: { replacement: "'1h'" }, output: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: "1h" } }],
    messages: [{ role: 'user', content: q }],`) },
        ] }],
    },
    {
      name: "ttl: 3600 (seconds) → '1h'",
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: 3600 } }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'invalidTtl', data: { value: '3600' }, line: 7, column: 90, endLine: 7, endColumn: 94, suggestions: [
          { messageId: 'useValue', data: { replacement: "'1h'" }, output: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [{ role: 'user', content: q }],`) },
        ] }],
    },
    {
      name: "ttl: '5min' and ttl: 300 → '5m'",
      code: request(`    system: [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral', ttl: '5min' } }, { type: 'text', text: 'B', cache_control: { type: 'ephemeral', ttl: 300 } }],
    messages: [{ role: 'user', content: q }],`),
      errors: [
        { messageId: 'invalidTtl', data: { value: "'5min'" }, line: 7, column: 82, endLine: 7, endColumn: 88, suggestions: [
          { messageId: 'useValue', data: { replacement: "'5m'" }, output: request(`    system: [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral', ttl: '5m' } }, { type: 'text', text: 'B', cache_control: { type: 'ephemeral', ttl: 300 } }],
    messages: [{ role: 'user', content: q }],`) },
        ] },
        { messageId: 'invalidTtl', data: { value: '300' }, line: 7, column: 162, endLine: 7, endColumn: 165, suggestions: [
          { messageId: 'useValue', data: { replacement: "'5m'" }, output: request(`    system: [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral', ttl: '5min' } }, { type: 'text', text: 'B', cache_control: { type: 'ephemeral', ttl: '5m' } }],
    messages: [{ role: 'user', content: q }],`) },
        ] },
      ],
    },
    {
      name: 'a bad ttl in a shared const marker is reported once, at the const',
      code: sdk(`const LONG = { type: 'ephemeral', ttl: '24h' } as const;
export async function both(q: string) {
  await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, system: [{ type: 'text', text: 'A', cache_control: LONG }], messages: [{ role: 'user', content: q }] });
  await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, system: [{ type: 'text', text: 'B', cache_control: LONG }], messages: [{ role: 'user', content: q }] });
}`),
      errors: [{ messageId: 'invalidTtl', data: { value: "'24h'" }, line: 3, column: 40, endLine: 3, endColumn: 45, suggestions: [] }],
    },
    {
      name: 'a bad ttl in the marker of blocks pushed in a loop over history',
      code: sdk(`export function chat(history: { role: 'user' | 'assistant'; content: string }[], q: string) {
  const messages: Anthropic.MessageParam[] = [];
  for (const m of history) messages.push({ role: m.role, content: [{ type: 'text', text: m.content, cache_control: { type: 'ephemeral', ttl: '30m' } }] });
  messages.push({ role: 'user', content: q });
  return client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages });
}`),
      errors: [{ messageId: 'invalidTtl', data: { value: "'30m'" }, line: 5, column: 142, endLine: 5, endColumn: 147, suggestions: [] }],
    },
    {
      name: 'a bad ttl in one branch of a conditional marker',
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: q ? { type: 'ephemeral', ttl: '2h' } : undefined }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'invalidTtl', data: { value: "'2h'" }, line: 7, column: 94, endLine: 7, endColumn: 98, suggestions: [] }],
    },
    // --- TTL order -----------------------------------------------------------------------------------------
    {
      name: '1h system marker after a 5m tool marker',
      code: request(`    tools: [{ name: 'search', description: 'Search.', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral', ttl: '5m' } }],
    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'ttlOrder', data: orderData("ttl: '1h' marker", "the tool definition marker on line 7 (ttl: '5m')"), line: 8, column: 90, endLine: 8, endColumn: 94 }],
    },
    {
      name: 'a bare marker counts as 5m: 1h message marker after a bare system marker',
      code: request(`    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: [{ type: 'text', text: q, cache_control: { type: 'ephemeral', ttl: '1h' } }] }],`),
      errors: [{ messageId: 'ttlOrder', data: orderData("ttl: '1h' marker", 'the system block marker on line 7 (no ttl, so 5m)'), line: 8, column: 108, endLine: 8, endColumn: 112 }],
    },
    {
      name: 'automatic 1h marker after an explicit 5m marker',
      code: request(`    cache_control: { type: 'ephemeral', ttl: '1h' },
    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'ttlOrder', data: orderData("automatic (top-level) ttl: '1h' marker", 'the system block marker on line 8 (no ttl, so 5m)'), line: 7, column: 46, endLine: 7, endColumn: 50 }],
    },
    {
      name: 'a shared 1h const marker after a 5m one: reported where it is used',
      code: sdk(`const HOUR = { type: 'ephemeral', ttl: '1h' } as const;
export const ask = (q: string) =>
  client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, system: [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'B', cache_control: HOUR }], messages: [{ role: 'user', content: q }] });`),
      errors: [{ messageId: 'ttlOrder', data: orderData("ttl: '1h' marker", 'the system block marker on line 5 (no ttl, so 5m)'), line: 5, column: 175, endLine: 5, endColumn: 194 }],
    },
    {
      name: 'automatic 5m marker on a last block that has an explicit 1h marker',
      code: request(`    cache_control: { type: 'ephemeral' },
    messages: [{ role: 'user', content: [{ type: 'text', text: q, cache_control: { type: 'ephemeral', ttl: '1h' } }] }],`),
      errors: [{ messageId: 'automaticTtlConflict', data: { automaticTtl: '5m', explicitTtl: '1h', line: 8 }, line: 7, column: 20, endLine: 7, endColumn: 41 }],
    },
    // --- blocks that cannot be marked ----------------------------------------------------------------------
    {
      name: 'marker on an empty text block',
      code: request(`    system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: '', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'emptyTextMarker', line: 7, column: 77, endLine: 7, endColumn: 113, suggestions: [
          { messageId: 'removeMarker', output: request(`    system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: '' }],
    messages: [{ role: 'user', content: q }],`) },
        ] }],
    },
    {
      name: 'whitespaceTextIsEmpty: marker on a whitespace-only text block',
      code: request(`    system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: '\\n ', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }],`),
      options: [{ whitespaceTextIsEmpty: true }],
      errors: [{ messageId: 'emptyTextMarker', line: 7, column: 80, endLine: 7, endColumn: 116, suggestions: [
          { messageId: 'removeMarker', output: request(`    system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: '\\n ' }],
    messages: [{ role: 'user', content: q }],`) },
        ] }],
    },
    {
      name: 'marker on a thinking block',
      code: request(`    messages: [
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'Hmm.', signature: 'sig', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'Done.' }] },
      { role: 'user', content: q },
    ],`),
      errors: [{ messageId: 'thinkingMarker', data: { kind: 'Thinking' }, line: 8, column: 94, endLine: 8, endColumn: 130, suggestions: [
          { messageId: 'removeMarker', output: request(`    messages: [
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'Hmm.', signature: 'sig' }, { type: 'text', text: 'Done.' }] },
      { role: 'user', content: q },
    ],`) },
        ] }],
    },
    {
      name: 'marker on a redacted_thinking block (first property)',
      code: request(`    messages: [
      { role: 'assistant', content: [{ cache_control: { type: 'ephemeral' }, type: 'redacted_thinking', data: 'abc' }, { type: 'text', text: 'Done.' }] },
      { role: 'user', content: q },
    ],`),
      errors: [{ messageId: 'thinkingMarker', data: { kind: 'Redacted thinking' }, line: 8, column: 40, endLine: 8, endColumn: 76, suggestions: [
          { messageId: 'removeMarker', output: request(`    messages: [
      { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'abc' }, { type: 'text', text: 'Done.' }] },
      { role: 'user', content: q },
    ],`) },
        ] }],
    },
    // --- wrong SDK spelling --------------------------------------------------------------------------------
    {
      name: 'cacheControl on a system block (with the cost of the missing cache)',
      code: `${SYS}${request(`    system: [{ type: 'text', text: SYS, cacheControl: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }],`)}`,
      errors: [{ messageId: 'wrongKeySpelling', data: { where: 'system block', effect: 'cache breakpoint', cost: SYS_COST }, line: 8, column: 41, endLine: 8, endColumn: 53, suggestions: [
          { messageId: 'renameKey', output: `${SYS}${request(`    system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }],`)}` },
        ] }],
    },
    {
      name: 'top-level cacheControl: no automatic caching',
      code: request(`    cacheControl: { type: 'ephemeral' },
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'wrongKeySpelling', data: { where: 'request', effect: 'automatic caching', cost: '' }, line: 7, column: 5, endLine: 7, endColumn: 17, suggestions: [
          { messageId: 'renameKey', output: request(`    cache_control: { type: 'ephemeral' },
    messages: [{ role: 'user', content: q }],`) },
        ] }],
    },
    {
      name: "'cacheControl' as a string key on a tool, before a later marker (no cost)",
      code: request(`    tools: [{ name: 'search', description: 'Search.', input_schema: { type: 'object' }, 'cacheControl': { type: 'ephemeral' } }],
    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }],`),
      errors: [{ messageId: 'wrongKeySpelling', data: { where: 'tool definition', effect: 'cache breakpoint', cost: '' }, line: 7, column: 89, endLine: 7, endColumn: 103, suggestions: [
          { messageId: 'renameKey', output: request(`    tools: [{ name: 'search', description: 'Search.', input_schema: { type: 'object' }, 'cache_control': { type: 'ephemeral' } }],
    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: q }],`) },
        ] }],
    },
    {
      name: 'shorthand cacheControl in a message content block',
      code: sdk(`const cacheControl = { type: 'ephemeral' } as const;
export const ask = (q: string) =>
  client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'text', text: q, cacheControl }] }] });`),
      errors: [{ messageId: 'wrongKeySpelling', data: { where: 'block in message 1', effect: 'cache breakpoint', cost: '' }, line: 5, column: 134, endLine: 5, endColumn: 146, suggestions: [
          { messageId: 'renameKey', output: sdk(`const cacheControl = { type: 'ephemeral' } as const;
export const ask = (q: string) =>
  client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'text', text: q, cache_control: cacheControl }] }] });`) },
        ] }],
    },
    {
      name: 'batch request params: a missing type',
      code: sdk(`export const batch = (q: string) =>
  client.messages.batches.create({ requests: [{ custom_id: 'a', params: { model: 'claude-sonnet-4-6', max_tokens: 10, system: [{ type: 'text', text: 'A', cache_control: { ttl: '5m' } }], messages: [{ role: 'user', content: q }] } }] });`),
      errors: [{ messageId: 'missingType', line: 4, column: 170, endLine: 4, endColumn: 183, suggestions: [
          { messageId: 'addType', output: sdk(`export const batch = (q: string) =>
  client.messages.batches.create({ requests: [{ custom_id: 'a', params: { model: 'claude-sonnet-4-6', max_tokens: 10, system: [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral', ttl: '5m' } }], messages: [{ role: 'user', content: q }] } }] });`) },
        ] }],
    },
  ],
});

jsRuleTester.run('valid-cache-control (plain JavaScript)', rule, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'JS: require() client with well-formed markers',
      code: `const Anthropic = require('@anthropic-ai/sdk');
const client = new Anthropic();
exports.ask = (q) => client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, system: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral', ttl: '1h' } }], messages: [{ role: 'user', content: q }] });`,
    },
  ],
  invalid: [
    {
      name: "JS: ttl: '1H' → '1h'",
      code: `const Anthropic = require('@anthropic-ai/sdk');
const client = new Anthropic();
exports.ask = (q) => client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, system: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral', ttl: '1H' } }], messages: [{ role: 'user', content: q }] });`,
      errors: [{ messageId: 'invalidTtl', data: { value: "'1H'" }, line: 3, column: 168, endLine: 3, endColumn: 172, suggestions: [
          { messageId: 'useValue', data: { replacement: "'1h'" }, output: `const Anthropic = require('@anthropic-ai/sdk');
const client = new Anthropic();
exports.ask = (q) => client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, system: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral', ttl: '1h' } }], messages: [{ role: 'user', content: q }] });` },
        ] }],
    },
    {
      name: 'JS: cacheControl on a content block of this.client (untraced receiver)',
      code: `export class Bot {
  constructor(client) { this.client = client; }
  ask(q) { return this.client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'text', text: q, cacheControl: { type: 'ephemeral' } }] }] }); }
}`,
      errors: [{ messageId: 'wrongKeySpelling', data: { where: 'block in message 1', effect: 'cache breakpoint', cost: '' }, line: 3, column: 154, endLine: 3, endColumn: 166, suggestions: [
          { messageId: 'renameKey', output: `export class Bot {
  constructor(client) { this.client = client; }
  ask(q) { return this.client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'text', text: q, cache_control: { type: 'ephemeral' } }] }] }); }
}` },
        ] }],
    },
  ],
});

describe('valid-cache-control options', () => {
  it('rejects a non-boolean option with a schema error naming the rule and the value', () => {
    const linter = new Linter();
    expect(() =>
      linter.verify('const x = 1;', [
        { plugins: { 'prompt-cache': plugin }, rules: { 'prompt-cache/valid-cache-control': ['error', { checkKeySpelling: 'yes' }] } },
      ]),
    ).toThrow(/valid-cache-control[\s\S]*Value "yes" should be boolean/);
  });

  it('rejects an unknown option, naming it and the options that exist', () => {
    const linter = new Linter();
    expect(() =>
      linter.verify('const x = 1;', [
        { plugins: { 'prompt-cache': plugin }, rules: { 'prompt-cache/valid-cache-control': ['error', { allowTtls: ['10m'] }] } },
      ]),
    ).toThrow(/valid-cache-control[\s\S]*Unexpected property "allowTtls"\. Expected properties: "checkKeySpelling", "whitespaceTextIsEmpty"/);
  });
});
