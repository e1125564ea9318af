/**
 * Runs `compute`; if it throws on some unforeseen input, returns `fallback()` instead of crashing the user's
 * lint run (a linter that crashes is worse than one that misses a finding). With `PROMPT_CACHE_STRICT=1`
 * (set by our tests, crash sweep and fuzzing) the error is rethrown so that it gets found and fixed.
 */
export function guard<T>(compute: () => T, fallback: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (process.env.PROMPT_CACHE_STRICT === '1') throw error;
    return fallback();
  }
}
