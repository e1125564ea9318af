import { AST_NODE_TYPES, AST_TOKEN_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { CALL, CONSTRUCT, ESM, type ReferenceTracker, createReferenceTracker, findVariable, type TraceMap } from '../eslint-utils.js';
import { getMemberPath, unwrapExpression, wrapExpression } from './ast.js';
import type { Evaluator } from './evaluate.js';
import { type ObjectValue, type Value } from './values.js';

type Node = TSESTree.Node;
type SourceCode = Readonly<TSESLint.SourceCode>;

/** Anthropic client classes and the platform each one talks to. */
export type Platform = 'anthropic' | 'bedrock' | 'vertex' | 'foundry';

interface ClientInfo {
  client: string;
  platform: Platform;
}

/** The request methods of a client (`messages.create`, `beta.messages.stream`, `messages.batches.create`). */
export type RequestMethod =
  | 'create'
  | 'stream'
  | 'parse'
  | 'countTokens'
  | 'toolRunner'
  | 'batches.create'
  | 'converse'
  | 'converseStream'
  | 'chat.completions'
  | 'responses'
  | 'generateText'
  | 'streamText'
  | 'generateObject'
  | 'streamObject'
  | 'agent'
  | 'invoke'
  | 'stream.langchain'
  | 'batch';

/**
 * How a request's prompt is laid out:
 * - `anthropic`: the Messages API body (`system`, `messages`, `tools`, `cache_control` blocks), from the SDK or
 *   raw HTTP;
 * - `converse`: AWS Bedrock Converse (`system` / `messages` / `toolConfig.tools` with `cachePoint` blocks);
 * - `openai`: OpenAI Chat Completions / Responses (automatic caching, no markers);
 * - `ai-sdk`: Vercel AI SDK calls (`generateText`, …; markers in `providerOptions`);
 * - `langchain`: LangChain.js chat models (`invoke` / `stream` / `batch` with message objects).
 */
export type RequestFormat = 'anthropic' | 'converse' | 'openai' | 'ai-sdk' | 'langchain';

/** Who the request goes through, for messages and reports. */
export type RequestProvider = 'anthropic-sdk' | 'http' | 'bedrock-converse' | 'openai' | 'ai-sdk' | 'langchain';

/** A call that sends (or counts) an LLM request whose prompt can be cached. */
export interface RequestSite {
  /** The call (`client.messages.create(...)`, `fetch(...)`) or construction (`new ConverseCommand(...)`). */
  call: Invocation;
  format: RequestFormat;
  provider: RequestProvider;
  method: RequestMethod;
  beta: boolean;
  /** The call's receiver was traced to an Anthropic client constructor (else: recognised by request shape). */
  traced: boolean;
  /** Constructor name when traced (`Anthropic`, `AnthropicBedrock`, …). */
  client: string | null;
  platform: Platform | null;
  /** The request parameters: the call's argument, or one batch item's `params`. */
  params: Value;
  /** Node the params come from (the argument, or the batch item's `params` value). */
  paramsNode: Node;
  /** For batch items: the item node inside `requests`. */
  batchItem: Node | null;
}

const CLIENT_PACKAGES: Record<string, ClientInfo & { names: string[] }> = {
  '@anthropic-ai/sdk': { client: 'Anthropic', platform: 'anthropic', names: ['Anthropic'] },
  '@anthropic-ai/bedrock-sdk': { client: 'AnthropicBedrock', platform: 'bedrock', names: ['AnthropicBedrock', 'AnthropicBedrockMantle'] },
  '@anthropic-ai/vertex-sdk': { client: 'AnthropicVertex', platform: 'vertex', names: ['AnthropicVertex'] },
  '@anthropic-ai/foundry-sdk': { client: 'AnthropicFoundry', platform: 'foundry', names: ['AnthropicFoundry'] },
};

function buildClientTraceMaps(): { esm: TraceMap<ClientInfo>; cjs: TraceMap<ClientInfo> } {
  const esm: Record<string, unknown> = {};
  const cjs: Record<string, unknown> = {};
  for (const [moduleId, { names, ...info }] of Object.entries(CLIENT_PACKAGES)) {
    const ctor = (client: string) => ({ [CONSTRUCT]: { ...info, client } });
    const members: Record<string, unknown> = {};
    for (const name of names) members[name] = ctor(name);
    esm[moduleId] = { [ESM]: true, default: { ...ctor(info.client), ...members }, ...members };
    cjs[moduleId] = { ...ctor(info.client), default: ctor(info.client), ...members };
  }
  return { esm: esm as TraceMap<ClientInfo>, cjs: cjs as TraceMap<ClientInfo> };
}

const CLIENT_MAPS = buildClientTraceMaps();
const CLIENT_MODULES = Object.keys(CLIENT_PACKAGES);

const MESSAGE_METHODS = ['create', 'stream', 'parse', 'countTokens'] as const;

function methodMap(beta: boolean): TraceMap<{ method: RequestMethod; beta: boolean }> {
  const messages: Record<string, unknown> = {};
  for (const method of [...MESSAGE_METHODS, ...(beta ? ['toolRunner'] : [])]) messages[method] = { [CALL]: { method, beta } };
  messages.batches = { create: { [CALL]: { method: 'batches.create', beta } } };
  return { messages } as TraceMap<{ method: RequestMethod; beta: boolean }>;
}

const INSTANCE_MAP = { ...methodMap(false), beta: methodMap(true) } as TraceMap<{ method: RequestMethod; beta: boolean }>;

/** Cheap test that can only over-match: files without the word `messages` hold no Messages API call. */
export function mayContainRequests(text: string): boolean {
  return textIncludes(text, 'messages', 'messa');
}

/** The text `textIndexOf` / `textMatches` last answered about, and their answers (first indexes, test results). */
let includesText: string | null = null;
const includesAnswers = new Map<string, number | boolean>();

/**
 * `text.indexOf(word)`, answered once per text and word (several families ask about the same word, and the
 * candidate search starts where the bail-out found it). `anchor`, a part of `word`, is searched first when
 * given: a search is much faster when the first character it looks for is rare in code (`xios` for `axios`),
 * and most texts contain neither.
 */
export function textIndexOf(text: string, word: string, anchor?: string): number {
  if (text !== includesText) {
    includesText = text;
    includesAnswers.clear();
  }
  let answer = includesAnswers.get(word) as number | undefined;
  if (answer === undefined) {
    answer = anchor === undefined || text.includes(anchor) ? text.indexOf(word) : -1;
    includesAnswers.set(word, answer);
  }
  return answer;
}

/** `text.includes(word)`, answered once per text and word (see {@link textIndexOf}). */
export function textIncludes(text: string, word: string, anchor?: string): boolean {
  return textIndexOf(text, word, anchor) >= 0;
}

/** `pattern.test(text)`, answered once per text and pattern (a family's test is asked by the bail-out and again later). */
export function textMatches(text: string, pattern: RegExp): boolean {
  if (text !== includesText) {
    includesText = text;
    includesAnswers.clear();
  }
  const key = `/${pattern.source}/${pattern.flags}`;
  let answer = includesAnswers.get(key) as boolean | undefined;
  if (answer === undefined) {
    answer = pattern.test(text);
    includesAnswers.set(key, answer);
  }
  return answer;
}

export type SiteBase = Omit<RequestSite, 'params' | 'paramsNode' | 'batchItem'>;

/** A call or a `new` expression. */
export type Invocation = TSESTree.CallExpression | TSESTree.NewExpression;

/**
 * A family of request sites (an SDK, raw HTTP, another provider). `mayMatch` is a cheap text test that can
 * only over-match; `prepare` runs once per file (trackers, maps) and returns the file's matcher.
 */
export interface SiteFamily {
  name: string;
  /** Asked about every linted file (see {@link textIncludes} for fast searches). */
  mayMatch(text: string): boolean;
  /**
   * For the calls this family recognises by their shape rather than by tracing (`x.messages.create(…)` on an
   * untraced receiver): member names their callee chain goes through, and how many members above that one the
   * callee is (`{ messages: 2 }`: `x.messages.create(…)` and `x.messages.batches.create(…)`). Besides its traced
   * calls, every such call is offered to the matcher (see {@link findShapeCalls}).
   */
  shapeAnchors?: Readonly<Record<string, number>>;
  prepare(sourceCode: SourceCode, evaluator: Evaluator, globalScope: TSESLint.Scope.Scope): SiteMatcher;
}

/** One family's matcher for one file. */
export interface SiteMatcher {
  /**
   * The calls and constructions the family traced in this file. `match` accepts no other call, except the
   * calls found from the family's `shapeAnchors`.
   */
  traced: Iterable<Node>;
  /** The requests a call sends, or null when the call is not one of this family's. */
  match(call: Invocation): RequestSite[] | null;
}

const families: SiteFamily[] = [];

/** Adds a family of request sites (called once per family module, at load time). */
export function registerSiteFamily(family: SiteFamily): void {
  if (families.some((f) => f.name === family.name)) return;
  families.push(family);
  lastText = null;
  anyText = null;
}

/** The last text asked about and its active families: every rule of a file asks about the same text. */
let lastText: string | null = null;
let lastActive: readonly SiteFamily[] = [];

/** The families whose `mayMatch` passes on `text`, in registration order. */
function activeFamilies(text: string): readonly SiteFamily[] {
  if (text === lastText) return lastActive;
  const active = families.filter((family) => family.mayMatch(text));
  lastText = text;
  lastActive = active;
  return active;
}

/**
 * Finds every cacheable LLM request in the file, asking each family whose keywords appear in the text.
 * Families are tried in registration order; the first match wins. The calls asked about are the families'
 * traced calls and the calls found from their `shapeAnchors` (see {@link findShapeCalls}), in traversal order:
 * no walk over every call of the file.
 */
export function findRequestSites(sourceCode: SourceCode, evaluator: Evaluator): RequestSite[] {
  const globalScope = sourceCode.scopeManager?.globalScope as TSESLint.Scope.Scope | undefined;
  if (!globalScope) return [];
  const active = activeFamilies(sourceCode.text);
  if (active.length === 0) return [];
  const matchers = active.map((family) => family.prepare(sourceCode, evaluator, globalScope));
  const sites: RequestSite[] = [];
  for (const call of candidateCalls(sourceCode, active, matchers)) {
    for (const matcher of matchers) {
      const found = matcher.match(call);
      if (found) {
        sites.push(...found);
        break;
      }
    }
  }
  return sites;
}

/** The last text {@link mayContainAnyRequest} answered about, and its answer. */
let anyText: string | null = null;
let anyAnswer = false;

/**
 * Whether any registered family could match this text (the per-file bail-out, asked about every linted file).
 * Stops at the first family that may match: most files match none, and the others are asked about their
 * families later ({@link textIncludes} keeps the answers).
 */
export function mayContainAnyRequest(text: string): boolean {
  if (text === lastText) return lastActive.length > 0;
  if (text !== anyText) {
    anyText = text;
    anyAnswer = families.some((family) => family.mayMatch(text));
  }
  return anyAnswer;
}

/**
 * The calls a matcher can accept: the traced ones and the calls found from the families' `shapeAnchors`, in
 * traversal order (source order, an outer call before the calls inside it), each once.
 */
function candidateCalls(sourceCode: SourceCode, active: readonly SiteFamily[], matchers: readonly SiteMatcher[]): Iterable<Invocation> {
  const anchors = new Map<string, number>();
  for (const family of active) {
    for (const [name, depth] of Object.entries(family.shapeAnchors ?? {})) anchors.set(name, Math.max(depth, anchors.get(name) ?? 0));
  }
  const found = new Set<Invocation>(anchors.size > 0 ? findShapeCalls(sourceCode, anchors) : []);
  for (const matcher of matchers) {
    for (const node of matcher.traced) {
      if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) found.add(node);
    }
  }
  return [...found].sort((a, b) => a.range[0] - b.range[0] || b.range[1] - a.range[1]);
}

/** Per file: the sources of its imports and re-exports, and whether it may `require` (see {@link mayTraceModules}). */
const moduleUses = new WeakMap<TSESLint.Scope.Scope, { sources: Set<unknown>; require: boolean }>();

/**
 * Whether a `ReferenceTracker` could find anything of these modules in the file (`iterateEsmReferences` /
 * `iterateCjsReferences`): an import or re-export of one of them, or any use of `require` (also through
 * `globalThis.require` and the like). When not, a family skips its tracking.
 */
export function mayTraceModules(globalScope: TSESLint.Scope.Scope, moduleIds: Iterable<string>): boolean {
  let uses = moduleUses.get(globalScope);
  if (!uses) {
    const sources = new Set<unknown>();
    const program = globalScope.block as TSESTree.Program;
    for (const statement of program.body) {
      if (
        statement.type === AST_NODE_TYPES.ImportDeclaration ||
        ((statement.type === AST_NODE_TYPES.ExportAllDeclaration || statement.type === AST_NODE_TYPES.ExportNamedDeclaration) && statement.source)
      ) {
        sources.add(statement.source?.value);
      }
    }
    // `require`, and the global objects `iterateCjsReferences` also follows (`globalThis.require(…)`).
    const names = ['require', 'global', 'globalThis', 'self', 'window'];
    let require = names.some((name) => !!globalScope.set.get(name)?.references.length);
    for (let i = 0; !require && i < globalScope.through.length; i++) require = names.includes(globalScope.through[i].identifier.name);
    uses = { sources, require };
    moduleUses.set(globalScope, uses);
  }
  if (uses.require) return true;
  for (const id of moduleIds) if (uses.sources.has(id)) return true;
  return false;
}

/** Per file: the reference trackers of the families, one per set of implicit globals. */
const trackers = new WeakMap<TSESLint.Scope.Scope, Map<string, ReferenceTracker>>();

/**
 * The file's `ReferenceTracker` for these implicit globals (see {@link createReferenceTracker}), shared by the
 * families that ask for the same ones (each family finishes its iterations in `prepare`).
 */
export function getReferenceTracker(globalScope: TSESLint.Scope.Scope, implicitGlobals: readonly string[]): ReferenceTracker {
  let byGlobals = trackers.get(globalScope);
  if (!byGlobals) {
    byGlobals = new Map();
    trackers.set(globalScope, byGlobals);
  }
  const key = implicitGlobals.join(',');
  let tracker = byGlobals.get(key);
  if (!tracker) {
    // An implicit global the file never uses adds nothing to the tracker's view of the scope; leaving it out
    // spares copying the global scope's variables (hundreds in TypeScript files) when no name is missing.
    const through = new Set(globalScope.through.map((reference) => reference.identifier.name));
    tracker = createReferenceTracker(globalScope, implicitGlobals.filter((name) => through.has(name)));
    byGlobals.set(key, tracker);
  }
  return tracker;
}

/**
 * The Anthropic SDK. Calls on a receiver traced (eslint-utils `ReferenceTracker`) to `new Anthropic()` /
 * `AnthropicBedrock` / `AnthropicVertex` / `AnthropicFoundry` are requests. Calls of the same shape on an
 * untraced receiver (`this.client`, a parameter, an imported client) are requests only when the argument looks
 * like a Messages request (`model` + `messages`, or `system` / `max_tokens`) or is typed as one
 * (`MessageCreateParams…`). Twilio's `messages.create({ body, to, from })`, OpenAI's
 * `beta.threads.messages.create(threadId, …)` and Prisma models named `messages` therefore do not match.
 */
export const anthropicSdkFamily: SiteFamily = {
  name: 'anthropic-sdk',
  mayMatch: mayContainRequests,
  // `x.messages.create(…)`, `x.messages.batches.create(…)`
  shapeAnchors: { messages: 2 },
  prepare(sourceCode, evaluator, globalScope) {
    const traced = new Map<Node, { info: { method: RequestMethod; beta: boolean }; client: ClientInfo }>();
    if (mayTraceModules(globalScope, CLIENT_MODULES)) {
      const tracker = getReferenceTracker(globalScope, ['require']);
      const constructions = [...tracker.iterateEsmReferences(CLIENT_MAPS.esm), ...tracker.iterateCjsReferences(CLIENT_MAPS.cjs)];
      for (const construction of constructions) {
        for (const ref of tracker.iteratePropertyReferences(construction.node, INSTANCE_MAP)) {
          traced.set(ref.node, { info: ref.info, client: construction.info });
        }
      }
    }
    const match = (call: Invocation): RequestSite[] | null => {
      if (call.type !== AST_NODE_TYPES.CallExpression) return null;
      const tracedCall = traced.get(call);
      const syntactic = tracedCall ? null : matchMethodPath(call);
      if (!tracedCall && !syntactic) return null;
      const { method, beta } = tracedCall ? tracedCall.info : syntactic!;
      const argument = call.arguments[0];
      if (!argument || argument.type === AST_NODE_TYPES.SpreadElement) return null;
      const value = evaluator.evaluate(argument);
      const base: SiteBase = {
        call,
        format: 'anthropic',
        provider: 'anthropic-sdk',
        method,
        beta,
        traced: !!tracedCall,
        client: tracedCall?.client.client ?? null,
        platform: tracedCall?.client.platform ?? null,
      };
      if (method === 'batches.create') return batchSites(base, value, evaluator, !!tracedCall);
      if (!tracedCall && !looksLikeRequest(value) && !isTypedAsRequest(argument, sourceCode)) return null;
      return [{ ...base, params: value, paramsNode: argument, batchItem: null }];
    };
    return { traced: traced.keys(), match };
  },
};
registerSiteFamily(anthropicSdkFamily);

export function batchSites(base: SiteBase, value: Value, evaluator: Evaluator, traced: boolean): RequestSite[] {
  if (value.kind !== 'object') return [];
  const requests = evaluator.getProperty(value, 'requests');
  if (!requests || requests.kind !== 'array') return [];
  const sites: RequestSite[] = [];
  for (const item of requests.items) {
    if (item.value.kind !== 'object') continue;
    const params = evaluator.getProperty(item.value, 'params');
    if (!params || params.kind !== 'object') continue;
    if (!traced && !(evaluator.getProperty(item.value, 'custom_id') && looksLikeRequest(params))) continue;
    sites.push({ ...base, params, paramsNode: params.node, batchItem: item.node });
  }
  return sites;
}

/** `X.messages.create(…)`, `X.beta.messages.stream(…)`, `X.messages.batches.create(…)`: the method, or null. */
function matchMethodPath(call: TSESTree.CallExpression): { method: RequestMethod; beta: boolean } | null {
  const callee = unwrapExpression(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return null;
  const name = callee.property.name;
  const object = unwrapExpression(callee.object);
  if (object.type !== AST_NODE_TYPES.MemberExpression || object.computed || object.property.type !== AST_NODE_TYPES.Identifier) return null;
  const path = getMemberPath(callee) ?? [];
  if (path.includes('threads')) return null; // OpenAI Assistants: beta.threads.messages.create(threadId, …)
  if (object.property.name === 'messages' && ((MESSAGE_METHODS as readonly string[]).includes(name) || name === 'toolRunner')) {
    const owner = unwrapExpression(object.object);
    const beta = owner.type === AST_NODE_TYPES.MemberExpression && !owner.computed && owner.property.type === AST_NODE_TYPES.Identifier && owner.property.name === 'beta';
    if (name === 'toolRunner' && !beta) return null;
    return { method: name as RequestMethod, beta };
  }
  if (object.property.name === 'batches' && name === 'create') {
    const messages = unwrapExpression(object.object);
    if (messages.type === AST_NODE_TYPES.MemberExpression && !messages.computed && messages.property.type === AST_NODE_TYPES.Identifier && messages.property.name === 'messages') {
      const owner = unwrapExpression(messages.object);
      const beta = owner.type === AST_NODE_TYPES.MemberExpression && !owner.computed && owner.property.type === AST_NODE_TYPES.Identifier && owner.property.name === 'beta';
      return { method: 'batches.create', beta };
    }
  }
  return null;
}

/** A Messages request has `model` and `messages`, or `system`, or `max_tokens`. */
export function looksLikeRequest(value: Value): value is ObjectValue {
  if (value.kind !== 'object') return false;
  const keys = new Set(value.props.map((prop) => prop.key));
  return (keys.has('model') && keys.has('messages')) || keys.has('system') || keys.has('max_tokens');
}

const REQUEST_TYPE = /\b(?:Beta)?Message(?:Create|Stream|CountTokens)Params(?:Base|Streaming|NonStreaming)?\b/;

/** The argument is a variable or parameter annotated with a Messages params type. */
function isTypedAsRequest(argument: Node, sourceCode: SourceCode): boolean {
  const node = unwrapExpression(argument);
  if (node.type === AST_NODE_TYPES.TSAsExpression || node.type === AST_NODE_TYPES.TSSatisfiesExpression) return REQUEST_TYPE.test(sourceCode.getText(node.typeAnnotation));
  if (argument !== node && (argument.type === AST_NODE_TYPES.TSAsExpression || argument.type === AST_NODE_TYPES.TSSatisfiesExpression)) {
    return REQUEST_TYPE.test(sourceCode.getText(argument.typeAnnotation));
  }
  if (node.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = findVariable(sourceCode.getScope(node), node);
  const name = variable?.defs[0]?.name as TSESTree.Identifier | undefined;
  return !!name?.typeAnnotation && REQUEST_TYPE.test(sourceCode.getText(name.typeAnnotation));
}

/**
 * The calls whose callee chain goes through a member named after an anchor: for `anchors` `{ messages: 2 }`, the
 * calls `x.messages.create(…)`, `x?.messages!.stream(…)`, `(x.messages as M).parse(…)`, `x['messages'].y(…)` and
 * `x.messages.batches.create(…)` (the callee at most 2 members above `.messages`, each stripped of `as` /
 * `satisfies` / `!` / `<T>x` / `x<T>` / optional-chain wrappers), comments allowed anywhere. Found from the text
 * rather than by a walk over the AST: each occurrence of an anchor is checked against the tokens (an identifier
 * after `.` / `?.`, or a string after `[`), and only member properties are looked up in the AST. Names spelled
 * with `\u` or `\x` escapes (`m\u0065ssages`, `['m\x65ssages']`) are found from their escapes; other escapes
 * in a computed key (`['m\essages']`, octal, a line continuation) are not read.
 */
export function findShapeCalls(sourceCode: SourceCode, anchors: ReadonlyMap<string, number>): TSESTree.CallExpression[] {
  const text = sourceCode.text;
  const calls: TSESTree.CallExpression[] = [];
  for (const [anchor, depth] of anchors) {
    for (let index = textIndexOf(text, anchor); index >= 0; index = text.indexOf(anchor, index + anchor.length)) {
      if (isIdentifierCode(text.charCodeAt(index - 1)) || isIdentifierCode(text.charCodeAt(index + anchor.length))) continue;
      const property = anchorToken(sourceCode, index, anchor);
      if (!property) continue;
      const node = nodeAt(sourceCode, property.range[0]);
      if (node.range[0] === property.range[0] && node.range[1] === property.range[1]) callsAbove(node, depth, calls);
    }
  }
  // Escaped names: the identifier or string around each escape, when its value is an anchor.
  const escaped = new Set<Node>();
  for (const escape of ['\\u', '\\x']) {
    for (let index = textIndexOf(text, escape); index >= 0; index = text.indexOf(escape, index + 2)) {
      const node = nodeAt(sourceCode, index);
      const name = node.type === AST_NODE_TYPES.Identifier ? node.name : node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string' ? node.value : null;
      const depth = name === null ? undefined : anchors.get(name);
      if (depth === undefined || escaped.has(node)) continue;
      escaped.add(node);
      callsAbove(node, depth, calls);
    }
  }
  return calls;
}

/** With `property` the property of a member (an identifier, or a computed string), the calls up to `depth` members above it. */
function callsAbove(property: Node, depth: number, calls: TSESTree.CallExpression[]): void {
  let member = property.parent;
  if (member?.type !== AST_NODE_TYPES.MemberExpression || member.property !== property || member.computed !== (property.type === AST_NODE_TYPES.Literal)) return;
  for (let level = 0; level < depth; level++) {
    const outer = memberAbove(member);
    if (!outer) return;
    const call = callOfCallee(outer);
    if (call) calls.push(call);
    member = outer;
  }
}

/** An identifier character (ASCII letter, digit, `$`, `_`, or any non-ASCII character); `NaN` (outside the text) is not. */
function isIdentifierCode(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x24 || code === 0x5f || code > 0x7f;
}

/**
 * The token of `anchor` at `index` when it can be a member property: the identifier after `.` / `?.`, or the
 * string (`'anchor'`, `"anchor"`) after `[`; null otherwise (a comment, other text, a declaration).
 */
function anchorToken(sourceCode: SourceCode, index: number, anchor: string): TSESTree.Token | null {
  const identifier = sourceCode.getTokenByRangeStart(index);
  if (identifier) {
    if (identifier.type !== AST_TOKEN_TYPES.Identifier || identifier.value !== anchor) return null;
    const before = sourceCode.getTokenBefore(identifier);
    return before?.type === AST_TOKEN_TYPES.Punctuator && (before.value === '.' || before.value === '?.') ? identifier : null;
  }
  const string = sourceCode.getTokenByRangeStart(index - 1);
  if (string?.type !== AST_TOKEN_TYPES.String || string.range[1] !== index + anchor.length + 1) return null;
  const before = sourceCode.getTokenBefore(string);
  return before?.type === AST_TOKEN_TYPES.Punctuator && before.value === '[' ? string : null;
}

/** The member expression whose object is `member` (through the wrappers `unwrapExpression` strips), or null. */
function memberAbove(member: Node): TSESTree.MemberExpression | null {
  const wrapped = wrapExpression(member);
  const parent = wrapped.parent;
  return parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === wrapped ? parent : null;
}

/** The call whose callee is `member`, possibly wrapped as {@link unwrapExpression} unwraps, or null. */
function callOfCallee(member: Node): TSESTree.CallExpression | null {
  const wrapped = wrapExpression(member);
  const parent = wrapped.parent;
  return parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === wrapped ? parent : null;
}

/**
 * The innermost node that contains offset `index` (`range[0] <= index < range[1]`), descending from the
 * root through the visitor keys; the items of an array (in source order) are binary-searched, so a lookup
 * costs about depth × log(width) range checks.
 */
export function nodeAt(sourceCode: SourceCode, index: number): Node {
  const keys = sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
  let node: Node = sourceCode.ast;
  for (;;) {
    const next = childAt(node, keys[node.type] ?? [], index);
    if (!next) return node;
    node = next;
  }
}

function childAt(node: Node, childKeys: readonly string[], index: number): Node | null {
  for (const key of childKeys) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      const item = itemAt(child, index);
      if (item) return item;
    } else if (isNode(child) && child.range[0] <= index && index < child.range[1]) {
      return child;
    }
  }
  return null;
}

/**
 * The item of an array of nodes in source order (holes allowed) that contains offset `index`, or null: a binary
 * search instead of a scan (`Program.body` of a large module has thousands of items).
 */
export function itemAt(items: readonly unknown[], index: number): Node | null {
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    let at = middle;
    while (at <= high && !isNode(items[at])) at++;
    if (at > high) {
      high = middle - 1;
      continue;
    }
    const item = items[at] as Node;
    if (index < item.range[0]) high = middle - 1;
    else if (index >= item.range[1]) low = at + 1;
    else return item;
  }
  return null;
}

function isNode(value: unknown): value is Node {
  return !!value && typeof (value as Node).type === 'string' && Array.isArray((value as Node).range);
}
