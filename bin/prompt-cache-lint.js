#!/usr/bin/env node
// Zero-config command line: lints JS/TS files with the plugin's recommended rules,
// ignoring the linted project's own ESLint configuration.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const NAME = 'prompt-cache-lint';
const SARIF_FORMATTER = '@microsoft/eslint-formatter-sarif';

/** A problem with the command line: reported as one line plus a hint, exit code 2. */
class UsageError extends Error {
  constructor(message, { hint = `Run '${NAME} --help' for usage.` } = {}) {
    super(message);
    this.hint = hint;
  }
}

/**
 * Output formats. `load(context)` returns `format(results, data)`, an ESLint formatter: `data` holds `cwd`
 * and `rulesMeta`. `context` is `{ eslint, cwd }`.
 */
const FORMATS = {
  stylish: {
    description: "ESLint's human-readable output (default)",
    load: ({ eslint }) => loadEslintFormatter(eslint, 'stylish'),
  },
  json: { description: 'ESLint results as JSON', load: ({ eslint }) => loadEslintFormatter(eslint, 'json') },
  sarif: { description: `SARIF 2.1.0 for code scanning (needs ${SARIF_FORMATTER})`, load: loadSarifFormatter },
  markdown: {
    description: 'a summary table for pull-request comments and $GITHUB_STEP_SUMMARY',
    load: async () => (await import('./formatters/markdown.js')).default,
  },
};

/**
 * Option table: drives `parseArgs`, the help text and value checks. `parse(value, flag)` validates and
 * converts a value (throwing a UsageError); the parsed value lands in `cli.options` under the camel-cased
 * name. To add an option, add an entry here and read `options.<name>` where it is used.
 */
const OPTIONS = {
  format: {
    type: 'string',
    short: 'f',
    valueName: 'name',
    default: 'stylish',
    description: `Output format: ${Object.keys(FORMATS).join(', ')} (default: stylish)`,
    parse: parseFormat,
  },
  'output-file': {
    type: 'string',
    short: 'o',
    valueName: 'file',
    description: 'Write the report to this file (parent folders are created) instead of stdout',
    parse: parseOutputFile,
  },
  'max-warnings': {
    type: 'string',
    valueName: 'n',
    description: 'Exit with code 1 when there are more than n warnings',
    parse: parseMaxWarnings,
  },
  quiet: { type: 'boolean', description: 'Report errors only (warnings still count for --max-warnings)' },
  fix: { type: 'boolean', description: 'Apply automatic fixes to the files, then report what remains' },
  report: {
    type: 'string',
    valueName: 'text|json',
    description: 'Print a cost report per request site instead of the lint output (default: text)',
    parse: parseReport,
  },
  help: { type: 'boolean', short: 'h', description: 'Show this help and exit' },
  version: { type: 'boolean', short: 'v', description: 'Print the version and exit' },
};

const JS_FILES = ['**/*.js', '**/*.jsx', '**/*.mjs'];
const CJS_FILES = ['**/*.cjs'];
const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const IGNORES = ['**/node_modules/**', '**/dist/**'];

function readPackageVersion() {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return pkg.version;
}

function helpText() {
  const rows = Object.entries(OPTIONS).map(([name, spec]) => {
    const flags = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` <${spec.valueName ?? 'value'}>` : ''}`;
    return [flags, spec.description];
  });
  rows.push(['--', 'Treat every following argument as a path']);
  const formats = Object.entries(FORMATS).map(([name, spec]) => [name, spec.description]);
  const width = Math.max(...[...rows, ...formats].map(([flags]) => flags.length)) + 2;
  const table = (entries) => entries.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
  return [
    `Usage: ${NAME} [options] [paths...]`,
    '',
    'Lints JavaScript and TypeScript files (.js .jsx .mjs .cjs .ts .tsx .mts .cts) for code',
    'that defeats LLM prompt caching, with the recommended rules of eslint-plugin-prompt-cache.',
    "The project's own ESLint configuration is not used. Paths default to the current",
    'directory; node_modules and dist folders are skipped.',
    '',
    'Options:',
    ...table(rows),
    '',
    'Formats:',
    ...table(formats),
    '',
    'Exit codes:',
    '  0  no errors, and no more warnings than --max-warnings',
    '  1  errors found, or more warnings than --max-warnings',
    '  2  usage error (unknown option or format, bad value, missing path) or internal error',
    '',
  ].join('\n');
}

function parseFormat(value) {
  if (Object.hasOwn(FORMATS, value)) return value;
  const names = Object.keys(FORMATS);
  throw new UsageError(`unknown format '${value}' (use ${names.slice(0, -1).join(', ')} or ${names.at(-1)})`);
}

function parseMaxWarnings(value, flag) {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) {
    throw new UsageError(`${flag} needs a non-negative integer, not '${value}'`);
  }
  return number;
}

function parseOutputFile(value, flag) {
  if (value.trim() === '') throw new UsageError(`${flag} needs a file name`);
  return value;
}

function camelCase(name) {
  return name.replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
}

function parseArgv(argv) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    if (error?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec(error.message)?.[1];
      throw new UsageError(option ? `unknown option '${option}'` : error.message);
    }
    if (typeof error?.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(parseArgsMessage(error.message));
    }
    throw error;
  }
}

/** `parseArgs` messages in one line: "Option '-f, --format <value>' argument missing" → "option --format needs a value". */
function parseArgsMessage(message) {
  const missing = /^Option '(?:-\w, )?(--[\w-]+)[^']*' argument (missing|is ambiguous)/.exec(message);
  if (!missing) return message.split('\n')[0];
  const [, flag, kind] = missing;
  return kind === 'missing'
    ? `option ${flag} needs a value`
    : `option ${flag} needs a value (for a value that starts with '-', write ${flag}=<value>)`;
}

/**
 * Turns argv into a command: `{ command: 'help' | 'version' }` or
 * `{ command: 'lint', patterns, options: { format, outputFile, maxWarnings, quiet, fix, … } }`.
 */
function parseCli(argv) {
  const { values, positionals } = parseArgv(withReportDefault(argv));
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const options = {};
  for (const [name, spec] of Object.entries(OPTIONS)) {
    const value = values[name];
    options[camelCase(name)] = value !== undefined && spec.parse ? spec.parse(value, `--${name}`) : value;
  }
  return { command: 'lint', patterns: positionals.length > 0 ? positionals : ['.'], options };
}

/** True for quoted glob patterns such as 'src/**\/*.ts', which ESLint expands itself. */
function isGlob(pattern) {
  return /[*?[\]{}]/.test(pattern);
}

function checkPaths(patterns, cwd) {
  for (const pattern of patterns) {
    if (!existsSync(path.resolve(cwd, pattern)) && !isGlob(pattern)) {
      throw new UsageError(`no such file or directory: ${pattern}`);
    }
  }
}

async function loadPlugin() {
  try {
    return (await import('../dist/src/index.js')).default;
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist')) {
      throw new Error('cannot find the built plugin (dist/src/index.js); run `npm run build` first', { cause: error });
    }
    throw error;
  }
}

function buildConfig(plugin, tsParser) {
  const recommended = plugin.configs.recommended;
  return [
    { name: `${NAME}/ignores`, ignores: IGNORES },
    {
      name: `${NAME}/javascript`,
      files: JS_FILES,
      languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
    },
    {
      name: `${NAME}/commonjs`,
      files: CJS_FILES,
      languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs', parserOptions: { ecmaFeatures: { jsx: true } } },
    },
    { name: `${NAME}/typescript`, files: TS_FILES, languageOptions: { parser: tsParser } },
    // Directives for rules this command does not run are normal in real projects; do not warn about them.
    { name: `${NAME}/linter-options`, linterOptions: { reportUnusedDisableDirectives: 'off' } },
    { ...recommended, files: [...JS_FILES, ...CJS_FILES, ...TS_FILES] },
  ];
}

/** The ESLint instance for this run: our config only; `--fix` fixes errors only when `--quiet` is set, like ESLint. */
async function createLinter(cwd, options, extraConfig = []) {
  const [{ ESLint }, tsParserModule, plugin] = await Promise.all([
    import('eslint'),
    import('@typescript-eslint/parser'),
    loadPlugin(),
  ]);
  const tsParser = tsParserModule.default ?? tsParserModule;
  const fix = options.fix ? (options.quiet ? (message) => message.severity === 2 : true) : false;
  return new ESLint({
    cwd,
    overrideConfigFile: true,
    errorOnUnmatchedPattern: false,
    overrideConfig: [...buildConfig(plugin, tsParser), ...extraConfig],
    fix,
  });
}

// --- formats ---------------------------------------------------------------------------------------------

async function loadEslintFormatter(eslint, name) {
  const formatter = await eslint.loadFormatter(name);
  return (results, data) => formatter.format(results, data);
}

function isModuleNotFound(error, specifier) {
  return (
    (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'MODULE_NOT_FOUND') &&
    String(error.message).includes(specifier)
  );
}

/**
 * Imports a package that this command uses only for some options: first next to this file (installed with
 * the plugin), then from the linted project.
 */
async function importOptional(specifier, cwd, usedFor) {
  try {
    return await import(specifier);
  } catch (error) {
    if (!isModuleNotFound(error, specifier)) throw error;
  }
  try {
    const resolved = createRequire(path.join(cwd, 'package.json')).resolve(specifier);
    return await import(pathToFileURL(resolved).href);
  } catch (error) {
    if (!isModuleNotFound(error, specifier)) throw error;
  }
  throw new UsageError(`${usedFor} needs the package ${specifier}, which is not installed`, {
    hint: `Install it with: npm install --save-dev ${specifier}`,
  });
}

/**
 * SARIF 2.1.0 through Microsoft's maintained ESLint formatter (rules carry `helpUri` = the rule's docs URL).
 * The run is labelled as this tool so that code scanning keeps it apart from a project's own ESLint upload.
 */
async function loadSarifFormatter({ cwd }) {
  const module = await importOptional(SARIF_FORMATTER, cwd, '--format sarif');
  const formatter = module.default ?? module;
  return (results, data) => {
    const log = JSON.parse(formatter(results, data));
    for (const run of log.runs) {
      run.tool.driver.name = NAME;
      run.tool.driver.version = readPackageVersion();
      run.tool.driver.informationUri = 'https://www.npmjs.com/package/eslint-plugin-prompt-cache';
    }
    return JSON.stringify(log, null, 2);
  };
}

async function loadFormat(name, context) {
  return FORMATS[name].load(context);
}

// --- results ---------------------------------------------------------------------------------------------

/** A copy of `result` holding only `messages`, with the counts recomputed. */
function withMessages(result, messages, suppressedMessages = result.suppressedMessages) {
  const count = (severity, extra = () => true) =>
    messages.filter((message) => message.severity === severity && extra(message)).length;
  return {
    ...result,
    messages,
    suppressedMessages,
    errorCount: count(2),
    fatalErrorCount: count(2, (message) => message.fatal === true),
    warningCount: count(1),
    fixableErrorCount: count(2, (message) => message.fix !== undefined),
    fixableWarningCount: count(1, (message) => message.fix !== undefined),
  };
}

const UNKNOWN_RULE = /^Definition for rule '.+' was not found/;

/**
 * Projects name rules from their own config in `eslint-disable` and `eslint` comments. This command does
 * not load that config, so ESLint would report every such rule as unknown; drop those reports, except for
 * our own namespace, where an unknown name is a typo worth reporting.
 */
function dropForeignRuleErrors(result) {
  const isForeign = (message) =>
    typeof message.ruleId === 'string' &&
    !message.ruleId.startsWith('prompt-cache/') &&
    UNKNOWN_RULE.test(message.message);
  if (!result.messages.some(isForeign)) return result;
  return withMessages(
    result,
    result.messages.filter((message) => !isForeign(message)),
  );
}

/** `--quiet`: keep every file (so formats can say how many were checked), but only its errors. */
function keepErrorsOnly(result) {
  const isError = (message) => message.severity === 2;
  return withMessages(result, result.messages.filter(isError), result.suppressedMessages.filter(isError));
}

async function lintPatterns(eslint, patterns, options) {
  const results = (await eslint.lintFiles(patterns)).map(dropForeignRuleErrors);
  if (options.fix) {
    const { ESLint } = await import('eslint');
    await ESLint.outputFixes(results);
  }
  return results;
}

// --- output and exit code --------------------------------------------------------------------------------

function writeOutput(text, outputFile, cwd) {
  const content = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  if (outputFile === undefined) {
    process.stdout.write(content);
    return;
  }
  const file = path.resolve(cwd, outputFile);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/, \w+ '.*'$/, '') : String(error);
    throw new Error(`cannot write the output file ${outputFile}: ${reason}`, { cause: error });
  }
}

/** 1 for errors or for more warnings than `--max-warnings` (counted before `--quiet` hides them), else 0. */
function exitCode(results, maxWarnings) {
  const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
  if (errors > 0) return 1;
  const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    process.stderr.write(`${NAME}: ${warnings} warning${warnings === 1 ? '' : 's'} (more than --max-warnings ${maxWarnings})\n`);
    return 1;
  }
  return 0;
}

async function lint(patterns, options, cwd) {
  checkPaths(patterns, cwd);
  const eslint = await createLinter(cwd, options);
  const format = await loadFormat(options.format, { eslint, cwd });
  const results = await lintPatterns(eslint, patterns, options);
  const shown = options.quiet ? results.map(keepErrorsOnly) : results;
  const output = await format(shown, { cwd, rulesMeta: eslint.getRulesMetaForResults(shown) });
  writeOutput(output, options.outputFile, cwd);
  return exitCode(results, options.maxWarnings);
}

// --- cost report (--report) -----------------------------------------------------------------------------

const REPORT_FORMATS = ['text', 'json'];

function parseReport(value, flag) {
  if (REPORT_FORMATS.includes(value)) return value;
  throw new UsageError(`unknown report format '${value}' for ${flag} (use text or json)`);
}

/**
 * `--report` without a value means `--report text` (parseArgs has no optional values, so spell it out): when
 * nothing follows, an option follows, or a path follows. Any other word is left as the value, to be rejected.
 */
function withReportDefault(argv) {
  const end = argv.indexOf('--');
  const isBare = (next) =>
    next === undefined || next.startsWith('-') || isGlob(next) || existsSync(path.resolve(next));
  return argv.map((arg, i) =>
    arg === '--report' && (end === -1 || i < end) && !REPORT_FORMATS.includes(argv[i + 1]) && isBare(argv[i + 1])
      ? '--report=text'
      : arg,
  );
}

/**
 * `--report`: lints exactly like a normal run (same config, plus a rule that only collects each file's request
 * sites from the plugin's core, see dist/src/report.js), attaches every finding to the request(s) it concerns,
 * and prints one row per request site with its extra cost per 1,000 requests instead of the lint output.
 * `--format` does not apply; `--output-file`, `--fix` and `--max-warnings` do; the exit code is the lint run's.
 * Runs in this process (no ESLint `concurrency`): the collector hands its rows back through a callback.
 */
async function runReport(patterns, options, cwd) {
  checkPaths(patterns, cwd);
  await loadPlugin(); // a clear message when dist/ is missing
  const report = await import('../dist/src/report.js');
  const rowsByFile = new Map();
  const collector = report.reportCollectorPlugin((file, rows) => rowsByFile.set(file, rows));
  const eslint = await createLinter(cwd, options, [
    {
      name: `${NAME}/report`,
      files: [...JS_FILES, ...CJS_FILES, ...TS_FILES],
      plugins: { 'prompt-cache-report': collector },
      rules: { 'prompt-cache-report/collect': 'warn' }, // reports nothing
    },
  ]);
  const results = await lintPatterns(eslint, patterns, options);
  const rows = [];
  let unattributed = 0;
  for (const result of results) {
    const fileRows = rowsByFile.get(result.filePath) ?? [];
    // System prompts sent from elsewhere get rows of their own (no request site in this file).
    const prompts = report.getSystemPromptReports(report.attributeFindings(fileRows, result.messages));
    for (const row of prompts.reports) row.file = result.filePath;
    unattributed += prompts.rest.length;
    rows.push(...fileRows, ...prompts.reports);
  }
  const relative = (file) => path.relative(cwd, file) || file;
  const output =
    options.report === 'json'
      ? JSON.stringify(report.sortReports(rows).map((row) => ({ ...row, file: relative(row.file) })), null, 2)
      : report.formatReportText(rows, relative);
  writeOutput(output, options.outputFile, cwd);
  if (unattributed > 0) {
    process.stderr.write(
      `${NAME}: ${unattributed} problem${unattributed === 1 ? '' : 's'} not tied to a request site (such as parse errors); run without --report to see them\n`,
    );
  }
  return exitCode(results, options.maxWarnings);
}

async function main(argv) {
  try {
    const cli = parseCli(argv);
    if (cli.command === 'help') {
      process.stdout.write(helpText());
      return 0;
    }
    if (cli.command === 'version') {
      process.stdout.write(`${readPackageVersion()}\n`);
      return 0;
    }
    return await (cli.options.report ? runReport : lint)(cli.patterns, cli.options, process.cwd());
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${NAME}: ${error.message}\n${error.hint}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${NAME}: ${message}\n`);
    if (process.env.DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
