import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { CALL, CONSTRUCT, ESM, type TraceMap } from '../eslint-utils.js';
import { getStaticKey, unwrapExpression } from './ast.js';
import type { Evaluator } from './evaluate.js';
import type { PromptRequest, Section, Segment, SegmentKind } from './request.js';
import { type Invocation, type Platform, type RequestMethod, type RequestSite, type SiteFamily, getReferenceTracker, registerSiteFamily, textIncludes, textMatches } from './request-sites.js';
import { type Layout, type SegmentBuilder, nodeOf, propertyValueNode } from './segment-builder.js';
import { type ObjectProp, type ObjectValue, type Part, type Value, type Via, getKnownString, textValue } from './values.js';

type Node = TSESTree.Node;

/*
 * LangChain.js chat models that talk to Claude, checked against `@langchain/anthropic@1.5.11`,
 * `@langchain/aws@1.4.5`, `@langchain/core@1.4.0` and `langchain@1.5.14` (installed and run with a stub client):
 *
 * - `new ChatAnthropic({ model | modelName })` / `new ChatAnthropic('claude-…', fields)` sends the Messages API
 *   body built by `_convertMessagesToAnthropicPayload` (dist/utils/message_inputs.js): the leading system
 *   messages become the top-level `system` (one string when there is a single string one, else text blocks); a
 *   later system message stays in `messages` as `role: 'system'`. `cache_control` on a content block is kept
 *   when truthy; on a legacy data block (`source_type`) it is read from `metadata.cache_control`. The call
 *   option `cache_control` (`invoke(x, { cache_control })`, `withConfig`, `bindTools(tools, { cache_control })`)
 *   becomes the top-level `cache_control`: automatic caching. Anthropic-format tools (`input_schema`) keep theirs.
 * - `new ChatBedrockConverse({ model })` sends a Converse request (dist/utils/message_inputs.js): every system
 *   message, wherever it is, goes to `system`; `{ cachePoint: { type: 'default', ttl? } }` blocks are its markers
 *   and `cache_control` on blocks is dropped. The call option `cache_control` appends a cache point after the
 *   system blocks, after the last message's content and after the tools (`applyCachePointsToConversePayload`):
 *   three explicit markers, since Bedrock has no automatic caching.
 * - `createAgent({ model, systemPrompt, tools, middleware: [anthropicPromptCachingMiddleware(opts)] })` from
 *   `langchain`: the middleware sets the call option `cache_control: { type: 'ephemeral', ttl }` on every model
 *   call of `agent.invoke({ messages })` once the messages plus the system prompt number `minMessagesToCache`
 *   (default 3), for ChatAnthropic models only.
 */

type Flavor = 'anthropic' | 'bedrock';
type Role = 'system' | 'human' | 'ai' | 'tool';

interface ModelClass {
  client: string;
  platform: Platform;
}

/** A chat model as the requests see it: its class, model id and what `bindTools` / `withConfig` bound to it. */
interface ModelHandle extends ModelClass {
  model: Value | null;
  modelNode: Node | null;
  /** The tools bound with `bindTools(tools)` (or `withConfig({ tools })`). */
  tools: { value: Value; node: Node } | null;
  /** The schema of `withStructuredOutput(schema)`: sent as one more tool. */
  structured: { value: Value; node: Node } | null;
  /** Call options bound with `bindTools(tools, kwargs)` / `withConfig(config)`, outermost last. */
  bound: { value: Value; node: Node }[];
}

interface AgentHandle {
  model: ModelHandle;
  config: ObjectValue;
  /** The `anthropicPromptCachingMiddleware(...)` call in `middleware`, when there is one. */
  caching: TSESTree.CallExpression | null;
}

type TracedCall = { kind: 'model'; handle: ModelHandle; method: RequestMethod } | { kind: 'agent'; agent: AgentHandle; method: RequestMethod };

const MODEL_PACKAGES: Record<string, { platform: Platform; names: string[] }> = {
  '@langchain/anthropic': { platform: 'anthropic', names: ['ChatAnthropic', 'ChatAnthropicMessages'] },
  '@langchain/aws': { platform: 'bedrock', names: ['ChatBedrockConverse'] },
};
const MESSAGE_CLASSES: Record<string, Role> = { SystemMessage: 'system', HumanMessage: 'human', AIMessage: 'ai', ToolMessage: 'tool' };
/** A LangChain module name, as written in an import or require. */
const LANGCHAIN_MODULE = /['"`]@?langchain\b/;

const MESSAGE_PACKAGES = ['@langchain/core/messages', 'langchain'];

/** ESM and CommonJS trace maps for `names` of each module, with `leaf(name)` at each name. */
function traceMaps<T>(modules: Record<string, string[]>, leaf: (module: string, name: string) => Record<symbol, T>): { esm: TraceMap<T>; cjs: TraceMap<T> } {
  const esm: Record<string, unknown> = {};
  const cjs: Record<string, unknown> = {};
  for (const [module, names] of Object.entries(modules)) {
    const members: Record<string, unknown> = {};
    for (const name of names) members[name] = leaf(module, name);
    esm[module] = { [ESM]: true, ...members };
    cjs[module] = members;
  }
  return { esm: esm as TraceMap<T>, cjs: cjs as TraceMap<T> };
}

const MODEL_MAPS = traceMaps<ModelClass>(
  Object.fromEntries(Object.entries(MODEL_PACKAGES).map(([module, { names }]) => [module, names])),
  (module, name) => ({ [CONSTRUCT]: { client: name === 'ChatAnthropicMessages' ? 'ChatAnthropic' : name, platform: MODEL_PACKAGES[module].platform } }),
);
const MESSAGE_MAPS = traceMaps<Role>(
  Object.fromEntries(MESSAGE_PACKAGES.map((module) => [module, Object.keys(MESSAGE_CLASSES)])),
  (_module, name) => ({ [CONSTRUCT]: MESSAGE_CLASSES[name] }),
);
type LangChainCall = 'createAgent' | 'anthropicPromptCachingMiddleware' | 'initChatModel';
const LANGCHAIN_MAPS = traceMaps<LangChainCall>(
  { langchain: ['createAgent', 'anthropicPromptCachingMiddleware', 'initChatModel'], 'langchain/chat_models/universal': ['initChatModel'] },
  (_module, name) => ({ [CALL]: name as LangChainCall }),
);

type InstanceCall = { kind: 'request'; method: RequestMethod } | { kind: 'bindTools' | 'structured' | 'config' | 'same' };
const call = (info: InstanceCall) => ({ [CALL]: info });
const MODEL_INSTANCE = {
  invoke: call({ kind: 'request', method: 'invoke' }),
  stream: call({ kind: 'request', method: 'stream.langchain' }),
  batch: call({ kind: 'request', method: 'batch' }),
  bindTools: call({ kind: 'bindTools' }),
  withStructuredOutput: call({ kind: 'structured' }),
  withConfig: call({ kind: 'config' }),
  bind: call({ kind: 'config' }),
  withRetry: call({ kind: 'same' }),
} as unknown as TraceMap<InstanceCall>;
const AGENT_INSTANCE = {
  invoke: call({ kind: 'request', method: 'invoke' }),
  stream: call({ kind: 'request', method: 'stream.langchain' }),
} as unknown as TraceMap<InstanceCall>;

/** How many `bindTools(...)` / `withConfig(...)` links are followed from one model. */
const MAX_CHAIN = 6;

/**
 * LangChain.js: `invoke` / `stream` / `batch` on a `ChatAnthropic` or `ChatBedrockConverse` instance traced
 * from its construction (through variables, destructuring, `require`, `bindTools` / `withStructuredOutput` /
 * `withConfig` / `withRetry` chains, and class fields: `this.model = new ChatAnthropic(…)` then
 * `this.model.invoke(…)` in the same class), on `initChatModel('anthropic:…')` models, and on agents of
 * `createAgent` with an Anthropic model. Each `batch` input is a request. The request params are a synthetic
 * object of what the call sends: `model`, `input`, `options`, and the bound `tools`, `structuredOutput`,
 * `boundOptions` (agents: `systemPrompt`, `agentTools`, `promptCaching`); {@link layoutLangChain} lays them out.
 */
export const langchainFamily: SiteFamily = {
  name: 'langchain',
  // Everything is traced from an import or require of a LangChain module (`@langchain/…`, `langchain`, `langchain/…`).
  mayMatch: (text) => textIncludes(text, 'langchain', 'gchain') && textMatches(text, LANGCHAIN_MODULE),
  prepare(sourceCode, evaluator, globalScope) {
    const tracker = getReferenceTracker(globalScope, ['require']);
    const messages = new Map<Node, Role>();
    for (const ref of [...tracker.iterateEsmReferences(MESSAGE_MAPS.esm), ...tracker.iterateCjsReferences(MESSAGE_MAPS.cjs)]) messages.set(ref.node, ref.info);
    messageConstructors.set(evaluator, messages);

    const traced = new Map<Node, TracedCall>();
    const models = new Map<Node, ModelHandle>();
    const follow = (node: Node, handle: ModelHandle, depth: number): void => {
      if (depth > MAX_CHAIN) return;
      for (const start of [node, ...classFieldReads(node, sourceCode)]) {
        for (const ref of tracker.iteratePropertyReferences(start, MODEL_INSTANCE)) {
          const info = ref.info;
          const invocation = ref.node as TSESTree.CallExpression;
          const arg = (index: number) => argument(invocation, index, evaluator);
          if (info.kind === 'request') {
            traced.set(invocation, { kind: 'model', handle, method: info.method });
            continue;
          }
          let next = handle;
          if (info.kind === 'bindTools') next = { ...handle, tools: arg(0), bound: withBound(handle.bound, arg(1)) };
          else if (info.kind === 'structured') next = { ...handle, structured: arg(0) };
          else if (info.kind === 'config') next = { ...handle, bound: withBound(handle.bound, arg(0)) };
          follow(invocation, next, depth + 1);
        }
      }
    };
    for (const construction of [...tracker.iterateEsmReferences(MODEL_MAPS.esm), ...tracker.iterateCjsReferences(MODEL_MAPS.cjs)]) {
      const handle = constructHandle(construction.node as TSESTree.NewExpression, construction.info, evaluator);
      models.set(construction.node, handle);
      follow(construction.node, handle, 0);
    }

    const langchainCalls = [...tracker.iterateEsmReferences(LANGCHAIN_MAPS.esm), ...tracker.iterateCjsReferences(LANGCHAIN_MAPS.cjs)];
    for (const ref of langchainCalls) {
      if (ref.info !== 'initChatModel') continue;
      const handle = initChatModelHandle(ref.node as TSESTree.CallExpression, evaluator);
      if (!handle) continue;
      models.set(ref.node, handle);
      // `await initChatModel(…)` (it returns a promise)
      const parent = ref.node.parent;
      follow(parent?.type === AST_NODE_TYPES.AwaitExpression ? parent : ref.node, handle, 0);
    }
    const cachingCalls = new Set(langchainCalls.filter((ref) => ref.info === 'anthropicPromptCachingMiddleware').map((ref) => ref.node));
    for (const ref of langchainCalls) {
      if (ref.info !== 'createAgent') continue;
      const agent = agentHandle(ref.node as TSESTree.CallExpression, evaluator, models, cachingCalls);
      if (!agent) continue;
      for (const start of [ref.node, ...classFieldReads(ref.node, sourceCode)]) {
        for (const request of tracker.iteratePropertyReferences(start, AGENT_INSTANCE)) {
          if (request.info.kind === 'request') traced.set(request.node, { kind: 'agent', agent, method: request.info.method });
        }
      }
    }

    const match = (invocation: Invocation): RequestSite[] | null => {
      const found = traced.get(invocation);
      if (!found || invocation.type !== AST_NODE_TYPES.CallExpression) return null;
      return found.kind === 'model' ? modelSites(invocation, found.handle, found.method, evaluator) : agentSites(invocation, found.agent, found.method, evaluator);
    };
    return { traced: traced.keys(), match };
  },
};
registerSiteFamily(langchainFamily);

/** Message class constructions (`new HumanMessage(…)` traced to LangChain) of the file an evaluator belongs to. */
const messageConstructors = new WeakMap<Evaluator, Map<Node, Role>>();

function argument(invocation: Invocation, index: number, evaluator: Evaluator): { value: Value; node: Node } | null {
  const node = invocation.arguments[index];
  if (!node || node.type === AST_NODE_TYPES.SpreadElement) return null;
  return { value: evaluator.evaluate(node), node };
}

function withBound(bound: ModelHandle['bound'], options: { value: Value; node: Node } | null): ModelHandle['bound'] {
  return options ? [...bound, options] : bound;
}

/** `new ChatAnthropic({ model })`, `new ChatAnthropic({ modelName })`, `new ChatAnthropic('claude-…', fields)`. */
function constructHandle(node: TSESTree.NewExpression, info: ModelClass, evaluator: Evaluator): ModelHandle {
  const handle: ModelHandle = { ...info, model: null, modelNode: null, tools: null, structured: null, bound: [] };
  const first = argument(node, 0, evaluator);
  if (!first) return handle;
  if (first.value.kind === 'string' || first.value.kind === 'choice') return { ...handle, model: first.value, modelNode: first.node };
  if (first.value.kind === 'object') {
    for (const key of ['model', 'modelName']) {
      const prop = lastProp(first.value, key);
      if (prop) return { ...handle, model: prop.value, modelNode: prop.node };
    }
  }
  return handle;
}

/** `initChatModel('anthropic:claude-…')`, `initChatModel('claude-…', { modelProvider: 'anthropic' })`. */
function initChatModelHandle(node: TSESTree.CallExpression, evaluator: Evaluator): ModelHandle | null {
  const first = argument(node, 0, evaluator);
  const options = argument(node, 1, evaluator);
  const provider = options?.value.kind === 'object' ? getKnownString(evaluator.getProperty(options.value, 'modelProvider')) : null;
  const id = first ? getKnownString(first.value) : null;
  if (id === null || !first) return null;
  const model = anthropicModelId(id, provider);
  if (model === null) return null;
  return { client: 'ChatAnthropic', platform: 'anthropic', model: textValue(model, first.node), modelNode: first.node, tools: null, structured: null, bound: [] };
}

/** The Claude model id of a LangChain model string (`anthropic:claude-…`, or `claude-…`), else null. */
function anthropicModelId(id: string, provider: string | null): string | null {
  const colon = id.indexOf(':');
  if (colon > 0 && provider === null) return id.slice(0, colon) === 'anthropic' ? id.slice(colon + 1) : null;
  if (provider !== null) return provider === 'anthropic' ? id : null;
  return id.startsWith('claude') ? id : null;
}

/**
 * `createAgent({ model, systemPrompt, tools, middleware })` with a Claude model: a string (`anthropic:…`,
 * `claude-…`) or a traced `ChatAnthropic` / `initChatModel` model. Other models are not this family's.
 */
function agentHandle(node: TSESTree.CallExpression, evaluator: Evaluator, models: ReadonlyMap<Node, ModelHandle>, cachingCalls: ReadonlySet<Node>): AgentHandle | null {
  const config = argument(node, 0, evaluator);
  if (!config || config.value.kind !== 'object') return null;
  const modelProp = lastProp(config.value, 'model');
  if (!modelProp) return null;
  let model: ModelHandle | null = null;
  const id = getKnownString(modelProp.value);
  if (id !== null) {
    const claude = anthropicModelId(id, null);
    if (claude !== null) model = { client: 'ChatAnthropic', platform: 'anthropic', model: textValue(claude, valueNodeOf(modelProp)), modelNode: valueNodeOf(modelProp), tools: null, structured: null, bound: [] };
  } else if (modelProp.value.kind === 'unknown') {
    const traced = models.get(modelProp.value.part.node);
    if (traced && traced.client === 'ChatAnthropic') model = traced;
  }
  if (!model) return null;
  let caching: TSESTree.CallExpression | null = null;
  const middleware = evaluator.getProperty(config.value, 'middleware');
  if (middleware?.kind === 'array') {
    for (const item of middleware.items) {
      if (item.value.kind === 'unknown' && cachingCalls.has(item.value.part.node)) caching = item.value.part.node as TSESTree.CallExpression;
    }
  }
  return { model, config: config.value, caching };
}

/**
 * Reads of a class field a model (or agent) is stored in: `model = new ChatAnthropic()` as a field, or
 * `this.model = new ChatAnthropic()` in a method, then `this.model` anywhere in that class.
 */
function classFieldReads(node: Node, sourceCode: Readonly<TSESLint.SourceCode>): Node[] {
  let at: Node = node;
  while (at.parent && (at.parent.type === AST_NODE_TYPES.AwaitExpression || at.parent.type === AST_NODE_TYPES.TSAsExpression || at.parent.type === AST_NODE_TYPES.TSNonNullExpression)) at = at.parent;
  const parent = at.parent;
  let name: string | null = null;
  if (parent?.type === AST_NODE_TYPES.PropertyDefinition && parent.value === at && !parent.static) name = getStaticKey(parent);
  else if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === at && parent.operator === '=') name = thisMember(parent.left);
  if (name === null) return [];
  let body: Node | undefined = parent;
  while (body && body.type !== AST_NODE_TYPES.ClassBody) body = body.parent;
  if (!body) return [];
  const reads: Node[] = [];
  const keys = sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
  const stack: Node[] = [body];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === AST_NODE_TYPES.MemberExpression && thisMember(current) === name && !(current.parent?.type === AST_NODE_TYPES.AssignmentExpression && current.parent.left === current)) {
      reads.push(current);
      continue;
    }
    // a nested class has its own `this`
    if (current !== body && (current.type === AST_NODE_TYPES.ClassBody || current.type === AST_NODE_TYPES.FunctionDeclaration || current.type === AST_NODE_TYPES.FunctionExpression) && !isMethodValue(current)) continue;
    for (const key of keys[current.type] ?? []) {
      const child = (current as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item && typeof (item as Node).type === 'string') stack.push(item as Node);
      } else if (child && typeof (child as Node).type === 'string') stack.push(child as Node);
    }
  }
  return reads;
}

function isMethodValue(node: Node): boolean {
  return node.type === AST_NODE_TYPES.FunctionExpression && (node.parent?.type === AST_NODE_TYPES.MethodDefinition || node.parent?.type === AST_NODE_TYPES.PropertyDefinition);
}

/** `this.model` → `'model'`. */
function thisMember(node: Node): string | null {
  const member = unwrapExpression(node);
  if (member.type !== AST_NODE_TYPES.MemberExpression || member.computed || member.property.type !== AST_NODE_TYPES.Identifier) return null;
  return unwrapExpression(member.object).type === AST_NODE_TYPES.ThisExpression ? member.property.name : null;
}

// --- sites --------------------------------------------------------------------------------------------------

function baseSite(invocation: TSESTree.CallExpression, client: string, platform: Platform, method: RequestMethod): Omit<RequestSite, 'params' | 'paramsNode' | 'batchItem'> {
  return { call: invocation, format: 'langchain', provider: 'langchain', method, beta: false, traced: true, client, platform };
}

/** `model.invoke(input, options)`, `model.stream(…)`, and one request per input of `model.batch(inputs, options)`. */
function modelSites(invocation: TSESTree.CallExpression, handle: ModelHandle, method: RequestMethod, evaluator: Evaluator): RequestSite[] {
  const input = argument(invocation, 0, evaluator);
  if (!input) return [];
  const options = argument(invocation, 1, evaluator);
  const base = baseSite(invocation, handle.client, handle.platform, method);
  const props: ObjectProp[] = [];
  if (handle.model && handle.modelNode) props.push(synthetic('model', handle.model, handle.modelNode));
  if (handle.tools) props.push(synthetic('tools', handle.tools.value, handle.tools.node));
  if (handle.structured) props.push(synthetic('structuredOutput', handle.structured.value, handle.structured.node));
  if (handle.bound.length > 0) props.push(synthetic('boundOptions', { kind: 'array', node: handle.bound[0].node, items: handle.bound.map((b) => ({ kind: 'value' as const, value: b.value, node: b.node })) }, handle.bound[0].node));
  if (options) props.push(synthetic('options', options.value, options.node));
  // Options that may hold `cache_control` or `tools` without showing them: the request cannot be fully known.
  const partial = [options, ...handle.bound].some((o) => o && (o.value.kind !== 'object' || o.value.partial));
  const params = (inputValue: Value, inputNode: Node): ObjectValue => ({ kind: 'object', node: invocation, partial, props: [...props, synthetic('input', inputValue, inputNode)] });
  if (method !== 'batch') return [{ ...base, params: params(input.value, input.node), paramsNode: input.node, batchItem: null }];
  if (input.value.kind !== 'array') return [];
  return input.value.items
    .filter((item) => item.kind !== 'spread')
    .map((item) => ({ ...base, params: params(item.value, item.node), paramsNode: item.node, batchItem: item.node }));
}

/** `agent.invoke({ messages }, config)` / `agent.stream(…)` of a `createAgent` agent. */
function agentSites(invocation: TSESTree.CallExpression, agent: AgentHandle, method: RequestMethod, evaluator: Evaluator): RequestSite[] {
  const input = argument(invocation, 0, evaluator);
  if (!input) return [];
  const { model, config } = agent;
  const props: ObjectProp[] = [];
  if (model.model && model.modelNode) props.push(synthetic('model', model.model, model.modelNode));
  for (const [key, as] of [['systemPrompt', 'systemPrompt'], ['tools', 'agentTools']] as const) {
    const prop = lastProp(config, key);
    if (prop) props.push(synthetic(as, prop.value, valueNodeOf(prop)));
  }
  if (agent.caching) {
    const marker = cachingMarker(agent.caching, evaluator);
    if (marker) props.push(synthetic('promptCaching', marker, agent.caching));
  }
  props.push(synthetic('input', input.value, input.node));
  const params: ObjectValue = { kind: 'object', node: invocation, partial: config.partial, props };
  return [{ ...baseSite(invocation, 'createAgent', 'anthropic', method), params, paramsNode: input.node, batchItem: null }];
}

/**
 * The marker `anthropicPromptCachingMiddleware(opts)` puts on each model call: `{ type: 'ephemeral', ttl }`, with
 * `minMessagesToCache` kept for the layout. Null when `enableCaching` is `false`.
 */
function cachingMarker(node: TSESTree.CallExpression, evaluator: Evaluator): ObjectValue | null {
  const options = argument(node, 0, evaluator);
  const props: ObjectProp[] = [synthetic('type', textValue('ephemeral', node), node)];
  if (options?.value.kind === 'object') {
    const enable = evaluator.getProperty(options.value, 'enableCaching');
    if (enable?.kind === 'primitive' && enable.value === false) return null;
    const ttl = lastProp(options.value, 'ttl');
    if (ttl) props.push(ttl);
    const min = lastProp(options.value, 'minMessagesToCache');
    if (min) props.push(min);
  }
  return { kind: 'object', node: options?.node ?? node, partial: false, props };
}

function synthetic(key: string, value: Value, node: Node): ObjectProp {
  return { key, value, node };
}

function lastProp(object: ObjectValue, key: string): ObjectProp | null {
  for (let i = object.props.length - 1; i >= 0; i--) if (object.props[i].key === key) return object.props[i];
  return null;
}

function valueNodeOf(prop: ObjectProp): Node {
  return prop.node.type === AST_NODE_TYPES.Property ? unwrapExpression(prop.node.value) : prop.node;
}

// --- layout -------------------------------------------------------------------------------------------------

/** One entry of the input list: a message whose role is known, or an unknown run. */
type Entry =
  | { kind: 'message'; role: Role; content: Value | null; contentNode: Node; node: Node; toolCalls: Value | null }
  | { kind: 'opaque'; value: Value; node: Node; repeated: boolean; template: Entry | null };

interface LayoutContext {
  request: PromptRequest;
  builder: SegmentBuilder;
  evaluator: Evaluator;
  flavor: Flavor;
}

/**
 * LangChain requests in cache order, as the provider package converts them: tools (bound tools, then the
 * structured-output tool) → system → messages. See the notes at the top of this file for what each flavor sends.
 */
export const layoutLangChain: Layout = (request, params, builder, evaluator) => {
  const ctx: LayoutContext = { request, builder, evaluator, flavor: request.site.platform === 'bedrock' ? 'bedrock' : 'anthropic' };
  const get = (key: string) => lastProp(params, key);
  const model = get('model');
  if (model) builder.setModel(model.value);
  const options = get('options');
  const callOption = (key: string): ObjectProp | null => {
    const fromCall = options?.value.kind === 'object' ? lastProp(options.value, key) : null;
    if (fromCall) return fromCall;
    const bound = get('boundOptions')?.value;
    if (bound?.kind !== 'array') return null;
    for (let i = bound.items.length - 1; i >= 0; i--) {
      const item = bound.items[i].value;
      const prop = item.kind === 'object' ? lastProp(item, key) : null;
      if (prop) return prop;
    }
    return null;
  };

  // tools
  const tools = callOption('tools') ?? get('tools') ?? get('agentTools');
  if (tools) layoutTools(ctx, tools.value);
  const structured = get('structuredOutput');
  if (structured) {
    if (structured.value.kind === 'object') {
      builder.push({ section: 'tools', kind: 'tool', node: structured.node, value: structured.value, textNode: null, parts: evaluator.serialize(structured.value, structured.node), breakpoint: null, markerSource: null, repeated: false });
    } else builder.opaque('tools', structured.value, structured.node);
  }

  // system and messages
  const input = get('input');
  let entries: Entry[] = [];
  let known = true;
  if (input) {
    let list: Value | null = input.value;
    if (request.site.client === 'createAgent') list = input.value.kind === 'object' ? evaluator.getProperty(input.value, 'messages') : null;
    const listed = list ? toEntries(ctx, list, input.node) : null;
    known = listed !== null;
    // Unknown input (a parameter, a prompt value): an unknown run of messages.
    entries = listed ?? [{ kind: 'opaque', value: list ?? input.value, node: input.node, repeated: false, template: null }];
  }
  if (!known) {
    request.incomplete = true;
    request.hasHistory = true;
  }
  const systemPrompt = get('systemPrompt');
  if (systemPrompt) {
    const entry = toMessage(ctx, systemPrompt.value, systemPrompt.node, 'system');
    if (entry) entries = [entry, ...entries];
  }
  layoutEntries(ctx, entries);

  // call-level caching
  const caching = callOption('cache_control');
  if (caching && !isFalsy(caching.value)) {
    if (ctx.flavor === 'bedrock') applyBedrockCachePoints(ctx, caching);
    else automatic(ctx, caching.value, caching.node);
  }
  const middleware = get('promptCaching');
  const hasTools = !!tools && !(tools.value.kind === 'array' && tools.value.items.length === 0);
  if (middleware && middleware.value.kind === 'object' && middlewareApplies(middleware.value, entries, hasTools)) {
    automatic(ctx, middleware.value, middleware.node);
  }
};

function automatic(ctx: LayoutContext, value: Value, node: Node): void {
  const marker = ctx.builder.marker(value, node, true, false);
  if (!marker) return;
  marker.segmentIndex = ctx.request.segments.length - 1;
  ctx.request.automatic = marker;
}

/**
 * The prompt-caching middleware skips calls whose messages plus system prompt number fewer than
 * `minMessagesToCache` (default 3). An agent with tools calls the model again with more messages, so only a
 * tool-less agent with a known, short message list is certainly never cached.
 */
function middlewareApplies(marker: ObjectValue, entries: Entry[], hasTools: boolean): boolean {
  if (hasTools || entries.some((entry) => entry.kind === 'opaque')) return true;
  const min = lastProp(marker, 'minMessagesToCache');
  const minimum = min ? (min.value.kind === 'primitive' && typeof min.value.value === 'number' ? min.value.value : null) : 3;
  return minimum === null || entries.length >= minimum;
}

function layoutTools(ctx: LayoutContext, value: Value): void {
  if (ctx.flavor === 'anthropic') {
    ctx.builder.tools(value);
    return;
  }
  // Converse tools carry no marker (LangChain rejects a `cachePoint` tool); the call option adds one after them.
  if (value.kind !== 'array') {
    ctx.builder.opaque('tools', value, null);
    ctx.request.incomplete = true;
    return;
  }
  for (const item of value.items) {
    if (item.kind === 'value' && item.value.kind === 'object') {
      ctx.builder.push({ section: 'tools', kind: 'tool', node: item.value.node, value: item.value, textNode: null, parts: ctx.evaluator.serialize(item.value, item.node), breakpoint: null, markerSource: null, repeated: false });
    } else ctx.builder.opaque('tools', item.value, item.node, item.kind === 'repeat');
  }
}

/** The input of `invoke`: a string (one human message) or a list of message-likes; null when unknown. */
function toEntries(ctx: LayoutContext, input: Value, inputNode: Node): Entry[] | null {
  if (input.kind === 'string') return [{ kind: 'message', role: 'human', content: input, contentNode: inputNode, node: inputNode, toolCalls: null }];
  if (input.kind !== 'array') return null;
  return input.items.map((item): Entry => {
    if (item.kind === 'value') return toMessage(ctx, item.value, item.node, null) ?? { kind: 'opaque', value: item.value, node: item.node, repeated: false, template: null };
    return { kind: 'opaque', value: item.value, node: item.node, repeated: item.kind === 'repeat', template: item.kind === 'repeat' ? toMessage(ctx, item.value, item.node, null) : null };
  });
}

const ROLES: Record<string, Role> = { system: 'system', developer: 'system', human: 'human', user: 'human', ai: 'ai', assistant: 'ai', tool: 'tool' };

/**
 * A message-like as `coerceMessageLikeToMessage` reads it: `new HumanMessage(x)` (x a string, a content array
 * or `{ content }`), a `[role, content]` tuple, `{ role | type, content }`, or a string (a human message).
 * `role` forces the role (an agent's `systemPrompt`). Null when the value is not a message we can read.
 */
function toMessage(ctx: LayoutContext, value: Value, node: Node, role: Role | null): Entry | null {
  const { evaluator } = ctx;
  if (value.kind === 'unknown' && value.part.kind === 'unknown') {
    const construction = value.part.node;
    const constructed = messageConstructors.get(evaluator)?.get(construction);
    if (constructed && construction.type === AST_NODE_TYPES.NewExpression) {
      const arg = construction.arguments[0];
      if (!arg || arg.type === AST_NODE_TYPES.SpreadElement) return null;
      // The constructor's argument, seen from where the message enters the request (its hops kept).
      const fields = prependVia(evaluator.evaluate(arg), value.part.via);
      return fieldsMessage(ctx, role ?? constructed, fields, arg, construction);
    }
  }
  if (role) return { kind: 'message', role, content: value, contentNode: nodeOf(value, node), node, toolCalls: null };
  if (value.kind === 'string') return { kind: 'message', role: 'human', content: value, contentNode: nodeOf(value, node), node, toolCalls: null };
  if (value.kind === 'array') {
    const [first, second] = value.items;
    if (!first || first.kind !== 'value' || !second || second.kind !== 'value' || value.items.length !== 2) return null;
    const tupleRole = ROLES[getKnownString(first.value) ?? ''];
    if (!tupleRole || tupleRole === 'tool') return null;
    return { kind: 'message', role: tupleRole, content: second.value, contentNode: second.node, node: value.node, toolCalls: null };
  }
  if (value.kind === 'object') {
    const named = getKnownString(evaluator.getProperty(value, 'role')) ?? getKnownString(evaluator.getProperty(value, 'type'));
    const objectRole = ROLES[named ?? ''];
    if (!objectRole) return null;
    return fieldsMessage(ctx, objectRole, value, value.node, value.node);
  }
  return null;
}

/** A message from its constructor fields: a string or content array, or `{ content | contentBlocks, tool_calls }`. */
function fieldsMessage(ctx: LayoutContext, role: Role, fields: Value, fieldsNode: Node, node: Node): Entry {
  if (fields.kind !== 'object') return { kind: 'message', role, content: fields, contentNode: nodeOf(fields, fieldsNode), node, toolCalls: null };
  const { evaluator } = ctx;
  const content = evaluator.getProperty(fields, 'content') ?? evaluator.getProperty(fields, 'contentBlocks');
  const contentNode = propertyValueNode(fields, 'content') ?? propertyValueNode(fields, 'contentBlocks') ?? (content ? nodeOf(content, fields.node) : fields.node);
  return { kind: 'message', role, content, contentNode, node, toolCalls: role === 'ai' ? evaluator.getProperty(fields, 'tool_calls') : null };
}

/** Leading system messages (Anthropic) or every system message (Bedrock) → `system`; the rest → `messages`. */
function layoutEntries(ctx: LayoutContext, entries: Entry[]): void {
  const isSystem = (entry: Entry) => entry.kind === 'message' && entry.role === 'system';
  let leading = 0;
  while (leading < entries.length && isSystem(entries[leading])) leading++;
  const system = ctx.flavor === 'bedrock' ? entries.filter(isSystem) : entries.slice(0, leading);
  const rest = ctx.flavor === 'bedrock' ? entries.filter((entry) => !isSystem(entry)) : entries.slice(leading);
  const single = system.length === 1;
  for (const entry of system) {
    if (entry.kind !== 'message' || !entry.content) continue;
    content(ctx, 'system', entry, null, null, false, ctx.flavor === 'anthropic' && single);
  }
  rest.forEach((entry, index) => {
    const isLast = index === rest.length - 1;
    if (entry.kind === 'opaque') {
      if (!isLast) ctx.request.hasHistory = true;
      opaque(ctx, 'messages', entry.value, entry.node, entry.repeated, null, null, isLast, entry.template);
      return;
    }
    if (index > 0) ctx.request.hasHistory = true;
    const role = entry.role === 'ai' ? 'assistant' : entry.role === 'system' ? 'system' : 'user';
    // An AI message with tool calls and `content: ''` sends the tool_use blocks only.
    const emptyWithCalls = !!entry.toolCalls && getKnownString(entry.content) === '';
    if (entry.role === 'tool') toolResult(ctx, entry, index, isLast);
    else if (entry.content && !emptyWithCalls) content(ctx, 'messages', entry, index, role, isLast, false);
    if (entry.toolCalls) toolCalls(ctx, entry.toolCalls, index, isLast);
  });
}

/** A message's content: a string (one text segment, or the `system` string) or an array of blocks. */
function content(ctx: LayoutContext, section: Section, entry: Entry & { kind: 'message' }, messageIndex: number | null, role: string | null, inLast: boolean, systemString: boolean): void {
  const value = entry.content!;
  if (value.kind === 'array') {
    blocks(ctx, section, value, messageIndex, role, inLast);
    return;
  }
  if (value.kind === 'object' || value.kind === 'function' || value.kind === 'primitive') {
    ctx.request.incomplete = true;
    return;
  }
  const textNode = entry.contentNode;
  ctx.builder.push({
    section,
    kind: systemString ? 'system' : value.kind === 'string' || value.kind === 'choice' ? 'text' : 'opaque',
    node: systemString ? textNode : entry.node,
    value,
    textNode,
    parts: ctx.evaluator.toParts(value, textNode),
    breakpoint: null,
    markerSource: null,
    repeated: false,
    messageIndex,
    role,
    inLastMessage: inLast,
  });
}

/** Content blocks; markers as the flavor's converter keeps them. */
function blocks(ctx: LayoutContext, section: Section, array: Value & { kind: 'array' }, messageIndex: number | null, role: string | null, inLast: boolean): void {
  const { builder, evaluator } = ctx;
  for (const item of array.items) {
    if (item.kind !== 'value' || item.value.kind !== 'object') {
      if (item.kind === 'value' && item.value.kind === 'string') {
        builder.push({ section, kind: 'text', node: item.node, value: item.value, textNode: item.node, parts: item.value.parts, breakpoint: null, markerSource: null, repeated: false, messageIndex, role, inLastMessage: inLast });
        continue;
      }
      opaque(ctx, section, item.value, item.node, item.kind === 'repeat', messageIndex, role, inLast, null);
      continue;
    }
    const block = item.value;
    const cachePoint = lastProp(block, 'cachePoint');
    if (cachePoint && !lastProp(block, 'type')) {
      // Converse cache point: closes the block before it (ChatAnthropic drops such a block).
      const previous = builder.lastSegment();
      if (ctx.flavor === 'bedrock' && previous && !previous.breakpoint) attach(ctx, previous, cachePoint.value, cachePoint.node, false);
      continue;
    }
    const type = getKnownString(evaluator.getProperty(block, 'type'));
    const kind = blockKind(type);
    const textProp = kind === 'text' ? 'text' : kind === 'thinking' ? 'thinking' : kind === 'redacted_thinking' ? 'data' : null;
    const textValue = textProp ? evaluator.getProperty(block, textProp) : null;
    let parts: Part[];
    if (textValue) parts = evaluator.toParts(textValue, nodeOf(textValue, block.node));
    else parts = evaluator.serialize(block, block.node);
    const segment = builder.push({
      section,
      kind,
      node: block.node,
      value: block,
      textNode: textProp ? propertyValueNode(block, textProp) : null,
      parts,
      breakpoint: null,
      markerSource: null,
      repeated: false,
      messageIndex,
      role,
      inLastMessage: inLast,
    });
    const marker = ctx.flavor === 'anthropic' ? blockMarker(ctx, block, section) : null;
    if (marker) attach(ctx, segment, marker.value, marker.node, false);
  }
}

/** An unknown run; a `.map()` template's marker is kept (its own, or that of a marked block of its content). */
function opaque(ctx: LayoutContext, section: Section, value: Value, node: Node, repeated: boolean, messageIndex: number | null, role: string | null, inLast: boolean, template: Entry | null): void {
  ctx.builder.opaque(section, value, node, repeated, messageIndex, role, inLast);
  const segment = ctx.builder.lastSegment();
  if (!segment) return;
  // The builder reads `cache_control` on the item or its `content` blocks: not a Converse marker, and on a
  // message-like it is no marker either (only its content blocks can carry one).
  const message = template?.kind === 'message' ? template : null;
  if (ctx.flavor === 'bedrock' || message) segment.breakpoint = null;
  if (segment.breakpoint || !repeated) return;
  const blocksOf = message ? (message.content?.kind === 'array' ? message.content.items : []) : value.kind === 'object' ? [{ kind: 'value' as const, value, node }] : [];
  for (const item of blocksOf) {
    if (item.value.kind !== 'object') continue;
    const marker = ctx.flavor === 'anthropic' ? blockMarker(ctx, item.value, section) : null;
    const cachePoint = ctx.flavor === 'bedrock' ? lastProp(item.value, 'cachePoint') : null;
    if (marker) attach(ctx, segment, marker.value, marker.node, true);
    else if (cachePoint) attach(ctx, segment, cachePoint.value, cachePoint.node, true);
  }
}

/** A tool message: one `tool_result` (Anthropic: in a user turn); a marker on one of its blocks marks it. */
function toolResult(ctx: LayoutContext, entry: Entry & { kind: 'message' }, index: number, isLast: boolean): void {
  const value = entry.content;
  const parts = !value ? [] : value.kind === 'string' ? value.parts : ctx.evaluator.serialize(value, entry.contentNode);
  const segment = ctx.builder.push({ section: 'messages', kind: 'tool_result', node: entry.node, value, textNode: value?.kind === 'string' ? entry.contentNode : null, parts, breakpoint: null, markerSource: null, repeated: false, messageIndex: index, role: 'user', inLastMessage: isLast });
  if (value?.kind !== 'array') return;
  for (const item of value.items) {
    if (item.kind !== 'value' || item.value.kind !== 'object') continue;
    const marker = ctx.flavor === 'anthropic' ? blockMarker(ctx, item.value, 'messages') : null;
    const cachePoint = ctx.flavor === 'bedrock' ? lastProp(item.value, 'cachePoint') : null;
    if (marker) attach(ctx, segment, marker.value, marker.node, false);
    else if (cachePoint) attach(ctx, segment, cachePoint.value, cachePoint.node, false);
  }
}

/** `new AIMessage({ content, tool_calls })`: a `tool_use` block per call, after the content. */
function toolCalls(ctx: LayoutContext, calls: Value, index: number, isLast: boolean): void {
  if (calls.kind !== 'array') {
    if (!(calls.kind === 'primitive' && calls.value === undefined)) ctx.builder.opaque('messages', calls, null, false, index, 'assistant', isLast);
    return;
  }
  for (const item of calls.items) {
    if (item.kind === 'value' && item.value.kind === 'object') {
      ctx.builder.push({ section: 'messages', kind: 'tool_use', node: item.value.node, value: item.value, textNode: null, parts: ctx.evaluator.serialize(item.value, item.node), breakpoint: null, markerSource: null, repeated: false, messageIndex: index, role: 'assistant', inLastMessage: isLast });
    } else ctx.builder.opaque('messages', item.value, item.node, item.kind === 'repeat', index, 'assistant', isLast);
  }
}

/**
 * ChatAnthropic's marker of a block: a truthy `cache_control`, or for a legacy data block (`source_type`) in a
 * message, `metadata.cache_control` (system blocks keep only `cache_control`).
 */
function blockMarker(ctx: LayoutContext, block: ObjectValue, section: Section): { value: Value; node: Node } | null {
  const own = lastProp(block, 'cache_control');
  if (own) return isFalsy(own.value) ? null : { value: own.value, node: own.node };
  if (section !== 'messages' || !lastProp(block, 'source_type')) return null;
  const metadata = ctx.evaluator.getProperty(block, 'metadata');
  const nested = metadata?.kind === 'object' ? lastProp(metadata, 'cache_control') : null;
  return nested && !isFalsy(nested.value) ? { value: nested.value, node: nested.node } : null;
}

function attach(ctx: LayoutContext, segment: Segment, value: Value, node: Node, repeated: boolean): void {
  const marker = ctx.builder.marker(value, node, false, repeated);
  if (!marker) return;
  marker.segmentIndex = segment.index;
  segment.breakpoint = marker;
}

/**
 * ChatBedrockConverse's call option `cache_control`: a cache point after the system blocks, after the last
 * message's content and after the tools, each unless that part already has one.
 */
function applyBedrockCachePoints(ctx: LayoutContext, option: ObjectProp): void {
  const segments = ctx.request.segments;
  const lastOf = (section: Section): Segment | null => [...segments].reverse().find((segment) => segment.section === section) ?? null;
  const system = lastOf('system');
  if (system && !segments.some((segment) => segment.section === 'system' && segment.breakpoint)) attach(ctx, system, option.value, option.node, false);
  const last = lastOf('messages');
  if (last && last.inLastMessage && !last.opaque && !segments.some((segment) => segment.inLastMessage && segment.breakpoint)) attach(ctx, last, option.value, option.node, false);
  const tool = lastOf('tools');
  const modelId = ctx.request.model?.id ?? '';
  if (tool && !modelId.includes('amazon.nova')) attach(ctx, tool, option.value, option.node, false);
}

function blockKind(type: string | null): SegmentKind {
  switch (type) {
    case 'text':
    case 'text_delta':
      return 'text';
    case 'image':
    case 'image_url':
      return 'image';
    case 'document':
    case 'file':
      return 'document';
    case 'tool_use':
    case 'server_tool_use':
      return 'tool_use';
    case 'tool_result':
      return 'tool_result';
    case 'thinking':
      return 'thinking';
    case 'redacted_thinking':
      return 'redacted_thinking';
    default:
      return type === null ? 'opaque' : 'other';
  }
}

/** `null`, `undefined`, `false`, `0`, `''`: LangChain drops such a `cache_control`. */
function isFalsy(value: Value): boolean {
  if (value.kind === 'primitive') return !value.value;
  return value.kind === 'string' && getKnownString(value) === '';
}

// --- hops ---------------------------------------------------------------------------------------------------

/** `value` with the hop chain `via` (how the message reached the request) put before each part's own hops. */
function prependVia(value: Value, via: Via | null, depth = 0): Value {
  if (!via || depth > 8) return value;
  const part = <P extends Part>(p: P): P => (p.kind === 'text' ? p : ({ ...p, via: concatVia(via, p.via), ...(p.kind === 'unknown' && p.branches ? { branches: p.branches.map((b) => b.map(part)) } : {}) } as P));
  switch (value.kind) {
    case 'string':
      return { ...value, parts: value.parts.map(part) };
    case 'unknown':
      return { kind: 'unknown', part: part(value.part) };
    case 'date':
      return { ...value, via: concatVia(via, value.via) };
    case 'array':
      return { ...value, items: value.items.map((item) => ({ ...item, value: prependVia(item.value, via, depth + 1) })) };
    case 'object':
      return { ...value, props: value.props.map((prop) => ({ ...prop, value: prependVia(prop.value, via, depth + 1) })) };
    case 'choice':
      return { ...value, options: value.options.map((option) => prependVia(option, via, depth + 1)) };
    default:
      return value;
  }
}

function concatVia(outer: Via | null, inner: Via | null): Via | null {
  if (!outer) return inner;
  return { hop: outer.hop, next: concatVia(outer.next, inner) };
}
