// End-to-end tests of bin/prompt-cache-lint.js. They run the built plugin (dist/), so build first
// (`npm test` does).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin', 'prompt-cache-lint.js');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const RULE_ID = 'prompt-cache/no-volatile-in-prefix';

const BAD_TS = `import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic();
export async function ask(question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: \`You are a helpful assistant. Today is \${new Date().toISOString()}.\`, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  });
}
`;
const BAD_JS = BAD_TS.replace('question: string', 'question');

const CLEAN_TS = `export function add(a: number, b: number): number {
  return a + b;
}
`;
const CLEAN_JS = `export function greet(name) {
  return \`Hello, \${name}. It is \${new Date().toISOString()}.\`;
}
`;

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], cwd: string): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.DEBUG;
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

const EXTENSIONS = ['js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts'];

let dir: string;

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'src', 'index.js'))) {
    throw new Error('dist/src/index.js is missing: run `npm run build` before the CLI tests');
  }
});

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'prompt-cache-lint-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('options', () => {
  it.each(['--help', '-h'])('%s prints usage and exits 0', (flag) => {
    const { status, stdout, stderr } = runCli([flag], dir);
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Usage: prompt-cache-lint [options] [paths...]');
    expect(stdout).toContain('-h, --help');
    expect(stdout).toContain('-v, --version');
  });

  it.each(['--version', '-v'])('%s prints the package version and exits 0', (flag) => {
    const { status, stdout, stderr } = runCli([flag], dir);
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe(PKG.version);
  });

  it('rejects an unknown option with exit 2, a one-line message and no stack trace', () => {
    const { status, stdout, stderr } = runCli(['--bogus'], dir);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe("prompt-cache-lint: unknown option '--bogus'\nRun 'prompt-cache-lint --help' for usage.\n");
    expect(stderr).not.toContain('    at ');
  });

  it('rejects a value given to a boolean option with exit 2', () => {
    const { status, stderr } = runCli(['--help=yes'], dir);
    expect(status).toBe(2);
    expect(stderr).toContain("Run 'prompt-cache-lint --help' for usage.");
    expect(stderr).not.toContain('    at ');
  });

  it('treats arguments after -- as paths', () => {
    const { status, stderr } = runCli(['--', '--help'], dir);
    expect(status).toBe(2);
    expect(stderr).toContain('prompt-cache-lint: no such file or directory: --help');
  });
});

describe('paths', () => {
  it('exits 2 for a path that does not exist', () => {
    writeFiles(dir, { 'clean.ts': CLEAN_TS });
    const { status, stdout, stderr } = runCli(['clean.ts', 'missing-dir'], dir);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "prompt-cache-lint: no such file or directory: missing-dir\nRun 'prompt-cache-lint --help' for usage.\n",
    );
  });

  it('exits 0 with no output for clean .ts and .js files', () => {
    writeFiles(dir, { 'src/clean.ts': CLEAN_TS, 'src/clean.js': CLEAN_JS });
    const { status, stdout, stderr } = runCli([], dir);
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe('');
    expect(status).toBe(0);
  });

  it('lints all eight extensions when given a directory', () => {
    writeFiles(dir, Object.fromEntries(EXTENSIONS.map((ext) => [`src/broken.${ext}`, 'const = ;\n'])));
    const { status, stdout } = runCli(['src'], dir);
    expect(status).toBe(1);
    for (const ext of EXTENSIONS) expect(stdout).toContain(`broken.${ext}`);
    expect(stdout).toContain('8 problems (8 errors, 0 warnings)');
  });

  it('parses each extension with the matching parser and source type', () => {
    writeFiles(dir, {
      'a.js': 'export const x = await Promise.resolve(import.meta.url);\n',
      'a.mjs': 'export const x = await Promise.resolve(1);\n',
      'a.jsx': 'export const el = <div>{1}</div>;\n',
      'a.cjs': 'if (!module) return;\nmodule.exports = 1;\n', // top-level return is CommonJS-only
      'a.ts': 'export const n: number = 1;\n',
      'a.mts': "export type T = string;\nexport const t: T = 'x';\n",
      'a.cts': 'const n: number = 1;\nexport = n;\n',
      'a.tsx': 'export const el = <div>{1 as number}</div>;\n',
    });
    const { status, stdout } = runCli([], dir);
    expect(stdout.trim()).toBe('');
    expect(status).toBe(0);
  });

  it("ignores the linted project's own eslint.config.*", () => {
    writeFiles(dir, {
      'eslint.config.js': "throw new Error('the project config must not be loaded');\n",
      'eslint.config.mjs': "throw new Error('the project config must not be loaded');\n",
      'src/clean.ts': CLEAN_TS,
    });
    const { status, stdout, stderr } = runCli([], dir);
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe('');
    expect(status).toBe(0);
  });

  it('does not report disable comments for rules of the project config', () => {
    writeFiles(dir, {
      'a.ts': [
        '/* eslint-disable @typescript-eslint/no-explicit-any */',
        '// eslint-disable-next-line react/no-danger',
        'export const a: any = 1;',
        '',
      ].join('\n'),
    });
    const { status, stdout } = runCli([], dir);
    expect(stdout.trim()).toBe('');
    expect(status).toBe(0);
  });

  it('skips node_modules and dist folders', () => {
    const hidden: Record<string, string> = {};
    for (const folder of ['node_modules/llm-lib', 'dist', 'packages/app/dist', 'packages/app/node_modules/x']) {
      hidden[`${folder}/bad.ts`] = BAD_TS;
      hidden[`${folder}/bad.js`] = BAD_JS;
      hidden[`${folder}/broken.ts`] = 'const = ;\n';
    }
    writeFiles(dir, { ...hidden, 'src/clean.ts': CLEAN_TS });
    const { status, stdout } = runCli([], dir);
    expect(stdout).not.toContain('bad.');
    expect(stdout).not.toContain('broken.ts');
    expect(stdout.trim()).toBe('');
    expect(status).toBe(0);
  });
});

describe('findings', () => {
  it('reports a volatile value in a cached system prompt (.ts, directory)', () => {
    writeFiles(dir, { 'bad.ts': BAD_TS });
    const { status, stdout } = runCli([], dir);
    expect(stdout).toContain(RULE_ID);
    expect(stdout).toContain('bad.ts');
    expect(status).toBe(1);
  });

  it('reports a volatile value in a cached system prompt (.js, file path)', () => {
    writeFiles(dir, { 'bad.js': BAD_JS });
    const { status, stdout } = runCli(['bad.js'], dir);
    expect(stdout).toContain(RULE_ID);
    expect(stdout).toContain('bad.js');
    expect(status).toBe(1);
  });
});
