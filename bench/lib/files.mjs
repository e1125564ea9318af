// File discovery shared by the benchmark, the crash sweep and the fuzzer: deterministic walks over source
// trees, the module type Node would give a `.js` file, and line counts.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Extensions we lint: the same set as `prompt-cache-lint`. */
export const SOURCE_EXTENSIONS = ['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts'];

const TS_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts']);

/** `.d.ts`, `.d.mts`, `.d.cts` (and `.d.<anything>.ts`, such as `lib.dom.d.ts` or `foo.d.json.ts`). */
export function isDeclarationFile(file) {
  return /\.d(\.[^./\\]+)?\.[mc]?ts$/.test(file);
}

export function isSourceFile(file) {
  return SOURCE_EXTENSIONS.includes(path.extname(file));
}

/** `'ts'` for files the TypeScript parser reads, `'js'` for espree. */
export function languageOf(file) {
  return TS_EXTENSIONS.has(path.extname(file)) ? 'ts' : 'js';
}

/** Plain code-unit order: the same on every machine and locale (unlike `localeCompare`). */
export function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every source file under `root`, sorted by path. Symbolic links are not followed (node_modules holds a link
 * back to this repository, and `.bin` links). `skipDirectory(name, dir)` prunes directories.
 */
export function walkSourceFiles(root, { skipDirectory = () => false, includeDeclarations = true } = {}) {
  const files = [];
  const visit = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable directory: nothing to lint there
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skipDirectory(entry.name, full)) visit(full);
      } else if (entry.isFile() && isSourceFile(entry.name) && (includeDeclarations || !isDeclarationFile(entry.name))) {
        files.push(full);
      }
    }
  };
  visit(root);
  return files.sort(compareStrings);
}

const packageTypeCache = new Map();

/** The `type` of the nearest package.json above `dir`: `'module'`, `'commonjs'`, or null when it sets none. */
function nearestPackageType(dir) {
  if (packageTypeCache.has(dir)) return packageTypeCache.get(dir);
  let type;
  const manifest = path.join(dir, 'package.json');
  if (existsSync(manifest)) {
    try {
      const declared = JSON.parse(readFileSync(manifest, 'utf8')).type;
      type = declared === 'module' || declared === 'commonjs' ? declared : null;
    } catch {
      type = null; // a broken or template package.json
    }
  } else {
    const parent = path.dirname(dir);
    type = parent === dir ? null : nearestPackageType(parent);
  }
  packageTypeCache.set(dir, type);
  return type;
}

/** `import`/`export` statements at the start of a line: ES module syntax (dynamic `import()` does not count). */
const ESM_SYNTAX = /^[ \t]*(?:import[\s{*'"]|export[\s{*]|export default\b)/m;
const detectedCache = new Map();

/**
 * `sourceType` for a JavaScript file as Node 20.19+ loads it: `.mjs` module, `.cjs` commonjs, `.js`/`.jsx` by the
 * nearest package.json `type`; without one, commonjs unless the file has ES module syntax (Node's module syntax
 * detection: many packages ship an ESM build as `.js` for bundlers).
 */
export function sourceTypeOf(file) {
  const ext = path.extname(file);
  if (ext === '.mjs') return 'module';
  if (ext === '.cjs') return 'commonjs';
  const resolved = path.resolve(file);
  const declared = nearestPackageType(path.dirname(resolved));
  if (declared) return declared;
  if (!detectedCache.has(resolved)) {
    let text = '';
    try {
      text = readFileSync(resolved, 'utf8');
    } catch {
      // a virtual path (lintText of generated code): no syntax to detect
    }
    detectedCache.set(resolved, ESM_SYNTAX.test(text) ? 'module' : 'commonjs');
  }
  return detectedCache.get(resolved);
}

/** Number of lines, as an editor shows them (a final newline does not open a new line). */
export function countLines(text) {
  if (text.length === 0) return 0;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text.endsWith('\n') ? lines - 1 : lines;
}

/** Reads a list of paths (one per line, `#` comments and blank lines skipped), relative to `base`. */
export function readFileList(listFile, base) {
  return readFileSync(listFile, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => path.resolve(base, line));
}
