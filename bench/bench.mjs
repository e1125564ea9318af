#!/usr/bin/env node
// `npm run bench`: how much time do our rules add to a lint run? Method of eslint-platform.md §3:
// - one process, the same parser for both runs (@typescript-eslint/parser for TypeScript, espree for JavaScript);
// - baseline A: our plugin registered with every rule off; treatment B: `configs.all`;
// - each file linted back to back with A and B, K times, alternating which goes first; the minimum per file
//   and configuration is kept, and the minima are summed;
// - one warm-up round, then ≥ 3 rounds; median ratio B/A, min..max, added milliseconds.
// Then a scaling check on a generated prompt module at 1×, 10× and 100× (bench/prompt-module.mjs) and the
// module-graph check (bench/module-graph.mjs: each imported module parsed at most once per run). Results are
// written to the `bench` section of docs/performance.md.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { UsageError, formatMs, integerOption, median, parseOptions, run } from './lib/cli.mjs';
import { CORPUS_PACKAGES, loadCorpus } from './lib/corpus.mjs';
import { machineLine, markdownTable, replaceMarkedSection } from './lib/docs.mjs';
import { createESLint, loadPlugin, parseErrorOf, repoRoot } from './lib/lint.mjs';
import { generatePromptModule } from './prompt-module.mjs';

const NAME = 'bench';
const TARGET = 0.02; // our rules may add at most 2%
const SCALING_LIMIT = 1.1; // a size step may cost at most 1.1 × the linear prediction
const SCALING_SIZES = [
  { scale: 1, repeats: 200 },
  { scale: 10, repeats: 60 },
  { scale: 100, repeats: 10 },
];
const SCALING_ROUNDS = 3; // the median round's cost counts at each size

const OPTIONS = {
  rounds: { type: 'string' },
  repeats: { type: 'string' },
  'max-files': { type: 'string' },
  'scaling-only': { type: 'boolean' },
  'corpus-only': { type: 'boolean' },
  'skip-module-graph': { type: 'boolean' },
  profile: { type: 'boolean' },
  'profile-rules': { type: 'string' },
  'no-write': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const HELP = `Usage: node bench/bench.mjs [options]    (npm run bench: builds first)

Measures the time our rules add to a lint run over real npm package sources (${CORPUS_PACKAGES.join(', ')}),
checks that the cost grows linearly with the size of a prompt module, and that a cross-module import graph
parses each module at most once per run.

Options:
  --rounds <n>       measured rounds after the warm-up round (default 3, at least 3 for the docs)
  --repeats <k>      lints per file and configuration in a round; the minimum counts (default 3)
  --max-files <n>    only the first n corpus files (a quick trial; docs are not written)
  --corpus-only      skip the scaling check
  --scaling-only     skip the corpus benchmark (and the module graph)
  --skip-module-graph  skip the module-graph check (bench/module-graph.mjs)
  --profile          lint the corpus with configs.all, --repeats times, and report nothing else; run it
                     under TIMING=all (rule ranking) or node --cpu-prof (then bench/cpuprofile-summary.mjs)
  --profile-rules <off|all>  the rules of a --profile run (default all; off profiles the baseline)
  --no-write         do not rewrite docs/performance.md
  -h, --help         show this help

Exit codes: 0 done, 1 the scaling or module-graph check failed, 2 usage or internal error.
`;

/** Milliseconds one `lintText` takes, and its result. */
async function timedLint(eslint, text, filePath) {
  const start = process.hrtime.bigint();
  const [result] = await eslint.lintText(text, { filePath });
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/**
 * One round over the corpus: per file, `repeats` back-to-back pairs in alternating order, minimum per
 * configuration. Returns the per-file minima and their sums.
 */
async function corpusRound(A, B, files, repeats, onFile = () => {}) {
  const minA = new Float64Array(files.length);
  const minB = new Float64Array(files.length);
  for (let i = 0; i < files.length; i++) {
    const { file, text } = files[i];
    let a = Infinity;
    let b = Infinity;
    for (let k = 0; k < repeats; k++) {
      if ((i + k) % 2 === 0) {
        const ra = await timedLint(A, text, file);
        const rb = await timedLint(B, text, file);
        a = Math.min(a, ra.ms);
        b = Math.min(b, rb.ms);
        onFile(i, ra.result, rb.result);
      } else {
        const rb = await timedLint(B, text, file);
        const ra = await timedLint(A, text, file);
        a = Math.min(a, ra.ms);
        b = Math.min(b, rb.ms);
        onFile(i, ra.result, rb.result);
      }
    }
    minA[i] = a;
    minB[i] = b;
  }
  const sum = (values) => values.reduce((total, value) => total + value, 0);
  return { minA, minB, sumA: sum(minA), sumB: sum(minB) };
}

async function benchCorpus(plugin, { rounds, repeats, maxFiles }) {
  const corpus = loadCorpus();
  const files = maxFiles === undefined ? corpus.files : corpus.files.slice(0, maxFiles);
  const lines = files.reduce((sum, f) => sum + f.lines, 0);
  console.log(`corpus: ${files.length} files, ${lines.toLocaleString('en-US')} lines (${files.filter((f) => f.language === 'ts').length} TypeScript)`);
  for (const p of corpus.packages) console.log(`  ${p.name}@${p.version}: ${p.files} files, ${p.lines.toLocaleString('en-US')} lines`);

  const A = createESLint(plugin, 'off');
  const B = createESLint(plugin, 'all');

  // Warm-up (K = 1): JIT, module loading, config caches. Also checks that both runs parse the same files and
  // that the treatment really runs our rules.
  let parseErrors = 0;
  let findings = 0;
  let oursInBaseline = 0;
  const warmStart = performance.now();
  await corpusRound(A, B, files, 1, (i, a, b) => {
    if (parseErrorOf(a) || parseErrorOf(b)) parseErrors++;
    findings += b.messages.filter((m) => m.ruleId?.startsWith('prompt-cache/')).length;
    oursInBaseline += a.messages.filter((m) => m.ruleId?.startsWith('prompt-cache/')).length;
  });
  if (oursInBaseline > 0) throw new Error(`the baseline reported ${oursInBaseline} prompt-cache findings: our rules are not off`);
  // The corpus has (almost) no findings, so check the configurations themselves: every rule on in B, off in A.
  const severity = (entry) => (Array.isArray(entry) ? entry[0] : entry);
  for (const [eslint, expected] of [[A, 0], [B, 2]]) {
    const { rules } = await eslint.calculateConfigForFile(files[0].file);
    const ours = Object.entries(rules).filter(([id]) => id.startsWith('prompt-cache/'));
    if (ours.length !== Object.keys(plugin.rules).length || ours.some(([, entry]) => severity(entry) !== expected)) {
      throw new Error(`expected every prompt-cache rule at severity ${expected} in the ${expected ? 'treatment' : 'baseline'}`);
    }
  }
  console.log(`warm-up: ${formatMs(performance.now() - warmStart)}; parse errors: ${parseErrors}; our findings in the corpus: ${findings}`);

  const results = [];
  for (let r = 1; r <= rounds; r++) {
    const start = performance.now();
    const round = await corpusRound(A, B, files, repeats);
    const ratio = round.sumB / round.sumA;
    results.push({ ...round, ratio, added: round.sumB - round.sumA });
    console.log(
      `round ${r}/${rounds}: baseline ${formatMs(round.sumA)}, with our rules ${formatMs(round.sumB)}, ratio ${ratio.toFixed(4)}, ` +
        `added ${formatMs(round.sumB - round.sumA)} (${formatMs(performance.now() - start)} wall)`,
    );
  }

  const ratios = results.map((r) => r.ratio);
  const packages = corpus.packages.map((p) => {
    let a = 0;
    let b = 0;
    for (const round of results) {
      files.forEach((f, i) => {
        if (f.pkg !== p.name) return;
        a += round.minA[i];
        b += round.minB[i];
      });
    }
    return { ...p, ratio: a > 0 ? b / a : NaN };
  });
  // The files our rules cost most on (median round), for a first look when the target is missed.
  const medianRound = [...results].sort((x, y) => x.ratio - y.ratio)[results.length >> 1];
  const slowest = files
    .map((f, i) => ({ rel: f.rel, lines: f.lines, added: medianRound.minB[i] - medianRound.minA[i], base: medianRound.minA[i] }))
    .sort((x, y) => y.added - x.added)
    .slice(0, 5);
  return {
    files: files.length,
    lines,
    tsFiles: files.filter((f) => f.language === 'ts').length,
    parseErrors,
    findings,
    packages,
    rounds: results,
    ratio: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    added: median(results.map((r) => r.added)),
    baseline: median(results.map((r) => r.sumA)),
    slowest,
    partial: maxFiles !== undefined,
  };
}

/**
 * Our rules' cost on the generated prompt module at each size: min of repeats with, minus min without, in each
 * of SCALING_ROUNDS rounds over all sizes; the median round counts (one size measured while the machine was
 * busy would otherwise make its step, or the next one, look non-linear).
 * Each step must cost at most SCALING_LIMIT × the linear prediction from the step before.
 */
async function benchScaling(plugin) {
  const A = createESLint(plugin, 'off');
  const B = createESLint(plugin, 'all');
  const inputs = SCALING_SIZES.map(({ scale, repeats }) => ({
    scale,
    repeats,
    text: generatePromptModule(scale),
    // A virtual path inside the repository: the TypeScript parser, no file written.
    filePath: path.join(repoRoot, 'bench', `prompt-module-${scale}x.ts`),
    rounds: [],
    findings: 0,
  }));
  for (const { text, filePath } of inputs) {
    for (let w = 0; w < 3; w++) {
      await timedLint(A, text, filePath);
      await timedLint(B, text, filePath);
    }
  }
  for (let round = 0; round < SCALING_ROUNDS; round++) {
    for (const input of inputs) {
      const { scale, repeats, text, filePath } = input;
      let a = Infinity;
      let b = Infinity;
      for (let k = 0; k < repeats; k++) {
        for (const [eslint, isB] of k % 2 === 0 ? [[A, false], [B, true]] : [[B, true], [A, false]]) {
          const { ms, result } = await timedLint(eslint, text, filePath);
          if (parseErrorOf(result)) throw new Error(`the generated ${scale}× module does not parse: ${parseErrorOf(result).message}`);
          if (isB) {
            b = Math.min(b, ms);
            input.findings = result.messages.length;
          } else a = Math.min(a, ms);
        }
      }
      input.rounds.push({ baseline: a, treatment: b, cost: b - a });
    }
  }
  const sizes = inputs.map(({ scale, repeats, text, rounds, findings }) => {
    const { baseline, treatment, cost } = [...rounds].sort((x, y) => x.cost - y.cost)[rounds.length >> 1];
    const lines = text.split('\n').length;
    const costs = rounds.map((r) => formatMs(r.cost)).join(', ');
    console.log(`scaling ${scale}×: ${lines} lines, baseline ${formatMs(baseline)}, with our rules ${formatMs(treatment)}, our cost ${formatMs(cost)} (median of ${costs}; ${findings} findings)`);
    return { scale, repeats, lines, baseline, treatment, cost, costs: rounds.map((r) => r.cost), findings };
  });
  const steps = [];
  for (let i = 1; i < sizes.length; i++) {
    const from = sizes[i - 1];
    const to = sizes[i];
    const prediction = (from.cost * to.scale) / from.scale;
    const ratio = to.cost / prediction;
    steps.push({ from: from.scale, to: to.scale, prediction, cost: to.cost, ratio, ok: ratio <= SCALING_LIMIT });
    console.log(`scaling ${from.scale}× → ${to.scale}×: ${formatMs(to.cost)} against a linear ${formatMs(prediction)}: ${ratio.toFixed(3)} × (limit ${SCALING_LIMIT}) ${ratio <= SCALING_LIMIT ? 'ok' : 'FAILED'}`);
  }
  return { sizes, steps, ok: steps.every((s) => s.ok) };
}

async function profile(plugin, repeats, rules) {
  const corpus = loadCorpus();
  const B = createESLint(plugin, rules);
  const start = performance.now();
  for (let k = 0; k < repeats; k++) {
    for (const { file, text } of corpus.files) await B.lintText(text, { filePath: file });
  }
  console.log(`profile: ${repeats} × ${corpus.files.length} files with our rules ${rules} in ${formatMs(performance.now() - start)}`);
}

const pct = (ratio) => `${ratio >= 1 ? '+' : '−'}${Math.abs((ratio - 1) * 100).toFixed(2)}%`;

function renderDocs({ corpus, scaling, graph, rounds, repeats }) {
  const out = [];
  out.push(`Command: \`npm run bench\` (\`npm run build && node bench/bench.mjs\`, defaults: ${rounds} rounds, K = ${repeats}).`);
  out.push(`Machine: ${machineLine()}.`);
  out.push('');
  if (corpus) {
    const met = corpus.ratio - 1 <= TARGET;
    out.push(`### Corpus: ${corpus.files.toLocaleString('en-US')} files, ${corpus.lines.toLocaleString('en-US')} lines`);
    out.push('');
    out.push(
      `**Our rules add ${pct(corpus.ratio)}** (median ratio ${corpus.ratio.toFixed(4)} over ${corpus.rounds.length} rounds, ` +
        `min..max ${corpus.min.toFixed(4)}..${corpus.max.toFixed(4)}): ${formatMs(corpus.added)} on a baseline of ${formatMs(corpus.baseline)} ` +
        `(sum of per-file minima). Target ≤ +${TARGET * 100}%: **${met ? 'met' : 'missed'}**.`,
    );
    out.push('');
    out.push(
      `${corpus.tsFiles} TypeScript files, ${corpus.files - corpus.tsFiles} JavaScript; ${corpus.parseErrors} parse errors; ` +
        `${corpus.findings} findings of our rules in the corpus (SDK sources, not applications).`,
    );
    out.push('');
    out.push(
      markdownTable(
        ['Package', 'Version', 'Files', 'Lines', 'Ratio (all rounds)'],
        corpus.packages.map((p) => [`\`${p.name}\``, p.version, String(p.files), p.lines.toLocaleString('en-US'), p.ratio.toFixed(4)]),
      ),
    );
    out.push('');
    out.push(
      markdownTable(
        ['Round', 'Baseline', 'With our rules', 'Ratio', 'Added'],
        corpus.rounds.map((r, i) => [String(i + 1), formatMs(r.sumA), formatMs(r.sumB), r.ratio.toFixed(4), formatMs(r.added)]),
      ),
    );
    out.push('');
    out.push('Files with the largest added time (median round):');
    out.push('');
    out.push(
      markdownTable(
        ['File', 'Lines', 'Baseline', 'Added'],
        corpus.slowest.map((s) => [`\`${s.rel.replace(/^node_modules\//, '')}\``, String(s.lines), formatMs(s.base), formatMs(s.added)]),
      ),
    );
    out.push('');
  }
  if (scaling) {
    out.push(`### Scaling: generated prompt module (\`bench/prompt-module.mjs\`)`);
    out.push('');
    out.push(
      markdownTable(
        ['Size', 'Lines', 'Repeats', 'Baseline (min)', 'With our rules (min)', 'Our cost (median round)', 'Our cost (each round)'],
        scaling.sizes.map((s) => [
          `${s.scale}×`,
          s.lines.toLocaleString('en-US'),
          `${SCALING_ROUNDS} × ${s.repeats}`,
          formatMs(s.baseline),
          formatMs(s.treatment),
          formatMs(s.cost),
          s.costs.map(formatMs).join(', '),
        ]),
      ),
    );
    out.push('');
    out.push(
      markdownTable(
        ['Step', 'Linear prediction', 'Measured', 'Ratio', `≤ ${SCALING_LIMIT}`],
        scaling.steps.map((s) => [`${s.from}× → ${s.to}×`, formatMs(s.prediction), formatMs(s.cost), s.ratio.toFixed(3), s.ok ? 'yes' : '**no**']),
      ),
    );
    out.push('');
  }
  if (graph) {
    out.push('### Module graph: each imported module parsed at most once per run');
    out.push('');
    out.push(
      `\`bench/module-graph.mjs\`: ${graph.handlers} handlers importing ${graph.modules} project modules (a chain, a diamond on a shared base, ` +
        `an import cycle, re-exports through an index; ${graph.importEdges} import statements), linted in one ESLint run with every rule on. ` +
        `**${graph.parsedModules} modules parsed, ${graph.parses} parses: at most ${graph.maxParsesPerModule} per module** (counted per file at the parser; ` +
        `the core's own counter says ${graph.coreCount}); a second run in the same process parsed ${graph.secondRun}. ` +
        `The run took ${formatMs(graph.ms)} with our rules, ${formatMs(graph.baselineMs)} without. Check: **${graph.ok ? 'passed' : 'FAILED'}**.`,
    );
  }
  return out.join('\n');
}

/** The module-graph check, in its own process: it must wrap the parser before anything imports it. */
async function benchModuleGraph() {
  let stdout;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, [new URL('./module-graph.mjs', import.meta.url).pathname, '--json'], { maxBuffer: 1 << 20 }));
  } catch (error) {
    // Exit code 1 (the check failed) still prints the figures.
    if (!error?.stdout?.trim()) throw new Error(`bench/module-graph.mjs failed: ${String(error?.stderr || error?.message).trim()}`);
    stdout = error.stdout;
  }
  const graph = JSON.parse(stdout.trim().split('\n').pop());
  console.log(
    `module graph: ${graph.handlers} handlers, ${graph.modules} modules, ${graph.importEdges} imports: ${graph.parses} parses, ` +
      `at most ${graph.maxParsesPerModule} per module: ${graph.ok ? 'ok' : 'FAILED'}`,
  );
  return graph;
}

async function main() {
  const values = parseOptions(process.argv.slice(2), OPTIONS);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const rounds = integerOption(values, 'rounds', 3, 1);
  const repeats = integerOption(values, 'repeats', 3, 1);
  const maxFiles = integerOption(values, 'max-files', undefined, 1);
  if (values['scaling-only'] && values['corpus-only']) throw new UsageError('--scaling-only and --corpus-only exclude each other');
  const plugin = await loadPlugin();

  const profileRules = values['profile-rules'] ?? 'all';
  if (profileRules !== 'all' && profileRules !== 'off') throw new UsageError(`--profile-rules must be 'off' or 'all', got '${profileRules}'`);
  if (values.profile) {
    await profile(plugin, repeats, profileRules);
    return 0;
  }
  const corpus = values['scaling-only'] ? null : await benchCorpus(plugin, { rounds, repeats, maxFiles });
  const scaling = values['corpus-only'] ? null : await benchScaling(plugin);
  const graph = values['scaling-only'] || values['skip-module-graph'] ? null : await benchModuleGraph();

  if (corpus) {
    const met = corpus.ratio - 1 <= TARGET;
    console.log(
      `\nour rules add ${pct(corpus.ratio)} (median ratio ${corpus.ratio.toFixed(4)}, min..max ${corpus.min.toFixed(4)}..${corpus.max.toFixed(4)}), ` +
        `${formatMs(corpus.added)}: target ≤ +${TARGET * 100}% ${met ? 'met' : 'MISSED'}`,
    );
    if (!met) {
      console.log(
        'profile it: TIMING=all node bench/bench.mjs --profile --repeats 1 (rule ranking; rule time excludes selector matching), ' +
          'node --cpu-prof --cpu-prof-dir=.scratch/profile bench/bench.mjs --profile --repeats 1, then node bench/cpuprofile-summary.mjs .scratch/profile/*.cpuprofile',
      );
    }
  }
  const complete = corpus && scaling && graph && !corpus.partial && rounds >= 3;
  if (!values['no-write'] && complete) {
    replaceMarkedSection('bench', renderDocs({ corpus, scaling, graph, rounds, repeats }));
    console.log('wrote docs/performance.md');
  } else if (!values['no-write']) {
    console.log('docs/performance.md not rewritten (partial run: it needs the full corpus, ≥ 3 rounds, the scaling and module-graph checks)');
  }
  return (scaling && !scaling.ok) || (graph && !graph.ok) ? 1 : 0;
}

await run(NAME, main);
