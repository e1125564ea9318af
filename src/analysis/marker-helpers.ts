import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '../eslint-utils.js';
import { type FunctionNode, getEnclosingFunction, getMemberPath, getReturnStatements, isFunctionNode, isWithin, unwrapExpression } from './ast.js';
import type { MarkerKind } from './cache-control.js';
import { Evaluator } from './evaluate.js';
import { type Iteration, type Walk, appliesTo, childNodes, getAssignedMarker, getMarkerLoops, getMarkerWalk, getTemplateMarkers } from './marker-loops.js';
import { perFile } from './per-file-cache.js';
import { type Breakpoint, type PromptRequest, type Section, type Segment, getFileAnalysis } from './request.js';
import type { FunctionValue, Value } from './values.js';

type Node = TSESTree.Node;
type SourceCode = Readonly<TSESLint.SourceCode>;
type Variable = TSESLint.Scope.Variable;

/**
 * Marker helpers: functions that add cache markers to the messages (or system blocks, or tools) they are given,
 * called on a request's prompt in the same file or imported from another module of the project. Typical shapes:
 *
 * - a loop from the end of `messages` that marks the last one or two user turns
 *   (`for (let i = msgs.length - 1, n = 0; i >= 0 && n < 2; i--) { …; msgs[i].content.at(-1).cache_control = CC; n++ }`);
 * - a `map` that marks the last index (`msgs.map((m, i) => i === msgs.length - 1 ? { ...m, cache_control } : m)`);
 * - AI SDK provider options set on messages (`{ ...m, providerOptions: { anthropic: { cacheControl } } }`);
 * - the marker value held in a constant, a config object or an import (`CACHE`, `config.cacheControl`, `EPHEMERAL`).
 *
 * A helper is recognised from what it does to one of its parameters (an array): markers assigned to its items
 * in place (`x.cache_control = …`, `x.providerOptions = …`), or set in the `.map()` / `.flatMap()` template of a
 * copy it returns; helpers it calls on the same array count too. A function that only reads markers is no
 * helper. Each marker gets a count (at most N per call, one per item, or unknown) from the loops around it and
 * the conditions on the item's index (see `getMarkerWalk` in marker-loops.ts).
 *
 * A helper applies to a request when the request sends what the helper marked, in the function that makes the
 * request: `messages: helper(history)`, `const messages = helper(history)`, or `helper(messages)` called before
 * the request that sends `messages` (also spread: `[...messages, question]`).
 */

/** A marker a helper makes on the items of the array it is given. */
export interface HelperMarker {
  /** The marker (property or assignment), in the helper's own module. */
  node: Node;
  kind: MarkerKind;
  /** At most this many markers per call; null: one per item of an array of unknown length; undefined: unknown. */
  count: number | null | undefined;
  /** Made only under a condition (a test on the item, an early `continue`, a conditional value). */
  conditional: boolean;
  /** Whenever it is set, the value is a marker object (`CACHE`, `config.cacheControl`, `last ? CC : undefined`). */
  certain: boolean;
}

/** A helper called on the prompt of one request. */
export interface MarkerHelperCall {
  request: PromptRequest;
  /** The call in the linted file: `markRecentTurns(messages)`, `markLast(history)`. */
  call: TSESTree.CallExpression;
  /** The helper as called, for messages: `markRecentTurns()`. */
  name: string;
  /** The helper function (in the linted file or an imported module). */
  fn: FunctionNode;
  /** The argument whose items the helper marks, as written in the call. */
  argument: Node;
  section: Section;
  /** The request's segments the markers may land on (a whole section, or the part a spread contributes). */
  segments: Segment[];
  markers: HelperMarker[];
  /** The call itself runs only under a condition (`if (caching) markRecentTurns(messages)`). */
  conditional: boolean;
  /** The helper is written in the linted file (its loops are also seen by `getMarkerLoops`). */
  local: boolean;
}

/**
 * A marker set outside the request literal, without a loop, in the function that makes the request, on an item
 * of an array the request sends: `messages.at(-1).content.at(-1).cache_control = CC` before the call. (Markers
 * set in loops are `getMarkerLoops`' job.)
 */
export interface InlineMarker {
  request: PromptRequest;
  marker: HelperMarker;
  /** The request's segments the marker may land on. */
  segments: Segment[];
}

/** What a helper does to one of its parameters. */
interface HelperSummary {
  /** Markers set on the parameter's items in place: they reach every later request that sends the array. */
  inPlace: HelperMarker[];
  /** Markers on what the function returns: a marked copy (`return msgs.map(…)`), or the parameter itself. */
  returned: HelperMarker[];
  /** The function returns the parameter (or a copy of it): markers set on the argument before the call reach the result. */
  passesThrough: boolean;
}

/** Request properties that hold a section of the prompt, by request format (AI SDK: `prompt`, `instructions`). */
const SECTION_KEYS: ReadonlyArray<[string, Section]> = [
  ['tools', 'tools'],
  ['system', 'system'],
  ['instructions', 'system'],
  ['messages', 'messages'],
  ['prompt', 'messages'],
];

/** Nested helper calls followed (`prepare(msgs)` calling `markRecent(msgs)`). */
const MAX_HELPER_DEPTH = 3;
/** Nodes visited while summarising the helpers of one linted file (precision-safe: past it, no more helpers). */
export const MAX_HELPER_NODES = 200_000;
/** Largest function body summarised as a helper (in nodes); a longer one is not followed. */
export const MAX_HELPER_BODY = 5_000;

/** Array methods whose result holds (some of) the receiver's items, in order: a copy for the marker's purpose. */
const COPY_METHODS = new Set(['slice', 'map', 'filter', 'concat', 'toReversed', 'toSorted', 'reverse', 'sort', 'flat']);
/** Array methods that return one item of the receiver. */
const ITEM_METHODS = new Set(['at', 'find', 'findLast']);
/** Array methods whose callback receives each item first. */
const ITEM_CALLBACK_METHODS = new Set(['forEach', 'map', 'flatMap', 'filter', 'some', 'every', 'find', 'findLast']);
/** Words a file that assigns markers contains. */
const MARKER_WORDS = ['cache_control', 'providerOptions', 'cacheControl', 'cachePoint'];

/**
 * Every marker helper called on the prompt of a request of the file, computed once per file. Helpers that add
 * no marker (or that only read markers) are left out.
 */
export function getMarkerHelperCalls(sourceCode: SourceCode): MarkerHelperCall[] {
  return getAddedMarkers(sourceCode).calls;
}

/**
 * Whether markers the request's literal does not show may land after `last`: a helper called on the messages
 * (`markRecentTurns(messages)`, `messages: markLast(history)`), a loop of the request's function that marks items
 * of an array it sends, or a marker assigned to one of them before the call. The last breakpoint is then not
 * where the literal suggests (often the newest turn, which caches everything before it). Precision first: any
 * such marker, even a conditional one, silences the rule.
 */
export function hasMarkersAddedAfter(request: PromptRequest, last: Breakpoint, sourceCode: SourceCode): boolean {
  const after = (segments: readonly Segment[]) => segments.some((segment) => segment.index > last.segmentIndex);
  if (getMarkerHelperCalls(sourceCode).some((helper) => helper.request === request && after(helper.segments))) return true;
  if (getInlineMarkers(sourceCode).some((inline) => inline.request === request && after(inline.segments))) return true;
  // Loops: a marker the core laid out is a breakpoint already (never after the last one); for the others
  // (`x.cache_control = …` in a loop, a conditional `.map()` template) where they land is not known.
  return getMarkerLoops(sourceCode).some((loop) => loop.request === request && !request.breakpoints.some((breakpoint) => breakpoint.node === loop.node));
}

/** Every {@link InlineMarker} of the file, computed once per file. */
export function getInlineMarkers(sourceCode: SourceCode): InlineMarker[] {
  return getAddedMarkers(sourceCode).inline;
}

function getAddedMarkers(sourceCode: SourceCode): { calls: MarkerHelperCall[]; inline: InlineMarker[] } {
  return perFile(sourceCode, 'marker-helpers', () => {
    const { evaluator, requests } = getFileAnalysis(sourceCode);
    if (requests.length === 0) return { calls: [], inline: [] };
    return new HelperFinder(sourceCode, evaluator).find(requests);
  });
}

/**
 * The markers a helper call certainly adds, when their number is bounded: the sum of the counts of markers
 * whose value is a marker object (the number a request can carry; a conditional marker counts as its bound).
 * Zero when the call runs under a condition or no marker is bounded.
 */
export function getBoundedMarkerCount(call: MarkerHelperCall): number {
  if (call.conditional) return 0;
  let sum = 0;
  for (const marker of call.markers) if (marker.certain && typeof marker.count === 'number') sum += marker.count;
  return sum;
}

/** A marker the call makes on every item of an array of unknown length, unconditionally; null when none. */
export function getUnboundedMarker(call: MarkerHelperCall): HelperMarker | null {
  if (call.conditional) return null;
  return call.markers.find((marker) => marker.count === null && marker.certain && !marker.conditional) ?? null;
}

class HelperFinder {
  private readonly summaries = new Map<FunctionNode, Map<number, HelperSummary | null>>();
  private budget = MAX_HELPER_NODES;

  constructor(
    private readonly sourceCode: SourceCode,
    private readonly evaluator: Evaluator,
  ) {}

  find(requests: readonly PromptRequest[]): { calls: MarkerHelperCall[]; inline: InlineMarker[] } {
    const calls: MarkerHelperCall[] = [];
    const inline: InlineMarker[] = [];
    const mayAssign = MARKER_WORDS.some((word) => this.sourceCode.text.includes(word));
    for (const request of requests) {
      const params = request.site.params;
      if (params.kind !== 'object') continue;
      for (const [key, section] of SECTION_KEYS) {
        const prop = lastProp(params.props, key);
        if (prop?.node.type !== AST_NODE_TYPES.Property || !isDescendant(prop.node, this.sourceCode.ast)) continue;
        const segments = getSectionSegments(request, section, this.sourceCode);
        for (const call of this.fromExpression(prop.node.value as Node, request, section, segments)) {
          // The same helper run twice on the same array marks the same items again.
          if (!calls.some((other) => other.request === request && other.fn === call.fn && this.sourceCode.getText(other.argument) === this.sourceCode.getText(call.argument))) calls.push(call);
        }
        if (mayAssign) inline.push(...this.inlineMarkers(prop.node.value as Node, request, segments));
      }
    }
    return { calls, inline };
  }

  /** Marker assignments outside loops, before the request, on items of the array `expression` (or a spread of one). */
  private inlineMarkers(expression: Node, request: PromptRequest, segments: Segment[]): InlineMarker[] {
    const node = unwrapAwait(expression);
    const ids = node.type === AST_NODE_TYPES.Identifier ? [node] : node.type === AST_NODE_TYPES.ArrayExpression ? node.elements.flatMap((e) => (e?.type === AST_NODE_TYPES.SpreadElement && e.argument.type === AST_NODE_TYPES.Identifier ? [e.argument] : [])) : [];
    const out: InlineMarker[] = [];
    const body = request.fn ? request.fn.body : this.sourceCode.ast;
    for (const id of ids) {
      const variable = findVariable(this.sourceCode.getScope(id), id);
      if (!variable || variable.defs.length !== 1 || isReassigned(variable) || !body) continue;
      const scope = new ArrayScope(this.sourceCode, variable);
      const stack: Node[] = [body];
      while (stack.length > 0 && this.budget > 0) {
        const current = stack.pop()!;
        this.budget--;
        if (current.range[0] >= request.site.call.range[0] || (current !== body && isFunctionNode(current) && !isIterationCallback(current))) continue;
        if (current.type === AST_NODE_TYPES.AssignmentExpression && current.operator === '=') {
          const left = unwrapExpression(current.left);
          const marker = left.type === AST_NODE_TYPES.MemberExpression && scope.isItem(left.object) ? getAssignedMarker(current, this.evaluator) : null;
          const walk = marker ? getMarkerWalk(current, this.sourceCode, this.evaluator) : null;
          if (marker && walk && walk.stoppedAt === request.fn && walk.iterations.length === 0 && appliesTo(marker.kind, request)) {
            const conditional = walk.conditional || isConditionalExpression(current.right);
            out.push({ request, segments, marker: { node: current, kind: marker.kind, count: 1, conditional, certain: isCertainMarker(marker.value) } });
          }
        }
        for (const child of childNodes(current, this.sourceCode)) stack.push(child);
      }
    }
    return out;
  }

  /**
   * Helper calls whose marks reach `expression`, the value of a request's section (or a spread in it);
   * `conditional`: the expression is sent only under a condition (`caching ? markLast(history) : history`).
   */
  private fromExpression(expression: Node, request: PromptRequest, section: Section, segments: Segment[], depth = 0, conditional = false): MarkerHelperCall[] {
    const node = unwrapAwait(expression);
    if (depth > MAX_HELPER_DEPTH) return [];
    if (node.type === AST_NODE_TYPES.CallExpression) return this.wrapping(node, request, section, segments, conditional, depth);
    if (node.type === AST_NODE_TYPES.ConditionalExpression) {
      return [node.consequent, node.alternate].flatMap((branch) => this.fromExpression(branch, request, section, segments, depth + 1, true));
    }
    if (node.type === AST_NODE_TYPES.LogicalExpression) {
      return [node.left, node.right].flatMap((branch) => this.fromExpression(branch, request, section, segments, depth + 1, true));
    }
    if (node.type === AST_NODE_TYPES.ArrayExpression) {
      const out: MarkerHelperCall[] = [];
      for (const element of node.elements) {
        if (element?.type !== AST_NODE_TYPES.SpreadElement) continue;
        // The segments a spread contributes: all but those of the literal elements next to it.
        const others = node.elements.filter((e): e is TSESTree.Expression => !!e && e.type !== AST_NODE_TYPES.SpreadElement);
        const own = segments.filter((segment) => !others.some((other) => isDescendant(segment.node, other)));
        out.push(...this.fromExpression(element.argument, request, section, own, depth + 1, conditional));
      }
      return out;
    }
    if (node.type !== AST_NODE_TYPES.Identifier) return [];
    const variable = findVariable(this.sourceCode.getScope(node), node);
    if (!variable || variable.defs.length !== 1) return [];
    const out: MarkerHelperCall[] = [];
    const def = variable.defs[0];
    if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.id === def.name && def.node.init) {
      // `const messages = markLast(history)`
      const init = unwrapAwait(def.node.init);
      if (init.type === AST_NODE_TYPES.CallExpression && !isReassigned(variable)) out.push(...this.wrapping(init, request, section, segments, conditional || this.isConditional(init, request), depth));
    }
    // `markRecentTurns(messages)` before the request, in the function that makes it (and `messages` not
    // reassigned in between: then the request may send another array).
    if (isReassigned(variable)) return out;
    for (const reference of variable.references) {
      const call = reference.identifier.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee === reference.identifier) continue;
      const index = call.arguments.indexOf(reference.identifier as TSESTree.Identifier);
      if (index === -1 || call.range[1] > request.site.call.range[0] || isWithin(request.site.call, call)) continue;
      if (getEnclosingFunction(call) !== request.fn) continue;
      const fn = this.helperAt(call);
      const markers = fn && this.summarize(fn, index, 0)?.inPlace.filter((marker) => appliesTo(marker.kind, request));
      if (!fn || !markers?.length) continue;
      out.push(this.makeCall(request, call, call.arguments[index], fn, section, segments, markers, conditional || this.isConditional(call, request)));
    }
    return out;
  }

  /**
   * `helper(history)` whose result is sent: the markers on what it returns; and, when it hands its argument
   * back (`traced(messages)`), the helpers run on that argument before.
   */
  private wrapping(call: TSESTree.CallExpression, request: PromptRequest, section: Section, segments: Segment[], conditional: boolean, depth: number): MarkerHelperCall[] {
    const fn = this.helperAt(call);
    if (!fn) return [];
    const out: MarkerHelperCall[] = [];
    call.arguments.forEach((argument, index) => {
      if (argument.type === AST_NODE_TYPES.SpreadElement) return;
      const summary = this.summarize(fn, index, 0);
      const markers = summary?.returned.filter((marker) => appliesTo(marker.kind, request));
      if (markers?.length) out.push(this.makeCall(request, call, argument, fn, section, segments, markers, conditional));
      if (summary?.passesThrough) out.push(...this.fromExpression(argument, request, section, segments, depth + 1, conditional));
    });
    return out;
  }

  private makeCall(
    request: PromptRequest,
    call: TSESTree.CallExpression,
    argument: Node,
    fn: FunctionValue,
    section: Section,
    segments: Segment[],
    markers: HelperMarker[],
    conditional: boolean,
  ): MarkerHelperCall {
    const path = getMemberPath(call.callee);
    return {
      request,
      call,
      name: `${path ? path.join('.') : this.sourceCode.getText(call.callee)}()`,
      fn: fn.node,
      argument,
      section,
      segments,
      markers,
      conditional,
      local: getRoot(fn.node) === this.sourceCode.ast,
    };
  }

  /** The function a call in the linted file runs (same file or imported), or null (a method, an unknown callee). */
  private helperAt(call: TSESTree.CallExpression): FunctionValue | null {
    const callee = unwrapExpression(call.callee);
    // `xs.map(…)`, `xs.slice(…)`: array methods, not helpers (their templates are the core's and marker-loops' job).
    if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier && ARRAY_METHODS.has(callee.property.name)) return null;
    const value = this.evaluator.evaluate(callee);
    return value.kind === 'function' ? value : null;
  }

  /** Whether `node` runs only under a condition between it and the function that makes the request. */
  private isConditional(node: Node, request: PromptRequest): boolean {
    let child = node;
    for (let parent = node.parent; parent && parent !== request.fn; child = parent, parent = parent.parent) {
      switch (parent.type) {
        case AST_NODE_TYPES.IfStatement:
        case AST_NODE_TYPES.ConditionalExpression:
          if (child !== parent.test) return true;
          break;
        case AST_NODE_TYPES.LogicalExpression:
          if (child === parent.right) return true;
          break;
        case AST_NODE_TYPES.SwitchCase:
        case AST_NODE_TYPES.CatchClause:
          return true;
        default:
          break;
      }
    }
    return false;
  }

  // --- what a helper does ---------------------------------------------------------------------------------

  /** What `fn` does to the items of its parameter `index` (memoised); null when it cannot be followed. */
  private summarize(fn: FunctionValue, index: number, depth: number): HelperSummary | null {
    let byParam = this.summaries.get(fn.node);
    if (!byParam) {
      byParam = new Map();
      this.summaries.set(fn.node, byParam);
    }
    if (byParam.has(index)) return byParam.get(index)!;
    byParam.set(index, null); // a recursive helper is not followed into itself
    const summary = depth > MAX_HELPER_DEPTH ? null : this.computeSummary(fn, index, depth);
    byParam.set(index, summary);
    return summary;
  }

  private computeSummary(fn: FunctionValue, index: number, depth: number): HelperSummary | null {
    const node = fn.node;
    const sourceCode = this.moduleOf(fn);
    const evaluator = fn.owner instanceof Evaluator ? fn.owner : this.evaluator;
    if (!sourceCode || !node.body || node.generator) return null;
    let param: Node | undefined = node.params[index];
    if (param?.type === AST_NODE_TYPES.AssignmentPattern) param = param.left;
    if (param?.type !== AST_NODE_TYPES.Identifier) return null;
    const paramVariable = sourceCode.getDeclaredVariables(node).find((variable) => variable.defs.some((def) => def.name === param));
    if (!paramVariable) return null;
    const scope = new ArrayScope(sourceCode, paramVariable);
    const summary: HelperSummary = { inPlace: [], returned: [], passesThrough: false };
    const returned = new Set<Node>(returnedExpressions(node).map(unwrapAwait));
    const isReturned = (expression: Node) => returned.has(expression) || scope.isReturnedVariableInit(expression, returned);

    const stack: Node[] = [node.body];
    let size = 0;
    while (stack.length > 0) {
      if (this.budget-- <= 0 || ++size > MAX_HELPER_BODY) return null;
      const current = stack.pop()!;
      if (current.type === AST_NODE_TYPES.AssignmentExpression && current.operator === '=') {
        const marker = this.assignedMarker(current, scope, node, sourceCode, evaluator);
        if (marker) summary.inPlace.push(marker);
      } else if (current.type === AST_NODE_TYPES.CallExpression) {
        const method = getMethodName(current);
        const receiver = method ? (unwrapExpression(current.callee) as TSESTree.MemberExpression).object : null;
        if ((method === 'map' || method === 'flatMap') && receiver && scope.isArray(receiver) && isReturned(current)) {
          summary.returned.push(...this.templateMarkers(current, node, sourceCode, evaluator));
        } else if (depth < MAX_HELPER_DEPTH) {
          this.nestedHelper(current, scope, node, sourceCode, evaluator, depth, isReturned(current), summary);
        }
      }
      for (const child of childNodes(current, sourceCode)) stack.push(child);
    }
    if (returnedExpressions(node).some((expression) => scope.isArray(expression))) {
      summary.passesThrough = true;
      summary.returned.push(...summary.inPlace);
    }
    return summary;
  }

  /** `x.cache_control = v` (or provider options) where `x` is an item of the parameter (or a block of one). */
  private assignedMarker(assignment: TSESTree.AssignmentExpression, scope: ArrayScope, fn: FunctionNode, sourceCode: SourceCode, evaluator: Evaluator): HelperMarker | null {
    const left = unwrapExpression(assignment.left);
    if (left.type !== AST_NODE_TYPES.MemberExpression || !scope.isItem(left.object)) return null;
    const marker = getAssignedMarker(assignment, evaluator);
    if (!marker) return null;
    const walk = getMarkerWalk(assignment, sourceCode, evaluator);
    if (walk.stoppedAt !== fn) return null; // in a nested function the helper may never call
    // Only loops that change which item is marked multiply the marker (`for (const m of msgs) last.cache_control = …` marks one block).
    const chain = scope.chainVariables(left.object);
    const varying = walk.iterations.filter((iteration) => chain.some((variable) => variable.defs.some((def) => isWithin(def.name as Node, iteration.node))));
    const conditional = walk.conditional || isConditionalExpression(assignment.right);
    return { node: assignment, kind: marker.kind, count: multiply(varying), conditional, certain: isCertainMarker(marker.value) };
  }

  /** Markers in the template of `items.map(cb)` (the returned copy). */
  private templateMarkers(call: TSESTree.CallExpression, fn: FunctionNode, sourceCode: SourceCode, evaluator: Evaluator): HelperMarker[] {
    const out: HelperMarker[] = [];
    for (const marker of getTemplateMarkers(call, sourceCode, evaluator)) {
      if (marker.walk.stoppedAt !== fn || out.some((other) => other.node === marker.node)) continue;
      out.push({ node: marker.node, kind: marker.kind, count: multiply(marker.walk.iterations), conditional: marker.walk.conditional, certain: isCertainMarker(marker.value) });
    }
    return out;
  }

  /** `markRecent(msgs)` inside a helper: its in-place markers (and, for `return markLast(msgs)`, its returned ones). */
  private nestedHelper(
    call: TSESTree.CallExpression,
    scope: ArrayScope,
    fn: FunctionNode,
    sourceCode: SourceCode,
    evaluator: Evaluator,
    depth: number,
    returned: boolean,
    summary: HelperSummary,
  ): void {
    const index = call.arguments.findIndex((argument) => argument.type !== AST_NODE_TYPES.SpreadElement && scope.isArray(argument));
    if (index === -1) return;
    const callee = evaluator.evaluate(call.callee);
    if (callee.kind !== 'function') return;
    const walk: Walk = getMarkerWalk(call, sourceCode, evaluator);
    if (walk.stoppedAt !== fn || walk.iterations.length > 0) return;
    const inner = this.summarize(callee, index, depth + 1);
    if (!inner) return;
    const wrap = (marker: HelperMarker): HelperMarker => ({ ...marker, conditional: marker.conditional || walk.conditional });
    summary.inPlace.push(...inner.inPlace.map(wrap));
    if (returned) summary.returned.push(...inner.returned.filter((marker) => !inner.inPlace.includes(marker)).map(wrap));
  }

  /** The source code of the module `fn` is written in (the linted file, or an imported module). */
  private moduleOf(fn: FunctionValue): SourceCode | null {
    const root = getRoot(fn.node);
    if (root === this.sourceCode.ast) return this.sourceCode;
    // The evaluator of an imported module keeps its module's SourceCode (a private field; see the report on
    // `Evaluator.sourceCode`). Anything else: the helper is not followed.
    const sourceCode = fn.owner instanceof Evaluator ? fn.owner.sourceCode : undefined;
    return sourceCode && sourceCode.ast === root ? sourceCode : null;
  }
}

/** Array methods a call on the prompt may use that are not helpers. */
const ARRAY_METHODS = new Set([...COPY_METHODS, ...ITEM_CALLBACK_METHODS, 'at', 'flatMap', 'join', 'push', 'unshift', 'splice']);

/**
 * The variables of a helper that stand for its array parameter (the parameter, and copies of it such as
 * `const out = [...msgs]`), and the tests for "an item of it" (`msgs[i]`, `msgs.at(-1)`, a `for…of` variable, a
 * callback's item, `const last = msgs.at(-1)`) used on assignment targets.
 */
class ArrayScope {
  private readonly arrays = new Set<Variable>();

  constructor(
    private readonly sourceCode: SourceCode,
    param: Variable,
  ) {
    this.arrays.add(param);
    // Copies: `const out = [...msgs]`, `msgs.slice()`, `msgs.map(…)`, `structuredClone(msgs)` (a few rounds).
    for (let round = 0; round < 3; round++) {
      for (const variable of [...this.arrays]) {
        for (const reference of variable.references) {
          const declarator = findDeclaratorOf(reference.identifier as Node);
          if (!declarator || declarator.id.type !== AST_NODE_TYPES.Identifier) continue;
          const copy = findVariable(this.sourceCode.getScope(declarator.id), declarator.id);
          if (copy && !isReassigned(copy) && this.isArray(declarator.init as Node)) this.arrays.add(copy);
        }
      }
    }
  }

  /** `msgs`, a copy variable, `[...msgs]`, `msgs.slice(-2)`, `structuredClone(msgs)`, `Array.from(msgs)`. */
  isArray(expression: Node, depth = 0): boolean {
    const node = unwrapAwait(expression);
    if (depth > 6) return false;
    if (node.type === AST_NODE_TYPES.Identifier) {
      const variable = findVariable(this.sourceCode.getScope(node), node);
      return !!variable && this.arrays.has(variable);
    }
    if (node.type === AST_NODE_TYPES.ArrayExpression) {
      return node.elements.length === 1 && node.elements[0]?.type === AST_NODE_TYPES.SpreadElement && this.isArray(node.elements[0].argument, depth + 1);
    }
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const method = getMethodName(node);
      if (method && COPY_METHODS.has(method)) return this.isArray((unwrapExpression(node.callee) as TSESTree.MemberExpression).object, depth + 1);
      const path = getMemberPath(node.callee)?.join('.');
      const first = node.arguments[0];
      if ((path === 'structuredClone' || path === 'Array.from') && first && first.type !== AST_NODE_TYPES.SpreadElement) return this.isArray(first, depth + 1);
    }
    return false;
  }

  /**
   * Whether `expression` is an item of the array (or something inside one): `msgs[i]`, `msgs.at(-1).content[0]`,
   * `m` of `for (const m of msgs)` or `msgs.forEach((m) => …)`, `last` of `const last = msgs.at(-1)`.
   */
  isItem(expression: Node, depth = 0): boolean {
    if (depth > 6) return false;
    let node = unwrapExpression(expression);
    for (let steps = 0; steps < 20; steps++) {
      if (node.type === AST_NODE_TYPES.MemberExpression) {
        const object = unwrapExpression(node.object);
        if (node.computed && this.isArray(object)) return true;
        node = object;
      } else if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.MemberExpression) {
        const method = getMethodName(node);
        const object = unwrapExpression(node.callee.object);
        if (method && ITEM_METHODS.has(method) && this.isArray(object)) return true;
        node = object;
      } else {
        break;
      }
    }
    if (node.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = findVariable(this.sourceCode.getScope(node), node);
    const def = variable?.defs.length === 1 ? variable.defs[0] : null;
    if (!variable || !def || this.arrays.has(variable)) return false;
    if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator) {
      const loop = def.node.parent?.parent;
      if (!def.node.init && loop?.type === AST_NODE_TYPES.ForOfStatement && loop.left === def.node.parent) return this.isArray(loop.right);
      return !!def.node.init && def.node.id === def.name && !isReassigned(variable) && this.isItem(def.node.init, depth + 1);
    }
    if (def.type === 'Parameter' && isFunctionNode(def.node) && def.node.params[0] === def.name) {
      const call = def.node.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== def.node) return false;
      const method = getMethodName(call);
      return !!method && ITEM_CALLBACK_METHODS.has(method) && this.isArray((unwrapExpression(call.callee) as TSESTree.MemberExpression).object);
    }
    return false;
  }

  /** The variables an item expression is made of (its root and the indexes used along it). */
  chainVariables(expression: Node): Variable[] {
    const variables: Variable[] = [];
    const stack = [unwrapExpression(expression)];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === AST_NODE_TYPES.Identifier) {
        const variable = findVariable(this.sourceCode.getScope(node), node);
        if (variable && !variables.includes(variable)) {
          variables.push(variable);
          // `const m = msgs[i]` declared outside the loop still varies with `i`
          const def = variable.defs.length === 1 ? variable.defs[0] : null;
          if (def?.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) stack.push(unwrapExpression(def.node.init));
        }
      } else if (node.type === AST_NODE_TYPES.MemberExpression) {
        stack.push(unwrapExpression(node.object));
        if (node.computed) stack.push(unwrapExpression(node.property));
      } else if (node.type === AST_NODE_TYPES.CallExpression) {
        stack.push(unwrapExpression(node.callee));
        for (const argument of node.arguments) if (argument.type !== AST_NODE_TYPES.SpreadElement) stack.push(unwrapExpression(argument));
      } else if (node.type === AST_NODE_TYPES.BinaryExpression) {
        stack.push(unwrapExpression(node.left as Node), unwrapExpression(node.right));
      }
    }
    return variables;
  }

  /** `const marked = msgs.map(…); …; return marked`: `expression` initialises a variable the function returns. */
  isReturnedVariableInit(expression: Node, returned: ReadonlySet<Node>): boolean {
    const declarator = expression.parent;
    if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== expression || declarator.id.type !== AST_NODE_TYPES.Identifier) return false;
    const name = declarator.id.name;
    return [...returned].some((node) => node.type === AST_NODE_TYPES.Identifier && node.name === name);
  }
}

// --- helpers ------------------------------------------------------------------------------------------------

/** The product of the loops' counts: a number, null when one runs once per item of an unknown array, undefined when unknown. */
function multiply(iterations: readonly Iteration[]): number | null | undefined {
  let product = 1;
  let unbounded = false;
  for (const iteration of iterations) {
    if (iteration.count.kind === 'unknown') return undefined;
    if (iteration.count.kind === 'unbounded') unbounded = true;
    else product *= iteration.count.max;
  }
  return unbounded ? null : product;
}

/** A marker object whenever set: an object, or a choice of objects and nullish values (`last ? CC : undefined`). */
function isCertainMarker(value: Value, depth = 0): boolean {
  if (value.kind === 'object') return true;
  if (value.kind !== 'choice' || depth > 4) return false;
  let object = false;
  for (const option of value.options) {
    if (option.kind === 'primitive' && (option.value === undefined || option.value === null || option.value === false)) continue;
    if (!isCertainMarker(option, depth + 1)) return false;
    object = true;
  }
  return object;
}

function isConditionalExpression(node: Node): boolean {
  const n = unwrapExpression(node);
  return n.type === AST_NODE_TYPES.ConditionalExpression || n.type === AST_NODE_TYPES.LogicalExpression;
}

function unwrapAwait(node: Node): Node {
  let current = unwrapExpression(node);
  while (current.type === AST_NODE_TYPES.AwaitExpression) current = unwrapExpression(current.argument);
  return current;
}

function getMethodName(call: TSESTree.CallExpression): string | null {
  const callee = unwrapExpression(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return null;
  return callee.property.name;
}

/** The declarator `expression` initialises directly (`const copy = <expression>`), or null. */
function findDeclaratorOf(node: Node): TSESTree.VariableDeclarator | null {
  let current = node;
  // `[...msgs]`, `msgs.slice()`, `structuredClone(msgs)`: climb through the copy expression to its declarator.
  for (let steps = 0; steps < 6; steps++) {
    const parent = current.parent;
    if (!parent) return null;
    if (parent.type === AST_NODE_TYPES.VariableDeclarator) return parent.init === current ? parent : null;
    if (
      parent.type === AST_NODE_TYPES.SpreadElement ||
      parent.type === AST_NODE_TYPES.ArrayExpression ||
      parent.type === AST_NODE_TYPES.MemberExpression ||
      parent.type === AST_NODE_TYPES.CallExpression ||
      parent.type === AST_NODE_TYPES.AwaitExpression ||
      parent.type === AST_NODE_TYPES.TSAsExpression ||
      parent.type === AST_NODE_TYPES.TSNonNullExpression
    ) {
      current = parent;
      continue;
    }
    return null;
  }
  return null;
}

function isReassigned(variable: Variable): boolean {
  return variable.references.some((reference) => reference.isWrite() && !reference.init);
}

/** The expressions a function returns (an arrow's body, or its `return` arguments). */
function returnedExpressions(fn: FunctionNode): Node[] {
  if (!fn.body) return [];
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [unwrapAwait(fn.body)];
  return getReturnStatements(fn).flatMap((statement) => (statement.argument ? [unwrapAwait(statement.argument)] : []));
}

function lastProp<T extends { key: string }>(props: readonly T[], key: string): T | null {
  for (let i = props.length - 1; i >= 0; i--) if (props[i].key === key) return props[i];
  return null;
}

function getRoot(node: Node): Node {
  let current = node;
  while (current.parent) current = current.parent;
  return current;
}

/** `inner` is `outer` or below it, by parent links (nodes of another file never are). */
function isDescendant(inner: Node, outer: Node): boolean {
  for (let node: Node | undefined = inner; node; node = node.parent) if (node === outer) return true;
  return false;
}

/**
 * The segments of `request` an array variable of the linted file feeds: the section whose property is the
 * variable (`messages`, `{ messages }`) or spreads it (`messages: [...history, question]`). Null when the
 * variable is not one of them directly.
 */
export function getSegmentsFedBy(request: PromptRequest, variable: Variable, sourceCode: SourceCode): Segment[] | null {
  const params = request.site.params;
  if (params.kind !== 'object') return null;
  const is = (node: Node) => {
    const n = unwrapExpression(node);
    return n.type === AST_NODE_TYPES.Identifier && findVariable(sourceCode.getScope(n), n) === variable;
  };
  for (const [key, section] of SECTION_KEYS) {
    const prop = lastProp(params.props, key);
    if (prop?.node.type !== AST_NODE_TYPES.Property) continue;
    const value = unwrapExpression(prop.node.value as Node);
    const feeds = is(value) || (value.type === AST_NODE_TYPES.ArrayExpression && value.elements.some((element) => element?.type === AST_NODE_TYPES.SpreadElement && is(element.argument)));
    if (feeds) return getSectionSegments(request, section, sourceCode);
  }
  return null;
}

/**
 * The segments of a section. In the AI SDK, the system messages that open `messages` are laid out as `system`:
 * `messages` then also covers the system segments not written in (or through a constant named by) the
 * request's `system` / `instructions`.
 */
function getSectionSegments(request: PromptRequest, section: Section, sourceCode: SourceCode): Segment[] {
  if (section !== 'messages' || request.site.format !== 'ai-sdk') return request.segments.filter((segment) => segment.section === section);
  const params = request.site.params;
  const own: Node[] = [];
  for (const key of ['system', 'instructions']) {
    const prop = params.kind === 'object' ? lastProp(params.props, key) : null;
    if (prop?.node.type !== AST_NODE_TYPES.Property) continue;
    own.push(prop.node);
    const value = unwrapExpression(prop.node.value as Node);
    const variable = value.type === AST_NODE_TYPES.Identifier ? findVariable(sourceCode.getScope(value), value) : null;
    if (variable?.defs.length === 1) own.push(variable.defs[0].node as Node);
  }
  return request.segments.filter((segment) => segment.section === 'messages' || (segment.section === 'system' && !own.some((node) => isDescendant(segment.node, node))));
}

/** A callback of `xs.forEach(…)` / `xs.map(…)` (its body runs where it is written). */
function isIterationCallback(fn: FunctionNode): boolean {
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== fn) return false;
  const method = getMethodName(call);
  return !!method && ITEM_CALLBACK_METHODS.has(method);
}
