import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '../eslint-utils.js';
import { getEnclosingFunction } from './ast.js';
import { visitExpression } from './rebuilt-text.js';

type Node = TSESTree.Node;
type SourceCode = Readonly<TSESLint.SourceCode>;

/** A mechanical move of `const name = …` from a function body to module scope. */
export interface ModuleHoist {
  /** The declared name. */
  name: string;
  /** The declaration inside the function. */
  declaration: TSESTree.VariableDeclaration;
  fix: TSESLint.ReportFixFunction;
}

/** Globals an initializer may read at module level (their value does not depend on when the module loads). */
const SAFE_GLOBALS = new Set(['__dirname', '__filename', 'URL', 'undefined', 'NaN', 'Infinity']);

/** Methods an initializer may call: they only build text or arrays from their receiver and arguments. */
const PURE_METHODS = new Set([
  'join', 'concat', 'replace', 'replaceAll', 'trim', 'trimStart', 'trimEnd', 'trimLeft', 'trimRight', 'toUpperCase',
  'toLowerCase', 'padStart', 'padEnd', 'repeat', 'slice', 'substring', 'normalize', 'toString',
]);

/**
 * How to move the `const` declaration whose initializer is `node` to module scope, right before the
 * top-level statement that holds the function (and its leading comments), or null when that is not certainly
 * safe. Required: a single-declarator `const` with a plain name, alone on its lines, in a function body; an
 * initializer made of literals, templates, operators, array/object literals, pure string/array methods and
 * calls `isAllowedCall` accepts, that reads only imports, a few globals (`__dirname`) and module-level
 * bindings that are never reassigned and are declared before the insertion point; and a name that no
 * enclosing scope declares and no code reads as a global.
 */
export function getModuleHoist(sourceCode: SourceCode, node: Node, isAllowedCall: (call: TSESTree.CallExpression) => boolean): ModuleHoist | null {
  let top: Node = node;
  while (
    top.parent &&
    (top.parent.type === AST_NODE_TYPES.TSAsExpression || top.parent.type === AST_NODE_TYPES.TSSatisfiesExpression || top.parent.type === AST_NODE_TYPES.TSNonNullExpression)
  ) {
    top = top.parent;
  }
  const declarator = top.parent;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== top || declarator.id.type !== AST_NODE_TYPES.Identifier) return null;
  const declaration = declarator.parent;
  if (declaration?.type !== AST_NODE_TYPES.VariableDeclaration || declaration.kind !== 'const' || declaration.declarations.length !== 1) return null;
  if (declaration.parent?.type !== AST_NODE_TYPES.BlockStatement || !getEnclosingFunction(declaration)) return null;
  const name = declarator.id.name;

  const statement = getTopLevelStatement(declaration);
  if (!statement) return null;
  const insertAt = sourceCode.getCommentsBefore(statement)[0]?.range[0] ?? statement.range[0];
  const text = sourceCode.text;
  if (insertAt !== 0 && text[insertAt - 1] !== '\n') return null; // not at the start of a line

  if (!isSafeInitializer(declarator.init, sourceCode, insertAt, isAllowedCall)) return null;
  if (!isFreeAtModuleLevel(name, declaration, sourceCode)) return null;
  if (isUsedBeforeAtTopLevel(statement, insertAt, sourceCode)) return null;

  const lineStart = text.lastIndexOf('\n', declaration.range[0] - 1) + 1;
  const newline = text.indexOf('\n', declaration.range[1]);
  const lineEnd = newline === -1 ? text.length : newline;
  if (text.slice(lineStart, declaration.range[0]).trim() !== '' || text.slice(declaration.range[1], lineEnd).trim() !== '') return null;
  const removeEnd = newline === -1 ? text.length : newline + 1;
  const comments = getOwnLineCommentsAbove(declaration, lineStart, sourceCode);
  const removeStart = comments.length > 0 ? text.lastIndexOf('\n', comments[0].range[0] - 1) + 1 : lineStart;
  const moved = `${comments.map((comment) => `${sourceCode.getText(comment as never)}\n`).join('')}const ${sourceCode.getText(declarator)};\n\n`;
  return {
    name,
    declaration,
    fix: (fixer) => [fixer.insertTextBeforeRange([insertAt, insertAt], moved), fixer.removeRange([removeStart, removeEnd])],
  };
}

/**
 * The comments right above the declaration that move with it: each alone on its lines, with no blank line
 * between them or before the declaration (`// read once` above `const x = …`).
 */
function getOwnLineCommentsAbove(declaration: Node, lineStart: number, sourceCode: SourceCode): TSESTree.Comment[] {
  const text = sourceCode.text;
  const comments = sourceCode.getCommentsBefore(declaration);
  const moved: TSESTree.Comment[] = [];
  let next = lineStart; // start of the line below the comment being looked at
  for (let i = comments.length - 1; i >= 0; i--) {
    const comment = comments[i];
    const start = text.lastIndexOf('\n', comment.range[0] - 1) + 1;
    if (text.slice(start, comment.range[0]).trim() !== '' || text.slice(comment.range[1], next).trim() !== '') break;
    if (text.slice(comment.range[1], next).split('\n').length > 2) break; // a blank line in between
    moved.unshift(comment);
    next = start;
  }
  return moved;
}

/** The statement directly in `Program.body` that contains `node`. */
function getTopLevelStatement(node: Node): Node | null {
  let current: Node = node;
  while (current.parent && current.parent.type !== AST_NODE_TYPES.Program) current = current.parent;
  return current.parent ? current : null;
}

function isSafeInitializer(init: Node, sourceCode: SourceCode, insertAt: number, isAllowedCall: (call: TSESTree.CallExpression) => boolean): boolean {
  let safe = true;
  visitExpression(init, sourceCode, (node) => {
    if (!safe) return false;
    switch (node.type) {
      case AST_NODE_TYPES.Literal:
      case AST_NODE_TYPES.TemplateLiteral:
      case AST_NODE_TYPES.TemplateElement:
      case AST_NODE_TYPES.TaggedTemplateExpression:
      case AST_NODE_TYPES.MemberExpression:
      case AST_NODE_TYPES.ChainExpression:
      case AST_NODE_TYPES.BinaryExpression:
      case AST_NODE_TYPES.LogicalExpression:
      case AST_NODE_TYPES.ConditionalExpression:
      case AST_NODE_TYPES.UnaryExpression:
      case AST_NODE_TYPES.ArrayExpression:
      case AST_NODE_TYPES.ObjectExpression:
      case AST_NODE_TYPES.Property:
      case AST_NODE_TYPES.SpreadElement:
      case AST_NODE_TYPES.MetaProperty:
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
        return node.type !== AST_NODE_TYPES.MetaProperty; // `import.meta`: nothing to check inside
      case AST_NODE_TYPES.CallExpression: {
        const callee = node.callee;
        const pureMethod = callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier && PURE_METHODS.has(callee.property.name);
        safe = pureMethod || isAllowedCall(node);
        return safe;
      }
      case AST_NODE_TYPES.NewExpression:
        safe = node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === 'URL';
        return safe;
      case AST_NODE_TYPES.Identifier:
        safe = isModuleLevelReference(node, sourceCode, insertAt);
        return false;
      default:
        safe = false;
        return false;
    }
  });
  return safe;
}

/** A read of an import, a safe global, or a never-reassigned module-level binding declared before `insertAt`. */
function isModuleLevelReference(identifier: TSESTree.Identifier, sourceCode: SourceCode, insertAt: number): boolean {
  const variable = findVariable(sourceCode.getScope(identifier), identifier);
  if (!variable || variable.defs.length === 0) return SAFE_GLOBALS.has(identifier.name);
  if (variable.scope.block.type !== AST_NODE_TYPES.Program) return false; // module, global or CommonJS top-level scope
  const def = variable.defs[0];
  if (def.type === 'ImportBinding') return true;
  if (variable.references.some((reference) => reference.isWrite() && !reference.init)) return false;
  return def.name.range[1] <= insertAt;
}

/** No scope between the declaration and the module declares `name`, and no code reads it as a global. */
function isFreeAtModuleLevel(name: string, declaration: Node, sourceCode: SourceCode): boolean {
  const globalScope = sourceCode.scopeManager?.globalScope;
  if (!globalScope) return false;
  for (let scope = sourceCode.getScope(declaration).upper; scope; scope = scope.upper) {
    if (scope.set.has(name)) return false;
  }
  return !globalScope.through.some((reference) => reference.identifier.name === name);
}

/**
 * The statement holds a function declaration that module-level code calls before `insertAt` (`main();` above
 * `async function main`): the moved constant would not be initialized yet.
 */
function isUsedBeforeAtTopLevel(statement: Node, insertAt: number, sourceCode: SourceCode): boolean {
  const declared = sourceCode.getDeclaredVariables(statement.type === AST_NODE_TYPES.ExportNamedDeclaration || statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ? (statement.declaration ?? statement) : statement);
  return declared.some((variable) =>
    variable.references.some((reference) => reference.identifier.range[0] < insertAt && getEnclosingFunction(reference.identifier as Node) === null),
  );
}
