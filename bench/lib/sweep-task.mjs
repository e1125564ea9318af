// Worker task of the crash sweep: lints one file with every rule on, in strict mode (our guard rethrows), and
// says how it went: `ok`, `parse-error` (the file is not valid for its parser: not our crash), `crash`
// (an exception escaped from lintText), `engine-crash` (ESLint or a parser throws on the file even with our
// rules off: not ours) or `unreadable`.
import { readFileSync } from 'node:fs';

import { describeError } from './failures.mjs';
import { createESLint, loadPlugin, parseErrorOf } from './lint.mjs';

export async function setup({ files }) {
  process.env.PROMPT_CACHE_STRICT = '1';
  const plugin = await loadPlugin();
  const eslint = createESLint(plugin, 'all');
  const baseline = createESLint(plugin, 'off');
  return async (index) => {
    const file = files[index];
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      return { kind: 'unreadable', ms: 0, bytes: 0, message: String(error?.message ?? error) };
    }
    const start = performance.now();
    try {
      const [result] = await eslint.lintText(text, { filePath: file });
      const ms = performance.now() - start;
      const fatal = parseErrorOf(result);
      if (fatal) return { kind: 'parse-error', ms, bytes: text.length, message: fatal.message, line: fatal.line };
      const findings = result.messages.filter((m) => m.ruleId?.startsWith('prompt-cache/')).length;
      return { kind: 'ok', ms, bytes: text.length, findings };
    } catch (error) {
      const ms = performance.now() - start;
      const detail = describeError(error);
      if (!detail.ours) {
        // Not ours only if ESLint throws on this file without our rules too.
        const engine = await baseline.lintText(text, { filePath: file }).then(() => false, () => true);
        if (engine) return { kind: 'engine-crash', ms, bytes: text.length, ...detail };
      }
      return { kind: 'crash', ms, bytes: text.length, ...detail };
    }
  };
}
