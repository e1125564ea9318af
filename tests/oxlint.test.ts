// The compiled plugin under oxlint's JS plugins (alpha): a `.oxlintrc.json` in a temporary directory loads
// dist/src/index.js through `jsPlugins`, oxlint lints examples/, and the findings must be the ones ESLint
// reports (expected-findings.ts), with the same messages. oxlint's own rules are switched off. Build first
// (`npm test` does).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PREFER_STATIC, RECOMMENDED } from './expected-findings.js';

type Plugin = typeof import('../src/index.js').default;

const ROOT = path.resolve(import.meta.dirname, '..');
const PLUGIN_ENTRY = path.join(ROOT, 'dist', 'src', 'index.js');
const require = createRequire(import.meta.url);
const OXLINT_PACKAGE = path.dirname(require.resolve('oxlint/package.json'));
const OXLINT_BIN = path.join(OXLINT_PACKAGE, (JSON.parse(readFileSync(path.join(OXLINT_PACKAGE, 'package.json'), 'utf8')) as { bin: { oxlint: string } }).bin.oxlint);

interface OxlintDiagnostic {
  message: string;
  code: string;
  severity: string;
  filename: string;
  labels: { span: { line: number; column: number } }[];
}
interface Finding {
  key: string;
  message: string;
}

let plugin: Plugin;
let dir: string;

beforeAll(async () => {
  plugin = ((await import(pathToFileURL(PLUGIN_ENTRY).href)) as { default: Plugin }).default;
  dir = mkdtempSync(path.join(tmpdir(), 'prompt-cache-oxlint-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function runOxlint(
  config: 'recommended' | 'all',
  jsPlugin = PLUGIN_ENTRY,
): { status: number | null; findings: Finding[]; stderr: string } {
  const configFile = path.join(dir, `.oxlintrc.${config}.json`);
  const oxlintrc = {
    plugins: [], // none of oxlint's built-in plugins...
    categories: { correctness: 'off' }, // ...and none of its default rules: only ours run
    jsPlugins: [jsPlugin],
    rules: plugin.configs[config].rules,
  };
  writeFileSync(configFile, `${JSON.stringify(oxlintrc, null, 2)}\n`);
  const result = spawnSync(process.execPath, [OXLINT_BIN, '--config', configFile, '--format', 'json', 'examples'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error) throw result.error;
  const output = JSON.parse(result.stdout) as { diagnostics: OxlintDiagnostic[]; number_of_files: number; number_of_rules: number };
  expect(output.number_of_rules).toBe(Object.keys(oxlintrc.rules ?? {}).length);
  const findings = output.diagnostics.map((diagnostic) => {
    // oxlint prints rule ids as `plugin(rule)`; ESLint as `plugin/rule`.
    const ruleId = diagnostic.code.replace(/^([\w-]+)\((.+)\)$/, '$1/$2');
    expect(diagnostic.labels).toHaveLength(1);
    const { line, column } = diagnostic.labels[0].span;
    return { key: `${diagnostic.filename.split(path.sep).join('/')}:${line}:${column} ${ruleId}`, message: diagnostic.message };
  });
  return { status: result.status, findings, stderr: result.stderr };
}

async function runEslint(config: 'recommended' | 'all'): Promise<Finding[]> {
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, ...plugin.configs[config] }],
  });
  const results = await eslint.lintFiles(['examples']);
  return results.flatMap((result) =>
    result.messages.map((message) => ({
      key: `${path.relative(ROOT, result.filePath).split(path.sep).join('/')}:${message.line}:${message.column} ${message.ruleId}`,
      message: message.message,
    })),
  );
}

const byKey = (a: Finding, b: Finding) => a.key.localeCompare(b.key) || a.message.localeCompare(b.message);

describe('oxlint JS plugins with the built plugin', () => {
  it.each([
    { config: 'recommended' as const, expected: RECOMMENDED },
    { config: 'all' as const, expected: [...RECOMMENDED, ...PREFER_STATIC] },
  ])('reports the same findings as ESLint on examples/ (configs.$config)', async ({ config, expected }) => {
    const oxlint = runOxlint(config);
    expect(oxlint.status, oxlint.stderr).toBe(1); // errors found
    expect(oxlint.findings.map((finding) => finding.key).sort()).toEqual([...expected].sort());
    // Same rule ids, lines, columns and messages (costs, token counts) as ESLint with the same rules.
    expect([...oxlint.findings].sort(byKey)).toEqual((await runEslint(config)).sort(byKey));
  });

  it('loads the plugin by package name, as the README shows', () => {
    // Resolved from the config file's directory, like an installed dependency.
    mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    symlinkSync(ROOT, path.join(dir, 'node_modules', 'eslint-plugin-prompt-cache'), 'junction');
    const oxlint = runOxlint('recommended', 'eslint-plugin-prompt-cache');
    expect(oxlint.status, oxlint.stderr).toBe(1);
    expect(oxlint.findings.map((finding) => finding.key).sort()).toEqual([...RECOMMENDED].sort());
  });
});
