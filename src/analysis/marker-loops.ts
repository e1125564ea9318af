import { AST_NODE_TYPES, AST_TOKEN_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '../eslint-utils.js';
import { type FunctionNode, getReturnStatements, isFunctionNode, isWithin, unwrapExpression } from './ast.js';
import { type MarkerKind, getMarkerKind } from './cache-control.js';
import type { Evaluator } from './evaluate.js';
import { perFile } from './per-file-cache.js';
import { type PromptRequest, getFileAnalysis } from './request.js';
import { itemAt } from './request-sites.js';
import type { ObjectProp, ObjectValue, Value } from './values.js';

type Node = TSESTree.Node;
type SourceCode = Readonly<TSESLint.SourceCode>;
type Variable = TSESLint.Scope.Variable;

/**
 * How many times a loop body (or an iteration callback) runs:
 * - `fixed`: at most `max` times (`for (let i = 0; i < 2; i++)`, `xs.slice(-2)`, a literal array); `exact` when
 *   the evaluator knows every item, so the core already lays the items out one by one as segments;
 * - `unbounded`: once per item of an array whose length is not known (`history`, `m.content`, `xs.slice(1)`);
 * - `unknown`: cannot tell (`while (…)`, `i < n` with an unknown `n`, `slice(-n)`).
 */
export type IterationCount = { kind: 'fixed'; max: number; exact: boolean } | { kind: 'unbounded' } | { kind: 'unknown' };

/** A loop statement or an iteration call (`xs.map(cb)`, `xs.flatMap(cb)`, `xs.forEach(cb)`). */
export interface Iteration {
  /** The loop statement, or the iteration call. */
  node: Node;
  /** The array iterated (`xs` of `for (const x of xs)`, `xs.map(…)`, `i < xs.length`), when there is one. */
  array: Node | null;
  count: IterationCount;
  /**
   * The loop also sends the request (an agent / chat loop) and the marked item is kept in an array declared
   * outside the loop (`messages.push(…)`): one more marker per turn. `array` is then that array.
   */
  perTurn: boolean;
}

/**
 * How the marker is made (`cache_control` stands for any marker; in the AI SDK, `providerOptions`):
 * - `template`: a `cache_control` property in the object a `.map()` / `.flatMap()` callback returns (also in
 *   one branch of `i === last ? { ...m, cache_control } : m`);
 * - `pushed`: a marked block pushed into an array in a loop (`blocks.push({ …, cache_control })`);
 * - `assignment`: `x.cache_control = {…}` (`x.providerOptions = {…}`) in a loop body or an iteration callback.
 */
export type MarkerLoopSource = 'template' | 'pushed' | 'assignment';

/**
 * A marker made once per iteration of one or more loops, for one request: `cache_control`, or the AI SDK's
 * `providerOptions.anthropic.cacheControl` / `providerOptions.bedrock.cachePoint`.
 */
export interface MarkerLoop {
  /**
   * The marker: the `cache_control` (`cacheControl`, `cachePoint`) property, the `providerOptions` property that
   * holds a shared marker, or the `x.cache_control = …` (`x.providerOptions = …`) assignment.
   */
  node: Node;
  source: MarkerLoopSource;
  /** How the marker is written (for messages). */
  kind: MarkerKind;
  /** The request the marked blocks end up in. */
  request: PromptRequest;
  /** The loops that multiply the marker within `request`, innermost first (never empty). */
  iterations: Iteration[];
  /**
   * The marker is made only under a condition: an `if` / `?:` / `&&` around it or around its value, or an
   * early `continue` / `break` / `return` in the loop body (`if (i !== last) continue`). Its count is then
   * unknown (usually the "mark the last item" pattern).
   */
  conditional: boolean;
  /** The value is certainly a marker object (an object literal or a const holding one). */
  certain: boolean;
}

/** Cap on nodes visited while following what flows into the requests of one file (precision-safe: less reach, fewer reports). */
export const MAX_REACH_NODES = 20_000;

const ITERATION_METHODS = new Set(['map', 'flatMap', 'forEach']);
/** Words one of which a file that makes markers contains (`providerOptions` alone: a shared marker object imported). */
const MARKER_WORDS = ['cache_control', 'cacheControl', 'cachePoint', 'providerOptions'];
/** Keys whose assignment may set (or clear) a marker: `x.cache_control = …`, `x.providerOptions = …`, `….anthropic.cacheControl = …`. */
const ASSIGNED_KEYS = ['cache_control', 'providerOptions', 'cacheControl', 'cachePoint'];
/** The AI SDK's provider-options keys (newest first), and where a marker sits in them. */
const OPTION_KEYS = ['providerOptions', 'providerMetadata', 'experimental_providerMetadata'];
const OPTION_MARKERS: ReadonlyArray<{ namespaces: readonly string[]; keys: readonly string[]; kind: MarkerKind }> = [
  { namespaces: ['anthropic'], keys: ['cacheControl', 'cache_control'], kind: 'cacheControl' },
  { namespaces: ['bedrock', 'amazonBedrock'], keys: ['cachePoint'], kind: 'bedrockCachePoint' },
];
const TEMPLATE_METHODS = new Set(['map', 'flatMap']);
/** Array methods whose result has at most as many items as their receiver. */
const SAME_OR_FEWER = new Set(['map', 'filter', 'entries', 'keys', 'values', 'reverse', 'toReversed', 'sort', 'toSorted']);
const SKIPPED_KEYS = new Set(['typeAnnotation', 'typeArguments', 'typeParameters', 'returnType', 'decorators']);

/**
 * Every marker of the file that is made once per item of a loop (or `.map` / `.forEach` callback) and ends
 * up in a request: templates of `.map()` callbacks (also over arrays the core cannot see, e.g. a parameter),
 * blocks pushed in loops (the core's `repeated` breakpoints), and `x.cache_control = {…}` assignments in
 * loop bodies; AI SDK provider-options markers alike (each marker only for the requests that read its kind).
 * Markers written in another module (an imported helper's template) are left to marker-helpers.ts. Loop
 * counts are tightened by what surrounds the marker (see `getMarkerWalk`). Computed once per file.
 *
 * What "ends up in a request" means (a deliberately narrow data flow, so unrelated loops stay silent): the
 * variables read by the request's parameters, the initialisers and later writes of those variables, values
 * pushed into them, values returned by local functions they call, and the arguments passed to parameters
 * they read (calls in the same file). `this.x` paths read by a request also count. An assignment is linked
 * when the object it marks, or an array one of its loops iterates, is one of those.
 *
 * Loops that contain the request call (a chat or agent loop) multiply a marker only when the marked item is
 * kept across turns in an array declared outside the loop, and only when the file never removes markers
 * (`delete x.cache_control`, `x.cache_control = undefined`, `{ cache_control, ...rest }`).
 */
export function getMarkerLoops(sourceCode: SourceCode): MarkerLoop[] {
  return perFile(sourceCode, 'marker-loops', () => {
    const { evaluator, requests } = getFileAnalysis(sourceCode);
    if (requests.length === 0 || !MARKER_WORDS.some((word) => sourceCode.text.includes(word))) return [];
    return new MarkerLoopFinder(sourceCode, evaluator, requests).find();
  });
}

/**
 * The upper bound of markers a loop marker adds to its request: the product of its loops' counts.
 * `null`: unbounded (an array of unknown length, or one per turn); `undefined`: unknown.
 */
export function getMarkerLoopCount(loop: MarkerLoop): number | null | undefined {
  let product = 1;
  let unknown = false;
  for (const iteration of loop.iterations) {
    if (iteration.count.kind === 'unbounded') return null;
    if (iteration.count.kind === 'unknown') unknown = true;
    else product *= iteration.count.max;
  }
  return unknown ? undefined : product;
}

/** The outermost loop whose count is unbounded (the array to name in messages), or null. */
export function getUnboundedIteration(loop: MarkerLoop): Iteration | null {
  for (let i = loop.iterations.length - 1; i >= 0; i--) if (loop.iterations[i].count.kind === 'unbounded') return loop.iterations[i];
  return null;
}

/** Loop finders used to analyse marker helpers, one per module evaluator (a module, for one linted file). */
const helperFinders = new WeakMap<Evaluator, MarkerLoopFinder>();

function getHelperFinder(sourceCode: SourceCode, evaluator: Evaluator): MarkerLoopFinder {
  let finder = helperFinders.get(evaluator);
  if (!finder) {
    finder = new MarkerLoopFinder(sourceCode, evaluator, []);
    helperFinders.set(evaluator, finder);
  }
  return finder;
}

/**
 * The loops that repeat the marker at `start`, innermost first, up to the first function that is not an
 * iteration callback; their counts are tightened by what surrounds the marker (an index test such as
 * `i === xs.length - 1`, `break` right after the marker, a counter in the loop test). For marker helpers:
 * `sourceCode` and `evaluator` are those of the module the marker is written in. `start` may be a marker
 * property, whose conditional value (`cache_control: last ? CC : undefined`) counts as a condition.
 */
export function getMarkerWalk(start: Node, sourceCode: SourceCode, evaluator: Evaluator): Walk {
  return getHelperFinder(sourceCode, evaluator).walkMarker(start);
}

/**
 * The markers in what the callback of `call` (`xs.map(cb)`, `xs.flatMap(cb)`) returns, each with its walk up
 * to the first function that is not an iteration callback (the call's own iteration included). `conditional`
 * also covers callbacks with several `return`s.
 */
export function getTemplateMarkers(call: TSESTree.CallExpression, sourceCode: SourceCode, evaluator: Evaluator): Array<FoundMarker & { walk: Walk }> {
  return getHelperFinder(sourceCode, evaluator).templateMarkers(call);
}

/** What flows into one request: variables, `this.x` paths and `.map` / `.flatMap` calls. */
interface Reach {
  variables: Set<Variable>;
  thisPaths: Set<string>;
  templateCalls: Set<TSESTree.CallExpression>;
}

/** The variable or `this.x` path an expression is rooted in. */
interface Root {
  variable: Variable | null;
  thisPath: string | null;
}

/** An `x.cache_control = …` assignment in a loop, analysed once for all requests. */
interface PreparedAssignment {
  node: TSESTree.AssignmentExpression;
  /** The marker the assignment sets (its kind and value). */
  marker: AssignedMarker;
  walk: Walk;
  target: MarkerTarget;
  roots: Root[];
}

/** Result of walking up from a marker to its enclosing loops. */
export interface Walk {
  iterations: Iteration[];
  conditional: boolean;
  /** The non-iteration function the walk stopped at (null: the module). */
  stoppedAt: FunctionNode | null;
  /** The conditions the marker is made under, innermost first (`negated`: made when the test is false). */
  conditions: Condition[];
}

/** A test the marker depends on: made when `test` is truthy (or falsy, when `negated`). */
export interface Condition {
  test: Node;
  negated: boolean;
}

type LoopStatement = TSESTree.ForStatement | TSESTree.ForOfStatement | TSESTree.ForInStatement | TSESTree.WhileStatement | TSESTree.DoWhileStatement;

interface MarkerTarget {
  /** The root variable of the assignment target (`m` in `m.content[0].cache_control`), or null (`this`, a call). */
  root: Variable | null;
  rootNode: Node;
  /** Variables used as indexes or arguments along the chain (`i` in `messages[i].cache_control`). */
  indexes: Variable[];
  /** The chain starts with `root.at(-k)` or `root[root.length - k]`: the newest item(s) of `root`. */
  newest: boolean;
  /** `this.x` path of the target's root, when it is a `this` member. */
  thisPath: string | null;
}

class MarkerLoopFinder {
  private budget = MAX_REACH_NODES;
  private readonly exits = new WeakMap<Node, { exits: boolean; returns: number }>();
  private clearsMarkers = false;
  private readonly sources = new Map<Variable, Node[]>();

  constructor(
    private readonly sourceCode: SourceCode,
    private readonly evaluator: Evaluator,
    private readonly requests: PromptRequest[],
  ) {}

  find(): MarkerLoop[] {
    const assignments = this.findAssignments().flatMap((node) => {
      const marker = getAssignedMarker(node, this.evaluator);
      if (!marker) return [];
      const walk = this.walkUp(node);
      if (walk.iterations.length === 0) return [];
      const roots = walk.iterations.flatMap((iteration) => (iteration.array ? [this.getRoot(iteration.array)] : []));
      return [{ node, marker, walk, target: this.getTarget(node.left as TSESTree.MemberExpression), roots }];
    });
    // Index by the variables / `this.x` paths that can link an assignment to a request.
    const byKey = new Map<Variable | string, PreparedAssignment[]>();
    for (const prepared of assignments) {
      const keys = new Set<Variable | string>();
      for (const root of [{ variable: prepared.target.root, thisPath: prepared.target.thisPath }, ...prepared.roots]) {
        if (root.variable) keys.add(root.variable);
        if (root.thisPath !== null) keys.add(root.thisPath);
      }
      for (const key of keys) byKey.set(key, [...(byKey.get(key) ?? []), prepared]);
    }
    const out: MarkerLoop[] = [];
    for (const request of this.requests) {
      const reach = this.reach(request);
      const seen = new Set<Node>();
      const add = (loop: MarkerLoop | null) => {
        // A marker written in another module (a helper's template the evaluator followed) is reported at the
        // helper call instead (marker-helpers.ts).
        if (!loop || seen.has(loop.node) || !isDescendant(loop.node, this.sourceCode.ast)) return;
        seen.add(loop.node);
        out.push(loop);
      };
      for (const call of reach.templateCalls) for (const loop of this.templates(call, request)) add(loop);
      for (const breakpoint of request.breakpoints) {
        if (!breakpoint.repeated || seen.has(breakpoint.node)) continue;
        add(this.repeated(breakpoint.node, request.segments[breakpoint.segmentIndex]?.node ?? null, breakpoint.certain, request, getMarkerKind(request, breakpoint)));
      }
      if (byKey.size === 0) continue;
      const linked = new Set<PreparedAssignment>();
      for (const key of [...reach.variables, ...reach.thisPaths]) for (const prepared of byKey.get(key) ?? []) linked.add(prepared);
      for (const prepared of [...linked].sort((a, b) => a.node.range[0] - b.node.range[0])) add(this.assignment(prepared, request));
    }
    return out;
  }

  // --- what flows into a request ----------------------------------------------------------------------

  private reach(request: PromptRequest): Reach {
    const reach: Reach = { variables: new Set(), thisPaths: new Set(), templateCalls: new Set() };
    const queue: Node[] = [request.site.paramsNode];
    const visited = new Set<Node>();
    const keys = this.sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
    while (queue.length > 0 && this.budget > 0) {
      const stack: Node[] = [queue.pop()!];
      while (stack.length > 0 && this.budget > 0) {
        const node = stack.pop()!;
        if (visited.has(node)) continue;
        visited.add(node);
        this.budget--;
        switch (node.type) {
          case AST_NODE_TYPES.Identifier:
            this.reachVariable(node, reach, queue);
            continue;
          case AST_NODE_TYPES.MemberExpression: {
            const object = unwrapExpression(node.object);
            if (object.type === AST_NODE_TYPES.ThisExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier) {
              reach.thisPaths.add(`this.${node.property.name}`);
            }
            stack.push(node.object);
            if (node.computed) stack.push(node.property);
            continue;
          }
          case AST_NODE_TYPES.Property:
            stack.push(node.value as Node);
            if (node.computed) stack.push(node.key);
            continue;
          case AST_NODE_TYPES.CallExpression: {
            const method = getMethodName(node);
            if (method && TEMPLATE_METHODS.has(method)) reach.templateCalls.add(node);
            break;
          }
          default:
            break;
        }
        for (const key of keys[node.type] ?? []) {
          if (SKIPPED_KEYS.has(key)) continue;
          const child = (node as unknown as Record<string, unknown>)[key];
          if (Array.isArray(child)) {
            for (const item of child) if (item && typeof (item as Node).type === 'string') stack.push(item as Node);
          } else if (child && typeof (child as Node).type === 'string') {
            stack.push(child as Node);
          }
        }
      }
    }
    return reach;
  }

  private reachVariable(id: TSESTree.Identifier, reach: Reach, queue: Node[]): void {
    const variable = findVariable(this.sourceCode.getScope(id), id);
    if (!variable || reach.variables.has(variable)) return;
    reach.variables.add(variable);
    queue.push(...this.getSources(variable));
  }

  /**
   * The expressions a variable's value comes from: its initialiser (a function's returned expressions), later
   * writes (`x = …`, `x.y = …`), values pushed into it, and the arguments its parameter receives. Memoised.
   */
  private getSources(variable: Variable): Node[] {
    const cached = this.sources.get(variable);
    if (cached) return cached;
    const sources: Node[] = [];
    for (const def of variable.defs) {
      const node = def.node as Node;
      if (def.type === 'Variable' && node.type === AST_NODE_TYPES.VariableDeclarator && node.init) {
        if (isFunctionNode(node.init)) sources.push(...returnedExpressions(node.init));
        else sources.push(node.init);
      } else if (def.type === 'FunctionName' && isFunctionNode(node) && node.body) {
        sources.push(...returnedExpressions(node));
      } else if (def.type === 'Parameter' && isFunctionNode(node)) {
        sources.push(...this.argumentsFor(node, def.name as Node));
      }
    }
    for (const reference of variable.references) {
      if (reference.writeExpr) sources.push(reference.writeExpr as Node);
      const id = reference.identifier as Node;
      const member = id.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== id) continue;
      const outer = member.parent;
      if (outer?.type === AST_NODE_TYPES.CallExpression && outer.callee === member) {
        const method = getMethodName(outer);
        if (method === 'push' || method === 'unshift' || method === 'splice') sources.push(...(outer.arguments as Node[]));
      } else if (outer?.type === AST_NODE_TYPES.AssignmentExpression && outer.left === member) {
        sources.push(outer.right);
      }
    }
    this.sources.set(variable, sources);
    return sources;
  }

  /** The values passed to parameter `param` of `fn`: call arguments in this file, or the receiver of an iteration callback. */
  private argumentsFor(fn: FunctionNode, param: Node): Node[] {
    const index = fn.params.findIndex((p) => p === param || (p.type === AST_NODE_TYPES.AssignmentPattern && p.left === param));
    if (index === -1) return [];
    const parent = fn.parent;
    if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === fn && index === 0) {
      const callee = unwrapExpression(parent.callee);
      return callee.type === AST_NODE_TYPES.MemberExpression ? [callee.object] : [];
    }
    let name: TSESTree.Identifier | null = null;
    if (fn.type === AST_NODE_TYPES.FunctionDeclaration) name = fn.id;
    else if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) name = parent.id;
    if (!name) return [];
    const variable = findVariable(this.sourceCode.getScope(name), name);
    const args: Node[] = [];
    for (const reference of variable?.references ?? []) {
      const call = reference.identifier.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== reference.identifier) continue;
      const arg = call.arguments[index];
      if (arg && arg.type !== AST_NODE_TYPES.SpreadElement) args.push(arg);
    }
    return args;
  }

  // --- the three sources -------------------------------------------------------------------------------

  /** Markers in what a reached `.map()` / `.flatMap()` callback returns. */
  private *templates(call: TSESTree.CallExpression, request: PromptRequest): Generator<MarkerLoop> {
    const fn = this.callbackOf(call);
    if (!fn) return;
    const returns = returnedExpressions(fn);
    for (const expression of returns) {
      const value = this.evaluator.evaluate(expression);
      for (const prop of findMarkerProps(value, 0)) {
        if (!appliesTo(prop.kind, request)) continue;
        const node = isDescendant(prop.node, fn) ? prop.node : expression;
        const walk = this.walkUp(node, getValueConditions(prop.node));
        if (walk.stoppedAt === fn) {
          // `history.map(toMessage)`: continue from the call
          const outer = this.walkUp(call);
          walk.iterations.push(this.boundIteration(this.callIteration(call), fn, node, walk.conditions), ...outer.iterations);
          walk.conditional ||= outer.conditional;
          walk.stoppedAt = outer.stoppedAt;
        }
        if (!walk.iterations.some((iteration) => iteration.node === call)) continue;
        const kept = this.keptCount(call);
        const iterations = walk.iterations
          .filter((iteration) => !isWithin(request.site.call, iteration.node))
          .map((iteration) => (iteration.node === call && kept !== null && !(iteration.count.kind === 'fixed' && iteration.count.max <= kept) ? { ...iteration, count: { kind: 'fixed' as const, max: kept, exact: false } } : iteration));
        if (iterations.length === 0 || iterations.every(isExact)) continue; // the core lays these out itself
        yield {
          node,
          source: 'template',
          kind: prop.kind,
          request,
          iterations,
          conditional: walk.conditional || returns.length > 1 || isConditionalValue(prop.node),
          certain: prop.value.kind === 'object',
        };
      }
    }
  }

  /** A breakpoint the core marked `repeated`: a `.map` template over a spread, or a block pushed in a loop. */
  private repeated(node: Node, itemNode: Node | null, certain: boolean, request: PromptRequest, kind: MarkerKind): MarkerLoop | null {
    let walk = this.walkUp(node, getValueConditions(node));
    if (walk.iterations.length === 0 && itemNode) {
      const call = itemNode.type === AST_NODE_TYPES.CallExpression && getMethodName(itemNode) ? itemNode : null;
      const outer = this.walkUp(itemNode);
      walk = {
        iterations: call && ITERATION_METHODS.has(getMethodName(call)!) ? [this.callIteration(call), ...outer.iterations] : outer.iterations,
        conditional: walk.conditional || outer.conditional,
        stoppedAt: outer.stoppedAt,
        conditions: [...walk.conditions, ...outer.conditions],
      };
    }
    const container = itemNode ? getPushTarget(itemNode) : null;
    const iterations: Iteration[] = [];
    for (const iteration of walk.iterations) {
      if (!isWithin(request.site.call, iteration.node)) {
        iterations.push(iteration);
        continue;
      }
      // A loop that also sends the request: the pushed block stays in an array declared outside it.
      if (!container || this.clearsMarkers) continue;
      const variable = findVariable(this.sourceCode.getScope(container), container);
      if (!variable || variable.defs.some((def) => isWithin(def.name as Node, iteration.node))) continue;
      iterations.push(perTurn(iteration, container));
    }
    if (iterations.length === 0 || iterations.every(isExact)) return null;
    return {
      node,
      source: container ? 'pushed' : 'template',
      kind,
      request,
      iterations,
      conditional: walk.conditional || isConditionalValue(node),
      certain,
    };
  }

  /**
   * `x.cache_control = {…}` in a loop body or iteration callback, marking an object that reaches `request`
   * (the caller checked the link: the marked object, or an array a loop iterates, is read by the request).
   */
  private assignment(prepared: PreparedAssignment, request: PromptRequest): MarkerLoop | null {
    const { node: assignment, walk, target, marker } = prepared;
    if (!appliesTo(marker.kind, request)) return null;
    const iterations: Iteration[] = [];
    for (const iteration of walk.iterations) {
      const declaredIn = (variable: Variable | null) => !!variable && variable.defs.some((def) => isWithin(def.name as Node, iteration.node));
      const varies = declaredIn(target.root) || target.indexes.some(declaredIn);
      if (!isWithin(request.site.call, iteration.node)) {
        if (varies) iterations.push(iteration);
        continue;
      }
      // A loop that also sends the request: markers accumulate when the marked item is kept across turns.
      if (this.clearsMarkers) continue;
      const container = varies ? this.keptIn(target.root, iteration.node) : target.newest && target.root && !declaredIn(target.root) && this.isPushedWithin(target.root, iteration.node) ? target.rootNode : null;
      if (container) iterations.push(perTurn(iteration, container));
    }
    if (iterations.length === 0) return null;
    const conditional = walk.conditional || isConditionalExpression(assignment.right);
    return {
      node: assignment,
      source: 'assignment',
      kind: marker.kind,
      request,
      iterations,
      conditional,
      certain: marker.value.kind === 'object',
    };
  }

  /**
   * How many items of a `.map()` result are kept when every use cuts it: `xs.map(f).slice(-2)`, or
   * `const marked = xs.map(f)` read only as `marked.slice(-2)` / `marked.at(-1)` / `marked[i]`. Null: all.
   */
  private keptCount(call: TSESTree.CallExpression): number | null {
    const use = (node: Node): number | null => {
      const member = node.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== node) return null;
      if (member.computed) return 1;
      const outer = member.parent;
      if (outer?.type !== AST_NODE_TYPES.CallExpression || outer.callee !== member) return null;
      const method = getMethodName(outer);
      if (method === 'at') return 1;
      if (method !== 'slice') return null;
      const count = this.sliceCount(outer.arguments);
      return count.kind === 'fixed' ? count.max : null;
    };
    const direct = use(call);
    if (direct !== null) return direct;
    const declarator = call.parent;
    if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== call || declarator.id.type !== AST_NODE_TYPES.Identifier) return null;
    const variable = findVariable(this.sourceCode.getScope(declarator.id), declarator.id);
    const reads = variable?.references.filter((reference) => reference.identifier !== declarator.id) ?? [];
    if (reads.length === 0) return null;
    let kept = 0;
    for (const reference of reads) {
      const count = use(reference.identifier as Node);
      if (count === null) return null;
      kept = Math.max(kept, count);
    }
    return kept;
  }

  // --- loops --------------------------------------------------------------------------------------------

  /** Enclosing loops of `start` (innermost first) up to the first function that is not an iteration callback. */
  /** {@link getMarkerWalk}. */
  walkMarker(start: Node): Walk {
    return this.walkUp(start, getValueConditions(start));
  }

  /** {@link getTemplateMarkers}. */
  templateMarkers(call: TSESTree.CallExpression): Array<FoundMarker & { walk: Walk }> {
    const fn = this.callbackOf(call);
    if (!fn) return [];
    const returns = returnedExpressions(fn);
    const out: Array<FoundMarker & { walk: Walk }> = [];
    for (const expression of returns) {
      for (const marker of findMarkerProps(this.evaluator.evaluate(expression), 0)) {
        const node = isDescendant(marker.node, fn) ? marker.node : expression;
        const walk = this.walkUp(node, getValueConditions(marker.node));
        if (walk.stoppedAt === fn) {
          const outer = this.walkUp(call);
          walk.iterations.push(this.boundIteration(this.callIteration(call), fn, node, walk.conditions), ...outer.iterations);
          walk.conditional ||= outer.conditional;
          walk.stoppedAt = outer.stoppedAt;
        }
        if (!walk.iterations.some((iteration) => iteration.node === call)) continue;
        walk.conditional ||= returns.length > 1 || isConditionalValue(marker.node);
        out.push({ ...marker, node, walk });
      }
    }
    return out;
  }

  private walkUp(start: Node, valueConditions: Condition[] = []): Walk {
    const iterations: Iteration[] = [];
    const conditions: Condition[] = [...valueConditions];
    let conditional = false;
    let child: Node = start;
    let parent: Node | undefined = start.parent;
    while (parent) {
      switch (parent.type) {
        case AST_NODE_TYPES.IfStatement:
        case AST_NODE_TYPES.ConditionalExpression:
          if (child !== parent.test) {
            conditional = true;
            conditions.push({ test: parent.test, negated: child === parent.alternate });
          }
          break;
        case AST_NODE_TYPES.LogicalExpression:
          if (child === parent.right) {
            conditional = true;
            if (parent.operator !== '??') conditions.push({ test: parent.left, negated: parent.operator === '||' });
          }
          break;
        case AST_NODE_TYPES.BlockStatement:
          conditions.push(...getEarlyExitConditions(parent, child));
          break;
        case AST_NODE_TYPES.SwitchCase:
        case AST_NODE_TYPES.CatchClause:
          conditional = true;
          break;
        case AST_NODE_TYPES.ForStatement:
        case AST_NODE_TYPES.ForOfStatement:
        case AST_NODE_TYPES.ForInStatement:
        case AST_NODE_TYPES.WhileStatement:
        case AST_NODE_TYPES.DoWhileStatement:
          if (child === parent.body) {
            iterations.push(this.boundIteration(this.loopIteration(parent), parent, start, conditions));
            if (this.bodyExits(parent.body).exits) conditional = true;
          }
          break;
        case AST_NODE_TYPES.ArrowFunctionExpression:
        case AST_NODE_TYPES.FunctionExpression:
        case AST_NODE_TYPES.FunctionDeclaration: {
          const call = getIterationCall(parent);
          if (!call) return { iterations, conditional, stoppedAt: parent, conditions };
          iterations.push(this.boundIteration(this.callIteration(call), parent, start, conditions));
          const { returns } = this.bodyExits(parent.body);
          if (getMethodName(call) === 'forEach' ? returns > 0 : returns > 1) conditional = true;
          child = call;
          parent = call.parent;
          continue;
        }
        default:
          break;
      }
      child = parent;
      parent = parent.parent;
    }
    return { iterations, conditional, stoppedAt: null, conditions };
  }

  /**
   * Tightens a loop's count from what surrounds the marker at `start` (the count is then how many times the
   * marker is made, at most):
   * - a condition on the item's index that holds for a fixed number of items: `i === xs.length - 1` (1),
   *   `i >= xs.length - 2` (2), `i < 2` (2), also as an early `if (i !== last) continue` / `return`;
   * - the body leaves the loop right after the marker (`mark; break;`): 1;
   * - a counter in the loop's test that grows after each marker (`… && n < 2; …) { …; mark; n++; }`): 2.
   */
  private boundIteration(iteration: Iteration, owner: LoopStatement | FunctionNode, start: Node, conditions: readonly Condition[]): Iteration {
    let bound = isFunctionNode(owner) ? this.indexBound(owner.params[1], owner.params[2] ?? null, iteration.array, owner, conditions) : null;
    if (!isFunctionNode(owner)) {
      if (owner.type === AST_NODE_TYPES.ForStatement) {
        for (const name of getForVariables(owner)) bound = minBound(bound, this.indexBound(name, null, iteration.array, owner, conditions));
      }
      bound = minBound(bound, this.exitBound(owner, start));
      bound = minBound(bound, this.counterBound(owner, start));
    }
    if (bound === null || (iteration.count.kind === 'fixed' && iteration.count.max <= bound)) return iteration;
    return { ...iteration, count: { kind: 'fixed', max: bound, exact: false } };
  }

  /**
   * How many items a condition on the index `index` lets through (null: no bound): `i === k` / `i === xs.length - 1`
   * (1), `i >= xs.length - k` (k), `i < k` (k). `xs` must be the iterated array (or the callback's third
   * parameter); `k` a number the evaluator knows.
   */
  private indexBound(index: Node | undefined, alias: Node | null, array: Node | null, owner: Node, conditions: readonly Condition[]): number | null {
    if (index?.type !== AST_NODE_TYPES.Identifier) return null;
    const variable = findVariable(this.sourceCode.getScope(index), index);
    if (!variable) return null;
    const isIndex = (node: Node) => {
      const n = unwrapExpression(node);
      return n.type === AST_NODE_TYPES.Identifier && n.name === index.name && findVariable(this.sourceCode.getScope(n), n) === variable;
    };
    const isArray = (node: Node) => (array && sameText(node, array, this.sourceCode)) || (alias?.type === AST_NODE_TYPES.Identifier && isName(node, alias.name));
    const number = (node: Node): number | null => {
      const value = this.evaluator.evaluate(node);
      return value.kind === 'primitive' && typeof value.value === 'number' && Number.isInteger(value.value) ? value.value : null;
    };
    // The other side does not change from one item to the next: no identifier declared inside the loop.
    const invariant = (node: Node): boolean => {
      const stack = [node];
      while (stack.length > 0) {
        const current = stack.pop()!;
        if (current.type === AST_NODE_TYPES.Identifier) {
          const v = findVariable(this.sourceCode.getScope(current), current);
          if (!v || v.defs.some((def) => isWithin(def.name as Node, owner))) return false;
        } else if (current.type === AST_NODE_TYPES.MemberExpression) {
          stack.push(current.object);
          if (current.computed) stack.push(current.property);
        } else if (current.type === AST_NODE_TYPES.BinaryExpression) {
          stack.push(current.left as Node, current.right);
        } else if (current.type !== AST_NODE_TYPES.Literal) {
          return false;
        }
      }
      return true;
    };
    let bound: number | null = null;
    for (const { test, operator } of iterateComparisons(conditions)) {
      let found: number | null = null;
      if (operator === '===' || operator === '==') {
        if (invariant(test.right)) found = 1;
      } else if (operator === '>=' || operator === '>') {
        const tail = getLengthMinus(test.right);
        if (tail && isArray(tail.array)) found = Math.max(0, operator === '>=' ? tail.k : tail.k - 1);
      } else if (operator === '<' || operator === '<=') {
        const k = number(test.right);
        if (k !== null) found = Math.max(0, operator === '<' ? k : k + 1);
      }
      if (found !== null && isIndex(test.left)) bound = minBound(bound, found);
    }
    return bound;
  }

  /** 1 when the loop body leaves the loop right after the marker (`{ mark; n++; break; }`, or `return`); else null. */
  private exitBound(loop: LoopStatement, start: Node): number | null {
    let child: Node = start;
    for (let parent = start.parent; parent && parent !== loop; child = parent, parent = parent.parent) {
      if (isFunctionNode(parent) || isLoop(parent) || parent.type === AST_NODE_TYPES.SwitchCase) return null;
      if (parent.type !== AST_NODE_TYPES.BlockStatement) continue;
      const at = parent.body.indexOf(child as TSESTree.Statement);
      for (const statement of parent.body.slice(at + 1)) {
        if (statement.type === AST_NODE_TYPES.ReturnStatement || statement.type === AST_NODE_TYPES.ThrowStatement) return 1;
        if (statement.type === AST_NODE_TYPES.BreakStatement) return statement.label ? null : 1;
        if (statement.type !== AST_NODE_TYPES.ExpressionStatement && statement.type !== AST_NODE_TYPES.VariableDeclaration) break;
      }
    }
    return null;
  }

  /**
   * `K - c` for a loop whose test includes `n < K` (or `n <= K`), where `n` starts at a known `c`, is only ever
   * incremented by one (`n++`, `++n`, `n += 1`), and is incremented whenever the marker at `start` is made: in
   * the loop's update, or in a block around the marker with no `continue` between the marker and the increment.
   */
  private counterBound(loop: LoopStatement, start: Node): number | null {
    if (loop.type === AST_NODE_TYPES.ForOfStatement || loop.type === AST_NODE_TYPES.ForInStatement || !loop.test) return null;
    let bound: number | null = null;
    for (const conjunct of flattenAnd(loop.test)) {
      if (conjunct.type !== AST_NODE_TYPES.BinaryExpression || conjunct.left.type === AST_NODE_TYPES.PrivateIdentifier) continue;
      let [left, operator, right] = [unwrapExpression(conjunct.left), conjunct.operator, unwrapExpression(conjunct.right)];
      if (operator === '>' || operator === '>=') [left, operator, right] = [right, operator === '>' ? '<' : '<=', left];
      if ((operator !== '<' && operator !== '<=') || left.type !== AST_NODE_TYPES.Identifier) continue;
      const limit = this.evaluator.evaluate(right);
      if (limit.kind !== 'primitive' || typeof limit.value !== 'number' || !Number.isFinite(limit.value)) continue;
      const counter = findVariable(this.sourceCode.getScope(left), left);
      const initial = counter ? this.counterStart(counter, loop) : null;
      if (!counter || initial === null || !this.isCountedWith(counter, loop, start)) continue;
      bound = minBound(bound, Math.max(0, Math.ceil(limit.value - initial + (operator === '<=' ? 1 : 0))));
    }
    return bound;
  }

  /** The counter's known start value: `let n = 0` in the loop's init or before the loop; null otherwise. */
  private counterStart(counter: Variable, loop: LoopStatement): number | null {
    if (counter.defs.length !== 1 || counter.defs[0].type !== 'Variable') return null;
    const declarator = counter.defs[0].node as TSESTree.VariableDeclarator;
    if (!declarator.init || declarator.range[1] > loop.body.range[0]) return null;
    const value = this.evaluator.evaluate(declarator.init);
    return value.kind === 'primitive' && typeof value.value === 'number' && Number.isFinite(value.value) ? value.value : null;
  }

  /** Every write of `counter` after its declaration is `+1` inside `loop`, and one runs whenever the marker does. */
  private isCountedWith(counter: Variable, loop: LoopStatement, start: Node): boolean {
    const increments: Node[] = [];
    for (const reference of counter.references) {
      if (!reference.isWrite() || reference.init) continue;
      const write = reference.identifier.parent as Node | undefined;
      if (!write || getUpdateDirection(write, counter.name) !== 1 || !isWithin(write, loop)) return false;
      increments.push(write);
    }
    return increments.some((write) => {
      if (loop.type === AST_NODE_TYPES.ForStatement && loop.update && isWithin(write, loop.update)) return true;
      const statement = write.parent;
      const block = statement?.parent;
      if (statement?.type !== AST_NODE_TYPES.ExpressionStatement || block?.type !== AST_NODE_TYPES.BlockStatement || !isWithin(block, loop.body)) return false;
      const markerStatement = block.body.find((s) => isWithin(start, s));
      if (!markerStatement || markerStatement === statement) return false;
      if (markerStatement.range[0] > statement.range[0]) return true; // counted before the marker
      const between = block.body.slice(block.body.indexOf(markerStatement), block.body.indexOf(statement));
      return !between.some((s) => this.hasContinue(s));
    });
  }

  /** Whether `node` contains a `continue` (outside nested loops and functions). */
  private hasContinue(node: Node): boolean {
    const stack: Node[] = [node];
    while (stack.length > 0) {
      const current = stack.pop()!;
      if (current.type === AST_NODE_TYPES.ContinueStatement) return true;
      if (current !== node && (isFunctionNode(current) || isLoop(current))) continue;
      for (const child of childNodes(current, this.sourceCode)) stack.push(child);
    }
    return false;
  }

  private loopIteration(loop: TSESTree.ForStatement | TSESTree.ForOfStatement | TSESTree.ForInStatement | TSESTree.WhileStatement | TSESTree.DoWhileStatement): Iteration {
    switch (loop.type) {
      case AST_NODE_TYPES.ForOfStatement:
        return { node: loop, array: loop.right, count: this.arrayCount(loop.right), perTurn: false };
      case AST_NODE_TYPES.ForStatement:
        return { node: loop, perTurn: false, ...this.forCount(loop) };
      default:
        return { node: loop, array: null, count: { kind: 'unknown' }, perTurn: false };
    }
  }

  private callIteration(call: TSESTree.CallExpression): Iteration {
    const callee = unwrapExpression(call.callee) as TSESTree.MemberExpression;
    return { node: call, array: callee.object, count: this.arrayCount(callee.object), perTurn: false };
  }

  /** Items of an iterated expression: `xs.slice(-2)` → at most 2, a literal array → its length, a parameter → unbounded. */
  private arrayCount(expression: Node, depth = 0): IterationCount {
    const node = unwrapExpression(expression);
    if (depth > 8) return { kind: 'unknown' };
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const method = getMethodName(node);
      const receiver = (unwrapExpression(node.callee) as TSESTree.MemberExpression).object;
      if (method === 'slice') {
        const slice = this.sliceCount(node.arguments);
        const inner = this.arrayCount(receiver, depth + 1);
        if (slice.kind === 'fixed') return inner.kind === 'fixed' && inner.max < slice.max ? inner : { kind: 'fixed', max: slice.max, exact: false };
        return slice.kind === 'unknown' ? slice : inner;
      }
      if (method && SAME_OR_FEWER.has(method) && !isGlobalObject(receiver, this.sourceCode)) {
        const inner = this.arrayCount(receiver, depth + 1);
        return inner.kind === 'fixed' && method !== 'map' ? { ...inner, exact: false } : inner;
      }
    }
    const value = this.evaluator.evaluate(node);
    if (value.kind === 'array') {
      return value.items.every((item) => item.kind === 'value') ? { kind: 'fixed', max: value.items.length, exact: true } : { kind: 'unbounded' };
    }
    if (value.kind === 'unknown') return { kind: 'unbounded' };
    return { kind: 'unknown' };
  }

  /** `slice(-2)` → 2; `slice(0, 3)` → 3; `slice(1)` / `slice(0, -1)` → unbounded; `slice(-n)` → unknown. */
  private sliceCount(args: TSESTree.CallExpressionArgument[]): IterationCount {
    const num = (arg: TSESTree.CallExpressionArgument | undefined): number | null => {
      if (!arg || arg.type === AST_NODE_TYPES.SpreadElement) return null;
      const value = this.evaluator.evaluate(arg);
      return value.kind === 'primitive' && typeof value.value === 'number' && Number.isFinite(value.value) ? Math.trunc(value.value) : null;
    };
    if (args.length === 0) return { kind: 'unbounded' };
    const start = num(args[0]);
    if (start === null) return { kind: 'unknown' };
    if (args.length === 1) return start < 0 ? { kind: 'fixed', max: -start, exact: false } : { kind: 'unbounded' };
    const end = num(args[1]);
    if (end === null) return { kind: 'unknown' };
    if ((start >= 0 && end >= 0) || (start < 0 && end < 0)) return { kind: 'fixed', max: Math.max(0, end - start), exact: false };
    if (start < 0) return { kind: 'fixed', max: Math.min(-start, end), exact: false };
    return { kind: 'unbounded' };
  }

  /** `for (let i = A; i < B; i++)`: a constant count, `xs.length - k … xs.length` (k items), or unbounded over `xs`. */
  private forCount(loop: TSESTree.ForStatement): { array: Node | null; count: IterationCount } {
    // `i < xs.length && n < 2`: the loop stops at the first false conjunct, so the tightest bound holds.
    let best: { array: Node | null; count: IterationCount } = { array: null, count: { kind: 'unknown' } };
    for (const test of loop.test ? flattenAnd(loop.test) : []) {
      const found = this.forBound(loop, test);
      if (found.count.kind === 'fixed' ? best.count.kind !== 'fixed' || found.count.max < best.count.max : found.count.kind === 'unbounded' && best.count.kind === 'unknown') best = found;
    }
    return best;
  }

  /**
   * The count one conjunct of a `for` test allows, for a variable the init declares (or assigns) and the update
   * steps by one: a constant count, `xs.length - k … xs.length` (k items, either direction), or unbounded over `xs`.
   */
  private forBound(loop: TSESTree.ForStatement, test: Node): { array: Node | null; count: IterationCount } {
    const unknown = { array: null, count: { kind: 'unknown' } as IterationCount };
    if (test.type !== AST_NODE_TYPES.BinaryExpression) return unknown;
    const starts = new Map<string, Node>();
    const init = loop.init;
    if (init?.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of init.declarations) if (declarator.id.type === AST_NODE_TYPES.Identifier && declarator.init) starts.set(declarator.id.name, declarator.init);
    } else if (init) {
      for (const expression of init.type === AST_NODE_TYPES.SequenceExpression ? init.expressions : [init]) {
        if (expression.type === AST_NODE_TYPES.AssignmentExpression && expression.operator === '=' && expression.left.type === AST_NODE_TYPES.Identifier) starts.set(expression.left.name, expression.right);
      }
    }
    const flipped: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
    let operator: string = test.operator;
    let bound: Node;
    let name: string;
    const left = unwrapExpression(test.left as Node);
    const right = unwrapExpression(test.right);
    if (left.type === AST_NODE_TYPES.Identifier && starts.has(left.name)) [name, bound] = [left.name, test.right];
    else if (right.type === AST_NODE_TYPES.Identifier && starts.has(right.name) && flipped[operator]) [name, operator, bound] = [right.name, flipped[operator], test.left as Node];
    else return unknown;
    const start = starts.get(name)!;
    bound = withoutMaxZero(bound);
    const direction = getUpdateDirection(loop.update, name);
    const num = (node: Node): number | null => {
      const value = this.evaluator.evaluate(node);
      return value.kind === 'primitive' && typeof value.value === 'number' && Number.isFinite(value.value) ? value.value : null;
    };
    const from = num(start);
    const to = num(bound);
    if (direction === 1 && (operator === '<' || operator === '<=')) {
      if (from !== null && to !== null) return { array: null, count: { kind: 'fixed', max: Math.max(0, Math.ceil(to - from + (operator === '<=' ? 1 : 0))), exact: false } };
      const array = getLengthOf(bound);
      if (!array) return unknown;
      const tail = getLengthMinus(withoutMaxZero(start));
      if (tail && sameText(tail.array, array, this.sourceCode) && operator === '<') return { array, count: { kind: 'fixed', max: tail.k, exact: false } };
      return from !== null ? { array, count: this.arrayCount(array) } : unknown;
    }
    if (direction === -1 && (operator === '>' || operator === '>=')) {
      if (from !== null && to !== null) return { array: null, count: { kind: 'fixed', max: Math.max(0, Math.ceil(from - to + (operator === '>=' ? 1 : 0))), exact: false } };
      const array = getLengthOf(start) ?? getLengthMinus(start)?.array ?? null;
      if (!array) return unknown;
      // `for (let i = xs.length - 1; i >= xs.length - 2; i--)`: from the end down to a known distance from it.
      const head = getLengthOf(start) ? 0 : getLengthMinus(start)!.k;
      const tail = getLengthMinus(bound);
      if (tail && sameText(tail.array, array, this.sourceCode)) return { array, count: { kind: 'fixed', max: Math.max(0, tail.k - head + (operator === '>=' ? 1 : 0)), exact: false } };
      if (to === null) return unknown;
      return { array, count: this.arrayCount(array) };
    }
    return unknown;
  }

  /** Whether a loop body has a `continue`, `break` or `return` (outside nested functions), and how many `return`s. */
  private bodyExits(body: Node): { exits: boolean; returns: number } {
    const cached = this.exits.get(body);
    if (cached) return cached;
    const result = { exits: false, returns: 0 };
    const keys = this.sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
    const stack: Node[] = [body];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node !== body && isFunctionNode(node)) continue;
      if (node.type === AST_NODE_TYPES.ReturnStatement) result.returns++;
      if (node.type === AST_NODE_TYPES.ReturnStatement || node.type === AST_NODE_TYPES.ContinueStatement || node.type === AST_NODE_TYPES.BreakStatement) {
        result.exits = true;
      }
      for (const key of keys[node.type] ?? []) {
        if (SKIPPED_KEYS.has(key)) continue;
        const child = (node as unknown as Record<string, unknown>)[key];
        if (Array.isArray(child)) {
          for (const item of child) if (item && typeof (item as Node).type === 'string') stack.push(item as Node);
        } else if (child && typeof (child as Node).type === 'string') {
          stack.push(child as Node);
        }
      }
    }
    this.exits.set(body, result);
    return result;
  }

  // --- helpers ------------------------------------------------------------------------------------------

  /**
   * Every `x.cache_control = …` assignment in the file; also notes whether the file removes markers anywhere
   * (`delete x.cache_control`, `x.cache_control = undefined`, `{ cache_control, ...rest } = block`). Found from
   * the `cache_control` tokens, not by walking the whole tree.
   */
  private findAssignments(): TSESTree.AssignmentExpression[] {
    const found: TSESTree.AssignmentExpression[] = [];
    const text = this.sourceCode.text;
    for (const word of ASSIGNED_KEYS) {
      for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
        const token = this.sourceCode.getTokenByRangeStart(at) ?? this.sourceCode.getTokenByRangeStart(at - 1);
        if (!token) continue;
        const isKey =
          (token.type === AST_TOKEN_TYPES.Identifier && token.value === word) ||
          (token.type === AST_TOKEN_TYPES.String && token.value.slice(1, -1) === word);
        if (!isKey) continue;
        const key = this.nodeAt(token.range[0]);
        const parent = key?.parent;
        if (!key || !parent) continue;
        if (parent.type === AST_NODE_TYPES.MemberExpression && parent.property === key && isMarkerMember(parent, word)) {
          const outer = parent.parent;
          if (outer?.type === AST_NODE_TYPES.AssignmentExpression && outer.left === parent) {
            if (isNullish(outer.right)) this.clearsMarkers = true;
            else if (outer.operator === '=') found.push(outer);
          } else if (outer?.type === AST_NODE_TYPES.UnaryExpression && outer.operator === 'delete') {
            this.clearsMarkers = true;
          }
        } else if (parent.type === AST_NODE_TYPES.Property && parent.key === key && parent.parent?.type === AST_NODE_TYPES.ObjectPattern && (word === 'cache_control' || word === 'providerOptions')) {
          this.clearsMarkers = true;
        }
      }
    }
    return found;
  }

  /** The innermost node (outside type annotations) that contains `index`: a descent, cheaper than `getNodeByRangeIndex`. */
  private nodeAt(index: number): Node | null {
    const keys = this.sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
    let node: Node = this.sourceCode.ast;
    const contains = (child: unknown): child is Node =>
      !!child && typeof (child as Node).type === 'string' && (child as Node).range[0] <= index && index < (child as Node).range[1];
    for (let depth = 0; depth < 500; depth++) {
      let next: Node | null = null;
      for (const key of keys[node.type] ?? []) {
        if (SKIPPED_KEYS.has(key)) continue;
        const child: unknown = (node as unknown as Record<string, unknown>)[key];
        if (Array.isArray(child)) {
          next = itemAt(child, index);
        } else if (contains(child)) {
          next = child;
        }
        if (next) break;
      }
      if (!next) return node;
      node = next;
    }
    return null;
  }

  private callbackOf(call: TSESTree.CallExpression): FunctionNode | null {
    const arg = call.arguments[0];
    if (!arg) return null;
    const node = unwrapExpression(arg);
    if (isFunctionNode(node)) return node;
    if (node.type !== AST_NODE_TYPES.Identifier) return null;
    const variable = findVariable(this.sourceCode.getScope(node), node);
    const def = variable?.defs.length === 1 ? variable.defs[0] : null;
    if (!def) return null;
    const defNode = def.node as Node;
    if (def.type === 'FunctionName' && isFunctionNode(defNode)) return defNode;
    if (def.type === 'Variable' && defNode.type === AST_NODE_TYPES.VariableDeclarator && defNode.init && isFunctionNode(defNode.init)) return defNode.init;
    return null;
  }

  /** The target chain of `a.b[i].at(-1).cache_control`: root variable, index variables, newest-item access. */
  private getTarget(member: TSESTree.MemberExpression): MarkerTarget {
    const indexes: Variable[] = [];
    const addIdentifiers = (node: Node) => {
      const stack = [node];
      while (stack.length > 0) {
        const current = stack.pop()!;
        if (current.type === AST_NODE_TYPES.Identifier) {
          const variable = findVariable(this.sourceCode.getScope(current), current);
          if (variable) indexes.push(variable);
        } else if (current.type === AST_NODE_TYPES.MemberExpression) {
          stack.push(current.object);
          if (current.computed) stack.push(current.property);
        } else if (current.type === AST_NODE_TYPES.BinaryExpression || current.type === AST_NODE_TYPES.UnaryExpression) {
          if (current.type === AST_NODE_TYPES.BinaryExpression) stack.push(current.left as Node, current.right);
          else stack.push(current.argument);
        }
      }
    };
    const chain: Node[] = [];
    let current: Node = unwrapExpression(member.object);
    for (;;) {
      chain.unshift(current);
      if (current.type === AST_NODE_TYPES.MemberExpression) {
        if (current.computed) addIdentifiers(current.property);
        current = unwrapExpression(current.object);
      } else if (current.type === AST_NODE_TYPES.CallExpression && current.callee.type === AST_NODE_TYPES.MemberExpression) {
        for (const arg of current.arguments) addIdentifiers(arg);
        current = current.callee;
      } else {
        break;
      }
    }
    const rootNode = current;
    const root = rootNode.type === AST_NODE_TYPES.Identifier ? findVariable(this.sourceCode.getScope(rootNode), rootNode) : null;
    let thisPath: string | null = null;
    const first = chain[1];
    if (rootNode.type === AST_NODE_TYPES.ThisExpression && first?.type === AST_NODE_TYPES.MemberExpression && !first.computed && first.property.type === AST_NODE_TYPES.Identifier) {
      thisPath = `this.${first.property.name}`;
    }
    let newest = false;
    if (first?.type === AST_NODE_TYPES.MemberExpression && first.computed) {
      newest = !!getLengthMinus(first.property) || !!getLengthOf(first.property);
    } else if (first?.type === AST_NODE_TYPES.MemberExpression && !first.computed && first.property.type === AST_NODE_TYPES.Identifier && first.property.name === 'at') {
      const call = first.parent;
      const arg = call?.type === AST_NODE_TYPES.CallExpression ? call.arguments[0] : undefined;
      const value = arg && arg.type !== AST_NODE_TYPES.SpreadElement ? this.evaluator.evaluate(arg) : null;
      newest = value?.kind === 'primitive' && typeof value.value === 'number' && value.value < 0;
    }
    return { root, rootNode, indexes, newest, thisPath };
  }

  /** The variable (or `this.x` path) an iterated array is rooted in: `history` of `history.slice(1)`, `this.turns`. */
  private getRoot(node: Node): Root {
    let current = unwrapExpression(node);
    for (let depth = 0; depth < 10; depth++) {
      if (current.type === AST_NODE_TYPES.Identifier) return { variable: findVariable(this.sourceCode.getScope(current), current), thisPath: null };
      if (current.type === AST_NODE_TYPES.MemberExpression) {
        const object = unwrapExpression(current.object);
        if (object.type === AST_NODE_TYPES.ThisExpression) {
          const named = !current.computed && current.property.type === AST_NODE_TYPES.Identifier;
          return { variable: null, thisPath: named ? `this.${(current.property as TSESTree.Identifier).name}` : null };
        }
        current = object;
      } else if (current.type === AST_NODE_TYPES.CallExpression) {
        const callee = unwrapExpression(current.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) break;
        current = unwrapExpression(callee.object);
      } else {
        break;
      }
    }
    return { variable: null, thisPath: null };
  }

  /** The array declared outside `loop` that the per-iteration object `root` is pushed into, or null. */
  private keptIn(root: Variable | null, loop: Node): Node | null {
    for (const reference of root?.references ?? []) {
      const id = reference.identifier as Node;
      const call = id.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(id as TSESTree.Identifier) || !isWithin(call, loop)) continue;
      const container = getPushTarget(id);
      if (!container) continue;
      const variable = findVariable(this.sourceCode.getScope(container), container);
      if (variable && !variable.defs.some((def) => isWithin(def.name as Node, loop))) return container;
    }
    return null;
  }

  /** Whether `variable.push(…)` is called inside `loop`. */
  private isPushedWithin(variable: Variable, loop: Node): boolean {
    return variable.references.some((reference) => {
      const member = reference.identifier.parent;
      return (
        member?.type === AST_NODE_TYPES.MemberExpression &&
        member.object === reference.identifier &&
        member.parent?.type === AST_NODE_TYPES.CallExpression &&
        getMethodName(member.parent) === 'push' &&
        isWithin(member.parent, loop)
      );
    });
  }
}

// --- syntax helpers ---------------------------------------------------------------------------------------

function isExact(iteration: Iteration): boolean {
  return iteration.count.kind === 'fixed' && iteration.count.exact;
}

function perTurn(iteration: Iteration, container: Node): Iteration {
  const count: IterationCount = iteration.count.kind === 'fixed' ? iteration.count : { kind: 'unbounded' };
  return { ...iteration, array: container, count, perTurn: true };
}

/** `x.method(…)` → `method` (non-computed), else null. */
function getMethodName(call: TSESTree.CallExpression): string | null {
  const callee = unwrapExpression(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return null;
  return callee.property.name;
}

/** The call a function is the callback of, when that call is `xs.map(fn)` / `xs.flatMap(fn)` / `xs.forEach(fn)`. */
function getIterationCall(fn: FunctionNode): TSESTree.CallExpression | null {
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== fn) return null;
  const method = getMethodName(call);
  return method && ITERATION_METHODS.has(method) ? call : null;
}

/** `Object.entries(x)`: `Object` is the global, not an array receiver. */
function isGlobalObject(node: Node, sourceCode: SourceCode): boolean {
  const n = unwrapExpression(node);
  if (n.type !== AST_NODE_TYPES.Identifier || n.name !== 'Object') return false;
  const variable = findVariable(sourceCode.getScope(n), n);
  return !variable || variable.defs.length === 0;
}

/** The array `arr` of `arr.push(item)` / `arr.unshift(item)` for an argument node, or null. */
function getPushTarget(item: Node): TSESTree.Identifier | null {
  const call = item.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee === item) return null;
  const method = getMethodName(call);
  if (method !== 'push' && method !== 'unshift') return null;
  const object = unwrapExpression((unwrapExpression(call.callee) as TSESTree.MemberExpression).object);
  return object.type === AST_NODE_TYPES.Identifier ? object : null;
}

/**
 * `x.cache_control`, `x.providerOptions`, or `….anthropic.cacheControl` / `….bedrock.cachePoint` (a marker inside
 * AI SDK provider options; `config.cacheControl` is not one).
 */
function isMarkerMember(node: Node, word: string): node is TSESTree.MemberExpression {
  const n = unwrapExpression(node);
  if (n.type !== AST_NODE_TYPES.MemberExpression || getMemberKey(n) !== word) return false;
  if (word === 'cache_control' || word === 'providerOptions') return true;
  const object = unwrapExpression(n.object);
  const namespace = object.type === AST_NODE_TYPES.MemberExpression ? getMemberKey(object) : null;
  return OPTION_MARKERS.some((spec) => spec.keys.includes(word) && namespace !== null && spec.namespaces.includes(namespace));
}

/** `undefined`, `null`, `void 0` as written. */
function isNullish(node: Node): boolean {
  const n = unwrapExpression(node);
  return (
    (n.type === AST_NODE_TYPES.Literal && n.value === null && !('regex' in n && n.regex)) ||
    (n.type === AST_NODE_TYPES.Identifier && n.name === 'undefined') ||
    (n.type === AST_NODE_TYPES.UnaryExpression && n.operator === 'void')
  );
}

/** `cond ? {...} : undefined`, `cond && {...}`: a marker only under a condition. */
function isConditionalExpression(node: Node): boolean {
  const n = unwrapExpression(node);
  return n.type === AST_NODE_TYPES.ConditionalExpression || n.type === AST_NODE_TYPES.LogicalExpression;
}

/** The value written in a `cache_control: …` property is conditional. */
function isConditionalValue(property: Node): boolean {
  return property.type === AST_NODE_TYPES.Property && isConditionalExpression(property.value as Node);
}

/** A marker an object carries: where it is written, its value and how it is spelt. */
export interface FoundMarker {
  /** The marker property: `cache_control`, `cachePoint`, `cacheControl`, or the `providerOptions` holding a shared one. */
  node: Node;
  value: Value;
  kind: MarkerKind;
}

/** The markers of a block, of a message's content blocks, or of a `flatMap` item list. */
function findMarkerProps(value: Value, depth: number): FoundMarker[] {
  if (depth > 3) return [];
  if (value.kind === 'array') return value.items.flatMap((item) => (item.kind === 'value' ? findMarkerProps(item.value, depth + 1) : []));
  // `i === last ? { ...m, cache_control } : m`: the markers of each branch (the walk up from them sees the test).
  if (value.kind === 'choice') return value.options.flatMap((option) => findMarkerProps(option, depth));
  if (value.kind !== 'object') return [];
  const found: FoundMarker[] = [];
  const own = getOwnMarker(value);
  if (own) found.push(own);
  const content = lastProp(value, 'content');
  if (content?.value.kind === 'array' && depth < 2) {
    // Content blocks, also the template of a nested `.map()` over them (a repeated item).
    for (const item of content.value.items) if (item.kind !== 'spread') found.push(...findMarkerProps(item.value, 3));
  }
  return found;
}

/**
 * The marker an object sets on itself: `cache_control`, a Bedrock Converse `{ cachePoint }` block, or AI SDK
 * provider options holding `anthropic.cacheControl` / `bedrock.cachePoint`. Null when none (or `null` /
 * `undefined`). A marker from shared options is shown at the object's `providerOptions` property.
 */
export function getOwnMarker(object: ObjectValue): FoundMarker | null {
  const own = lastProp(object, 'cache_control');
  if (own && !isNullishValue(own.value)) return { node: own.node, value: own.value, kind: 'cache_control' };
  const point = lastProp(object, 'cachePoint');
  if (point && !isNullishValue(point.value)) return { node: point.node, value: point.value, kind: 'cachePoint' };
  for (const key of OPTION_KEYS) {
    const options = lastProp(object, key);
    if (!options || isNullishValue(options.value)) continue;
    const inner = getOptionsMarker(options.value);
    if (inner) return { ...inner, node: isDescendant(inner.node, object.node) ? inner.node : options.node };
  }
  return null;
}

/** The marker in AI SDK provider options (`{ anthropic: { cacheControl } }`, `{ bedrock: { cachePoint } }`), or null. */
export function getOptionsMarker(options: Value): FoundMarker | null {
  if (options.kind !== 'object') return null;
  for (const spec of OPTION_MARKERS) {
    for (const namespace of spec.namespaces) {
      const scope = lastProp(options, namespace);
      if (scope?.value.kind !== 'object') continue;
      for (const key of spec.keys) {
        const prop = lastProp(scope.value, key);
        if (prop && !isNullishValue(prop.value)) return { node: prop.node, value: prop.value, kind: spec.kind };
      }
    }
  }
  return null;
}

/** The marker an assignment sets: `x.cache_control = v`, `x.providerOptions = { anthropic: { cacheControl } }`, `x.providerOptions.anthropic.cacheControl = v`. */
export interface AssignedMarker {
  kind: MarkerKind;
  value: Value;
}

/** The marker `assignment` sets (see {@link AssignedMarker}), or null when it sets none. */
export function getAssignedMarker(assignment: TSESTree.AssignmentExpression, evaluator: Evaluator): AssignedMarker | null {
  const left = unwrapExpression(assignment.left);
  if (left.type !== AST_NODE_TYPES.MemberExpression) return null;
  const key = getMemberKey(left);
  if (key === 'cache_control') return { kind: 'cache_control', value: evaluator.evaluate(assignment.right) };
  if (key !== null && OPTION_KEYS.includes(key)) {
    const marker = getOptionsMarker(evaluator.evaluate(assignment.right));
    return marker && { kind: marker.kind, value: marker.value };
  }
  const object = unwrapExpression(left.object);
  const namespace = object.type === AST_NODE_TYPES.MemberExpression ? getMemberKey(object) : null;
  for (const spec of OPTION_MARKERS) {
    if (key !== null && namespace !== null && spec.keys.includes(key) && spec.namespaces.includes(namespace)) return { kind: spec.kind, value: evaluator.evaluate(assignment.right) };
  }
  return null;
}

/** Whether a marker of `kind` is read by `request`: provider options in the AI SDK only, `cache_control` and cache points elsewhere. */
export function appliesTo(kind: MarkerKind, request: PromptRequest): boolean {
  const aiSdk = request.site.format === 'ai-sdk';
  return kind === 'cacheControl' || kind === 'bedrockCachePoint' ? aiSdk : !aiSdk;
}

function lastProp(object: ObjectValue, key: string): ObjectProp | null {
  for (let i = object.props.length - 1; i >= 0; i--) if (object.props[i].key === key) return object.props[i];
  return null;
}

function isNullishValue(value: Value): boolean {
  return value.kind === 'primitive' && (value.value === undefined || value.value === null);
}

/** `x.key` / `x['key']` → `key`, else null. */
function getMemberKey(member: TSESTree.MemberExpression): string | null {
  if (!member.computed) return member.property.type === AST_NODE_TYPES.Identifier ? member.property.name : null;
  return member.property.type === AST_NODE_TYPES.Literal && typeof member.property.value === 'string' ? member.property.value : null;
}

/** `inner` is `outer` or below it, by parent links (nodes of another file never are). */
function isDescendant(inner: Node, outer: Node): boolean {
  for (let node: Node | undefined = inner; node; node = node.parent) if (node === outer) return true;
  return false;
}

/** The condition in a marker property's value: `cache_control: i === last ? CC : undefined`, `isLast && CC`. */
function getValueConditions(property: Node): Condition[] {
  if (property.type !== AST_NODE_TYPES.Property) return [];
  const value = unwrapExpression(property.value as Node);
  if (value.type === AST_NODE_TYPES.ConditionalExpression) {
    if (isNullish(value.alternate)) return [{ test: value.test, negated: false }];
    if (isNullish(value.consequent)) return [{ test: value.test, negated: true }];
  } else if (value.type === AST_NODE_TYPES.LogicalExpression && value.operator === '&&') {
    return [{ test: value.left, negated: false }];
  }
  return [];
}

/**
 * `if (i !== last) continue;` (or `break` / `return`) before the statement `child` of `block`: the marker is
 * made only when such a test is false.
 */
function getEarlyExitConditions(block: TSESTree.BlockStatement, child: Node): Condition[] {
  const conditions: Condition[] = [];
  for (const statement of block.body) {
    if (statement === child) break;
    if (statement.type !== AST_NODE_TYPES.IfStatement || statement.alternate) continue;
    const exit = statement.consequent.type === AST_NODE_TYPES.BlockStatement ? statement.consequent.body[statement.consequent.body.length - 1] : statement.consequent;
    if (exit && (exit.type === AST_NODE_TYPES.ContinueStatement || exit.type === AST_NODE_TYPES.BreakStatement || exit.type === AST_NODE_TYPES.ReturnStatement) && !(exit.type !== AST_NODE_TYPES.ReturnStatement && exit.label)) {
      conditions.push({ test: statement.test, negated: true });
    }
  }
  return conditions;
}

/**
 * The comparisons a marker certainly depends on, with the negation applied (`!(i < k)` → `i >= k`): the
 * conjuncts of each condition (`a && b`, or `!(a || b)`), each written as `left operator right`.
 */
function* iterateComparisons(conditions: readonly Condition[]): Generator<{ test: { left: Node; right: Node }; operator: string }> {
  const negate: Record<string, string> = { '===': '!==', '!==': '===', '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };
  const flip: Record<string, string> = { '===': '===', '!==': '!==', '==': '==', '!=': '!=', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
  for (const condition of conditions) {
    const stack: Array<{ node: Node; negated: boolean }> = [{ node: condition.test, negated: condition.negated }];
    while (stack.length > 0) {
      const { node, negated } = stack.pop()!;
      const n = unwrapExpression(node);
      if (n.type === AST_NODE_TYPES.UnaryExpression && n.operator === '!') stack.push({ node: n.argument, negated: !negated });
      else if (n.type === AST_NODE_TYPES.LogicalExpression && n.operator === (negated ? '||' : '&&')) stack.push({ node: n.left, negated }, { node: n.right, negated });
      else if (n.type === AST_NODE_TYPES.BinaryExpression && n.left.type !== AST_NODE_TYPES.PrivateIdentifier && negate[n.operator]) {
        const operator = negated ? negate[n.operator] : n.operator;
        yield { test: { left: n.left, right: n.right }, operator };
        yield { test: { left: n.right, right: n.left as Node }, operator: flip[operator] };
      }
    }
  }
}

function flattenAnd(node: Node): Node[] {
  const n = unwrapExpression(node);
  return n.type === AST_NODE_TYPES.LogicalExpression && n.operator === '&&' ? [...flattenAnd(n.left), ...flattenAnd(n.right)] : [n];
}

function minBound(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

function isLoop(node: Node): node is LoopStatement {
  return (
    node.type === AST_NODE_TYPES.ForStatement ||
    node.type === AST_NODE_TYPES.ForOfStatement ||
    node.type === AST_NODE_TYPES.ForInStatement ||
    node.type === AST_NODE_TYPES.WhileStatement ||
    node.type === AST_NODE_TYPES.DoWhileStatement
  );
}

/** The variables a `for` loop declares in its init and steps in its update (`i` of `for (let i = 0, n = 0; …; i++)`). */
function getForVariables(loop: TSESTree.ForStatement): TSESTree.Identifier[] {
  const names: TSESTree.Identifier[] = [];
  if (loop.init?.type === AST_NODE_TYPES.VariableDeclaration) {
    for (const declarator of loop.init.declarations) {
      if (declarator.id.type === AST_NODE_TYPES.Identifier && getUpdateDirection(loop.update, declarator.id.name) !== 0) names.push(declarator.id);
    }
  }
  return names;
}

/** The child nodes of `node` (type annotations skipped). */
export function childNodes(node: Node, sourceCode: SourceCode): Node[] {
  const keys = sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
  const children: Node[] = [];
  for (const key of keys[node.type] ?? []) {
    if (SKIPPED_KEYS.has(key)) continue;
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item && typeof (item as Node).type === 'string') children.push(item as Node);
    } else if (child && typeof (child as Node).type === 'string') {
      children.push(child as Node);
    }
  }
  return children;
}

/** The expressions a function returns (an arrow's expression body, or its `return` arguments outside nested functions). */
function returnedExpressions(fn: FunctionNode): Node[] {
  if (!fn.body) return [];
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [fn.body];
  return getReturnStatements(fn).flatMap((statement) => (statement.argument ? [statement.argument] : []));
}

function isName(node: Node, name: string): boolean {
  const n = unwrapExpression(node);
  return n.type === AST_NODE_TYPES.Identifier && n.name === name;
}

/** +1 for `i++` / `++i` / `i += 1`, -1 for `i--` / `--i` / `i -= 1`, 0 otherwise (also within `i--, n++`). */
function getUpdateDirection(update: Node | null, name: string): number {
  if (!update) return 0;
  if (update.type === AST_NODE_TYPES.SequenceExpression) {
    for (const expression of update.expressions) {
      const direction = getUpdateDirection(expression, name);
      if (direction !== 0) return direction;
    }
    return 0;
  }
  if (update.type === AST_NODE_TYPES.UpdateExpression && isName(update.argument, name)) return update.operator === '++' ? 1 : -1;
  if (update.type === AST_NODE_TYPES.AssignmentExpression && isName(update.left, name) && update.right.type === AST_NODE_TYPES.Literal && update.right.value === 1) {
    if (update.operator === '+=') return 1;
    if (update.operator === '-=') return -1;
  }
  return 0;
}

/** `xs` of `xs.length`, or null. */
function getLengthOf(node: Node): Node | null {
  const n = unwrapExpression(node);
  if (n.type === AST_NODE_TYPES.MemberExpression && !n.computed && n.property.type === AST_NODE_TYPES.Identifier && n.property.name === 'length') return n.object;
  return null;
}

/** `xs.length - k` with a literal `k` → `{ array: xs, k }`, or null. */
function getLengthMinus(node: Node): { array: Node; k: number } | null {
  const n = unwrapExpression(node);
  if (n.type !== AST_NODE_TYPES.BinaryExpression || n.operator !== '-' || n.right.type !== AST_NODE_TYPES.Literal || typeof n.right.value !== 'number') return null;
  const array = getLengthOf(n.left as Node);
  return array ? { array, k: n.right.value } : null;
}

/** `Math.max(0, x)` → `x` (a bound clamped at zero counts the same items); anything else unchanged. */
function withoutMaxZero(node: Node): Node {
  const n = unwrapExpression(node);
  if (n.type !== AST_NODE_TYPES.CallExpression || n.arguments.length !== 2 || getMethodName(n) !== 'max') return node;
  const callee = unwrapExpression(n.callee) as TSESTree.MemberExpression;
  if (!isName(callee.object, 'Math')) return node;
  const [a, b] = n.arguments;
  const zero = (x: Node) => x.type === AST_NODE_TYPES.Literal && x.value === 0;
  if (zero(a) && b.type !== AST_NODE_TYPES.SpreadElement) return b;
  if (zero(b) && a.type !== AST_NODE_TYPES.SpreadElement) return a;
  return node;
}

function sameText(a: Node, b: Node, sourceCode: SourceCode): boolean {
  return sourceCode.getText(a) === sourceCode.getText(b);
}
