// Worker task of the fuzzer: generates input `offset + i`, lints it twice in a row with every rule on and
// PROMPT_CACHE_STRICT=1, and reports exceptions, parse errors, time (the faster of the two runs, so that a
// hiccup of the machine is not taken for a slow input) and whether both runs gave the same messages. The
// first run of each input follows a different input, so state leaking from one file into the next shows up as
// a difference.
import path from 'node:path';

import { generateFuzzInput } from '../fuzz-gen.mjs';
import { describeError, normalizeMessages } from './failures.mjs';
import { createESLint, loadPlugin, parseErrorOf, repoRoot } from './lint.mjs';

/** Virtual path of a fuzz input (never written; it selects the parser and the module type). */
export function fuzzInputPath(index, ext) {
  return path.join(repoRoot, 'bench', 'fuzz-inputs', `input-${index}${ext}`);
}

export async function setup({ seed, offset }) {
  process.env.PROMPT_CACHE_STRICT = '1';
  const plugin = await loadPlugin();
  const eslint = createESLint(plugin, 'all');
  const baseline = createESLint(plugin, 'off');

  const lintOnce = async (text, filePath, linter = eslint) => {
    const start = performance.now();
    try {
      const [result] = await linter.lintText(text, { filePath });
      return { ms: performance.now() - start, result };
    } catch (error) {
      return { ms: performance.now() - start, error: describeError(error) };
    }
  };

  return async (i) => {
    const index = offset + i;
    const { text, ext, features } = generateFuzzInput(seed, index);
    const filePath = fuzzInputPath(index, ext);
    const first = await lintOnce(text, filePath);
    const second = await lintOnce(text, filePath);
    const ms = Math.min(first.ms, second.ms);
    const base = { index, ext, bytes: text.length, ms, features };
    if (first.error || second.error) {
      const error = first.error ?? second.error;
      // Not ours only if ESLint throws on this input without our rules too.
      const engine = !error.ours && (await lintOnce(text, filePath, baseline)).error !== undefined;
      return { ...base, kind: engine ? 'engine-crash' : 'crash', ...error, both: Boolean(first.error && second.error) };
    }
    // A parser that runs out of stack on deep nesting may do so on one run and not on the other: not ours.
    const fatal = parseErrorOf(first.result) ?? parseErrorOf(second.result);
    if (fatal) return { ...base, kind: 'parse-error', message: fatal.message, line: fatal.line };
    const a = JSON.stringify(normalizeMessages(first.result.messages));
    const b = JSON.stringify(normalizeMessages(second.result.messages));
    const rules = {};
    for (const m of first.result.messages) if (m.ruleId) rules[m.ruleId] = (rules[m.ruleId] ?? 0) + 1;
    if (a !== b) return { ...base, kind: 'nondeterministic', message: describeDifference(first.result.messages, second.result.messages), rules };
    return { ...base, kind: 'ok', rules };
  };
}

function describeDifference(a, b) {
  const key = (m) => `${m.ruleId}@${m.line}:${m.column} ${m.message}`;
  const onlyA = a.map(key).filter((k) => !b.map(key).includes(k));
  const onlyB = b.map(key).filter((k) => !a.map(key).includes(k));
  if (!onlyA.length && !onlyB.length) return `same messages, different order, fixes or suggestions (${a.length} messages)`;
  return `first run only: ${onlyA.slice(0, 3).join(' | ') || '-'}; second run only: ${onlyB.slice(0, 3).join(' | ') || '-'}`;
}
