import { describe, expect, it } from 'vitest';

import { getNamedValueFrequency, isUserObjectName } from '../../src/analysis/volatility.js';

describe('values named like ids and user fields', () => {
  it.each([
    ['requestId', 'request'],
    ['trace_id', 'request'],
    ['correlationId', 'request'],
    ['spanId', 'request'],
    ['userId', 'user'],
    ['sessionId', 'user'],
    ['customer_id', 'user'],
    ['email', 'user'],
    ['userName', 'user'],
    ['id', null],
    ['docId', null],
    ['name', null],
  ])('%s → %s', (name, frequency) => {
    expect(getNamedValueFrequency(name)).toBe(frequency);
  });

  it('recognises objects holding per-user data by their last word', () => {
    expect(isUserObjectName('currentUser')).toBe(true);
    expect(isUserObjectName('req')).toBe(true);
    expect(isUserObjectName('freq')).toBe(false);
    expect(isUserObjectName('isUser')).toBe(false);
    expect(isUserObjectName('visitor', ['visitor'])).toBe(true);
  });
});
