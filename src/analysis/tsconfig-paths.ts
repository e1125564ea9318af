import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

import { type PathsMatcher, createPathsMatcher, parseTsconfig } from 'get-tsconfig';

/**
 * `compilerOptions.paths` and `baseUrl` of the linted project, so that `import { X } from '@/prompts'` is followed
 * like a relative import. The config is the nearest `tsconfig.json` (or `jsconfig.json`) above the importing
 * file, searched no higher than the project root; `extends` is followed by get-tsconfig, but every file system
 * access it makes goes through {@link ConfinedFsCache}, which refuses paths outside the root (so a config that
 * extends a file outside the root gives no aliases at all: precision first). Lookups are cached per directory
 * for the whole run ({@link clearTsconfigCache} forgets them).
 */

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

/** Directory (keyed with its root) → the paths matcher of its nearest config, null when none applies. */
const matchers = new Map<string, PathsMatcher | null>();
/** Root → get-tsconfig's file system cache for that root (shared by all configs found under it). */
const fsCaches = new Map<string, ConfinedFsCache>();

/** Forgets every tsconfig lookup (tests; called by `clearModuleCache`). */
export function clearTsconfigCache(): void {
  matchers.clear();
  fsCaches.clear();
}

/**
 * The files a bare specifier may stand for according to the importing file's tsconfig `paths` / `baseUrl`, in
 * the order TypeScript tries them (without extensions: the caller probes them like a relative import). Empty
 * when no config applies or the specifier matches no alias.
 */
export function getAliasCandidates(fromFile: string, specifier: string, root: string): string[] {
  const realRoot = safeRealpath(root) ?? resolve(root);
  const dir = safeRealpath(dirname(fromFile)) ?? resolve(dirname(fromFile));
  if (!isInsideOrSame(dir, realRoot)) return [];
  const matcher = getMatcher(dir, realRoot);
  if (!matcher) return [];
  try {
    return matcher(specifier).map((candidate) => resolve(candidate));
  } catch {
    return [];
  }
}

/** The matcher of the nearest config at or above `dir` (a real path inside `root`), memoised per directory. */
function getMatcher(dir: string, root: string): PathsMatcher | null {
  const visited: string[] = [];
  let result: PathsMatcher | null = null;
  let current = dir;
  for (;;) {
    const key = `${root}\0${current}`;
    const cached = matchers.get(key);
    if (cached !== undefined || matchers.has(key)) {
      result = cached ?? null;
      break;
    }
    visited.push(key);
    const config = findConfigIn(current, root);
    if (config !== undefined) {
      result = config === null ? null : loadMatcher(config, root);
      break;
    }
    const parent = dirname(current);
    if (current === root || parent === current || !isInsideOrSame(parent, root)) break;
    current = parent;
  }
  for (const key of visited) matchers.set(key, result);
  return result;
}

/**
 * The config file in `dir`: its path, `null` when there is one that cannot be used (a symlink out of the root),
 * `undefined` when there is none (the search goes on upward).
 */
function findConfigIn(dir: string, root: string): string | null | undefined {
  for (const name of CONFIG_NAMES) {
    const path = join(dir, name);
    let isFile = false;
    try {
      isFile = statSync(path).isFile();
    } catch {
      continue;
    }
    if (!isFile) continue;
    const real = safeRealpath(path);
    return real && isInsideOrSame(real, root) ? real : null;
  }
  return undefined;
}

function loadMatcher(configPath: string, root: string): PathsMatcher | null {
  let cache = fsCaches.get(root);
  if (!cache) {
    cache = new ConfinedFsCache(root);
    fsCaches.set(root, cache);
  }
  try {
    // The cache holds whatever each fs call returned; get-tsconfig types it loosely as strings.
    const config = parseTsconfig(configPath, cache as unknown as Map<string, string>);
    return createPathsMatcher({ path: configPath, config });
  } catch {
    return null; // unreadable, invalid, or extends a file outside the root
  }
}

/**
 * get-tsconfig reads the file system only through `existsSync`, `readFileSync`, `statSync` and `realpathSync`,
 * each memoised in the cache it is given under the key `<method>:<arguments joined by ':'>`; a value found in
 * the cache is used instead of calling `fs`. This cache answers "does not exist" for any path outside the root
 * (and throws for a read of one), so no config outside the project is ever read, whatever `extends` says. The
 * key format is get-tsconfig's (pinned version); tests/analysis/tsconfig-paths.test.ts checks the confinement.
 */
export class ConfinedFsCache extends Map<string, unknown> {
  constructor(private readonly root: string) {
    super();
  }

  override get(key: string): unknown {
    const path = getFsKeyPath(key);
    if (path !== null && !this.isAllowed(path)) {
      if (key.startsWith('existsSync:')) return false;
      throw new Error(`prompt-cache: ${path} is outside the project root`);
    }
    return super.get(key);
  }

  override has(key: string): boolean {
    const path = getFsKeyPath(key);
    return (path !== null && !this.isAllowed(path)) || super.has(key);
  }

  private isAllowed(path: string): boolean {
    const absolute = resolve(path);
    if (!isInsideOrSame(absolute, this.root)) return false;
    const real = safeRealpath(absolute);
    return real === null || isInsideOrSame(real, this.root);
  }
}

const FS_METHODS = ['existsSync', 'readFileSync', 'statSync', 'realpathSync'];

/** The path of a get-tsconfig file system cache key (`readFileSync:/a/tsconfig.json:utf8` → `/a/tsconfig.json`). */
function getFsKeyPath(key: string): string | null {
  const colon = key.indexOf(':');
  if (colon === -1 || !FS_METHODS.includes(key.slice(0, colon))) return null;
  const rest = key.slice(colon + 1);
  return key.startsWith('readFileSync:') ? rest.replace(/:[^:/\\]*$/, '') : rest;
}

function safeRealpath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** Whether `path` is `root` or lies inside it (both absolute, symlinks already resolved where needed). */
function isInsideOrSame(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
