/**
 * A worker thread of a parallel read: one ShardDecoder (shard-decoder.ts) for
 * the connections the main thread sends it, answering each batch with the
 * output of the sessions that finished in it.
 */
// The heap growth flag is the process's, not the thread's: with the worker's full collections setting it
// too (from its own live heap), 100,000 half-open connections peaked at 287 MiB instead of 306 (medians of 4).
import '../cli/heap-policy.js';
import { parentPort, workerData } from 'node:worker_threads';
import type { EventBatch } from './events.js';
import { ShardDecoder, type WorkerResult, type WorkerSetup } from './shard-decoder.js';

const port = parentPort!;
const decoder = new ShardDecoder(workerData as WorkerSetup);
port.on('message', (batch: EventBatch) => {
  const result: WorkerResult = { done: decoder.apply(batch) };
  port.postMessage(result);
});
