import { mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { beforeEach, describe, expect, it } from 'vitest';

import { MAX_MODULE_BYTES, clearModuleCache, isInside, loadModule, moduleStats, resolveImport } from '../src/analysis/modules.js';
import plugin from '../src/index.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'cross-module');

async function lint(file: string, cwd = fixtures) {
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, ...plugin.configs.recommended }],
  });
  const [result] = await eslint.lintFiles([join(fixtures, file)]);
  return result.messages.map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.message.split(' but ')[0]}`);
}

describe('cross-module analysis', () => {
  beforeEach(() => clearModuleCache());

  it('follows imported builders and re-exports, reporting where the value enters the request', async () => {
    expect(await lint('handler.ts')).toEqual([
      '13:36 prompt-cache/no-volatile-in-prefix new Date().toDateString() changes daily',
      '13:36 prompt-cache/no-volatile-in-prefix user.name differs per user or session',
      '22:50 prompt-cache/no-volatile-in-prefix new Date().toISOString() changes on every request',
    ]);
  });

  it('parses each module at most once per run', async () => {
    await lint('handler.ts');
    const first = moduleStats.parsed;
    expect(first).toBe(3); // prompts.ts, lib/index.ts, lib/environment.ts
    await lint('handler.ts');
    expect(moduleStats.parsed).toBe(first);
  });

  it('reads nothing outside the project root', async () => {
    expect(resolveImport(join(fixtures, 'handler.ts'), '../../../../outside-root.js', fixtures)).toBeNull();
    // lib/uses-parent.ts imports ../prompts.js: followed with the fixture as root, not with lib/ as root.
    expect(await lint('lib/uses-parent.ts')).toHaveLength(2);
    expect(await lint('lib/uses-parent.ts', join(fixtures, 'lib'))).toEqual([]);
    expect(isInside(join(fixtures, 'lib', 'index.ts'), fixtures)).toBe(true);
    expect(isInside(join(fixtures, '..', 'x.ts'), fixtures)).toBe(false);
  });

  it('resolves symlinks before the root check', () => {
    const outside = mkdtempSync(join(tmpdir(), 'prompt-cache-outside-'));
    const root = mkdtempSync(join(tmpdir(), 'prompt-cache-root-'));
    try {
      writeFileSync(join(outside, 'secret.ts'), "export const SECRET = 'x';\n");
      symlinkSync(join(outside, 'secret.ts'), join(root, 'link.ts'));
      writeFileSync(join(root, 'inside.ts'), "export const OK = 'y';\n");
      expect(resolveImport(join(root, 'main.ts'), './link.js', root)).toBeNull();
      expect(resolveImport(join(root, 'main.ts'), './inside.js', root)).toBe(realpathSync(join(root, 'inside.ts')));
    } finally {
      rmSync(outside, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('skips files over the size cap', () => {
    const root = mkdtempSync(join(tmpdir(), 'prompt-cache-big-'));
    try {
      writeFileSync(join(root, 'big.ts'), `export const BIG = '${'x'.repeat(MAX_MODULE_BYTES)}';\n`);
      const path = resolveImport(join(root, 'main.ts'), './big.js', root);
      expect(path).not.toBeNull();
      expect(loadModule(path!)).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('does not follow packages (bare specifiers)', () => {
    expect(resolveImport(join(fixtures, 'handler.ts'), '@anthropic-ai/sdk', fixtures)).toBeNull();
  });
});
