import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { type FunctionNode, getEnclosingFunction, unwrapExpression } from './ast.js';
import { Evaluator } from './evaluate.js';
import { type ModelInfo, getModelInfo, isBedrockModelId, normalizeModelId } from './models.js';
import { guard } from '../guard.js';
import { perFile } from './per-file-cache.js';
import { type RequestSite, findRequestSites } from './request-sites.js';
import { estimateTokens } from './tokens.js';
import { type ObjectValue, type Part, type Value, getKnownString, getKnownText } from './values.js';
import { findVolatileSources } from './volatility.js';

type Node = TSESTree.Node;
type SourceCode = Readonly<TSESLint.SourceCode>;

export type Section = 'tools' | 'system' | 'messages';

/** A `cache_control` marker (or the top-level automatic one). */
export interface Breakpoint {
  /** Index of the segment the marker closes (for the automatic one: the last segment). */
  segmentIndex: number;
  /** The `cache_control` property (or the top-level property for automatic caching). */
  node: Node;
  /** The marker's value node. */
  valueNode: Node;
  /** The marker value as evaluated. */
  value: Value;
  /** `type` when known (`'ephemeral'`), `undefined` when absent, null when unknown. */
  type: string | null | undefined;
  /** `ttl` when known, `undefined` when absent (= 5m), null when unknown. */
  ttl: string | null | undefined;
  /** Top-level `cache_control`: automatic caching. */
  automatic: boolean;
  /** Set on every item of a `.map()` / loop over an array of unknown length. */
  repeated: boolean;
  /** The value is certainly a marker object (not `cond ? {...} : undefined`, not unknown). */
  certain: boolean;
}

/** Block kinds as the API names them, plus `tool`, `system` (a string system prompt) and `opaque`. */
export type SegmentKind =
  | 'tool'
  | 'system'
  | 'text'
  | 'image'
  | 'document'
  | 'tool_use'
  | 'tool_result'
  | 'thinking'
  | 'redacted_thinking'
  | 'other'
  | 'opaque';

/** One cacheable position of the prompt, in API order: a tool, a system block, a message content block. */
export interface Segment {
  index: number;
  section: Section;
  kind: SegmentKind;
  /** Index of the message in `messages` (null for tools/system and for runs of unknown messages). */
  messageIndex: number | null;
  role: string | null;
  /** The block (or tool, or message) node. */
  node: Node;
  /** The block as evaluated, when it is an object. */
  value: Value | null;
  /** Node of the block's text value (`text: …`, a string `content`, a string `system`), when there is one. */
  textNode: Node | null;
  /** The text the block contributes to the prompt. */
  parts: Part[];
  breakpoint: Breakpoint | null;
  /** An unknown number of unknown blocks (`...history`, a parameter, `messages.map(...)`). */
  opaque: boolean;
  /** Made by `.map()` / a loop over an array of unknown length. */
  repeated: boolean;
  /** Belongs to the last message of `messages` (the newest turn). */
  inLastMessage: boolean;
}

export interface RequestModel {
  id: string;
  normalized: string;
  node: Node;
  info: ModelInfo | null;
  bedrock: boolean;
}

/** A Messages API request with its prompt laid out in cache order. */
export interface PromptRequest {
  site: RequestSite;
  /** The function the request is made in (null: module level). */
  fn: FunctionNode | null;
  model: RequestModel | null;
  /** tools → system → messages → content blocks. */
  segments: Segment[];
  /** Every marker in API order; the automatic one (if any) last. */
  breakpoints: Breakpoint[];
  automatic: Breakpoint | null;
  /** Messages come after an unknown run (conversation history), so the last message is the newest turn. */
  hasHistory: boolean;
  /** `tools`, `system` or `messages` could not be laid out (not an array/string we can see). */
  incomplete: boolean;
}

/** Everything the rules share for one file: computed once, on first use, per `SourceCode`. */
export interface FileAnalysis {
  evaluator: Evaluator;
  requests: PromptRequest[];
}

/**
 * The per-file analysis: request sites, their evaluated prompts, segments and breakpoints. Rules call this
 * from `Program:exit`; the first caller computes, the others reuse. Files without the word `messages`
 * cost one string search.
 */
export function getFileAnalysis(sourceCode: SourceCode): FileAnalysis {
  return perFile(sourceCode, 'analysis', () => {
    const globalScope = sourceCode.scopeManager?.globalScope;
    const empty = new Map();
    if (!globalScope || !sourceCode.text.includes('messages')) {
      return { evaluator: new Evaluator(sourceCode, empty), requests: [] };
    }
    return guard(
      () => {
        const evaluator = new Evaluator(sourceCode, findVolatileSources(globalScope as TSESLint.Scope.Scope));
        const requests = findRequestSites(sourceCode, evaluator).map((site) => buildRequest(site, evaluator));
        return { evaluator, requests };
      },
      () => ({ evaluator: new Evaluator(sourceCode, empty), requests: [] }),
    );
  });
}

/** Lays out one request: segments in cache order with their text and markers. */
export function buildRequest(site: RequestSite, evaluator: Evaluator): PromptRequest {
  const request: PromptRequest = {
    site,
    fn: getEnclosingFunction(site.call),
    model: null,
    segments: [],
    breakpoints: [],
    automatic: null,
    hasHistory: false,
    incomplete: site.params.kind !== 'object' || site.params.partial,
  };
  if (site.params.kind !== 'object') return request;
  const params = site.params;
  const builder = new SegmentBuilder(request, evaluator);

  const model = evaluator.getProperty(params, 'model');
  const modelId = getKnownString(model);
  if (modelId !== null && model) {
    request.model = {
      id: modelId,
      normalized: normalizeModelId(modelId),
      node: model.kind === 'string' ? model.parts[0]?.node ?? site.paramsNode : site.paramsNode,
      info: getModelInfo(modelId),
      bedrock: site.platform === 'bedrock' || isBedrockModelId(modelId),
    };
  }

  builder.tools(evaluator.getProperty(params, 'tools'));
  builder.system(evaluator.getProperty(params, 'system'));
  builder.messages(evaluator.getProperty(params, 'messages'));

  const automatic = params.props.find((prop) => prop.key === 'cache_control');
  if (automatic) {
    const marker = builder.marker(automatic.value, automatic.node, true, false);
    if (marker) {
      marker.segmentIndex = request.segments.length - 1;
      request.automatic = marker;
    }
  }
  request.breakpoints = [
    ...request.segments.flatMap((segment) => (segment.breakpoint ? [segment.breakpoint] : [])),
    ...(request.automatic ? [request.automatic] : []),
  ];
  return request;
}

class SegmentBuilder {
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
  private opaque(section: Section, value: Value, node: Node | null, repeated = false, messageIndex: number | null = null, role: string | null = null, inLastMessage = false): void {
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
      parts:
        value.kind === 'unknown'
          ? [value.part]
          : // a run of unknown length: its size is unknown, but one item's text (the template) tells where it comes from
            [{ kind: 'unknown', node: at, reason: 'dynamic', via: null, branches: repeated ? [this.evaluator.serialize(value, at)] : undefined }],
      breakpoint: null,
      markerSource,
      repeated,
      opaque: true,
      messageIndex,
      role,
      inLastMessage,
    });
  }

  private push(init: Omit<Segment, 'index' | 'opaque' | 'messageIndex' | 'role' | 'inLastMessage'> & { markerSource: ObjectValue | null; opaque?: boolean; messageIndex?: number | null; role?: string | null; inLastMessage?: boolean }): void {
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

/** The last breakpoint of the request (automatic included), or null. */
export function getLastBreakpoint(request: PromptRequest): Breakpoint | null {
  return request.breakpoints.length ? request.breakpoints[request.breakpoints.length - 1] : null;
}

/**
 * Estimated tokens of segments `from..to` (inclusive). `complete` is false when some text is unknown: the
 * count is then a lower bound.
 */
export function estimateSegments(request: PromptRequest, from: number, to: number): { tokens: number; complete: boolean } {
  let tokens = 0;
  let complete = true;
  for (let i = Math.max(0, from); i <= to && i < request.segments.length; i++) {
    const parts = request.segments[i].parts;
    const text = getKnownText(parts);
    if (text !== null) {
      tokens += estimateTokens(text);
      continue;
    }
    // Known text plus a nominal size for each volatile scalar (a date or an id: short); any other unknown
    // part makes the count a lower bound.
    tokens += estimateTokens(parts.map((part) => (part.kind === 'text' ? part.text : '')).join(''));
    for (const part of parts) {
      if (part.kind === 'volatile') tokens += VOLATILE_TOKENS;
      else if (part.kind === 'unknown') complete = false;
    }
  }
  return { tokens, complete };
}

/** Tokens counted for one volatile value (a timestamp or an id) in estimates. */
export const VOLATILE_TOKENS = 10;

/** Node the value of a property is written at, unwrapped (`x as T` → `x`). */
export function valueNodeOf(property: Node): Node {
  return property.type === 'Property' ? unwrapExpression(property.value) : property;
}
