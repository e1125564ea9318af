import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { CALL, CONSTRUCT, ESM, findVariable, type TraceMap } from '../eslint-utils.js';
import { unwrapExpression } from './ast.js';
import type { Evaluator } from './evaluate.js';
import type { PromptRequest, Section, Segment, SegmentKind } from './request.js';
import { type Invocation, type Platform, type RequestMethod, type RequestSite, type SiteFamily, getReferenceTracker, registerSiteFamily } from './request-sites.js';
import type { Layout, SegmentBuilder } from './segment-builder.js';
import { type ArrayItem, type ObjectValue, type Part, type Value, getKnownString, textValue, unknownValue } from './values.js';

type Node = TSESTree.Node;
type SourceCode = Readonly<TSESLint.SourceCode>;

/**
 * The Vercel AI SDK (`ai`, with `@ai-sdk/anthropic` or `@ai-sdk/amazon-bedrock`).
 *
 * Request sites: `generateText` / `streamText` / `generateObject` / `streamObject` imported (or required) from
 * `'ai'`, and `agent.generate(...)` / `agent.stream(...)` on `new ToolLoopAgent({...})` (`Experimental_Agent`),
 * whose settings (`model`, `instructions`, `tools`, `providerOptions`) are merged with the call's `prompt` /
 * `messages`.
 *
 * The request's `model` decides which markers apply (facts §4.1, read from `@ai-sdk/anthropic@3.0.139`
 * `src/get-cache-control.ts` and `@ai-sdk/amazon-bedrock@4.0.186` / `5.0.101`
 * `src/convert-to-*-chat-messages.ts`):
 * - `anthropic('claude-…')`, `anthropic.messages('…')`, `createAnthropic({...})('…')` (and the Anthropic
 *   models on Bedrock / Vertex: `bedrockAnthropic`, `vertexAnthropic`): `providerOptions.anthropic.cacheControl`
 *   (or `cache_control`) on a system message, a message, a content part or a tool; at call level it is the
 *   top-level `cache_control`, i.e. automatic caching;
 * - `bedrock('anthropic.claude-…')` (Bedrock Converse): `providerOptions.bedrock.cachePoint` (or
 *   `amazonBedrock`) on a system message, a message or a content part; no tool-level cache point;
 * - any other provider (`openai(…)`, `google(…)`, a gateway id such as `'openai/gpt-5'`): not a site;
 * - a model the evaluator cannot see (a parameter, a registry lookup): both kinds of markers are read, since
 *   the code was written for a provider that reads them.
 * The older `providerMetadata` / `experimental_providerMetadata` spellings (ai 3.x–4.1) are read like
 * `providerOptions`.
 */
export const aiSdkFamily: SiteFamily = {
  name: 'ai-sdk',
  mayMatch: (text) => text.includes("'ai'") || text.includes('"ai"'),
  prepare(sourceCode, evaluator, globalScope) {
    const tracker = getReferenceTracker(globalScope, ['require']);
    const calls = new Map<Invocation, RequestMethod>();
    const agents = new Map<Invocation, TSESTree.NewExpression>();
    const helpers = new Map<Node, 'tool' | 'wrap'>();
    for (const ref of [...tracker.iterateEsmReferences(AI_ESM), ...tracker.iterateCjsReferences(AI_CJS)]) {
      const info = ref.info;
      if (info.kind === 'call') calls.set(ref.node as Invocation, info.method);
      else if (info.kind === 'tool' || info.kind === 'wrap') helpers.set(ref.node, info.kind);
      else if (ref.node.type === AST_NODE_TYPES.NewExpression) {
        for (const use of tracker.iteratePropertyReferences(ref.node, AGENT_METHODS)) agents.set(use.node as Invocation, ref.node);
      }
    }
    const providers = new Map<Node, ProviderInfo>();
    for (const ref of [...tracker.iterateEsmReferences(PROVIDER_ESM), ...tracker.iterateCjsReferences(PROVIDER_CJS)]) {
      const { factory, ...info } = ref.info;
      if (!factory) {
        providers.set(ref.node, info);
        continue;
      }
      // `createAnthropic({ name })('claude-…')`: the name is the call-level options namespace.
      const settings = ref.node.type === AST_NODE_TYPES.CallExpression ? ref.node.arguments[0] : undefined;
      const name = settings && settings.type !== AST_NODE_TYPES.SpreadElement ? getKnownString(evaluator.getProperty(evaluator.evaluate(settings), 'name')) : null;
      const withName: ProviderInfo = name ? { ...info, namespace: name.split('.')[0] } : info;
      for (const use of tracker.iteratePropertyReferences(ref.node, providerMap(withName))) providers.set(use.node, use.info);
    }
    const context: TraceContext = { sourceCode, evaluator, providers, helpers };
    const match = (call: Invocation): RequestSite[] | null => {
      const method = calls.get(call);
      if (method) return directSite(call, method, context);
      const construction = agents.get(call);
      if (construction) return agentSite(call, construction, context);
      return null;
    };
    return { traced: [...calls.keys(), ...agents.keys()], match };
  },
};
registerSiteFamily(aiSdkFamily);

// --- tracing ------------------------------------------------------------------------------------------------

type AiInfo = { kind: 'call'; method: RequestMethod } | { kind: 'agent' } | { kind: 'tool' } | { kind: 'wrap' };

const aiMembers = {
  generateText: { [CALL]: { kind: 'call', method: 'generateText' } },
  streamText: { [CALL]: { kind: 'call', method: 'streamText' } },
  generateObject: { [CALL]: { kind: 'call', method: 'generateObject' } },
  streamObject: { [CALL]: { kind: 'call', method: 'streamObject' } },
  ToolLoopAgent: { [CONSTRUCT]: { kind: 'agent' } },
  Experimental_Agent: { [CONSTRUCT]: { kind: 'agent' } },
  tool: { [CALL]: { kind: 'tool' } },
  dynamicTool: { [CALL]: { kind: 'tool' } },
  wrapLanguageModel: { [CALL]: { kind: 'wrap' } },
};
const AI_ESM = { ai: { [ESM]: true, ...aiMembers } } as unknown as TraceMap<AiInfo>;
const AI_CJS = { ai: aiMembers } as unknown as TraceMap<AiInfo>;
const AGENT_METHODS = { generate: { [CALL]: true }, stream: { [CALL]: true } } as unknown as TraceMap<true>;

/**
 * A provider function and the markers its models read:
 * - `anthropic`: `providerOptions.anthropic.cacheControl` on blocks and tools, and at call level (automatic);
 * - `bedrock`: Bedrock Converse `providerOptions.bedrock.cachePoint` on system messages, messages and parts.
 */
interface ProviderInfo {
  kind: 'anthropic' | 'bedrock';
  platform: Platform;
  /** The provider function as imported (`anthropic`, `bedrock`, `bedrockAnthropic`, …). */
  client: string;
  /** Provider options namespace besides `anthropic` read at call level (`vertex`, `bedrock`, a custom name). */
  namespace: string | null;
}

type ProviderTrace = ProviderInfo & { factory?: boolean };

/** `p('id')`, `p.languageModel('id')`, `p.chat('id')`, `p.messages('id')`. */
function providerMap(info: ProviderInfo): TraceMap<ProviderInfo> {
  const call = { [CALL]: info };
  return { ...call, languageModel: call, chat: call, messages: call } as unknown as TraceMap<ProviderInfo>;
}

const PROVIDER_PACKAGES: Array<{ module: string; provider: string; factory: string; info: Omit<ProviderInfo, 'client'> }> = [
  { module: '@ai-sdk/anthropic', provider: 'anthropic', factory: 'createAnthropic', info: { kind: 'anthropic', platform: 'anthropic', namespace: null } },
  { module: '@ai-sdk/amazon-bedrock', provider: 'bedrock', factory: 'createAmazonBedrock', info: { kind: 'bedrock', platform: 'bedrock', namespace: null } },
  { module: '@ai-sdk/amazon-bedrock/anthropic', provider: 'bedrockAnthropic', factory: 'createBedrockAnthropic', info: { kind: 'anthropic', platform: 'bedrock', namespace: 'bedrock' } },
  { module: '@ai-sdk/google-vertex/anthropic', provider: 'vertexAnthropic', factory: 'createVertexAnthropic', info: { kind: 'anthropic', platform: 'vertex', namespace: 'vertex' } },
  { module: '@ai-sdk/google-vertex/anthropic/edge', provider: 'vertexAnthropic', factory: 'createVertexAnthropic', info: { kind: 'anthropic', platform: 'vertex', namespace: 'vertex' } },
];

function buildProviderMaps(): { esm: TraceMap<ProviderTrace>; cjs: TraceMap<ProviderTrace> } {
  const esm: Record<string, unknown> = {};
  const cjs: Record<string, unknown> = {};
  for (const { module, provider, factory, info } of PROVIDER_PACKAGES) {
    const members = {
      [provider]: providerMap({ ...info, client: provider }),
      [factory]: { [CALL]: { ...info, client: provider, factory: true } },
    };
    esm[module] = { [ESM]: true, ...members };
    cjs[module] = members;
  }
  return { esm: esm as TraceMap<ProviderTrace>, cjs: cjs as TraceMap<ProviderTrace> };
}

const { esm: PROVIDER_ESM, cjs: PROVIDER_CJS } = buildProviderMaps();

/** Provider packages of the Anthropic models above: a call into them that was not traced is not "another provider". */
const ANTHROPIC_MODULES = new Set(PROVIDER_PACKAGES.map((p) => p.module));

interface TraceContext {
  sourceCode: SourceCode;
  evaluator: Evaluator;
  providers: Map<Node, ProviderInfo>;
  helpers: Map<Node, 'tool' | 'wrap'>;
}

/** What the request's `model` is: an Anthropic or Bedrock model (with its id when known), another provider's, or unknown. */
type ModelResolution =
  | { kind: 'anthropic' | 'bedrock'; provider: ProviderInfo | null; id: Value | null }
  | { kind: 'other' }
  | { kind: 'unknown' };

const UNKNOWN_MODEL: ModelResolution = { kind: 'unknown' };

/** Per request site (its call node): the model resolution and the tool/helper calls, for the layout. */
const siteInfo = new WeakMap<Node, { model: ModelResolution; helpers: Map<Node, 'tool' | 'wrap'>; agentSettings: boolean }>();

function resolveModel(value: Value | null, context: TraceContext, depth = 0): ModelResolution {
  if (!value || depth > 4) return UNKNOWN_MODEL;
  if (value.kind === 'string') {
    const id = getKnownString(value);
    if (id === null) return UNKNOWN_MODEL;
    // A gateway / registry id: `anthropic/claude-sonnet-4.5`, `openai/gpt-5`.
    if (/^anthropic[/:]|claude/i.test(id)) return { kind: 'anthropic', provider: null, id: value };
    return { kind: 'other' };
  }
  if (value.kind === 'choice') {
    const options = value.options.map((option) => resolveModel(option, context, depth + 1));
    const first = options[0];
    if (first && options.every((option) => option.kind === first.kind)) {
      return first.kind === 'anthropic' || first.kind === 'bedrock' ? { kind: first.kind, provider: null, id: null } : first;
    }
    return UNKNOWN_MODEL;
  }
  if (value.kind !== 'unknown' || value.part.kind !== 'unknown') return UNKNOWN_MODEL;
  const node = value.part.node;
  // A model made in another module (followed by the cross-module evaluator) is not traced here: unknown.
  if (node.type !== AST_NODE_TYPES.CallExpression || !isInFile(node, context.sourceCode)) return UNKNOWN_MODEL;
  const provider = context.providers.get(node);
  const argument = node.arguments[0];
  const argValue = argument && argument.type !== AST_NODE_TYPES.SpreadElement ? context.evaluator.evaluate(argument) : null;
  if (provider) return { kind: provider.kind, provider, id: argValue };
  if (context.helpers.get(node) === 'wrap' && argValue) {
    return resolveModel(context.evaluator.getProperty(argValue, 'model'), context, depth + 1);
  }
  const source = importSourceOf(node.callee, context.sourceCode);
  if (source && !ANTHROPIC_MODULES.has(source) && isProviderPackage(source)) {
    // `gateway('anthropic/claude-…')` routes to Anthropic.
    if (/gateway/.test(source) && argValue && resolveModel(argValue, context, depth + 1).kind === 'anthropic') return { kind: 'anthropic', provider: null, id: argValue };
    return { kind: 'other' };
  }
  return UNKNOWN_MODEL;
}

/** Whether `node` belongs to this file's AST (values followed into imported modules carry their nodes). */
function isInFile(node: Node, sourceCode: SourceCode): boolean {
  let root: Node = node;
  while (root.parent) root = root.parent;
  return root === sourceCode.ast;
}

/** `@ai-sdk/openai`, `@openrouter/ai-sdk-provider`, `ollama-ai-provider`: packages that make models for the AI SDK. */
function isProviderPackage(source: string): boolean {
  return source.startsWith('@ai-sdk/') || /ai-sdk|ai-provider/.test(source);
}

/**
 * The module the callee's root identifier comes from: an import, a `require`, or (one level) a factory call
 * made from one (`const openai = createOpenAI(); openai('gpt-5')`).
 */
function importSourceOf(callee: Node, sourceCode: SourceCode, depth = 0): string | null {
  let root = unwrapExpression(callee);
  while (root.type === AST_NODE_TYPES.MemberExpression) root = unwrapExpression(root.object);
  if (root.type === AST_NODE_TYPES.CallExpression && depth < 2) return importSourceOf(root.callee, sourceCode, depth + 1);
  if (root.type !== AST_NODE_TYPES.Identifier) return null;
  const variable = findVariable(sourceCode.getScope(root), root);
  const def = variable?.defs[0];
  if (!def) return null;
  if (def.type === 'ImportBinding') {
    const declaration = def.parent as TSESTree.ImportDeclaration | null;
    return declaration && typeof declaration.source.value === 'string' ? declaration.source.value : null;
  }
  if (def.type === 'Variable' && def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init && depth < 2) {
    let init = unwrapExpression(def.node.init);
    while (init.type === AST_NODE_TYPES.MemberExpression) init = unwrapExpression(init.object);
    if (init.type !== AST_NODE_TYPES.CallExpression) return null;
    const callee = unwrapExpression(init.callee);
    if (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'require') {
      const arg = init.arguments[0];
      return arg && arg.type === AST_NODE_TYPES.Literal && typeof arg.value === 'string' ? arg.value : null;
    }
    return importSourceOf(init.callee, sourceCode, depth + 1);
  }
  return null;
}

// --- sites --------------------------------------------------------------------------------------------------

function makeSite(call: Invocation, method: RequestMethod, params: Value, paramsNode: Node, model: ModelResolution): RequestSite {
  const provider = model.kind === 'anthropic' || model.kind === 'bedrock' ? model.provider : null;
  return {
    call,
    format: 'ai-sdk',
    provider: 'ai-sdk',
    method,
    beta: false,
    traced: true,
    client: provider?.client ?? null,
    platform: provider?.platform ?? (model.kind === 'bedrock' ? 'bedrock' : null),
    params,
    paramsNode,
    batchItem: null,
  };
}

/** `generateText({ model, system, prompt | messages, tools, providerOptions })` and the other call forms. */
function directSite(call: Invocation, method: RequestMethod, context: TraceContext): RequestSite[] | null {
  const argument = call.arguments[0];
  if (!argument || argument.type === AST_NODE_TYPES.SpreadElement) return null;
  const params = context.evaluator.evaluate(argument);
  const model = params.kind === 'object' ? resolveModel(context.evaluator.getProperty(params, 'model'), context) : UNKNOWN_MODEL;
  if (model.kind === 'other') return null;
  siteInfo.set(call, { model, helpers: context.helpers, agentSettings: false });
  return [makeSite(call, method, params, argument, model)];
}

/**
 * `agent.generate({ prompt | messages })` / `agent.stream(...)`: the agent's settings (`new ToolLoopAgent({...})`)
 * merged with the call's options, as `ToolLoopAgent.prepareCall` does (`{ ...settings, ...options }`).
 */
function agentSite(call: Invocation, construction: TSESTree.NewExpression, context: TraceContext): RequestSite[] | null {
  const settingsNode = construction.arguments[0];
  const argument = call.arguments[0];
  if (!settingsNode || settingsNode.type === AST_NODE_TYPES.SpreadElement || !argument || argument.type === AST_NODE_TYPES.SpreadElement) return null;
  const settings = context.evaluator.evaluate(settingsNode);
  if (settings.kind !== 'object') return null;
  const options = context.evaluator.evaluate(argument);
  const params: ObjectValue = {
    kind: 'object',
    node: options.kind === 'object' ? options.node : argument,
    props: [...settings.props, ...(options.kind === 'object' ? options.props : [])],
    partial: settings.partial || options.kind !== 'object' || options.partial,
    spreads: [...(settings.spreads ?? []), ...(options.kind === 'object' ? (options.spreads ?? []) : [options])],
  };
  const model = resolveModel(context.evaluator.getProperty(settings, 'model'), context);
  if (model.kind === 'other') return null;
  siteInfo.set(call, { model, helpers: context.helpers, agentSettings: true });
  return [makeSite(call, 'agent', params, argument, model)];
}

// --- markers ------------------------------------------------------------------------------------------------

/** Where markers are read: provider options under one of these spellings (newest first). */
const OPTION_KEYS = ['providerOptions', 'providerMetadata', 'experimental_providerMetadata'];

interface MarkerSpec {
  namespaces: readonly string[];
  keys: readonly string[];
}

const ANTHROPIC_BLOCK: MarkerSpec = { namespaces: ['anthropic'], keys: ['cacheControl', 'cache_control'] };
const BEDROCK_BLOCK: MarkerSpec = { namespaces: ['amazonBedrock', 'bedrock'], keys: ['cachePoint'] };

interface FoundMarker {
  value: Value;
  node: Node;
}

function isNullish(value: Value | null): boolean {
  return !value || (value.kind === 'primitive' && (value.value === null || value.value === undefined));
}

/**
 * The marker `options[namespace][key]` for the first namespace/key that is set (the SDK's `a ?? b ?? …`), with
 * the property node it is written at. Through `cond ? {...} : undefined` the marker is a choice (uncertain).
 */
function findInOptions(options: Value, spec: MarkerSpec, evaluator: Evaluator, depth = 0): FoundMarker | null {
  if (depth > 4) return null;
  if (options.kind === 'choice') return findInChoice(options, (option) => findInOptions(option, spec, evaluator, depth + 1));
  if (options.kind !== 'object') return null;
  for (const namespace of spec.namespaces) {
    const scope = evaluator.getProperty(options, namespace);
    if (!scope || isNullish(scope)) continue;
    const found = findKey(scope, spec.keys, depth + 1);
    if (found) return found;
  }
  return null;
}

function findKey(scope: Value, keys: readonly string[], depth: number): FoundMarker | null {
  if (depth > 4) return null;
  if (scope.kind === 'choice') return findInChoice(scope, (option) => findKey(option, keys, depth + 1));
  if (scope.kind !== 'object') return null;
  for (const key of keys) {
    for (let i = scope.props.length - 1; i >= 0; i--) {
      const prop = scope.props[i];
      if (prop.key !== key) continue;
      if (!isNullish(prop.value)) return { value: prop.value, node: prop.node };
      break;
    }
  }
  return null;
}

/** A marker found in some branches of a choice: the choice of the marker and `undefined` (an uncertain marker). */
function findInChoice(choice: Value & { kind: 'choice' }, find: (option: Value) => FoundMarker | null): FoundMarker | null {
  const found = choice.options.map(find);
  const first = found.find((marker) => marker !== null);
  if (!first) return null;
  const options = found.map((marker): Value => marker?.value ?? { kind: 'primitive', value: undefined, node: choice.node });
  return { value: { kind: 'choice', options, node: choice.node }, node: first.node };
}

/** The marker on a message, part, tool or system message object (any provider-options spelling). */
function findMarker(object: Value, spec: MarkerSpec, evaluator: Evaluator): FoundMarker | null {
  if (object.kind !== 'object') return null;
  for (const key of OPTION_KEYS) {
    // Only options written (or spread from a known object) here: `{ ...m, providerOptions }` still has a marker.
    if (!object.props.some((prop) => prop.key === key)) continue;
    const options = evaluator.getProperty(object, key);
    if (!options || isNullish(options)) continue;
    const found = findInOptions(options, spec, evaluator);
    return found && { ...found, node: markerNode(found.node, object, key) };
  }
  return null;
}

/**
 * Where a marker is shown: the `cacheControl` / `cachePoint` property when it is written in the block itself,
 * else the block's `providerOptions: shared` property (a marker from a shared or imported constant is reported
 * on each block that uses it, never on a line of another file).
 */
function markerNode(node: Node, object: ObjectValue, key: string): Node {
  if (isInside(node, object.node)) return node;
  const prop = [...object.props].reverse().find((p) => p.key === key);
  return prop && prop.node.type === AST_NODE_TYPES.Property && isInside(prop.node, object.node) ? prop.node : node;
}

/** `inner` is `outer` or one of its descendants (by parent links: nodes of other files never match). */
function isInside(inner: Node, outer: Node): boolean {
  for (let node: Node | undefined = inner; node; node = node.parent) if (node === outer) return true;
  return false;
}

// --- layout -------------------------------------------------------------------------------------------------

/**
 * AI SDK prompt order, as the Anthropic provider sends it: `tools` (the `tools` object's entries, in order) →
 * system (`system` / `instructions`, then the `role: 'system'` messages that open `messages`) → messages
 * (`prompt` as one user text, or `messages` / a `prompt` array) → content parts. A message-level marker closes
 * the message's last part unless that part has its own; a call-level `providerOptions.anthropic.cacheControl`
 * is automatic caching. For Bedrock Converse models, `cachePoint` markers close the part, message or system
 * message they are set on.
 */
export const layoutAiSdk: Layout = (request, params, builder, evaluator) => {
  const info = siteInfo.get(request.site.call);
  const model = info?.model ?? UNKNOWN_MODEL;
  const layout = new AiSdkLayout(request, builder, evaluator, model, info?.helpers ?? new Map());
  if (model.kind === 'anthropic' || model.kind === 'bedrock') builder.setModel(model.id);
  if (info?.agentSettings && evaluator.getProperty(params, 'prepareCall')) request.incomplete = true;
  layout.tools(evaluator.getProperty(params, 'tools'));
  const instructions = evaluator.getProperty(params, 'instructions');
  const systemKey = instructions && !isNullish(instructions) ? 'instructions' : 'system';
  layout.system(instructions && !isNullish(instructions) ? instructions : evaluator.getProperty(params, 'system'), builder.propertyNode(params, systemKey));
  const messages = evaluator.getProperty(params, 'messages');
  const prompt = evaluator.getProperty(params, 'prompt');
  if (messages && !isNullish(messages)) layout.messages(messages);
  else if (prompt && !isNullish(prompt)) {
    if (prompt.kind === 'array') layout.messages(prompt);
    else layout.text('messages', contentKind(prompt), prompt, builder.propertyNode(params, 'prompt'), null, 0, 'user', true);
  }
  layout.automatic(params);
};

class AiSdkLayout {
  private readonly blockSpecs: MarkerSpec[];

  constructor(
    private readonly request: PromptRequest,
    private readonly builder: SegmentBuilder,
    private readonly evaluator: Evaluator,
    private readonly model: ModelResolution,
    private readonly helpers: Map<Node, 'tool' | 'wrap'>,
  ) {
    this.blockSpecs = model.kind === 'anthropic' ? [ANTHROPIC_BLOCK] : model.kind === 'bedrock' ? [BEDROCK_BLOCK] : [ANTHROPIC_BLOCK, BEDROCK_BLOCK];
  }

  /** The marker on `object` under the specs that apply to this request's model. */
  private markerOf(object: Value, allowBedrock = true): FoundMarker | null {
    for (const spec of this.blockSpecs) {
      if (spec === BEDROCK_BLOCK && !allowBedrock) continue;
      const found = findMarker(object, spec, this.evaluator);
      if (found) return found;
    }
    return null;
  }

  /** Puts the marker on `segment` (the first one wins: a part's own marker before its message's). */
  private attach(segment: Segment | null, found: FoundMarker | null, repeated = false): void {
    if (!segment || !found || segment.breakpoint) return;
    const marker = this.builder.marker(found.value, found.node, false, repeated || segment.repeated);
    if (!marker) return;
    marker.segmentIndex = segment.index;
    segment.breakpoint = marker;
  }

  // tools ------------------------------------------------------------------------------------------------

  /** `tools: { name: tool({ description, inputSchema, providerOptions }) }`, in key order. */
  tools(value: Value | null): void {
    if (!value || isNullish(value)) return;
    if (value.kind !== 'object') {
      this.opaque('tools', value, null, false);
      this.request.incomplete = true;
      return;
    }
    for (const prop of value.props) {
      const definition = this.toolDefinition(prop.value);
      if (!definition) {
        this.opaque('tools', prop.value, prop.node, false);
        continue;
      }
      const segment = this.builder.push({
        section: 'tools',
        kind: 'tool',
        node: definition.node,
        value: definition,
        textNode: null,
        parts: this.toolParts(prop.key, definition, prop.node),
        breakpoint: null,
        markerSource: null,
        repeated: false,
      });
      // Bedrock Converse: the AI SDK has no tool-level cache point.
      this.attach(segment, this.markerOf(definition, false));
    }
    if (value.partial) this.opaque('tools', value.spreads?.[0] ?? value, value.node, false);
  }

  /** The object a tool is defined with: a literal, or the argument of `tool({...})` / `dynamicTool({...})`. */
  private toolDefinition(value: Value): ObjectValue | null {
    if (value.kind === 'object') return value;
    if (value.kind !== 'unknown' || value.part.kind !== 'unknown') return null;
    const node = value.part.node;
    if (node.type !== AST_NODE_TYPES.CallExpression || this.helpers.get(node) !== 'tool') return null;
    const argument = node.arguments[0];
    if (!argument || argument.type === AST_NODE_TYPES.SpreadElement) return null;
    const definition = this.evaluator.evaluate(argument);
    return definition.kind === 'object' ? definition : null;
  }

  /** What the provider sends for a tool: its name, description and input schema. */
  private toolParts(name: string, definition: ObjectValue, node: Node): Part[] {
    const parts: Part[] = [{ kind: 'text', text: `{"name":${JSON.stringify(name)}`, node }];
    for (const [key, sent] of [['description', 'description'], ['inputSchema', 'input_schema'], ['parameters', 'input_schema'], ['inputExamples', 'input_examples']]) {
      const value = this.evaluator.getProperty(definition, key);
      if (!value || isNullish(value)) continue;
      parts.push({ kind: 'text', text: `,"${sent}":`, node });
      parts.push(...this.evaluator.serialize(value, node));
    }
    parts.push({ kind: 'text', text: '}', node });
    return parts;
  }

  // system -----------------------------------------------------------------------------------------------

  /** `system` / `instructions`: a string, a `{ role: 'system', content, providerOptions }` object, or an array of those. */
  system(value: Value | null, textNode: Node | null): void {
    if (!value || isNullish(value)) return;
    if (value.kind === 'string' || value.kind === 'choice' || value.kind === 'unknown') {
      this.text('system', 'system', value, textNode, null, null, null, false);
      return;
    }
    if (value.kind === 'object') {
      this.systemMessage(value, null, null);
      return;
    }
    if (value.kind !== 'array') {
      this.request.incomplete = true;
      return;
    }
    for (const item of value.items) {
      if (item.kind === 'value' && item.value.kind === 'object') this.systemMessage(item.value, null, null);
      else this.opaqueItem('system', item, null, null, false);
    }
  }

  /** One system message: its `content` text, closed by its marker. */
  private systemMessage(message: ObjectValue, section: Section | null, messageIndex: number | null, inLastMessage = false): void {
    const content = this.evaluator.getProperty(message, 'content');
    const text = content ?? unknownValue(message.node, 'dynamic');
    const segment = this.text(section ?? 'system', 'text', text, this.builder.propertyNode(message, 'content'), message.node, messageIndex, 'system', inLastMessage, message);
    this.attach(segment, this.markerOf(message));
  }

  // messages ---------------------------------------------------------------------------------------------

  messages(value: Value): void {
    if (value.kind !== 'array') {
      this.opaque('messages', value, null, false);
      this.request.incomplete = true;
      this.request.hasHistory = true;
      return;
    }
    const lastIndex = value.items.length - 1;
    let leadingSystem = true;
    let conversation = 0;
    value.items.forEach((item, index) => {
      const isLast = index === lastIndex;
      if (item.kind !== 'value' || item.value.kind !== 'object') {
        leadingSystem = false;
        this.opaqueItem('messages', item, null, null, isLast);
        if (!isLast) this.request.hasHistory = true;
        conversation++;
        return;
      }
      const message = item.value;
      const role = getKnownString(this.evaluator.getProperty(message, 'role'));
      if (role === 'system') {
        // Leading system messages join the top-level system prompt; later ones stay in the conversation.
        this.systemMessage(message, leadingSystem ? 'system' : 'messages', leadingSystem ? null : index, isLast && !leadingSystem);
        return;
      }
      leadingSystem = false;
      if (conversation > 0) this.request.hasHistory = true;
      conversation++;
      this.message(message, index, role, isLast);
    });
  }

  private message(message: ObjectValue, index: number, role: string | null, isLast: boolean): void {
    const content = this.evaluator.getProperty(message, 'content');
    if (!content || isNullish(content)) return;
    const first = this.request.segments.length;
    if (content.kind === 'array') {
      for (const item of content.items) {
        if (item.kind === 'value' && item.value.kind === 'object') this.part(item.value, index, role, isLast);
        else if (item.kind === 'value' && item.value.kind === 'string') this.text('messages', 'text', item.value, item.node, item.node, index, role, isLast);
        else this.opaqueItem('messages', item, index, role, isLast);
      }
    } else {
      this.text('messages', contentKind(content), content, this.builder.propertyNode(message, 'content'), message.node, index, role, isLast);
    }
    // A message-level marker closes the message's last part (unless that part has its own marker).
    const last = this.request.segments.length > first ? this.builder.lastSegment() : null;
    this.attach(last, this.markerOf(message));
  }

  /** One content part: text, image, file, reasoning, tool call or tool result. */
  private part(part: ObjectValue, messageIndex: number, role: string | null, inLastMessage: boolean): void {
    const type = getKnownString(this.evaluator.getProperty(part, 'type'));
    const kind = partKind(type, part, this.evaluator);
    let segment: Segment | null;
    if (kind === 'text' || kind === 'thinking') {
      const text = this.evaluator.getProperty(part, 'text') ?? textValue('', part.node);
      segment = this.text('messages', kind, text, this.builder.propertyNode(part, 'text'), part.node, messageIndex, role, inLastMessage, part);
    } else {
      segment = this.builder.push({
        section: 'messages',
        kind,
        node: part.node,
        value: part,
        textNode: null,
        parts: this.partParts(part, kind),
        breakpoint: null,
        markerSource: null,
        repeated: false,
        messageIndex,
        role,
        inLastMessage,
      });
    }
    this.attach(segment, this.markerOf(part) ?? (kind === 'tool_result' ? this.outputMarker(part) : null));
  }

  /** Tool results also take a marker from their `output` (`{ type: 'text', value, providerOptions }`). */
  private outputMarker(part: ObjectValue): FoundMarker | null {
    const output = this.evaluator.getProperty(part, 'output');
    return output ? this.markerOf(output) : null;
  }

  /** The text a non-text part contributes: the tool input or output, the file data; provider options left out. */
  private partParts(part: ObjectValue, kind: SegmentKind): Part[] {
    const pick = (...keys: string[]) => {
      for (const key of keys) {
        const value = this.evaluator.getProperty(part, key);
        if (value && !isNullish(value)) return value;
      }
      return null;
    };
    if (kind === 'tool_result') {
      const output = pick('output', 'result');
      if (output?.kind === 'object') {
        const type = getKnownString(this.evaluator.getProperty(output, 'type'));
        const inner = this.evaluator.getProperty(output, 'value');
        if (inner && (type === 'text' || type === 'error-text')) return this.evaluator.toParts(inner, part.node);
        if (inner) return this.evaluator.serialize(inner, part.node);
      }
      return output ? (output.kind === 'string' ? output.parts : this.evaluator.serialize(output, part.node)) : [];
    }
    if (kind === 'tool_use') {
      const input = pick('input', 'args');
      const name = pick('toolName');
      return [...(name ? this.evaluator.toParts(name, part.node) : []), ...(input ? this.evaluator.serialize(input, part.node) : [])];
    }
    return this.evaluator.serialize(withoutOptions(part), part.node);
  }

  // shared -----------------------------------------------------------------------------------------------

  /** A text segment (a string system prompt or message content, a text part, a system message's content). */
  text(
    section: Section,
    kind: SegmentKind,
    value: Value,
    textNode: Node | null,
    node: Node | null,
    messageIndex: number | null,
    role: string | null,
    inLastMessage: boolean,
    block: ObjectValue | null = null,
  ): Segment | null {
    const at = textNode ?? node ?? valueNode(value);
    if (!at) return null;
    return this.builder.push({
      section,
      kind,
      node: node ?? at,
      value: block ?? value,
      textNode,
      parts: this.evaluator.toParts(value, at),
      breakpoint: null,
      markerSource: null,
      repeated: false,
      messageIndex,
      role,
      inLastMessage,
    });
  }

  /** An unknown run (`...history`, `x.map(...)`); a `.map()` template keeps its marker (a repeated one). */
  private opaqueItem(section: Section, item: ArrayItem, messageIndex: number | null, role: string | null, inLastMessage: boolean): void {
    const segment = this.opaque(section, item.value, item.node, item.kind === 'repeat', messageIndex, role, inLastMessage);
    if (item.kind !== 'repeat' || item.value.kind !== 'object') return;
    const template = item.value;
    let found = this.markerOf(template);
    const content = this.evaluator.getProperty(template, 'content');
    if (!found && content?.kind === 'array') {
      for (let i = content.items.length - 1; i >= 0 && !found; i--) found = this.markerOf(content.items[i].value);
    }
    this.attach(segment, found, true);
  }

  private opaque(section: Section, value: Value, node: Node | null, repeated: boolean, messageIndex: number | null = null, role: string | null = null, inLastMessage = false): Segment {
    const at = node ?? valueNode(value) ?? this.request.site.paramsNode;
    return this.builder.push({
      section,
      kind: 'opaque',
      node: at,
      value,
      textNode: null,
      parts: this.builder.opaqueParts(value, at, repeated),
      breakpoint: null,
      markerSource: null,
      repeated,
      opaque: true,
      messageIndex,
      role,
      inLastMessage,
    });
  }

  /** Call-level `providerOptions.anthropic.cacheControl` (or the provider's own namespace): automatic caching. */
  automatic(params: ObjectValue): void {
    if (this.model.kind === 'bedrock') return;
    const provider = this.model.kind === 'anthropic' ? this.model.provider : null;
    // The provider merges `{ ...anthropic, ...custom }`: the custom namespace wins.
    const namespaces = provider?.namespace ? [provider.namespace, 'anthropic'] : ['anthropic'];
    const options = this.evaluator.getProperty(params, 'providerOptions');
    const found = options ? findInOptions(options, { namespaces, keys: ['cacheControl'] }, this.evaluator) : null;
    if (!found) return;
    const marker = this.builder.marker(found.value, markerNode(found.node, params, 'providerOptions'), true, false);
    if (!marker) return;
    marker.segmentIndex = this.request.segments.length - 1;
    this.request.automatic = marker;
  }
}

/** String message content is one text block; anything else (a parameter, an array we cannot see) is opaque text. */
function contentKind(value: Value): SegmentKind {
  return value.kind === 'string' || value.kind === 'choice' ? 'text' : 'opaque';
}

function partKind(type: string | null, part: ObjectValue, evaluator: Evaluator): SegmentKind {
  switch (type) {
    case 'text':
      return 'text';
    case 'image':
      return 'image';
    case 'file': {
      const media = getKnownString(evaluator.getProperty(part, 'mediaType') ?? evaluator.getProperty(part, 'mimeType'));
      return media?.startsWith('image/') ? 'image' : 'document';
    }
    case 'reasoning':
      return 'thinking';
    case 'redacted-reasoning':
      return 'redacted_thinking';
    case 'tool-call':
      return 'tool_use';
    case 'tool-result':
      return 'tool_result';
    case null:
      return 'opaque';
    default:
      return 'other';
  }
}

/** The part without its provider options (they are not prompt text). */
function withoutOptions(object: ObjectValue): ObjectValue {
  return { ...object, props: object.props.filter((prop) => !OPTION_KEYS.includes(prop.key)) };
}

function valueNode(value: Value): Node | null {
  if (value.kind === 'unknown') return value.part.node;
  if (value.kind === 'string') return value.parts[0]?.node ?? null;
  return 'node' in value ? value.node : null;
}
