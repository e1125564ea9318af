import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { rules } from '../rules/index.js';
import plugin from '../src/index.js';

const root = join(import.meta.dirname, '..');
const ruleIds = Object.keys(rules).sort();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };

describe('plugin shape', () => {
  it('exposes meta from package.json with the prompt-cache namespace', () => {
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version, namespace: 'prompt-cache' });
  });

  it('registers every file in rules/ under its file name, and nothing else', () => {
    const files = readdirSync(join(root, 'rules'))
      .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
      .map((file) => file.replace(/\.ts$/, ''))
      .sort();
    expect(ruleIds).toEqual(files);
    for (const id of ruleIds) expect((rules as Record<string, { meta: unknown }>)[id]).toBe(plugin.rules[id]);
  });

  it('builds `recommended` from meta.docs.recommended and `all` from every rule', () => {
    const recommended = ruleIds.filter((id) => (rules as Record<string, { meta: { docs: { recommended: boolean } } }>)[id].meta.docs.recommended);
    expect(Object.keys(plugin.configs.recommended.rules ?? {}).sort()).toEqual(recommended.map((id) => `prompt-cache/${id}`));
    expect(Object.keys(plugin.configs.all.rules ?? {}).sort()).toEqual(ruleIds.map((id) => `prompt-cache/${id}`));
    expect(recommended).toContain('no-volatile-in-prefix');
    for (const config of [plugin.configs.recommended, plugin.configs.all]) {
      expect(config.plugins?.['prompt-cache']).toBe(plugin);
      expect(config.name).toMatch(/^prompt-cache\//);
    }
  });
});

describe.each(ruleIds)('rule %s', (id) => {
  const rule = (rules as Record<string, { meta: { docs: { url: string; description: string }; messages: Record<string, string>; schema: unknown; type: string } }>)[id];

  it('has a docs page, a test file and a docs URL pointing at the page', () => {
    expect(existsSync(join(root, 'docs', 'rules', `${id}.md`))).toBe(true);
    expect(existsSync(join(root, 'tests', 'rules', `${id}.test.ts`))).toBe(true);
    expect(rule.meta.docs.url).toMatch(new RegExp(`/docs/rules/${id}\\.md$`));
  });

  it('has a description starting with Disallow / Require / Enforce, a type and a schema', () => {
    expect(rule.meta.docs.description).toMatch(/^(Disallow|Require|Enforce) /);
    expect(['problem', 'suggestion', 'layout']).toContain(rule.meta.type);
    expect(rule.meta.schema).toBeDefined();
  });

  it('tests every messageId (in its rule test or the request-family tests)', () => {
    const providers = join(root, 'tests', 'providers');
    const tests = [join(root, 'tests', 'rules', `${id}.test.ts`), ...readdirSync(providers).map((file) => join(providers, file))]
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    for (const messageId of Object.keys(rule.meta.messages)) expect(tests, `messageId ${messageId}`).toContain(`'${messageId}'`);
  });

  it('documents every option in its docs page', () => {
    const doc = readFileSync(join(root, 'docs', 'rules', `${id}.md`), 'utf8');
    const schema = rule.meta.schema as Array<{ properties?: Record<string, unknown> }>;
    for (const option of Object.keys(schema[0]?.properties ?? {})) expect(doc, `option ${option}`).toContain(option);
  });
});
