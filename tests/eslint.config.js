// Lints this repository's own code: `npm run lint` (eslint --config tests/eslint.config.js src rules tests bin).
// Deliberately small: a few correctness rules plus eslint-plugin-eslint-plugin for the rule sources.
import tsParser from '@typescript-eslint/parser';
import eslintPlugin from 'eslint-plugin-eslint-plugin';

const correctness = {
  eqeqeq: ['error', 'smart'],
  'no-debugger': 'error',
  'no-var': 'error',
  'prefer-const': 'error',
  'no-duplicate-imports': 'error',
  'no-self-compare': 'error',
  'no-template-curly-in-string': 'error',
  'no-unreachable-loop': 'error',
};

export default [
  { name: 'repo/ignores', ignores: ['tests/fixtures/**', 'dist/**', 'coverage/**'] },
  {
    name: 'repo/options',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    name: 'repo/javascript',
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    // Core no-unused-vars misreads TypeScript types, so it runs on JS only (tsc checks TS with `strict`).
    rules: { ...correctness, 'no-unused-vars': 'error' },
  },
  {
    name: 'repo/typescript',
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
    rules: correctness,
  },
  {
    name: 'repo/tests',
    files: ['tests/**/*.ts'],
    // Test cases are code snippets in strings: `${…}` inside them is intended.
    rules: { 'no-template-curly-in-string': 'off' },
  },
  { ...eslintPlugin.configs['rules-recommended'], files: ['rules/**/*.ts'] },
  { ...eslintPlugin.configs['tests-recommended'], files: ['tests/rules/**/*.ts'] },
];
