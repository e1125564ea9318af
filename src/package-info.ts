import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Name and version of this package, read once from its `package.json`.
 *
 * The compiled entry lives at `dist/src/`, the source at `src/`, so the file is found by walking up from
 * this module until the package's own `package.json` appears; nothing is hard-coded.
 */
function readPackageInfo(): { name: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'eslint-plugin-prompt-cache' && pkg.version) return { name: pkg.name, version: pkg.version };
    } catch {
      // not here: keep walking up
    }
    dir = dirname(dir);
  }
  return { name: 'eslint-plugin-prompt-cache', version: '0.0.0' };
}

export const packageInfo = readPackageInfo();
export const REPO_URL = 'https://github.com/prompt-cache/eslint-plugin-prompt-cache';
