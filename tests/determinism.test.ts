// Determinism and concurrency: the same files give the same findings whatever the order they are linted in,
// with ESLint's multithreaded linting (`concurrency: 2`), across ESLint instances, and after other files were
// linted in between (no module-level state leaks from one file or run into the next).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateFuzzInput } from '../bench/fuzz-gen.mjs';
import { generatePromptModule } from '../bench/prompt-module.mjs';

const root = join(import.meta.dirname, '..');
const TIMEOUT = 180_000;

/** What a user sees of a result: file (relative), and each message with its position, text, fix and suggestions. */
type Snapshot = Record<string, string>;

let dir: string;
let configFile: string;
let files: string[];

/**
 * A real config file (concurrency needs one: worker threads load it themselves). It imports the built plugin,
 * as a user's config would, and leaves a marker per worker thread that loads it, so the test can tell that
 * multithreaded linting really happened.
 */
function writeConfig(target: string): void {
  const require = createRequire(import.meta.url);
  const parser = pathToFileURL(require.resolve('@typescript-eslint/parser')).href;
  const plugin = pathToFileURL(join(root, 'dist', 'src', 'index.js')).href;
  writeFileSync(
    target,
    `import { mkdirSync, writeFileSync } from 'node:fs';
import { isMainThread, threadId } from 'node:worker_threads';
import tsParser from ${JSON.stringify(parser)};
import promptCache from ${JSON.stringify(plugin)};

if (!isMainThread) {
  const markers = new URL('./markers/', import.meta.url);
  mkdirSync(markers, { recursive: true });
  writeFileSync(new URL(\`worker-\${threadId}\`, markers), '');
}

export default [
  { files: ['**/*.{js,mjs,cjs,ts,mts,cts}'], ...promptCache.configs.all },
  { files: ['**/*.{ts,mts,cts}'], languageOptions: { parser: tsParser } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
];
`,
  );
}

function snapshot(results: ESLint.LintResult[]): Snapshot {
  const out: Snapshot = {};
  for (const result of results) {
    const rel = result.filePath.slice(dir.length + 1);
    out[rel] = JSON.stringify(
      result.messages.map((m) => [m.ruleId, m.messageId, m.line, m.column, m.endLine, m.endColumn, m.message, m.fix ?? null, m.suggestions ?? null]),
    );
  }
  return out;
}

/** Lints `paths` one by one with `lintText`, in exactly this order. */
async function lintInOrder(eslint: ESLint, paths: string[]): Promise<Snapshot> {
  const results: ESLint.LintResult[] = [];
  for (const file of paths) results.push(...(await eslint.lintText(readFileSync(file, 'utf8'), { filePath: file })));
  return snapshot(results);
}

const newESLint = (options: ESLint.Options = {}) => new ESLint({ cwd: dir, overrideConfigFile: configFile, ...options });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'prompt-cache-determinism-'));
  configFile = join(dir, 'eslint.config.mjs');
  writeConfig(configFile);
  mkdirSync(join(dir, 'examples'));
  mkdirSync(join(dir, 'generated'));
  files = [];
  for (const name of readdirSync(join(root, 'examples')).filter((f) => /\.[cm]?[jt]s$/.test(f)).sort()) {
    copyFileSync(join(root, 'examples', name), join(dir, 'examples', name));
    files.push(join(dir, 'examples', name));
  }
  // Generated request code of every SDK shape (bench/fuzz-gen.mjs). Inputs over 100 kB and the extreme ones are
  // left to the fuzzer: a parser may run out of stack on deep nesting at one call depth and not at another.
  for (let index = 0, kept = 0; kept < 40; index++) {
    const { text, ext, features } = generateFuzzInput('determinism', index);
    if (text.length > 100_000 || features.length > 0) continue;
    const file = join(dir, 'generated', `input-${index}${ext}`);
    writeFileSync(file, text);
    files.push(file);
    kept++;
  }
  const module = join(dir, 'generated', 'prompt-module-3x.ts');
  writeFileSync(module, generatePromptModule(3));
  files.push(module);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('determinism', () => {
  let reference: Snapshot;

  beforeAll(async () => {
    reference = snapshot(await newESLint().lintFiles(files));
  }, TIMEOUT);

  it('lints every file without parse errors, with findings from every rule', () => {
    expect(Object.keys(reference).sort()).toEqual(files.map((f) => f.slice(dir.length + 1)).sort());
    const messages = Object.values(reference).flatMap((s) => JSON.parse(s) as unknown[][]);
    expect(messages.filter((m) => m[0] === null), 'parse errors').toEqual([]);
    const ruleIds = new Set(messages.map((m) => m[0]));
    for (const id of ['max-breakpoints', 'min-cacheable-size', 'no-early-breakpoint', 'no-volatile-in-prefix', 'prefer-static-prompt', 'valid-cache-control']) {
      expect(ruleIds, `findings of ${id} in the set (otherwise this test proves little)`).toContain(`prompt-cache/${id}`);
    }
  });

  it('gives the same results with the files in reverse order', async () => {
    expect(snapshot(await newESLint().lintFiles([...files].reverse()))).toEqual(reference);
    const eslint = newESLint();
    expect(await lintInOrder(eslint, files)).toEqual(reference);
    expect(await lintInOrder(eslint, [...files].reverse()), 'second run of the same instance, reversed').toEqual(reference);
  }, TIMEOUT);

  it("gives the same results with ESLint's concurrency: 2 (worker threads)", async () => {
    rmSync(join(dir, 'markers'), { recursive: true, force: true });
    const results = await newESLint({ concurrency: 2 }).lintFiles(files);
    expect(readdirSync(join(dir, 'markers')).length, 'worker threads that loaded the config').toBe(2);
    expect(snapshot(results)).toEqual(reference);
  }, TIMEOUT);

  it('gives the same results from two ESLint instances in one process', async () => {
    const first = newESLint();
    const second = newESLint();
    const a = await lintInOrder(first, files);
    const b = await lintInOrder(second, [...files].reverse());
    expect(a).toEqual(reference);
    expect(b).toEqual(reference);
  }, TIMEOUT);
});

describe('no state leaks between files', () => {
  it('lints A, then B, then A again: A gives the same results every time', async () => {
    const eslint = newESLint();
    const examples = files.filter((f) => f.startsWith(join(dir, 'examples') + sep));
    const generated = files.filter((f) => !examples.includes(f));
    for (const a of examples) {
      const first = await lintInOrder(eslint, [a]);
      for (const b of generated.slice(0, 8)) {
        await lintInOrder(eslint, [b]);
        expect(await lintInOrder(eslint, [a]), `${a} after ${b}`).toEqual(first);
      }
    }
  }, TIMEOUT);

  it('keeps nothing per file name: a different text at the same path is analysed afresh', async () => {
    // Same path, same names, different values: a cache keyed on anything but the parsed file would leak.
    const file = join(dir, 'generated', 'same-path.ts');
    const request = `import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic();
export const ask = (question: string) =>
  client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  });
`;
    const short = `const SYSTEM = 'You are terse.';\n${request}`; // below the model's minimum: reported
    const long = `const SYSTEM = ${JSON.stringify('You follow the handbook. '.repeat(2000))};\n${request}`; // above it: silent
    const eslint = newESLint();
    const lint = async (text: string) =>
      JSON.stringify((await eslint.lintText(text, { filePath: file }))[0].messages.map((m) => [m.ruleId, m.line, m.column, m.message]));
    const a1 = await lint(short);
    const b = await lint(long);
    const a2 = await lint(short);
    expect(a1).toContain('prompt-cache/min-cacheable-size');
    expect(b).not.toContain('prompt-cache/min-cacheable-size');
    expect(a2).toEqual(a1);
    expect(await lint(long)).toEqual(b);
  }, TIMEOUT);
});
