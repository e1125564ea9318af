import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

import { guard } from '../guard.js';
import { type FunctionNode, getEnclosingFunction, unwrapExpression } from './ast.js';
import { layoutAiSdk } from './ai-sdk.js';
import { layoutConverse } from './converse.js';
import { Evaluator } from './evaluate.js';
import './http-sites.js';
import type { ModelInfo } from './models.js';
import { layoutLangChain } from './langchain.js';
import { ModuleEvaluators, getFile } from './module-evaluators.js';
import { layoutOpenAI } from './openai.js';
import { perFile } from './per-file-cache.js';
import { type RequestFormat, type RequestSite, findRequestSites, mayContainAnyRequest } from './request-sites.js';
import { type Layout, SegmentBuilder } from './segment-builder.js';
import { estimateTokens } from './tokens.js';
import { type ObjectValue, type Part, type Value, getKnownText } from './values.js';
import { findVolatileSources } from './volatility.js';

export { nodeOf, propertyValueNode } from './segment-builder.js';

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
    if (!globalScope) return { evaluator: new Evaluator(sourceCode, new Map()), requests: [] };
    const file = getFile(sourceCode);
    const modules = file ? new ModuleEvaluators(file.root) : null;
    // The volatile-source map is built only once the evaluator meets a call (most files never get there).
    const evaluator = new Evaluator(sourceCode, () => findVolatileSources(globalScope as TSESLint.Scope.Scope), modules, file?.path ?? null);
    if (!mayContainAnyRequest(sourceCode.text)) return { evaluator, requests: [] };
    return guard(
      () => ({ evaluator, requests: findRequestSites(sourceCode, evaluator).map((site) => buildRequest(site, evaluator)) }),
      () => ({ evaluator, requests: [] }),
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
  const builder = new SegmentBuilder(request, evaluator);
  LAYOUTS[site.format](request, site.params, builder, evaluator);
  request.breakpoints = [
    ...request.segments.flatMap((segment) => (segment.breakpoint ? [segment.breakpoint] : [])),
    ...(request.automatic ? [request.automatic] : []),
  ];
  return request;
}

/** How each request format is laid out into segments and breakpoints. */
const LAYOUTS: Record<RequestFormat, Layout> = {
  anthropic: layoutAnthropic,
  converse: layoutConverse,
  openai: layoutOpenAI,
  'ai-sdk': layoutAiSdk,
  langchain: layoutLangChain,
};

/** The Messages API body: `tools` → `system` → `messages`, `cache_control` on blocks, top-level automatic. */
function layoutAnthropic(request: PromptRequest, params: ObjectValue, builder: SegmentBuilder, evaluator: Evaluator): void {
  builder.setModel(evaluator.getProperty(params, 'model'));
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
    const estimate = estimateParts(request.segments[i].parts);
    tokens += estimate.tokens;
    complete &&= estimate.complete;
  }
  return { tokens, complete };
}

/**
 * Estimated tokens of prompt text: known text plus a nominal size for each volatile scalar (a date or an id:
 * short); any other unknown part makes the count a lower bound (`complete: false`).
 */
export function estimateParts(parts: readonly Part[]): { tokens: number; complete: boolean } {
  const text = getKnownText(parts);
  if (text !== null) return { tokens: estimateTokens(text), complete: true };
  let tokens = estimateTokens(parts.map((part) => (part.kind === 'text' ? part.text : '')).join(''));
  let complete = true;
  for (const part of parts) {
    if (part.kind === 'volatile') tokens += VOLATILE_TOKENS;
    else if (part.kind === 'unknown') complete = false;
  }
  return { tokens, complete };
}

/** Tokens counted for one volatile value (a timestamp or an id) in estimates. */
export const VOLATILE_TOKENS = 10;

/** Node the value of a property is written at, unwrapped (`x as T` → `x`). */
export function valueNodeOf(property: Node): Node {
  return property.type === 'Property' ? unwrapExpression(property.value) : property;
}
