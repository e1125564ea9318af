import { ESLintUtils } from '@typescript-eslint/utils';

import { registerFile } from './analysis/module-evaluators.js';
import { perFile } from './analysis/per-file-cache.js';
import { mayContainAnyRequest } from './analysis/request-sites.js';
import { getFileAnalysis } from './analysis/request.js';
import { REPO_URL } from './package-info.js';

/** Extra `meta.docs` fields of our rules. */
export interface PluginDocs {
  /** Whether the rule is part of `configs.recommended` (near-certainly a real problem when reported). */
  recommended: boolean;
  requiresTypeChecking?: boolean;
}

const baseCreateRule = ESLintUtils.RuleCreator<PluginDocs>((name) => `${REPO_URL}/blob/main/docs/rules/${name}.md`);

/**
 * `RuleCreator` that points `meta.docs.url` at the rule's page in `docs/rules/`, and wraps every listener like
 * `guard` (src/guard.ts): a rule never throws into the user's lint run (strict mode rethrows, for tests).
 *
 * `create` first decides whether the file needs the rule at all, and only then resolves the options
 * (`RuleCreator` would clone the default options for every rule of every file before asking). Every rule reports
 * about the file's requests only, so a file without a request site needs no rule, except the rules whose scope
 * {@link extendRuleScope} extends: the file's analysis is then computed before the traversal, by the first rule
 * created, instead of on `Program:exit`. Resolved options are reused across files with equal options (frozen, so
 * that no rule can change them for the next file).
 */
export const createRule: typeof baseCreateRule = (rule) => {
  type Context = Parameters<typeof rule.create>[0];
  type Options = Parameters<typeof rule.create>[1];
  const createListeners = (context: Context, options: Options) => {
    // Cross-module analysis needs the file's path and the project root (imports are followed inside it only).
    registerFile(context.sourceCode, context.physicalFilename, context.cwd);
    const listeners = rule.create(withLocalReports(context), options) as Record<string, ((...args: unknown[]) => void) | undefined>;
    const guarded: Record<string, (...args: unknown[]) => void> = {};
    for (const [selector, listener] of Object.entries(listeners)) {
      if (!listener) continue;
      // `guard` inlined: listeners can run for every node of a kind, so no closures per call.
      guarded[selector] = (...args) => {
        try {
          return listener(...args);
        } catch (error) {
          if (process.env.PROMPT_CACHE_STRICT === '1') throw error;
          return undefined;
        }
      };
    }
    return guarded as ReturnType<typeof rule.create>;
  };
  const created = baseCreateRule({ ...rule, create: createListeners });
  // The defaults as `RuleCreator` resolves them.
  const resolveOptions = optionsResolver((created.meta.defaultOptions ?? created.defaultOptions ?? []) as Options);
  return {
    ...created,
    create(context) {
      let options: Options | undefined;
      // Most linted files send no LLM request: then no rule has anything to do, so none registers a listener.
      if (!hasRequests(context)) {
        const extra = extraScopes.get(rule.name);
        if (!extra) return {};
        options = resolveOptions(context.options);
        if (!extra(context.sourceCode.text, options)) return {};
      }
      return createListeners(context as Context, options ?? resolveOptions(context.options));
    },
  };
};

/**
 * Whether the file sends a request we analyse (once per file): a text test first (most files mention none of
 * the supported APIs), then the file's analysis.
 */
function hasRequests(context: { sourceCode: Parameters<typeof getFileAnalysis>[0]; physicalFilename: string; cwd: string }): boolean {
  return perFile(context.sourceCode, 'has-requests', () => {
    if (!mayContainAnyRequest(context.sourceCode.text)) return false;
    // Cross-module analysis needs the file's path and the project root (imports are followed inside it only).
    registerFile(context.sourceCode, context.physicalFilename, context.cwd);
    return getFileAnalysis(context.sourceCode).requests.length > 0;
  });
}

/**
 * `applyDefault(defaults, options)` of `RuleCreator`, memoised by the options' value (ESLint passes a fresh
 * array for every file, usually equal to the last one). Options that are not plain data are resolved afresh.
 */
function optionsResolver<Options extends readonly unknown[]>(defaults: Options): (options: readonly unknown[]) => Options {
  const recent: Array<{ options: readonly unknown[]; resolved: Options }> = [];
  const apply = (options: readonly unknown[]): Options => ESLintUtils.applyDefault<Options, Options>(defaults, options as unknown as Options);
  let empty: Options | undefined;
  return (options) => {
    // No options (a rule configured by severity only): the defaults, resolved once.
    if (options.length === 0) return (empty ??= deepFreeze(apply(options)));
    for (const entry of recent) if (samePlainData(entry.options, options, 0)) return entry.resolved;
    if (!isPlainData(options, 0)) return apply(options);
    const resolved = deepFreeze(apply(options));
    if (recent.length >= 8) recent.pop();
    recent.unshift({ options, resolved });
    return resolved;
  };
}

/** `a` and `b` are equal plain data: primitives, arrays and plain objects (same keys in the same order). */
function samePlainData(a: unknown, b: unknown, depth: number): boolean {
  // ESLint passes the configured options object itself (in a fresh array) for every file; the stored one was
  // checked to be plain data.
  if (a === b) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return Object.is(a, b) && typeof a !== 'function' && typeof a !== 'symbol';
  }
  if (depth > 32) return false;
  const isArray = Array.isArray(a);
  if (isArray !== Array.isArray(b)) return false;
  if (!isArray && (!isPlainPrototype(Object.getPrototypeOf(a)) || !isPlainPrototype(Object.getPrototypeOf(b)))) return false;
  if (isArray) {
    // No key lists for arrays (this runs for every rule of every file).
    const arrayA = a as unknown[];
    const arrayB = b as unknown[];
    if (arrayA.length !== arrayB.length) return false;
    for (let i = 0; i < arrayA.length; i++) if (!samePlainData(arrayA[i], arrayB[i], depth + 1)) return false;
    return true;
  }
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  for (let i = 0; i < keysA.length; i++) {
    const key = keysA[i];
    if (key !== keysB[i] || !samePlainData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** Primitives (no functions or symbols), arrays and plain objects, all the way down. */
function isPlainData(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'function' && typeof value !== 'symbol';
  if (depth > 32) return false;
  if (!Array.isArray(value) && !isPlainPrototype(Object.getPrototypeOf(value))) return false;
  return Object.keys(value).every((key) => isPlainData((value as Record<string, unknown>)[key], depth + 1));
}

function isPlainPrototype(prototype: unknown): boolean {
  return prototype === Object.prototype || prototype === null;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Rules that also look at files without a request (see {@link extendRuleScope}). */
const extraScopes = new Map<string, (text: string, options: readonly unknown[]) => boolean>();

/**
 * Lets rule `name` run in files that mention none of the supported APIs when `test(text, options)` says so
 * (`no-volatile-in-prefix` reads system prompts whose request is in another file).
 */
export function extendRuleScope<Options extends readonly unknown[]>(name: string, test: (text: string, options: Options) => boolean): void {
  extraScopes.set(name, test as (text: string, options: readonly unknown[]) => boolean);
}

/**
 * A context whose `report` drops reports on nodes of another file (values followed into imported modules carry
 * their nodes; a report must always point into the linted file). Strict mode throws instead.
 */
function withLocalReports<C extends { sourceCode: { ast: unknown }; report: (descriptor: never) => void }>(context: C): C {
  const report = (descriptor: { node?: { parent?: unknown } }) => {
    if (descriptor.node) {
      let root: { parent?: unknown } = descriptor.node;
      while (root.parent) root = root.parent as { parent?: unknown };
      if (root !== context.sourceCode.ast) {
        if (process.env.PROMPT_CACHE_STRICT === '1') throw new Error('report on a node outside the linted file');
        return;
      }
    }
    context.report(descriptor as never);
  };
  return Object.create(context, { report: { value: report } }) as C;
}
