import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import { createRule, extendRuleScope } from '../src/create-rule.js';

type Options = [{ max?: number; names?: string[]; pattern?: RegExp }];

/** A rule built with `createRule` that records the options of every file it is created for. */
/** A Messages API request (every rule runs), and `messages.create` calls that are not one (no rule runs). */
const REQUEST = "client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1, messages: [] });";
const NOT_A_REQUEST = "twilio.messages.create({ body: 'hi', to: '+1', from: '+2' });";

function recordingRule(name = 'recording') {
  const seen: Options[0][] = [];
  const rule = createRule<Options, 'x'>({
    name,
    meta: {
      type: 'problem',
      docs: { description: 'test rule', recommended: false },
      messages: { x: 'x' },
      schema: [{ type: 'object' }],
      defaultOptions: [{ max: 4, names: ['a'] }],
    },
    create(_context, [options]) {
      seen.push(options);
      return {};
    },
  });
  const lint = (code: string, options?: Options[0]) =>
    new Linter().verify(code, [{ plugins: { t: { rules: { recording: rule as never } } }, rules: { 't/recording': options ? ['error', options] : 'error' } }], {
      filename: 'file.js',
    });
  return { seen, lint };
}

describe('createRule', () => {
  it('creates no listeners, and resolves no options, in files without a request site', () => {
    const { seen, lint } = recordingRule();
    lint('const x = 1;');
    lint('const y = fetch(url);');
    lint(NOT_A_REQUEST);
    expect(seen).toEqual([]);
    lint(REQUEST);
    expect(seen).toEqual([{ max: 4, names: ['a'] }]);
  });

  it('creates a rule whose scope is extended in the files its test accepts, with resolved options', () => {
    const { seen, lint } = recordingRule('recording-extended');
    const asked: Array<[string, unknown]> = [];
    extendRuleScope<Options>('recording-extended', (text, [options]) => {
      asked.push([text, options]);
      return text.includes('systemPrompt');
    });
    lint('const x = 1;');
    lint('const systemPrompt = `now: ${Date.now()}`;', { max: 2 });
    expect(asked).toEqual([
      ['const x = 1;', { max: 4, names: ['a'] }],
      ['const systemPrompt = `now: ${Date.now()}`;', { max: 2, names: ['a'] }],
    ]);
    expect(seen).toEqual([{ max: 2, names: ['a'] }]);
    expect(seen[0]).toBe(asked[1][1]);
  });

  it('resolves equal options once: the same frozen object for every file, defaults merged', () => {
    const { seen, lint } = recordingRule();
    lint(REQUEST, { max: 2 });
    lint(`${REQUEST}\n${REQUEST}`, { max: 2 });
    lint(REQUEST, { max: 3 });
    expect(seen).toEqual([{ max: 2, names: ['a'] }, { max: 2, names: ['a'] }, { max: 3, names: ['a'] }]);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).not.toBe(seen[0]);
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(Object.isFrozen(seen[0].names)).toBe(true);
    expect(() => {
      'use strict';
      (seen[0] as { max: number }).max = 9;
    }).toThrow(TypeError);
  });

  it('resolves options that are not plain data afresh for every file', () => {
    const { seen, lint } = recordingRule();
    lint(REQUEST, { pattern: /x/ });
    lint(REQUEST, { pattern: /x/ });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual({ max: 4, names: ['a'], pattern: /x/ });
    expect(seen[1]).not.toBe(seen[0]);
    expect(Object.isFrozen(seen[0])).toBe(false);
  });
});
