import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { Evaluator } from './evaluate.js';
import { type ParsedModule, loadModule, resolveImport } from './modules.js';
import { type SourceInfo, findVolatileSources } from './volatility.js';

/** Volatile sources per parsed module: pure per module, computed once per process. */
const sourcesCache = new WeakMap<ParsedModule, ReadonlyMap<TSESTree.Node, SourceInfo>>();

/**
 * The evaluators of the project modules one linted file imports (directly or through other modules). Parsing
 * is cached for the whole run (modules.ts); evaluation is per linted file, so every file is analysed the same
 * way whatever was linted before it (deterministic results, bounded work per file).
 */
export class ModuleEvaluators {
  private readonly evaluators = new Map<string, Evaluator | null>();

  constructor(private readonly root: string) {}

  /** The evaluator of the module `specifier` resolves to from `fromFile`, or null when it is not followed. */
  evaluatorFor(fromFile: string, specifier: string): Evaluator | null {
    const path = resolveImport(fromFile, specifier, this.root);
    if (!path) return null;
    if (this.evaluators.has(path)) return this.evaluators.get(path)!;
    const module = loadModule(path);
    let evaluator: Evaluator | null = null;
    if (module) {
      let sources = sourcesCache.get(module);
      if (!sources) {
        const scope = module.sourceCode.scopeManager?.globalScope as TSESLint.Scope.Scope | undefined;
        sources = scope ? findVolatileSources(scope) : new Map();
        sourcesCache.set(module, sources);
      }
      evaluator = new Evaluator(module.sourceCode, sources, this, path);
    }
    this.evaluators.set(path, evaluator);
    return evaluator;
  }
}

/** The linted file's path and project root, recorded per `SourceCode` when a rule is created. */
const files = new WeakMap<object, { path: string; root: string }>();

export function registerFile(sourceCode: object, path: string, root: string): void {
  if (!files.has(sourceCode) && path && !path.startsWith('<')) files.set(sourceCode, { path, root });
}

export function getFile(sourceCode: object): { path: string; root: string } | null {
  return files.get(sourceCode) ?? null;
}
