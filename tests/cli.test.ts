// End-to-end tests of bin/prompt-cache-lint.js. They run the built plugin (dist/), so build first
// (`npm test` does).
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type { ErrorObject, ValidateFunction } from 'ajv';
import { marked, type Token, type Tokens } from 'marked';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

import plugin from '../src/index.js';
import { RECOMMENDED } from './expected-findings.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin', 'prompt-cache-lint.js');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const RULE_ID = 'prompt-cache/no-volatile-in-prefix';

const BAD_TS = `import Anthropic from '@anthropic-ai/sdk';
const client = new Anthropic();
export async function ask(question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: \`You are a helpful assistant. Today is \${new Date().toISOString()}.\`, cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: question }],
  });
}
`;
const BAD_JS = BAD_TS.replace('question: string', 'question');

const CLEAN_TS = `export function add(a: number, b: number): number {
  return a + b;
}
`;
const CLEAN_JS = `export function greet(name) {
  return \`Hello, \${name}. It is \${new Date().toISOString()}.\`;
}
`;

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], cwd: string): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.DEBUG;
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

const EXTENSIONS = ['js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts'];

let dir: string;

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'src', 'index.js'))) {
    throw new Error('dist/src/index.js is missing: run `npm run build` before the CLI tests');
  }
});

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'prompt-cache-lint-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('options', () => {
  it.each(['--help', '-h'])('%s prints usage and exits 0', (flag) => {
    const { status, stdout, stderr } = runCli([flag], dir);
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Usage: prompt-cache-lint [options] [paths...]');
    expect(stdout).toContain('-h, --help');
    expect(stdout).toContain('-v, --version');
  });

  it.each(['--version', '-v'])('%s prints the package version and exits 0', (flag) => {
    const { status, stdout, stderr } = runCli([flag], dir);
    expect(status).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe(PKG.version);
  });

  it('rejects an unknown option with exit 2, a one-line message and no stack trace', () => {
    const { status, stdout, stderr } = runCli(['--bogus'], dir);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe("prompt-cache-lint: unknown option '--bogus'\nRun 'prompt-cache-lint --help' for usage.\n");
    expect(stderr).not.toContain('    at ');
  });

  it('rejects a value given to a boolean option with exit 2', () => {
    const { status, stderr } = runCli(['--help=yes'], dir);
    expect(status).toBe(2);
    expect(stderr).toContain("Run 'prompt-cache-lint --help' for usage.");
    expect(stderr).not.toContain('    at ');
  });

  it('treats arguments after -- as paths', () => {
    const { status, stderr } = runCli(['--', '--help'], dir);
    expect(status).toBe(2);
    expect(stderr).toContain('prompt-cache-lint: no such file or directory: --help');
  });
});

describe('paths', () => {
  it('exits 2 for a path that does not exist', () => {
    writeFiles(dir, { 'clean.ts': CLEAN_TS });
    const { status, stdout, stderr } = runCli(['clean.ts', 'missing-dir'], dir);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "prompt-cache-lint: no such file or directory: missing-dir\nRun 'prompt-cache-lint --help' for usage.\n",
    );
  });

  it('exits 0 with no output for clean .ts and .js files', () => {
    writeFiles(dir, { 'src/clean.ts': CLEAN_TS, 'src/clean.js': CLEAN_JS });
    const { status, stdout, stderr } = runCli([], dir);
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe('');
    expect(status).toBe(0);
  });

  it('lints all eight extensions when given a directory', () => {
    writeFiles(dir, Object.fromEntries(EXTENSIONS.map((ext) => [`src/broken.${ext}`, 'const = ;\n'])));
    const { status, stdout } = runCli(['src'], dir);
    expect(status).toBe(1);
    for (const ext of EXTENSIONS) expect(stdout).toContain(`broken.${ext}`);
    expect(stdout).toContain('8 problems (8 errors, 0 warnings)');
  });

  it('parses each extension with the matching parser and source type', () => {
    writeFiles(dir, {
      'a.js': 'export const x = await Promise.resolve(import.meta.url);\n',
      'a.mjs': 'export const x = await Promise.resolve(1);\n',
      'a.jsx': 'export const el = <div>{1}</div>;\n',
      'a.cjs': 'if (!module) return;\nmodule.exports = 1;\n', // top-level return is CommonJS-only
      'a.ts': 'export const n: number = 1;\n',
      'a.mts': "export type T = string;\nexport const t: T = 'x';\n",
      'a.cts': 'const n: number = 1;\nexport = n;\n',
      'a.tsx': 'export const el = <div>{1 as number}</div>;\n',
    });
    const { status, stdout } = runCli([], dir);
    expect(stdout.trim()).toBe('');
    expect(status).toBe(0);
  });

  it("ignores the linted project's own eslint.config.*", () => {
    writeFiles(dir, {
      'eslint.config.js': "throw new Error('the project config must not be loaded');\n",
      'eslint.config.mjs': "throw new Error('the project config must not be loaded');\n",
      'src/clean.ts': CLEAN_TS,
    });
    const { status, stdout, stderr } = runCli([], dir);
    expect(stderr).toBe('');
    expect(stdout.trim()).toBe('');
    expect(status).toBe(0);
  });

  it('does not report disable comments for rules of the project config', () => {
    writeFiles(dir, {
      'a.ts': [
        '/* eslint-disable @typescript-eslint/no-explicit-any */',
        '// eslint-disable-next-line react/no-danger',
        'export const a: any = 1;',
        '',
      ].join('\n'),
    });
    const { status, stdout } = runCli([], dir);
    expect(stdout.trim()).toBe('');
    expect(status).toBe(0);
  });

  it('skips node_modules and dist folders', () => {
    const hidden: Record<string, string> = {};
    for (const folder of ['node_modules/llm-lib', 'dist', 'packages/app/dist', 'packages/app/node_modules/x']) {
      hidden[`${folder}/bad.ts`] = BAD_TS;
      hidden[`${folder}/bad.js`] = BAD_JS;
      hidden[`${folder}/broken.ts`] = 'const = ;\n';
    }
    writeFiles(dir, { ...hidden, 'src/clean.ts': CLEAN_TS });
    const { status, stdout } = runCli([], dir);
    expect(stdout).not.toContain('bad.');
    expect(stdout).not.toContain('broken.ts');
    expect(stdout.trim()).toBe('');
    expect(status).toBe(0);
  });
});

describe('findings', () => {
  it('reports a volatile value in a cached system prompt (.ts, directory)', () => {
    writeFiles(dir, { 'bad.ts': BAD_TS });
    const { status, stdout } = runCli([], dir);
    expect(stdout).toContain(RULE_ID);
    expect(stdout).toContain('bad.ts');
    expect(status).toBe(1);
  });

  it('reports a volatile value in a cached system prompt (.js, file path)', () => {
    writeFiles(dir, { 'bad.js': BAD_JS });
    const { status, stdout } = runCli(['bad.js'], dir);
    expect(stdout).toContain(RULE_ID);
    expect(stdout).toContain('bad.js');
    expect(status).toBe(1);
  });
});

// --- output formats, --output-file, --fix, --quiet, --max-warnings ------------------------------------------

const require = createRequire(import.meta.url);
const FORMAT_NAMES = ['stylish', 'json', 'sarif', 'markdown'];
const USAGE_HINT = "Run 'prompt-cache-lint --help' for usage.";

interface Finding {
  file: string;
  line: number;
  column: number;
  ruleId: string;
}

/** `file:line:column ruleId`, the notation of tests/integration.test.ts. */
function findingKey({ file, line, column, ruleId }: Finding): string {
  return `${file}:${line}:${column} ${ruleId}`;
}

/** The findings that examples/ is written to show under the recommended config (tests/expected-findings.ts). */
function documentedFindings(): Finding[] {
  return RECOMMENDED.map((entry) => {
    const match = /^(.+):(\d+):(\d+) (\S+)$/.exec(entry);
    if (!match) throw new Error(`unexpected entry in tests/expected-findings.ts: ${entry}`);
    return { file: match[1], line: Number(match[2]), column: Number(match[3]), ruleId: match[4] };
  });
}

const EXPECTED = documentedFindings();
const EXPECTED_KEYS = EXPECTED.map(findingKey).sort();
const EXPECTED_RULES = [...new Set(EXPECTED.map((finding) => finding.ruleId))].sort();

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function docsUrl(ruleId: string): string {
  const url = plugin.rules[ruleId.replace(/^prompt-cache\//, '')]?.meta?.docs?.url;
  if (!url) throw new Error(`no docs URL for ${ruleId}`);
  return url;
}

function relativeToRoot(file: string): string {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

interface JsonMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
  fatal?: boolean;
}

interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
  errorCount: number;
  warningCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
}

function jsonFindings(results: JsonResult[]): Finding[] {
  return results.flatMap((result) =>
    result.messages.map((message) => ({
      file: relativeToRoot(result.filePath),
      line: message.line,
      column: message.column,
      ruleId: String(message.ruleId),
    })),
  );
}

// SARIF 2.1.0: the OASIS schema (2.1.0-rtm.5, the version the formatter's `$schema` names) as shipped by
// Microsoft's @microsoft/jest-sarif; JSON Schema draft-04, hence ajv-draft-04. The schema's `language` pattern
// is not a valid Unicode-mode regular expression, so ajv compiles patterns without the `u` flag.
let validateSarif: ValidateFunction | undefined;
function sarifSchemaErrors(log: unknown): ErrorObject[] {
  if (!validateSarif) {
    const Ajv = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
    const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
    const schemaFile = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validateSarif = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
  }
  return validateSarif(log) ? [] : [...(validateSarif.errors ?? [])];
}

interface SarifLog {
  version: string;
  $schema: string;
  runs: {
    tool: { driver: { name: string; version?: string; rules: { id: string; helpUri: string }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
    }[];
  }[];
}

/** The text a reader sees in a Markdown cell, with code spans back in backticks; emphasis or HTML is an error. */
function cellText(tokens: Token[]): string {
  return tokens
    .map((token) => {
      switch (token.type) {
        case 'text':
        case 'escape':
          return token.text;
        case 'codespan':
          return token.raw; // with its fences; pipes escaped for the table are already unescaped
        case 'link': {
          // A bare URL in a message becomes a link (GFM autolink), which is fine: the reader sees the URL.
          const { href, tokens: inner, raw } = token as Tokens.Link;
          return raw === href ? href : `[${cellText(inner)}](${href})`;
        }
        case 'html':
          if (token.text === '<br>') return '\n';
          throw new Error(`unexpected HTML in a cell: ${token.raw}`);
        default:
          throw new Error(`unexpected Markdown in a cell: ${token.type} ${token.raw}`);
      }
    })
    .join('');
}

function markdownTables(markdown: string): Tokens.Table[] {
  return marked.lexer(markdown, { gfm: true }).filter((token): token is Tokens.Table => token.type === 'table');
}

function markdownHeading(markdown: string): string {
  const heading = marked.lexer(markdown, { gfm: true }).find((token) => token.type === 'heading');
  return heading ? (heading as Tokens.Heading).text : '';
}

function expectUsageError(result: CliResult, message: string): void {
  expect(result.stderr).toBe(`prompt-cache-lint: ${message}\n${USAGE_HINT}\n`);
  expect(result.stdout).toBe('');
  expect(result.status).toBe(2);
}

describe('--help for the reporting options', () => {
  it('lists the options, the formats and every exit code', () => {
    const { status, stdout } = runCli(['--help'], dir);
    expect(status).toBe(0);
    for (const flag of ['-f, --format <name>', '-o, --output-file <file>', '--max-warnings <n>', '--quiet', '--fix']) {
      expect(stdout).toContain(flag);
    }
    for (const format of FORMAT_NAMES) expect(stdout).toMatch(new RegExp(`^  ${format} `, 'm'));
    expect(stdout).toMatch(/^ {2}0 {2}no errors/m);
    expect(stdout).toMatch(/^ {2}1 {2}errors found, or more warnings than --max-warnings/m);
    expect(stdout).toMatch(/^ {2}2 {2}usage error .* or internal error/m);
  });
});

describe('formats on examples/ (the findings of tests/expected-findings.ts)', () => {
  const outputs: Record<string, CliResult> = {};
  let json: JsonResult[];

  beforeAll(() => {
    for (const format of FORMAT_NAMES) outputs[format] = runCli(['--format', format, 'examples'], ROOT);
    json = JSON.parse(outputs.json.stdout) as JsonResult[];
  });

  it('exits 1 with nothing on stderr in every format', () => {
    expect(EXPECTED.length).toBeGreaterThan(0);
    for (const format of FORMAT_NAMES) {
      expect(outputs[format].stderr, format).toBe('');
      expect(outputs[format].status, format).toBe(1);
    }
  });

  it('stylish: every finding under its file, with its rule id, and the total', () => {
    const found: string[] = [];
    let file = '';
    for (const line of outputs.stylish.stdout.split('\n')) {
      const row = /^\s+(\d+):(\d+)\s+error\s+.+?\s{2}(prompt-cache\/[\w-]+)$/.exec(line);
      if (row) found.push(findingKey({ file, line: Number(row[1]), column: Number(row[2]), ruleId: row[3] }));
      else if (line.startsWith('/')) file = relativeToRoot(line);
    }
    expect(found.sort()).toEqual(EXPECTED_KEYS);
    expect(outputs.stylish.stdout).toContain(`✖ ${EXPECTED.length} problems (${EXPECTED.length} errors, 0 warnings)`);
  });

  it('json: the same rule ids with the same counts, as errors', () => {
    expect(jsonFindings(json).map(findingKey).sort()).toEqual(EXPECTED_KEYS);
    expect(countBy(jsonFindings(json), (finding) => finding.ruleId)).toEqual(countBy(EXPECTED, (finding) => finding.ruleId));
    expect(json.reduce((sum, result) => sum + result.errorCount, 0)).toBe(EXPECTED.length);
    expect(json.reduce((sum, result) => sum + result.warningCount, 0)).toBe(0);
  });

  it('sarif: valid SARIF 2.1.0 with rules linking to their docs and one result per finding', () => {
    const log = JSON.parse(outputs.sarif.stdout) as SarifLog;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(log.runs).toHaveLength(1);
    const [run] = log.runs;
    expect(run.tool.driver.name).toBe('prompt-cache-lint');
    expect(run.tool.driver.version).toBe(PKG.version);
    expect(run.tool.driver.rules.map((rule) => rule.id).sort()).toEqual(EXPECTED_RULES);
    for (const rule of run.tool.driver.rules) expect(rule.helpUri, rule.id).toBe(docsUrl(rule.id));

    const jsonMessages = json.flatMap((result) => result.messages.map((message) => message.message)).sort();
    expect(run.results.map((result) => result.message.text).sort()).toEqual(jsonMessages);
    const found = run.results.map((result) => {
      expect(result.level).toBe('error');
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      const file = relativeToRoot(fileURLToPath(artifactLocation.uri));
      return findingKey({ file, line: region.startLine, column: region.startColumn, ruleId: result.ruleId });
    });
    expect(found.sort()).toEqual(EXPECTED_KEYS);
  });

  it('sarif: the schema check catches a broken log', () => {
    const log = JSON.parse(outputs.sarif.stdout) as SarifLog;
    log.runs[0].results[0].level = 'fatal';
    log.runs[0].tool.driver.rules[0].helpUri = 'not a uri';
    expect(sarifSchemaErrors(log).map((error) => error.instancePath).sort()).toEqual([
      '/runs/0/results/0/level',
      '/runs/0/tool/driver/rules/0/helpUri',
    ]);
  });

  it('markdown: a heading with the counts and one table row per finding, rules linked to their docs', () => {
    const { stdout } = outputs.markdown;
    const n = EXPECTED.length;
    expect(markdownHeading(stdout)).toContain(`prompt-cache-lint: ${n} problems (${n} errors, 0 warnings)`);
    const tables = markdownTables(stdout);
    expect(tables).toHaveLength(1);
    const [table] = tables;
    expect(table.header.map((cell) => cell.text)).toEqual(['Location', 'Severity', 'Rule', 'Message']);
    expect(table.rows).toHaveLength(n);

    const jsonMessages = json.flatMap((result) => result.messages.map((message) => message.message)).sort();
    const found = table.rows.map((row) => {
      expect(row).toHaveLength(4);
      const [locationCell, severityCell, ruleCell, messageCell] = row;
      const location = /^`(.+):(\d+):(\d+)`$/.exec(cellText(locationCell.tokens));
      expect(location, locationCell.text).not.toBeNull();
      expect(cellText(severityCell.tokens)).toBe('error');
      const link = ruleCell.tokens.find((token): token is Tokens.Link => token.type === 'link');
      expect(link, ruleCell.text).toBeDefined();
      const ruleId = cellText(link!.tokens);
      expect(link!.href).toBe(docsUrl(ruleId));
      expect(jsonMessages).toContain(cellText(messageCell.tokens));
      return findingKey({ file: location![1], line: Number(location![2]), column: Number(location![3]), ruleId });
    });
    expect(found.sort()).toEqual(EXPECTED_KEYS);
    // The messages quote prices: `$` is escaped so that GitHub does not render the text between two prices as math.
    expect(stdout).not.toMatch(/(?<!\\)\$\d/);
    expect(stdout).toMatch(/\\\$\d/);
  });
});

describe('markdown format', () => {
  it('says that there are no problems for a clean project', () => {
    writeFiles(dir, { 'src/clean.ts': CLEAN_TS, 'src/clean.js': CLEAN_JS });
    const { status, stdout, stderr } = runCli(['--format', 'markdown'], dir);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(markdownHeading(stdout)).toBe('✅ prompt-cache-lint: no problems');
    expect(stdout).toContain('No problems found in 2 files.');
    expect(markdownTables(stdout)).toEqual([]);
  });

  it('escapes pipes, line breaks, HTML, math and emphasis characters in messages', async () => {
    const formatterUrl = pathToFileURL(path.join(ROOT, 'bin', 'formatters', 'markdown.js')).href;
    const { default: formatMarkdown } = (await import(formatterUrl)) as {
      default: (results: unknown[], context: { cwd: string; rulesMeta: Record<string, unknown> }) => string;
    };
    const tricky = [
      'a | b',
      'line one\nline two\r\nline three',
      '<img src=x> & <b>bold</b>',
      'costs $1.06 and $2.50 per ~1,000~ requests',
      'a *star* and _under_ and [link](http://x) and a lone ` backtick',
      'code `x | y` and ``a`b`` stay code',
      'trailing backslash \\| pipe',
    ];
    const filePath = path.join(dir, 'src', 'a|b.ts');
    const results = [
      {
        filePath,
        messages: tricky.map((message, index) => ({ ruleId: 'prompt-cache/max-breakpoints', severity: 2, message, line: index + 1, column: 1 })),
      },
    ];
    const rulesMeta = { 'prompt-cache/max-breakpoints': { docs: { url: docsUrl('prompt-cache/max-breakpoints') } } };
    const markdown = formatMarkdown(results, { cwd: dir, rulesMeta });
    const [table] = markdownTables(markdown);
    expect(table.rows).toHaveLength(tricky.length);
    table.rows.forEach((row, index) => {
      expect(row).toHaveLength(4);
      expect(cellText(row[0].tokens)).toBe(`\`src/a|b.ts:${index + 1}:1\``);
      expect(cellText(row[3].tokens)).toBe(tricky[index].replace(/\r\n?/g, '\n'));
    });
    // Exactly one line per problem: line breaks in messages do not leak into the table.
    expect(markdown.split('\n').filter((line) => line.startsWith('| `'))).toHaveLength(tricky.length);
  });
});

describe('--output-file', () => {
  it('writes the report to the file, creating its folders, and prints nothing', () => {
    const file = path.join(dir, 'reports', 'nested', 'prompt-cache.sarif');
    const { status, stdout, stderr } = runCli(['--format', 'sarif', '--output-file', file, 'examples'], ROOT);
    expect(stdout).toBe('');
    expect(stderr).toBe('');
    expect(status).toBe(1);
    const log = JSON.parse(readFileSync(file, 'utf8')) as SarifLog;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0].results).toHaveLength(EXPECTED.length);
  });

  it('resolves a relative file against the working directory (-o, -f)', () => {
    writeFiles(dir, { 'src/bad.ts': BAD_TS });
    const { status, stdout } = runCli(['-f', 'markdown', '-o', 'out/lint.md'], dir);
    expect(stdout).toBe('');
    expect(status).toBe(1);
    const [table] = markdownTables(readFileSync(path.join(dir, 'out', 'lint.md'), 'utf8'));
    // Among the findings: the `new Date()` call in BAD_TS, located relative to the working directory.
    const lines = BAD_TS.split('\n');
    const line = lines.findIndex((text) => text.includes('new Date()'));
    const column = lines[line].indexOf('new Date()') + 1;
    expect(table.rows.map((row) => `${cellText(row[0].tokens)} ${cellText(row[2].tokens)}`)).toContain(
      `\`src/bad.ts:${line + 1}:${column}\` [${RULE_ID}](${docsUrl(RULE_ID)})`,
    );
  });

  it('writes an empty file for a clean project in the stylish format', () => {
    writeFiles(dir, { 'clean.ts': CLEAN_TS });
    const { status, stdout } = runCli(['-o', 'report.txt'], dir);
    expect(stdout).toBe('');
    expect(status).toBe(0);
    expect(readFileSync(path.join(dir, 'report.txt'), 'utf8')).toBe('');
  });

  it('exits 2 with one line when the file cannot be written', () => {
    writeFiles(dir, { 'clean.ts': CLEAN_TS });
    mkdirSync(path.join(dir, 'taken'));
    const { status, stdout, stderr } = runCli(['-o', 'taken'], dir);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^prompt-cache-lint: cannot write the output file taken: EISDIR[^\n]*\n$/);
    expect(status).toBe(2);
  });
});

describe('--fix', () => {
  it('runs, changes nothing (our rules offer suggestions, not autofixes) and still reports', () => {
    const example = readFileSync(path.join(ROOT, 'examples', 'valid-cache-control.ts'), 'utf8');
    writeFiles(dir, { 'valid-cache-control.ts': example });
    const before = JSON.parse(runCli(['-f', 'json'], dir).stdout) as JsonResult[];
    // The premise: no finding has an autofix. A rule that gains one needs a test that --fix applies it.
    expect(before[0].errorCount).toBeGreaterThan(0);
    expect(before[0].fixableErrorCount + before[0].fixableWarningCount).toBe(0);

    const { status, stdout, stderr } = runCli(['--fix', '-f', 'json'], dir);
    expect(stderr).toBe('');
    expect(status).toBe(1);
    const after = JSON.parse(stdout) as JsonResult[];
    expect(after[0].messages).toEqual(before[0].messages);
    expect(readFileSync(path.join(dir, 'valid-cache-control.ts'), 'utf8')).toBe(example);
  });
});

describe('--quiet and --max-warnings', () => {
  // ESLint warns (severity 1) about a file that is passed explicitly but ignored, here by the dist/ pattern.
  const IGNORED_WARNING = 'File ignored because of a matching ignore pattern';
  const ARGS = ['dist/ignored.ts', 'src/clean.ts'];

  beforeEach(() => {
    writeFiles(dir, { 'dist/ignored.ts': BAD_TS, 'src/clean.ts': CLEAN_TS });
  });

  it('reports warnings without failing by default', () => {
    const { status, stdout } = runCli(ARGS, dir);
    expect(stdout).toContain(IGNORED_WARNING);
    expect(stdout).toContain('1 problem (0 errors, 1 warning)');
    expect(status).toBe(0);
  });

  it('--max-warnings: exit 1 above the limit, 0 at it', () => {
    const over = runCli(['--max-warnings', '0', ...ARGS], dir);
    expect(over.stdout).toContain(IGNORED_WARNING);
    expect(over.stderr).toBe('prompt-cache-lint: 1 warning (more than --max-warnings 0)\n');
    expect(over.status).toBe(1);
    const at = runCli(['--max-warnings=1', ...ARGS], dir);
    expect(at.stderr).toBe('');
    expect(at.status).toBe(0);
  });

  it('--quiet hides warnings, which still count for --max-warnings', () => {
    const quiet = runCli(['--quiet', ...ARGS], dir);
    expect(quiet.stdout).toBe('');
    expect(quiet.status).toBe(0);
    const gated = runCli(['--quiet', '--max-warnings', '0', ...ARGS], dir);
    expect(gated.stdout).toBe('');
    expect(gated.status).toBe(1);
  });

  it('--quiet keeps the errors', () => {
    writeFiles(dir, { 'src/bad.ts': BAD_TS });
    const { status, stdout } = runCli(['--quiet', '-f', 'json', ...ARGS, 'src/bad.ts'], dir);
    expect(status).toBe(1);
    const results = JSON.parse(stdout) as JsonResult[];
    const messages = results.flatMap((result) => result.messages);
    expect(messages.map((message) => message.ruleId)).toContain(RULE_ID);
    expect(messages.every((message) => message.severity === 2)).toBe(true);
    expect(results.reduce((sum, result) => sum + result.warningCount, 0)).toBe(0);
    // Every linted file is still listed, so a summary can say how many were checked.
    expect(results.map((result) => path.relative(dir, result.filePath)).sort()).toEqual(
      ['dist/ignored.ts', 'src/bad.ts', 'src/clean.ts'].map((file) => file.split('/').join(path.sep)),
    );
  });
});

describe('bad option values', () => {
  it.each([
    [['--format', 'xml', '-o', 'out.txt', 'bad.ts'], "unknown format 'xml' (use stylish, json, sarif or markdown)"],
    [['-f', 'JSON', '-o', 'out.txt', 'bad.ts'], "unknown format 'JSON' (use stylish, json, sarif or markdown)"],
    [['bad.ts', '--format'], 'option --format needs a value'],
    [['--max-warnings', 'abc', '-o', 'out.txt', 'bad.ts'], "--max-warnings needs a non-negative integer, not 'abc'"],
    [['--max-warnings', '1.5', 'bad.ts'], "--max-warnings needs a non-negative integer, not '1.5'"],
    [['--max-warnings', '', 'bad.ts'], "--max-warnings needs a non-negative integer, not ''"],
    [['--max-warnings=-1', 'bad.ts'], "--max-warnings needs a non-negative integer, not '-1'"],
    [['--max-warnings', '-1', 'bad.ts'], "option --max-warnings needs a value (for a value that starts with '-', write --max-warnings=<value>)"],
    [['bad.ts', '--output-file'], 'option --output-file needs a value'],
    [['-o', '', 'bad.ts'], '--output-file needs a file name'],
    [['--quiet=yes', 'bad.ts'], "Option '--quiet' does not take an argument"],
  ])('%j: exit 2, one line and a hint, nothing linted or written', (args, message) => {
    writeFiles(dir, { 'bad.ts': BAD_TS });
    expectUsageError(runCli(args, dir), message);
    expect(readdirSync(dir)).toEqual(['bad.ts']);
  });
});

describe('--format sarif without @microsoft/eslint-formatter-sarif', () => {
  /**
   * A copy of the command installed without the SARIF formatter: bin/ and package.json copied, dist/ and every
   * dependency except @microsoft/* linked to this repository's.
   */
  function installWithoutSarif(): string {
    const install = path.join(dir, 'install');
    mkdirSync(path.join(install, 'node_modules'), { recursive: true });
    cpSync(path.join(ROOT, 'bin'), path.join(install, 'bin'), { recursive: true });
    cpSync(path.join(ROOT, 'package.json'), path.join(install, 'package.json'));
    symlinkSync(path.join(ROOT, 'dist'), path.join(install, 'dist'), 'dir');
    for (const entry of readdirSync(path.join(ROOT, 'node_modules'))) {
      if (entry === '@microsoft' || entry.startsWith('.')) continue;
      symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(install, 'node_modules', entry), 'dir');
    }
    return path.join(install, 'bin', 'prompt-cache-lint.js');
  }

  function runAt(cli: string, args: string[], cwd: string): CliResult {
    const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('exits 2 and says how to install it', () => {
    const cli = installWithoutSarif();
    writeFiles(dir, { 'project/src/bad.ts': BAD_TS });
    const { status, stdout, stderr } = runAt(cli, ['-f', 'sarif'], path.join(dir, 'project'));
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'prompt-cache-lint: --format sarif needs the package @microsoft/eslint-formatter-sarif, which is not installed\n' +
        'Install it with: npm install --save-dev @microsoft/eslint-formatter-sarif\n',
    );
    expect(status).toBe(2);
  });

  it("uses the linted project's copy when the command's own is missing", () => {
    const cli = installWithoutSarif();
    writeFiles(dir, { 'project/src/bad.ts': BAD_TS });
    const formatter = path.dirname(require.resolve('@microsoft/eslint-formatter-sarif/package.json'));
    mkdirSync(path.join(dir, 'project', 'node_modules', '@microsoft'), { recursive: true });
    symlinkSync(formatter, path.join(dir, 'project', 'node_modules', '@microsoft', 'eslint-formatter-sarif'), 'dir');
    const { status, stdout, stderr } = runAt(cli, ['-f', 'sarif'], path.join(dir, 'project'));
    expect(stderr).toBe('');
    expect(status).toBe(1);
    const log = JSON.parse(stdout) as SarifLog;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0].results.map((result) => result.ruleId)).toContain(RULE_ID);
  });
});

describe('the GitHub Actions workflow of docs/ci.md', () => {
  interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    'continue-on-error'?: boolean;
  }
  interface Workflow {
    jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }>;
  }

  function workflow(): { permissions: Record<string, string>; steps: Step[] } {
    const doc = readFileSync(path.join(ROOT, 'docs', 'ci.md'), 'utf8');
    const blocks = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
    expect(blocks).toHaveLength(1);
    const jobs = Object.values((parseYaml(blocks[0]) as Workflow).jobs);
    expect(jobs).toHaveLength(1);
    return jobs[0];
  }

  /** Runs a step's `run:` script as GitHub does (bash -eo pipefail), with `npx prompt-cache-lint` → this CLI. */
  function runStep(step: Step, cwd: string, summary: string): CliResult {
    const script = step.run!.replaceAll('npx prompt-cache-lint', `"${process.execPath}" "${CLI}"`);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: summary };
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env, encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  function lintSteps(steps: Step[]): { sarif: Step; summary: Step; gate: Step; upload: Step } {
    const sarif = steps.find((step) => step.run?.includes('--format sarif'));
    const summary = steps.find((step) => step.run?.includes('--format markdown'));
    const upload = steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@'));
    const gate = steps.at(-1);
    expect(sarif && summary && upload && gate?.run?.includes('prompt-cache-lint')).toBeTruthy();
    return { sarif: sarif!, summary: summary!, upload: upload!, gate: gate! };
  }

  it('sets up Node 20, installs with npm ci and may upload SARIF', () => {
    const { permissions, steps } = workflow();
    expect(permissions['security-events']).toBe('write');
    expect(steps.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(20);
    expect(steps.some((step) => step.run === 'npm ci')).toBe(true);
    const { sarif, upload, summary } = lintSteps(steps);
    expect(sarif['continue-on-error']).toBe(true);
    expect(sarif.run?.endsWith(`--output-file ${String(upload.with?.sarif_file)}`)).toBe(true);
    expect(summary.run).toContain('>> "$GITHUB_STEP_SUMMARY"');
  });

  it('on examples/: the SARIF step writes the file and fails, the summary step reports, the gate fails', () => {
    cpSync(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
    const summaryFile = path.join(dir, 'summary.md');
    const { sarif, summary, gate, upload } = lintSteps(workflow().steps);

    const sarifRun = runStep(sarif, dir, summaryFile);
    expect(sarifRun.stdout).toBe('');
    expect(sarifRun.status).toBe(1);
    const log = JSON.parse(readFileSync(path.join(dir, String(upload.with?.sarif_file)), 'utf8')) as SarifLog;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0].results).toHaveLength(EXPECTED.length);

    writeFileSync(summaryFile, '# Earlier step\n');
    expect(runStep(summary, dir, summaryFile).status).toBe(0);
    const written = readFileSync(summaryFile, 'utf8');
    expect(written.startsWith('# Earlier step\n')).toBe(true); // appended, not overwritten
    expect(markdownTables(written)[0].rows).toHaveLength(EXPECTED.length);

    const gateRun = runStep(gate, dir, summaryFile);
    expect(gateRun.status).toBe(1);
    expect(gateRun.stdout).toContain(`${EXPECTED.length} problems (${EXPECTED.length} errors, 0 warnings)`);
  });

  it('on a clean project: every step passes and the summary says so', () => {
    writeFiles(dir, { 'src/clean.ts': CLEAN_TS });
    const summaryFile = path.join(dir, 'summary.md');
    const { sarif, summary, gate } = lintSteps(workflow().steps);
    expect(runStep(sarif, dir, summaryFile).status).toBe(0);
    expect(runStep(summary, dir, summaryFile).status).toBe(0);
    expect(readFileSync(summaryFile, 'utf8')).toContain('No problems found in 1 file.');
    expect(runStep(gate, dir, summaryFile).status).toBe(0);
  });
});
