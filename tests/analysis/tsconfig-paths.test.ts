import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { clearModuleCache, resolveImport } from '../../src/analysis/modules.js';
import { ConfinedFsCache, getAliasCandidates } from '../../src/analysis/tsconfig-paths.js';

let base: string;
let root: string;

/** Writes `files` (path → content; objects become JSON) under `dir`. */
function write(dir: string, files: Record<string, string | object>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
}

const from = (path = 'src/main.ts') => join(root, path);
const file = (path: string) => join(root, path);

beforeEach(() => {
  clearModuleCache();
  base = realpathSync(mkdtempSync(join(tmpdir(), 'prompt-cache-tsconfig-')));
  root = join(base, 'project');
  mkdirSync(root);
});

afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('resolveImport with tsconfig paths', () => {
  it('resolves wildcard and exact aliases with extension and index probing', () => {
    write(root, {
      'tsconfig.json': { compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'], '@prompts': ['src/prompts/index.ts'] } } },
      'src/prompts/index.ts': 'export const A = 1;',
      'src/prompts/system.ts': 'export const S = 1;',
      'src/lib/index.tsx': 'export const L = 1;',
    });
    expect(resolveImport(from(), '@/prompts/system', root)).toBe(file('src/prompts/system.ts'));
    expect(resolveImport(from(), '@/prompts/system.js', root)).toBe(file('src/prompts/system.ts'));
    expect(resolveImport(from(), '@/lib', root)).toBe(file('src/lib/index.tsx'));
    expect(resolveImport(from(), '@prompts', root)).toBe(file('src/prompts/index.ts'));
    expect(resolveImport(from(), '@/missing', root)).toBeNull();
  });

  it('resolves bare imports from baseUrl, and leaves packages alone', () => {
    write(root, { 'tsconfig.json': { compilerOptions: { baseUrl: 'src' } }, 'src/prompts/system.ts': '' });
    expect(resolveImport(from(), 'prompts/system', root)).toBe(file('src/prompts/system.ts'));
    expect(resolveImport(from(), '@anthropic-ai/sdk', root)).toBeNull();
    expect(resolveImport(from(), 'node:fs', root)).toBeNull();
    expect(resolveImport(from(), '/etc/hostname', root)).toBeNull();
  });

  it('resolves paths without baseUrl relative to the config that declares them', () => {
    write(root, { 'config/tsconfig.base.json': { compilerOptions: { paths: { '~/*': ['../src/*'] } } }, 'tsconfig.json': { extends: './config/tsconfig.base.json' }, 'src/a.ts': '' });
    expect(resolveImport(from(), '~/a', root)).toBe(file('src/a.ts'));
  });

  it('tries substitutions in order, and the first existing file decides even when it may not be read', () => {
    write(root, {
      'tsconfig.json': { compilerOptions: { baseUrl: '.', paths: { 'x/*': ['missing/*', 'src/*'], 'y/*': ['node_modules/pkg/*', 'src/*'] } } },
      'src/a.ts': '',
      'node_modules/pkg/a.ts': '',
    });
    expect(resolveImport(from(), 'x/a', root)).toBe(file('src/a.ts'));
    // TypeScript would pick node_modules/pkg/a.ts: a package, so nothing is followed (not src/a.ts instead).
    expect(resolveImport(from(), 'y/a', root)).toBeNull();
  });

  it('never resolves into node_modules, by alias or by relative path', () => {
    write(root, { 'tsconfig.json': { compilerOptions: { baseUrl: '.', paths: { '*': ['node_modules/*'] } } }, 'node_modules/pkg/index.ts': '' });
    expect(resolveImport(from(), 'pkg', root)).toBeNull();
    expect(resolveImport(from(), '../node_modules/pkg/index.js', root)).toBeNull();
  });

  it('does not resolve an alias to a file outside the root, directly or through a symlink', () => {
    write(base, { 'outside/a.ts': '' });
    write(root, { 'tsconfig.json': { compilerOptions: { baseUrl: '.', paths: { '@out/*': ['../outside/*'], '@link/*': ['linked/*'] } } } });
    symlinkSync(join(base, 'outside'), join(root, 'linked'));
    expect(resolveImport(from(), '@out/a', root)).toBeNull();
    expect(resolveImport(from(), '@link/a', root)).toBeNull();
  });

  it('uses the nearest config at or above the importing file, no higher than the root', () => {
    write(base, { 'tsconfig.json': { compilerOptions: { baseUrl: 'project', paths: { '@above/*': ['src/*'] } } } });
    write(root, {
      'tsconfig.json': { compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'] } } },
      'packages/app/tsconfig.json': { compilerOptions: { baseUrl: '.', paths: { '@/*': ['lib/*'] } } },
      'packages/app/lib/a.ts': '',
      'src/a.ts': '',
    });
    expect(resolveImport(from('src/main.ts'), '@/a', root)).toBe(file('src/a.ts'));
    expect(resolveImport(from('packages/app/deep/main.ts'), '@/a', root)).toBe(file('packages/app/lib/a.ts'));
    // The config above the root is never looked at.
    expect(resolveImport(from('src/main.ts'), '@above/a', root)).toBeNull();
  });

  it('reads jsconfig.json, and tsconfig.json first when a folder has both', () => {
    write(root, { 'jsconfig.json': { compilerOptions: { baseUrl: '.', paths: { '@/*': ['js/*'] } } }, 'js/a.js': '', 'ts/a.ts': '' });
    expect(resolveImport(from(), '@/a', root)).toBe(file('js/a.js'));
    clearModuleCache();
    write(root, { 'tsconfig.json': { compilerOptions: { baseUrl: '.', paths: { '@/*': ['ts/*'] } } } });
    expect(resolveImport(from(), '@/a', root)).toBe(file('ts/a.ts'));
  });

  it('gives no aliases when `extends` leaves the root (the base is not read), or the config is invalid', () => {
    write(base, { 'tsconfig.base.json': { compilerOptions: { baseUrl: 'project', paths: { '@/*': ['src/*'] } } } });
    write(root, { 'tsconfig.json': { extends: '../tsconfig.base.json' }, 'src/a.ts': '' });
    expect(getAliasCandidates(from(), '@/a', root)).toEqual([]);
    expect(resolveImport(from(), '@/a', root)).toBeNull();
    // Control: the same base inside the root gives the alias.
    clearModuleCache();
    write(root, { 'tsconfig.json': { extends: './tsconfig.base.json' }, 'tsconfig.base.json': { compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'] } } } });
    expect(resolveImport(from(), '@/a', root)).toBe(file('src/a.ts'));
    clearModuleCache();
    write(root, { 'tsconfig.json': '{ "compilerOptions": { "paths": ' });
    expect(resolveImport(from(), '@/a', root)).toBeNull();
  });

  it('gives no aliases when the config or its base is a symlink to a file outside the root', () => {
    // baseUrl '.': read through the link, the alias would point at <root>/src.
    write(base, { 'outside.json': { compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'] } } } });
    write(root, { 'src/a.ts': '', 'tsconfig.json': { extends: './base.json' } });
    symlinkSync(join(base, 'outside.json'), join(root, 'base.json'));
    expect(resolveImport(from(), '@/a', root)).toBeNull();
    clearModuleCache();
    rmSync(join(root, 'tsconfig.json'));
    symlinkSync(join(base, 'outside.json'), join(root, 'tsconfig.json'));
    expect(resolveImport(from(), '@/a', root)).toBeNull();
  });

  it('caches the lookup per directory for the run, until clearModuleCache()', () => {
    write(root, { 'tsconfig.json': { compilerOptions: { baseUrl: '.', paths: { '@/*': ['one/*'] } } }, 'one/a.ts': '', 'two/a.ts': '' });
    expect(resolveImport(from(), '@/a', root)).toBe(file('one/a.ts'));
    write(root, { 'tsconfig.json': { compilerOptions: { baseUrl: '.', paths: { '@/*': ['two/*'] } } } });
    expect(resolveImport(from(), '@/a', root)).toBe(file('one/a.ts'));
    clearModuleCache();
    expect(resolveImport(from(), '@/a', root)).toBe(file('two/a.ts'));
  });
});

describe('ConfinedFsCache', () => {
  it('answers "missing" for existence checks outside the root and refuses reads there', () => {
    write(root, { 'tsconfig.json': '{}' });
    const cache = new ConfinedFsCache(root);
    expect(cache.get(`existsSync:${join(base, 'tsconfig.json')}`)).toBe(false);
    expect(() => cache.get(`readFileSync:${join(base, 'tsconfig.json')}:utf8`)).toThrow(/outside the project root/);
    expect(() => cache.get(`statSync:${base}/x`)).toThrow(/outside the project root/);
    // Inside the root: not answered by the cache, so get-tsconfig calls fs itself.
    expect(cache.get(`existsSync:${join(root, 'tsconfig.json')}`)).toBeUndefined();
    expect(cache.get(`readFileSync:${join(root, 'tsconfig.json')}:utf8`)).toBeUndefined();
    // Other entries get-tsconfig keeps are passed through.
    cache.set('resolveFromPackageJsonPath:x', 'y');
    expect(cache.get('resolveFromPackageJsonPath:x')).toBe('y');
  });
});
