// The benchmark corpus: JavaScript and TypeScript shipped in npm packages that nobody here wrote, installed as
// devDependencies for this purpose. Selection is deterministic (same packages → same files, same order).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { compareStrings, countLines, languageOf, walkSourceFiles } from './files.mjs';
import { repoRoot } from './lint.mjs';

/** LLM SDKs and frameworks: the code our users write looks like their examples and wraps their clients. */
export const CORPUS_PACKAGES = ['@anthropic-ai/sdk', 'openai', 'ai', '@ai-sdk/anthropic', '@langchain/core', '@langchain/anthropic'];

const JS_PREFERENCE = ['.mjs', '.js', '.cjs'];
const TS_SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx'];

/**
 * One copy of each module of a package. Packages ship the same code several times (TypeScript sources in
 * `src/`, a CommonJS and an ESM build side by side); linting every copy would weight a package by its number of
 * builds. So, among the package's non-declaration source files (nested node_modules excluded):
 * - a compiled `<rel>.{mjs,js,cjs}` is dropped when the package ships `src/<rel>.ts` (its source);
 * - of `x.mjs` / `x.js` / `x.cjs` in one directory, the first in that order is kept.
 */
export function selectPackageFiles(packageDir) {
  const all = walkSourceFiles(packageDir, { skipDirectory: (name) => name === 'node_modules', includeDeclarations: false });
  const present = new Set(all);
  const kept = [];
  const stems = new Map();
  for (const file of all) {
    const ext = path.extname(file);
    if (languageOf(file) === 'ts') {
      kept.push(file);
      continue;
    }
    const rel = path.relative(packageDir, file).slice(0, -ext.length);
    if (TS_SOURCE_EXTENSIONS.some((tsExt) => present.has(path.join(packageDir, 'src', rel + tsExt)))) continue;
    const stem = file.slice(0, -ext.length);
    const current = stems.get(stem);
    if (!current || JS_PREFERENCE.indexOf(ext) < JS_PREFERENCE.indexOf(path.extname(current))) stems.set(stem, file);
  }
  kept.push(...stems.values());
  return kept.sort(compareStrings);
}

/**
 * Reads the corpus: `{ files: [{ file, rel, pkg, version, text, lines, language }], packages: [{ name, version, files,
 * lines }], lines }`. Throws when a package is missing (run `npm ci`).
 */
export function loadCorpus(packages = CORPUS_PACKAGES) {
  const files = [];
  const summary = [];
  for (const pkg of packages) {
    const dir = path.join(repoRoot, 'node_modules', pkg);
    if (!existsSync(path.join(dir, 'package.json'))) throw new Error(`corpus package ${pkg} is not installed; run \`npm ci\``);
    const version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    let lines = 0;
    const selected = selectPackageFiles(dir);
    for (const file of selected) {
      const text = readFileSync(file, 'utf8');
      const count = countLines(text);
      lines += count;
      files.push({ file, rel: path.relative(repoRoot, file), pkg, text, lines: count, language: languageOf(file) });
    }
    summary.push({ name: pkg, version, files: selected.length, lines });
  }
  return { files, packages: summary, lines: summary.reduce((sum, p) => sum + p.lines, 0) };
}
