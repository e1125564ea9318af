// Runs a task over items 0..count-1 in a worker thread, with a watchdog: a lint that never returns (an endless
// loop in a rule) or a worker that dies (out of memory, a native crash) is recorded against the item being
// processed, and a fresh worker continues with the next item. Used by the crash sweep and the fuzzer.
//
// A task module exports `async setup(options)` returning `async (index) => result`; it runs inside the worker.
// The worker reports `start` before each item and `result` after it.
import { Worker } from 'node:worker_threads';

const WORKER = new URL('./worker.mjs', import.meta.url);

/**
 * @param {object} run
 * @param {URL} run.task task module
 * @param {unknown} run.options passed to the task's `setup` (structured-cloneable)
 * @param {number} run.count number of items
 * @param {number} run.hangMs an item still running after this long is a hang
 * @param {(index: number, result: unknown) => void} run.onResult
 * @param {(index: number, failure: { kind: 'hang' | 'died', message: string, ms: number }) => void} run.onFailure
 * @param {number} [run.maxOldGenerationSizeMb] heap limit of the worker
 */
export async function runInWorker({ task, options, count, hangMs, onResult, onFailure, maxOldGenerationSizeMb = 3072 }) {
  let next = 0;
  while (next < count) {
    next = await runWorker({ task, options, from: next, count, hangMs, onResult, onFailure, maxOldGenerationSizeMb });
  }
}

/** One worker from `from` until it finishes (returns `count`) or fails on an item (returns the item after it). */
function runWorker({ task, options, from, count, hangMs, onResult, onFailure, maxOldGenerationSizeMb }) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      workerData: { task: task.href, options, from, count },
      resourceLimits: { maxOldGenerationSizeMb },
    });
    let current = -1;
    let startedAt = 0;
    let timer = null;
    let settled = false;
    const settle = (value, error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value);
    };
    const fail = (kind, message) => {
      if (current < 0) {
        // Died before its first item: the set-up itself is broken; no point in restarting.
        worker.terminate();
        settle(undefined, new Error(`worker failed during set-up: ${message}`));
        return;
      }
      onFailure(current, { kind, message, ms: performance.now() - startedAt });
      const after = current + 1;
      worker.terminate().finally(() => settle(after));
    };
    worker.on('message', (message) => {
      if (message.type === 'start') {
        current = message.index;
        startedAt = performance.now();
        clearTimeout(timer);
        timer = setTimeout(() => fail('hang', `still running after ${hangMs} ms; worker stopped`), hangMs);
      } else if (message.type === 'result') {
        clearTimeout(timer);
        onResult(message.index, message.result);
      } else if (message.type === 'end') {
        settle(count);
      }
    });
    worker.on('error', (error) => fail('died', `${error?.code ? `${error.code}: ` : ''}${error?.message ?? String(error)}`));
    worker.on('exit', (code) => {
      if (!settled) fail('died', `worker exited with code ${code}`);
    });
  });
}
