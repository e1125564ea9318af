// Unit tests of the cost report core (src/report.ts): snippets are linted through ESLint's Linter with the
// plugin's rules plus the report's collector rule, and the rows are checked against hand-computed numbers.
import tsParser from '@typescript-eslint/parser';
import { type Linter as LinterTypes, Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../src/index.js';
import {
  type RequestReport,
  attributeFindings,
  describeTotal,
  formatBreakpoints,
  formatCost,
  formatReportText,
  getRequestReports,
  reportCollectorPlugin,
  sortReports,
} from '../src/report.js';

/** Sonnet 4.5: $3 per million input tokens, cache reads at 0.1x (src/analysis/models.ts, facts §2.9). */
const SONNET_PRICE = 3 / 1_000_000;
const READ = 0.1;

/** 4,000 ASCII characters = 1,000 estimated tokens (4 characters per token). */
const PROMPT_4000 = "'Be brief. '.repeat(400)";
/** 3,990 characters; followed by the 10 characters of `Today is: ` it makes 4,000 again. */
const PROMPT_3990 = "'Be brief. '.repeat(399)";
/** 2,000 characters = 500 tokens. */
const GUIDE_2000 = "'Be clear. '.repeat(200)";
/** Tokens the core counts for one volatile value (a timestamp): `VOLATILE_TOKENS` in src/analysis/request.ts. */
const VOLATILE_VALUE_TOKENS = 10;

function sdk(body: string, imports = "import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();"): string {
  return `${imports}\n${body}`;
}

/** 1-based line of the first occurrence of `needle` (the nth with `nth`). */
function lineOf(code: string, needle: string, nth = 1): number {
  let index = -1;
  for (let i = 0; i < nth; i++) {
    index = code.indexOf(needle, index + 1);
    if (index === -1) throw new Error(`not found: ${needle}`);
  }
  return code.slice(0, index).split('\n').length;
}

interface Run {
  rows: RequestReport[];
  messages: LinterTypes.LintMessage[];
  unattributed: unknown[];
}

/** Lints `code` with the plugin's `config` plus the collector, then attaches the messages: what the CLI does per file. */
function run(code: string, config: 'recommended' | 'all' = 'recommended'): Run {
  let rows: RequestReport[] | null = null;
  const linter = new Linter();
  const messages = linter.verify(
    code,
    [
      { files: ['**/*.ts'], languageOptions: { parser: tsParser as never }, ...plugin.configs[config] },
      {
        files: ['**/*.ts'],
        plugins: { report: reportCollectorPlugin((_file, reports) => (rows = reports)) },
        rules: { 'report/collect': 'error' },
      },
    ],
    { filename: 'file.ts' },
  );
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(fatal.message);
  if (!rows) throw new Error('the collector did not run');
  const unattributed = attributeFindings(rows, messages);
  return { rows, messages, unattributed };
}

function only(code: string): RequestReport {
  const { rows, unattributed } = run(code);
  expect(unattributed).toEqual([]);
  expect(rows).toHaveLength(1);
  return rows[0];
}

const VOLATILE_REQUEST = (marker: string, model = "'claude-sonnet-4-5'") =>
  sdk(`export async function ask(question: string) {
  return client.messages.create({
    model: ${model},
    max_tokens: 1024,
    system: [{ type: 'text', text: \`\${${PROMPT_3990}}Today is: \${new Date().toISOString()}\`, cache_control: ${marker} }],
    messages: [{ role: 'user', content: question }],
  });
}`);

describe('getRequestReports + attributeFindings', () => {
  it('a clean cached request: one row, no findings, no extra cost', () => {
    const code = sdk(`const SYSTEM = ${PROMPT_4000};
export async function ask(question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  });
}`);
    const row = only(code);
    expect(row).toMatchObject({
      line: lineOf(code, 'client.messages.create'),
      provider: 'anthropic',
      method: 'messages.create',
      model: 'claude-sonnet-4-5',
      breakpoints: { certain: 1, repeated: 0, conditional: 0, automatic: false },
      cachedTokens: { tokens: 1000, complete: true },
      findings: [],
      extraCostPer1000: 0,
    });
    expect(row.file).toMatch(/file\.ts$/);
    expect(row.cost.status).toBe('none');
    expect(formatCost(row)).toBe('$0');
  });

  it('a volatile value in the prefix: invalidated tokens × input price × (1.25 − 0.1) per request, × 1,000', () => {
    const code = VOLATILE_REQUEST("{ type: 'ephemeral' }");
    const row = only(code);
    // 3,990 + 10 characters of text = 1,000 tokens, plus the timestamp's nominal 10 tokens.
    const tokens = 1000 + VOLATILE_VALUE_TOKENS;
    expect(row.cachedTokens).toEqual({ tokens, complete: true });
    expect(row.findings).toEqual([
      expect.objectContaining({ ruleId: 'prompt-cache/no-volatile-in-prefix', messageId: 'volatileInPrefix', label: 'new Date().toISOString() per request', line: lineOf(code, 'new Date()') }),
    ]);
    expect(row.cost).toMatchObject({
      status: 'estimated',
      bound: 'estimate',
      writeInsteadOfRead: { tokens, complete: true, ttl: '5m', writeMultiplier: 1.25 },
      uncached: null,
    });
    expect(row.extraCostPer1000).toBeCloseTo(tokens * SONNET_PRICE * (1.25 - READ) * 1000, 9);
    expect(row.extraCostPer1000).toBeCloseTo(3.4845, 9); // by hand: 1,010 × $3/M × 1.15 × 1,000
    expect(formatCost(row)).toBe('$3.48');
  });

  it('a 1h marker: the rewrite is priced at 2× the input price', () => {
    const row = only(VOLATILE_REQUEST("{ type: 'ephemeral', ttl: '1h' }"));
    const tokens = 1000 + VOLATILE_VALUE_TOKENS;
    expect(row.cost.writeInsteadOfRead).toMatchObject({ tokens, ttl: '1h', writeMultiplier: 2 });
    expect(row.extraCostPer1000).toBeCloseTo(tokens * SONNET_PRICE * (2 - READ) * 1000, 9);
    expect(row.extraCostPer1000).toBeCloseTo(5.757, 9); // 1,010 × $3/M × 1.9 × 1,000
  });

  it('a value that differs per user is priced as if every request saw a new one: a rough figure', () => {
    const code = sdk(`export async function ask(question: string, user: { name: string }) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: \`\${${PROMPT_3990}}User is: \${user.name}\`, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  });
}`);
    const row = only(code);
    expect(row.findings.map((finding) => finding.label)).toEqual(['user.name per user']);
    // Rough: the name is unknown text (the count is a lower bound), and not every request has a new user (worst case).
    expect(row.cost.bound).toBe('rough');
    expect(formatCost(row)).toBe('~ $3.45');
    expect(describeTotal([row])).toBe(
      'Total: 1 request site, 1 with findings; $3.45 extra per 1,000 requests at each site, summed over the 1 site with a cost ($3.45 of it a worst case).',
    );
    expect(row.cost.writeInsteadOfRead).toMatchObject({ tokens: 1000, complete: false });
    expect(row.extraCostPer1000).toBeCloseTo(1000 * SONNET_PRICE * 1.15 * 1000, 9);
  });

  it('stable content after the last breakpoint: tokens × input price × (1 − 0.1)', () => {
    const code = sdk(`const POLICY = ${PROMPT_4000};
const GUIDE = ${GUIDE_2000};
export async function triage(ticket: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 300,
    system: [
      { type: 'text', text: POLICY, cache_control: { type: 'ephemeral' } },
      { type: 'text', text: GUIDE },
    ],
    messages: [{ role: 'user', content: ticket }],
  });
}`);
    const row = only(code);
    expect(row.cachedTokens).toEqual({ tokens: 1000, complete: true });
    expect(row.findings).toEqual([expect.objectContaining({ ruleId: 'prompt-cache/no-early-breakpoint', line: lineOf(code, 'cache_control') })]);
    expect(row.cost).toMatchObject({ status: 'estimated', bound: 'estimate', writeInsteadOfRead: null, uncached: { tokens: 500, complete: true } });
    expect(row.extraCostPer1000).toBeCloseTo(500 * SONNET_PRICE * (1 - READ) * 1000, 9);
    expect(row.extraCostPer1000).toBeCloseTo(1.35, 9);
  });

  it('an unknown model: the finding is listed, its cost is null', () => {
    const row = only(VOLATILE_REQUEST("{ type: 'ephemeral' }", "'acme-llm-1'"));
    expect(row.model).toBe('acme-llm-1');
    expect(row.findings).toHaveLength(1);
    expect(row.extraCostPer1000).toBeNull();
    expect(row.cost).toMatchObject({ status: 'unknown', inputPricePerMTok: null, writeInsteadOfRead: { tokens: 1010, usdPerRequest: null } });
    expect(formatCost(row)).toBe('unknown (no price)');
  });

  it('a model that is not a known string: model null, cost null', () => {
    const row = only(VOLATILE_REQUEST("{ type: 'ephemeral' }", 'process.env.MODEL'));
    expect(row.model).toBeNull();
    expect(row.extraCostPer1000).toBeNull();
    expect(formatCost(row)).toBe('unknown (no model)');
  });

  it('a Bedrock client and model id: provider bedrock, priced from the normalised id', () => {
    const code = VOLATILE_REQUEST("{ type: 'ephemeral' }", "'anthropic.claude-sonnet-4-5-20250929-v1:0'").replace(
      "import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();",
      "import AnthropicBedrock from '@anthropic-ai/bedrock-sdk';\nconst client = new AnthropicBedrock();",
    );
    const row = only(code);
    expect(row.provider).toBe('bedrock');
    expect(row.model).toBe('anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(row.cost.inputPricePerMTok).toBe(3);
    expect(row.extraCostPer1000).toBeCloseTo(1010 * SONNET_PRICE * 1.15 * 1000, 9);
  });

  it('an untraced receiver: anthropic (untraced), or bedrock when the model id is spelled the Bedrock way', () => {
    const body = (model: string) => `export class Bot {
  constructor(private client: any) {}
  ask(question: string) {
    return this.client.messages.create({ model: '${model}', max_tokens: 10, messages: [{ role: 'user', content: question }] });
  }
}`;
    expect(only(body('claude-sonnet-4-5')).provider).toBe('anthropic (untraced)');
    expect(only(body('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).provider).toBe('bedrock');
    expect(only(body('claude-sonnet-4-5')).cachedTokens).toBeNull(); // no marker: nothing cached
  });

  it('automatic caching (OpenAI): each finding is labelled with its value; no price in the table, so the cost is unknown', () => {
    const code = `import OpenAI from 'openai';
const openai = new OpenAI();
const PLAYBOOK = 'Support playbook: greet, identify the account, then troubleshoot. '.repeat(80);
export async function reply(question: string) {
  return openai.chat.completions.create({
    model: 'gpt-5',
    prompt_cache_key: crypto.randomUUID(),
    messages: [
      { role: 'system', content: \`Current time: \${new Date().toISOString()}\\n\${PLAYBOOK}\` },
      { role: 'user', content: question },
    ],
  });
}`;
    const row = only(code);
    expect(row.provider).toBe('openai');
    expect(row.findings.map((finding) => [finding.messageId, finding.label])).toEqual([
      ['volatileCacheKey', 'prompt_cache_key crypto.randomUUID() per request'],
      ['volatileBeforeStable', 'new Date().toISOString() per request, before stable text'],
    ]);
    expect(row.cost.status).toBe('unknown');
    // The text after the time (a newline, then the playbook) loses its cache hit: 4 characters per token.
    const playbook = 'Support playbook: greet, identify the account, then troubleshoot. '.length * 80;
    expect(row.cost.uncached).toMatchObject({ tokens: Math.ceil((1 + playbook) / 4), complete: true, usdPerRequest: null });
    expect(formatCost(row)).toBe('unknown (no price)');
  });

  it('two requests in one file: a row each, in source order, each with its own findings', () => {
    const code = sdk(`const SYSTEM = ${PROMPT_4000};
export async function clean(question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  });
}
export async function stamped(question: string) {
  const system = \`\${SYSTEM}Now: \${Date.now()}\`;
  return client.messages.create({
    model: 'claude-opus-4-8',
    max_tokens: 1024,
    system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  });
}`);
    const { rows, unattributed } = run(code);
    expect(unattributed).toEqual([]);
    expect(rows.map((row) => row.line)).toEqual([lineOf(code, 'client.messages.create'), lineOf(code, 'client.messages.create', 2)]);
    const [clean, stamped] = rows;
    expect(clean.findings).toEqual([]);
    // The value is reported where it enters the prompt, the `const system` line above the call: still this request's.
    expect(stamped.findings).toEqual([expect.objectContaining({ label: 'Date.now() per request', line: lineOf(code, 'Date.now()') })]);
    expect(stamped.line).toBeGreaterThan(lineOf(code, 'Date.now()'));
    // Opus 4.8: $5/M, read 0.1x. 4,000 + 5 characters ("Now: ") = 1,002 tokens, plus 10 for the value.
    expect(stamped.extraCostPer1000).toBeCloseTo(1012 * (5 / 1_000_000) * 1.15 * 1000, 9);
    expect(sortReports(rows)).toEqual([stamped, clean]);
  });

  it('two requests in one function: a finding goes to the request whose prompt holds the value, not to its neighbour', () => {
    const code = sdk(`const SYSTEM = ${PROMPT_4000};
export async function both(question: string) {
  const stampedSystem = \`\${SYSTEM}Now: \${Date.now()}\`;
  const first = await client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  });
  const second = await client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: stampedSystem, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  });
  return [first, second];
}`);
    const { rows, unattributed } = run(code);
    expect(unattributed).toEqual([]);
    expect(rows.map((row) => row.findings.map((finding) => finding.label))).toEqual([[], ['Date.now() per request']]);
    expect(rows.map((row) => row.cost.status)).toEqual(['none', 'estimated']);
  });

  it('a batch: one row per item, at the item, with method messages.batches.create', () => {
    const code = sdk(`const SYSTEM = ${PROMPT_4000};
export const run = () => client.messages.batches.create({
  requests: [
    { custom_id: 'a', params: { model: 'claude-sonnet-4-5', max_tokens: 1, system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: 'a' }] } },
    { custom_id: 'b', params: { model: 'claude-sonnet-4-5', max_tokens: 1, system: [{ type: 'text', text: \`\${SYSTEM}\${Date.now()}\`, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: 'b' }] } },
  ],
});`);
    const { rows, unattributed } = run(code);
    expect(unattributed).toEqual([]);
    expect(rows.map((row) => [row.line, row.method, row.findings.length])).toEqual([
      [lineOf(code, "custom_id: 'a'"), 'messages.batches.create', 0],
      [lineOf(code, "custom_id: 'b'"), 'messages.batches.create', 1],
    ]);
  });

  it('requests the API rejects are marked as failing (400), without a cost', () => {
    const code = sdk(`const SYSTEM = ${PROMPT_4000};
const M = { type: 'ephemeral' } as const;
export async function many(a: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 10,
    system: [
      { type: 'text', text: SYSTEM, cache_control: M },
      { type: 'text', text: SYSTEM, cache_control: M },
      { type: 'text', text: SYSTEM, cache_control: M },
      { type: 'text', text: SYSTEM, cache_control: M },
      { type: 'text', text: SYSTEM, cache_control: M },
    ],
    messages: [{ role: 'user', content: a }],
  });
}
export async function badTtl(a: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 10,
    system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral', ttl: '60m' } }],
    messages: [{ role: 'user', content: a }],
  });
}`);
    const { rows, unattributed } = run(code);
    expect(unattributed).toEqual([]);
    expect(rows.map((row) => [row.breakpoints.certain, row.cost.status, row.extraCostPer1000, row.findings.map((f) => f.label)])).toEqual([
      [5, 'fails', null, ['more than 4 breakpoints (400)']],
      [1, 'fails', null, ["ttl is not '5m' or '1h' (400)"]],
    ]);
    expect(formatCost(rows[0])).toBe('request fails (400)');
  });

  it('a prefix below the minimum caches nothing: cost n/a', () => {
    const row = only(
      sdk(`export async function triage(message: string) {
  return client.messages.create({
    model: 'claude-haiku-4-5',
    max_tokens: 5,
    system: [{ type: 'text', text: 'Classify the message.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: message }],
  });
}`),
    );
    expect(row.findings.map((finding) => finding.ruleId)).toEqual(['prompt-cache/min-cacheable-size']);
    expect(row.cost.status).toBe('not-cached');
    expect(row.extraCostPer1000).toBeNull();
    expect(formatCost(row)).toBe('n/a (not cached)');
  });

  it('a shared invalid marker concerns every request that uses it', () => {
    const code = sdk(`const SYSTEM = ${PROMPT_4000};
const BAD = { type: 'ephemeral', ttl: '60m' } as const;
export const a = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1, system: [{ type: 'text', text: SYSTEM, cache_control: BAD }], messages: [{ role: 'user', content: q }] });
export const b = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1, system: [{ type: 'text', text: SYSTEM, cache_control: BAD }], messages: [{ role: 'user', content: q }] });`);
    const { rows, messages, unattributed } = run(code);
    expect(messages).toHaveLength(1); // reported once, at the marker
    expect(unattributed).toEqual([]);
    expect(rows.map((row) => row.cost.status)).toEqual(['fails', 'fails']);
  });

  it('repeated markers are flagged; a misspelt cacheControl key costs the tokens it leaves uncached', () => {
    const code = sdk(`const SYSTEM = ${PROMPT_4000} + ${PROMPT_4000};
export async function chat(history: { role: 'user' | 'assistant'; text: string }[]) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 10,
    system: [{ type: 'text', text: SYSTEM, cacheControl: { type: 'ephemeral' } }],
    messages: history.map((turn) => ({ role: turn.role, content: [{ type: 'text', text: turn.text, cache_control: { type: 'ephemeral' } }] })),
  });
}
export async function summarize(text: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 10,
    system: [{ type: 'text', text: SYSTEM, cacheControl: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: text }],
  });
}`);
    const { rows, unattributed } = run(code);
    expect(unattributed).toEqual([]);
    const [chat, summarize] = rows;
    expect(chat.breakpoints).toEqual({ certain: 0, repeated: 1, conditional: 0, automatic: false });
    expect(formatBreakpoints(chat.breakpoints)).toBe('0 +1/item');
    expect(chat.cost.status).toBe('fails'); // a marker on every turn
    expect(summarize.findings.map((finding) => finding.label)).toEqual(['cacheControl spelling: not cached']);
    expect(summarize.cost.uncached).toMatchObject({ tokens: 2000, complete: true });
    expect(summarize.extraCostPer1000).toBeCloseTo(2000 * SONNET_PRICE * (1 - READ) * 1000, 9);
  });

  it('without messages the rows carry no findings; the same rows get them from attributeFindings', () => {
    let sourceRows: RequestReport[] = [];
    const linter = new Linter();
    const code = VOLATILE_REQUEST("{ type: 'ephemeral' }");
    const messages = linter.verify(
      code,
      [
        { files: ['**/*.ts'], languageOptions: { parser: tsParser as never }, ...plugin.configs.recommended },
        {
          files: ['**/*.ts'],
          plugins: {
            probe: {
              rules: {
                probe: {
                  meta: { type: 'problem', schema: [] },
                  create: (context) => ({ 'Program:exit': () => void (sourceRows = getRequestReports(context.sourceCode as never)) }),
                },
              },
            },
          },
          rules: { 'probe/probe': 'error' },
        },
      ],
      { filename: 'file.ts' },
    );
    expect(sourceRows).toHaveLength(1);
    expect(sourceRows[0].findings).toEqual([]);
    expect(sourceRows[0].file).toBeNull();
    expect(attributeFindings(sourceRows, messages)).toEqual([]);
    expect(sourceRows[0].findings).toHaveLength(1);
    expect(sourceRows[0].extraCostPer1000).toBeCloseTo(3.4845, 9);
  });

  it('messages of other rules, and reports outside any request, are returned unattributed', () => {
    const { rows } = run(VOLATILE_REQUEST("{ type: 'ephemeral' }"));
    const foreign = { ruleId: 'no-console', message: 'x', line: 5, column: 1 };
    const parse = { ruleId: null, message: 'Parsing error', line: 1, column: 1 };
    const elsewhere = { ruleId: 'prompt-cache/no-volatile-in-prefix', message: 'x', line: 1, column: 1 };
    expect(attributeFindings(rows, [foreign, parse, elsewhere])).toEqual([foreign, parse, elsewhere]);
    expect(rows[0].findings).toEqual([]);
    expect(rows[0].extraCostPer1000).toBe(0);
  });
});

describe('text output', () => {
  it('sorts failing rows first, then by cost, then rows with unknown cost, then clean rows; aligns the columns; adds a total', () => {
    const code = sdk(`const SYSTEM = ${PROMPT_4000};
const GUIDE = ${GUIDE_2000};
export const clean = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1, system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] });
export const early = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1, system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }, { type: 'text', text: GUIDE }], messages: [{ role: 'user', content: q }] });
export const stamped = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1, system: [{ type: 'text', text: \`\${SYSTEM}\${Date.now()}\`, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] });
export const unknown = (q: string) => client.messages.create({ model: 'acme-llm-1', max_tokens: 1, system: [{ type: 'text', text: \`\${SYSTEM}\${Date.now()}\`, cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: q }] });
export const failing = (q: string) => client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1, system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'persistent' } }], messages: [{ role: 'user', content: q }] });`);
    const { rows } = run(code);
    const text = formatReportText(rows, (file) => file.replace(/^.*\//, ''));
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Location\s+Provider\s+Model\s+Breakpoints\s+Cached tokens\s+Findings\s+Extra \$\/1,000 requests$/);
    expect(lines[1]).toMatch(/^-+( {2}-+){6}$/);
    const body = lines.slice(2, 2 + rows.length);
    const lineNo = (name: string) => lineOf(code, `export const ${name}`);
    expect(body.map((line) => line.split(/\s+/)[0])).toEqual(['failing', 'stamped', 'early', 'unknown', 'clean'].map((name) => `file.ts:${lineNo(name)}`));
    // Right-aligned last column: every row ends at the header's width.
    for (const line of body) expect(line.length).toBe(lines[0].length);
    expect(body[0]).toMatch(/valid-cache-control: type is not 'ephemeral' \(400\)\s+request fails \(400\)$/);
    expect(body[1]).toMatch(/no-volatile-in-prefix: Date\.now\(\) per request\s+\$3\.48$/); // (1,000 + 10) × $3/M × 1.15 × 1,000
    expect(body[2]).toMatch(/no-early-breakpoint: stable content after the last breakpoint\s+\$1\.35$/);
    expect(body[3]).toMatch(/unknown \(no price\)$/);
    expect(body[4]).toMatch(/ - +\$0$/);
    expect(lines.at(-1)).toBe(describeTotal(rows));
    expect(lines.at(-1)).toBe('Total: 5 request sites, 4 with findings (1 fails with 400); $4.83 extra per 1,000 requests at each site, summed over the 2 sites with a cost.');
  });

  it('says so when there are no request sites', () => {
    expect(formatReportText([])).toBe('No LLM request sites found.\n');
  });
});
