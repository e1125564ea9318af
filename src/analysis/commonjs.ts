import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '../eslint-utils.js';
import { unwrapExpression } from './ast.js';

type Node = TSESTree.Node;
type SourceCode = Readonly<TSESLint.SourceCode>;

/**
 * The CommonJS side of cross-module analysis, as syntax only (the values are computed by the module's
 * `Evaluator`): what a module assigns to `module.exports` / `exports`, and what a `require('./x').a.b` asks for.
 * Only the unambiguous shapes count: assignments written as statements at the top level of a module that has no
 * `import`/`export` syntax, with static keys, on the real `module` / `exports` (not local variables of that name).
 */

/** One `module.exports.X = …` / `exports.X = …` at the top level. */
export interface CommonJsProp {
  key: string;
  value: TSESTree.Expression;
  /** The property name in the assignment's target (`X` in `exports.X`): where the value is said to come from. */
  keyNode: Node;
}

export interface CommonJsExports {
  /** The last top-level `module.exports = …` (or TypeScript `export = …`), null when only properties are set. */
  whole: { value: TSESTree.Expression; keyNode: Node } | null;
  /** Properties assigned at the top level after `whole` (or all of them without one), in source order. */
  props: CommonJsProp[];
  /** Export assignments elsewhere (in a function or a branch) or with computed keys: other names may exist. */
  partial: boolean;
  /** The module marks itself `__esModule` (compiled from ES modules): a default import reads `exports.default`. */
  esModule: boolean;
}

const exportsCache = new WeakMap<object, CommonJsExports | null>();

/** Whether the module uses `import` / `export` declarations (then `module.exports` is not its interface). */
export function hasModuleSyntax(program: TSESTree.Program): boolean {
  return program.body.some(
    (statement) =>
      statement.type === AST_NODE_TYPES.ImportDeclaration ||
      statement.type === AST_NODE_TYPES.ExportNamedDeclaration ||
      statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ||
      statement.type === AST_NODE_TYPES.ExportAllDeclaration,
  );
}

/**
 * What a CommonJS module exports, or null: the module has ES module syntax, assigns nothing to its exports, or
 * replaces `module.exports` somewhere other than a top-level statement (the interface is then not known).
 */
export function getCommonJsExports(sourceCode: SourceCode): CommonJsExports | null {
  const program = sourceCode.ast;
  if (exportsCache.has(program)) return exportsCache.get(program)!;
  const result = hasModuleSyntax(program) ? null : collectCommonJsExports(sourceCode);
  exportsCache.set(program, result);
  return result;
}

type Event =
  | { kind: 'whole'; at: number; value: TSESTree.Expression; keyNode: Node; keepsExports: boolean }
  | { kind: 'prop'; at: number; key: string; value: TSESTree.Expression; keyNode: Node; viaExports: boolean };

function collectCommonJsExports(sourceCode: SourceCode): CommonJsExports | null {
  const events: Event[] = [];
  let partial = false;
  let esModule = false;
  let ambiguous = false;

  for (const statement of sourceCode.ast.body) {
    if (statement.type === AST_NODE_TYPES.TSExportAssignment) {
      events.push({ kind: 'whole', at: statement.range[0], value: statement.expression, keyNode: statement, keepsExports: false });
    }
  }
  const onTarget = (target: Node, kind: 'module.exports' | 'exports') => {
    // `target` is `module.exports` or `exports`; what is done with it?
    const parent = target.parent;
    if (!parent) return;
    if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.left === target) {
      if (kind === 'exports') return; // `exports = …` only rebinds the local name
      if (parent.operator !== '=') return void (ambiguous = true);
      const statementAt = getTopLevelStatementStart(parent);
      if (statementAt === null) return void (ambiguous = true);
      events.push({ kind: 'whole', at: parent.range[0], value: parent.right, keyNode: getMemberKeyNode(target), keepsExports: assignsExportsToo(parent) });
      return;
    }
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === target) {
      const key = getStaticMemberKey(parent);
      const assignment = parent.parent;
      if (assignment?.type !== AST_NODE_TYPES.AssignmentExpression || assignment.left !== parent) return;
      if (key === '__esModule') return void (esModule = true);
      if (key === null || assignment.operator !== '=' || getTopLevelStatementStart(assignment) === null) return void (partial = true);
      events.push({ kind: 'prop', at: assignment.range[0], key, value: assignment.right, keyNode: parent.property, viaExports: kind === 'exports' });
      return;
    }
    // `Object.defineProperty(exports, '__esModule', { value: true })` and `Object.defineProperty(exports, 'X', …)`
    if (parent.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === target) {
      const key = parent.arguments[1];
      if (key?.type === AST_NODE_TYPES.Literal && key.value === '__esModule') esModule = true;
      else partial = true;
    }
  };

  for (const id of getGlobalReferences(sourceCode, 'module')) {
    const member = id.parent;
    if (member?.type === AST_NODE_TYPES.MemberExpression && member.object === id && getStaticMemberKey(member) === 'exports') onTarget(member, 'module.exports');
  }
  for (const id of getGlobalReferences(sourceCode, 'exports')) onTarget(id, 'exports');

  if (ambiguous || events.length === 0) return null; // nothing known: every import from it stays unknown
  events.sort((a, b) => a.at - b.at);
  let whole: CommonJsExports['whole'] = null;
  let exportsAttached = true;
  let props: CommonJsProp[] = [];
  for (const event of events) {
    if (event.kind === 'whole') {
      whole = { value: event.value, keyNode: event.keyNode };
      props = [];
      exportsAttached = event.keepsExports;
    } else if (!event.viaExports || exportsAttached) {
      props.push({ key: event.key, value: event.value, keyNode: event.keyNode });
    }
  }
  return { whole, props, partial, esModule };
}

/** A parsed `require('./x')`, `require('./x').a.b`: the specifier and the keys read from the result. */
export interface RequireCall {
  specifier: string;
  /** Keys read from the module's value, outermost last; null for a key that is not static. */
  keys: Array<string | null>;
}

/** `require('<literal>')` and member reads of it, when `require` is the global one; null otherwise. */
export function getRequireCall(node: Node, sourceCode: SourceCode): RequireCall | null {
  const keys: Array<string | null> = [];
  let current = unwrapExpression(node);
  while (current.type === AST_NODE_TYPES.MemberExpression) {
    keys.unshift(getStaticMemberKey(current));
    current = unwrapExpression(current.object);
  }
  if (current.type !== AST_NODE_TYPES.CallExpression || current.callee.type !== AST_NODE_TYPES.Identifier || current.callee.name !== 'require') return null;
  const argument = current.arguments[0];
  if (current.arguments.length !== 1 || argument.type !== AST_NODE_TYPES.Literal || typeof argument.value !== 'string') return null;
  if (findVariable(sourceCode.getScope(current.callee), current.callee)?.defs.length) return null; // a local `require`
  return { specifier: argument.value, keys };
}

/** The static key of `a.b` / `a['b']`, or null. */
function getStaticMemberKey(member: TSESTree.MemberExpression): string | null {
  if (!member.computed) return member.property.type === AST_NODE_TYPES.Identifier ? member.property.name : null;
  const property = member.property;
  if (property.type === AST_NODE_TYPES.Literal && (typeof property.value === 'string' || typeof property.value === 'number')) return String(property.value);
  if (property.type === AST_NODE_TYPES.TemplateLiteral && property.expressions.length === 0) return property.quasis[0].value.cooked ?? null;
  return null;
}

function getMemberKeyNode(target: Node): Node {
  return target.type === AST_NODE_TYPES.MemberExpression ? target.property : target;
}

/**
 * The start of the top-level statement an assignment is (`module.exports = x;`, also chained as
 * `module.exports = exports = x;` or `exports = module.exports = x;`), or null when it sits anywhere else.
 */
function getTopLevelStatementStart(assignment: TSESTree.AssignmentExpression): number | null {
  let current: Node = assignment;
  while (current.parent?.type === AST_NODE_TYPES.AssignmentExpression && current.parent.right === current) current = current.parent;
  const statement = current.parent;
  return statement?.type === AST_NODE_TYPES.ExpressionStatement && statement.parent?.type === AST_NODE_TYPES.Program ? statement.range[0] : null;
}

/** `module.exports = exports = …` / `exports = module.exports = …`: `exports.X` still writes into the exports. */
function assignsExportsToo(assignment: TSESTree.AssignmentExpression): boolean {
  const isExports = (node: Node) => node.type === AST_NODE_TYPES.Identifier && node.name === 'exports';
  let current: Node = assignment;
  while (current.type === AST_NODE_TYPES.AssignmentExpression) {
    if (isExports(current.left)) return true;
    current = current.right;
  }
  current = assignment;
  while (current.parent?.type === AST_NODE_TYPES.AssignmentExpression && current.parent.right === current) {
    current = current.parent;
    if (isExports((current as TSESTree.AssignmentExpression).left)) return true;
  }
  return false;
}

/** References to the global `name` (unresolved, or to a configured global without declarations), in source order. */
function getGlobalReferences(sourceCode: SourceCode, name: string): TSESTree.Identifier[] {
  const globalScope = sourceCode.scopeManager?.globalScope;
  if (!globalScope) return [];
  const ids: TSESTree.Identifier[] = [];
  for (const reference of globalScope.through) {
    if (reference.identifier.type === AST_NODE_TYPES.Identifier && reference.identifier.name === name) ids.push(reference.identifier);
  }
  const variable = globalScope.set.get(name);
  if (variable && variable.defs.length === 0) {
    for (const reference of variable.references) if (reference.identifier.type === AST_NODE_TYPES.Identifier) ids.push(reference.identifier);
  }
  return ids.sort((a, b) => a.range[0] - b.range[0]);
}
