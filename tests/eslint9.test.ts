// The integration test of integration.test.ts on ESLint 9: examples/ linted through the `ESLint` class of
// the `eslint-v9` dev dependency (an `npm:eslint@9` alias), with configs.recommended and configs.all, and the
// same exact findings (imported from expected-findings.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { ESLint, type Linter } from 'eslint-v9';
import { describe, expect, it } from 'vitest';

import plugin from '../src/index.js';
import { PREFER_STATIC, RECOMMENDED } from './expected-findings.js';

const root = join(import.meta.dirname, '..');

async function lintExamples(config: 'recommended' | 'all'): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    // The plugin's types come from ESLint 10; the objects are the same on 9.
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, ...plugin.configs[config] } as Linter.Config],
  });
  const results = await eslint.lintFiles(['examples']);
  return results.flatMap((result) =>
    result.messages.map((message) => {
      expect(message.fatal, message.message).toBeFalsy();
      return `${result.filePath.slice(root.length + 1)}:${message.line}:${message.column} ${message.ruleId}`;
    }),
  );
}

describe('examples/ through the ESLint 9 ESLint class', () => {
  it('runs ESLint 9, the oldest major the peer range accepts', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'node_modules', 'eslint-v9', 'package.json'), 'utf8')) as { version: string };
    expect(ESLint.version).toBe(version);
    expect(ESLint.version).toMatch(/^9\./);
  });

  it('configs.recommended reports exactly the documented findings', async () => {
    expect((await lintExamples('recommended')).sort()).toEqual([...RECOMMENDED].sort());
  });

  it('configs.all adds prefer-static-prompt findings only', async () => {
    expect((await lintExamples('all')).sort()).toEqual([...RECOMMENDED, ...PREFER_STATIC].sort());
  });
});
