import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**', 'tests/fixtures/**'],
    setupFiles: ['tests/setup.ts'],
    pool: 'forks',
    // Rules swallow internal errors for users; tests must see them.
    env: { PROMPT_CACHE_STRICT: '1' },
    // CLI tests spawn Node and ESLint; typed rule tests build a TS program.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
