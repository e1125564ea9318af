// Command-line plumbing shared by bench.mjs, sweep.mjs and fuzz.mjs: option parsing, usage errors (one line and a
// hint on stderr, exit 2, no stack trace) and integer options.
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

/** Parses `argv` against `options` (node:util parseArgs format); unknown options and stray arguments are usage errors. */
export function parseOptions(argv, options) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    if (typeof error?.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS_')) {
      const option = /'([^']+)'/.exec(error.message)?.[1];
      if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) throw new UsageError(`unknown option '${option}'`);
      throw new UsageError(error.message.split('\n')[0]);
    }
    throw error;
  }
}

/** `values[name]` as an integer ≥ `min`, or `fallback` when absent. */
export function integerOption(values, name, fallback, min = 0) {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got '${raw}'`);
  return Number(raw);
}

/**
 * Runs `main()` and sets the exit code from its result. A UsageError prints one line and a hint (exit 2); any
 * other error prints its message (stack with DEBUG=1) and exits 2.
 */
export async function run(name, main) {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${name}: ${error.message}\nRun 'node bench/${name}.mjs --help' for usage.\n`);
    } else {
      process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    }
    process.exitCode = 2;
  }
}

export function formatMs(ms) {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
