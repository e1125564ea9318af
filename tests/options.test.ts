// Bad options: every option of every rule has a schema, and ESLint rejects invalid values with its schema error,
// naming the rule and the bad value (or, for an unknown key, the key). Cases are derived from each rule's
// `meta.schema`, so a new rule or option is covered without touching this file.
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import { rules } from '../rules/index.js';
import plugin from '../src/index.js';

interface Schema {
  type?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  minimum?: number;
  minLength?: number;
  uniqueItems?: boolean;
  description?: string;
}

interface RuleMeta {
  schema?: Schema[] | Schema | false;
  defaultOptions?: unknown[];
}

interface Invalid {
  /** What is wrong, for the test name. */
  why: string;
  /** The option value to pass. */
  value: unknown;
  /** The value ESLint's message quotes (`Value <leaf> should …`): the innermost offending value. */
  leaf: unknown;
}

const linter = new Linter();

/** Lints an empty file with `rule` set to `['error', ...options]`; returns the thrown error message, or null. */
function configure(id: string, options: unknown[]): string | null {
  try {
    linter.verify('', { plugins: { 'prompt-cache': plugin }, rules: { [`prompt-cache/${id}`]: ['error', ...options] as Linter.RuleEntry } });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A value the schema accepts (to build arrays and maps around an invalid part). */
function validSample(schema: Schema): unknown {
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 0, 1) + 1;
    case 'string':
      return 'sample-value';
    case 'array':
      return schema.items ? [validSample(schema.items)] : [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(schema.properties ?? {})) out[key] = validSample(value);
      if (typeof schema.additionalProperties === 'object') out['sample-key'] = validSample(schema.additionalProperties);
      return out;
    }
    default:
      throw new Error(`no sample for schema type ${String(schema.type)}`);
  }
}

/** Invalid values for a value of `schema`: wrong type, bad enum member, negative / fractional integers, … */
function invalidValues(schema: Schema): Invalid[] {
  const out: Invalid[] = [];
  const add = (why: string, value: unknown, leaf: unknown = value) => out.push({ why, value, leaf });
  switch (schema.type) {
    case 'boolean':
      add('a string instead of a boolean', 'yes');
      add('a number instead of a boolean', 1);
      break;
    case 'integer':
      add('a string instead of an integer', 'many');
      add('a fractional number', 2.5);
      add('a negative number', -1);
      if (schema.minimum !== undefined && schema.minimum - 1 !== -1) add(`a number below the minimum ${schema.minimum}`, schema.minimum - 1);
      break;
    case 'number':
      add('a string instead of a number', 'many');
      if (schema.minimum !== undefined) add(`a number below the minimum ${schema.minimum}`, schema.minimum - 1);
      break;
    case 'string':
      add('a number instead of a string', 42);
      if (schema.enum) add('a value outside the enum', 'not-a-member');
      if (schema.minLength) add(`a string shorter than ${schema.minLength}`, '');
      break;
    case 'array':
      add('a string instead of an array', 'not-an-array');
      add('an object instead of an array', { 0: 'x' });
      if (schema.items) {
        for (const item of invalidValues(schema.items)) add(`an item that is ${item.why}`, [item.value], item.leaf);
        if (schema.uniqueItems) {
          const twice = [validSample(schema.items), validSample(schema.items)];
          add('duplicate items', twice);
        }
      }
      break;
    case 'object':
      add('a string instead of an object', 'not-an-object');
      add('an array instead of an object', []);
      if (typeof schema.additionalProperties === 'object') {
        for (const entry of invalidValues(schema.additionalProperties)) add(`an entry that is ${entry.why}`, { 'some-key': entry.value }, entry.leaf);
      }
      break;
    default:
      throw new Error(`schema without a known type: ${JSON.stringify(schema)}`);
  }
  return out;
}

const ruleEntries = Object.entries(rules as unknown as Record<string, { meta: RuleMeta }>).sort(([a], [b]) => (a < b ? -1 : 1));

it('covers every rule of the plugin', () => {
  expect(ruleEntries.map(([id]) => id)).toEqual(Object.keys(plugin.rules).sort());
  expect(ruleEntries.length).toBeGreaterThan(0);
});

describe.each(ruleEntries)('rule %s', (id, rule) => {
  const schema = rule.meta.schema;

  it('has an options schema: an array, objects closed to unknown keys, every option typed and described', () => {
    expect(Array.isArray(schema), 'meta.schema is an array (positional options)').toBe(true);
    for (const item of schema as Schema[]) {
      expect(item.type).toBe('object');
      expect(item.additionalProperties, 'unknown keys must be rejected').toBe(false);
      for (const [name, property] of Object.entries(item.properties ?? {})) {
        expect(property.type, `option ${name} has a type`).toBeTypeOf('string');
        expect(property.description, `option ${name} has a description`).toBeTypeOf('string');
      }
    }
  });

  it('accepts no options, empty options, the default options, and a valid value for each option', () => {
    expect(configure(id, [])).toBeNull();
    if ((schema as Schema[]).length > 0) expect(configure(id, [{}])).toBeNull();
    expect(configure(id, rule.meta.defaultOptions ?? [])).toBeNull();
    for (const item of schema as Schema[]) {
      for (const [name, property] of Object.entries(item.properties ?? {})) {
        expect(configure(id, [{ [name]: validSample(property) }]), `valid ${name}`).toBeNull();
      }
    }
  });

  it('rejects an unknown key with a message naming the rule and the key', () => {
    const message = configure(id, (schema as Schema[]).length > 0 ? [{ bogusOption: true }] : [{}]);
    expect(message).toContain(`prompt-cache/${id}`);
    if ((schema as Schema[]).length > 0) expect(message).toContain('Unexpected property "bogusOption"');
  });

  const cases = (schema as Schema[]).flatMap((item, position) =>
    Object.entries(item.properties ?? {}).flatMap(([name, property]) =>
      invalidValues(property).map((invalid) => ({ position, name, ...invalid })),
    ),
  );

  it.each(cases.map((c) => [`${c.name}: ${c.why}`, c] as const))('rejects %s with ESLint\'s schema error naming the rule and the value', (_, c) => {
    const options: unknown[] = (schema as Schema[]).map(() => ({}));
    options[c.position] = { [c.name]: c.value };
    const message = configure(id, options);
    expect(message, `${JSON.stringify(c.value)} was accepted`).not.toBeNull();
    expect(message).toMatch(new RegExp(`^Key "rules": Key "prompt-cache/${id}":`));
    expect(message).toContain(`Value ${JSON.stringify(c.leaf)}`);
  });
});
