import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import { CALL, CONSTRUCT, ESM, type TraceMap } from '../eslint-utils.js';
import type { Evaluator } from './evaluate.js';
import type { Section, SegmentKind } from './request.js';
import { type RequestMethod, type RequestSite, type SiteFamily, type Invocation, getReferenceTracker, registerSiteFamily, textIncludes } from './request-sites.js';
import type { Layout, SegmentBuilder } from './segment-builder.js';
import { type ArrayValue, type ObjectValue, type Part, type Value, getKnownString } from './values.js';

const command = (method: RequestMethod) => ({ [CONSTRUCT]: { method } });
const runtime = {
  ConverseCommand: command('converse'),
  ConverseStreamCommand: command('converseStream'),
};
const ESM_MAP = { '@aws-sdk/client-bedrock-runtime': { [ESM]: true, ...runtime } } as unknown as TraceMap<{ method: RequestMethod }>;
const CJS_MAP = { '@aws-sdk/client-bedrock-runtime': runtime } as unknown as TraceMap<{ method: RequestMethod }>;
/** The aggregated client: `new BedrockRuntime().converse({...})`. */
const AGGREGATED_ESM = { '@aws-sdk/client-bedrock-runtime': { [ESM]: true, BedrockRuntime: { [CONSTRUCT]: true } } } as unknown as TraceMap<true>;
const AGGREGATED_CJS = { '@aws-sdk/client-bedrock-runtime': { BedrockRuntime: { [CONSTRUCT]: true } } } as unknown as TraceMap<true>;
const AGGREGATED_METHODS = { converse: { [CALL]: { method: 'converse' } }, converseStream: { [CALL]: { method: 'converseStream' } } } as unknown as TraceMap<{ method: RequestMethod }>;

/**
 * AWS Bedrock Converse (`@aws-sdk/client-bedrock-runtime`): `new ConverseCommand(input)` /
 * `new ConverseStreamCommand(input)` (sent with `client.send`), and `new BedrockRuntime().converse(input)`.
 * Traced through imports and `require`; the input is laid out by {@link layoutConverse}.
 */
export const converseFamily: SiteFamily = {
  name: 'bedrock-converse',
  mayMatch: (text) => textIncludes(text, 'client-bedrock-runtime', '-runti'),
  prepare(_sourceCode, evaluator, globalScope) {
    const tracker = getReferenceTracker(globalScope, ['require']);
    const sites = new Map<Invocation, RequestMethod>();
    for (const ref of [...tracker.iterateEsmReferences(ESM_MAP), ...tracker.iterateCjsReferences(CJS_MAP)]) {
      sites.set(ref.node as Invocation, ref.info.method);
    }
    for (const construction of [...tracker.iterateEsmReferences(AGGREGATED_ESM), ...tracker.iterateCjsReferences(AGGREGATED_CJS)]) {
      for (const ref of tracker.iteratePropertyReferences(construction.node, AGGREGATED_METHODS)) sites.set(ref.node as Invocation, ref.info.method);
    }
    const match = (call: Invocation): RequestSite[] | null => {
      const method = sites.get(call);
      const argument = call.arguments[0];
      if (!method || !argument || argument.type === AST_NODE_TYPES.SpreadElement) return null;
      const params = evaluator.evaluate(argument);
      return [
        {
          call,
          format: 'converse',
          provider: 'bedrock-converse',
          method,
          beta: false,
          traced: true,
          client: call.type === AST_NODE_TYPES.NewExpression ? (method === 'converse' ? 'ConverseCommand' : 'ConverseStreamCommand') : 'BedrockRuntime',
          platform: 'bedrock',
          params,
          paramsNode: argument,
          batchItem: null,
        },
      ];
    };
    return { traced: sites.keys(), match };
  },
};
registerSiteFamily(converseFamily);

/**
 * Converse input: `toolConfig.tools` → `system` → `messages`, in that cache order. A `{ cachePoint: { type:
 * 'default', ttl? } }` block is a breakpoint on the block before it (the same 4-breakpoint limit for Claude).
 */
export const layoutConverse: Layout = (request, params, builder, evaluator) => {
  builder.setModel(evaluator.getProperty(params, 'modelId'));
  const toolConfig = evaluator.getProperty(params, 'toolConfig');
  const tools = toolConfig?.kind === 'object' ? evaluator.getProperty(toolConfig, 'tools') : null;
  if (toolConfig && !(toolConfig.kind === 'object')) request.incomplete = true;
  converseBlocks(builder, evaluator, 'tools', tools, null, null, false);
  converseBlocks(builder, evaluator, 'system', evaluator.getProperty(params, 'system'), null, null, false);
  const messages = evaluator.getProperty(params, 'messages');
  if (!messages) return;
  if (messages.kind !== 'array') {
    builder.opaque('messages', messages, null);
    request.incomplete = true;
    request.hasHistory = true;
    return;
  }
  messages.items.forEach((item, index) => {
    const isLast = index === messages.items.length - 1;
    if (index > 0) request.hasHistory = true;
    if (item.kind !== 'value' || item.value.kind !== 'object') {
      builder.opaque('messages', item.value, item.node, item.kind === 'repeat');
      return;
    }
    const role = getKnownString(evaluator.getProperty(item.value, 'role'));
    converseBlocks(builder, evaluator, 'messages', evaluator.getProperty(item.value, 'content'), index, role, isLast);
  });
};

function converseBlocks(
  builder: SegmentBuilder,
  evaluator: Evaluator,
  section: Section,
  value: Value | null,
  messageIndex: number | null,
  role: string | null,
  inLastMessage: boolean,
): void {
  if (!value) return;
  if (value.kind !== 'array') {
    builder.opaque(section, value, null, false, messageIndex, role, inLastMessage);
    return;
  }
  for (const item of (value as ArrayValue).items) {
    if (item.kind !== 'value' || item.value.kind !== 'object') {
      builder.opaque(section, item.value, item.node, item.kind === 'repeat', messageIndex, role, inLastMessage);
      continue;
    }
    const block = item.value;
    const cachePoint = [...block.props].reverse().find((prop) => prop.key === 'cachePoint');
    if (cachePoint) {
      // A cache point closes the block before it.
      const previous = builder.lastSegment();
      const marker = builder.marker(cachePoint.value, cachePoint.node, false, false);
      if (previous && marker && !previous.breakpoint) {
        marker.segmentIndex = previous.index;
        previous.breakpoint = marker;
      }
      continue;
    }
    const { kind, parts, textKey } = describeBlock(block, evaluator, section);
    builder.push({
      section,
      kind,
      node: block.node,
      value: block,
      textNode: textKey ? builder.propertyNode(block, textKey) : null,
      parts,
      breakpoint: null,
      markerSource: null,
      repeated: false,
      messageIndex,
      role,
      inLastMessage,
    });
  }
}

function describeBlock(block: ObjectValue, evaluator: Evaluator, section: Section): { kind: SegmentKind; parts: Part[]; textKey: string | null } {
  const has = (key: string) => block.props.some((prop) => prop.key === key);
  if (section === 'tools') return { kind: 'tool', parts: evaluator.serialize(block, block.node), textKey: null };
  if (has('text')) {
    const text = evaluator.getProperty(block, 'text')!;
    return { kind: 'text', parts: evaluator.toParts(text, block.node), textKey: 'text' };
  }
  const kind: SegmentKind = has('image') ? 'image' : has('document') ? 'document' : has('toolUse') ? 'tool_use' : has('toolResult') ? 'tool_result' : has('reasoningContent') ? 'thinking' : 'other';
  return { kind, parts: evaluator.serialize(block, block.node), textKey: null };
}
