import maxBreakpoints from '../../rules/max-breakpoints.js';
import noVolatileInPrefix from '../../rules/no-volatile-in-prefix.js';
import validCacheControl from '../../rules/valid-cache-control.js';
import { jsRuleTester, ruleTester } from '../rules/utils.js';

// Raw HTTP to the Messages API: the body is laid out like an SDK request, so every rule applies.
const SYS = `const SYS = 'x'.repeat(4000);\nconst URL = 'https://api.anthropic.com/v1/messages';\n`;
const HEADERS = `{ 'x-api-key': process.env.ANTHROPIC_API_KEY!, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }`;
const body = (system: string) => `{ model: 'claude-sonnet-4-5', max_tokens: 100, system: [{ type: 'text', text: ${system}, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] }`;
const COST = '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.49 per 1,000 requests)';
const data = (value: string, tokens: string, cost = COST) => ({ value, frequency: 'changes on every request', where: 'system prompt', tokens, cost });

ruleTester.run('no-volatile-in-prefix (raw HTTP)', noVolatileInPrefix, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    { name: 'fetch with a stable cached system prompt', code: `${SYS}export const ask = (q: string) => fetch(URL, { method: 'POST', headers: ${HEADERS}, body: JSON.stringify(${body('SYS')}) });` },
    { name: 'fetch to another API with the same body shape', code: `${SYS}export const ask = (q: string) => fetch('https://example.com/v1/chat', { method: 'POST', body: JSON.stringify(${body('`${SYS} ${Date.now()}`')}) });` },
    { name: 'a GET request to the messages URL', code: `${SYS}export const ask = (q: string) => fetch(URL, { method: 'GET', body: JSON.stringify(${body('`${SYS} ${Date.now()}`')}) });` },
    { name: 'count_tokens never uses the cache', code: `${SYS}export const count = (q: string) => fetch('https://api.anthropic.com/v1/messages/count_tokens', { method: 'POST', body: JSON.stringify(${body('`${SYS} ${Date.now()}`')}) });` },
    { name: 'an unknown URL without the anthropic-version header', code: `${SYS}export const ask = (url: string, q: string) => fetch(url, { method: 'POST', body: JSON.stringify(${body('`${SYS} ${Date.now()}`')}) });` },
    { name: 'a local function called fetch is not the HTTP client', code: `${SYS}function fetch(url: string, init: unknown) { return [url, init]; }\nexport const ask = (q: string) => fetch(URL, { method: 'POST', body: JSON.stringify(${body('`${SYS} ${Date.now()}`')}) });` },
    { name: 'axios.post with the volatile value in the user turn', code: `import axios from 'axios';\n${SYS}export const ask = (q: string) => axios.post(URL, { model: 'claude-sonnet-4-5', max_tokens: 100, system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: \`\${Date.now()} \${q}\` }] });` },
  ],
  invalid: [
    {
      name: 'fetch with a JSON.stringify body',
      code: `${SYS}export const ask = (q: string) => fetch(URL, { method: 'POST', headers: ${HEADERS}, body: JSON.stringify(${body('`${SYS} ${new Date().toISOString()}`')}) });`,
      errors: [{ messageId: 'volatileInPrefix', data: data('new Date().toISOString()', '1,011'), line: 3, column: 302, endLine: 3, endColumn: 312, suggestions: [{ messageId: 'moveAfterBreakpoint', data: { value: 'new Date().toISOString()' }, output: `${SYS}export const ask = (q: string) => fetch(URL, { method: 'POST', headers: ${HEADERS}, body: JSON.stringify(${body('`${SYS} `').replace("cache_control: { type: 'ephemeral' } }]", "cache_control: { type: 'ephemeral' } }, { type: 'text', text: `${new Date().toISOString()}` }]")}) });` }] }],
    },
    {
      name: 'a body built in a variable first',
      code: `${SYS}export async function ask(q: string) {\n  const payload = ${body('SYS + Date.now()')};\n  return fetch(URL, { method: 'POST', headers: ${HEADERS}, body: JSON.stringify(payload) });\n}`,
      errors: [{ messageId: 'volatileInPrefix', data: data('Date.now()', '1,010', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)'), line: 4, column: 103, endLine: 4, endColumn: 113 }],
    },
    {
      name: 'axios.post(url, data)',
      code: `import axios from 'axios';\n${SYS}export const ask = (q: string) => axios.post(\`https://api.anthropic.com/v1/messages\`, ${body('SYS + crypto.randomUUID()')}, { headers: ${HEADERS} });`,
      errors: [{ messageId: 'volatileInPrefix', data: { ...data('crypto.randomUUID()', '1,010', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)') }, line: 4, column: 171, endLine: 4, endColumn: 190 }],
    },
    {
      name: 'axios(config) with data',
      code: `import axios from 'axios';\n${SYS}export const ask = (q: string) => axios({ url: URL, method: 'post', data: ${body('SYS + Date.now()')} });`,
      errors: [{ messageId: 'volatileInPrefix', data: data('Date.now()', '1,010', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)'), line: 4, column: 159, endLine: 4, endColumn: 169 }],
    },
    {
      name: 'got.post with json',
      code: `import got from 'got';\n${SYS}export const ask = (q: string) => got.post(URL, { json: ${body('SYS + Date.now()')} });`,
      errors: [{ messageId: 'volatileInPrefix', data: data('Date.now()', '1,010', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)'), line: 4, column: 141, endLine: 4, endColumn: 151 }],
    },
    {
      name: 'ky.post with json',
      code: `import ky from 'ky';\n${SYS}export const ask = (q: string) => ky.post(URL, { json: ${body('SYS + Date.now()')} });`,
      errors: [{ messageId: 'volatileInPrefix', data: data('Date.now()', '1,010', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)'), line: 4, column: 140, endLine: 4, endColumn: 150 }],
    },
    {
      name: 'an unknown URL with the anthropic-version header and a request body',
      code: `${SYS}export const ask = (base: string, q: string) => fetch(\`\${base}/proxy\`, { method: 'POST', headers: ${HEADERS}, body: JSON.stringify(${body('SYS + Date.now()')}) });`,
      errors: [{ messageId: 'volatileInPrefix', data: data('Date.now()', '1,010', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)'), line: 3, column: 324, endLine: 3, endColumn: 334 }],
    },
    {
      name: 'the batches endpoint: each params is a request',
      code: `${SYS}export const run = (q: string) => fetch('https://api.anthropic.com/v1/messages/batches', { method: 'POST', body: JSON.stringify({ requests: [{ custom_id: 'a', params: ${body('SYS + Date.now()')} }] }) });`,
      errors: [{ messageId: 'volatileInPrefix', data: data('Date.now()', '1,010', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)'), line: 3, column: 252, endLine: 3, endColumn: 262 }],
    },
  ],
});

jsRuleTester.run('no-volatile-in-prefix (raw HTTP, plain JS)', noVolatileInPrefix, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [{ name: 'JS: node-fetch with a stable prompt', code: `const fetch = require('node-fetch');\nconst SYS = 'x'.repeat(4000);\nexports.ask = (q) => fetch('https://api.anthropic.com/v1/messages', { method: 'POST', body: JSON.stringify({ model: 'claude-sonnet-4-5', system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] }) });` }],
  invalid: [
    {
      name: 'JS: node-fetch through require',
      code: `const fetch = require('node-fetch');\nconst SYS = 'x'.repeat(4000);\nexports.ask = (q) => fetch('https://api.anthropic.com/v1/messages', { method: 'POST', body: JSON.stringify({ model: 'claude-sonnet-4-5', system: [{ type: 'text', text: SYS + Date.now(), cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] }) });`,
      errors: [{ messageId: 'volatileInPrefix', data: data('Date.now()', '1,010', '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)'), line: 3, column: 175, endLine: 3, endColumn: 185 }],
    },
  ],
});

ruleTester.run('valid-cache-control (raw HTTP)', validCacheControl, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [{ name: 'a valid marker in a fetch body', code: `${SYS}export const ask = (q: string) => fetch(URL, { method: 'POST', body: JSON.stringify(${body('SYS')}) });` }],
  invalid: [
    {
      name: 'a bad ttl in a fetch body',
      code: `${SYS}export const ask = (q: string) => fetch(URL, { method: 'POST', body: JSON.stringify(${body('SYS').replace("{ type: 'ephemeral' }", "{ type: 'ephemeral', ttl: '10m' }")}) });`,
      errors: [{ messageId: 'invalidTtl', data: { value: "'10m'" }, line: 3, column: 209, endLine: 3, endColumn: 214 }],
    },
  ],
});

ruleTester.run('max-breakpoints (raw HTTP)', maxBreakpoints, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [{ name: 'four markers in a fetch body', code: `${SYS}export const ask = (q: string) => fetch(URL, { method: 'POST', body: JSON.stringify({ model: 'claude-sonnet-4-5', system: [${"{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }, ".repeat(4)}], messages: [{ role: 'user', content: q }] }) });` }],
  invalid: [
    {
      name: 'five markers in a fetch body',
      code: `${SYS}export const ask = (q: string) => fetch(URL, { method: 'POST', body: JSON.stringify({ model: 'claude-sonnet-4-5', system: [${"{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }, ".repeat(5)}], messages: [{ role: 'user', content: q }] }) });`,
      errors: [{ messageId: 'tooMany', data: { count: '5', max: '4' }, line: 3, column: 419, endLine: 3, endColumn: 455 }],
    },
  ],
});
