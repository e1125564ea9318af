import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

import * as tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { SourceCode } from 'eslint';

import { clearTsconfigCache, getAliasCandidates } from './tsconfig-paths.js';

/**
 * Reads and parses the project's own modules that a linted file imports, so that imported prompt constants and
 * builder functions can be evaluated (the import-x `ExportMap` recipe): a process-wide cache keyed by real path
 * and checked against the file's modification time and size, so a module is parsed at most once per lint run.
 * Safety: only relative imports and tsconfig path aliases are followed (never packages: nothing in
 * `node_modules`); only files inside the project root (symlinks resolved) and at most {@link MAX_MODULE_BYTES}
 * are read; code is never executed.
 */

/** Largest module that is read (prompt modules are small; bundles and generated files are not followed). */
export const MAX_MODULE_BYTES = 512 * 1024;

/** Extensions tried for an import specifier, in order (TypeScript's `.js` → `.ts` convention included). */
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export interface ParsedModule {
  path: string;
  sourceCode: Readonly<TSESLint.SourceCode>;
}

interface CacheEntry {
  mtimeMs: number;
  size: number;
  module: ParsedModule | null;
}

const cache = new Map<string, CacheEntry>();

/** How many modules were parsed in this process (for the benchmark's "parsed at most once" check). */
export const moduleStats = { parsed: 0 };

/** Forgets every parsed module and every tsconfig lookup (tests). */
export function clearModuleCache(): void {
  cache.clear();
  clearTsconfigCache();
  moduleStats.parsed = 0;
}

/**
 * The file an import resolves to, or null. Relative specifiers resolve from the importing file; bare ones only
 * through the importing file's tsconfig `paths` / `baseUrl` (tsconfig-paths.ts), never as packages. Either way
 * the file found (extensions and `index` probed, TypeScript's `.js` → `.ts` convention included) must lie inside
 * `root` after resolving symlinks and outside any `node_modules`; the first existing candidate decides (as in
 * TypeScript), so a blocked one is not replaced by a later one.
 */
export function resolveImport(fromFile: string, specifier: string, root: string): string | null {
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
    const found = probe(resolve(dirname(fromFile), specifier), root);
    return typeof found === 'string' ? found : null;
  }
  if (specifier === '' || isAbsolute(specifier) || /^[a-z][a-z0-9+.-]*:/i.test(specifier)) return null; // `node:fs`, URLs
  for (const candidate of getAliasCandidates(fromFile, specifier, root)) {
    const found = probe(candidate, root);
    if (found !== MISSING) return found;
  }
  return null;
}

const MISSING = Symbol('missing');

/** The real path of the file `base` stands for: a path, null when it exists but may not be read, MISSING. */
function probe(base: string, root: string): string | null | typeof MISSING {
  const candidates = [base];
  const ext = extname(base);
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs' || ext === '.jsx') {
    const stem = base.slice(0, -ext.length);
    candidates.push(...EXTENSIONS.map((e) => stem + e));
  }
  candidates.push(...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => join(base, `index${e}`)));
  for (const candidate of candidates) {
    let stats;
    try {
      stats = statSync(candidate);
    } catch {
      continue;
    }
    if (!stats.isFile()) continue;
    const real = safeRealpath(candidate);
    return real && isInside(real, root) && !isInNodeModules(real, root) ? real : null;
  }
  return MISSING;
}

/** Whether `path` (inside `root`) is in a `node_modules` folder below the root: a package, never followed. */
function isInNodeModules(path: string, root: string): boolean {
  return relative(safeRealpath(root) ?? root, path).split(sep).includes('node_modules');
}

/** The parsed module at `path` (a real path inside the root), from the cache when unchanged; null if unreadable. */
export function loadModule(path: string): ParsedModule | null {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return null;
  }
  const cached = cache.get(path);
  if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.module;
  const module = stats.size > MAX_MODULE_BYTES ? null : parseModule(path);
  cache.set(path, { mtimeMs: stats.mtimeMs, size: stats.size, module });
  return module;
}

function parseModule(path: string): ParsedModule | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const ext = extname(path);
    const result = tsParser.parseForESLint(text, {
      sourceType: ext === '.cjs' || ext === '.cts' ? 'script' : 'module',
      ecmaVersion: 'latest',
      range: true,
      loc: true,
      tokens: true,
      comment: true,
      filePath: path,
      ecmaFeatures: { jsx: ext === '.tsx' || ext === '.jsx' },
    } as never);
    const visitorKeys = result.visitorKeys as Record<string, readonly string[] | undefined>;
    setParents(result.ast as unknown as TSESTree.Node, visitorKeys);
    moduleStats.parsed++;
    const sourceCode = new SourceCode({
      text,
      ast: result.ast as never,
      parserServices: result.services as never,
      scopeManager: result.scopeManager as never,
      visitorKeys: result.visitorKeys as never,
    }) as unknown as TSESLint.SourceCode;
    return { path, sourceCode };
  } catch {
    return null; // not parseable: treated as unknown
  }
}

/** ESLint adds `parent` while traversing a linted file; an imported module is never traversed, so add them. */
function setParents(root: TSESTree.Node, keys: Record<string, readonly string[] | undefined>): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const key of keys[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      for (const item of Array.isArray(child) ? child : [child]) {
        if (item && typeof (item as TSESTree.Node).type === 'string') {
          (item as { parent?: TSESTree.Node }).parent = node;
          stack.push(item as TSESTree.Node);
        }
      }
    }
  }
}

function safeRealpath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** Whether `path` lies inside `root` (both real paths). */
export function isInside(path: string, root: string): boolean {
  const realRoot = safeRealpath(root) ?? root;
  const rel = relative(realRoot, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
