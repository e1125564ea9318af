/**
 * Token estimates for known prompt text, without a tokenizer.
 *
 * Claude's tokenizers produce about 3.5 to 4.5 characters per token on English prose and code, fewer on
 * dense JSON, and roughly one token per character on CJK text. The estimate counts ASCII characters at
 * {@link CHARS_PER_TOKEN} per token and every other code point as one token. Measured on English prose it is
 * within ±25% of the real count ({@link ESTIMATE_MARGIN}); rules that must not cry wolf compare with that
 * margin applied in the safe direction (see {@link upperBoundTokens}).
 */

/** ASCII characters per token in the central estimate. */
export const CHARS_PER_TOKEN = 4;

/** Relative error of {@link estimateTokens} that the rules allow for. */
export const ESTIMATE_MARGIN = 0.25;

/** Central token estimate for `text` (0 for the empty string). */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / CHARS_PER_TOKEN) + other;
}

/**
 * A count the real token count is very unlikely to exceed: the central estimate plus {@link ESTIMATE_MARGIN},
 * doubled for safety. Used when a report claims the text is *too small*.
 */
export function upperBoundTokens(text: string): number {
  return upperBoundOfCount(estimateTokens(text));
}

/** {@link upperBoundTokens} for an already estimated count. */
export function upperBoundOfCount(tokens: number): number {
  return Math.ceil(tokens * (1 + 2 * ESTIMATE_MARGIN));
}

/** `1234` → `"1,234"`: how token counts are printed in messages. */
export function formatTokens(tokens: number): string {
  return Math.round(tokens).toLocaleString('en-US');
}
