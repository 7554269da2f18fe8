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
  /** Counts the answers posted (and is notified at each). */
  signal: Int32Array;
}

/** The worker's answer to one query. */
export type BlockingAnswer = { rows: unknown[] } | { error: string };

/** The worker as built: under vitest this module is the .ts source, and the worker is taken from dist/ (npm test builds first). */
function workerUrl(): URL {
  const built = import.meta.url.endsWith('.ts') ? '../../dist/src/store/blocking-store-worker.js' : './blocking-store-worker.js';
  return new URL(built, import.meta.url);
}

/** Answers kept for queries sent ahead (send()) and not yet taken: a scan abandoned midway leaves at most these. */
const KEPT_ANSWERS = 8;

export class BlockingStore {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** How many answers the worker has posted (it adds 1 and notifies after each). */
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private failure: string | null = null;
  private sent = 0;
  private taken = 0;
  /** Answers taken off the port but not yet asked for, by ticket. */
  private readonly answers = new Map<number, BlockingAnswer>();

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
    return this.receive<T>(this.send(query));
  }

  /**
   * Sends a query without waiting: its answer is taken with receive(ticket)
   * later, so the store works on it while this thread does something else
   * (a scan's next batch while it reads the current one). Answers come in
   * the order sent.
   */
  send(query: string): number {
    if (this.failure) throw new StoreError(this.failure);
    this.port.postMessage(query);
    return ++this.sent;
  }

  /** Waits for the answer to a query sent; throws StoreError when it failed or was let go (see KEPT_ANSWERS). */
  receive<T>(ticket: number): T[] {
    const deadline = Date.now() + QUERY_TIMEOUT_MS;
    while (!this.answers.has(ticket)) {
      if (ticket <= this.taken) throw new StoreError('an answer sent ahead was let go: ask again');
      const got = receiveMessageOnPort(this.port);
      if (got) {
        this.answers.set(++this.taken, got.message as BlockingAnswer);
        // The oldest answers nobody came for (a scan given up) go first.
        if (this.answers.size > KEPT_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
        continue;
      }
      const posted = Atomics.load(this.signal, 0);
      // Posted but not yet on the port: look again; else sleep until the next one is posted.
      if (posted > this.taken) continue;
      if (Atomics.wait(this.signal, 0, posted, Math.max(1, deadline - Date.now())) === 'timed-out' && Date.now() >= deadline) {
        this.failure = `the store did not answer within ${QUERY_TIMEOUT_MS / 1000} s`;
        throw new StoreError(this.failure);
      }
    }
    const answer = this.answers.get(ticket)!;
    this.answers.delete(ticket);
    if ('error' in answer) throw new StoreError(answer.error);
    return answer.rows as T[];
  }

  close(): void {
    void this.worker.terminate();
  }
}
