// Failure handling shared by the crash sweep and the fuzzer: what an exception says about where it came from,
// comparable lint messages, and a line-based delta-debugging reducer for minimal reproductions.
import path from 'node:path';

import { repoRoot } from './lint.mjs';

const OUR_CODE = [path.join(repoRoot, 'dist', 'src') + path.sep, path.join(repoRoot, 'dist', 'rules') + path.sep];

/**
 * `{ message, ruleId, ours, stack }` of an exception thrown by `lintText`. `message` is the first line (ESLint
 * appends "Occurred while linting <file>" and the rule); `ours` is true when a prompt-cache rule was running or
 * our built code is on the stack.
 */
export function describeError(error) {
  const text = error instanceof Error ? error.message : String(error);
  const ruleId = error?.ruleId ?? /\nRule: "([^"]+)"/.exec(text)?.[1] ?? null;
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  const frames = stack
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .map((line) => line.trim());
  const ours = (ruleId?.startsWith('prompt-cache/') ?? false) || frames.some((frame) => OUR_CODE.some((dir) => frame.includes(dir)));
  const name = error instanceof Error ? error.name : 'Error';
  return {
    message: `${name}: ${text.split('\n')[0]}`,
    ruleId,
    ours,
    // The frames that locate the bug: ours first, then the first few others.
    stack: [...frames.filter((f) => OUR_CODE.some((dir) => f.includes(dir))).slice(0, 6), ...frames.slice(0, 3)]
      .map((frame) => frame.replace(repoRoot, ''))
      .join('\n'),
  };
}

/** Same failure: same kind, rule and first message line (with numbers and quoted names kept). */
export function signatureOf(kind, detail) {
  return `${kind} | ${detail?.ruleId ?? '-'} | ${detail?.message ?? ''}`;
}

/** Lint messages reduced to what a user sees, in a form that compares with `===` after JSON.stringify. */
export function normalizeMessages(messages) {
  return messages.map((m) => ({
    ruleId: m.ruleId ?? null,
    messageId: m.messageId ?? null,
    severity: m.severity,
    fatal: m.fatal ?? false,
    line: m.line,
    column: m.column,
    endLine: m.endLine ?? null,
    endColumn: m.endColumn ?? null,
    message: m.message,
    fix: m.fix ?? null,
    suggestions: (m.suggestions ?? []).map((s) => ({ messageId: s.messageId ?? null, desc: s.desc, fix: s.fix })),
  }));
}

/**
 * Delta debugging (ddmin, complement removal) over lines: the smallest text, by lines, for which
 * `stillFails(text)` holds. `stillFails` must reject texts that fail differently (a parse error is not the
 * same crash), so the result reproduces the original failure. Stops after `maxTests` tries or `maxMs`
 * milliseconds (inputs that build huge values make every try slow), returning the smallest text so far.
 */
export async function reduceLines(text, stillFails, { maxTests = 3000, maxMs = 120_000 } = {}) {
  let lines = text.split('\n');
  let granularity = 2;
  let tests = 0;
  const deadline = performance.now() + maxMs;
  const budgetLeft = () => tests < maxTests && performance.now() < deadline;
  while (lines.length >= 2 && budgetLeft()) {
    const chunk = Math.ceil(lines.length / granularity);
    let reduced = false;
    for (let start = 0; start < lines.length && budgetLeft(); start += chunk) {
      const candidate = [...lines.slice(0, start), ...lines.slice(start + chunk)];
      tests++;
      if (await stillFails(candidate.join('\n'))) {
        lines = candidate;
        granularity = Math.max(granularity - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (granularity >= lines.length) break;
      granularity = Math.min(granularity * 2, lines.length);
    }
  }
  return { text: lines.join('\n'), tests, complete: budgetLeft() };
}
