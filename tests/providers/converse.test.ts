import maxBreakpoints from '../../rules/max-breakpoints.js';
import minCacheableSize from '../../rules/min-cacheable-size.js';
import noEarlyBreakpoint from '../../rules/no-early-breakpoint.js';
import noVolatileInPrefix from '../../rules/no-volatile-in-prefix.js';
import { jsRuleTester, ruleTester } from '../rules/utils.js';

// AWS Bedrock Converse: `{ cachePoint: { type: 'default' } }` closes the block before it.
const HEAD = `import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';\nconst client = new BedrockRuntimeClient({});\nconst SYS = 'x'.repeat(4000);\n`;
const CP = `{ cachePoint: { type: 'default' } }`;
const converse = (system: string, extra = '') =>
  `${HEAD}export async function ask(q: string) {\n  return client.send(new ConverseCommand({ modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', system: ${system}, messages: [{ role: 'user', content: [{ text: q }] }]${extra} }));\n}`;

ruleTester.run('no-volatile-in-prefix (Bedrock Converse)', noVolatileInPrefix, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    { name: 'a stable system prompt with a cache point', code: converse(`[{ text: SYS }, ${CP}]`) },
    { name: 'the volatile value after the cache point', code: converse(`[{ text: SYS }, ${CP}, { text: \`Now: \${Date.now()}\` }]`) },
    { name: 'no cache point at all', code: converse('[{ text: `${SYS} ${Date.now()}` }]') },
    { name: 'another Bedrock command is not a Converse request', code: `import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';\nconst client = new BedrockRuntimeClient({});\nexport const ask = (q: string) => client.send(new InvokeModelCommand({ modelId: 'm', body: JSON.stringify({ system: [{ text: String(Date.now()) }, ${CP}] }) }));` },
    { name: 'a local ConverseCommand class is not the SDK', code: `class ConverseCommand { constructor(readonly input: unknown) {} }\nconst SYS = 'x'.repeat(4000);\nexport const make = () => new ConverseCommand({ modelId: 'm', system: [{ text: \`\${SYS} \${Date.now()}\` }, ${CP}], messages: [] });` },
  ],
  invalid: [
    {
      name: 'a timestamp in a cached Converse system block',
      code: converse(`[{ text: \`\${SYS} \${new Date().toISOString()}\` }, ${CP}]`),
      errors: [{ messageId: 'volatileInPrefix', data: { value: 'new Date().toISOString()', frequency: 'changes on every request', where: 'system prompt', tokens: '1,011', cost: '; about $0.0035 extra per request on us.anthropic.claude-sonnet-4-5-20250929-v1:0 ($3.49 per 1,000 requests)' }, line: 5, column: 128, endLine: 5, endColumn: 138 }],
    },
    {
      name: 'a user name in a cached message (aggregated client)',
      code: `import { BedrockRuntime } from '@aws-sdk/client-bedrock-runtime';\nconst bedrock = new BedrockRuntime({});\nconst SYS = 'x'.repeat(4000);\nexport const ask = (user: { name: string }, q: string) => bedrock.converse({ modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0', messages: [{ role: 'user', content: [{ text: \`\${SYS} for \${user.name}\` }, ${CP}, { text: q }] }] });`,
      errors: [{ messageId: 'volatileInPrefix', data: { value: 'user.name', frequency: 'differs per user or session', where: 'message 1', tokens: '1,002+', cost: '; at least $0.0012 extra on anthropic.claude-haiku-4-5-20251001-v1:0 each time it changes' }, line: 4, column: 190, endLine: 4, endColumn: 199 }],
    },
  ],
});

jsRuleTester.run('no-volatile-in-prefix (Bedrock Converse, plain JS)', noVolatileInPrefix, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [],
  invalid: [
    {
      name: 'JS: ConverseStreamCommand through require',
      code: `const { ConverseStreamCommand } = require('@aws-sdk/client-bedrock-runtime');\nconst SYS = 'x'.repeat(4000);\nexports.cmd = (q) => new ConverseStreamCommand({ modelId: 'anthropic.claude-opus-4-7-v1:0', system: [{ text: SYS + Date.now() }, ${CP}], messages: [{ role: 'user', content: [{ text: q }] }] });`,
      errors: [{ messageId: 'volatileInPrefix', data: { value: 'Date.now()', frequency: 'changes on every request', where: 'system prompt', tokens: '1,010', cost: '; about $0.0058 extra per request on anthropic.claude-opus-4-7-v1:0 ($5.81 per 1,000 requests)' }, line: 3, column: 116, endLine: 3, endColumn: 126 }],
    },
  ],
});

ruleTester.run('max-breakpoints (Bedrock Converse)', maxBreakpoints, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [{ name: 'four cache points', code: converse(`[${`{ text: SYS }, ${CP}, `.repeat(4)}]`) }],
  invalid: [
    {
      name: 'five cache points',
      code: converse(`[${`{ text: SYS }, ${CP}, `.repeat(5)}]`),
      errors: [{ messageId: 'tooMany', data: { count: '5', max: '4' }, line: 5, column: 335, endLine: 5, endColumn: 366 }],
    },
  ],
});

ruleTester.run('min-cacheable-size (Bedrock Converse)', minCacheableSize, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [{ name: 'a large enough cached prefix', code: converse(`[{ text: SYS }, ${CP}]`) }],
  invalid: [
    {
      name: 'a tiny cached system prompt on Haiku 4.5 (4,096 minimum)',
      code: converse(`[{ text: 'You are terse.' }, ${CP}]`).replace('us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-haiku-4-5-20251001-v1:0'),
      errors: [{ messageId: 'belowMinimum', data: { marker: 'This cache_control marker', tokens: '4', upperBound: '11', minimum: '4,096', model: 'anthropic.claude-haiku-4-5-20251001-v1:0', source: '', others: '' }, line: 5, column: 136, endLine: 5, endColumn: 167 }],
    },
  ],
});

ruleTester.run('no-early-breakpoint (Bedrock Converse)', noEarlyBreakpoint, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [{ name: 'the cache point after all stable text', code: converse(`[{ text: SYS }, { text: SYS }, ${CP}]`) }],
  invalid: [
    {
      name: 'stable text left after the cache point',
      code: converse(`[{ text: 'Intro.' }, ${CP}, { text: SYS }]`),
      errors: [{ messageId: 'earlyBreakpoint', data: { marker: 'cachePoint', amount: '~1,000 stable tokens', where: 'system prompt, before per-request content in message 1', cost: '; about $0.0027 extra per request on us.anthropic.claude-sonnet-4-5-20250929-v1:0 ($2.70 per 1,000 requests)' }, line: 5, column: 132, endLine: 5, endColumn: 163 }],
    },
  ],
});
