import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { findVariable } from '../eslint-utils.js';
import { type FunctionNode, getEnclosingFunction, getStaticKey, isFunctionNode, isWithin, unwrapExpression } from './ast.js';
import type { Evaluator } from './evaluate.js';
import { isComputedPerRequest } from './prefix.js';
import { type PromptRequest, type Segment, getLastBreakpoint } from './request.js';
import { getPartStability } from './stability.js';
import { type Part, type UnknownPart, viaToArray } from './values.js';

type Node = TSESTree.Node;
type SourceCode = Readonly<TSESLint.SourceCode>;
type Variable = TSESLint.Scope.Variable;

/**
 * Cached prompt text that a function rebuilds on every request although it depends only on values computed
 * once (module-level constants): what `prefer-static-prompt` reports.
 *
 * - {@link iterateRebuiltText}: a template, `+` concatenation, `.join()` / `.concat()` or string method call,
 *   written in a function that runs per request (the request's function, a callback it runs in, or a local
 *   builder function called from one), that produces the text of a cached segment whose every part is stable.
 *   When the construction reads a builder's parameters (`build('Acme')`), the call of the builder is reported.
 * - {@link iteratePerRequestFileReads}: a prompt file read (`readFileSync`, `fs.promises.readFile`) in such a
 *   function, whose text lands in a cached segment and whose path does not depend on the call.
 */

/** How the text is put together. */
export type ConstructionKind = 'template' | 'concatenation' | 'join' | 'concat' | 'method' | 'builder';

export interface RebuiltText {
  request: PromptRequest;
  segment: Segment;
  /** The expression that builds the text, in a function that runs per request. */
  node: Node;
  kind: ConstructionKind;
  /** For `method`: the string method (`replace`, `trim`, …); for `builder`: the called function's name. */
  method?: string;
}

export interface PerRequestFileRead {
  request: PromptRequest;
  segment: Segment;
  /** The read call (`readFileSync(…)`, `fs.promises.readFile(…)`). */
  node: TSESTree.CallExpression;
  /** How the call is shown in messages (`readFileSync()`). */
  label: string;
  /** Sync read: can be moved to module scope without top-level `await`. */
  sync: boolean;
}

/** Calls followed from a function to its callers when deciding whether it runs per request. */
const MAX_CALL_DEPTH = 4;
/** Identifiers / builder calls followed from the text expression to the construction. */
const MAX_WALK_DEPTH = 8;

/** String methods whose result is new text built from the receiver (and arguments). */
export const TEXT_METHODS = new Set([
  'replace', 'replaceAll', 'trim', 'trimStart', 'trimEnd', 'trimLeft', 'trimRight', 'toUpperCase', 'toLowerCase',
  'padStart', 'padEnd', 'repeat', 'slice', 'substring', 'normalize',
]);

/** Methods that turn a file read's result into text without changing what it depends on. */
const FILE_TEXT_METHODS = new Set(['toString', 'trim', 'trimStart', 'trimEnd', 'trimLeft', 'trimRight', 'normalize', 'valueOf']);

/** Template tags the evaluator knows to return their text (`dedent`, `outdent`, …): a tagged template of them builds text. */
const TEXT_TAGS = new Set(['dedent', 'outdent', 'stripIndent', 'stripIndents', 'oneLine', 'oneLineTrim', 'html', 'md', 'markdown', 'raw', 'codeBlock', 'source']);

/** Helpers that build a file path from their arguments (`path.join`, `new URL(…, import.meta.url)`). */
export const PATH_HELPERS = new Set(['join', 'resolve', 'normalize', 'dirname', 'basename', 'fileURLToPath', 'cwd', 'URL']);

/**
 * Whether a part of cached text is static or computed once, as `getPartStability` says, with two changes:
 * a call written in a function on a module-level receiver (`store.get('policy')`) runs per request, so it is
 * not stable; and with `importsAreConstant`, a name imported with `import` (or a member chain of one,
 * `prompts.SYSTEM`) counts as a module-level constant.
 */
export function isStablePart(part: Part, request: PromptRequest, sourceCode: SourceCode, importsAreConstant: boolean): boolean {
  const stability = getPartStability(part, request);
  if (stability === 'static') return true;
  if (stability === 'once') return !isCallOnModuleValue(part);
  return importsAreConstant && part.kind === 'unknown' && !part.isCall && isImportRead(part.node, sourceCode);
}

/**
 * `store.get('policy')` in a function, on a module-level `store`: `getPartStability` rates it `once` (it is
 * reached through a module-level binding), but the call itself runs each time the function does.
 */
function isCallOnModuleValue(part: Part): boolean {
  if (part.kind === 'text' || (part.kind === 'unknown' && !part.isCall && part.reason !== 'call')) return false;
  const hop = viaToArray(part.via).find((h) => h.kind === 'reference' && h.declaredIn === null);
  return !!hop && isWithin(hop.node, part.node) && getEnclosingFunction(part.node) !== null;
}

/** `BASE` or `prompts.SYSTEM` where the root name is an `import` binding. */
function isImportRead(node: Node, sourceCode: SourceCode): boolean {
  let root = node;
  while (root.type === AST_NODE_TYPES.MemberExpression && !root.computed) root = root.object;
  if (root.type !== AST_NODE_TYPES.Identifier) return false;
  return findVariable(sourceCode.getScope(root), root)?.defs[0]?.type === 'ImportBinding';
}

/** Segments at or before the request's last breakpoint (the automatic one included): the cached text. */
export function getCachedSegments(request: PromptRequest): Segment[] {
  const last = getLastBreakpoint(request);
  if (!last || last.segmentIndex < 0) return [];
  return request.segments.filter((segment) => segment.index <= last.segmentIndex);
}

/**
 * Every construction that rebuilds a cached segment's text on each request from stable parts. A segment
 * qualifies when every part of its text passes `isStable` (static or computed once), its text expression
 * sits in a function that runs per request, and that expression (or a `const` / builder it resolves to in such
 * a function) is a construction referencing at least one name: `'a' + 'b'` and literals are not reported, nor
 * a bare reference to a module-level constant. Requests made at module level yield nothing.
 */
export function* iterateRebuiltText(request: PromptRequest, sourceCode: SourceCode, isStable: (part: Part) => boolean): Generator<RebuiltText> {
  if (!request.fn) return;
  const scope = new RequestFunctions(request, sourceCode);
  for (const segment of getCachedSegments(request)) {
    if (segment.opaque || segment.repeated || !segment.textNode || (segment.kind !== 'text' && segment.kind !== 'system')) continue;
    if (segment.parts.length === 0 || !segment.parts.every(isStable)) continue;
    const expression = getTextExpression(segment, request);
    if (!expression) continue;
    const holder = getEnclosingFunction(expression);
    if (!holder || !scope.runsPerRequest(holder)) continue; // an object literal at module level is built once
    for (const construction of scope.constructions(expression, 0, new Set(), [])) {
      const fn = getEnclosingFunction(construction.node);
      if (!fn || !scope.runsPerRequest(fn)) continue;
      yield { request, segment, ...construction };
    }
  }
}

/**
 * Every prompt file read that runs per request and whose text lands in a cached segment: the read is in a
 * function that runs per request and is not reached through a module-level binding; its path depends only on
 * module-level names, globals and path helpers (a per-tenant path is not reported); and it is not a memoised
 * `cache = readFileSync(…)` assignment. Parts inside ternary branches are not looked at.
 */
export function* iteratePerRequestFileReads(request: PromptRequest, sourceCode: SourceCode, evaluator: Evaluator): Generator<PerRequestFileRead> {
  if (!request.fn) return;
  const scope = new RequestFunctions(request, sourceCode);
  for (const segment of getCachedSegments(request)) {
    if (segment.kind !== 'text' && segment.kind !== 'system') continue;
    for (const part of segment.parts) {
      const read = getFileRead(part, evaluator, 0);
      if (!read || read.node.type !== AST_NODE_TYPES.CallExpression) continue;
      const call = read.node;
      const fn = getEnclosingFunction(call);
      if (!fn || !scope.runsPerRequest(fn) || !isComputedPerRequest(read, request)) continue;
      if (isMemoised(call) || call.arguments.some((argument) => dependsOnLocalValues(argument, sourceCode, 0))) continue;
      const label = read.source?.label ?? `${sourceCode.getText(call.callee)}()`;
      yield { request, segment, node: call, label, sync: /Sync\(\)$/.test(label) };
    }
  }
}

/** The file-read part behind `part`: itself, or the read under `.toString()` / `.trim()` (with `part`'s hops). */
function getFileRead(part: Part, evaluator: Evaluator, depth: number): UnknownPart | null {
  if (part.kind !== 'unknown' || depth > 3) return null;
  if (part.reason === 'file') return part;
  if (part.reason !== 'call' || part.node.type !== AST_NODE_TYPES.CallExpression) return null;
  const callee = unwrapExpression(part.node.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return null;
  if (!FILE_TEXT_METHODS.has(callee.property.name)) return null;
  let object = unwrapExpression(callee.object);
  if (object.type === AST_NODE_TYPES.AwaitExpression) object = unwrapExpression(object.argument);
  const value = evaluator.evaluate(object);
  if (value.kind !== 'unknown' || value.part.kind !== 'unknown') return null;
  const inner = getFileRead(value.part, evaluator, depth + 1);
  return inner ? { ...inner, via: part.via } : null;
}

/** `cache = readFileSync(…)` / `cache ??= …`: the read result is stored for later calls. */
function isMemoised(call: Node): boolean {
  let current: Node = call;
  for (let i = 0; i < 8; i++) {
    const parent: Node | undefined = current.parent;
    if (!parent) return false;
    if (parent.type === AST_NODE_TYPES.AssignmentExpression) return parent.right === current;
    const passThrough =
      parent.type === AST_NODE_TYPES.AwaitExpression ||
      parent.type === AST_NODE_TYPES.TSAsExpression ||
      parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      parent.type === AST_NODE_TYPES.ChainExpression ||
      (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === current) ||
      (parent.type === AST_NODE_TYPES.CallExpression && parent.callee === current);
    if (!passThrough) return false;
    current = parent;
  }
  return false;
}

/**
 * Whether an expression (a file path, prompt text) depends on values of the function it is in: a parameter,
 * `this`, a local that is not a `const` of such an expression, or a call other than a path helper (any call
 * with `allowCalls`). Module-level names, imports, globals (`__dirname`, `process.env`), `import.meta` and
 * literals do not count.
 */
export function dependsOnLocalValues(expression: Node, sourceCode: SourceCode, depth: number, allowCalls = false): boolean {
  if (depth > MAX_WALK_DEPTH) return true;
  let depends = false;
  visitExpression(expression, sourceCode, (node) => {
    if (depends) return false;
    switch (node.type) {
      case AST_NODE_TYPES.ThisExpression:
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.AssignmentExpression:
      case AST_NODE_TYPES.UpdateExpression:
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionExpression:
        depends = true;
        return false;
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression: {
        const name = getCalleeName(node.callee);
        if (!allowCalls && (name === null || !PATH_HELPERS.has(name))) depends = true;
        return !depends;
      }
      case AST_NODE_TYPES.Identifier: {
        const variable = findVariable(sourceCode.getScope(node), node);
        if (!variable || variable.defs.length === 0) return true; // a global
        const def = variable.defs[0];
        if (def.type === 'ImportBinding' || variable.scope.block.type === AST_NODE_TYPES.Program) return true;
        const init = getConstInit(variable);
        if (!init || dependsOnLocalValues(init, sourceCode, depth + 1, allowCalls)) depends = true;
        return true;
      }
      default:
        return true;
    }
  });
  return depends;
}

/** The called name: `join` for `path.join`, `URL` for `new URL`, `readFileSync` for `readFileSync`. */
function getCalleeName(callee: Node): string | null {
  const node = unwrapExpression(callee);
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier) return node.property.name;
  return null;
}

/** The expression that gives a segment its text: a block's `text`, a message's string `content`, `system`. */
function getTextExpression(segment: Segment, request: PromptRequest): Node | null {
  if (segment.kind === 'system') {
    const params = request.site.params;
    if (params.kind !== 'object') return null;
    return propertyValue([...params.props].reverse().find((prop) => prop.key === 'system')?.node);
  }
  if (segment.value?.kind === 'object') {
    return propertyValue([...segment.value.props].reverse().find((prop) => prop.key === 'text')?.node);
  }
  const message = segment.node;
  if (message.type !== AST_NODE_TYPES.ObjectExpression) return null;
  const content = [...message.properties].reverse().find((p): p is TSESTree.Property => p.type === AST_NODE_TYPES.Property && getStaticKey(p) === 'content');
  return propertyValue(content);
}

function propertyValue(property: Node | undefined): Node | null {
  if (!property || property.type !== AST_NODE_TYPES.Property || property.kind !== 'init' || property.method) return null;
  return property.value.type === AST_NODE_TYPES.AssignmentPattern ? null : property.value;
}

/** The initializer of a `const` (or never-reassigned `let`) declared with a plain name, or null. */
function getConstInit(variable: Variable): Node | null {
  if (variable.defs.length !== 1) return null;
  const def = variable.defs[0];
  if (def.type !== 'Variable') return null;
  const declarator = def.node as TSESTree.VariableDeclarator;
  if (declarator.id !== def.name || !declarator.init) return null;
  if (variable.references.some((reference) => reference.isWrite() && !reference.init)) return null;
  return declarator.init;
}

/**
 * Which functions run once per request made at `request`: the request's function, every function whose
 * callback chain leads to it (`retry(() => …)` in a route handler, the handler passed to `app.post`), functions
 * nested in those, and local functions called from any of them (followed up to {@link MAX_CALL_DEPTH} calls).
 */
class RequestFunctions {
  private readonly roots: FunctionNode[] = [];
  private readonly memo = new Map<FunctionNode, boolean>();

  constructor(
    request: PromptRequest,
    private readonly sourceCode: SourceCode,
  ) {
    let fn = request.fn;
    while (fn) {
      this.roots.push(fn);
      const parent: Node | undefined = fn.parent;
      const isCallback = parent?.type === AST_NODE_TYPES.CallExpression && (parent.callee === fn || (parent.arguments as Node[]).includes(fn));
      fn = isCallback ? getEnclosingFunction(fn) : null;
    }
  }

  runsPerRequest(fn: FunctionNode, depth = 0): boolean {
    const known = this.memo.get(fn);
    if (known !== undefined) return known;
    this.memo.set(fn, false); // recursion guard
    let result = this.roots.some((root) => isWithin(fn, root));
    if (!result && depth < MAX_CALL_DEPTH) {
      result = this.callSites(fn).some((call) => {
        const caller = getEnclosingFunction(call);
        return !!caller && this.runsPerRequest(caller, depth + 1);
      });
    }
    this.memo.set(fn, result);
    return result;
  }

  /** Calls of a named local function (`function f() {}`, `const f = () => …`). */
  private callSites(fn: FunctionNode): Node[] {
    const variable = getFunctionVariable(fn, this.sourceCode);
    if (!variable) return [];
    return variable.references
      .map((reference) => reference.identifier as Node)
      .filter((identifier) => identifier.parent?.type === AST_NODE_TYPES.CallExpression && identifier.parent.callee === identifier)
      .map((identifier) => identifier.parent as Node);
  }

  /**
   * `construction` when it reads only module-level names (it could be hoisted as is); otherwise the innermost
   * builder call on the way to it that does (`build('Acme')` for a template reading `build`'s parameter).
   */
  private *found(construction: Construction, calls: TSESTree.CallExpression[]): Generator<Construction> {
    if (!dependsOnLocalValues(construction.node, this.sourceCode, 0, true)) {
      yield construction;
      return;
    }
    for (let i = calls.length - 1; i >= 0; i--) {
      if (!dependsOnLocalValues(calls[i], this.sourceCode, 0, true)) {
        yield { node: calls[i], kind: 'builder', method: getCalleeName(calls[i].callee) ?? undefined };
        return;
      }
    }
  }

  /**
   * Constructions that produce the value of `expression`, following `const` locals of per-request functions,
   * calls of local builder functions (into their returns) and both sides of `?:` / `??` / `||`.
   */
  *constructions(expression: Node, depth: number, seen: Set<Node>, calls: TSESTree.CallExpression[]): Generator<Construction> {
    const node = unwrapExpression(expression);
    if (depth > MAX_WALK_DEPTH || seen.has(node)) return;
    seen.add(node);
    switch (node.type) {
      case AST_NODE_TYPES.TemplateLiteral:
        if (node.expressions.length > 0 && hasReference(node, this.sourceCode)) yield* this.found({ node, kind: 'template' }, calls);
        return;
      case AST_NODE_TYPES.TaggedTemplateExpression: {
        const tag = getCalleeName(node.tag);
        if (tag !== null && TEXT_TAGS.has(tag) && node.quasi.expressions.length > 0 && hasReference(node.quasi, this.sourceCode)) yield* this.found({ node, kind: 'template' }, calls);
        return;
      }
      case AST_NODE_TYPES.BinaryExpression:
        if (node.operator === '+' && hasReference(node, this.sourceCode)) yield* this.found({ node, kind: 'concatenation' }, calls);
        return;
      case AST_NODE_TYPES.CallExpression: {
        const callee = unwrapExpression(node.callee);
        if (callee.type === AST_NODE_TYPES.MemberExpression) {
          const method = !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : null;
          if (method === null || !hasReference(node, this.sourceCode)) return;
          if (method === 'join' || method === 'concat') yield* this.found({ node, kind: method }, calls);
          else if (TEXT_METHODS.has(method)) yield* this.found({ node, kind: 'method', method }, calls);
          return;
        }
        if (callee.type !== AST_NODE_TYPES.Identifier) return;
        const builder = getLocalFunction(callee, this.sourceCode);
        if (!builder) return;
        for (const returned of getReturnedExpressions(builder)) yield* this.constructions(returned, depth + 1, seen, [...calls, node]);
        return;
      }
      case AST_NODE_TYPES.Identifier: {
        const variable = findVariable(this.sourceCode.getScope(node), node);
        const init = variable ? getConstInit(variable) : null;
        const declaredIn = variable && init ? getEnclosingFunction(variable.defs[0].name) : null;
        // module-level bindings are computed once; locals of a factory are computed once per factory call
        if (!init || !declaredIn || !this.runsPerRequest(declaredIn)) return;
        yield* this.constructions(init, depth + 1, seen, calls);
        return;
      }
      case AST_NODE_TYPES.ConditionalExpression:
        yield* this.constructions(node.consequent, depth + 1, seen, calls);
        yield* this.constructions(node.alternate, depth + 1, seen, calls);
        return;
      case AST_NODE_TYPES.LogicalExpression:
        yield* this.constructions(node.left, depth + 1, seen, calls);
        yield* this.constructions(node.right, depth + 1, seen, calls);
        return;
      case AST_NODE_TYPES.AwaitExpression:
        yield* this.constructions(node.argument, depth + 1, seen, calls);
        return;
      case AST_NODE_TYPES.SequenceExpression:
        yield* this.constructions(node.expressions[node.expressions.length - 1], depth + 1, seen, calls);
        return;
      default:
        return;
    }
  }
}

/** A construction, or (kind `builder`) the call of a builder whose construction reads its parameters. */
export interface Construction {
  node: Node;
  kind: ConstructionKind;
  method?: string;
}

/** The variable a function is bound to (`function f`, `const f = () => …`), never reassigned; else null. */
function getFunctionVariable(fn: FunctionNode, sourceCode: SourceCode): Variable | null {
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration) {
    return sourceCode.getDeclaredVariables(fn).find((variable) => variable.defs.some((def) => def.type === 'FunctionName')) ?? null;
  }
  const parent = fn.parent;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== fn || parent.id.type !== AST_NODE_TYPES.Identifier) return null;
  const variable = sourceCode.getDeclaredVariables(parent).find((v) => v.name === (parent.id as TSESTree.Identifier).name) ?? null;
  return variable && getConstInit(variable) === fn ? variable : null;
}

/** The local function a callee names (`build` in `build()`), or null. */
function getLocalFunction(callee: TSESTree.Identifier, sourceCode: SourceCode): FunctionNode | null {
  const variable = findVariable(sourceCode.getScope(callee), callee);
  if (!variable || variable.defs.length !== 1) return null;
  const def = variable.defs[0];
  let fn: Node | null = null;
  if (def.type === 'FunctionName') fn = def.node as Node;
  else if (def.type === 'Variable') fn = getConstInit(variable);
  fn = fn ? unwrapExpression(fn) : null;
  if (!isFunctionNode(fn) || fn.generator) return null;
  return fn;
}

/** What a function returns: its expression body, or the argument of each of its own `return`s. */
function getReturnedExpressions(fn: FunctionNode): Node[] {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [fn.body];
  const out: Node[] = [];
  const visit = (statement: Node): void => {
    switch (statement.type) {
      case AST_NODE_TYPES.ReturnStatement:
        if (statement.argument) out.push(statement.argument);
        return;
      case AST_NODE_TYPES.BlockStatement:
        statement.body.forEach(visit);
        return;
      case AST_NODE_TYPES.IfStatement:
        visit(statement.consequent);
        if (statement.alternate) visit(statement.alternate);
        return;
      case AST_NODE_TYPES.TryStatement:
        visit(statement.block);
        if (statement.handler) visit(statement.handler.body);
        if (statement.finalizer) visit(statement.finalizer);
        return;
      case AST_NODE_TYPES.SwitchStatement:
        for (const switchCase of statement.cases) switchCase.consequent.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(fn.body);
  return out;
}

/** Whether an expression reads at least one name (an interpolated constant), as opposed to literals only. */
function hasReference(expression: Node, sourceCode: SourceCode): boolean {
  let found = false;
  visitExpression(expression, sourceCode, (node) => {
    if (found) return false;
    if (node.type === AST_NODE_TYPES.Identifier && node.name !== 'undefined') found = true;
    if (node.type === AST_NODE_TYPES.ThisExpression || node.type === AST_NODE_TYPES.MetaProperty) found = true;
    return !found;
  });
  return found;
}

/**
 * Visits the expression nodes of `root` in reference positions: member property names and object keys that
 * are not computed, and TypeScript type annotations, are skipped. `visit` returns false to skip children.
 */
export function visitExpression(root: Node, sourceCode: SourceCode, visit: (node: Node) => boolean): void {
  const keys = sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type.startsWith('TS') && !('expression' in node)) continue; // a type, not a value
    if (!visit(node)) continue;
    let childKeys = keys[node.type] ?? [];
    if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed) childKeys = ['object'];
    else if (node.type === AST_NODE_TYPES.Property && !node.computed) childKeys = ['value'];
    else if (node.type.startsWith('TS')) childKeys = ['expression'];
    for (const key of childKeys) {
      if (key === 'typeAnnotation' || key === 'typeArguments' || key === 'typeParameters' || key === 'returnType') continue;
      const child = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof (item as Node).type === 'string') stack.push(item as Node);
      } else if (child && typeof (child as Node).type === 'string') {
        stack.push(child as Node);
      }
    }
  }
}
