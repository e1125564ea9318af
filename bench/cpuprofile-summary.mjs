#!/usr/bin/env node
// Summarises V8 CPU profiles (node --cpu-prof) of `bench.mjs --profile`: self time grouped by where the code
// lives (our analysis modules, our rules, ESLint's linter / traverser / selector matching / scope analysis, the
// parsers, GC), then the hottest functions of our own code. Answers "which rule or core step dominates, and by how
// much" with numbers rather than a flame graph.
//
//   node bench/cpuprofile-summary.mjs <file.cpuprofile>... [--top N]
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { UsageError, integerOption, parseOptions, run } from './lib/cli.mjs';
import { repoRoot } from './lib/lint.mjs';

const HELP = `Usage: node bench/cpuprofile-summary.mjs <file.cpuprofile>... [--top N]

Self time of CPU profiles grouped by component (our analysis modules and rules, ESLint, parsers, GC), and the top N
functions of our code by self and by inclusive time (default 15).
`;

/** Where our built code lives: `dist/`, and the build `PROMPT_CACHE_PLUGIN` points at (see bench/lib/lint.mjs). */
const OUR_ROOTS = [path.join(repoRoot, 'dist'), ...(process.env.PROMPT_CACHE_PLUGIN ? [path.resolve(process.env.PROMPT_CACHE_PLUGIN)] : [])].map((root) => root + path.sep);

/** Component of a call frame, from its script URL. */
function componentOf(url, functionName) {
  if (!url) return functionName === '(garbage collector)' ? 'GC' : functionName === '(program)' || functionName === '(idle)' ? 'V8/idle' : 'native';
  const file = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const ours = OUR_ROOTS.find((root) => file.startsWith(root));
  if (ours) {
    const rel = file.slice(ours.length);
    return rel.startsWith('rules') ? `ours: rule ${path.basename(rel, '.js')}` : `ours: ${rel.replace(/\.js$/, '')}`;
  }
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(file);
  if (!match) return file.startsWith('node:') ? 'node internals' : 'other';
  const [, pkg, rest] = match;
  if (pkg === 'eslint') {
    if (rest.includes('linter/source-code/') || rest.includes('source-code')) return 'eslint: source-code';
    if (rest.includes('code-path-analysis')) return 'eslint: code-path analysis';
    if (rest.includes('esquery') || rest.includes('node-event-generator') || rest.includes('selector')) return 'eslint: selectors';
    if (rest.includes('linter/')) return 'eslint: linter/traversal';
    if (rest.includes('config')) return 'eslint: config';
    return 'eslint: other';
  }
  if (pkg === 'esquery') return 'eslint: selectors';
  if (pkg === 'typescript' || pkg.startsWith('@typescript-eslint/')) return `parser/ts: ${pkg}`;
  if (pkg === 'espree' || pkg === 'acorn' || pkg === 'acorn-jsx') return 'parser/js: espree';
  if (pkg === 'eslint-scope' || pkg === 'esrecurse' || pkg === 'estraverse') return 'scope analysis';
  return `package: ${pkg}`;
}

/** `name  file:line` of one of our frames, the file relative to the build root. */
function frameKey(callFrame) {
  const file = callFrame.url.startsWith('file://') ? decodeURIComponent(new URL(callFrame.url).pathname) : callFrame.url;
  const root = OUR_ROOTS.find((r) => file.startsWith(r));
  return `${callFrame.functionName || '(anonymous)'}  ${root ? `dist/${file.slice(root.length)}` : file}:${callFrame.lineNumber + 1}`;
}

/**
 * Adds one profile's self time per component and per function of ours, and the inclusive time of our functions
 * (a sample counts once for every distinct function of ours on its stack).
 */
function summarise(profile, components, functions, inclusive) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const self = new Map();
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0)));
  for (const [id, micros] of self) {
    const { callFrame } = byId.get(id);
    const component = componentOf(callFrame.url, callFrame.functionName);
    components.set(component, (components.get(component) ?? 0) + micros);
    if (component.startsWith('ours')) {
      const key = frameKey(callFrame);
      functions.set(key, (functions.get(key) ?? 0) + micros);
    }
    const onStack = new Set();
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at).callFrame;
      if (componentOf(frame.url, frame.functionName).startsWith('ours')) onStack.add(frameKey(frame));
    }
    for (const key of onStack) inclusive.set(key, (inclusive.get(key) ?? 0) + micros);
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const files = argv.filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  const values = parseOptions(argv.filter((a) => !files.includes(a)), { top: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (files.length === 0) throw new UsageError('give at least one .cpuprofile file');
  const top = integerOption(values, 'top', 15, 1);
  const components = new Map();
  const functions = new Map();
  const inclusive = new Map();
  for (const file of files) {
    let profile;
    try {
      profile = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${error.message}`);
    }
    summarise(profile, components, functions, inclusive);
  }
  const total = [...components.values()].reduce((a, b) => a + b, 0);
  const ours = [...components].filter(([k]) => k.startsWith('ours')).reduce((a, [, v]) => a + v, 0);
  const line = (name, micros) => `${(micros / 1000).toFixed(0).padStart(9)} ms  ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${name}`;
  console.log(`self time over ${files.length} profile(s): ${(total / 1000).toFixed(0)} ms; our code ${((ours / total) * 100).toFixed(1)}%\n`);
  for (const [name, micros] of [...components].sort((a, b) => b[1] - a[1])) console.log(line(name, micros));
  console.log(`\ntop ${top} functions of our code (self time):`);
  for (const [name, micros] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(line(name, micros));
  console.log(`\ntop ${top} functions of our code (inclusive time: the function and everything it calls):`);
  for (const [name, micros] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(line(name, micros));
  return 0;
}

await run('cpuprofile-summary', main);
