import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { TSESTree } from '@typescript-eslint/utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { getCommonJsExports, getRequireCall } from '../../src/analysis/commonjs.js';
import { ModuleEvaluators } from '../../src/analysis/module-evaluators.js';
import { clearModuleCache, loadModule } from '../../src/analysis/modules.js';
import { dumpParts } from './probe.js';

let root: string;

beforeEach(() => {
  clearModuleCache();
  root = realpathSync(mkdtempSync(join(tmpdir(), 'prompt-cache-cjs-')));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function parse(code: string, name = 'm.cjs') {
  writeFileSync(join(root, name), code);
  const module = loadModule(join(root, name));
  if (!module) throw new Error('not parsed');
  return module.sourceCode;
}

/** The shape of a module's CommonJS exports: `whole` source text, prop keys, flags. */
function shape(code: string) {
  const sourceCode = parse(code);
  const exports = getCommonJsExports(sourceCode);
  if (!exports) return null;
  return {
    whole: exports.whole ? sourceCode.getText(exports.whole.value) : null,
    props: exports.props.map((prop) => `${prop.key}=${sourceCode.getText(prop.value)}`),
    partial: exports.partial,
    esModule: exports.esModule,
  };
}

/** The text of `import { name } from './<file>'` (or `default`) as the core evaluates it, with module files written first. */
function exported(files: Record<string, string>, file: string, name: string): string {
  for (const [path, code] of Object.entries(files)) writeFileSync(join(root, path), code);
  const evaluator = new ModuleEvaluators(root).evaluatorFor(join(root, 'main.ts'), `./${file}`);
  const value = evaluator?.exportedValue(name, 0);
  if (!evaluator || !value) return 'null';
  return dumpParts(evaluator.toParts(value, (value as { node?: TSESTree.Node }).node ?? (evaluator as unknown as { sourceCode: { ast: TSESTree.Node } }).sourceCode.ast));
}

describe('getCommonJsExports', () => {
  it('reads module.exports = …, then property assignments on top, in source order', () => {
    expect(shape("const A = 'a';\nmodule.exports = { A };\nmodule.exports.B = 'b';\n")).toEqual({ whole: '{ A }', props: ["B='b'"], partial: false, esModule: false });
    expect(shape("exports.A = 1;\nexports['B'] = 2;\n")).toEqual({ whole: null, props: ['A=1', 'B=2'], partial: false, esModule: false });
    // TypeScript's `export =`
    expect(shape('const x = 1;\nexport = { x };\n')).toMatchObject({ whole: '{ x }' });
  });

  it('drops properties set before module.exports is replaced, and `exports.X` once `exports` is detached', () => {
    expect(shape("exports.OLD = 1;\nmodule.exports = { A: 'a' };\nexports.DETACHED = 2;\n")).toMatchObject({ whole: "{ A: 'a' }", props: [] });
    // `module.exports = exports = …` keeps them attached
    expect(shape("module.exports = exports = { A: 'a' };\nexports.B = 2;\n")).toMatchObject({ props: ['B=2'] });
  });

  it('marks exports set in functions or with computed keys as partial', () => {
    expect(shape("exports.A = 1;\nfunction later() { exports.B = 2; }\nexports[key] = 3;\n")).toEqual({ whole: null, props: ['A=1'], partial: true, esModule: false });
  });

  it('knows nothing when module.exports is replaced conditionally, or the module is an ES module', () => {
    expect(shape('if (process.env.X) module.exports = { a: 1 };\nelse module.exports = { a: 2 };\n')).toBeNull();
    expect(shape("export const A = 1;\nmodule.exports = { A };\n")).toBeNull();
    expect(shape("const x = 1;\n")).toBeNull();
  });

  it('ignores local variables named module or exports', () => {
    expect(shape("const module = { exports: {} };\nmodule.exports = { A: 1 };\n")).toBeNull();
    expect(shape("function f(exports) { exports.A = 1; }\n")).toBeNull();
  });

  it('detects __esModule markers', () => {
    expect(shape("Object.defineProperty(exports, '__esModule', { value: true });\nexports.default = 'd';\n")).toMatchObject({ props: ["default='d'"], esModule: true });
    expect(shape("exports.__esModule = true;\nexports.A = 1;\n")).toMatchObject({ props: ['A=1'], esModule: true });
  });
});

describe('getRequireCall', () => {
  const first = (code: string) => {
    const sourceCode = parse(code, 'r.cjs');
    const declaration = sourceCode.ast.body.find((s): s is TSESTree.VariableDeclaration => s.type === 'VariableDeclaration');
    return getRequireCall(declaration!.declarations[0].init!, sourceCode);
  };

  it('reads the specifier and the keys read from the result', () => {
    expect(first("const a = require('./x');")).toEqual({ specifier: './x', keys: [] });
    expect(first("const a = require('./x').b['c'];")).toEqual({ specifier: './x', keys: ['b', 'c'] });
    expect(first("const a = require('./x')[k];")).toEqual({ specifier: './x', keys: [null] });
  });

  it('ignores computed specifiers, extra arguments and a local require', () => {
    expect(first('const a = require(name);')).toBeNull();
    expect(first("const a = require(`./${name}`);")).toBeNull();
    expect(first("const a = require('./x', 1);")).toBeNull();
    expect(first("function require(p) { return p; }\nconst a = require('./x');")).toBeNull();
  });
});

describe('CommonJS exports as values', () => {
  it('reads named exports and the default (module.exports itself)', () => {
    const files = { 'p.cjs': "const POLICY = 'Policy.';\nmodule.exports = { POLICY, LATE: 'x' };\nmodule.exports.LATE = 'late';\n" };
    expect(exported(files, 'p.cjs', 'POLICY')).toBe('text("Policy.")');
    expect(exported(files, 'p.cjs', 'LATE')).toBe('text("late")');
    expect(exported(files, 'p.cjs', 'MISSING')).toBe('null');
  });

  it('reads `exports.default` as the default of a module marked __esModule', () => {
    const files = { 'e.cjs': "Object.defineProperty(exports, '__esModule', { value: true });\nexports.default = 'the default';\n" };
    expect(exported(files, 'e.cjs', 'default')).toBe('text("the default")');
  });

  it('follows `module.exports = require(…)` re-exports', () => {
    const files = { 'inner.cjs': "exports.A = 'inner A';\n", 'outer.cjs': "module.exports = require('./inner.cjs');\n" };
    expect(exported(files, 'outer.cjs', 'A')).toBe('text("inner A")');
  });

  it('terminates on require cycles and namespace cycles (values in the cycle stay unknown)', () => {
    const cjs = { 'a.cjs': "const b = require('./b.cjs');\nexports.X = b.Y + '!';\nexports.K = 'k';\n", 'b.cjs': "const a = require('./a.cjs');\nexports.Y = a.X + '?';\n" };
    expect(exported(cjs, 'a.cjs', 'K')).toBe('text("k")');
    expect(exported(cjs, 'a.cjs', 'X')).toBe('unknown(limit)'); // text after a cut-off is part of the unknown tail
    const esm = { 'c.ts': "import * as d from './d.js';\nexport const C = `${d.D}c`;\nexport const K = 'k';\n", 'd.ts': "import * as c from './c.js';\nexport const D = `${c.C}d`;\n" };
    expect(exported(esm, 'c.ts', 'K')).toBe('text("k")');
    expect(exported(esm, 'c.ts', 'C')).toBe('unknown(limit)');
  });

  it('gives module-level values a module-level hop (computed once, when the module loads)', () => {
    writeFileSync(join(root, 't.cjs'), 'exports.T = new Date().toISOString();\n');
    const evaluator = new ModuleEvaluators(root).evaluatorFor(join(root, 'main.ts'), './t.cjs')!;
    const value = evaluator.exportedValue('T', 0)!;
    const part = evaluator.toParts(value, value.kind === 'unknown' ? value.part.node : (value as { node: TSESTree.Node }).node)[0];
    expect(part.kind).toBe('volatile');
    expect(part.kind !== 'text' && part.via?.hop).toMatchObject({ kind: 'reference', declaredIn: null });
  });
});
