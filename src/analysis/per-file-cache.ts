import type { TSESLint } from '@typescript-eslint/utils';

type SourceCode = Readonly<TSESLint.SourceCode>;

const cache = new WeakMap<SourceCode, Map<string, unknown>>();

/**
 * Computes `compute()` once per file and key, and returns the stored result to every later caller (every
 * rule) that asks for the same key on the same `SourceCode`. The map is weak: nothing outlives the file.
 */
export function perFile<T>(sourceCode: SourceCode, key: string, compute: () => T): T {
  let entries = cache.get(sourceCode);
  if (!entries) {
    entries = new Map();
    cache.set(sourceCode, entries);
  }
  if (entries.has(key)) return entries.get(key) as T;
  const value = compute();
  entries.set(key, value);
  return value;
}
