import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import tsParser from '@typescript-eslint/parser';
import type { TSESTree } from '@typescript-eslint/utils';
import { ESLint } from 'eslint';
import { beforeEach, describe, expect, it } from 'vitest';

import { Evaluator } from '../src/analysis/evaluate.js';
import { ModuleEvaluators } from '../src/analysis/module-evaluators.js';
import { MAX_MODULE_BYTES, clearModuleCache, isInside, loadModule, moduleStats, resolveImport } from '../src/analysis/modules.js';
import { getKnownString } from '../src/analysis/values.js';
import plugin from '../src/index.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'cross-module');

async function lintMessages(path: string, cwd: string) {
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts', '**/*.mts', '**/*.cts'], languageOptions: { parser: tsParser } },
      // `.js`/`.mjs`/`.cjs` with ESLint's own parser and source type (`commonjs` for `.cjs`)
      { files: ['**/*.{ts,mts,cts,js,mjs,cjs}'], ...plugin.configs.recommended },
    ],
  });
  const [result] = await eslint.lintFiles([path]);
  return result.messages;
}

async function lint(file: string, cwd = fixtures) {
  const messages = await lintMessages(join(fixtures, file), cwd);
  return messages.map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.message.split(' but ')[0]}`);
}

/** Reports with their full range (`line:column-endLine:endColumn`) and the message up to "but". */
async function lintRanges(path: string, cwd: string) {
  const messages = await lintMessages(path, cwd);
  return messages.map((m) => `${m.line}:${m.column}-${m.endLine}:${m.endColumn} ${m.ruleId} ${m.message.split(' but ')[0]}`);
}

const VOLATILE = 'prompt-cache/no-volatile-in-prefix';

describe('cross-module analysis', () => {
  beforeEach(() => clearModuleCache());

  it('follows imported builders and re-exports, reporting where the value enters the request', async () => {
    expect(await lint('handler.ts')).toEqual([
      '13:36 prompt-cache/no-volatile-in-prefix new Date().toDateString() changes daily',
      '13:36 prompt-cache/no-volatile-in-prefix user.name differs per user or session',
      '22:50 prompt-cache/no-volatile-in-prefix new Date().toISOString() changes on every request',
    ]);
  });

  it('parses each module at most once per run', async () => {
    await lint('handler.ts');
    const first = moduleStats.parsed;
    expect(first).toBe(3); // prompts.ts, lib/index.ts, lib/environment.ts
    await lint('handler.ts');
    expect(moduleStats.parsed).toBe(first);
  });

  it('reads nothing outside the project root', async () => {
    expect(resolveImport(join(fixtures, 'handler.ts'), '../../../../outside-root.js', fixtures)).toBeNull();
    // lib/uses-parent.ts imports ../prompts.js: followed with the fixture as root, not with lib/ as root.
    expect(await lint('lib/uses-parent.ts')).toHaveLength(2);
    expect(await lint('lib/uses-parent.ts', join(fixtures, 'lib'))).toEqual([]);
    expect(isInside(join(fixtures, 'lib', 'index.ts'), fixtures)).toBe(true);
    expect(isInside(join(fixtures, '..', 'x.ts'), fixtures)).toBe(false);
  });

  it('resolves symlinks before the root check', () => {
    const outside = mkdtempSync(join(tmpdir(), 'prompt-cache-outside-'));
    const root = mkdtempSync(join(tmpdir(), 'prompt-cache-root-'));
    try {
      writeFileSync(join(outside, 'secret.ts'), "export const SECRET = 'x';\n");
      symlinkSync(join(outside, 'secret.ts'), join(root, 'link.ts'));
      writeFileSync(join(root, 'inside.ts'), "export const OK = 'y';\n");
      expect(resolveImport(join(root, 'main.ts'), './link.js', root)).toBeNull();
      expect(resolveImport(join(root, 'main.ts'), './inside.js', root)).toBe(realpathSync(join(root, 'inside.ts')));
    } finally {
      rmSync(outside, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('skips files over the size cap', () => {
    const root = mkdtempSync(join(tmpdir(), 'prompt-cache-big-'));
    try {
      writeFileSync(join(root, 'big.ts'), `export const BIG = '${'x'.repeat(MAX_MODULE_BYTES)}';\n`);
      const path = resolveImport(join(root, 'main.ts'), './big.js', root);
      expect(path).not.toBeNull();
      expect(loadModule(path!)).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('does not follow packages (bare specifiers)', () => {
    expect(resolveImport(join(fixtures, 'handler.ts'), '@anthropic-ai/sdk', fixtures)).toBeNull();
  });
});

describe('cross-module analysis: namespace imports', () => {
  beforeEach(() => clearModuleCache());

  it('reads exports through `import * as ns` (with `export *` followed) and `export * as ns`', async () => {
    expect(await lintRanges(join(fixtures, 'namespace.ts'), fixtures)).toEqual([
      // lib.env(…): lib/index.ts re-exports environment.ts
      `14:29-14:48 ${VOLATILE} new Date().toISOString() changes on every request`,
      // prompts.buildSystemPrompt(user): lib/all.ts has `export * as prompts from '../prompts.js'`
      `24:36-24:67 ${VOLATILE} new Date().toDateString() changes daily`,
      `24:36-24:67 ${VOLATILE} user.name differs per user or session`,
      // lib.STARTED_AT (line 35) is computed once at module level: silent
    ]);
  });

  it('evaluates only the names read from a namespace (an unused re-export is never parsed)', () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'prompt-cache-ns-')));
    try {
      writeFileSync(join(root, 'ns.ts'), "export const USED = 'used';\nexport { UNUSED } from './unused.js';\n");
      writeFileSync(join(root, 'unused.ts'), "export const UNUSED = 'unused';\n");
      writeFileSync(join(root, 'main.ts'), "import * as ns from './ns.js';\nexport const probe = ns.USED;\n");
      const main = loadModule(join(root, 'main.ts'))!;
      const modules = new ModuleEvaluators(root);
      const evaluator = new Evaluator(main.sourceCode, new Map(), modules, join(root, 'main.ts'));
      const declaration = main.sourceCode.ast.body[1] as TSESTree.ExportNamedDeclaration;
      const init = (declaration.declaration as TSESTree.VariableDeclaration).declarations[0].init!;
      expect(getKnownString(evaluator.evaluate(init))).toBe('used');
      expect(moduleStats.parsed).toBe(2); // main.ts and ns.ts, not unused.ts
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('cross-module analysis: tsconfig path aliases', () => {
  const aliases = join(fixtures, 'aliases');
  beforeEach(() => clearModuleCache());

  it('follows `paths` wildcards and exact aliases, and bare `baseUrl` imports, from a config reached by `extends`', async () => {
    expect(await lintRanges(join(aliases, 'src', 'handler.ts'), aliases)).toEqual([
      // buildSystemPrompt() from '@prompts/system'; its POLICY comes from 'src/prompts/policy' (baseUrl)
      `14:36-14:55 ${VOLATILE} new Date().toISOString() changes on every request`,
      // environment(…) from the exact alias '@env'
      `23:50-23:73 ${VOLATILE} new Date().toDateString() changes daily`,
      // BOOTED_AT (line 32) is a module-level start time: silent. outsideBuilder() (line 41): alias leaves the root.
    ]);
  });

  it('does not follow an alias that points outside the root, and follows it when the root includes the target', async () => {
    const outside = `41:36-41:52 ${VOLATILE} new Date().toISOString() changes on every request`;
    expect(await lintRanges(join(aliases, 'src', 'handler.ts'), aliases)).not.toContain(outside);
    // The same file linted from the parent folder: ../outside/builder.ts is now inside the root.
    expect(await lintRanges(join(aliases, 'src', 'handler.ts'), fixtures)).toContain(outside);
  });

  it('reads jsconfig.json (baseUrl imports of a folder index, aliases inside re-exports)', async () => {
    const app = join(fixtures, 'jsconfig-app');
    expect(await lintRanges(join(app, 'src', 'handler.js'), app)).toEqual([
      `11:36-11:59 ${VOLATILE} user.name differs per user or session`,
      `11:36-11:59 ${VOLATILE} new Date().toISOString() changes on every request`,
    ]);
  });

  it('ignores a config whose `extends` leaves the root (the base is never read)', async () => {
    const project = join(fixtures, 'extends-outside');
    expect(await lintRanges(join(project, 'src', 'handler.ts'), project)).toEqual([]);
    // Control: with the base inside the root, the alias resolves and the builder is reported.
    expect(await lintRanges(join(project, 'src', 'handler.ts'), fixtures)).toEqual([`12:36-12:55 ${VOLATILE} new Date().toISOString() changes on every request`]);
  });

  it('never follows an alias (or a relative import) into node_modules', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'prompt-cache-aliases-')));
    try {
      const builder = "export function build() { return `${'Vendor policy. '.repeat(300)}\\nNow: ${new Date().toISOString()}`; }\n";
      mkdirSync(join(root, 'node_modules', 'vendor-prompts'), { recursive: true });
      mkdirSync(join(root, 'src'));
      writeFileSync(join(root, 'node_modules', 'vendor-prompts', 'index.ts'), builder);
      writeFileSync(join(root, 'src', 'copy.ts'), builder);
      writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@vendor/*': ['node_modules/*'], '@src/*': ['src/*'] } } }));
      const request = (text: string) =>
        `{ model: 'claude-sonnet-4-5', max_tokens: 512, system: [{ type: 'text', text: ${text}, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] }`;
      const lines = [
        "import Anthropic from '@anthropic-ai/sdk';",
        "import { build as aliased } from '@vendor/vendor-prompts';",
        "import { build as relative } from '../node_modules/vendor-prompts/index.js';",
        "import { build as local } from '@src/copy';",
        'const client = new Anthropic();',
        `export const a = (q: string) => client.messages.create(${request('aliased()')});`,
        `export const b = (q: string) => client.messages.create(${request('relative()')});`,
        `export const c = (q: string) => client.messages.create(${request('local()')});`,
      ];
      writeFileSync(join(root, 'src', 'handler.ts'), `${lines.join('\n')}\n`);
      expect(resolveImport(join(root, 'src', 'handler.ts'), '@vendor/vendor-prompts', root)).toBeNull();
      expect(resolveImport(join(root, 'src', 'handler.ts'), '../node_modules/vendor-prompts/index.js', root)).toBeNull();
      // Only the control (the same builder in src/, line 8) is reported, on its call `local()`.
      const column = lines[7].indexOf('local()') + 1;
      expect(await lintRanges(join(root, 'src', 'handler.ts'), root)).toEqual([`8:${column}-8:${column + 'local()'.length} ${VOLATILE} new Date().toISOString() changes on every request`]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('cross-module analysis: CommonJS', () => {
  const commonjs = join(fixtures, 'commonjs');
  beforeEach(() => clearModuleCache());

  it('follows require() in every shape, into module.exports / exports / ES modules', async () => {
    expect(await lintRanges(join(commonjs, 'handler.cjs'), fixtures)).toEqual([
      // const { buildSystemPrompt } = require('./prompts.cjs') — module.exports = { … }
      `17:36-17:59 ${VOLATILE} user.name differs per user or session`,
      `17:36-17:59 ${VOLATILE} new Date().toISOString() changes on every request`,
      // const prompts = require('./prompts.cjs'); prompts.buildSystemPrompt(…) — a literal name: not per user
      `26:36-26:78 ${VOLATILE} new Date().toISOString() changes on every request`,
      // const buildPrompt = require('./builder.cjs') — module.exports = function …
      `35:36-35:49 ${VOLATILE} new Date().toDateString() changes daily`,
      // const build = require('./props.cjs').build — module.exports.build = function …
      `44:36-44:53 ${VOLATILE} new Date().toISOString() changes on every request`,
      // const env = require('./environment.js'); env.environment(…) — exports.environment = … in a .js file
      `53:54-53:81 ${VOLATILE} new Date().toLocaleTimeString() changes every second`,
      // const esm = require('./esm-prompts.mjs'); esm.buildSystemPrompt() — an ES module
      `62:36-62:59 ${VOLATILE} new Date().toISOString() changes on every request`,
      // require('./builder.cjs')() written inline in the request (its POLICY and STARTED_AT: stable)
      `71:75-71:101 ${VOLATILE} new Date().toDateString() changes daily`,
      // startTimes(): module-level start times of CommonJS and ES modules (one required inside the function): silent
    ]);
  });

  it('follows ES imports of CommonJS modules: named, default, namespace', async () => {
    expect(await lintRanges(join(commonjs, 'handler.ts'), fixtures)).toEqual([
      // import { buildSystemPrompt } from './prompts.cjs'
      `15:36-15:59 ${VOLATILE} user.name differs per user or session`,
      `15:36-15:59 ${VOLATILE} new Date().toISOString() changes on every request`,
      // import buildPrompt from './builder.cjs' (default = module.exports)
      `24:36-24:49 ${VOLATILE} new Date().toDateString() changes daily`,
      // esm.buildSystemPrompt() (import * of an ES module) and props.build(…) (import * of a CommonJS module)
      `34:29-34:52 ${VOLATILE} new Date().toISOString() changes on every request`,
      `35:29-35:52 ${VOLATILE} new Date().toISOString() changes on every request`,
      // import { environment } from './environment.js' (exports.environment = …)
      `45:50-45:73 ${VOLATILE} new Date().toLocaleTimeString() changes every second`,
      // startTimes(): STARTED_AT, props.LOADED_AT, esm.LOADED_AT are module-level: silent
    ]);
  });

  it('follows TypeScript `import x = require()` and `export =`', async () => {
    expect(await lintRanges(join(commonjs, 'handler-legacy.ts'), fixtures)).toEqual([
      `12:36-12:61 ${VOLATILE} new Date().toISOString() changes on every request`,
      `21:54-21:81 ${VOLATILE} new Date().toLocaleTimeString() changes every second`,
    ]);
  });

  it('parses each module once for all the files of a run, and gives the same results in any order', async () => {
    const files = ['handler.cjs', 'handler.ts', 'handler-legacy.ts'].map((file) => join(commonjs, file));
    const first = await Promise.all(files.map((file) => lintRanges(file, fixtures)));
    // prompts.cjs, builder.cjs, props.cjs, environment.js, esm-prompts.mjs, legacy-prompts.ts
    expect(moduleStats.parsed).toBe(6);
    clearModuleCache();
    const reversed = [];
    for (const file of [...files].reverse()) reversed.unshift(await lintRanges(file, fixtures));
    expect(reversed).toEqual(first);
    expect(moduleStats.parsed).toBe(6);
  });
});

describe('cross-module analysis: module-level requests', () => {
  beforeEach(() => clearModuleCache());

  it('reports a value from another module at the module-level request, in the linted file', async () => {
    expect(await lintRanges(join(fixtures, 'module-level.ts'), fixtures)).toEqual([
      `6:15-6:53 ${VOLATILE} new Date().toDateString() changes daily`,
      `13:56-13:66 ${VOLATILE} new Date().toISOString() changes on every request`,
    ]);
  });
});
