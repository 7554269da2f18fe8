/**
 * One direction of a TCP connection: puts segments back in sequence order.
 *
 * Policy, in one place:
 * - Sequence numbers are compared modulo 2^32 (RFC 9293 section 3.4): `rel`
 *   gives the signed distance.
 * - Overlaps: the first copy of a byte wins (as the BSD stacks and Suricata's
 *   default do); a later copy that differs is reported, never spliced in.
 * - Out-of-order segments are copied and held, within `maxBuffered` bytes per
 *   direction; past that bound the hole before them is given up as a gap.
 * - The last HISTORY bytes released are kept in a small ring, so that a
 *   retransmission of bytes already released is compared too (different
 *   content there is how TCP-level evasion and broken middleboxes show).
 *   The ring grows with the stream (from HISTORY_MIN bytes, doubling), so a
 *   scanner's connection that carried a 30-byte banner costs 64 bytes here,
 *   not 16 KiB: a busy MX has tens of thousands of such connections open.
 */
import type { Direction } from './types.js';

/** Signed distance from b to a in sequence space. */
export function rel(a: number, b: number): number {
  return (a - b) | 0;
}

/** Unsigned 32-bit sum. */
export function add(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** Bytes of released stream kept for comparing retransmissions; a power of two. */
export const HISTORY = 16 * 1024;
/** The ring's first size; a power of two. */
const HISTORY_MIN = 64;

interface Held {
  seq: number;
  data: Buffer;
  ts: bigint;
  frame: number;
}

/** Where the half stream reports what it releases. */
export interface HalfStreamSink {
  deliver(dir: Direction, data: Buffer, ts: bigint, frame: number): void;
  gap(dir: Direction, length: number, ts: bigint, frame: number): void;
  /** Some bytes for an already-seen range differed from the first copy. */
  conflict(dir: Direction, seq: number, length: number, frame: number): void;
  /** The out-of-order buffer passed its bound: the hole before it is about to be given up. */
  overflow(dir: Direction, held: number, frame: number): void;
}

export type Arrival = 'new' | 'retransmission' | 'out-of-order' | 'ahead';

export class HalfStream {
  /** Next sequence number expected; -1 until known (SYN or first data). */
  nextSeq = -1;
  /** Sequence number one past the highest byte seen; -1 until known. */
  highEnd = -1;
  /** Sequence number of the FIN, once seen; -1 before. */
  finSeq = -1;
  /** All bytes up to the FIN have been released. */
  finished = false;
  /** Window scale shift from this side's SYN (RFC 7323), -1 when not offered. */
  windowScale = -1;
  private held: Held[] = [];
  private heldBytes = 0;
  /** Ring of recently released bytes: the byte with sequence number s sits at s & (its length - 1). */
  private history: Buffer | null = null;
  /** How many bytes before nextSeq the ring holds (it restarts after a gap). */
  private historyLen = 0;

  constructor(
    readonly dir: Direction,
    private readonly sink: HalfStreamSink,
    private readonly maxBuffered: number,
  ) {}

  get buffered(): number {
    return this.heldBytes;
  }

  /** The SYN fixes the initial sequence number; data starts one past it. */
  syn(seq: number): void {
    if (this.nextSeq === -1) {
      this.nextSeq = add(seq, 1);
      this.highEnd = this.nextSeq;
    }
  }

  fin(seq: number, frame: number, ts: bigint): void {
    if (this.finSeq === -1) this.finSeq = seq;
    this.checkFinished(ts, frame);
  }

  /**
   * Takes a segment's payload. Returns how it arrived, so the connection can
   * count retransmissions and out-of-order segments. Returns 'ahead' when it
   * was held because bytes before it are missing.
   */
  segment(seq: number, payload: Buffer, ts: bigint, frame: number): Arrival {
    if (this.nextSeq === -1) {
      // Picked up mid-stream: the first bytes we see define the start.
      this.nextSeq = seq;
      this.highEnd = seq;
    }
    const len = payload.length;
    const end = add(seq, len);
    const fillsHole = rel(seq, this.highEnd) < 0;
    if (rel(end, this.highEnd) > 0) this.highEnd = end;

    let off = rel(seq, this.nextSeq);
    if (off < 0) this.compareWithHistory(seq, payload, frame);
    if (off + len <= 0) return 'retransmission';
    let arrival: Arrival = fillsHole ? 'out-of-order' : 'new';
    if (off < 0) {
      // Starts inside bytes already released: keep only the new tail.
      payload = payload.subarray(-off);
      seq = this.nextSeq;
      off = 0;
      arrival = 'retransmission';
    }
    if (off === 0) {
      this.release(payload, ts, frame);
      this.drain(ts, frame);
      return arrival;
    }
    const added = this.hold(seq, payload, ts, frame);
    if (added === 0) return 'retransmission';
    if (this.heldBytes > this.maxBuffered) {
      this.sink.overflow(this.dir, this.heldBytes, frame);
      this.skipToHeld(ts, frame);
    }
    return fillsHole ? 'out-of-order' : 'ahead';
  }

  /**
   * The peer acknowledged up to `ack`: bytes before it that we have not seen
   * were sent but never captured. Give them up as a gap.
   */
  acked(ack: number, ts: bigint, frame: number): void {
    if (this.nextSeq === -1 || this.finished) return;
    let limit = ack;
    if (this.finSeq !== -1 && rel(ack, this.finSeq) > 0) limit = this.finSeq; // the FIN takes one sequence number
    const ahead = rel(limit, this.nextSeq);
    // A wildly distant ACK is not evidence of loss (broken middlebox, ACK of another incarnation).
    if (ahead <= 0 || ahead > 0x40000000) return;
    while (rel(limit, this.nextSeq) > 0) {
      const first = this.held[0];
      if (first !== undefined && rel(first.seq, limit) < 0) {
        this.skipToHeld(ts, frame);
      } else {
        this.sink.gap(this.dir, rel(limit, this.nextSeq), ts, frame);
        this.nextSeq = limit;
        this.historyLen = 0;
        if (rel(this.highEnd, limit) < 0) this.highEnd = limit;
        this.drain(ts, frame);
      }
    }
    this.checkFinished(ts, frame);
  }

  /** End of the connection: whatever is held is released after gaps for the holes before it. */
  flush(ts: bigint, frame: number): void {
    while (this.held.length > 0) this.skipToHeld(ts, frame);
    if (this.finSeq !== -1 && this.nextSeq !== -1 && rel(this.finSeq, this.nextSeq) > 0) {
      this.sink.gap(this.dir, rel(this.finSeq, this.nextSeq), ts, frame);
      this.nextSeq = this.finSeq;
    }
    this.history = null; // the connection is over: nothing more to compare
    this.historyLen = 0;
    this.checkFinished(ts, frame);
  }

  private release(data: Buffer, ts: bigint, frame: number): void {
    if (data.length === 0) return;
    this.remember(data);
    this.nextSeq = add(this.nextSeq, data.length);
    this.sink.deliver(this.dir, data, ts, frame);
  }

  /** Copies released bytes into the history ring (at most HISTORY, the newest). */
  private remember(data: Buffer): void {
    const ring = this.ringFor(Math.min(HISTORY, this.historyLen + data.length));
    const size = ring.length;
    const keep = data.length > size ? data.subarray(data.length - size) : data;
    let seq = add(this.nextSeq, data.length - keep.length);
    let from = 0;
    while (from < keep.length) {
      const at = seq & (size - 1);
      const n = Math.min(keep.length - from, size - at);
      keep.copy(ring, at, from, from + n);
      from += n;
      seq = add(seq, n);
    }
    this.historyLen = Math.min(size, this.historyLen + data.length);
  }

  /** The ring, grown (keeping its bytes in place modulo the new size) until it holds `wanted` bytes. */
  private ringFor(wanted: number): Buffer {
    const old = this.history;
    if (old !== null && old.length >= wanted) return old;
    let size = old?.length ?? HISTORY_MIN;
    while (size < wanted) size *= 2;
    const ring = Buffer.allocUnsafe(size);
    if (old !== null && this.historyLen > 0) {
      // The bytes from nextSeq - historyLen to nextSeq move to their places in the bigger ring.
      let seq = add(this.nextSeq, -this.historyLen);
      for (let left = this.historyLen; left > 0;) {
        const from = seq & (old.length - 1);
        const to = seq & (size - 1);
        const n = Math.min(left, old.length - from, size - to);
        old.copy(ring, to, from, from + n);
        left -= n;
        seq = add(seq, n);
      }
    }
    this.history = ring;
    return ring;
  }

  /** Compares the part of a segment that repeats released bytes with what was released. */
  private compareWithHistory(seq: number, payload: Buffer, frame: number): void {
    if (this.history === null || this.historyLen === 0) return;
    const historyStart = add(this.nextSeq, -this.historyLen);
    // The overlap of [seq, seq+len) with [historyStart, nextSeq).
    let skip = rel(historyStart, seq);
    if (skip < 0) skip = 0;
    let end = payload.length;
    const past = rel(add(seq, payload.length), this.nextSeq);
    if (past > 0) end -= past;
    let from = skip;
    let s = add(seq, skip);
    const size = this.history.length;
    while (from < end) {
      const at = s & (size - 1);
      const n = Math.min(end - from, size - at);
      if (payload.compare(this.history, at, at + n, from, from + n) !== 0) {
        this.sink.conflict(this.dir, add(seq, skip), end - skip, frame);
        return;
      }
      from += n;
      s = add(s, n);
    }
  }

  /** Releases held segments that now continue the stream. */
  private drain(ts: bigint, frame: number): void {
    while (this.held.length > 0) {
      const h = this.held[0];
      const off = rel(h.seq, this.nextSeq);
      if (off > 0) break;
      this.held.shift();
      this.heldBytes -= h.data.length;
      if (off + h.data.length > 0) this.release(h.data.subarray(-off), h.ts, h.frame);
    }
    this.checkFinished(ts, frame);
  }

  /** Gives up the hole before the first held segment as a gap, then releases what follows. */
  private skipToHeld(ts: bigint, frame: number): void {
    const first = this.held[0];
    const missing = rel(first.seq, this.nextSeq);
    if (missing > 0) {
      this.sink.gap(this.dir, missing, ts, frame);
      this.nextSeq = first.seq;
      this.historyLen = 0;
    }
    this.drain(ts, frame);
  }

  /**
   * Holds a copy of the parts of an out-of-order segment not already held
   * (first copy wins), comparing overlapped bytes. Returns bytes added.
   */
  private hold(seq: number, payload: Buffer, ts: bigint, frame: number): number {
    let added = 0;
    let start = seq;
    let data = payload;
    let i = 0;
    const pieces: Held[] = [];
    while (data.length > 0 && i < this.held.length) {
      const h = this.held[i];
      const hEnd = add(h.seq, h.data.length);
      if (rel(hEnd, start) <= 0) { i++; continue; }           // h entirely before
      if (rel(h.seq, add(start, data.length)) >= 0) break;     // h entirely after
      const before = rel(h.seq, start);
      if (before > 0) {
        pieces.push({ seq: start, data: Buffer.from(data.subarray(0, before)), ts, frame });
        data = data.subarray(before);
        start = h.seq;
      }
      // Overlap with h from `start`.
      const hOff = rel(start, h.seq);
      const n = Math.min(data.length, h.data.length - hOff);
      if (data.compare(h.data, hOff, hOff + n, 0, n) !== 0) this.sink.conflict(this.dir, start, n, frame);
      data = data.subarray(n);
      start = add(start, n);
      i++;
    }
    if (data.length > 0) pieces.push({ seq: start, data: Buffer.from(data), ts, frame });
    for (const p of pieces) {
      added += p.data.length;
      this.insert(p);
    }
    this.heldBytes += added;
    return added;
  }

  private insert(p: Held): void {
    let lo = 0;
    let hi = this.held.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rel(this.held[mid].seq, p.seq) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.held.splice(lo, 0, p);
  }

  private checkFinished(_ts: bigint, _frame: number): void {
    if (!this.finished && this.finSeq !== -1 && this.nextSeq !== -1 && rel(this.nextSeq, this.finSeq) >= 0 && this.held.length === 0) {
      this.finished = true;
    }
  }
}
