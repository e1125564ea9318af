/**
 * The model table: minimum cacheable prompt length and prices per Anthropic model, as of {@link MODEL_TABLE_AS_OF}.
 * Source: `shared/reference/prompt-caching-facts.md` §8 (official docs where available; `conf` says which).
 * `null` means unknown: rules stay silent about a value they do not know.
 */

export const MODEL_TABLE_AS_OF = '2026-11-22';

/** Cache write price as a multiple of the input price, per TTL. */
export const WRITE_MULTIPLIER = { '5m': 1.25, '1h': 2 } as const;

/** Breakpoints the API accepts in one request, automatic caching included. */
export const MAX_BREAKPOINTS = 4;

/** How many block positions a read walks back from a breakpoint. */
export const LOOKBACK_POSITIONS = 20;

export type Ttl = keyof typeof WRITE_MULTIPLIER;

export interface ModelInfo {
  /** The normalised id the row matched (`claude-sonnet-4-5`). */
  id: string;
  provider: 'anthropic';
  /** Minimum cacheable prefix in tokens on the Claude API, or null when unknown. */
  minCacheableTokens: number | null;
  /** Minimum on Amazon Bedrock where AWS documents a different one. */
  bedrockMinCacheableTokens: number | null;
  /** Base input price in USD per million tokens, or null when unknown. */
  inputPricePerMTok: number | null;
  /** Cache read price as a multiple of the input price, or null when unknown. */
  readMultiplier: number | null;
  /** Where the numbers come from. */
  confidence: string;
}

interface Row {
  min: number | null;
  bedrockMin?: number;
  price: number | null;
  read: number | null;
  conf: string;
}

const ROWS: Array<[RegExp, Row]> = [
  [/^claude-fable-5-2$/, { min: null, price: 8, read: 0.025, conf: '3P' }],
  [/^claude-mythos-5-2$/, { min: null, price: null, read: null, conf: 'SDK id only' }],
  [/^claude-fable-5-1$/, { min: 512, price: 10, read: 0.025, conf: 'DOC' }],
  [/^claude-mythos-5-1$/, { min: 512, price: 10, read: 0.025, conf: 'DOC' }],
  [/^claude-fable-5$/, { min: 512, price: 10, read: 0.1, conf: 'DOC' }],
  [/^claude-mythos-5$/, { min: 512, price: 10, read: 0.1, conf: 'DOC' }],
  [/^claude-mythos-preview$/, { min: 2048, bedrockMin: 4096, price: null, read: null, conf: 'DOC' }],
  [/^claude-opus-5-5$/, { min: 512, price: 4, read: 0.05, conf: 'DOC' }],
  [/^claude-opus-5$/, { min: 512, price: 5, read: 0.1, conf: 'DOC' }],
  [/^claude-opus-4-8$/, { min: 1024, price: 5, read: 0.1, conf: 'DOC' }],
  [/^claude-opus-4-7$/, { min: 2048, bedrockMin: 4096, price: 5, read: 0.1, conf: 'DOC' }],
  [/^claude-opus-4-6$/, { min: 4096, price: 5, read: 0.1, conf: 'DOC' }],
  [/^claude-opus-4-5$/, { min: 4096, price: 5, read: 0.1, conf: 'DOC' }],
  [/^claude-opus-4-1$/, { min: 1024, price: 15, read: 0.1, conf: 'DOC' }],
  [/^claude-opus-4(-0)?$/, { min: 1024, price: 15, read: 0.1, conf: 'DOC' }],
  [/^claude-sonnet-5-5$/, { min: 512, price: 2, read: 0.05, conf: 'min: Bedrock DOC; 0.05x: 3P' }],
  [/^claude-sonnet-5$/, { min: 1024, price: 2, read: 0.1, conf: 'DOC' }],
  [/^claude-sonnet-4-6$/, { min: 1024, price: 3, read: 0.1, conf: 'DOC; one 3P report of 2048' }],
  [/^claude-sonnet-4-5$/, { min: 1024, price: 3, read: 0.1, conf: 'DOC' }],
  [/^claude-sonnet-4(-0)?$/, { min: 1024, price: 3, read: 0.1, conf: 'DOC' }],
  [/^claude-haiku-5-5$/, { min: 512, price: 0.1, read: 0.1, conf: 'DOC' }],
  [/^claude-haiku-4-5$/, { min: 4096, price: 1, read: 0.1, conf: 'DOC' }],
  [/^claude-3-5-haiku$/, { min: 2048, price: 0.8, read: 0.1, conf: 'DOC' }],
  [/^claude-3-7-sonnet$/, { min: 1024, price: 3, read: 0.1, conf: 'older DOC' }],
  [/^claude-3-haiku$/, { min: 2048, price: 0.25, read: 0.1, conf: 'older DOC' }],
];

/**
 * Normalises a provider model id to the bare Anthropic id: strips Bedrock region/vendor prefixes
 * (`us.anthropic.`, `global.anthropic.`, `anthropic.`), Bedrock version suffixes (`-v1:0`, `-v2`), Vertex
 * dates (`@20250929`), dated snapshots (`-20250929`) and `-latest`.
 */
export function normalizeModelId(id: string): string {
  let bare = id.trim().toLowerCase();
  const slash = bare.lastIndexOf('/');
  if (slash !== -1) bare = bare.slice(slash + 1); // `anthropic/claude-…`, ARN-style paths
  bare = bare.replace(/^(?:[a-z]{2,6}\.)?anthropic\./, '');
  bare = bare.replace(/-v\d+(?::\d+)?$/, '');
  bare = bare.replace(/@\d{8}$/, '');
  bare = bare.replace(/-\d{8}$/, '');
  bare = bare.replace(/-latest$/, '');
  return bare;
}

/** Whether the id is spelled the Bedrock way (`anthropic.` prefix or `-vN:M` suffix). */
export function isBedrockModelId(id: string): boolean {
  return /(^|\.)anthropic\.|-v\d+:\d+$/.test(id.trim().toLowerCase());
}

/** The table row for a model id (any provider spelling), or null for an unknown model. */
export function getModelInfo(id: string): ModelInfo | null {
  const bare = normalizeModelId(id);
  for (const [pattern, row] of ROWS) {
    if (pattern.test(bare)) {
      return {
        id: bare,
        provider: 'anthropic',
        minCacheableTokens: row.min,
        bedrockMinCacheableTokens: row.bedrockMin ?? null,
        inputPricePerMTok: row.price,
        readMultiplier: row.read,
        confidence: row.conf,
      };
    }
  }
  return null;
}

/** Minimum cacheable tokens for `id`, using the Bedrock figure for Bedrock-style ids; null when unknown. */
export function getMinCacheableTokens(id: string): number | null {
  const info = getModelInfo(id);
  if (!info) return null;
  if (isBedrockModelId(id) && info.bedrockMinCacheableTokens !== null) return info.bedrockMinCacheableTokens;
  return info.minCacheableTokens;
}

/**
 * Extra cost in USD of one request that writes `tokens` cached tokens instead of reading them:
 * `tokens × input price × (write multiplier − read multiplier)`. Null when the price is unknown.
 */
export function getMissCost(info: ModelInfo | null, tokens: number, ttl: Ttl = '5m'): number | null {
  if (!info || info.inputPricePerMTok === null || info.readMultiplier === null) return null;
  return (tokens / 1_000_000) * info.inputPricePerMTok * (WRITE_MULTIPLIER[ttl] - info.readMultiplier);
}

/** Extra cost of sending `tokens` uncached instead of reading them from the cache. */
export function getUncachedCost(info: ModelInfo | null, tokens: number): number | null {
  if (!info || info.inputPricePerMTok === null || info.readMultiplier === null) return null;
  return (tokens / 1_000_000) * info.inputPricePerMTok * (1 - info.readMultiplier);
}

/** `0.00712` → `"$0.0071"`, `7.12` → `"$7.12"`: two significant digits below a dollar. */
export function formatUsd(amount: number): string {
  if (amount >= 1) return `$${amount.toFixed(2)}`;
  if (amount === 0) return '$0';
  const digits = Math.max(2, -Math.floor(Math.log10(amount)) + 1);
  return `$${amount.toFixed(Math.min(digits, 6))}`;
}
