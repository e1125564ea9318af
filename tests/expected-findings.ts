// The findings each example in examples/ is written to show (see the comments in examples/*.ts), as
// `file:line:column ruleId`; the fixed versions and the look-alikes in the same files must stay silent.
// Shared by the integration tests on ESLint 10 (integration.test.ts), ESLint 9 (eslint9.test.ts) and oxlint.

/** What `configs.recommended` reports on examples/. */
export const RECOMMENDED = [
  'examples/langchain.ts:14:75 prompt-cache/no-volatile-in-prefix',
  'examples/max-breakpoints.ts:32:50 prompt-cache/max-breakpoints',
  'examples/max-breakpoints.ts:41:48 prompt-cache/max-breakpoints',
  'examples/min-cacheable-size.ts:17:51 prompt-cache/min-cacheable-size',
  'examples/no-early-breakpoint.ts:50:37 prompt-cache/no-early-breakpoint',
  // customer.name and customer.plan enter through buildSystemPrompt(customer); randomUUID() directly
  'examples/no-volatile-in-prefix.ts:34:18 prompt-cache/no-volatile-in-prefix',
  'examples/no-volatile-in-prefix.ts:34:18 prompt-cache/no-volatile-in-prefix',
  'examples/no-volatile-in-prefix.ts:34:67 prompt-cache/no-volatile-in-prefix',
  'examples/valid-cache-control.ts:29:92 prompt-cache/valid-cache-control',
  'examples/valid-cache-control.ts:39:51 prompt-cache/valid-cache-control',
  'examples/valid-cache-control.ts:49:92 prompt-cache/valid-cache-control',
  // one realistic file per request family (docs/providers.md)
  'examples/ai-sdk.ts:27:44 prompt-cache/no-volatile-in-prefix',
  'examples/anthropic-platforms.ts:15:96 prompt-cache/min-cacheable-size',
  'examples/anthropic-platforms.ts:27:40 prompt-cache/no-volatile-in-prefix',
  'examples/bedrock-converse.ts:14:49 prompt-cache/no-volatile-in-prefix',
  'examples/openai.ts:14:23 prompt-cache/no-volatile-in-prefix',
  'examples/openai.ts:16:51 prompt-cache/no-volatile-in-prefix',
  'examples/raw-http.ts:17:61 prompt-cache/no-volatile-in-prefix',
  // a system prompt with no request in sight: today's date from environment(), {datetime} from a placeholder table
  'examples/system-prompt-builder.ts:15:28 prompt-cache/no-volatile-in-prefix',
  'examples/system-prompt-builder.ts:27:66 prompt-cache/no-volatile-in-prefix',
];

/** What `configs.all` reports on examples/ in addition to {@link RECOMMENDED}. */
export const PREFER_STATIC = [
  'examples/prefer-static-prompt.ts:31:18 prompt-cache/prefer-static-prompt',
  'examples/prefer-static-prompt.ts:33:22 prompt-cache/prefer-static-prompt',
  'examples/prefer-static-prompt.ts:47:26 prompt-cache/prefer-static-prompt',
];
