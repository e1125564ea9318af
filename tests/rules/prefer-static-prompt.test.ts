import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import rule from '../../rules/prefer-static-prompt.js';
import { jsRuleTester, ruleTester, sdk } from './utils.js';

const CONSTANTS = `const PERSONA = 'You are the support assistant of Acme.';
const RULES = ['Answer in English.', 'Cite the docs.'];
`;

/** `sdk()` plus the two module-level constants above (lines 3 and 4). */
function app(body: string): string {
  return sdk(`${CONSTANTS}${body}`);
}

const EPHEMERAL = "cache_control: { type: 'ephemeral' }";

ruleTester.run('prefer-static-prompt', rule, {
  valid: [
    {
      name: 'template of constants built once at module level',
      code: app(`const SYSTEM = \`\${PERSONA}\\n\${RULES.join('\\n')}\`;
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512, ${EPHEMERAL},
    system: SYSTEM, messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'template that interpolates a parameter (per-tenant documents)',
      code: app(`export async function answer(tenant: { docs: string }, question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: \`\${PERSONA}\\n\\n\${tenant.docs}\`, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'builder function called once at module level',
      code: app(`function buildSystem() {
  return \`\${PERSONA}\\n\${RULES.join('\\n')}\`;
}
const SYSTEM = buildSystem();
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: SYSTEM, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'constant template after the last breakpoint is not cached',
      code: app(`export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [
      { type: 'text', text: PERSONA, ${EPHEMERAL} },
      { type: 'text', text: \`Rules:\\n\${RULES.join('\\n')}\` },
    ],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'prompt file read once at module level',
      code: app(`import { readFileSync } from 'node:fs';
const SYSTEM = readFileSync(new URL('./system.md', import.meta.url), 'utf8');
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: SYSTEM, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'per-tenant prompt file: the path depends on a parameter',
      code: app(`import { readFileSync } from 'node:fs';
import path from 'node:path';
export async function answer(tenantId: string, question: string) {
  const system = readFileSync(path.join(__dirname, 'tenants', \`\${tenantId}.md\`), 'utf8');
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'per-tenant prompt file: the path goes through a local const built from a parameter',
      code: app(`import { readFileSync } from 'node:fs';
export async function answer(lang: string, question: string) {
  const file = \`prompts/\${lang}.md\`;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: readFileSync(file, 'utf8'), ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'request without any breakpoint: nothing is cached',
      code: app(`export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: \`\${PERSONA}\\n\${RULES.join('\\n')}\`,
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: "Twilio's messages.create is not an LLM request",
      code: `import twilio from 'twilio';
const sms = twilio('sid', 'token');
const GREETING = 'Hello from Acme';
export async function notify(to: string) {
  return sms.messages.create({ body: \`\${GREETING}, your order shipped.\`, to, from: '+15550100' });
}`,
    },
    {
      name: 'plain string literal in the function',
      code: app(`export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: 'You are the support assistant of Acme.', ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'bare reference to a module-level constant',
      code: app(`const SYSTEM_PROMPT = \`\${PERSONA} Follow the rules.\`;
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512, ${EPHEMERAL},
    system: SYSTEM_PROMPT, messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'template without expressions and a concatenation of literals only',
      code: app(`export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [
      { type: 'text', text: \`You are the support assistant of Acme.\` },
      { type: 'text', text: 'Answer in English. ' + 'Cite the docs.', ${EPHEMERAL} },
    ],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'join of literals only',
      code: app(`export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: ['Answer in English.', 'Cite the docs.'].join('\\n'), ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'request made at module level runs once',
      code: app(`const reply = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
  system: [{ type: 'text', text: \`\${PERSONA}\\n\${RULES.join('\\n')}\`, ${EPHEMERAL} }],
  messages: [{ role: 'user', content: 'Warm up' }] });
export default reply;`),
    },
    {
      name: 'text built once per agent in a factory, used by the returned closure',
      code: app(`export function createAgent() {
  const system = \`\${PERSONA}\\n\${RULES.join('\\n')}\`;
  return {
    ask: (question: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
      system: [{ type: 'text', text: system, ${EPHEMERAL} }],
      messages: [{ role: 'user', content: question }] }),
  };
}`),
    },
    {
      name: 'imported constant: unknown by default',
      code: app(`import { BASE_PROMPT } from './prompts';
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: \`\${BASE_PROMPT}\\n\${PERSONA}\`, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'memoised read: the loader stores the file the first time',
      code: app(`import { readFileSync } from 'node:fs';
let cached: string | undefined;
function loadSystem() {
  return cached ?? (cached = readFileSync('prompts/system.md', 'utf8'));
}
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: loadSystem(), ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'template with a clock value: changes per request (another rule reports it)',
      code: app(`export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: \`\${PERSONA} Today is \${new Date().toDateString()}.\`, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'template with the result of an imported function: unknown',
      code: app(`import { getPolicy } from './policy';
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: \`\${PERSONA}\\n\${getPolicy()}\`, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'method call on a module-level object runs per request',
      code: app(`import { createStore } from './store';
const store = createStore();
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: \`\${PERSONA}\\n\${store.get('policy')}\`, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'checkFileReads: false ignores a read in the handler',
      options: [{ checkFileReads: false }],
      code: app(`import { readFileSync } from 'node:fs';
export async function answer(question: string) {
  const system = readFileSync('prompts/system.md', 'utf8');
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'builder with a parameter called with per-request data',
      code: app(`function buildSystem(company: string) {
  return \`You are the assistant of \${company}.\\n\${RULES.join('\\n')}\`;
}
export async function answer(tenant: { company: string }, question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: buildSystem(tenant.company), ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
    {
      name: 'read inside a ternary: not reported (it may be the fallback of a cache)',
      code: app(`import { readFileSync } from 'node:fs';
export async function answer(question: string, override?: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: override ? override : readFileSync('prompts/system.md', 'utf8'), ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
    },
  ],
  invalid: [
    {
      name: 'template of constants as the system string, automatic caching',
      code: app(`export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512, ${EPHEMERAL},
    system: \`\${PERSONA}\\n\${RULES.join('\\n')}\`,
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This template literal', where: 'system prompt', tokens: '18', name: 'SYSTEM_PROMPT' },
          line: 7,
          column: 13,
          endLine: 7,
          endColumn: 46,
          suggestions: [],
        },
      ],
    },
    {
      name: 'const template in the handler: hoisting suggestion',
      code: app(`export async function answer(question: string) {
  const system = \`\${PERSONA}\\n\${RULES.join('\\n')}\`;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This template literal', where: 'system prompt', tokens: '18', name: 'system' },
          line: 6,
          column: 18,
          endLine: 6,
          endColumn: 51,
          suggestions: [
            {
              messageId: 'hoistToModule',
              data: { name: 'system' },
              output: app(`const system = \`\${PERSONA}\\n\${RULES.join('\\n')}\`;

export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
            },
          ],
        },
      ],
    },
    {
      name: '+ concatenation in a text block',
      code: app(`export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: PERSONA + '\\n' + RULES[0], ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This `+` concatenation', where: 'system prompt', tokens: '15', name: 'SYSTEM_PROMPT' },
          line: 7,
          column: 36,
          endLine: 7,
          endColumn: 61,
          suggestions: [],
        },
      ],
    },
    {
      name: 'join of a module-level array in a const: hoisting suggestion',
      code: app(`export async function answer(question: string) {
  const rules: string = RULES.join('\\n');
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [
      { type: 'text', text: PERSONA },
      { type: 'text', text: rules, ${EPHEMERAL} },
    ],
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This `.join()`', where: 'system prompt', tokens: '9', name: 'rules' },
          line: 6,
          column: 25,
          endLine: 6,
          endColumn: 41,
          suggestions: [
            {
              messageId: 'hoistToModule',
              data: { name: 'rules' },
              output: app(`const rules: string = RULES.join('\\n');

export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [
      { type: 'text', text: PERSONA },
      { type: 'text', text: rules, ${EPHEMERAL} },
    ],
    messages: [{ role: 'user', content: question }] });
}`),
            },
          ],
        },
      ],
    },
    {
      name: 'local builder function called from the handler: reported where it builds',
      code: app(`function buildSystem() {
  return [PERSONA, ...RULES].join('\\n');
}
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: buildSystem(), ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This `.join()`', where: 'system prompt', tokens: '18', name: 'SYSTEM_PROMPT' },
          line: 6,
          column: 10,
          endLine: 6,
          endColumn: 40,
          suggestions: [],
        },
      ],
    },
    {
      name: 'builder returning the cached blocks',
      code: app(`const systemBlocks = () => [{ type: 'text' as const, text: \`\${PERSONA}\\n\${RULES.join('\\n')}\`, ${EPHEMERAL} }];
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: systemBlocks(),
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This template literal', where: 'system prompt', tokens: '18', name: 'SYSTEM_PROMPT' },
          line: 5,
          column: 60,
          endLine: 5,
          endColumn: 93,
          suggestions: [],
        },
      ],
    },
    {
      name: 'constant documents in the first user block, question after the breakpoint',
      code: app(`const FAQ = 'Q: Refunds? A: Within 30 days.';
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    messages: [{ role: 'user', content: [
      { type: 'text', text: \`<faq>\${FAQ}</faq>\`, ${EPHEMERAL} },
      { type: 'text', text: question },
    ] }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This template literal', where: 'message 1', tokens: '11', name: 'PROMPT_TEXT' },
          line: 9,
          column: 29,
          endLine: 9,
          endColumn: 48,
          suggestions: [],
        },
      ],
    },
    {
      name: 'placeholder filled with replace() on every call',
      code: app(`const TEMPLATE = 'You are the assistant of {{company}}.';
const COMPANY = 'Acme';
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: TEMPLATE.replace('{{company}}', COMPANY), ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This `.replace()` call', where: 'system prompt', tokens: '8', name: 'SYSTEM_PROMPT' },
          line: 9,
          column: 36,
          endLine: 9,
          endColumn: 76,
          suggestions: [],
        },
      ],
    },
    {
      name: 'dedent template in the handler',
      code: app(`import dedent from 'dedent';
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: dedent\`
      \${PERSONA}
      \${RULES.join('\\n')}\`, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This template literal', where: 'system prompt', tokens: '22', name: 'SYSTEM_PROMPT' },
          line: 8,
          column: 36,
          endLine: 10,
          endColumn: 27,
          suggestions: [],
        },
      ],
    },
    {
      name: 'route handler around a retry callback',
      code: app(`import express from 'express';
const server = express();
server.post('/chat', async (req, res) => {
  const system = \`\${PERSONA}\\n\${RULES.join('\\n')}\`;
  const reply = await retry(() => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: req.body.question }] }));
  res.json(reply);
});
declare function retry<T>(fn: () => Promise<T>): Promise<T>;`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This template literal', where: 'system prompt', tokens: '18', name: 'system' },
          line: 8,
          column: 18,
          endLine: 8,
          endColumn: 51,
          suggestions: [
            {
              messageId: 'hoistToModule',
              data: { name: 'system' },
              output: app(`import express from 'express';
const server = express();
const system = \`\${PERSONA}\\n\${RULES.join('\\n')}\`;

server.post('/chat', async (req, res) => {
  const reply = await retry(() => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: req.body.question }] }));
  res.json(reply);
});
declare function retry<T>(fn: () => Promise<T>): Promise<T>;`),
            },
          ],
        },
      ],
    },
    {
      name: 'one report for a builder shared by two requests',
      code: app(`function buildSystem() {
  return \`\${PERSONA}\\n\${RULES.join('\\n')}\`;
}
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: buildSystem(), ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}
export async function summarize(text: string) {
  return client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 256,
    system: [{ type: 'text', text: buildSystem(), ${EPHEMERAL} }],
    messages: [{ role: 'user', content: text }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This template literal', where: 'system prompt', tokens: '18', name: 'SYSTEM_PROMPT' },
          line: 6,
          column: 10,
          endLine: 6,
          endColumn: 43,
          suggestions: [],
        },
      ],
    },
    {
      name: 'treatImportsAsConstants: imported prompt pieces count as constants',
      options: [{ treatImportsAsConstants: true }],
      code: app(`import { BASE_PROMPT } from './prompts';
import * as styles from './styles';
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: \`\${BASE_PROMPT}\\n\${styles.FORMAL}\\n\${PERSONA}\`, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This template literal', where: 'system prompt', tokens: '10+', name: 'SYSTEM_PROMPT' },
          line: 9,
          column: 36,
          endLine: 9,
          endColumn: 82,
          suggestions: [],
        },
      ],
    },
    {
      name: 'the comment right above the const moves with it',
      code: app(`export async function answer(question: string) {
  const started = Date.now();

  // Persona first, then the house rules.
  const system = \`\${PERSONA}\\n\${RULES.join('\\n')}\`;
  console.log(started);
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This template literal', where: 'system prompt', tokens: '18', name: 'system' },
          line: 9,
          column: 18,
          endLine: 9,
          endColumn: 51,
          suggestions: [
            {
              messageId: 'hoistToModule',
              data: { name: 'system' },
              output: app(`// Persona first, then the house rules.
const system = \`\${PERSONA}\\n\${RULES.join('\\n')}\`;

export async function answer(question: string) {
  const started = Date.now();

  console.log(started);
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
            },
          ],
        },
      ],
    },
    {
      name: 'no suggestion when a referenced constant is declared after the function',
      code: app(`export async function answer(question: string) {
  const system = \`\${PERSONA}\\n\${FOOTER}\`;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}
const FOOTER = 'Thank you for contacting Acme.';`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This template literal', where: 'system prompt', tokens: '18', name: 'system' },
          line: 6,
          column: 18,
          endLine: 6,
          endColumn: 41,
          suggestions: [],
        },
      ],
    },
    {
      name: 'no suggestion when the name is taken at module level',
      code: app(`const system = 'legacy';
export async function answer(question: string) {
  const system = \`\${PERSONA}\\n\${RULES.join('\\n')}\`;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This template literal', where: 'system prompt', tokens: '18', name: 'system' },
          line: 7,
          column: 18,
          endLine: 7,
          endColumn: 51,
          suggestions: [],
        },
      ],
    },
    {
      name: 'readFileSync in the handler: hoisting suggestion keeps the JSDoc on the function',
      code: app(`import { readFileSync } from 'node:fs';
import path from 'node:path';
/** Answers a support question. */
export async function answer(question: string) {
  const system = readFileSync(path.join(__dirname, 'prompts', 'system.md'), 'utf8').trim();
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'fileReadPerRequest',
          data: { call: 'readFileSync()', where: 'system prompt', name: 'system' },
          line: 9,
          column: 18,
          endLine: 9,
          endColumn: 84,
          suggestions: [
            {
              messageId: 'hoistToModule',
              data: { name: 'system' },
              output: app(`import { readFileSync } from 'node:fs';
import path from 'node:path';
const system = readFileSync(path.join(__dirname, 'prompts', 'system.md'), 'utf8').trim();

/** Answers a support question. */
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
            },
          ],
        },
      ],
    },
    {
      name: 'fs.promises.readFile awaited in the handler: no suggestion',
      code: app(`import fs from 'node:fs';
export async function answer(question: string) {
  const system = await fs.promises.readFile(new URL('./system.md', import.meta.url), 'utf8');
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'fileReadPerRequest',
          data: { call: 'fs.promises.readFile()', where: 'system prompt', name: 'system' },
          line: 7,
          column: 24,
          endLine: 7,
          endColumn: 93,
          suggestions: [],
        },
      ],
    },
    {
      name: 'prompt loader called from the handler reads the file each time',
      code: app(`import { readFileSync } from 'node:fs';
function loadSystem(): string {
  return readFileSync('prompts/system.md').toString();
}
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: loadSystem(), ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'fileReadPerRequest',
          data: { call: 'readFileSync()', where: 'system prompt', name: 'SYSTEM_PROMPT' },
          line: 7,
          column: 10,
          endLine: 7,
          endColumn: 43,
          suggestions: [],
        },
      ],
    },
    {
      name: 'builder with a parameter called with a constant: reported at the call',
      code: app(`function buildSystem(company: string) {
  return \`You are the assistant of \${company}.\\n\${RULES.join('\\n')}\`;
}
export async function answer(question: string) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: buildSystem('Acme'), ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This call of `buildSystem()`', where: 'system prompt', tokens: '16', name: 'SYSTEM_PROMPT' },
          line: 10,
          column: 36,
          endLine: 10,
          endColumn: 55,
          suggestions: [],
        },
      ],
    },
  ],
});

jsRuleTester.run('prefer-static-prompt (JavaScript)', rule, {
  valid: [
    {
      name: 'JS: join of constants at module level',
      code: `import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic();
const RULES = ['Answer in English.', 'Cite the docs.'];
const SYSTEM = RULES.join('\\n');
export async function answer(question) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512, ${EPHEMERAL},
    system: SYSTEM, messages: [{ role: 'user', content: question }] });
}`,
    },
    {
      name: 'JS: CommonJS prompt file read at module level',
      code: `const Anthropic = require('@anthropic-ai/sdk');
const fs = require('fs');
const client = new Anthropic();
const SYSTEM = fs.readFileSync(__dirname + '/system.md', 'utf8');
async function answer(question) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512, ${EPHEMERAL},
    system: SYSTEM, messages: [{ role: 'user', content: question }] });
}
module.exports = { answer };`,
    },
  ],
  invalid: [
    {
      name: 'JS: const template in the handler',
      code: `import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic();
const PERSONA = 'You are the support assistant of Acme.';
const RULES = ['Answer in English.', 'Cite the docs.'];
export async function answer(question) {
  const system = \`\${PERSONA}\\n\${RULES.join('\\n')}\`;
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`,
      errors: [
        {
          messageId: 'rebuiltPrompt',
          data: { what: 'This template literal', where: 'system prompt', tokens: '18', name: 'system' },
          line: 6,
          column: 18,
          endLine: 6,
          endColumn: 51,
          suggestions: [
            {
              messageId: 'hoistToModule',
              data: { name: 'system' },
              output: app(`const system = \`\${PERSONA}\\n\${RULES.join('\\n')}\`;

export async function answer(question) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}`),
            },
          ],
        },
      ],
    },
    {
      name: 'JS: CommonJS readFileSync in the handler',
      code: `const Anthropic = require('@anthropic-ai/sdk');
const fs = require('fs');
const path = require('path');
const client = new Anthropic();
async function answer(question) {
  const system = fs.readFileSync(path.join(__dirname, 'system.md'), 'utf8');
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}
module.exports = { answer };`,
      errors: [
        {
          messageId: 'fileReadPerRequest',
          data: { call: 'readFileSync()', where: 'system prompt', name: 'system' },
          line: 6,
          column: 18,
          endLine: 6,
          endColumn: 76,
          suggestions: [{ messageId: 'hoistToModule', data: { name: 'system' }, output: `const Anthropic = require('@anthropic-ai/sdk');
const fs = require('fs');
const path = require('path');
const client = new Anthropic();
const system = fs.readFileSync(path.join(__dirname, 'system.md'), 'utf8');

async function answer(question) {
  return client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512,
    system: [{ type: 'text', text: system, ${EPHEMERAL} }],
    messages: [{ role: 'user', content: question }] });
}
module.exports = { answer };` }],
        },
      ],
    },
  ],
});

describe('prefer-static-prompt options schema', () => {
  const verify = (options: unknown) =>
    new Linter().verify(
      'const x = 1;',
      [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tsParser as never },
          plugins: { 'prompt-cache': { rules: { 'prefer-static-prompt': rule } } as never },
          rules: { 'prompt-cache/prefer-static-prompt': ['error', options] },
        },
      ],
      { filename: 'file.ts' },
    );

  it('accepts both options', () => {
    expect(verify({ checkFileReads: false, treatImportsAsConstants: true })).toEqual([]);
  });

  it('rejects a non-boolean checkFileReads', () => {
    expect(() => verify({ checkFileReads: 'yes' })).toThrow(/prompt-cache\/prefer-static-prompt[\s\S]*Value "yes" should be boolean/);
  });

  it('rejects an unknown option and names it, listing the valid ones', () => {
    expect(() => verify({ hoist: true })).toThrow(/Unexpected property "hoist"\. Expected properties: "checkFileReads", "treatImportsAsConstants"/);
  });
});
