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
export type RequestMethod = 'create' | 'stream' | 'parse' | 'countTokens' | 'toolRunner' | 'batches.create';

/** A call that sends (or counts) a Messages API request. */
export interface RequestSite {
  /** The SDK call (`client.messages.create(...)`). */
  call: TSESTree.CallExpression;
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

/**
 * Finds every Messages API request in the file. Calls on a receiver traced (eslint-utils `ReferenceTracker`)
 * to `new Anthropic()` / `AnthropicBedrock` / `AnthropicVertex` / `AnthropicFoundry` are requests. Calls of the
 * same shape on an untraced receiver (`this.client`, a parameter, an imported client) are requests only when
 * the argument looks like a Messages request (`model` + `messages`, or `system` / `max_tokens`) or is typed as
 * one (`MessageCreateParams…`). Twilio's `messages.create({ body, to, from })`, OpenAI's
 * `beta.threads.messages.create(threadId, …)` and Prisma models named `messages` therefore do not match.
 */
export function findRequestSites(sourceCode: SourceCode, evaluator: Evaluator): RequestSite[] {
  const globalScope = sourceCode.scopeManager?.globalScope;
  if (!globalScope || !mayContainRequests(sourceCode.text)) return [];

  const traced = new Map<Node, { info: { method: RequestMethod; beta: boolean }; client: ClientInfo }>();
  const tracker = createReferenceTracker(globalScope as TSESLint.Scope.Scope, ['require']);
  const constructions = [...tracker.iterateEsmReferences(CLIENT_MAPS.esm), ...tracker.iterateCjsReferences(CLIENT_MAPS.cjs)];
  for (const construction of constructions) {
    for (const ref of tracker.iteratePropertyReferences(construction.node, INSTANCE_MAP)) {
      traced.set(ref.node, { info: ref.info, client: construction.info });
    }
  }

  const sites: RequestSite[] = [];
  for (const call of iterateCalls(sourceCode)) {
    const tracedCall = traced.get(call);
    const syntactic = tracedCall ? null : matchMethodPath(call);
    if (!tracedCall && !syntactic) continue;
    const { method, beta } = tracedCall ? tracedCall.info : syntactic!;
    const argument = call.arguments[0];
    if (!argument || argument.type === AST_NODE_TYPES.SpreadElement) continue;
    const value = evaluator.evaluate(argument);
    const base = {
      call,
      method,
      beta,
      traced: !!tracedCall,
      client: tracedCall?.client.client ?? null,
      platform: tracedCall?.client.platform ?? null,
    };
    if (method === 'batches.create') {
      sites.push(...batchSites(base, value, evaluator, !!tracedCall));
      continue;
    }
    if (!tracedCall && !looksLikeRequest(value) && !isTypedAsRequest(argument, sourceCode)) continue;
    sites.push({ ...base, params: value, paramsNode: argument, batchItem: null });
  }
  return sites;
}

function batchSites(base: Omit<RequestSite, 'params' | 'paramsNode' | 'batchItem'>, value: Value, evaluator: Evaluator, traced: boolean): RequestSite[] {
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

/** Every CallExpression in the file, in source order (an explicit stack: no recursion limits). */
function* iterateCalls(sourceCode: SourceCode): Generator<TSESTree.CallExpression> {
  const keys = sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
  const stack: Node[] = [sourceCode.ast];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === AST_NODE_TYPES.CallExpression) yield node;
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
