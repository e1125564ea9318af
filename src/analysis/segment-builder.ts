import type { TSESTree } from '@typescript-eslint/utils';

import { unwrapExpression } from './ast.js';
import { getModelInfo, isBedrockModelId, normalizeModelId } from './models.js';
import type { Evaluator } from './evaluate.js';
import type { Breakpoint, PromptRequest, Section, Segment, SegmentKind } from './request.js';
import { type ObjectValue, type Part, type Value, getKnownString } from './values.js';

type Node = TSESTree.Node;

/** Lays out one request format's params into `request` (segments, breakpoints, model). */
export type Layout = (request: PromptRequest, params: ObjectValue, builder: SegmentBuilder, evaluator: Evaluator) => void;

/** Input of {@link SegmentBuilder.push}: a segment without its index, plus where its marker comes from. */
export type SegmentInit = Omit<Segment, 'index' | 'opaque' | 'messageIndex' | 'role' | 'inLastMessage'> & {
  markerSource: ObjectValue | null;
  opaque?: boolean;
  messageIndex?: number | null;
  role?: string | null;
  inLastMessage?: boolean;
};

/**
 * Builds a request's segments in cache order. The Anthropic layout uses `tools` / `system` / `messages`; other
 * layouts (Converse, OpenAI) call `push`, `opaque` and `marker` directly.
 */
export class SegmentBuilder {
  constructor(
    private readonly request: PromptRequest,
    private readonly evaluator: Evaluator,
  ) {}

  tools(value: Value | null): void {
    if (!value) return;
    if (value.kind !== 'array') {
      this.opaque('tools', value, null);
      this.request.incomplete = true;
      return;
    }
    for (const item of value.items) {
      if (item.kind !== 'value' || item.value.kind !== 'object') {
        this.opaque('tools', item.value, item.node, item.kind === 'repeat');
        continue;
      }
      this.push({
        section: 'tools',
        kind: 'tool',
        node: item.value.node,
        value: item.value,
        textNode: null,
        parts: this.evaluator.serialize(item.value, item.node),
        breakpoint: null,
        markerSource: item.value,
        repeated: false,
      });
    }
  }

  system(value: Value | null): void {
    if (!value) return;
    if (value.kind === 'array') {
      this.blocks('system', value, null, null);
      return;
    }
    if (value.kind === 'object' || value.kind === 'function' || value.kind === 'primitive') {
      this.request.incomplete = true;
      return;
    }
    const textNode = (this.request.site.params.kind === 'object' && propertyValueNode(this.request.site.params, 'system')) || nodeOf(value, this.request.site.paramsNode);
    const parts = this.evaluator.toParts(value, textNode);
    this.push({
      section: 'system',
      kind: 'system',
      node: textNode,
      value,
      textNode,
      parts,
      breakpoint: null,
      markerSource: null,
      repeated: false,
    });
  }

  messages(value: Value | null): void {
    if (!value) return;
    if (value.kind !== 'array') {
      this.opaque('messages', value, null);
      this.request.incomplete = true;
      this.request.hasHistory = true;
      return;
    }
    const lastIndex = value.items.length - 1;
    value.items.forEach((item, index) => {
      const isLast = index === lastIndex;
      if (item.kind !== 'value' || item.value.kind !== 'object') {
        this.opaque('messages', item.value, item.node, item.kind === 'repeat');
        if (!isLast) this.request.hasHistory = true;
        return;
      }
      const message = item.value;
      const role = getKnownString(this.evaluator.getProperty(message, 'role'));
      const content = this.evaluator.getProperty(message, 'content');
      if (index > 0) this.request.hasHistory = true;
      if (!content) return;
      if (content.kind === 'array') {
        this.blocks('messages', content, index, role, isLast);
        return;
      }
      const textNode = propertyValueNode(message, 'content') ?? nodeOf(content, item.node);
      this.push({
        section: 'messages',
        kind: content.kind === 'string' || content.kind === 'choice' ? 'text' : 'opaque',
        node: message.node,
        value: content,
        textNode,
        parts: this.evaluator.toParts(content, textNode),
        breakpoint: null,
        markerSource: null,
        repeated: false,
        messageIndex: index,
        role,
        inLastMessage: isLast,
      });
    });
  }

  /** Content blocks (or system blocks): one segment each, an opaque one per unknown run. */
  private blocks(section: Section, array: Value & { kind: 'array' }, messageIndex: number | null, role: string | null, inLastMessage = false): void {
    for (const item of array.items) {
      if (item.kind !== 'value' || item.value.kind !== 'object') {
        if (item.kind === 'value' && item.value.kind === 'string') {
          // not valid API input, but keep its text
          this.push({ section, kind: 'text', node: item.node, value: item.value, textNode: item.node, parts: item.value.parts, breakpoint: null, markerSource: null, repeated: false, messageIndex, role, inLastMessage });
          continue;
        }
        this.opaque(section, item.value, item.node, item.kind === 'repeat', messageIndex, role, inLastMessage);
        continue;
      }
      const block = item.value;
      const type = getKnownString(this.evaluator.getProperty(block, 'type'));
      const kind = blockKind(type);
      const textProp = kind === 'text' ? 'text' : kind === 'thinking' ? 'thinking' : kind === 'redacted_thinking' ? 'data' : null;
      const textValue = textProp ? this.evaluator.getProperty(block, textProp) : null;
      let parts: Part[];
      if (textValue) parts = this.evaluator.toParts(textValue, nodeOf(textValue, block.node));
      else if (kind === 'tool_result') {
        const content = this.evaluator.getProperty(block, 'content');
        parts = content ? (content.kind === 'string' ? content.parts : this.evaluator.serialize(content, block.node)) : [];
      } else parts = this.evaluator.serialize(block, block.node);
      this.push({
        section,
        kind,
        node: block.node,
        value: block,
        textNode: textProp ? propertyValueNode(block, textProp) : null,
        parts,
        breakpoint: null,
        markerSource: block,
        repeated: false,
        messageIndex,
        role,
        inLastMessage,
      });
    }
  }

  /** An unknown run: `...history`, `messages.map(...)`, a parameter. A `map` template's marker is kept. */
  opaque(section: Section, value: Value, node: Node | null, repeated = false, messageIndex: number | null = null, role: string | null = null, inLastMessage = false): void {
    const at = node ?? nodeOf(value, this.request.site.paramsNode);
    let markerSource: ObjectValue | null = null;
    if (repeated && value.kind === 'object') {
      // `history.map((m) => ({ ...m, cache_control }))` (a block) or a message whose content blocks carry markers
      markerSource = value;
      const content = this.evaluator.getProperty(value, 'content');
      if (!value.props.some((prop) => prop.key === 'cache_control') && content?.kind === 'array') {
        const marked = content.items.find((item) => item.value.kind === 'object' && item.value.props.some((prop) => prop.key === 'cache_control'));
        if (marked && marked.value.kind === 'object') markerSource = marked.value;
      }
    }
    this.push({
      section,
      kind: 'opaque',
      node: at,
      value,
      textNode: null,
      parts: this.opaqueParts(value, at, repeated),
      breakpoint: null,
      markerSource,
      repeated,
      opaque: true,
      messageIndex,
      role,
      inLastMessage,
    });
  }

  push(init: SegmentInit): Segment {
    const { markerSource, ...rest } = init;
    const segment: Segment = {
      opaque: false,
      messageIndex: null,
      role: null,
      inLastMessage: false,
      ...rest,
      index: this.request.segments.length,
    };
    if (markerSource) {
      const prop = [...markerSource.props].reverse().find((p) => p.key === 'cache_control');
      if (prop) {
        const marker = this.marker(prop.value, prop.node, false, segment.repeated);
        if (marker) {
          marker.segmentIndex = segment.index;
          segment.breakpoint = marker;
        }
      }
    }
    this.request.segments.push(segment);
    return segment;
  }

  /**
   * The text of an unknown run: the unknown value itself, or — for a run of unknown length — one unknown part
   * whose branch is one item's text (the template), which tells where the run comes from.
   */
  opaqueParts(value: Value, at: Node, repeated: boolean): Part[] {
    if (value.kind === 'unknown') return [value.part];
    return [{ kind: 'unknown', node: at, reason: 'dynamic', via: null, branches: repeated ? [this.evaluator.serialize(value, at)] : undefined }];
  }

  /** The segment pushed last, or null. */
  lastSegment(): Segment | null {
    return this.request.segments[this.request.segments.length - 1] ?? null;
  }

  /** The node a property's value is written at in its object literal (see {@link propertyValueNode}). */
  propertyNode(object: ObjectValue, key: string): Node | null {
    return propertyValueNode(object, key);
  }

  /** Sets `request.model` from the evaluated model id (ignored unless a known string). */
  setModel(model: Value | null): void {
    const modelId = getKnownString(model);
    if (modelId === null || !model) return;
    const request = this.request;
    request.model = {
      id: modelId,
      normalized: normalizeModelId(modelId),
      node: model.kind === 'string' ? (model.parts[0]?.node ?? request.site.paramsNode) : request.site.paramsNode,
      info: getModelInfo(modelId),
      bedrock: request.site.platform === 'bedrock' || isBedrockModelId(modelId),
    };
  }

  /** A marker from a `cache_control` value; null for `null` / `undefined` (no marker). */
  marker(value: Value, node: Node, automatic: boolean, repeated: boolean): Breakpoint | null {
    if (value.kind === 'primitive' && (value.value === null || value.value === undefined)) return null;
    const valueNode = nodeOf(value, node);
    const field = (key: string): string | null | undefined => {
      if (value.kind !== 'object') return null;
      const v = this.evaluator.getProperty(value, key);
      if (!v) return undefined;
      if (v.kind === 'primitive' && v.value === undefined) return undefined;
      return getKnownString(v);
    };
    return {
      segmentIndex: -1,
      node,
      valueNode,
      value,
      type: field('type'),
      ttl: field('ttl'),
      automatic,
      repeated,
      certain: value.kind === 'object',
    };
  }
}

function blockKind(type: string | null): SegmentKind {
  switch (type) {
    case 'text':
    case 'image':
    case 'document':
    case 'tool_use':
    case 'tool_result':
    case 'thinking':
    case 'redacted_thinking':
      return type;
    case 'server_tool_use':
      return 'tool_use';
    default:
      return type === null ? 'opaque' : 'other';
  }
}

/** A node that stands for a value (its own node, or the first part's). */
export function nodeOf(value: Value, fallback: Node): Node {
  switch (value.kind) {
    case 'string':
      return value.parts.length === 1 ? value.parts[0].node : fallback;
    case 'unknown':
      return value.part.node;
    default:
      return 'node' in value ? value.node : fallback;
  }
}

/**
 * The value node of property `key` as written in the object literal (`text: \`…\`` → the template), or null
 * when the key comes from a spread or is not written as a plain property.
 */
export function propertyValueNode(object: ObjectValue, key: string): Node | null {
  for (let i = object.props.length - 1; i >= 0; i--) {
    const prop = object.props[i];
    if (prop.key !== key) continue;
    return prop.node.type === 'Property' ? unwrapExpression(prop.node.value) : null;
  }
  return null;
}

