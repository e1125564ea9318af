/**
 * The only importer of `@eslint-community/eslint-utils`. The typed wrapper in `@typescript-eslint/utils`
 * leaves `iteratePropertyReferences` out of its `ReferenceTracker` type, so the package is used directly and
 * its types are narrowed here, in one place.
 */
import * as eslintUtils from '@eslint-community/eslint-utils';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

export const { READ, CALL, CONSTRUCT, ESM } = eslintUtils as unknown as {
  READ: symbol;
  CALL: symbol;
  CONSTRUCT: symbol;
  ESM: symbol;
};

/** A ReferenceTracker trace map: property names lead deeper; `READ`/`CALL`/`CONSTRUCT` hold the info, `ESM` a flag. */
export interface TraceMap<T> {
  [key: string]: TraceMap<T>;
  [key: symbol]: T | boolean | undefined;
}

export interface TrackedReference<T> {
  node: TSESTree.Node;
  path: string[];
  type: symbol;
  info: T;
}

export interface ReferenceTracker {
  iterateGlobalReferences<T>(traceMap: TraceMap<T>): IterableIterator<TrackedReference<T>>;
  iterateCjsReferences<T>(traceMap: TraceMap<T>): IterableIterator<TrackedReference<T>>;
  iterateEsmReferences<T>(traceMap: TraceMap<T>): IterableIterator<TrackedReference<T>>;
  iteratePropertyReferences<T>(node: TSESTree.Node, traceMap: TraceMap<T>): IterableIterator<TrackedReference<T>>;
}

const TrackerCtor = (eslintUtils as unknown as {
  ReferenceTracker: new (scope: TSESLint.Scope.Scope, options?: { mode?: 'strict' | 'legacy' }) => ReferenceTracker;
}).ReferenceTracker;

/**
 * A `ReferenceTracker` over the file's global scope (aliases, destructuring, `require` and `import` followed).
 *
 * `ReferenceTracker` only follows globals that exist in the global scope, and ESLint declares only the
 * ECMAScript built-ins there unless the user configures environment globals. Names in `implicitGlobals`
 * (`require`, `crypto`, `performance`, …) that the file uses without declaring are therefore added as
 * implicit global variables on a view of the scope (the scope itself is not modified).
 */
export function createReferenceTracker(globalScope: TSESLint.Scope.Scope, implicitGlobals: readonly string[] = []): ReferenceTracker {
  const missing = implicitGlobals.filter((name) => !globalScope.set.has(name));
  if (missing.length === 0) return new TrackerCtor(globalScope);
  const set = new Map<string, unknown>(globalScope.set);
  for (const name of missing) {
    const references = globalScope.through.filter((reference) => reference.identifier.name === name);
    if (references.length === 0) continue;
    set.set(name, { name, defs: [], references, identifiers: [], scope: globalScope } as unknown as never);
  }
  const view = Object.create(globalScope, { set: { value: set } }) as TSESLint.Scope.Scope;
  return new TrackerCtor(view);
}

const baseFindVariable = eslintUtils.findVariable as unknown as (
  scope: TSESLint.Scope.Scope,
  nameOrNode: string | TSESTree.Identifier,
) => TSESLint.Scope.Variable | null;

/**
 * `findVariable` from eslint-utils: the variable named like the identifier, visible from `scope`, or null.
 * `scope` must be the identifier's own scope (`sourceCode.getScope(id)`, as every caller passes). Given a node,
 * eslint-utils would first search all of `scope`'s child scopes for the innermost one holding it, which is
 * linear in the number of functions per lookup (quadratic per file); the name alone looks upward only.
 */
export function findVariable(scope: TSESLint.Scope.Scope, nameOrNode: string | TSESTree.Identifier): TSESLint.Scope.Variable | null {
  return baseFindVariable(scope, typeof nameOrNode === 'string' ? nameOrNode : nameOrNode.name);
}

/** `getPropertyName` from eslint-utils: the static name of a member/property key, or null. */
export const getPropertyName = eslintUtils.getPropertyName as unknown as (
  node: TSESTree.MemberExpression | TSESTree.Property | TSESTree.MethodDefinition | TSESTree.PropertyDefinition,
  scope?: TSESLint.Scope.Scope,
) => string | null;
