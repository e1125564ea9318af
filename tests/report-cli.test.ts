// End-to-end tests of `prompt-cache-lint --report` (bin/prompt-cache-lint.js). They run the built plugin
// (dist/), so build first (`npm test` does).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { ESLint, Linter, type Rule } from 'eslint';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { formatUsd } from '../src/analysis/models.js';
import { getFileAnalysis } from '../src/analysis/request.js';
import plugin from '../src/index.js';
import type { RequestReport } from '../src/report.js';
import { RECOMMENDED } from './expected-findings.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin', 'prompt-cache-lint.js');
const EXAMPLES = path.join(ROOT, 'examples');

function runCli(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.DEBUG;
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The request sites of examples/ as the analysis core finds them (`getFileAnalysis`, the per-file analysis every
 * rule reads), as `examples/<file>:<line>`: the report must have exactly one row for each.
 */
function exampleSites(): string[] {
  const sites: string[] = [];
  for (const file of readdirSync(EXAMPLES).filter((name) => name.endsWith('.ts')).sort()) {
    const linter = new Linter();
    const rule: Rule.RuleModule = {
      meta: { type: 'problem', schema: [] },
      create: (context) => ({
        'Program:exit': () => {
          for (const { site } of getFileAnalysis(context.sourceCode as never).requests) sites.push(`examples/${file}:${(site.batchItem ?? site.call).loc.start.line}`);
        },
      }),
    };
    const messages = linter.verify(
      readFileSync(path.join(EXAMPLES, file), 'utf8'),
      [{ files: ['**/*.ts'], languageOptions: { parser: tsParser as never }, plugins: { probe: { rules: { sites: rule } } }, rules: { 'probe/sites': 'error' } }],
      { filename: file },
    );
    expect(messages).toEqual([]);
  }
  return sites;
}

/** The recommended-config findings on examples/, through the ESLint class (as tests/integration.test.ts lints them). */
async function recommendedFindings(): Promise<string[]> {
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, ...plugin.configs.recommended }],
  });
  const results = await eslint.lintFiles(['examples']);
  return results.flatMap((result) => result.messages.map((message) => `${path.relative(ROOT, result.filePath)}:${message.line}:${message.column} ${message.ruleId}`));
}

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'src', 'report.js'))) {
    throw new Error('dist/src/report.js is missing: run `npm run build` before the CLI tests');
  }
});

describe('--report on examples/', () => {
  it('text: one row per request site, rows with findings first, sorted by cost, then a total; exit code of the lint run', () => {
    const { status, stdout, stderr } = runCli(['--report', 'examples']);
    expect(stderr).toBe('');
    expect(status).toBe(1); // the examples have errors
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Location\s+Provider\s+Model\s+Breakpoints\s+Cached tokens\s+Findings\s+Extra \$\/1,000 requests$/);
    const rows = lines.slice(2).filter((line) => /^examples\//.test(line));
    // System prompts sent from another module have rows of their own, without a request site.
    const isPromptRow = (line: string) => line.slice(lines[0].indexOf('Provider')).startsWith('system prompt ');
    const locations = rows.filter((line) => !isPromptRow(line)).map((line) => line.split(/\s+/)[0]);
    expect([...locations].sort()).toEqual(exampleSites().sort());
    const promptRows = rows.filter(isPromptRow);
    expect(promptRows.map((line) => line.split(/\s+/)[0])).toEqual(['examples/system-prompt-builder.ts:15', 'examples/system-prompt-builder.ts:27']);
    expect(promptRows.every((line) => line.trimEnd().endsWith('unknown (no model)'))).toBe(true);

    // Findings column: `-` for none. Every row with findings comes before every row without.
    const findingsStart = lines[0].indexOf('Findings');
    const hasFindings = rows.map((line) => line.slice(findingsStart).trimStart()[0] !== '-');
    expect(hasFindings.filter(Boolean).length).toBeGreaterThan(0);
    expect(hasFindings).toEqual([...hasFindings].sort((a, b) => Number(b) - Number(a)));
    // Failing requests first, then the dollar amounts in descending order.
    const costs = rows.map((line) => line.slice(lines[0].indexOf('Extra')).trim());
    const firstAmount = costs.findIndex((cost) => /\$\d/.test(cost));
    expect(firstAmount).toBeGreaterThan(0);
    expect(costs.slice(0, firstAmount).every((cost) => cost === 'request fails (400)')).toBe(true);
    const amounts = costs.filter((cost, i) => hasFindings[i] && /\$\d/.test(cost)).map((cost) => Number(cost.replace(/[^\d.]/g, '')));
    expect(amounts.length).toBeGreaterThanOrEqual(3);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
    expect(lines.at(-1)).toMatch(
      new RegExp(`^Total: ${locations.length} request sites, ${hasFindings.filter(Boolean).length - promptRows.length} with findings .*, and 2 findings in system prompts sent from elsewhere;`),
    );
  });

  it('json: rows with numbers, whose findings are exactly the recommended findings of examples/ (tests/expected-findings.ts)', async () => {
    const { status, stdout } = runCli(['--report', 'json', 'examples']);
    expect(status).toBe(1);
    const rows = JSON.parse(stdout) as RequestReport[];
    const siteRows = rows.filter((row) => row.provider !== 'system prompt');
    expect(siteRows.map((row) => `${row.file}:${row.line}`).sort()).toEqual(exampleSites().sort());
    const promptRows = rows.filter((row) => row.provider === 'system prompt');
    expect(promptRows.map((row) => `${row.file}:${row.line} ${row.method}`)).toEqual([
      'examples/system-prompt-builder.ts:15 returned by buildSystemPrompt()',
      'examples/system-prompt-builder.ts:27 returned by renderSystemPrompt()',
    ]);
    expect(promptRows.every((row) => row.cost.status === 'unknown' && row.extraCostPer1000 === null && row.findings.length === 1)).toBe(true);
    for (const row of rows) {
      expect(typeof row.line).toBe('number');
      expect(row.extraCostPer1000 === null || typeof row.extraCostPer1000 === 'number').toBe(true);
      if (row.cachedTokens) expect(typeof row.cachedTokens.tokens).toBe('number');
      expect(row.provider).toMatch(/^[a-z]/);
    }
    // Every lint finding belongs to a row of its file, and rows hold nothing else.
    const attached = new Set(rows.flatMap((row) => row.findings.map((finding) => `${row.file}:${finding.line}:${finding.column} ${finding.ruleId}`)));
    expect([...attached].sort()).toEqual([...new Set(await recommendedFindings())].sort());
    for (const finding of RECOMMENDED) expect(attached).toContain(finding); // the documented findings, each on a row

    // The costs agree with the figures the rules print in their messages: per 1,000 requests for values that
    // change on every request, per change otherwise.
    const estimated = rows.filter((row) => row.cost.status === 'estimated');
    expect(estimated.length).toBeGreaterThanOrEqual(3);
    for (const row of estimated) {
      const per1000 = `(${formatUsd(row.extraCostPer1000!)} per 1,000 requests)`;
      const perChange = `${formatUsd(row.extraCostPer1000! / 1000)} extra on ${row.model} each time it changes`;
      expect(row.findings.some((finding) => finding.message.includes(per1000) || finding.message.includes(perChange)), JSON.stringify(row)).toBe(true);
    }
    const provider = (file: string) => new Set(rows.filter((row) => row.file === file).map((row) => row.provider));
    expect(provider('examples/no-volatile-in-prefix.ts')).toEqual(new Set(['anthropic']));
    expect(provider('examples/raw-http.ts')).toEqual(new Set(['anthropic (http)']));
    expect(provider('examples/bedrock-converse.ts')).toEqual(new Set(['bedrock (converse)']));
    const failing = rows.filter((row) => row.cost.status === 'fails');
    expect(failing.map((row) => row.file).sort()).toEqual(['examples/max-breakpoints.ts', 'examples/max-breakpoints.ts', 'examples/valid-cache-control.ts', 'examples/valid-cache-control.ts']);
  });
});

describe('--report options', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'prompt-cache-report-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('a bare --report before a path means text; no request sites: a short note and exit 0', () => {
    writeFileSync(path.join(dir, 'clean.ts'), 'export const add = (a: number, b: number) => a + b;\n');
    const { status, stdout, stderr } = runCli(['--report', 'clean.ts'], dir);
    expect(stderr).toBe('');
    expect(stdout).toBe('No LLM request sites found.\n');
    expect(status).toBe(0);
  });

  it('rejects an unknown report format with exit 2 and one line plus a hint', () => {
    const { status, stdout, stderr } = runCli(['--report', 'xml', EXAMPLES], dir);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe("prompt-cache-lint: unknown report format 'xml' for --report (use text or json)\nRun 'prompt-cache-lint --help' for usage.\n");
  });

  it('honours --output-file and says when problems are not tied to a request site', () => {
    writeFileSync(path.join(dir, 'broken.ts'), 'const = ;\n');
    writeFileSync(path.join(dir, 'answer.ts'), readFileSync(path.join(EXAMPLES, 'no-volatile-in-prefix.ts')));
    const out = path.join(dir, 'out', 'report.json');
    const { status, stdout, stderr } = runCli(['--report=json', '--output-file', out, '.'], dir);
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('prompt-cache-lint: 1 problem not tied to a request site (such as parse errors); run without --report to see them\n');
    const rows = JSON.parse(readFileSync(out, 'utf8')) as RequestReport[];
    expect(rows.map((row) => [row.file, row.findings.length])).toEqual([
      ['answer.ts', 3],
      ['answer.ts', 0],
    ]);
  });

  it('is listed in --help', () => {
    expect(runCli(['--help']).stdout).toMatch(/--report <text\|json>\s+Print a cost report/);
  });
});
