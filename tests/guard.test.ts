import { afterEach, describe, expect, it } from 'vitest';

import { guard } from '../src/guard.js';

describe('guard', () => {
  const strict = process.env.PROMPT_CACHE_STRICT;
  afterEach(() => {
    process.env.PROMPT_CACHE_STRICT = strict;
  });

  it('returns the fallback instead of throwing into a user lint run', () => {
    process.env.PROMPT_CACHE_STRICT = '0';
    expect(guard(() => { throw new Error('boom'); }, () => 'fallback')).toBe('fallback');
  });

  it('rethrows in strict mode so tests and the crash sweep see the bug', () => {
    process.env.PROMPT_CACHE_STRICT = '1';
    expect(() => guard(() => { throw new Error('boom'); }, () => 'fallback')).toThrow('boom');
  });

  it('passes results through', () => {
    expect(guard(() => 42, () => 0)).toBe(42);
  });
});
