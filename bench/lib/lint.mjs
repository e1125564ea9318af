// ESLint set-up shared by the benchmark, the crash sweep and the fuzzer: one base configuration (espree for
// JavaScript with Node's module type, @typescript-eslint/parser for TypeScript, node_modules not ignored), with
// our plugin registered and its rules either all off (baseline) or `configs.all` (treatment).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';

import { languageOf, sourceTypeOf } from './files.mjs';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const ALL_FILES = ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs', '**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

/**
 * The built plugin (`dist/`); the npm scripts build before running. `PROMPT_CACHE_PLUGIN=<dir>` loads another
 * build instead (`<dir>/src/index.js`, e.g. `npx tsc -p tsconfig.build.json --outDir .scratch/perf/base`): for
 * comparing two versions side by side without touching the shared `dist/`.
 */
export async function loadPlugin() {
  try {
    const override = process.env.PROMPT_CACHE_PLUGIN;
    if (override) return (await import(pathToFileURL(path.resolve(override, 'src/index.js')).href)).default;
    return (await import('../../dist/src/index.js')).default;
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist')) {
      throw new Error('cannot find the built plugin (dist/src/index.js); run `npm run build` first', { cause: error });
    }
    throw error;
  }
}

/** Rule ids of the plugin, prefixed (`prompt-cache/max-breakpoints`, ...), sorted. */
export function ruleIdsOf(plugin) {
  return Object.keys(plugin.rules)
    .map((id) => `prompt-cache/${id}`)
    .sort();
}

const javascript = (sourceType) => ({
  name: `bench/javascript-${sourceType}`,
  files: [(file) => languageOf(file) === 'js' && sourceTypeOf(file) === sourceType],
  languageOptions: { ecmaVersion: 'latest', sourceType, parserOptions: { ecmaFeatures: { jsx: true } } },
});

/**
 * The flat config of a run. `rules: 'off'` registers the plugin with every rule off (the baseline: same
 * parser, same plugin loading, none of our listeners); `'all'` is the plugin's `configs.all`; an object
 * sets rules explicitly (`{ 'prompt-cache/max-breakpoints': 'error' }`).
 */
export function buildConfig(plugin, rules) {
  let ours;
  if (rules === 'all') ours = plugin.configs.all;
  else if (rules === 'off') ours = { plugins: { 'prompt-cache': plugin }, rules: Object.fromEntries(ruleIdsOf(plugin).map((id) => [id, 'off'])) };
  else ours = { plugins: { 'prompt-cache': plugin }, rules };
  return [
    // Default ignores skip node_modules; the corpus and the sweep live there.
    { name: 'bench/not-ignored', ignores: ['!**/node_modules/'] },
    javascript('module'),
    javascript('commonjs'),
    { name: 'bench/typescript', files: TS_FILES, languageOptions: { parser: tsParser } },
    // Packages carry directives for rules of their own set-ups; those warnings are not what we measure.
    { name: 'bench/linter-options', linterOptions: { reportUnusedDisableDirectives: 'off' } },
    { ...ours, name: `bench/prompt-cache-${typeof rules === 'string' ? rules : 'custom'}`, files: ALL_FILES },
  ];
}

/** An ESLint instance for `buildConfig(plugin, rules)`, not reading any config file, no cache. */
export function createESLint(plugin, rules, { cwd = repoRoot } = {}) {
  return new ESLint({ cwd, overrideConfigFile: true, overrideConfig: buildConfig(plugin, rules), cache: false });
}

/** A fatal message that is a parse error (as opposed to an exception, which ESLint throws). */
export function parseErrorOf(result) {
  return result.messages.find((message) => message.fatal) ?? null;
}
