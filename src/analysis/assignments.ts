import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { getEnclosingFunction, isFunctionNode, isWithin } from './ast.js';

type Node = TSESTree.Node;
type Variable = TSESLint.Scope.Variable;

/** Methods whose callback runs once per element (a write in it repeats like a write in a loop body). */
const ITERATION_METHODS = new Set(['forEach', 'map', 'flatMap']);

/** Most writes of one variable that are followed (a longer history is treated as unknown). */
const MAX_WRITES = 200;

/** A write of a `let` / `var` variable: `prompt = …` or `prompt += …`. */
export interface Write {
  node: TSESTree.AssignmentExpression;
  operator: '=' | '+=';
  /**
   * Loops between the variable's declaration and the write, innermost first: loop statements, or the
   * callbacks of `forEach` / `map` / `flatMap` calls.
   */
  loops: Node[];
  /** The write runs only under a condition (`if`, `?:`, `&&`, `switch`, `catch`) below the declaration. */
  conditional: boolean;
}

/**
 * The writes of `variable` that run before `reference` reads it, in source order, when they can be followed:
 * one declaration, read and written in the function that declares it (or in iteration callbacks inside it),
 * and every write a plain `=` or `+=`. Null otherwise (`x++`, `x ??= …`, a write in another function, a
 * read inside a loop that also writes it): the value is then unknown.
 */
export function getPrecedingWrites(variable: Variable, reference: TSESTree.Identifier): Write[] | null {
  if (variable.defs.length !== 1 || variable.defs[0].type !== 'Variable') return null;
  const declarator = variable.defs[0].node as TSESTree.VariableDeclarator;
  if (declarator.id !== variable.defs[0].name) return null;
  const home = getEnclosingFunction(declarator);
  if (getEnclosingFunction(reference) !== home) return null;
  const writes: Write[] = [];
  for (const ref of variable.references) {
    if (!ref.isWrite() || ref.init) continue;
    const id = ref.identifier as Node;
    const assignment = id.parent;
    if (assignment?.type !== AST_NODE_TYPES.AssignmentExpression || assignment.left !== id) return null;
    if (assignment.operator !== '=' && assignment.operator !== '+=') return null;
    const placement = placeWrite(assignment, declarator, home);
    if (!placement) return null;
    // A read inside a loop that also writes the variable sees the writes of earlier iterations.
    if (placement.loops.some((loop) => isWithin(reference, loop)) && !isWithin(reference, assignment)) return null;
    if (assignment.range[0] < reference.range[0] && !isWithin(reference, assignment)) {
      writes.push({ node: assignment, operator: assignment.operator, ...placement });
    }
    if (writes.length > MAX_WRITES) return null;
  }
  return writes.sort((a, b) => a.node.range[0] - b.node.range[0]);
}

/** Loops and conditions between the write and the declaration; null when the write is in another function. */
function placeWrite(write: Node, declarator: Node, home: Node | null): { loops: Node[]; conditional: boolean } | null {
  const loops: Node[] = [];
  let conditional = false;
  let child: Node = write;
  let current: Node | undefined = write.parent;
  while (current && !isWithin(declarator, current)) {
    switch (current.type) {
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
        loops.push(current);
        break;
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.ConditionalExpression:
        if (child !== current.test) conditional = true;
        break;
      case AST_NODE_TYPES.LogicalExpression:
        if (child === current.right) conditional = true;
        break;
      case AST_NODE_TYPES.SwitchCase:
      case AST_NODE_TYPES.CatchClause:
        conditional = true;
        break;
      default:
        if (isFunctionNode(current)) {
          if (current === home) return null;
          const call = current.parent;
          const callee = call?.type === AST_NODE_TYPES.CallExpression && call.arguments[0] === current ? call.callee : null;
          const method = callee?.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : null;
          if (!method || !ITERATION_METHODS.has(method)) return null;
          loops.push(current);
        }
    }
    child = current;
    current = current.parent;
  }
  return current ? { loops, conditional } : null;
}
