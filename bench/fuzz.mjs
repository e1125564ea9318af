#!/usr/bin/env node
// `npm run fuzz`: generated request code (bench/fuzz-gen.mjs) linted with every rule on and
// PROMPT_CACHE_STRICT=1. For each input: no exception, no hang (the faster of two runs under --time-bound-ms; a
// watchdog stops anything still running after --hang-ms), and the same messages when linted twice. Failures are
// grouped by kind and message, reduced line by line to a minimal reproduction, and written to --out.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { generateFuzzInput } from './fuzz-gen.mjs';
import { UsageError, formatMs, integerOption, parseOptions, run } from './lib/cli.mjs';
import { machineLine, markdownTable, replaceMarkedSection } from './lib/docs.mjs';
import { describeError, normalizeMessages, reduceLines, signatureOf } from './lib/failures.mjs';
import { fuzzInputPath } from './lib/fuzz-task.mjs';
import { loadKnownFailures, matchKnown } from './lib/known.mjs';
import { createESLint, loadPlugin, parseErrorOf } from './lib/lint.mjs';
import { runInWorker } from './lib/runner.mjs';

const NAME = 'fuzz';
const FAILING = new Set(['crash', 'nondeterministic', 'slow', 'hang', 'died']);

const OPTIONS = {
  seed: { type: 'string' },
  count: { type: 'string' },
  offset: { type: 'string' },
  'time-bound-ms': { type: 'string' },
  'hang-ms': { type: 'string' },
  only: { type: 'string' },
  out: { type: 'string' },
  'no-reduce': { type: 'boolean' },
  'write-docs': { type: 'boolean' },
  json: { type: 'string' },
  strict: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const HELP = `Usage: node bench/fuzz.mjs [options]    (npm run fuzz: builds first, 100,000 inputs)

Lints generated request code with every prompt-cache rule on and PROMPT_CACHE_STRICT=1. Fails on an exception,
a slow or hanging input, or an input whose messages differ between two runs.

Options:
  --seed <s>            seed of the run (default 1); input i of seed s is always the same text
  --count <n>           number of inputs (default 100000)
  --offset <n>          first input index (default 0)
  --time-bound-ms <ms>  an input slower than this (the faster of its two runs) fails (default 2000)
  --hang-ms <ms>        a watchdog stops an input still running after this long (default 30000)
  --only <i>            print input i of the seed, lint it, print the messages (exit 1 if it throws)
  --out <dir>           where failing inputs and their reductions are written (default: the temp dir)
  --no-reduce           do not reduce failing inputs
  --write-docs          rewrite the fuzz section of docs/performance.md
  --json <file>         also write the results as JSON
  --strict              known failures (bench/known-failures.json) fail the run too
  --quiet               no progress lines
  -h, --help            show this help

Exit codes: 0 no failure (known failures aside), 1 a failure, 2 usage or internal error.
`;

/** The predicate a reduction keeps: the candidate still fails the same way. */
function sameFailure(eslint, filePath, kind, detail, timeBoundMs) {
  const signature = signatureOf(kind, detail);
  return async (text) => {
    const lint = async () => {
      const start = performance.now();
      try {
        const [result] = await eslint.lintText(text, { filePath });
        return { ms: performance.now() - start, result };
      } catch (error) {
        return { ms: performance.now() - start, error: describeError(error) };
      }
    };
    const first = await lint();
    if (kind === 'crash' || kind === 'engine-crash') return first.error !== undefined && signatureOf(kind, first.error) === signature;
    if (first.error || parseErrorOf(first.result)) return false;
    const second = await lint();
    if (second.error) return false;
    if (kind === 'slow') return Math.min(first.ms, second.ms) > timeBoundMs;
    if (kind === 'nondeterministic') {
      return JSON.stringify(normalizeMessages(first.result.messages)) !== JSON.stringify(normalizeMessages(second.result.messages));
    }
    return false;
  };
}

async function only(seed, index) {
  process.env.PROMPT_CACHE_STRICT = '1';
  Error.stackTraceLimit = 50;
  const { text, ext } = generateFuzzInput(seed, index);
  process.stdout.write(`// fuzz input ${index} of seed ${seed} (${ext}, ${text.length} characters)\n${text}\n`);
  const eslint = createESLint(await loadPlugin(), 'all');
  const start = performance.now();
  let result;
  try {
    [result] = await eslint.lintText(text, { filePath: fuzzInputPath(index, ext) });
  } catch (error) {
    const detail = describeError(error);
    process.stdout.write(`// exception after ${formatMs(performance.now() - start)}: ${detail.message}${detail.ruleId ? ` [${detail.ruleId}]` : ''}\n${detail.stack.replace(/^/gm, '//   ')}\n`);
    return 1;
  }
  process.stdout.write(`// ${formatMs(performance.now() - start)}, ${result.messages.length} messages\n`);
  for (const m of result.messages) process.stdout.write(`// ${m.line}:${m.column} ${m.ruleId ?? '(fatal)'} ${m.message.slice(0, 160)}\n`);
  return 0;
}

function render({ seed, count, totals, groups, slowest, rules, elapsed, timeBoundMs }) {
  const out = [];
  out.push(`Command: \`npm run fuzz -- --write-docs\` (seed ${seed}, ${count.toLocaleString('en-US')} inputs, time bound ${timeBoundMs} ms). Machine: ${machineLine()}.`);
  out.push('');
  out.push(
    markdownTable(
      ['Inputs', 'Time', 'Exceptions', 'Slow', 'Hangs', 'Different on 2nd run', 'Parse errors', 'ESLint exceptions without our rules (not ours)'],
      [[count.toLocaleString('en-US'), formatMs(elapsed), String(totals.crash ?? 0), String(totals.slow ?? 0), String((totals.hang ?? 0) + (totals.died ?? 0)), String(totals.nondeterministic ?? 0), String(totals['parse-error'] ?? 0), String(totals['engine-crash'] ?? 0)]],
    ),
  );
  out.push('');
  out.push(`Findings per rule over all inputs (the generator reaches every rule): ${Object.entries(rules).sort().map(([id, n]) => `\`${id.replace('prompt-cache/', '')}\` ${n.toLocaleString('en-US')}`).join(', ')}.`);
  out.push('');
  const failing = groups.filter((g) => FAILING.has(g.kind) || g.kind === 'engine-crash');
  if (failing.length) {
    out.push('Failures (one line per distinct failure; reproduce with `node bench/fuzz.mjs --seed <seed> --only <index>`):');
    out.push('');
    for (const g of failing) out.push(`- ${g.known ? '**known** (bench/known-failures.json): ' : ''}${g.kind} ×${g.count}, smallest input ${g.index}: ${g.message ?? ''}${g.ruleId ? ` (first rule to ask: \`${g.ruleId}\`)` : ''}${g.reduction ? `; reduced to ${g.reduction.lines} lines` : ''}`);
    out.push('');
  }
  out.push('Slowest inputs (faster of two runs):');
  out.push('');
  out.push(markdownTable(['Input', 'Size', 'Time'], slowest.map((s) => [`${s.index} (${s.ext})`, `${(s.bytes / 1024).toFixed(0)} KiB`, formatMs(s.ms)])));
  return out.join('\n');
}

async function main() {
  const argv = process.argv.slice(2);
  const values = parseOptions(argv, OPTIONS);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const seed = values.seed ?? '1';
  if (seed === '') throw new UsageError('--seed must not be empty');
  if (values.only !== undefined) return only(seed, integerOption(values, 'only', 0));
  const count = integerOption(values, 'count', 100_000, 1);
  const offset = integerOption(values, 'offset', 0);
  const timeBoundMs = integerOption(values, 'time-bound-ms', 2000, 1);
  const hangMs = integerOption(values, 'hang-ms', 30_000, 1);
  if (hangMs <= timeBoundMs) throw new UsageError('--hang-ms must be larger than --time-bound-ms');
  const log = values.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`);

  process.env.PROMPT_CACHE_STRICT = '1'; // the worker inherits it
  const totals = {};
  const groups = new Map();
  const rules = {};
  const slowest = [];
  const parseErrors = [];
  let inputsWithFindings = 0;
  const record = (kind, index, detail) => {
    totals[kind] = (totals[kind] ?? 0) + 1;
    if (kind === 'ok') return;
    if (kind === 'parse-error') {
      if (parseErrors.length < 10) parseErrors.push({ index, message: detail.message });
      return;
    }
    const signature = signatureOf(kind, kind === 'slow' ? { message: 'slower than the time bound' } : detail);
    const group = groups.get(signature);
    if (!group) {
      groups.set(signature, { kind, signature, count: 1, index, bytes: detail.bytes ?? Infinity, message: detail.message, ruleId: detail.ruleId ?? null, stack: detail.stack ?? '', ms: detail.ms });
      if (FAILING.has(kind)) log(`${kind.toUpperCase()} input ${index}: ${detail.message ?? ''}${detail.ruleId ? ` [${detail.ruleId}]` : ''}`);
    } else {
      group.count++;
      if ((detail.bytes ?? Infinity) < group.bytes) Object.assign(group, { index, bytes: detail.bytes, ms: detail.ms });
    }
  };

  const start = performance.now();
  let done = 0;
  let lastReport = start;
  log(`fuzz: seed ${seed}, inputs ${offset}..${offset + count - 1}, every rule on, PROMPT_CACHE_STRICT=1`);
  await runInWorker({
    task: new URL('./lib/fuzz-task.mjs', import.meta.url),
    options: { seed, offset },
    count,
    hangMs,
    onResult(_, result) {
      done++;
      record(result.kind, result.index, result);
      if (result.kind === 'ok' && result.ms > timeBoundMs) record('slow', result.index, result);
      for (const [id, n] of Object.entries(result.rules ?? {})) rules[id] = (rules[id] ?? 0) + n;
      if (Object.keys(result.rules ?? {}).some((id) => id.startsWith('prompt-cache/'))) inputsWithFindings++;
      slowest.push(result);
      slowest.sort((a, b) => b.ms - a.ms);
      if (slowest.length > 10) slowest.length = 10;
      const now = performance.now();
      if (now - lastReport >= 10_000) {
        lastReport = now;
        const failures = [...groups.values()].filter((g) => FAILING.has(g.kind)).reduce((n, g) => n + g.count, 0);
        log(`[${done}/${count}] ${formatMs(now - start)}: ${failures} failures, ${totals['parse-error'] ?? 0} parse errors, slowest ${formatMs(slowest[0]?.ms ?? 0)}`);
      }
    },
    onFailure(i, failure) {
      done++;
      const index = offset + i;
      const { text } = generateFuzzInput(seed, index);
      record(failure.kind, index, { message: failure.message, bytes: text.length, ms: failure.ms });
    },
  });
  const elapsed = performance.now() - start;

  const outDir = path.resolve(values.out ?? path.join(os.tmpdir(), `prompt-cache-fuzz-${seed}`));
  const failing = [...groups.values()].filter((g) => FAILING.has(g.kind) || g.kind === 'engine-crash');
  if (failing.length) {
    mkdirSync(outDir, { recursive: true });
    Error.stackTraceLimit = 50;
    const eslint = createESLint(await loadPlugin(), 'all');
    for (const group of failing) {
      const { text, ext } = generateFuzzInput(seed, group.index);
      const base = path.join(outDir, `${group.kind}-${group.index}`);
      writeFileSync(base + ext, text);
      // Hangs and dead workers would take the reducer down with them; their inputs are kept as they are.
      if (values['no-reduce'] || !['crash', 'engine-crash', 'nondeterministic', 'slow'].includes(group.kind)) continue;
      const filePath = fuzzInputPath(group.index, ext);
      const predicate = sameFailure(eslint, filePath, group.kind, group, timeBoundMs);
      const { text: reduced, tests, complete } = await reduceLines(text, predicate, { maxTests: group.kind === 'slow' ? 200 : 3000 });
      writeFileSync(`${base}.min${ext}`, reduced);
      group.reduction = { path: `${base}.min${ext}`, lines: reduced.split('\n').length, tests, complete };
    }
  }

  const known = values.strict ? [] : loadKnownFailures();
  for (const g of failing) g.known = FAILING.has(g.kind) ? matchKnown(known, g.kind, g.message) : null;
  const failures = failing.filter((g) => FAILING.has(g.kind) && !g.known).reduce((n, g) => n + g.count, 0);
  const knownCount = failing.filter((g) => g.known).reduce((n, g) => n + g.count, 0);
  console.log(
    `fuzz: ${count} inputs (seed ${seed}) in ${formatMs(elapsed)}: ${failures} failures${knownCount ? ` (+ ${knownCount} known)` : ''}; ` +
      Object.entries(totals).sort().map(([kind, n]) => `${kind} ${n}`).join(', ') +
      `; ${inputsWithFindings} inputs with findings`,
  );
  console.log(`  findings per rule: ${Object.entries(rules).sort().map(([id, n]) => `${id} ${n}`).join(', ')}`);
  for (const g of failing) {
    console.log(`  ${g.known ? 'KNOWN (bench/known-failures.json) ' : ''}${g.kind} ×${g.count} (smallest: input ${g.index}, ${g.bytes} bytes): ${g.message ?? ''}${g.ruleId ? ` [${g.ruleId}]` : ''}`);
    if (g.stack) console.log(g.stack.replace(/^/gm, '      '));
    if (g.reduction) console.log(`      reduced to ${g.reduction.lines} lines in ${g.reduction.tests} tries${g.reduction.complete ? '' : ' (stopped: time budget)'}: ${g.reduction.path}`);
    else console.log(`      input: ${path.join(outDir, `${g.kind}-${g.index}`)}.*  (node bench/fuzz.mjs --seed ${seed} --only ${g.index})`);
  }
  for (const p of parseErrors) console.log(`  parse error in input ${p.index}: ${p.message}`);
  console.log('  slowest:');
  for (const s of slowest.slice(0, 5)) console.log(`    ${formatMs(s.ms).padStart(8)}  input ${s.index} (${s.ext}, ${(s.bytes / 1024).toFixed(0)} KiB)`);

  if (values.json) writeFileSync(values.json, JSON.stringify({ seed, offset, count, elapsedMs: elapsed, totals, rules, groups: [...groups.values()], parseErrors, slowest }, null, 2));
  if (values['write-docs']) {
    replaceMarkedSection('fuzz', render({ seed, count, totals, groups: [...groups.values()], slowest, rules, elapsed, timeBoundMs }));
    console.log('wrote docs/performance.md');
  }
  return failures > 0 ? 1 : 0;
}

await run(NAME, main);
