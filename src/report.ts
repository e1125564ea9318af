/**
 * The cost report (`prompt-cache-lint --report`): one row per request site with its provider, model,
 * breakpoints, estimated cached tokens, the lint findings that concern it, and the extra cost per 1,000
 * requests those findings cause.
 *
 * Two steps, because a rule cannot see the other rules' reports:
 * 1. {@link getRequestReports} lays out each request from the shared analysis core (`src/analysis/`) while the
 *    file is linted (the CLI runs it from a collector rule, {@link reportCollectorPlugin}). It also keeps, per
 *    row, the places the plugin's rules report at for that request and the token counts behind each possible
 *    finding.
 * 2. {@link attributeFindings} then takes the lint messages of the file (the rules' real output, whatever
 *    their options) and attaches each one to the request(s) it concerns; the cost follows from the attached
 *    findings only. So the report never claims a finding the linter did not make.
 *
 * Nothing here re-implements a rule's decision: the token counts come from the same core functions the rules
 * use (`iterateVolatileInPrefix`, `getStableRunAfter`, `estimateSegments`, `getPrefixSize`) and the prices from
 * the model table (`getMissCost`, `getUncachedCost`).
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { ESLint, Rule } from 'eslint';

import { getEffectiveTtl, getMissedMarkerTokens, iterateMarkerObjects } from './analysis/cache-control.js';
import type { Evaluator } from './analysis/evaluate.js';
import { getMarkerLoops } from './analysis/marker-loops.js';
import { describeTokens } from './analysis/messages.js';
import { type ModelInfo, type Ttl, WRITE_MULTIPLIER, formatUsd, getMissCost, getUncachedCost } from './analysis/models.js';
import { iterateVolatileBeforeStable, getVolatileCacheKey } from './analysis/automatic-prefix.js';
import { iterateVolatileInPrefix } from './analysis/prefix.js';
import { getPrefixSize } from './analysis/prefix-size.js';
import { type PromptRequest, estimateSegments, getFileAnalysis, getLastBreakpoint } from './analysis/request.js';
import type { RequestSite } from './analysis/request-sites.js';
import { createStabilityLookup, getStableRunAfter } from './analysis/stable-run.js';
import { type Part, viaToArray } from './analysis/values.js';
import type { ReportableFrequency } from './analysis/volatility.js';
import { guard } from './guard.js';
import { packageInfo } from './package-info.js';

type Node = TSESTree.Node;
type SourceCode = Readonly<TSESLint.SourceCode>;

/** Number of requests the cost column is given for. */
export const REQUESTS_PER_ROW = 1000;

/** `{ tokens, complete }`: an estimate; when `complete` is false some text is unknown and `tokens` is a lower bound. */
export interface TokenEstimate {
  tokens: number;
  complete: boolean;
}

/** The `cache_control` breakpoints of a request. */
export interface BreakpointCount {
  /** Markers certainly sent once (object values, not made per item of a loop), the automatic one included. */
  certain: number;
  /** Markers made once per item of an array or per turn of a loop (`history.map(… cache_control …)`): flagged. */
  repeated: number;
  /** Markers that may or may not be sent (`cond ? { type: 'ephemeral' } : undefined`, an unknown value). */
  conditional: number;
  /** Top-level `cache_control` (automatic caching) is set. */
  automatic: boolean;
}

/** One lint message attached to a request. */
export interface ReportFinding {
  /** `prompt-cache/no-volatile-in-prefix` */
  ruleId: string;
  messageId: string | null;
  /** Short label: `randomUUID() per request`, `ttl not 5m or 1h (400)`. */
  label: string;
  line: number;
  column: number;
  /** The full lint message. */
  message: string;
}

/**
 * - `none`: no findings, no extra cost (`extraCostPer1000` is 0);
 * - `estimated`: `extraCostPer1000` is computed from the findings (0 for findings that cost nothing, such as
 *   prefer-static-prompt's);
 * - `fails`: a finding makes the API reject the request (400): there is no cost, the request does not work;
 * - `not-cached`: the cached prefix is below the model's minimum, so nothing is cached at all: the findings
 *   cannot cost extra cache writes (n/a);
 * - `unknown`: a finding costs money, but the model or its price is unknown, or the report cannot size the
 *   finding (a changing `prompt_cache_key`).
 */
export type CostStatus = 'none' | 'estimated' | 'fails' | 'not-cached' | 'unknown';

/**
 * How to read `extraCostPer1000`:
 * - `estimate`: the central estimate;
 * - `at-least`: some prompt text is unknown, so the token count (and the cost) is a lower bound;
 * - `at-most`: the costly value does not change on every request (per user, per minute/hour/day): the figure
 *   assumes each request sees a new value, which is the worst case;
 * - `rough`: both of the above.
 */
export type CostBound = 'estimate' | 'at-least' | 'at-most' | 'rough';

/** The numbers behind `extraCostPer1000`. */
export interface CostDetail {
  status: CostStatus;
  bound: CostBound;
  /** Base input price (USD per million tokens) of the model, when known. */
  inputPricePerMTok: number | null;
  /** Cache read price as a multiple of the input price, when known. */
  readMultiplier: number | null;
  /**
   * Changing values in the cached prefix (no-volatile-in-prefix): each request writes these tokens to the cache
   * at `writeMultiplier` (1.25 for a 5m marker, 2 for 1h) instead of reading them at `readMultiplier`.
   */
  writeInsteadOfRead: (TokenEstimate & { ttl: Ttl; writeMultiplier: number; usdPerRequest: number | null }) | null;
  /**
   * Stable content left uncached (no-early-breakpoint; a misspelt `cacheControl` key; under automatic caching,
   * stable text after a changing value): each request sends these tokens at the full input price instead of
   * reading them at `readMultiplier`.
   */
  uncached: (TokenEstimate & { usdPerRequest: number | null }) | null;
  /** One sentence: how the figure was computed, or why there is none. */
  note: string;
}

/** One request site. */
export interface RequestReport {
  /** File name as ESLint gives it (absolute); null until the caller sets it ({@link getRequestReports} does not know it). */
  file: string | null;
  /** Position (1-based) of the call, or of the item for a `messages.batches.create` request. */
  line: number;
  column: number;
  /**
   * `anthropic`, `bedrock`, `vertex`, `foundry`, or `anthropic (untraced)` when the client could not be traced;
   * other request families by name (`anthropic (http)`, `bedrock (converse)`, `openai`).
   */
  provider: string;
  /** `messages.create`, `beta.messages.stream`, `messages.batches.create`, … */
  method: string;
  /** The model id as written, or null when it is not a known string. */
  model: string | null;
  breakpoints: BreakpointCount;
  /** Estimated tokens of the prefix up to the last breakpoint; null when the request caches nothing (no marker, token counting). */
  cachedTokens: TokenEstimate | null;
  findings: ReportFinding[];
  /** Extra cost in USD per 1,000 requests caused by the findings; null when it cannot be given (see `cost.status`). */
  extraCostPer1000: number | null;
  cost: CostDetail;
}

/** The fields of an ESLint `LintMessage` the report reads. */
export interface LintMessageLike {
  ruleId: string | null;
  messageId?: string;
  message: string;
  line: number;
  column: number;
}

/** `[startLine, startColumn, endLine, endColumn]` (lines 1-based, columns 0-based, as in `node.loc`). */
type Region = [number, number, number, number];

/**
 * A changing value the rule no-volatile-in-prefix may report for the request, and the tokens it costs:
 * - `prefix` (message `volatileInPrefix`): a value before the last breakpoint; `tokens` = from the previous
 *   breakpoint to the last one, rewritten instead of read on each change (`VolatileFinding.invalidated`);
 * - `tail` (`volatileBeforeStable`, automatic caching such as OpenAI's): `tokens` = the stable text after the
 *   value, which loses its cache hit (`StableTailFinding.tail`);
 * - `key` (`volatileCacheKey`): a `prompt_cache_key` that changes per request; `tokens` null: the report does not
 *   size what a stable key would have cached.
 */
interface VolatileCandidate {
  kind: 'prefix' | 'tail' | 'key';
  line: number;
  column: number;
  label: string;
  frequency: ReportableFrequency;
  tokens: TokenEstimate | null;
}

/** The message id of no-volatile-in-prefix for each kind of candidate. */
const VOLATILE_MESSAGE: Record<VolatileCandidate['kind'], string> = { prefix: 'volatileInPrefix', tail: 'volatileBeforeStable', key: 'volatileCacheKey' };

/** A misspelt `cacheControl` key valid-cache-control may report, and the tokens it leaves uncached. */
interface KeySpellingCandidate {
  line: number;
  column: number;
  uncached: TokenEstimate;
}

/** What {@link attributeFindings} needs about a row; kept out of the row so rows stay plain JSON. */
interface Attribution {
  /** Where the rules report problems of this request: the call, its params, blocks, markers, the text's sources. */
  regions: Region[];
  /** The function the request is made in: a weaker region, used only for messages no region claims. */
  fnRegion: Region | null;
  volatile: VolatileCandidate[];
  /** TTL of the last breakpoint: the price of rewriting the prefix (a bare marker writes at 5m). */
  ttl: Ttl;
  /** The stable run after the last breakpoint (what no-early-breakpoint reports), or null. */
  stableRun: TokenEstimate | null;
  keySpelling: KeySpellingCandidate[];
  info: ModelInfo | null;
}

const attributions = new WeakMap<RequestReport, Attribution>();

const NO_VOLATILITY_OPTIONS = { volatileCalls: [], userObjects: [] };

/**
 * One row per request site of the file, in source order, computed from the shared per-file analysis (free
 * when the plugin's rules already ran on the same `SourceCode`).
 *
 * Without `messages`, the rows carry no findings yet (cost status `none`); pass the file's lint messages here,
 * or later to {@link attributeFindings}, to attach the findings and compute the costs.
 *
 * @param sourceCode the file (from a rule's `context.sourceCode`)
 * @param messages the file's lint messages (ESLint `LintMessage`s), when already known
 */
export function getRequestReports(sourceCode: SourceCode, messages?: readonly LintMessageLike[]): RequestReport[] {
  const { evaluator, requests } = getFileAnalysis(sourceCode);
  if (requests.length === 0) return [];
  const loops = guard(() => getMarkerLoops(sourceCode), () => []);
  const reports: RequestReport[] = [];
  for (const request of requests) {
    const report = guard<RequestReport | null>(
      () => {
        const requestLoops = loops.filter((loop) => loop.request === request);
        const loopNodes = requestLoops.filter((loop) => !request.breakpoints.some((bp) => bp.node === loop.node)).map((loop) => loop.node);
        const row = buildRow(request, evaluator, loopNodes.length);
        attributions.set(row, buildAttribution(request, evaluator, requestLoops.map((loop) => loop.node)));
        return row;
      },
      () => null,
    );
    if (report) reports.push(report);
  }
  if (messages) attributeFindings(reports, messages);
  return reports;
}

function buildRow(request: PromptRequest, evaluator: Evaluator, extraRepeated: number): RequestReport {
  const { site } = request;
  const at = (site.batchItem ?? site.call).loc.start;
  const info = request.model?.info ?? null;
  return {
    file: null,
    line: at.line,
    column: at.column + 1,
    provider: getProvider(request),
    method: getMethodLabel(site),
    model: request.model?.id ?? null,
    breakpoints: countBreakpoints(request, extraRepeated),
    cachedTokens: getCachedTokens(request, evaluator),
    findings: [],
    extraCostPer1000: 0,
    cost: {
      status: 'none',
      bound: 'estimate',
      inputPricePerMTok: info?.inputPricePerMTok ?? null,
      readMultiplier: info?.readMultiplier ?? null,
      writeInsteadOfRead: null,
      uncached: null,
      note: 'no findings',
    },
  };
}

/**
 * The platform of a traced client (`new AnthropicBedrock()` → `bedrock`). An untraced receiver
 * (`this.client.messages.create`) is `anthropic (untraced)`, unless its model id is spelled the Bedrock way
 * (`anthropic.claude-…-v1:0`), which only Bedrock accepts. Sites of other families (raw HTTP, Bedrock Converse,
 * OpenAI), where the core registers them, are named after that family.
 */
const FAMILY_LABELS: Record<string, string> = { http: 'anthropic (http)', 'bedrock-converse': 'bedrock (converse)' };

function getProvider(request: PromptRequest): string {
  const site = request.site;
  // Read loosely: the family field is newer than the report and may be absent.
  const family = (site as { provider?: string }).provider;
  if (family && family !== 'anthropic-sdk') return FAMILY_LABELS[family] ?? family;
  if (site.traced && site.platform) return site.platform;
  if (request.model?.bedrock) return 'bedrock';
  return 'anthropic (untraced)';
}

/** `messages.create`, `beta.messages.stream`, `messages.batches.create` for Messages API requests; the bare method for other families. */
function getMethodLabel(site: RequestSite): string {
  const family = (site as { provider?: string }).provider;
  if (family && family !== 'anthropic-sdk' && family !== 'http') return site.method;
  const base = site.method === 'batches.create' ? 'messages.batches.create' : `messages.${site.method}`;
  return site.beta ? `beta.${base}` : base;
}

/**
 * Certain markers (an object value sent once), repeated ones (made per item of a `.map()` or loop: the core's
 * `repeated` breakpoints, plus markers pushed in loops that the core cannot lay out as segments) and
 * conditional ones (the value may be `undefined`).
 */
function countBreakpoints(request: PromptRequest, extraRepeated: number): BreakpointCount {
  let certain = 0;
  let repeated = extraRepeated;
  let conditional = 0;
  for (const breakpoint of request.breakpoints) {
    if (breakpoint.repeated) repeated++;
    else if (breakpoint.certain) certain++;
    else conditional++;
  }
  return { certain, repeated, conditional, automatic: request.automatic !== null };
}

/**
 * The prefix up to the last breakpoint: `estimateSegments(0, last)` (4 ASCII characters per token, volatile
 * values at a nominal size). `complete` is false when the size cannot be known from the source
 * (`getPrefixSize` returns null: unknown text, images, documents, server tools), so the count is a lower bound.
 * Null when nothing is cached: no marker, or token counting (which never caches).
 */
function getCachedTokens(request: PromptRequest, evaluator: Evaluator): TokenEstimate | null {
  const last = getLastBreakpoint(request);
  if (!last || last.segmentIndex < 0 || request.site.method === 'countTokens') return null;
  const estimate = estimateSegments(request, 0, last.segmentIndex);
  const size = getPrefixSize(request, last.segmentIndex, evaluator);
  return { tokens: estimate.tokens, complete: estimate.complete && size !== null };
}

function buildAttribution(request: PromptRequest, evaluator: Evaluator, loopNodes: Node[]): Attribution {
  const regions: Region[] = [];
  const add = (node: Node | null | undefined) => {
    if (node?.loc) regions.push([node.loc.start.line, node.loc.start.column, node.loc.end.line, node.loc.end.column]);
  };
  const { site } = request;
  // The call (for a batch: the item, since one call holds several requests) and the params, wherever built.
  add(site.batchItem ?? site.call);
  add(site.paramsNode);
  if (site.params.kind === 'object') add(site.params.node);
  // Blocks, tools, messages and where their text comes from (module constants, helpers, file reads).
  const seen = new Set<Part>();
  const addParts = (parts: readonly Part[]) => {
    for (const part of parts) {
      if (seen.has(part)) continue;
      seen.add(part);
      add(part.node);
      if (part.kind === 'text') continue;
      for (const hop of viaToArray(part.via)) add(hop.node);
      if (part.kind === 'unknown' && part.branches) for (const branch of part.branches) addParts(branch);
    }
  };
  for (const segment of request.segments) {
    if (!segment.opaque) add(segment.node);
    add(segment.textNode);
    addParts(segment.parts);
  }
  // Markers: the property, its value, and each object it may be (a shared `const CACHED = {…}`).
  for (const breakpoint of request.breakpoints) {
    add(breakpoint.node);
    add(breakpoint.valueNode);
    for (const marker of iterateMarkerObjects(breakpoint.value)) add(marker.node);
  }
  // Markers made in loops for this request (max-breakpoints reports there).
  for (const node of loopNodes) add(node);

  const volatile: VolatileCandidate[] = [];
  const candidate = (kind: VolatileCandidate['kind'], node: Node, label: string, frequency: ReportableFrequency, tokens: TokenEstimate | null) => {
    add(node);
    volatile.push({ kind, line: node.loc.start.line, column: node.loc.start.column + 1, label, frequency, tokens });
  };
  for (const finding of iterateVolatileInPrefix(request, NO_VOLATILITY_OPTIONS)) {
    add(finding.entryNode);
    candidate('prefix', finding.reportNode, finding.label, finding.frequency, finding.invalidated);
  }
  for (const finding of iterateVolatileBeforeStable(request, NO_VOLATILITY_OPTIONS)) candidate('tail', finding.reportNode, finding.label, finding.frequency, finding.tail);
  const cacheKey = getVolatileCacheKey(request, evaluator, NO_VOLATILITY_OPTIONS);
  if (cacheKey) candidate('key', cacheKey.node, cacheKey.label, cacheKey.frequency, null);

  const last = getLastBreakpoint(request);
  let stableRun: TokenEstimate | null = null;
  if (last && !last.automatic) {
    const run = getStableRunAfter(request, last, createStabilityLookup(request));
    if (run) stableRun = run.estimate;
  }

  return {
    regions,
    fnRegion: request.fn ? [request.fn.loc.start.line, request.fn.loc.start.column, request.fn.loc.end.line, request.fn.loc.end.column] : null,
    volatile,
    ttl: (last && getEffectiveTtl(last)) ?? '5m',
    stableRun,
    keySpelling: getKeySpellingCandidates(request),
    info: request.model?.info ?? null,
  };
}

/**
 * `cacheControl` keys (the AI SDK spelling, never read by the Messages API) on the params (automatic caching)
 * or on a block, with the tokens a `cache_control` there would have cached and that are now sent at full price:
 * from the block after the previous real marker up to this block. Nothing is lost when a real marker sits at or
 * after the block (the prefix is cached through it anyway), or when the prefix up to the block is below the
 * model's minimum (it could not be cached).
 */
function getKeySpellingCandidates(request: PromptRequest): KeySpellingCandidate[] {
  const candidates: KeySpellingCandidate[] = [];
  if (request.site.method === 'countTokens' || request.segments.length === 0) return candidates;
  const objects: Array<{ value: PromptRequest['site']['params']; index: number }> = [];
  if (request.site.params.kind === 'object') objects.push({ value: request.site.params, index: request.segments.length - 1 });
  for (const segment of request.segments) if (!segment.opaque && segment.value) objects.push({ value: segment.value, index: segment.index });
  for (const { value, index } of objects) {
    if (value.kind !== 'object') continue;
    const key = value.props.find((prop) => prop.key === 'cacheControl')?.keyNode;
    if (!key) continue;
    candidates.push({ line: key.loc.start.line, column: key.loc.start.column + 1, uncached: getMissedMarkerTokens(request, index) ?? { tokens: 0, complete: true } });
  }
  return candidates;
}


/** Short label per rule and message id; findings without one show their message id. */
const LABELS: Record<string, string> = {
  'max-breakpoints/tooMany': 'more than 4 breakpoints (400)',
  'max-breakpoints/unbounded': 'marker on every item (400 past 4 items)',
  'max-breakpoints/perTurn': 'marker added every turn (400 after 4 turns)',
  'max-breakpoints/tooManyDropped': 'more than 4 breakpoints (AI SDK drops the rest)',
  'max-breakpoints/tooManyAdded': 'more than 4 breakpoints with helper markers (400)',
  'max-breakpoints/tooManyAddedDropped': 'more than 4 breakpoints with helper markers (AI SDK drops the rest)',
  'max-breakpoints/unboundedDropped': 'marker on every item (AI SDK drops past 4)',
  'max-breakpoints/perTurnDropped': 'marker added every turn (AI SDK drops past 4)',
  'min-cacheable-size/belowMinimum': "prefix below the model's minimum: not cached",
  'no-early-breakpoint/earlyBreakpoint': 'stable content after the last breakpoint',
  'valid-cache-control/notAnObject': 'cache_control is not an object (400)',
  'valid-cache-control/missingType': 'marker without type (400)',
  'valid-cache-control/invalidType': "type is not 'ephemeral' (400)",
  'valid-cache-control/invalidTtl': "ttl is not '5m' or '1h' (400)",
  'valid-cache-control/ttlOrder': '1h marker after a 5m one (400)',
  'valid-cache-control/automaticTtlConflict': 'automatic and explicit TTLs differ (400)',
  'valid-cache-control/emptyTextMarker': 'marker on an empty text block (400)',
  'valid-cache-control/thinkingMarker': 'marker on a thinking block (400)',
  'valid-cache-control/wrongKeySpelling': 'cacheControl spelling: not cached',
  'prefer-static-prompt/rebuiltPrompt': 'prompt text rebuilt per request',
  'prefer-static-prompt/fileReadPerRequest': 'prompt file read per request',
};

/**
 * Findings with which the API rejects the request (400): every max-breakpoints report but the AI SDK's (which
 * drops the extra markers instead), every valid-cache-control one but the key spelling.
 */
function failsRequest(ruleId: string, messageId: string | null): boolean {
  if (ruleId === 'prompt-cache/max-breakpoints') return !messageId?.endsWith('Dropped');
  return ruleId === 'prompt-cache/valid-cache-control' && messageId !== 'wrongKeySpelling';
}

const FREQUENCY_LABEL: Record<ReportableFrequency, string> = {
  request: 'per request',
  second: 'every second',
  minute: 'every minute',
  hour: 'hourly',
  day: 'daily',
  user: 'per user',
};

/** Frequencies at which (nearly) every request sees a new value. */
const EVERY_REQUEST = new Set<ReportableFrequency>(['request', 'second']);

function contains(region: Region, line: number, column: number): boolean {
  const [startLine, startColumn, endLine, endColumn] = region;
  if (line < startLine || line > endLine) return false;
  if (line === startLine && column < startColumn) return false;
  if (line === endLine && column >= endColumn) return false;
  return true;
}

/**
 * Attaches each of the file's lint messages from this plugin (`prompt-cache/…`) to the request(s) it
 * concerns, then computes each row's cost from its findings. A message concerns a request when it lies in one
 * of the request's regions: the call, its params, its blocks and markers, the sources of its text (module
 * constants, helpers, file reads), the changing values the rules trace, and markers made in loops for it. A
 * message in a shared place (a marker `const` used by several requests) concerns each of them. A message no
 * region claims goes to the request(s) made in the same function, if any.
 *
 * Rows are updated in place (their findings replaced). Returns the messages attached to no request (other
 * plugins' rules, parse errors, reports outside any request).
 *
 * @param reports the rows of one file, from {@link getRequestReports}
 * @param messages that file's lint messages
 */
/** The provider column of {@link getSystemPromptReports} rows. */
export const SYSTEM_PROMPT_PROVIDER = 'system prompt';

/**
 * Rows for system prompts that no request in their file sends (`no-volatile-in-prefix`'s
 * `volatileInSystemPrompt`: the request and its markers are in another module, or the provider caches
 * automatically): one row per finding, at the finding, with no model, markers or cost. Returns those rows
 * (`file` still null) and the messages left over.
 *
 * @param messages messages {@link attributeFindings} attached to no request
 */
export function getSystemPromptReports(messages: readonly LintMessageLike[]): { reports: RequestReport[]; rest: LintMessageLike[] } {
  const reports: RequestReport[] = [];
  const rest: LintMessageLike[] = [];
  for (const message of messages) {
    if (message.ruleId !== 'prompt-cache/no-volatile-in-prefix' || message.messageId !== 'volatileInSystemPrompt') {
      rest.push(message);
      continue;
    }
    const prompt = /is part of a system prompt \((.*?)\):/.exec(message.message)?.[1] ?? 'system prompt';
    reports.push({
      file: null,
      line: message.line,
      column: message.column,
      provider: SYSTEM_PROMPT_PROVIDER,
      method: prompt,
      model: null,
      breakpoints: { certain: 0, repeated: 0, conditional: 0, automatic: false },
      cachedTokens: null,
      findings: [{ ruleId: message.ruleId, messageId: message.messageId, label: `${message.message.split(' but ')[0]}, ${prompt}`, line: message.line, column: message.column, message: message.message }],
      extraCostPer1000: null,
      cost: {
        status: 'unknown',
        bound: 'estimate',
        inputPricePerMTok: null,
        readMultiplier: null,
        writeInsteadOfRead: null,
        uncached: null,
        note: 'the prompt is sent from another module or cached automatically: the model and the markers are not known here',
      },
    });
  }
  return { reports, rest };
}

export function attributeFindings(reports: readonly RequestReport[], messages: readonly LintMessageLike[]): LintMessageLike[] {
  const unattributed: LintMessageLike[] = [];
  for (const report of reports) report.findings = [];
  const rows = reports.map((report) => ({ report, attribution: attributions.get(report) })).filter((row) => row.attribution !== undefined) as Array<{
    report: RequestReport;
    attribution: Attribution;
  }>;
  for (const message of messages) {
    if (!message.ruleId?.startsWith('prompt-cache/')) {
      unattributed.push(message);
      continue;
    }
    const column = message.column - 1;
    let owners = rows.filter((row) => row.attribution.regions.some((region) => contains(region, message.line, column)));
    if (owners.length === 0) owners = rows.filter((row) => row.attribution.fnRegion && contains(row.attribution.fnRegion, message.line, column));
    if (owners.length === 0) {
      unattributed.push(message);
      continue;
    }
    for (const { report, attribution } of owners) report.findings.push(toFinding(message, attribution));
  }
  for (const { report, attribution } of rows) {
    report.findings.sort((a, b) => a.line - b.line || a.column - b.column);
    const { cost, extra } = computeCost(report, attribution);
    report.cost = cost;
    report.extraCostPer1000 = extra;
  }
  return unattributed;
}

function toFinding(message: LintMessageLike, attribution: Attribution): ReportFinding {
  const ruleId = message.ruleId!;
  const messageId = message.messageId ?? null;
  const rule = ruleId.slice('prompt-cache/'.length);
  let label = LABELS[`${rule}/${messageId}`] ?? messageId ?? message.message.slice(0, 40);
  if (ruleId === 'prompt-cache/no-volatile-in-prefix') {
    const candidate = matchVolatile({ ...message, messageId }, attribution);
    if (candidate) label = `${candidate.kind === 'key' ? 'prompt_cache_key ' : ''}${candidate.label} ${FREQUENCY_LABEL[candidate.frequency]}`;
    if (candidate?.kind === 'tail') label += ', before stable text';
  }
  return { ruleId, messageId, label, line: message.line, column: message.column, message: message.message };
}

/**
 * The changing value a no-volatile-in-prefix message is about: same message id and position, and (when several
 * values are reported at one place) the one whose label the message names.
 */
function matchVolatile(
  message: { line: number; column: number; message: string; messageId: string | null },
  attribution: Attribution,
): VolatileCandidate | null {
  const here = attribution.volatile.filter(
    (candidate) => VOLATILE_MESSAGE[candidate.kind] === message.messageId && candidate.line === message.line && candidate.column === message.column,
  );
  return here.find((candidate) => message.message.includes(`${candidate.label} `)) ?? here[0] ?? null;
}

/**
 * The extra cost of one request, in USD per {@link REQUESTS_PER_ROW} requests, from the findings attached to it:
 *
 * - a finding the API rejects (too many breakpoints, an invalid marker) → `fails`: no cost, the request fails (400);
 * - min-cacheable-size (the prefix is below the model's minimum) → `not-cached`: nothing is cached, so no
 *   finding can cost cache writes; n/a;
 * - no-volatile-in-prefix, a value before the last breakpoint → each request writes the invalidated tokens (from
 *   the breakpoint before the value to the last breakpoint) instead of reading them:
 *   `tokens × input price × (write multiplier of the last marker's TTL − read multiplier)`, i.e. 1.25× (5m) or
 *   2× (1h) instead of 0.1× (`getMissCost`). Several values in one request invalidate nested ranges that all end
 *   at the last breakpoint, so the request pays for the largest one, once;
 * - no-early-breakpoint → the stable run after the last breakpoint is sent at the full price instead of read:
 *   `tokens × input price × (1 − read multiplier)` (`getUncachedCost`); likewise a misspelt `cacheControl` key for
 *   the tokens its marker would have cached, and (automatic caching) the stable text after a changing value.
 *   These ranges overlap (they start after the last real marker, or after the value), so the largest is counted;
 * - other findings (prefer-static-prompt) cost nothing by themselves: 0.
 *
 * The cost is null (`unknown`) when a costly finding meets an unknown model or price, or when the report cannot
 * size a finding (a volatile `prompt_cache_key`, a report the core does not reproduce).
 */
function computeCost(report: RequestReport, attribution: Attribution): { cost: CostDetail; extra: number | null } {
  const { info } = attribution;
  const detail = (
    status: CostStatus,
    note: string,
    bound: CostBound = 'estimate',
    writeInsteadOfRead: CostDetail['writeInsteadOfRead'] = null,
    uncached: CostDetail['uncached'] = null,
  ): CostDetail => ({
    status,
    bound,
    inputPricePerMTok: info?.inputPricePerMTok ?? null,
    readMultiplier: info?.readMultiplier ?? null,
    writeInsteadOfRead,
    uncached,
    note,
  });
  const findings = report.findings;
  if (findings.length === 0) return { cost: detail('none', 'no findings'), extra: 0 };
  if (findings.some((finding) => failsRequest(finding.ruleId, finding.messageId))) {
    return { cost: detail('fails', 'the API rejects this request (400): no cost estimate, it does not work'), extra: null };
  }
  if (findings.some((finding) => finding.ruleId === 'prompt-cache/min-cacheable-size')) {
    return { cost: detail('not-cached', "the prefix is below the model's minimum, so nothing is cached: no cache write or read to price (n/a)"), extra: null };
  }

  // The tokens each costly finding affects. `frequency` null: the same on every request (a layout problem).
  type Affected = { tokens: TokenEstimate; frequency: ReportableFrequency | null };
  const writes: Affected[] = [];
  const uncachedRuns: Affected[] = [];
  const unsized: string[] = [];
  for (const finding of findings) {
    if (finding.ruleId === 'prompt-cache/no-volatile-in-prefix') {
      const candidate = matchVolatile(finding, attribution);
      if (!candidate?.tokens) unsized.push(finding.label);
      else (candidate.kind === 'prefix' ? writes : uncachedRuns).push({ tokens: candidate.tokens, frequency: candidate.frequency });
    } else if (finding.ruleId === 'prompt-cache/no-early-breakpoint') {
      if (attribution.stableRun) uncachedRuns.push({ tokens: attribution.stableRun, frequency: null });
      else unsized.push(finding.label);
    } else if (finding.messageId === 'wrongKeySpelling') {
      const candidate = attribution.keySpelling.find((c) => c.line === finding.line && c.column === finding.column);
      if (candidate) uncachedRuns.push({ tokens: candidate.uncached, frequency: null });
      else unsized.push(finding.label);
    }
  }
  // The largest range of each kind; exact when something that happens on (nearly) every request covers it.
  let everyRequest = true;
  const largest = (list: Affected[]): TokenEstimate | null => {
    if (list.length === 0) return null;
    const top = list.reduce((max, entry) => (entry.tokens.tokens > max.tokens.tokens ? entry : max));
    if (!list.some((entry) => (entry.frequency === null || EVERY_REQUEST.has(entry.frequency)) && entry.tokens.tokens >= top.tokens.tokens)) everyRequest = false;
    return top.tokens;
  };
  const writeTokens = largest(writes);
  const uncachedTokens = largest(uncachedRuns);
  const { ttl } = attribution;
  const write: CostDetail['writeInsteadOfRead'] = writeTokens
    ? { ...writeTokens, ttl, writeMultiplier: WRITE_MULTIPLIER[ttl], usdPerRequest: roundUsd(getMissCost(info, writeTokens.tokens, ttl)) }
    : null;
  const uncached: CostDetail['uncached'] = uncachedTokens ? { ...uncachedTokens, usdPerRequest: roundUsd(getUncachedCost(info, uncachedTokens.tokens)) } : null;

  const complete = (write?.complete ?? true) && (uncached?.complete ?? true);
  const bound: CostBound = !complete && !everyRequest ? 'rough' : !complete ? 'at-least' : !everyRequest ? 'at-most' : 'estimate';
  const costly = [write, uncached].filter((part) => part !== null && part.tokens > 0);
  if (costly.length === 0 && unsized.length === 0) return { cost: detail('estimated', 'the findings cost no extra input tokens', bound, write, uncached), extra: 0 };
  if (info?.inputPricePerMTok == null || info.readMultiplier === null) {
    const why = report.model === null ? 'the model is not a known string' : `no price for ${report.model} in the model table`;
    return { cost: detail('unknown', `${why}: cost unknown`, bound, write, uncached), extra: null };
  }
  if (unsized.length > 0) return { cost: detail('unknown', `the report cannot size: ${unsized.join(', ')}`, bound, write, uncached), extra: null };
  const perRequest = (getMissCost(info, write?.tokens ?? 0, ttl) ?? 0) + (getUncachedCost(info, uncached?.tokens ?? 0) ?? 0);
  return {
    cost: detail('estimated', describeComputation(write, uncached, info), bound, write, uncached),
    extra: roundUsd(perRequest * REQUESTS_PER_ROW),
  };
}

/** USD rounded to a millionth of a cent, so JSON shows `13.1031`, not `13.103100000000001`. */
function roundUsd(amount: number): number;
function roundUsd(amount: number | null): number | null;
function roundUsd(amount: number | null): number | null {
  return amount === null ? null : Math.round(amount * 1e8) / 1e8;
}

/** `writes 4,143 tokens at 1.25x instead of reading them at 0.1x + sends 1,400 tokens at 1x instead of 0.1x, at $3/MTok input`. */
function describeComputation(write: CostDetail['writeInsteadOfRead'], uncached: CostDetail['uncached'], info: ModelInfo): string {
  const read = `${info.readMultiplier}x`;
  const pieces: string[] = [];
  if (write && write.tokens > 0) pieces.push(`writes ${describeTokens(write)} tokens at ${write.writeMultiplier}x (${write.ttl}) instead of reading them at ${read}`);
  if (uncached && uncached.tokens > 0) pieces.push(`sends ${describeTokens(uncached)} stable tokens at 1x instead of reading them at ${read}`);
  return `each request ${pieces.join(' and ')}, at $${info.inputPricePerMTok}/MTok input`;
}

/**
 * Order for display: failing requests first (they do not work at all), then by extra cost per 1,000 requests
 * (highest first), then rows with findings whose cost is unknown or n/a, then rows without findings; ties by
 * file and line.
 */
export function sortReports<T extends RequestReport>(reports: readonly T[]): T[] {
  const rank = (report: RequestReport) =>
    report.cost.status === 'fails' ? 0 : report.findings.length > 0 && report.extraCostPer1000 !== null ? 1 : report.findings.length > 0 ? 2 : 3;
  return [...reports].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (b.extraCostPer1000 ?? 0) - (a.extraCostPer1000 ?? 0) ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      a.line - b.line ||
      a.column - b.column,
  );
}

/** `2`, `1 +1/item`, `1 (+1 conditional)`, `auto` for automatic caching alone. */
export function formatBreakpoints(count: BreakpointCount): string {
  let text = String(count.certain);
  if (count.repeated > 0) text += ` +${count.repeated}/item`;
  if (count.conditional > 0) text += ` (+${count.conditional} conditional)`;
  if (count.automatic) text += ' incl. auto';
  return text;
}

/** `$4.69`, `≥ $4.69` (lower bound), `≤ $4.69` (worst case), `~ $4.69` (both), `request fails (400)`, `n/a (not cached)`, `unknown (no price)`. */
export function formatCost(report: RequestReport): string {
  switch (report.cost.status) {
    case 'fails':
      return 'request fails (400)';
    case 'not-cached':
      return 'n/a (not cached)';
    case 'unknown':
      if (report.model === null) return 'unknown (no model)';
      return report.cost.inputPricePerMTok === null || report.cost.readMultiplier === null ? 'unknown (no price)' : 'unknown';
    default: {
      const amount = report.extraCostPer1000 ?? 0;
      const prefix = { estimate: '', 'at-least': '≥ ', 'at-most': '≤ ', rough: '~ ' }[report.cost.bound];
      return `${amount === 0 ? '' : prefix}${formatUsd(amount)}`;
    }
  }
}

/**
 * The text report: a table sorted with {@link sortReports} (one line per finding within a row), then a total.
 *
 * @param reports rows of every file
 * @param relativeFile turns a row's `file` into what is printed (a path relative to the working directory)
 */
export function formatReportText(reports: readonly RequestReport[], relativeFile: (file: string) => string = (file) => file): string {
  if (reports.length === 0) return 'No LLM request sites found.\n';
  const sorted = sortReports(reports);
  const header = ['Location', 'Provider', 'Model', 'Breakpoints', 'Cached tokens', 'Findings', `Extra $/${REQUESTS_PER_ROW.toLocaleString('en-US')} requests`];
  const lines: string[][] = [header];
  for (const report of sorted) {
    const findings = report.findings.map((finding) => `${finding.ruleId.replace(/^prompt-cache\//, '')}: ${finding.label}`);
    lines.push([
      `${report.file === null ? '' : relativeFile(report.file)}:${report.line}`,
      report.provider,
      report.model ?? '?',
      report.provider === SYSTEM_PROMPT_PROVIDER ? '-' : formatBreakpoints(report.breakpoints),
      report.cachedTokens ? describeTokens(report.cachedTokens) : '-',
      findings[0] ?? '-',
      formatCost(report),
    ]);
    for (const more of findings.slice(1)) lines.push(['', '', '', '', '', more, '']);
  }
  const widths = header.map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  const rightAligned = new Set([3, 4, 6]);
  const render = (line: string[]) =>
    line
      .map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  const out = lines.map(render);
  out.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  out.push('', describeTotal(reports));
  return `${out.join('\n')}\n`;
}

/**
 * `Total: 12 request sites, 5 with findings (2 fail with 400); $31.20 extra per 1,000 requests at each site,
 * summed over the 3 sites with a cost ($21.00 of it a worst case).` The worst-case part comes from rows whose
 * cost assumes every request sees a new value (per user, hourly, daily: bound `at-most` or `rough`).
 */
export function describeTotal(allReports: readonly RequestReport[]): string {
  const reports = allReports.filter((report) => report.provider !== SYSTEM_PROMPT_PROVIDER);
  const prompts = allReports.length - reports.length;
  const withFindings = reports.filter((report) => report.findings.length > 0).length;
  const failing = reports.filter((report) => report.cost.status === 'fails').length;
  const costed = reports.filter((report) => report.findings.length > 0 && report.extraCostPer1000 !== null && report.extraCostPer1000 > 0);
  const sum = (rows: RequestReport[]) => rows.reduce((total, report) => total + (report.extraCostPer1000 ?? 0), 0);
  const worstCase = costed.filter((report) => report.cost.bound === 'at-most' || report.cost.bound === 'rough');
  const sites = (n: number) => `${n} request site${n === 1 ? '' : 's'}`;
  let text = `Total: ${sites(reports.length)}, ${withFindings} with findings`;
  if (failing > 0) text += ` (${failing} fail${failing === 1 ? 's' : ''} with 400)`;
  if (prompts > 0) text += `, and ${prompts} finding${prompts === 1 ? '' : 's'} in system prompts sent from elsewhere`;
  if (costed.length === 0) return `${text}; no known extra cost.`;
  const over = costed.length === 1 ? 'the 1 site with a cost' : `the ${costed.length} sites with a cost`;
  text += `; ${formatUsd(sum(costed))} extra per ${REQUESTS_PER_ROW.toLocaleString('en-US')} requests at each site, summed over ${over}`;
  return worstCase.length > 0 ? `${text} (${formatUsd(sum(worstCase))} of it a worst case).` : `${text}.`;
}

/**
 * An ESLint plugin with one rule, `collect`, that reports nothing: on `Program:exit` it computes the file's
 * rows with {@link getRequestReports} and hands them to `onFile` with the file name. Used by the CLI next to the
 * recommended rules (sharing their per-file analysis); run it without `concurrency` (rows stay in this process).
 *
 * @param onFile receives each linted file's name and rows (`file` already set)
 */
export function reportCollectorPlugin(onFile: (filename: string, reports: RequestReport[]) => void): ESLint.Plugin {
  const rule: Rule.RuleModule = {
    meta: { type: 'suggestion', schema: [], docs: { description: 'Collects the request sites of a file for the cost report' } },
    create(context) {
      return {
        'Program:exit'() {
          const reports = guard(() => getRequestReports(context.sourceCode as unknown as SourceCode), () => []);
          for (const report of reports) report.file = context.filename;
          onFile(context.filename, reports);
        },
      };
    },
  };
  return { meta: { name: `${packageInfo.name}/report`, version: packageInfo.version }, rules: { collect: rule } };
}
