#!/usr/bin/env node
// Zero-config command line: lints JS/TS files with the plugin's recommended rules,
// ignoring the linted project's own ESLint configuration.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const NAME = 'prompt-cache-lint';

/**
 * Option table: drives both `parseArgs` and the help text. Add new options here
 * (e.g. format, max-warnings, quiet, fix, output-file, report) and handle their
 * values in `parseCli` / `lint`.
 */
const OPTIONS = {
  help: { type: 'boolean', short: 'h', description: 'Show this help and exit' },
  version: { type: 'boolean', short: 'v', description: 'Print the version and exit' },
};

const JS_FILES = ['**/*.js', '**/*.jsx', '**/*.mjs'];
const CJS_FILES = ['**/*.cjs'];
const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const IGNORES = ['**/node_modules/**', '**/dist/**'];

/** A problem with the command line: reported as one line plus a hint, exit code 2. */
class UsageError extends Error {}

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
  const width = Math.max(...rows.map(([flags]) => flags.length)) + 2;
  return [
    `Usage: ${NAME} [options] [paths...]`,
    '',
    'Lints JavaScript and TypeScript files (.js .jsx .mjs .cjs .ts .tsx .mts .cts) for code',
    'that defeats LLM prompt caching, with the recommended rules of eslint-plugin-prompt-cache.',
    "The project's own ESLint configuration is not used. Paths default to the current",
    'directory; node_modules and dist folders are skipped.',
    '',
    'Options:',
    ...rows.map(([flags, description]) => `  ${flags.padEnd(width)}${description}`),
    '',
    'Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.',
    '',
  ].join('\n');
}

/** Turns argv into a command: `{ command: 'help' | 'version' }` or `{ command: 'lint', patterns }`. */
function parseCli(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    if (error?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const option = /'([^']+)'/.exec(error.message)?.[1];
      throw new UsageError(option ? `unknown option '${option}'` : error.message);
    }
    if (typeof error?.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(error.message);
    }
    throw error;
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  return { command: 'lint', patterns: positionals.length > 0 ? positionals : ['.'] };
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
  const messages = result.messages.filter((message) => !isForeign(message));
  const count = (severity, extra = () => true) =>
    messages.filter((message) => message.severity === severity && extra(message)).length;
  return {
    ...result,
    messages,
    errorCount: count(2),
    fatalErrorCount: count(2, (message) => message.fatal === true),
    warningCount: count(1),
    fixableErrorCount: count(2, (message) => message.fix !== undefined),
    fixableWarningCount: count(1, (message) => message.fix !== undefined),
  };
}

async function lint(patterns, cwd) {
  checkPaths(patterns, cwd);
  const [{ ESLint }, tsParserModule, plugin] = await Promise.all([
    import('eslint'),
    import('@typescript-eslint/parser'),
    loadPlugin(),
  ]);
  const tsParser = tsParserModule.default ?? tsParserModule;
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    errorOnUnmatchedPattern: false,
    overrideConfig: buildConfig(plugin, tsParser),
  });
  const results = (await eslint.lintFiles(patterns)).map(dropForeignRuleErrors);
  const formatter = await eslint.loadFormatter('stylish');
  const output = await formatter.format(results, { cwd, rulesMeta: eslint.getRulesMetaForResults(results) });
  if (output) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
  return results.some((result) => result.errorCount > 0) ? 1 : 0;
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
    return await lint(cli.patterns, process.cwd());
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${NAME}: ${error.message}\nRun '${NAME} --help' for usage.\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${NAME}: ${message}\n`);
    if (process.env.DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
