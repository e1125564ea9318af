// The pre-commit recipes of docs/pre-commit.md, tested for real.
//
// 1. husky + lint-staged: a throwaway git repository in a temporary directory gets a package.json, the flat
//    config of the README, a node_modules of symlinks into this repository's (eslint, the TypeScript parser,
//    husky, lint-staged, and this package as `eslint-plugin-prompt-cache`, the way `npm link` would; offline),
//    then `husky init`, `.husky/pre-commit` and the `lint-staged` key exactly as the doc says. A commit of a
//    file with a finding must be blocked; a clean commit must go through.
// 2. .pre-commit-hooks.yaml for the pre-commit framework: parses, and its hook runs our `bin`.
// The plugin is built first (`npm test` does).
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '..');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string> };
const RULE_ID = 'prompt-cache/no-volatile-in-prefix';

// The `lint-staged` key of docs/pre-commit.md.
const LINT_STAGED = { '*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}': 'eslint --max-warnings=0 --no-warn-ignored' };
// `.husky/pre-commit` of docs/pre-commit.md.
const HUSKY_PRE_COMMIT = 'npx lint-staged\n';

const ESLINT_CONFIG_JS = `import { defineConfig } from 'eslint/config';
import tsParser from '@typescript-eslint/parser';
import promptCache from 'eslint-plugin-prompt-cache';

export default defineConfig([
  {
    files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
    languageOptions: { parser: tsParser },
    plugins: { 'prompt-cache': promptCache },
    extends: ['prompt-cache/recommended'],
  },
]);
`;

const BAD_TS = `import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();
const INSTRUCTIONS = 'You are the support assistant of Acme Cloud. Answer questions about accounts and billing. '.repeat(80);

export async function ask(question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: \`\${INSTRUCTIONS}\\nToday is \${new Date().toISOString()}.\`, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  });
}
`;
// The same request with the timestamp moved after the breakpoint: nothing to report.
const CLEAN_TS = BAD_TS.replace(
  "system: [{ type: 'text', text: `${INSTRUCTIONS}\\nToday is ${new Date().toISOString()}.`, cache_control: { type: 'ephemeral' } }],",
  "system: [{ type: 'text', text: INSTRUCTIONS, cache_control: { type: 'ephemeral' } }, { type: 'text', text: `Today is ${new Date().toISOString()}.` }],",
);

let repo: string;
let env: NodeJS.ProcessEnv;

function run(command: string, args: string[]): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd: repo, env, encoding: 'utf8', timeout: 45_000 });
  if (result.error) throw result.error;
  return result;
}

function git(...args: string[]): string {
  const result = run('git', args);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

function commitCount(): number {
  return Number(git('rev-list', '--count', 'HEAD'));
}

/** node_modules/<name> -> this repository's installed package (or the repository itself). */
function link(name: string, target: string): void {
  const dest = path.join(repo, 'node_modules', name);
  mkdirSync(path.dirname(dest), { recursive: true });
  symlinkSync(target, dest, 'junction');
}

function linkBin(name: string, packageDir: string): void {
  const pkg = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin[name];
  mkdirSync(path.join(repo, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(path.join(packageDir, bin), path.join(repo, 'node_modules', '.bin', name));
}

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'prompt-cache-pre-commit-'));
  env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(repo, '.no-global-gitconfig') };
  // Hermetic git: nothing from an enclosing hook or repository, and hooks enabled.
  for (const key of Object.keys(env)) if (key.startsWith('GIT_') && !key.startsWith('GIT_CONFIG_')) delete env[key];
  delete env.HUSKY;
  delete env.NODE_ENV; // vitest sets 'test', which switches lint-staged to its JSON event renderer

  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.email', 'dev@example.com');
  git('config', 'user.name', 'Pre-commit Test');
  git('config', 'commit.gpgsign', 'false');

  // What `npm install --save-dev eslint @typescript-eslint/parser eslint-plugin-prompt-cache husky lint-staged`
  // leaves behind, as symlinks into this repository.
  const modules = path.join(ROOT, 'node_modules');
  for (const name of ['eslint', '@typescript-eslint/parser', 'husky', 'lint-staged']) link(name, path.join(modules, name));
  link(PKG.name, ROOT);
  linkBin('eslint', path.join(modules, 'eslint'));
  linkBin('husky', path.join(modules, 'husky'));
  linkBin('lint-staged', path.join(modules, 'lint-staged'));
  linkBin('prompt-cache-lint', ROOT);

  writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n');
  writeFileSync(path.join(repo, 'eslint.config.js'), ESLINT_CONFIG_JS);
  writeFileSync(
    path.join(repo, 'package.json'),
    `${JSON.stringify({ name: 'agent-app', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );

  // docs/pre-commit.md: `npx husky init`, `.husky/pre-commit`, the `lint-staged` key.
  const init = run('npx', ['--no-install', 'husky', 'init']);
  expect(init.status, init.stderr).toBe(0);
  writeFileSync(path.join(repo, '.husky', 'pre-commit'), HUSKY_PRE_COMMIT);
  const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as Record<string, unknown>;
  pkg['lint-staged'] = LINT_STAGED;
  writeFileSync(path.join(repo, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);

  git('add', '.');
  // The setup commit already goes through the hook (eslint.config.js is linted, and clean).
  git('commit', '--quiet', '-m', 'Set up husky and lint-staged');
});

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe('husky + lint-staged recipe (docs/pre-commit.md)', () => {
  it('installs the hook the way the doc says', () => {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    expect(pkg.scripts?.prepare).toBe('husky');
    expect(git('config', 'core.hooksPath')).toBe('.husky/_');
    expect(existsSync(path.join(repo, '.husky', '_', 'pre-commit'))).toBe(true);
    expect(commitCount()).toBe(1);
  });

  it('blocks a commit that adds a cache-busting timestamp', () => {
    const head = git('rev-parse', 'HEAD');
    mkdirSync(path.join(repo, 'src'), { recursive: true });
    writeFileSync(path.join(repo, 'src', 'agent.ts'), BAD_TS);
    git('add', 'src/agent.ts');

    const commit = run('git', ['commit', '-m', 'Add the agent']);
    const output = `${commit.stdout}\n${commit.stderr}`;
    expect(commit.status, output).not.toBe(0);
    expect(output).toContain(RULE_ID);
    expect(output).toMatch(/new Date\(\)\.toISOString\(\) changes on every request/);
    expect(output).toContain('husky - pre-commit script failed');
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(commitCount()).toBe(1);
    // lint-staged put everything back: the file is still staged, unchanged.
    expect(git('diff', '--cached', '--name-only')).toBe('src/agent.ts');
    expect(readFileSync(path.join(repo, 'src', 'agent.ts'), 'utf8')).toBe(BAD_TS);
  });

  it('lets the fixed file through', () => {
    expect(CLEAN_TS).not.toBe(BAD_TS);
    writeFileSync(path.join(repo, 'src', 'agent.ts'), CLEAN_TS);
    git('add', 'src/agent.ts');

    const commit = run('git', ['commit', '-m', 'Add the agent, timestamp after the breakpoint']);
    expect(commit.status, `${commit.stdout}\n${commit.stderr}`).toBe(0);
    expect(commitCount()).toBe(2);
    expect(git('show', '--name-only', '--format=%s', 'HEAD')).toBe('Add the agent, timestamp after the breakpoint\n\nsrc/agent.ts');
    expect(git('status', '--porcelain')).toBe('');
  });

  it('blocks the commit with the zero-config command as the lint-staged task too', () => {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as Record<string, unknown>;
    pkg['lint-staged'] = { '*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}': 'prompt-cache-lint' };
    writeFileSync(path.join(repo, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    git('add', 'package.json');
    expect(git('commit', '--quiet', '-m', 'Lint staged files with prompt-cache-lint')).toBe('');
    expect(commitCount()).toBe(3);

    writeFileSync(path.join(repo, 'src', 'chat.js'), BAD_TS.replace('question: string', 'question'));
    git('add', 'src/chat.js');
    const blocked = run('git', ['commit', '-m', 'Add the chat']);
    const output = `${blocked.stdout}\n${blocked.stderr}`;
    expect(blocked.status, output).not.toBe(0);
    expect(output).toContain('prompt-cache-lint [FAILED]');
    expect(output).toMatch(/src\/chat\.js\n\s+10:65\s+error\s+new Date\(\)\.toISOString\(\) changes on every request.*prompt-cache\/no-volatile-in-prefix/);
    expect(commitCount()).toBe(3);

    writeFileSync(path.join(repo, 'src', 'chat.js'), CLEAN_TS.replace('question: string', 'question'));
    git('add', 'src/chat.js');
    const clean = run('git', ['commit', '-m', 'Add the chat, timestamp after the breakpoint']);
    expect(clean.status, `${clean.stdout}\n${clean.stderr}`).toBe(0);
    expect(commitCount()).toBe(4);
  });
});

interface PreCommitHook {
  id: string;
  name: string;
  entry: string;
  language: string;
  types_or: string[];
  files: string;
  exclude: string;
}

describe('.pre-commit-hooks.yaml (pre-commit framework)', () => {
  const hooks = parseYaml(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as PreCommitHook[];

  it('declares the prompt-cache-lint hook, running our bin with node', () => {
    expect(Array.isArray(hooks)).toBe(true);
    expect(hooks.map((hook) => hook.id)).toEqual(['prompt-cache-lint']);
    const [hook] = hooks;
    expect(Object.keys(PKG.bin)).toContain(hook.entry);
    expect(existsSync(path.join(ROOT, PKG.bin[hook.entry]))).toBe(true);
    expect(hook.language).toBe('node');
    expect(hook.name).toEqual(expect.any(String));
    expect(hook.types_or).toEqual(['javascript', 'jsx', 'ts', 'tsx']);
  });

  it('selects the files the command lints and skips node_modules and dist', () => {
    const [hook] = hooks;
    const files = new RegExp(hook.files);
    const exclude = new RegExp(hook.exclude);
    const selected = (file: string) => files.test(file) && !exclude.test(file);
    for (const extension of ['js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts']) {
      expect(selected(`src/agent.${extension}`), extension).toBe(true);
    }
    for (const file of ['README.md', 'package.json', 'src/agent.ts.snap', 'node_modules/x/index.js', 'dist/index.js', 'pkg/dist/a.ts']) {
      expect(selected(file), file).toBe(false);
    }
  });
});
