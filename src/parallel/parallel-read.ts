/**
 * A read that uses every core: the main thread reads the capture, decodes
 * packets and reassembles TCP (one pass, in capture order, as it must); the
 * protocol machines, findings, filter and output formatting run in worker
 * threads, each connection in the worker its id picks, or, while that
 * worker is behind, in the main thread's own decoder (a ShardDecoder too):
 * on two cores one worker and the main thread share the decoding, instead
 * of three threads taking turns on two cores. The main thread
 * numbers the sessions as the session builder would (SessionNumbering),
 * remembers the order connections closed in, and releases the workers'
 * output through the same InOrderRelease as a single-threaded read: the
 * output is byte-identical, whatever the number of workers.
 *
 * Memory stays bounded: the main thread stops reading while more than
 * MAX_IN_FLIGHT batches per worker are unanswered, or while the output is
 * draining.
 */
import { Worker } from 'node:worker_threads';
import { openCapture } from '../capture/open-capture.js';
import { SECRETS_TLS_KEYLOG } from '../capture/pcapng-parser.js';
import { readStreams, type ReadStreamsOptions, type ReadStreamsResult } from '../pipeline/read-streams.js';
import { defaultMachines } from '../protocols/registry.js';
import { parseDecodeAs } from '../session/identify.js';
import { InOrderRelease } from '../session/in-order.js';
import { SessionNumbering } from '../session/numbering.js';
import type { CloseReason, ConnectionInfo, Direction, StreamListener, TcpAnomaly } from '../tcp/types.js';
import { ANOMALY, BatchWriter, CLOSE, DATA, GAP, KEYLOG, NUMBER, OPEN, type EventBatch } from './events.js';
import { ShardDecoder, type WorkerResult, type WorkerSetup } from './shard-decoder.js';

export interface ParallelReadOptions {
  workers: number;
  setup: WorkerSetup;
  /** Each session's output (null: filtered out), in the order a single-threaded read gives them. */
  onOutput: (text: string | null) => void;
  onProgress?: ReadStreamsOptions['onProgress'];
  /** The output's own backpressure (see Output.backpressure). */
  backpressure?: () => Promise<void> | null;
}

/** A batch is sent to its worker when it holds this many bytes (and at the end of every batch of frames). */
const SEND_AT = 1 << 20;
/**
 * Young generation of a worker's heap, in MiB. V8's default lets each thread's
 * grow to 48 MiB, which is most of what a worker adds to the peak: 4 MiB took
 * peak RSS on the 230 MB bench capture from 230 to 205 MiB with one worker and
 * from 284 to 260 MiB with three, and on 300,000 tiny sessions from 288 to
 * 286 and from 414 to 237 MiB, no slower.
 */
const WORKER_YOUNG_MB = 4;
/** Unanswered batches per worker before the main thread waits. */
const MAX_IN_FLIGHT = 4;
/**
 * A connection that opens while its worker has this many batches unanswered
 * (one being worked on, one or more waiting) is decoded by the main thread:
 * the workers are the bottleneck then, and the main thread has time to spare.
 * Which thread decodes a session changes nothing in the output.
 */
const LOCAL_AT = localAt(process.env.MAILSCOPE_LOCAL_AT);

/**
 * MAILSCOPE_LOCAL_AT, a whole number, replaces the default of 3 (the best
 * of 2, 3 and 4 with one worker on two cores, medians of 7 in turn: 1.85 s
 * on the bench capture against 1.94 and 1.93, and 2.10 without the main
 * thread's share); 0 sends no connection to the workers, which the tests use
 * to check the main thread's shard.
 */
function localAt(value: string | undefined): number {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) && n >= 0 ? n : 3;
}

export async function readInParallel(paths: string[], options: ParallelReadOptions): Promise<ReadStreamsResult> {
  const input = await openCapture(paths);
  const pool = new WorkerPool(options.workers, options.setup);
  const inOrder = new InOrderRelease<string | null>(options.onOutput);
  const shards = new ShardListener(pool, new ShardDecoder(options.setup), new SessionNumbering(defaultMachines, parseDecodeAs(options.setup.decodeAs)));
  // A session decoded by a worker or by the main thread is released the same way.
  const release = (id: number, text: string | null) => shards.finished(id, text, inOrder);
  pool.onDone = release;
  shards.onLocalDone = release;
  let secretsSent = 0;
  try {
    const result = await readStreams(input, shards, {
      onProgress: options.onProgress,
      beforeBatch: () => {
        // The capture's TLS secrets reach every worker before the packets after them, as in a single-threaded read.
        for (; secretsSent < input.secrets.length; secretsSent++) {
          const s = input.secrets[secretsSent];
          if (s.type === SECRETS_TLS_KEYLOG) shards.broadcastKeylog(s.data.toString('latin1'));
        }
      },
      backpressure: () => {
        shards.sendAll();
        return pool.wait() ?? options.backpressure?.() ?? null;
      },
    });
    shards.sendAll();
    await pool.idle();
    shards.assertAllReleased();
    inOrder.finish();
    return result;
  } finally {
    await pool.close();
  }
}

/** The reassembler's listener on the main thread: numbers sessions, writes each connection's events for its shard. */
class ShardListener implements StreamListener {
  /** One per worker, then the main thread's own (at index `local`). */
  private readonly writers: BatchWriter[];
  private readonly local: number;
  /** The shard (index of `writers`) of each open connection. */
  private readonly shardOf = new Map<number, number>();
  onLocalDone: (id: number, text: string | null) => void = () => {};
  /** Session id of each open connection that has one. */
  private readonly sessionOf = new Map<number, number>();
  /** Sniffed connections found not to be mail: their bytes are not sent. */
  private readonly notMail = new Set<number>();
  /** Session ids in the order their connections closed, from `head` on not yet released. */
  private closeOrder: number[] = [];
  private head = 0;
  /** Output of sessions that finished before their turn in closeOrder. */
  private readonly outputs = new Map<number, string | null>();

  constructor(private readonly pool: WorkerPool, private readonly decoder: ShardDecoder, private readonly numbering: SessionNumbering) {
    this.writers = [...pool.workers.map(() => new BatchWriter()), new BatchWriter()];
    this.local = pool.workers.length;
  }

  open(conn: ConnectionInfo): void {
    const worker = conn.id % this.local;
    this.shardOf.set(conn.id, this.pool.unanswered(worker) >= LOCAL_AT ? this.local : worker);
    const id = this.numbering.open(conn.id, conn.server.port);
    if (id !== null) this.sessionOf.set(conn.id, id);
    this.writer(conn).ops.push(
      OPEN, conn.id, id ?? -1, conn.client.ip, conn.client.port, conn.server.ip, conn.server.port,
      conn.ipVersion, conn.roleEvidence, conn.firstTs, conn.firstFrame, conn.eth?.client ?? '', conn.eth?.server ?? '',
    );
  }

  data(conn: ConnectionInfo, dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    if (this.notMail.has(conn.id)) return;
    const verdict = this.numbering.data(conn.id, dir, data);
    if (verdict === 'not-mail') {
      this.notMail.add(conn.id);
      return;
    }
    const w = this.writer(conn);
    if (verdict !== null) {
      this.sessionOf.set(conn.id, verdict);
      w.ops.push(NUMBER, conn.id, verdict);
    }
    w.ops.push(DATA, conn.id, dir, ts, frame, w.bytes(data), data.length);
    if (w.size >= SEND_AT) this.send(this.shardOf.get(conn.id)!);
  }

  gap(conn: ConnectionInfo, dir: Direction, length: number, ts: bigint, frame: number): void {
    if (this.notMail.has(conn.id)) return;
    this.writer(conn).ops.push(GAP, conn.id, dir, length, ts, frame);
  }

  anomaly(conn: ConnectionInfo, a: TcpAnomaly): void {
    if (this.notMail.has(conn.id)) return;
    this.writer(conn).ops.push(ANOMALY, conn.id, a.kind, a.detail, a.frame, a.direction ?? -1);
  }

  close(conn: ConnectionInfo, reason: CloseReason): void {
    const t = conn.stats;
    this.writer(conn).ops.push(
      CLOSE, conn.id, reason, conn.lastTs, conn.lastFrame, conn.packets, conn.bytes[0], conn.bytes[1],
      t.retransmissions, t.outOfOrder, t.gaps, t.gapBytes, t.zeroWindows, t.resets, t.fins,
    );
    this.numbering.close(conn.id);
    this.notMail.delete(conn.id);
    this.shardOf.delete(conn.id);
    const id = this.sessionOf.get(conn.id);
    if (id !== undefined) {
      this.sessionOf.delete(conn.id);
      this.closeOrder.push(id);
    }
  }

  broadcastKeylog(text: string): void {
    for (const w of this.writers) w.ops.push(KEYLOG, text);
  }

  /** Sends every batch that has events. */
  sendAll(): void {
    for (let i = 0; i < this.writers.length; i++) if (!this.writers[i].empty) this.send(i);
  }

  /** A worker finished session `id`: release, in close order, every session whose output is in. */
  finished(id: number, text: string | null, inOrder: InOrderRelease<string | null>): void {
    this.outputs.set(id, text);
    while (this.head < this.closeOrder.length) {
      const next = this.closeOrder[this.head];
      if (!this.outputs.has(next)) break;
      inOrder.push(next, this.outputs.get(next)!);
      this.outputs.delete(next);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.closeOrder.length) {
      this.closeOrder = this.closeOrder.slice(this.head);
      this.head = 0;
    }
  }

  assertAllReleased(): void {
    if (this.head !== this.closeOrder.length || this.outputs.size !== 0) {
      throw new Error(`parallel read: ${this.closeOrder.length - this.head} sessions closed but not answered by the workers`);
    }
  }

  private writer(conn: ConnectionInfo): BatchWriter {
    return this.writers[this.shardOf.get(conn.id)!];
  }

  private send(i: number): void {
    const batch = this.writers[i].take();
    if (i === this.local) this.decodeHere(batch);
    else this.pool.post(i, batch, [batch.data]);
  }

  /** The main thread's shard: decoded now, its sessions released as a worker's would be. */
  private decodeHere(batch: EventBatch): void {
    const done = this.decoder.apply(batch);
    for (let k = 0; k < done.length; k += 2) this.onLocalDone(done[k] as number, done[k + 1] as string | null);
  }
}

/** The worker threads, what each has not answered yet, and a way to wait for them. */
class WorkerPool {
  readonly workers: Worker[];
  onDone: (id: number, text: string | null) => void = () => {};
  private readonly inFlight: number[];
  private failure: Error | null = null;
  private wakeUp: (() => void) | null = null;

  constructor(count: number, setup: WorkerSetup) {
    const url = new URL('./decode-worker.js', import.meta.url);
    this.workers = Array.from({ length: count }, () => new Worker(url, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } }));
    this.inFlight = this.workers.map(() => 0);
    this.workers.forEach((w, i) => {
      w.on('message', (r: WorkerResult) => {
        this.inFlight[i]--;
        const done = r.done;
        for (let k = 0; k < done.length; k += 2) this.onDone(done[k] as number, done[k + 1] as string | null);
        this.wake();
      });
      w.on('error', (err) => {
        this.failure ??= err;
        this.wake();
      });
      w.on('exit', (code) => {
        if (code !== 0) this.failure ??= new Error(`parallel read: a worker thread exited with status ${code}`);
        this.wake();
      });
    });
  }

  /** Batches sent to worker i that it has not answered yet. */
  unanswered(i: number): number {
    return this.inFlight[i];
  }

  post(i: number, batch: unknown, transfer: ArrayBuffer[]): void {
    this.check();
    this.inFlight[i]++;
    this.workers[i].postMessage(batch, transfer);
  }

  /** Null while every worker keeps up; else a promise that settles when one of them answers. */
  wait(): Promise<void> | null {
    this.check();
    if (!this.inFlight.some((n) => n > MAX_IN_FLIGHT)) return null;
    return this.next();
  }

  /** Settles once every batch sent has been answered. */
  async idle(): Promise<void> {
    while (this.inFlight.some((n) => n > 0)) {
      this.check();
      await this.next();
    }
    this.check();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeUp = resolve;
    }).then(() => this.check());
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}
