import noVolatileInPrefix from '../../rules/no-volatile-in-prefix.js';
import { jsRuleTester, ruleTester } from '../rules/utils.js';

// The Anthropic SDK's platform clients and methods: every one is a request site, traced from its import.
const SYS = `const SYS = 'x'.repeat(4000);\n`;
const params = (model: string) =>
  `{ model: '${model}', max_tokens: 10, system: [{ type: 'text', text: SYS + Date.now(), cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] }`;
const data = (cost: string) => ({ value: 'Date.now()', frequency: 'changes on every request', where: 'system prompt', tokens: '1,010', cost });
const SONNET = '; about $0.0035 extra per request on claude-sonnet-4-5 ($3.48 per 1,000 requests)';

function site(imports: string, client: string, call: string, model = 'claude-sonnet-4-5'): string {
  return `${imports}\nconst client = ${client};\n${SYS}export const ask = (q: string) => client.${call}(${params(model)});`;
}

const error = (column: number, cost = SONNET) => ({ messageId: 'volatileInPrefix' as const, data: data(cost), line: 4, column, endLine: 4, endColumn: column + 10 });

ruleTester.run('no-volatile-in-prefix (Anthropic client variants)', noVolatileInPrefix, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [
    {
      name: 'a local class named like a platform client, with a non-request argument',
      code: `class AnthropicFoundry { messages = { create: (x: unknown) => x }; }\nconst client = new AnthropicFoundry();\nexport const save = () => client.messages.create({ body: String(Date.now()) });`,
    },
    {
      name: 'the volatile value after the breakpoint on a Vertex client',
      code: `import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';\nconst client = new AnthropicVertex();\n${SYS}export const ask = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5@20250929', max_tokens: 10, system: [{ type: 'text', text: SYS, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q + Date.now() }] });`,
    },
  ],
  invalid: [
    { name: 'AnthropicVertex with a Vertex model id', code: site("import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';", 'new AnthropicVertex({ region: "us-east5" })', 'messages.create', 'claude-sonnet-4-5@20250929'), errors: [{ ...error(150), data: data('; about $0.0035 extra per request on claude-sonnet-4-5@20250929 ($3.48 per 1,000 requests)') }] },
    { name: 'AnthropicFoundry', code: site("import { AnthropicFoundry } from '@anthropic-ai/foundry-sdk';", 'new AnthropicFoundry()', 'messages.create'), errors: [error(141)] },
    { name: 'AnthropicBedrockMantle', code: site("import { AnthropicBedrockMantle } from '@anthropic-ai/bedrock-sdk';", 'new AnthropicBedrockMantle()', 'messages.create', 'anthropic.claude-sonnet-4-5-20250929-v1:0'), errors: [{ ...error(165), data: data('; about $0.0035 extra per request on anthropic.claude-sonnet-4-5-20250929-v1:0 ($3.48 per 1,000 requests)') }] },
    { name: 'messages.stream', code: site("import Anthropic from '@anthropic-ai/sdk';", 'new Anthropic()', 'messages.stream'), errors: [error(141)] },
    { name: 'messages.parse', code: site("import Anthropic from '@anthropic-ai/sdk';", 'new Anthropic()', 'messages.parse'), errors: [error(140)] },
    { name: 'beta.messages.create', code: site("import Anthropic from '@anthropic-ai/sdk';", 'new Anthropic()', 'beta.messages.create'), errors: [error(146)] },
    { name: 'beta.messages.toolRunner', code: site("import Anthropic from '@anthropic-ai/sdk';", 'new Anthropic()', 'beta.messages.toolRunner'), errors: [error(150)] },
    { name: 'a client held through destructuring: const { messages } = client', code: `import Anthropic from '@anthropic-ai/sdk';\nconst { messages } = new Anthropic();\n${SYS}export const ask = (q: string) => messages.create(${params('claude-sonnet-4-5')});`, errors: [error(134)] },
  ],
});

jsRuleTester.run('no-volatile-in-prefix (Anthropic client variants, plain JS)', noVolatileInPrefix, {
  assertionOptions: { requireData: true, requireLocation: true },
  valid: [],
  invalid: [
    {
      name: 'JS: AnthropicVertex through require',
      code: `const { AnthropicVertex } = require('@anthropic-ai/vertex-sdk');\nconst client = new AnthropicVertex();\n${SYS}exports.ask = (q) => client.messages.create(${params('claude-sonnet-4-5')});`,
      errors: [error(128)],
    },
  ],
});
