import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { CALL, CONSTRUCT, ESM, createReferenceTracker, findVariable, type TraceMap } from '../eslint-utils.js';
import { getMemberPath, unwrapExpression } from './ast.js';
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
  return text.includes('messages');
}

export type SiteBase = Omit<RequestSite, 'params' | 'paramsNode' | 'batchItem'>;

/** A call or a `new` expression. */
export type Invocation = TSESTree.CallExpression | TSESTree.NewExpression;

/**
 * A family of request sites (an SDK, raw HTTP, another provider). `mayMatch` is a cheap text test that can
 * only over-match; `prepare` runs once per file (trackers, maps) and returns a matcher that turns a call into
 * the requests it sends, or null when the call is not one of this family's.
 */
export interface SiteFamily {
  name: string;
  mayMatch(text: string): boolean;
  prepare(sourceCode: SourceCode, evaluator: Evaluator, globalScope: TSESLint.Scope.Scope): (call: Invocation) => RequestSite[] | null;
}

const families: SiteFamily[] = [];

/** Adds a family of request sites (called once per family module, at load time). */
export function registerSiteFamily(family: SiteFamily): void {
  if (!families.some((f) => f.name === family.name)) families.push(family);
}

/**
 * Finds every cacheable LLM request in the file with one walk over its calls, asking each family whose
 * keywords appear in the text. Families are tried in registration order; the first match wins.
 */
export function findRequestSites(sourceCode: SourceCode, evaluator: Evaluator): RequestSite[] {
  const globalScope = sourceCode.scopeManager?.globalScope as TSESLint.Scope.Scope | undefined;
  if (!globalScope) return [];
  const active = families.filter((family) => family.mayMatch(sourceCode.text));
  if (active.length === 0) return [];
  const matchers = active.map((family) => family.prepare(sourceCode, evaluator, globalScope));
  const sites: RequestSite[] = [];
  for (const call of iterateCalls(sourceCode)) {
    for (const match of matchers) {
      const found = match(call);
      if (found) {
        sites.push(...found);
        break;
      }
    }
  }
  return sites;
}

/** Whether any registered family could match this text (the per-file bail-out). */
export function mayContainAnyRequest(text: string): boolean {
  return families.some((family) => family.mayMatch(text));
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
  prepare(sourceCode, evaluator, globalScope) {
    const traced = new Map<Node, { info: { method: RequestMethod; beta: boolean }; client: ClientInfo }>();
    const tracker = createReferenceTracker(globalScope, ['require']);
    const constructions = [...tracker.iterateEsmReferences(CLIENT_MAPS.esm), ...tracker.iterateCjsReferences(CLIENT_MAPS.cjs)];
    for (const construction of constructions) {
      for (const ref of tracker.iteratePropertyReferences(construction.node, INSTANCE_MAP)) {
        traced.set(ref.node, { info: ref.info, client: construction.info });
      }
    }
    return (call) => {
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

/** Every call and `new` expression in the file, in source order (an explicit stack: no recursion limits). */
export function* iterateCalls(sourceCode: SourceCode): Generator<Invocation> {
  const keys = sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
  const stack: Node[] = [sourceCode.ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) yield node;
    const childKeys = keys[node.type] ?? [];
    for (let k = childKeys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, unknown>)[childKeys[k]];
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) if (child[i] && typeof child[i].type === 'string') stack.push(child[i] as Node);
      } else if (child && typeof (child as Node).type === 'string') {
        stack.push(child as Node);
      }
    }
  }
}
