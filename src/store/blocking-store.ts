/**
 * Queries to the store that wait for their answer, for the UI: its list,
 * filters and views work synchronously on its SessionStore, as they do on
 * its scratch file, so that a key never sees a half-made state. A worker
 * thread holds the ClickHouse client and does the HTTP; the main thread posts
 * a query and sleeps on a shared word until the answer is posted back, then
 * takes it with receiveMessageOnPort. The UI asks only for what a screen, a
 * slice of a scan or a filter needs, which over loopback or a LAN takes
 * milliseconds.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { StoreError, type StoreOptions } from './clickhouse-store.js';

/** How long a query may take before the UI gives up on it (a whole capture's ids for a filter over millions). */
const QUERY_TIMEOUT_MS = 120_000;

/** What the worker is given. */
export interface BlockingSetup {
  options: StoreOptions;
  port: MessagePort;
  /** Set to 1 (and notified) when an answer is posted. */
  signal: Int32Array;
}

/** The worker's answer to one query. */
export type BlockingAnswer = { rows: unknown[] } | { error: string };

/** The worker as built: under vitest this module is the .ts source, and the worker is taken from dist/ (npm test builds first). */
function workerUrl(): URL {
  const built = import.meta.url.endsWith('.ts') ? '../../dist/src/store/blocking-store-worker.js' : './blocking-store-worker.js';
  return new URL(built, import.meta.url);
}

export class BlockingStore {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private failure: string | null = null;

  constructor(options: StoreOptions) {
    const channel = new MessageChannel();
    const setup: BlockingSetup = { options, port: channel.port2, signal: this.signal };
    this.worker = new Worker(workerUrl(), { workerData: setup, transferList: [channel.port2] });
    this.worker.on('error', (err) => {
      this.failure = `the store's reader stopped: ${err.message}`;
    });
    // It must not keep the process alive once the UI has quit.
    this.worker.unref();
    this.port = channel.port1;
  }

  /** The rows a query gives (JSONEachRow); throws StoreError with ClickHouse's own words. */
  select<T>(query: string): T[] {
    if (this.failure) throw new StoreError(this.failure);
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage(query);
    if (Atomics.wait(this.signal, 0, 0, QUERY_TIMEOUT_MS) === 'timed-out') {
      this.failure = `the store did not answer within ${QUERY_TIMEOUT_MS / 1000} s`;
      throw new StoreError(this.failure);
    }
    const got = receiveMessageOnPort(this.port);
    if (!got) throw new StoreError('the store\'s reader gave no answer');
    const answer = got.message as BlockingAnswer;
    if ('error' in answer) throw new StoreError(answer.error);
    return answer.rows as T[];
  }

  close(): void {
    void this.worker.terminate();
  }
}
