// Worker side of runner.mjs: loads the task, then handles items from..count-1 in order, reporting each.
import { parentPort, workerData } from 'node:worker_threads';

// Deep frames tell whether our code was on the stack when something threw (describeError in failures.mjs).
Error.stackTraceLimit = 50;

const { task, options, from, count } = workerData;
const { setup } = await import(task);
const handle = await setup(options);
for (let index = from; index < count; index++) {
  parentPort.postMessage({ type: 'start', index });
  const result = await handle(index);
  parentPort.postMessage({ type: 'result', index, result });
}
parentPort.postMessage({ type: 'end' });
