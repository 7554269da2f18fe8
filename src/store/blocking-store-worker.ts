/**
 * The thread behind BlockingStore: connects to the store once, answers each query
 * posted on its port, in order, and wakes the waiting main thread.
 */
import { workerData } from 'node:worker_threads';
import type { BlockingAnswer, BlockingSetup } from './blocking-store.js';
import { ClickHouseStore } from './clickhouse-store.js';

const { options, port, signal } = workerData as BlockingSetup;
// The UI's loader made the tables if they were missing; this thread only reads.
const store = await ClickHouseStore.reader(options);

let queue: Promise<void> = Promise.resolve();
port.on('message', (query: string) => {
  queue = queue.then(async () => {
    let answer: BlockingAnswer;
    try {
      answer = { rows: await store.select<unknown>(query) };
    } catch (err) {
      answer = { error: (err as Error).message };
    }
    port.postMessage(answer);
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
});
