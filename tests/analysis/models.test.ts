import { describe, expect, it } from 'vitest';

import { formatUsd, getMinCacheableTokens, getMissCost, getModelInfo, getUncachedCost, isBedrockModelId, normalizeModelId } from '../../src/analysis/models.js';
import { estimateTokens, formatTokens, upperBoundTokens } from '../../src/analysis/tokens.js';

describe('model ids', () => {
  it.each([
    ['claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['anthropic.claude-opus-4-7-v1:0', 'claude-opus-4-7'],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5'],
    ['global.anthropic.claude-opus-5', 'claude-opus-5'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    ['Claude-Opus-4-8', 'claude-opus-4-8'],
  ])('normalises %s', (id, bare) => {
    expect(normalizeModelId(id)).toBe(bare);
  });

  it('tells Bedrock ids apart', () => {
    expect(isBedrockModelId('anthropic.claude-opus-4-7-v1:0')).toBe(true);
    expect(isBedrockModelId('claude-opus-4-7')).toBe(false);
  });
});

describe('model table', () => {
  it('has minimums and prices from the facts sheet', () => {
    expect(getModelInfo('claude-opus-5')).toMatchObject({ minCacheableTokens: 512, inputPricePerMTok: 5, readMultiplier: 0.1 });
    expect(getModelInfo('claude-haiku-4-5')).toMatchObject({ minCacheableTokens: 4096, inputPricePerMTok: 1 });
    expect(getModelInfo('claude-opus-5-5')).toMatchObject({ readMultiplier: 0.05 });
    expect(getModelInfo('claude-fable-5-2')).toMatchObject({ minCacheableTokens: null });
  });

  it('uses the Bedrock minimum for Bedrock ids', () => {
    expect(getMinCacheableTokens('claude-opus-4-7')).toBe(2048);
    expect(getMinCacheableTokens('anthropic.claude-opus-4-7-v1:0')).toBe(4096);
  });

  it('returns null for unknown models', () => {
    expect(getModelInfo('gpt-5')).toBeNull();
    expect(getMinCacheableTokens('my-finetune')).toBeNull();
    expect(getMissCost(null, 1000)).toBeNull();
  });

  it('prices a miss as a write instead of a read', () => {
    const sonnet = getModelInfo('claude-sonnet-4-5');
    expect(getMissCost(sonnet, 1_000_000)).toBeCloseTo(3 * (1.25 - 0.1));
    expect(getMissCost(sonnet, 1_000_000, '1h')).toBeCloseTo(3 * (2 - 0.1));
    expect(getUncachedCost(sonnet, 1_000_000)).toBeCloseTo(3 * 0.9);
    expect(getMissCost(getModelInfo('claude-mythos-5-2'), 1000)).toBeNull();
  });

  it('formats dollars with two significant digits below a dollar', () => {
    expect(formatUsd(0.0034914)).toBe('$0.0035');
    expect(formatUsd(0.069)).toBe('$0.069');
    expect(formatUsd(3.4914)).toBe('$3.49');
    expect(formatUsd(0)).toBe('$0');
  });
});

describe('token estimates', () => {
  it('counts four ASCII characters per token and one per other character', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
    expect(estimateTokens('日本語')).toBe(3);
  });

  it('has an upper bound with the documented margin', () => {
    expect(upperBoundTokens('x'.repeat(4000))).toBe(1500);
  });

  it('formats counts with thousands separators', () => {
    expect(formatTokens(1234.4)).toBe('1,234');
  });
});
