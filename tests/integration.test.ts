import { join } from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../src/index.js';
import { PREFER_STATIC, RECOMMENDED } from './expected-findings.js';

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

describe('examples/ through the ESLint class', () => {
  it('configs.recommended reports exactly the documented findings', async () => {
    expect((await lintExamples('recommended')).sort()).toEqual([...RECOMMENDED].sort());
  });

  it('configs.all adds prefer-static-prompt findings only', async () => {
    expect((await lintExamples('all')).sort()).toEqual([...RECOMMENDED, ...PREFER_STATIC].sort());
  });
});
