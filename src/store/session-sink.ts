/**
 * Sessions into the store in batches, as they finish: for `mailscope index`
 * (a file: the reader waits when inserts fall behind) and for `mailscope
 * capture --clickhouse` (a live interface: nothing may hold the capture
 * back, so past a bound of waiting sessions new ones are dropped, and
 * counted).
 *
 * A failed insert is tried again (1 s, 2 s, 4 s later) before its batch
 * is given up: a store restarting, a network blip, must not lose sessions.
 */
import { hostname } from 'node:os';
import type { Session } from '../session/model.js';
import type { ClickHouseStore } from './clickhouse-store.js';
import { sessionRow, type CaptureRef } from './session-row.js';

export interface SinkOptions {
  /** Sessions per insert. */
  batchSize?: number;
  /** Batches being inserted at once. */
  inFlight?: number;
  /**
   * Live capture: sessions waiting past this are dropped rather than held
   * (the capture must never wait for the store). Undefined: the reader waits.
   */
  dropAbove?: number;
  /** Delays between tries of a failed insert, in ms. */
  retryDelaysMs?: number[];
  /** Live: a batch not full goes out after this many ms, so sessions reach the store soon after they end. */
  flushMs?: number;
  /** A batch failed for good (after its retries): told once per batch. */
  onError?: (message: string, sessions: number) => void;
}

export interface SinkCounters {
  inserted: number;
  /** Sessions not stored: dropped while the store was behind, or in batches that failed for good. */
  dropped: number;
  failedBatches: number;
}

export class SessionSink {
  readonly counters: SinkCounters = { inserted: 0, dropped: 0, failedBatches: 0 };
  private batch: Array<Record<string, unknown>> = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly batchSize: number;
  private readonly inFlight: number;
  private readonly retries: number[];
  constructor(private readonly store: ClickHouseStore, private capture: CaptureRef, private readonly options: SinkOptions = {}) {
    this.batchSize = options.batchSize ?? 1000;
    this.inFlight = options.inFlight ?? 2;
    this.retries = options.retryDelaysMs ?? [1000, 2000, 4000];
    if (options.flushMs !== undefined) {
      this.timer = setInterval(() => this.flush(), options.flushMs);
      this.timer.unref();
    }
  }

  private timer: NodeJS.Timeout | null = null;

  /** Sessions waiting to be inserted (in the batch being filled and in flight). */
  get waiting(): number {
    return this.batch.length + this.pending.size * this.batchSize;
  }

  add(s: Session): void {
    if (this.options.dropAbove !== undefined && this.waiting >= this.options.dropAbove) {
      // The store is behind (down, or slower than the traffic): the capture goes on without it.
      this.counters.dropped++;
      return;
    }
    // A capture's start is its first session's when not known before (a file is read once, a live capture as it comes).
    if (this.capture.start === 0) this.capture = { ...this.capture, start: Date.parse(s.start) / 1000 };
    this.batch.push(sessionRow(s, this.capture, Math.floor(Date.now() / 1000)));
    if (this.batch.length >= this.batchSize) this.flush();
  }

  /** For a reader's backpressure: a promise while too many batches are in flight. */
  backpressure(): Promise<void> | undefined {
    if (this.pending.size < this.inFlight) return undefined;
    return Promise.race(this.pending);
  }

  /** After finish(): the capture's row in `captures`, with the sessions stored (so that index knows it next time). */
  async recordCapture(files: string[]): Promise<void> {
    await this.store.insertCapture({
      capture: this.capture.capture, name: this.capture.name, files, sessions: this.counters.inserted,
      first_start: this.capture.start, sensor: hostname(), indexed_at: Math.floor(Date.now() / 1000),
    });
  }

  /** Sends what is left and waits for every insert. */
  async finish(): Promise<SinkCounters> {
    if (this.timer) clearInterval(this.timer);
    this.flush();
    await Promise.all(this.pending);
    return this.counters;
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const rows = this.batch;
    this.batch = [];
    const p = this.send(rows).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private async send(rows: Array<Record<string, unknown>>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.insertSessions(rows);
        this.counters.inserted += rows.length;
        return;
      } catch (err) {
        if (attempt >= this.retries.length) {
          this.counters.failedBatches++;
          this.counters.dropped += rows.length;
          this.options.onError?.((err as Error).message, rows.length);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.retries[attempt]));
      }
    }
  }
}
