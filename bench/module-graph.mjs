#!/usr/bin/env node
// The module-graph check of `npm run bench`: a generated project whose handlers import prompt constants and builders
// from a graph of project modules (a chain, a diamond on a shared base, an import cycle, re-exports through an
// index), linted in ONE ESLint run with every rule on. Counts how often each module is parsed by the
// cross-module analysis and fails if any module is parsed more than once in the run.
//
// Counting: every parse goes through @typescript-eslint/parser's `parseForESLint`, which this script wraps
// (before ESLint or the plugin load) to count calls per file path. Only the handlers are linted, so every parse
// of a prompt module is one made by our analysis. The core's own counter (`moduleStats.parsed`) is reported too.
//
//   node bench/module-graph.mjs [--modules N] [--handlers M] [--json]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { formatMs, integerOption, parseOptions, run } from './lib/cli.mjs';

// Wrap the parser before anything imports it: ESM imports of this CommonJS package snapshot its exports.
const require = createRequire(import.meta.url);
const parser = require('@typescript-eslint/parser');
const parseCounts = new Map();
const parseForESLint = parser.parseForESLint;
Object.defineProperty(parser, 'parseForESLint', {
  enumerable: true,
  configurable: true,
  value(code, options) {
    const file = options?.filePath ?? '<unknown>';
    parseCounts.set(file, (parseCounts.get(file) ?? 0) + 1);
    return parseForESLint(code, options);
  },
});

const HELP = `Usage: node bench/module-graph.mjs [--modules N] [--handlers M] [--json]

Generates a project of N prompt modules (chain, diamond, cycle, re-exports) and M handlers importing them, lints the
handlers in one ESLint run with every rule on, and checks that each module is parsed at most once.
Exit codes: 0 ok, 1 a module was parsed more than once (or none was followed), 2 usage or internal error.
`;

/** Writes the project; returns the handler paths and the prompt modules a handler can reach. */
function generateProject(dir, modules, handlers) {
  const prompts = path.join(dir, 'src', 'prompts');
  const handlerDir = path.join(dir, 'src', 'handlers');
  mkdirSync(prompts, { recursive: true });
  mkdirSync(handlerDir, { recursive: true });
  const write = (file, text) => writeFileSync(file, text);
  write(
    path.join(prompts, 'base.ts'),
    `export const COMPANY = 'Acme Cloud';
export const BASE_POLICY = [
  \`You are the assistant of \${COMPANY}.\`,
  'Answer from the reference material; say so when it does not cover the question.',
].join('\\n');
export const CACHED = { type: 'ephemeral' } as const;
`,
  );
  for (let i = 0; i < modules; i++) {
    // part-i builds on part-(i-1) (a chain) and on base (a diamond: every part shares it).
    const previous = i > 0 ? `import { PART_${i - 1} } from './part-${i - 1}';\n` : '';
    write(
      path.join(prompts, `part-${i}.ts`),
      `import { BASE_POLICY } from './base';
${previous}export const PART_${i} = \`\${${i > 0 ? `PART_${i - 1}` : 'BASE_POLICY'}}\\n## Section ${i}\\nRules of section ${i}: cite the handbook, never guess.\`;
export function buildSystem${i}(name: string) {
  return [{ type: 'text' as const, text: PART_${i} }, { type: 'text' as const, text: \`Customer: \${name}\` }];
}
`,
    );
  }
  write(
    path.join(prompts, 'cycle-a.ts'),
    `import { B_TEXT } from './cycle-b';\nexport const A_TEXT = 'Style guide A. ' + B_TEXT;\nexport const A_ONLY = 'Style guide A only.';\n`,
  );
  write(path.join(prompts, 'cycle-b.ts'), `import { A_ONLY } from './cycle-a';\nexport const B_TEXT = \`Style guide B. \${A_ONLY}\`;\n`);
  write(path.join(prompts, 'index.ts'), `export * from './base';\nexport { PART_0 as FIRST_PART } from './part-0';\nexport { A_TEXT } from './cycle-a';\n`);

  const files = [];
  let edges = 0;
  for (let j = 0; j < handlers; j++) {
    const picks = [...new Set([j % modules, (j * 7 + 3) % modules, (j * 13 + 5) % modules])];
    edges += picks.length + 1;
    const imports = picks.map((k) => `import { PART_${k}, buildSystem${k} } from '../prompts/part-${k}';`).join('\n');
    const requests = picks
      .map(
        (k) => `export async function ask${k}(customer: { name: string }, question: string) {
  return client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    system: [...buildSystem${k}(customer.name), { type: 'text', text: PART_${k} + A_TEXT, cache_control: CACHED }],
    messages: [{ role: 'user', content: question }],
  });
}`,
      )
      .join('\n\n');
    const file = path.join(handlerDir, `handler-${j}.ts`);
    write(
      file,
      `import Anthropic from '@anthropic-ai/sdk';
import { A_TEXT, CACHED, FIRST_PART } from '../prompts/index';
${imports}

const client = new Anthropic();

${requests}

export const intro = (question: string) =>
  client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 256, system: FIRST_PART, messages: [{ role: 'user', content: question }] });
`,
    );
    files.push(file);
  }
  return { files, edges, reachable: modules + 4 };
}

/** Runs the check; returns the figures (also used by bench.mjs through --json). */
export async function checkModuleGraph({ modules = 200, handlers = 300 } = {}) {
  const [{ createESLint, loadPlugin }, { moduleStats, clearModuleCache }] = await Promise.all([
    import('./lib/lint.mjs'),
    import('../dist/src/analysis/modules.js'),
  ]);
  const plugin = await loadPlugin();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prompt-cache-module-graph-'));
  try {
    const { files, edges, reachable } = generateProject(dir, modules, handlers);
    const prompts = path.join(dir, 'src', 'prompts') + path.sep;
    const moduleParses = () => [...parseCounts].filter(([file]) => file.startsWith(prompts));
    clearModuleCache();
    parseCounts.clear();
    const eslint = createESLint(plugin, 'all', { cwd: dir });
    const start = performance.now();
    const results = await eslint.lintFiles(files);
    const ms = performance.now() - start;
    const fatal = results.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => `${r.filePath}: ${m.message}`));
    if (fatal.length) throw new Error(`generated handlers do not parse: ${fatal[0]}`);
    const findings = results.reduce((n, r) => n + r.messages.filter((m) => m.ruleId?.startsWith('prompt-cache/')).length, 0);
    const perModule = moduleParses();
    const coreCount = moduleStats.parsed;
    // The same run with our rules off, for the time the analysis (imports included) adds.
    const baselineStart = performance.now();
    await createESLint(plugin, 'off', { cwd: dir }).lintFiles(files);
    const baselineMs = performance.now() - baselineStart;
    // A second run in the same process: modules are unchanged (same mtime and size), so nothing is parsed again.
    parseCounts.clear();
    await eslint.lintFiles(files);
    const secondRun = moduleParses().reduce((n, [, count]) => n + count, 0);
    return {
      modules: reachable,
      handlers,
      importEdges: edges,
      parsedModules: perModule.length,
      parses: perModule.reduce((n, [, count]) => n + count, 0),
      maxParsesPerModule: Math.max(0, ...perModule.map(([, count]) => count)),
      coreCount,
      secondRun,
      findings,
      ms,
      baselineMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const values = parseOptions(process.argv.slice(2), {
    modules: { type: 'string' },
    handlers: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const result = await checkModuleGraph({ modules: integerOption(values, 'modules', 200, 1), handlers: integerOption(values, 'handlers', 300, 1) });
  const ok = result.maxParsesPerModule <= 1 && result.parsedModules > 0;
  if (values.json) process.stdout.write(`${JSON.stringify({ ...result, ok })}\n`);
  else {
    console.log(
      `module graph: ${result.handlers} handlers, ${result.modules} project modules, ${result.importEdges} import statements; ` +
        `${result.parsedModules} modules parsed, ${result.parses} parses (at most ${result.maxParsesPerModule} per module; core counter ${result.coreCount}); ` +
        `second run: ${result.secondRun} parses; ${result.findings} findings; ${formatMs(result.ms)} (${formatMs(result.baselineMs)} with our rules off): ${ok ? 'ok' : 'FAILED'}`,
    );
  }
  return ok ? 0 : 1;
}

if (import.meta.url === new URL(`file://${path.resolve(process.argv[1] ?? '')}`).href) await run('module-graph', main);
