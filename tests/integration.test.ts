import { join } from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../src/index.js';

const root = join(import.meta.dirname, '..');

async function lintExamples(config: 'recommended' | 'all'): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, ...plugin.configs[config] }],
  });
  const results = await eslint.lintFiles(['examples']);
  return results.flatMap((result) =>
    result.messages.map((message) => {
      expect(message.fatal, message.message).toBeFalsy();
      return `${result.filePath.slice(root.length + 1)}:${message.line}:${message.column} ${message.ruleId}`;
    }),
  );
}

// The findings each example is written to show (see the comments in examples/*.ts); the fixed versions and the
// look-alikes in the same files must stay silent.
const RECOMMENDED = [
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
];

const PREFER_STATIC = [
  'examples/prefer-static-prompt.ts:31:18 prompt-cache/prefer-static-prompt',
  'examples/prefer-static-prompt.ts:33:22 prompt-cache/prefer-static-prompt',
  'examples/prefer-static-prompt.ts:47:26 prompt-cache/prefer-static-prompt',
];

describe('examples/ through the ESLint class', () => {
  it('configs.recommended reports exactly the documented findings', async () => {
    expect((await lintExamples('recommended')).sort()).toEqual([...RECOMMENDED].sort());
  });

  it('configs.all adds prefer-static-prompt findings only', async () => {
    expect((await lintExamples('all')).sort()).toEqual([...RECOMMENDED, ...PREFER_STATIC].sort());
  });
});
