import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import { type FunctionNode, isFunctionNode, isWithin } from './ast.js';
import { classifyUnknown, isCallbackChain, isComputedPerRequest } from './prefix.js';
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
  if (part.reason === 'parameter') return getParameterStability(part, request);
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
 * Stability of a value that comes from a parameter (`input`, `input.question`, an element of `turns`): the
 * parameter of the request's function, or of a function it is a callback of, differs per request; one of an
 * enclosing factory is fixed per session (`once`). Found by the parameter's name (the value path's root) from
 * where the value is read; `unknown` when no such parameter encloses it.
 */
function getParameterStability(part: Part, request: PromptRequest): Stability {
  const name = part.kind === 'unknown' ? part.path?.[0] : undefined;
  if (!name || !request.fn) return 'unknown';
  const fn = findParameterFunction(part.node, name);
  if (!fn) return 'unknown';
  if (fn === request.fn) return 'per-request';
  if (isWithin(request.fn, fn)) return isCallbackChain(request.fn, fn) ? 'per-request' : 'once';
  return 'unknown';
}

/** The nearest function around `node` that declares a parameter called `name`. */
function findParameterFunction(node: TSESTree.Node, name: string): FunctionNode | null {
  for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
    if (isFunctionNode(current) && current.params.some((param) => declares(param, name))) return current;
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

