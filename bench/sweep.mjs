#!/usr/bin/env node
// `npm run sweep`: the crash sweep. Lints every JavaScript/TypeScript file under node_modules with every rule on
// and PROMPT_CACHE_STRICT=1, so that our guard rethrows instead of hiding an exception. Any exception fails
// the sweep and names the file (with a minimal reproduction, reduced line by line). Parse errors (files our
// parsers do not accept: Flow, templates, other dialects) are counted separately: they are not our crashes.
// A file that never finishes is stopped by a watchdog and reported as a hang.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { UsageError, formatMs, integerOption, parseOptions, run } from './lib/cli.mjs';
import { machineLine, markdownTable, replaceMarkedSection } from './lib/docs.mjs';
import { describeError, reduceLines, signatureOf } from './lib/failures.mjs';
import { readFileList, walkSourceFiles } from './lib/files.mjs';
import { loadKnownFailures, matchKnown } from './lib/known.mjs';
import { createESLint, loadPlugin, repoRoot } from './lib/lint.mjs';
import { runInWorker } from './lib/runner.mjs';

const NAME = 'sweep';

const OPTIONS = {
  root: { type: 'string' },
  'files-from': { type: 'string' },
  offset: { type: 'string' },
  limit: { type: 'string' },
  sample: { type: 'string' },
  'max-bytes': { type: 'string' },
  'hang-ms': { type: 'string' },
  out: { type: 'string' },
  'no-reduce': { type: 'boolean' },
  'write-docs': { type: 'boolean' },
  json: { type: 'string' },
  strict: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const HELP = `Usage: node bench/sweep.mjs [options]    (npm run sweep: builds first)

Lints every .js .jsx .mjs .cjs .ts .tsx .mts .cts file under node_modules (sorted by path; symbolic links and
dot-directories are not followed) with every prompt-cache rule on and PROMPT_CACHE_STRICT=1. Fails on any
exception, naming the file; parse errors are counted separately.

Options:
  --root <dir>          walk this directory instead of node_modules
  --files-from <file>   lint the paths listed in <file> (one per line, relative to the current directory)
  --offset <n>          skip the first n files of the list
  --limit <n>           lint at most n files (after --offset)
  --sample <n>          lint n files spread evenly over the list (deterministic; what CI runs)
  --max-bytes <n>       leave out files larger than n bytes (applied before --sample / --offset / --limit)
  --hang-ms <ms>        a file still running after this long is a hang (default 120000)
  --out <dir>           where crashing files and their reductions are written (default: the temp dir)
  --no-reduce           do not reduce crashing files to a minimal reproduction
  --write-docs          rewrite the sweep section of docs/performance.md (full sweep only)
  --json <file>         also write the results as JSON
  --strict              known failures (bench/known-failures.json) fail the run too
  --quiet               no progress lines
  -h, --help            show this help

Exit codes: 0 no crash (known failures aside), 1 a crash or hang, 2 usage or internal error.
`;

/** Every n/k-th file: a deterministic slice that covers the whole list, not just its first packages. */
function spread(files, count) {
  if (count >= files.length) return files;
  return Array.from({ length: count }, (_, i) => files[Math.floor((i * files.length) / count)]);
}

function selectFiles(values) {
  let files;
  if (values['files-from']) {
    if (values.root) throw new UsageError('--files-from and --root exclude each other');
    files = readFileList(path.resolve(values['files-from']), process.cwd());
  } else {
    const root = path.resolve(values.root ?? path.join(repoRoot, 'node_modules'));
    files = walkSourceFiles(root, { skipDirectory: (name) => name.startsWith('.') });
    if (files.length === 0) throw new UsageError(`no JavaScript or TypeScript files under ${root}`);
  }
  const maxBytes = integerOption(values, 'max-bytes', undefined, 1);
  let skipped = 0;
  if (maxBytes !== undefined) {
    const before = files.length;
    files = files.filter((file) => {
      try {
        return statSync(file).size <= maxBytes;
      } catch {
        return true; // reported as unreadable when linted
      }
    });
    skipped = before - files.length;
  }
  const offset = integerOption(values, 'offset', 0);
  const limit = integerOption(values, 'limit', undefined, 1);
  const sample = integerOption(values, 'sample', undefined, 1);
  if (sample !== undefined && (limit !== undefined || values.offset !== undefined)) throw new UsageError('--sample excludes --offset and --limit');
  if (sample !== undefined) files = spread(files, sample);
  else files = files.slice(offset, limit === undefined ? undefined : offset + limit);
  const partial = Boolean(values['files-from'] || values.root || values.offset || values.limit || values.sample || values['max-bytes']);
  return { files, partial, skipped };
}

/** Shrinks a crashing file to the lines that still raise the same exception. */
async function reduceCrash(eslint, file, text, detail) {
  const signature = signatureOf('crash', detail);
  const stillFails = async (candidate) => {
    try {
      await eslint.lintText(candidate, { filePath: file });
      return false;
    } catch (error) {
      return signatureOf('crash', describeError(error)) === signature;
    }
  };
  return reduceLines(text, stillFails);
}

function render({ files, totals, crashes, engineCrashes, hangs, parseErrors, slowest, elapsed, command }) {
  const out = [];
  out.push(`Command: \`${command}\`. Machine: ${machineLine()}.`);
  out.push('');
  out.push(
    markdownTable(
      ['Files', 'Size', 'Time', 'Crashes', 'Hangs', 'Parse errors (not ours)', 'ESLint exceptions without our rules (not ours)', 'Files with findings'],
      [[files.toLocaleString('en-US'), `${(totals.bytes / 2 ** 20).toFixed(1)} MiB`, formatMs(elapsed), String(crashes.length), String(hangs.length), String(parseErrors.length), String(engineCrashes.length), String(totals.withFindings)]],
    ),
  );
  out.push('');
  if (crashes.length || hangs.length) {
    out.push('Failures:');
    out.push('');
    for (const c of crashes) out.push(`- crash in \`${c.file}\`: ${c.message}${c.ruleId ? ` (rule \`${c.ruleId}\`)` : ''}${c.ours ? '' : ' — not in our code'}`);
    for (const h of hangs) out.push(`- ${h.kind} on \`${h.file}\`: ${h.message}`);
    out.push('');
  }
  out.push('Slowest files (whole lint: parse, scope analysis and every rule):');
  out.push('');
  out.push(markdownTable(['File', 'Size', 'Time'], slowest.map((s) => [`\`${s.file}\``, `${(s.bytes / 1024).toFixed(0)} KiB`, formatMs(s.ms)])));
  if (parseErrors.length) {
    out.push('');
    const byExt = {};
    for (const p of parseErrors) byExt[path.extname(p.file)] = (byExt[path.extname(p.file)] ?? 0) + 1;
    out.push(`Parse errors by extension: ${Object.entries(byExt).map(([ext, n]) => `${ext} ${n}`).join(', ')}.`);
  }
  return out.join('\n');
}

async function main() {
  const argv = process.argv.slice(2);
  const values = parseOptions(argv, OPTIONS);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const hangMs = integerOption(values, 'hang-ms', 120_000, 1);
  const { files, partial, skipped } = selectFiles(values);
  if (values['write-docs'] && partial) throw new UsageError('--write-docs needs the full sweep (no --root, --files-from, --offset, --limit, --sample or --max-bytes)');
  const rel = (file) => path.relative(repoRoot, file);
  const log = values.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`);

  process.env.PROMPT_CACHE_STRICT = '1'; // the worker inherits it
  const totals = { ok: 0, bytes: 0, findings: 0, withFindings: 0 };
  const crashes = [];
  const engineCrashes = [];
  const hangs = [];
  const parseErrors = [];
  const slowest = [];
  const start = performance.now();
  let done = 0;
  let lastReport = start;
  const progress = () => {
    const now = performance.now();
    if (now - lastReport < 10_000 && done !== files.length) return;
    lastReport = now;
    log(`[${done}/${files.length}] ${formatMs(now - start)}: ${crashes.length} crashes, ${hangs.length} hangs, ${parseErrors.length} parse errors`);
  };
  log(`sweep: ${files.length} files${skipped ? ` (${skipped} larger than --max-bytes left out)` : ''}, every rule on, PROMPT_CACHE_STRICT=1`);
  await runInWorker({
    task: new URL('./lib/sweep-task.mjs', import.meta.url),
    options: { files },
    count: files.length,
    hangMs,
    onResult(index, result) {
      done++;
      const file = rel(files[index]);
      totals.bytes += result.bytes;
      if (result.kind === 'ok') {
        totals.ok++;
        totals.findings += result.findings;
        if (result.findings) totals.withFindings++;
      } else if (result.kind === 'parse-error') parseErrors.push({ file, message: result.message, line: result.line });
      else if (result.kind === 'crash') {
        crashes.push({ file, ...result });
        log(`CRASH ${file}: ${result.message}${result.ruleId ? ` [${result.ruleId}]` : ''}`);
      } else if (result.kind === 'engine-crash') {
        engineCrashes.push({ file, ...result });
        log(`ENGINE ${file}: ${result.message} (ESLint throws without our rules too)`);
      } else if (result.kind === 'unreadable') parseErrors.push({ file, message: result.message, line: 0 });
      slowest.push({ file, ms: result.ms, bytes: result.bytes });
      slowest.sort((a, b) => b.ms - a.ms);
      if (slowest.length > 10) slowest.length = 10;
      progress();
    },
    onFailure(index, failure) {
      done++;
      const file = rel(files[index]);
      hangs.push({ file, ...failure });
      log(`${failure.kind.toUpperCase()} ${file}: ${failure.message}`);
      progress();
    },
  });
  const elapsed = performance.now() - start;

  // Minimal reproductions, one per distinct exception.
  if (crashes.length && !values['no-reduce']) {
    const outDir = path.resolve(values.out ?? path.join(os.tmpdir(), 'prompt-cache-sweep'));
    mkdirSync(outDir, { recursive: true });
    Error.stackTraceLimit = 50;
    const plugin = await loadPlugin();
    const eslint = createESLint(plugin, 'all');
    const seen = new Set();
    for (const crash of crashes) {
      const signature = signatureOf('crash', crash);
      if (seen.has(signature)) continue;
      seen.add(signature);
      const file = path.join(repoRoot, crash.file);
      const text = readFileSync(file, 'utf8');
      const { text: reduced, tests, complete } = await reduceCrash(eslint, file, text, crash);
      const target = path.join(outDir, `${crashes.indexOf(crash)}-${path.basename(file)}`);
      writeFileSync(target, reduced);
      crash.reduction = { path: target, lines: reduced.split('\n').length, tests, complete };
      log(`reduced ${crash.file} to ${crash.reduction.lines} lines in ${tests} tries${complete ? '' : ' (stopped: time budget)'}: ${target}\n${reduced.split('\n').slice(0, 30).join('\n')}\n---`);
    }
  }

  console.log(
    `sweep: ${files.length} files (${(totals.bytes / 2 ** 20).toFixed(1)} MiB) in ${formatMs(elapsed)}: ${crashes.length} crashes ` +
      `(${crashes.filter((c) => c.ours).length} with our code on the stack), ${hangs.length} hangs, ${parseErrors.length} parse errors and ` +
      `${engineCrashes.length} ESLint/parser exceptions without our rules (not ours), ` +
      `${totals.findings} findings in ${totals.withFindings} files`,
  );
  for (const c of crashes) console.log(`  crash: ${c.file}: ${c.message}${c.ruleId ? ` [${c.ruleId}]` : ''}\n${c.stack.replace(/^/gm, '      ')}`);
  for (const h of hangs) console.log(`  ${h.kind}: ${h.file}: ${h.message}`);
  for (const e of engineCrashes) console.log(`  not ours (throws with our rules off too): ${e.file}: ${e.message}`);
  console.log('  slowest:');
  for (const s of slowest.slice(0, 5)) console.log(`    ${formatMs(s.ms).padStart(8)}  ${s.file} (${(s.bytes / 1024).toFixed(0)} KiB)`);

  if (values.json) {
    writeFileSync(values.json, JSON.stringify({ files: files.length, elapsedMs: elapsed, totals, crashes, engineCrashes, hangs, parseErrors, slowest }, null, 2));
  }
  if (values['write-docs']) {
    replaceMarkedSection('sweep', render({ files: files.length, totals, crashes, engineCrashes, hangs, parseErrors, slowest, elapsed, command: 'npm run sweep -- --write-docs' }));
    console.log('wrote docs/performance.md');
  }
  const known = values.strict ? [] : loadKnownFailures();
  const unknown = [...crashes.filter((c) => !matchKnown(known, 'crash', c.message)), ...hangs.filter((h) => !matchKnown(known, h.kind, h.message))];
  if (unknown.length < crashes.length + hangs.length) console.log(`  ${crashes.length + hangs.length - unknown.length} of them known (bench/known-failures.json)`);
  return unknown.length ? 1 : 0;
}

await run(NAME, main);
