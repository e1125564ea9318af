import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

/** The wrappers {@link unwrapExpression} strips. */
type Wrapper =
  | TSESTree.TSAsExpression
  | TSESTree.TSSatisfiesExpression
  | TSESTree.TSNonNullExpression
  | TSESTree.TSTypeAssertion
  | TSESTree.TSInstantiationExpression
  | TSESTree.ChainExpression;

function isWrapper(node: TSESTree.Node): node is Wrapper {
  switch (node.type) {
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSSatisfiesExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSTypeAssertion:
    case AST_NODE_TYPES.TSInstantiationExpression:
    case AST_NODE_TYPES.ChainExpression:
      return true;
    default:
      return false;
  }
}

/** Strips `as`, `satisfies`, `!`, `<T>x` and optional-chain wrappers: the expression that produces the value. */
export function unwrapExpression(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (isWrapper(current)) current = current.expression;
  return current;
}

/**
 * The inverse of {@link unwrapExpression}: the outermost of the wrappers around `node` (`node` itself when it has
 * none), so that `wrapExpression(x).parent` is where the value of `x` is used.
 */
export function wrapExpression(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (current.parent && isWrapper(current.parent) && current.parent.expression === current) current = current.parent;
  return current;
}

export function isFunctionNode(node: TSESTree.Node | undefined | null): node is FunctionNode {
  return (
    !!node &&
    (node.type === AST_NODE_TYPES.FunctionDeclaration ||
      node.type === AST_NODE_TYPES.FunctionExpression ||
      node.type === AST_NODE_TYPES.ArrowFunctionExpression)
  );
}

/** The nearest function that contains `node` (not `node` itself), or null at module level. */
export function getEnclosingFunction(node: TSESTree.Node): FunctionNode | null {
  let current = node.parent;
  while (current) {
    if (isFunctionNode(current)) return current;
    current = current.parent;
  }
  return null;
}

/** Whether `inner` lies inside `outer` (or is it). */
export function isWithin(inner: TSESTree.Node, outer: TSESTree.Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

/** The static key of an object property (`a`, `'a'`, `['a']`, `[0]`), or null when computed. */
export function getStaticKey(property: TSESTree.Property | TSESTree.PropertyDefinition): string | null {
  const key = property.key;
  if (!property.computed) {
    if (key.type === AST_NODE_TYPES.Identifier) return key.name;
    if (key.type === AST_NODE_TYPES.Literal) return String(key.value);
    if (key.type === AST_NODE_TYPES.PrivateIdentifier) return null;
  } else if (key.type === AST_NODE_TYPES.Literal) {
    return String(key.value);
  } else if (key.type === AST_NODE_TYPES.TemplateLiteral && key.expressions.length === 0) {
    return key.quasis[0].value.cooked ?? null;
  }
  return null;
}

/**
 * The dotted path of a member chain (`client.beta.messages.create` → `['client','beta','messages','create']`),
 * with `this` spelled `this`, or null when a part is computed dynamically or the root is not a name.
 */
export function getMemberPath(node: TSESTree.Node): string[] | null {
  const path: string[] = [];
  let current: TSESTree.Node = unwrapExpression(node);
  for (;;) {
    if (current.type === AST_NODE_TYPES.MemberExpression) {
      const property = current.property;
      if (!current.computed && property.type === AST_NODE_TYPES.Identifier) path.unshift(property.name);
      else if (current.computed && property.type === AST_NODE_TYPES.Literal) path.unshift(String(property.value));
      else return null;
      current = unwrapExpression(current.object);
    } else if (current.type === AST_NODE_TYPES.Identifier) {
      path.unshift(current.name);
      return path;
    } else if (current.type === AST_NODE_TYPES.ThisExpression) {
      path.unshift('this');
      return path;
    } else if (current.type === AST_NODE_TYPES.CallExpression) {
      // `client().messages` or `getClient().messages`: keep the name, marked as a call
      const inner = getMemberPath(current.callee);
      if (!inner) return null;
      inner[inner.length - 1] += '()';
      path.unshift(...inner);
      return path;
    } else {
      return null;
    }
  }
}

/** Splits an identifier into lower-case words: `currentUserId` → `['current','user','id']`, `USER_ID` → `['user','id']`. */
export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/**
 * The `return` statements of a function's own body (not of nested functions), in source order. Iterative, so
 * deeply nested blocks cannot overflow the stack.
 */
export function getReturnStatements(fn: FunctionNode): TSESTree.ReturnStatement[] {
  if (!fn.body || fn.body.type !== AST_NODE_TYPES.BlockStatement) return [];
  const out: TSESTree.ReturnStatement[] = [];
  const stack: TSESTree.Node[] = [...fn.body.body].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    switch (node.type) {
      case AST_NODE_TYPES.ReturnStatement:
        out.push(node);
        break;
      case AST_NODE_TYPES.BlockStatement:
      case AST_NODE_TYPES.StaticBlock:
        stack.push(...[...node.body].reverse());
        break;
      case AST_NODE_TYPES.IfStatement:
        if (node.alternate) stack.push(node.alternate);
        stack.push(node.consequent);
        break;
      case AST_NODE_TYPES.TryStatement:
        if (node.finalizer) stack.push(node.finalizer);
        if (node.handler) stack.push(node.handler.body);
        stack.push(node.block);
        break;
      case AST_NODE_TYPES.SwitchStatement:
        for (const switchCase of [...node.cases].reverse()) stack.push(...[...switchCase.consequent].reverse());
        break;
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
      case AST_NODE_TYPES.LabeledStatement:
        stack.push(node.body);
        break;
      default:
        break;
    }
  }
  return out;
}
