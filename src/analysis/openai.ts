import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

import { CALL, CONSTRUCT, ESM, type TraceMap } from '../eslint-utils.js';
import { getMemberPath, unwrapExpression } from './ast.js';
import type { Evaluator } from './evaluate.js';
import type { Section } from './request.js';
import { type Invocation, type RequestMethod, type RequestSite, type SiteFamily, getReferenceTracker, mayTraceModules, registerSiteFamily, textIncludes } from './request-sites.js';
import type { Layout, SegmentBuilder } from './segment-builder.js';
import { type Value, getKnownString } from './values.js';

type Node = TSESTree.Node;

const call = (method: RequestMethod) => ({ [CALL]: { method } });
const completions = { create: call('chat.completions'), parse: call('chat.completions'), stream: call('chat.completions') };
const responses = { create: call('responses'), parse: call('responses'), stream: call('responses') };
const INSTANCE = { chat: { completions }, beta: { chat: { completions } }, responses } as unknown as TraceMap<{ method: RequestMethod }>;
const ctor = { [CONSTRUCT]: true };
const ESM_MAP = { openai: { [ESM]: true, default: ctor, OpenAI: ctor, AzureOpenAI: ctor } } as unknown as TraceMap<true>;
const CJS_MAP = { openai: { ...ctor, default: ctor, OpenAI: ctor, AzureOpenAI: ctor } } as unknown as TraceMap<true>;

/**
 * OpenAI (`openai`: `chat.completions.create | parse | stream`, `responses.create | parse | stream`) on clients
 * traced to `new OpenAI()` / `new AzureOpenAI()`, and the same calls on untraced OpenAI-compatible clients when
 * the argument has the request's shape (`model` plus `messages`, or `model` plus `input` / `instructions`).
 * Caching is automatic (prefixes of 1,024+ tokens), so requests have no breakpoints; see automatic-prefix.ts.
 */
export const openaiFamily: SiteFamily = {
  name: 'openai',
  mayMatch: (text) => textIncludes(text, 'completions', 'mpleti') || textIncludes(text, 'responses', 'ponses'),
  // `x.chat.completions.create(…)`, `x.responses.create(…)`
  shapeAnchors: { completions: 1, responses: 1 },
  prepare(_sourceCode, evaluator, globalScope) {
    const traced = new Map<Invocation, RequestMethod>();
    if (mayTraceModules(globalScope, ['openai'])) {
      const tracker = getReferenceTracker(globalScope, ['require']);
      for (const construction of [...tracker.iterateEsmReferences(ESM_MAP), ...tracker.iterateCjsReferences(CJS_MAP)]) {
        for (const ref of tracker.iteratePropertyReferences(construction.node, INSTANCE)) traced.set(ref.node as Invocation, ref.info.method);
      }
    }
    const match = (invocation: Invocation): RequestSite[] | null => {
      if (invocation.type !== AST_NODE_TYPES.CallExpression) return null;
      const method = traced.get(invocation) ?? matchPath(invocation);
      const argument = invocation.arguments[0];
      if (!method || !argument || argument.type === AST_NODE_TYPES.SpreadElement) return null;
      const params = evaluator.evaluate(argument);
      const isTraced = traced.has(invocation);
      if (!isTraced && !looksLikeOpenAIRequest(params, method, evaluator)) return null;
      return [
        {
          call: invocation,
          format: 'openai',
          provider: 'openai',
          method,
          beta: false,
          traced: isTraced,
          client: isTraced ? 'OpenAI' : null,
          platform: null,
          params,
          paramsNode: argument,
          batchItem: null,
        },
      ];
    };
    return { traced: traced.keys(), match };
  },
};
registerSiteFamily(openaiFamily);

function matchPath(invocation: TSESTree.CallExpression): RequestMethod | null {
  const path = getMemberPath(unwrapExpression(invocation.callee));
  if (!path || path.length < 3) return null;
  const [a, b, c] = path.slice(-3);
  if (a === 'chat' && b === 'completions' && (c === 'create' || c === 'parse' || c === 'stream')) return 'chat.completions';
  if (b === 'responses' && (c === 'create' || c === 'parse' || c === 'stream')) return 'responses';
  return null;
}

function looksLikeOpenAIRequest(params: Value, method: RequestMethod, evaluator: Evaluator): boolean {
  if (params.kind !== 'object' || !evaluator.getProperty(params, 'model')) return false;
  if (method === 'chat.completions') return evaluator.getProperty(params, 'messages')?.kind === 'array';
  return !!(evaluator.getProperty(params, 'input') || evaluator.getProperty(params, 'instructions'));
}

/**
 * OpenAI prompt order: `tools` → `instructions` (Responses) → messages / input items. System and developer
 * messages are laid out in the `system` section (they are the instructions of Chat Completions).
 */
export const layoutOpenAI: Layout = (request, params, builder, evaluator) => {
  builder.setModel(evaluator.getProperty(params, 'model'));
  const tools = evaluator.getProperty(params, 'tools');
  if (tools?.kind === 'array') {
    for (const item of tools.items) {
      if (item.kind === 'value' && item.value.kind === 'object') {
        builder.push({ section: 'tools', kind: 'tool', node: item.value.node, value: item.value, textNode: null, parts: evaluator.serialize(item.value, item.node), breakpoint: null, markerSource: null, repeated: false });
      } else {
        builder.opaque('tools', item.value, item.node, item.kind === 'repeat');
      }
    }
  } else if (tools) {
    builder.opaque('tools', tools, null);
  }
  const instructions = evaluator.getProperty(params, 'instructions');
  if (instructions) textSegment(builder, evaluator, 'system', instructions, builder.propertyNode(params as never, 'instructions'), null, 'system', false);
  const items = evaluator.getProperty(params, request.site.method === 'responses' ? 'input' : 'messages');
  if (!items) return;
  if (items.kind === 'string') {
    textSegment(builder, evaluator, 'messages', items, builder.propertyNode(params as never, 'input'), 0, 'user', true);
    return;
  }
  if (items.kind !== 'array') {
    builder.opaque('messages', items, null);
    request.hasHistory = true;
    return;
  }
  items.items.forEach((item, index) => {
    const isLast = index === items.items.length - 1;
    if (item.kind !== 'value' || item.value.kind !== 'object') {
      builder.opaque('messages', item.value, item.node, item.kind === 'repeat');
      if (!isLast) request.hasHistory = true;
      return;
    }
    if (index > 0) request.hasHistory = true;
    const role = getKnownString(evaluator.getProperty(item.value, 'role'));
    const section: Section = role === 'system' || role === 'developer' ? 'system' : 'messages';
    const content = evaluator.getProperty(item.value, 'content');
    if (!content) return;
    if (content.kind === 'array') {
      for (const part of content.items) {
        if (part.kind === 'value' && part.value.kind === 'object') {
          const text = evaluator.getProperty(part.value, 'text');
          const node = builder.propertyNode(part.value, 'text');
          if (text) textSegment(builder, evaluator, section, text, node, index, role, isLast, part.value.node);
          else builder.push({ section, kind: 'other', node: part.value.node, value: part.value, textNode: null, parts: evaluator.serialize(part.value, part.node), breakpoint: null, markerSource: null, repeated: false, messageIndex: index, role, inLastMessage: isLast });
        } else {
          builder.opaque(section, part.value, part.node, part.kind === 'repeat', index, role, isLast);
        }
      }
      return;
    }
    textSegment(builder, evaluator, section, content, builder.propertyNode(item.value, 'content'), index, role, isLast, item.value.node);
  });
};

function textSegment(
  builder: SegmentBuilder,
  evaluator: Evaluator,
  section: Section,
  value: Value,
  textNode: Node | null,
  messageIndex: number | null,
  role: string | null,
  inLastMessage: boolean,
  node?: Node,
): void {
  const at = textNode ?? node ?? (value.kind === 'unknown' ? value.part.node : 'node' in value ? value.node : null);
  if (!at) return;
  builder.push({
    section,
    kind: section === 'system' && messageIndex === null ? 'system' : 'text',
    node: node ?? at,
    value,
    textNode,
    parts: evaluator.toParts(value, at),
    breakpoint: null,
    markerSource: null,
    repeated: false,
    messageIndex,
    role,
    inLastMessage,
  });
}
