import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import { getEnclosingFunction, isWithin, unwrapExpression } from './ast.js';
import { classifyUnknown, isComputedPerRequest } from './prefix.js';
import type { PromptRequest, Segment } from './request.js';
import { type Part, viaToArray } from './values.js';

/**
 * Where a piece of prompt text comes from, as far as caching is concerned:
 * - `static`: literal text, known at lint time;
 * - `once`: computed once, not per request (a module-level binding, a prompt file read at module level,
 *   a value captured from a factory or constructor);
 * - `per-request`: recomputed or different on each request (a clock or random value, per-user data, a
 *   parameter of the function that makes the request, the conversation history);
 * - `unknown`: cannot tell (an import, a global, a call that cannot be followed): rules stay silent.
 */
export type Stability = 'static' | 'once' | 'per-request' | 'unknown';

const NO_OPTIONS = { volatileCalls: [], userObjects: [] };

/** Stability of one part of a segment's text. */
export function getPartStability(part: Part, request: PromptRequest): Stability {
  if (part.kind === 'text') return 'static';
  if (part.kind === 'volatile') return isComputedPerRequest(part, request) ? 'per-request' : 'once';
  if (viaToArray(part.via).some((hop) => hop.kind === 'reference' && hop.declaredIn === null) && request.fn !== null) return 'once';
  if (classifyUnknown(part, NO_OPTIONS) && isComputedPerRequest(part, request)) return 'per-request';
  if (part.reason === 'parameter') return isRequestParameter(part, request) ? 'per-request' : 'once';
  if (part.branches) return combine(part.branches.flat().map((p) => getPartStability(p, request)));
  return 'unknown';
}

/** Stability of a whole segment: the least stable of its parts (`per-request` > `unknown` > `once` > `static`). */
export function getSegmentStability(segment: Segment, request: PromptRequest): Stability {
  if (segment.opaque && segment.section === 'messages' && segment.parts.every((part) => part.kind === 'unknown' && part.reason === 'dynamic')) {
    return 'per-request'; // `...history`, `messages.map(...)`: the conversation
  }
  return combine(segment.parts.map((part) => getPartStability(part, request)));
}

function combine(values: Stability[]): Stability {
  if (values.includes('per-request')) return 'per-request';
  if (values.includes('unknown')) return 'unknown';
  if (values.includes('once')) return 'once';
  return 'static';
}

/**
 * Whether an identifier is a parameter of the function making the request (or of a function whose
 * callback makes it, such as a route handler around `retry(() => …)`): such a value differs per call.
 */
function isRequestParameter(part: Part, request: PromptRequest): boolean {
  if (part.kind !== 'unknown' || !request.fn) return false;
  // `input`, `input.question`, `turns[0]`, `opts.get()`: the root identifier names the parameter
  let node: TSESTree.Node = unwrapExpression(part.node);
  for (;;) {
    if (node.type === AST_NODE_TYPES.MemberExpression) node = unwrapExpression(node.object);
    else if (node.type === AST_NODE_TYPES.CallExpression) node = unwrapExpression(node.callee);
    else break;
  }
  if (node.type !== AST_NODE_TYPES.Identifier) return false;
  const param = findParameter(node);
  const declaredIn = param ? getEnclosingFunction(param) : null;
  if (!declaredIn) return false;
  return declaredIn === request.fn || isWithin(request.fn, declaredIn);
}

/** The parameter (pattern) of the nearest enclosing function that declares `identifier`'s name. */
function findParameter(identifier: TSESTree.Identifier): TSESTree.Node | null {
  let current: TSESTree.Node | undefined = identifier.parent;
  while (current) {
    if (
      (current.type === AST_NODE_TYPES.FunctionDeclaration ||
        current.type === AST_NODE_TYPES.FunctionExpression ||
        current.type === AST_NODE_TYPES.ArrowFunctionExpression) &&
      current.params.some((param) => declares(param, identifier.name))
    ) {
      return current.params.find((param) => declares(param, identifier.name)) ?? null;
    }
    current = current.parent;
  }
  return null;
}

function declares(pattern: TSESTree.Node, name: string): boolean {
  switch (pattern.type) {
    case AST_NODE_TYPES.Identifier:
      return pattern.name === name;
    case AST_NODE_TYPES.AssignmentPattern:
      return declares(pattern.left, name);
    case AST_NODE_TYPES.RestElement:
      return declares(pattern.argument, name);
    case AST_NODE_TYPES.ObjectPattern:
      return pattern.properties.some((p) => declares(p.type === AST_NODE_TYPES.Property ? p.value : p, name));
    case AST_NODE_TYPES.ArrayPattern:
      return pattern.elements.some((e) => !!e && declares(e, name));
    case AST_NODE_TYPES.TSParameterProperty:
      return declares(pattern.parameter, name);
    default:
      return false;
  }
}

