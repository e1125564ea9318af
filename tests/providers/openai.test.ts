import noVolatileInPrefix from '../../rules/no-volatile-in-prefix.js';
import { jsRuleTester, ruleTester } from '../rules/utils.js';

// OpenAI caches prompt prefixes of 1,024+ tokens automatically: no marker. A changing value early in the
// instructions costs the stable text after it its cache hit. BIG is 6,000 characters: 1,500 tokens.
const HEAD = `import OpenAI from 'openai';\nconst openai = new OpenAI();\nconst BIG = 'x'.repeat(6000);\n`;
const chat = (system: string, extra = '') =>
  `${HEAD}export async function ask(q: string) {\n  return openai.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'system', content: ${system} }, { role: 'user', content: q }]${extra} });\n}`;
const stableTail = (value: string, frequency: string, tokens = '1,501', where = 'system prompt') => ({ value, frequency, tokens, where, provider: 'OpenAI' });

ruleTester.run('no-volatile-in-prefix (OpenAI automatic caching)', noVolatileInPrefix, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    { name: 'a stable system prompt', code: chat('BIG') },
    { name: 'the date at the end of the instructions (nothing stable after it)', code: chat('`${BIG}\\nToday: ${new Date().toDateString()}`') },
    { name: 'the date in the user message', code: `${HEAD}export const ask = (q: string) => openai.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'system', content: BIG }, { role: 'user', content: \`\${new Date().toISOString()} \${q}\` }] });` },
    { name: 'a prompt too short to be cached', code: chat("`Today: ${new Date().toDateString()}. Be brief and kind to everyone.`") },
    { name: 'a per-user prompt_cache_key is the intended use', code: chat('BIG', ', prompt_cache_key: `user-${userId}`').replace('(q: string)', '(q: string, userId: string)') },
    { name: 'a stable prompt_cache_key', code: chat('BIG', ", prompt_cache_key: 'support-bot-v3'") },
    { name: 'an untraced client without a model is not a request', code: `declare const db: any;\nexport const save = () => db.chat.completions.create({ rows: [\`\${Date.now()}\`] });` },
    { name: 'Assistants threads are not chat completions', code: `${HEAD}export const post = (threadId: string) => openai.beta.threads.messages.create(threadId, { role: 'user', content: \`\${Date.now()} \${BIG}\` });` },
  ],
  invalid: [
    {
      name: 'the date before the stable system prompt',
      code: chat('`Today is ${new Date().toDateString()}.\\n${BIG}`'),
      errors: [{ messageId: 'volatileBeforeStable', data: stableTail('new Date().toDateString()', 'changes daily'), line: 5, column: 109, endLine: 5, endColumn: 119 }],
    },
    {
      name: 'a request id in a developer message before tools-free stable text',
      code: `${HEAD}export const ask = (requestId: string, q: string) => openai.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'developer', content: \`[\${requestId}]\` }, { role: 'system', content: BIG }, { role: 'user', content: q }] });`,
      errors: [{ messageId: 'volatileBeforeStable', data: stableTail('requestId', 'changes on every request', '1,501'), line: 4, column: 148, endLine: 4, endColumn: 157 }],
    },
    {
      name: 'Responses API instructions starting with the time',
      code: `${HEAD}export const ask = (q: string) => openai.responses.create({ model: 'gpt-5', instructions: \`Now: \${new Date().toLocaleTimeString()}\\n\${BIG}\`, input: q });`,
      errors: [{ messageId: 'volatileBeforeStable', data: stableTail('new Date().toLocaleTimeString()', 'changes every second'), line: 4, column: 99, endLine: 4, endColumn: 109 }],
    },
    {
      name: 'a fresh UUID as prompt_cache_key',
      code: chat('BIG', ', prompt_cache_key: crypto.randomUUID()'),
      errors: [{ messageId: 'volatileCacheKey', data: { value: 'crypto.randomUUID()', frequency: 'changes on every request' }, line: 5, column: 153, endLine: 5, endColumn: 172 }],
    },
    {
      name: 'an untraced OpenAI-compatible client with the request shape',
      code: `const BIG = 'x'.repeat(6000);\nexport const ask = (groq: any, q: string) => groq.chat.completions.create({ model: 'llama-4', messages: [{ role: 'system', content: \`\${Date.now()} \${BIG}\` }, { role: 'user', content: q }] });`,
      errors: [{ messageId: 'volatileBeforeStable', data: stableTail('Date.now()', 'changes on every request', '1,501'), line: 2, column: 136, endLine: 2, endColumn: 146 }],
    },
  ],
});

jsRuleTester.run('no-volatile-in-prefix (OpenAI, plain JS)', noVolatileInPrefix, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [],
  invalid: [
    {
      name: 'JS: require(openai) and a timestamp before the stable prompt',
      code: `const OpenAI = require('openai');\nconst openai = new OpenAI();\nconst BIG = 'x'.repeat(6000);\nexports.ask = (q) => openai.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'system', content: Date.now() + BIG }, { role: 'user', content: q }] });`,
      errors: [{ messageId: 'volatileBeforeStable', data: stableTail('Date.now()', 'changes on every request', '1,500'), line: 4, column: 109, endLine: 4, endColumn: 119 }],
    },
  ],
});
