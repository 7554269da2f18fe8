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
 * - The last HISTORY bytes released are kept, so that a retransmission of
 *   bytes already released is compared too (different content there is how
 *   TCP-level evasion and broken middleboxes show).
 *
 * Memory: a busy MX has tens of thousands of connections open at once, most
 * of them a scanner's that carried a 30-byte banner, so a half stream costs
 * little until it is used. Sequence numbers are kept as signed 32-bit values
 * (`| 0`), which V8 stores inside the object (unsigned ones past 2^31 would
 * each be a heap number); the store of out-of-order segments is made at the
 * first one; the first SMALL_HISTORY bytes released are kept as a flat latin1
 * string, and only a stream that carries more gets a ring (from RING_MIN
 * bytes, doubling up to HISTORY).
 */
import type { Direction } from './types.js';

/** Signed distance from b to a in sequence space. */
export function rel(a: number, b: number): number {
  return (a - b) | 0;
}

/** 32-bit sum, as a signed 32-bit value (`>>> 0` gives the sequence number as sent). */
export function add(a: number, n: number): number {
  return (a + n) | 0;
}

/** Bytes of released stream kept for comparing retransmissions; a power of two. */
export const HISTORY = 16 * 1024;
/** Released bytes kept as a string before a ring is made. */
const SMALL_HISTORY = 256;
/** The ring's first size; a power of two, more than SMALL_HISTORY. */
const RING_MIN = 512;
/** Where a small history is put together (strings cannot be appended to in place). */
const scratch = Buffer.allocUnsafeSlow(SMALL_HISTORY);

interface Held {
  seq: number;
  data: Buffer;
  ts: bigint;
  frame: number;
}

/** Where the half stream reports what it releases. */
export interface HalfStreamSink {
  /** Out-of-order bytes held per direction before the hole is given up as a gap. */
  readonly maxBuffered: number;
  deliver(dir: Direction, data: Buffer, ts: bigint, frame: number): void;
  gap(dir: Direction, length: number, ts: bigint, frame: number): void;
  /** Some bytes for an already-seen range differed from the first copy (`seq` as sent: unsigned). */
  conflict(dir: Direction, seq: number, length: number, frame: number): void;
  /** The out-of-order buffer passed its bound: the hole before it is about to be given up. */
  overflow(dir: Direction, held: number, frame: number): void;
}

export type Arrival = 'new' | 'retransmission' | 'out-of-order' | 'ahead';

/** `flags` bits; above them, the window scale plus one (0: not offered). */
const STARTED = 1;
const HAS_FIN = 2;
const FINISHED = 4;
const SCALE_SHIFT = 3;

export class HalfStream {
  /** STARTED: the next sequence number is known (SYN or first data); HAS_FIN; FINISHED; the window scale. */
  private flags = 0;
  /** Next sequence number expected (signed 32-bit); meaningful once STARTED. */
  private next = 0;
  /** One past the highest byte seen (signed 32-bit); meaningful once STARTED. */
  private highEnd = 0;
  /** Sequence number of the FIN (signed 32-bit), once HAS_FIN. */
  private finSeq = 0;
  /** Out-of-order segments, in sequence order; null while there are none. */
  private held: Held[] | null = null;
  private heldBytes = 0;
  /**
   * Recently released bytes: a string of the last historyLen bytes before
   * `next`, in order, while they are few; then a ring, where the byte with
   * sequence number s sits at s & (its length - 1).
   */
  private history: Buffer | string | null = null;
  /** How many bytes before `next` the history holds (it restarts after a gap). */
  private historyLen = 0;

  constructor(
    readonly dir: Direction,
    private readonly sink: HalfStreamSink,
  ) {}

  /** Window scale shift from this side's SYN (RFC 7323), -1 when not offered. */
  get windowScale(): number {
    return (this.flags >> SCALE_SHIFT) - 1;
  }

  set windowScale(shift: number) {
    this.flags = (this.flags & ((1 << SCALE_SHIFT) - 1)) | (((shift & 0xff) + 1) << SCALE_SHIFT);
  }

  get buffered(): number {
    return this.heldBytes;
  }

  /** The next sequence number is known (a SYN or data was seen). */
  get started(): boolean {
    return (this.flags & STARTED) !== 0;
  }

  /** Next sequence number expected, as sent (unsigned); -1 until known. */
  get nextSeq(): number {
    return this.flags & STARTED ? this.next >>> 0 : -1;
  }

  /** All bytes up to the FIN have been released. */
  get finished(): boolean {
    return (this.flags & FINISHED) !== 0;
  }

  /** The SYN fixes the initial sequence number; data starts one past it. */
  syn(seq: number): void {
    if (!(this.flags & STARTED)) this.start(add(seq, 1));
  }

  /** A FIN was seen. */
  get hasFin(): boolean {
    return (this.flags & HAS_FIN) !== 0;
  }

  /** Whether the FIN seen was at this sequence number. */
  finAt(seq: number): boolean {
    return this.finSeq === (seq | 0);
  }

  /** An acknowledgement number that covers the FIN seen. */
  finAckedBy(ack: number): boolean {
    return rel(ack | 0, (this.finSeq + 1) | 0) >= 0;
  }

  fin(seq: number, frame: number, ts: bigint): void {
    if (!(this.flags & HAS_FIN)) {
      this.finSeq = seq | 0;
      this.flags |= HAS_FIN;
    }
    this.checkFinished(ts, frame);
  }

  /**
   * Takes a segment's payload. Returns how it arrived, so the connection can
   * count retransmissions and out-of-order segments. Returns 'ahead' when it
   * was held because bytes before it are missing.
   */
  segment(seq: number, payload: Buffer, ts: bigint, frame: number): Arrival {
    seq |= 0;
    // Picked up mid-stream: the first bytes we see define the start.
    if (!(this.flags & STARTED)) this.start(seq);
    const len = payload.length;
    const end = add(seq, len);
    const fillsHole = rel(seq, this.highEnd) < 0;
    if (rel(end, this.highEnd) > 0) this.highEnd = end;

    let off = rel(seq, this.next);
    if (off < 0) this.compareWithHistory(seq, payload, frame);
    if (off + len <= 0) return 'retransmission';
    let arrival: Arrival = fillsHole ? 'out-of-order' : 'new';
    if (off < 0) {
      // Starts inside bytes already released: keep only the new tail.
      payload = payload.subarray(-off);
      seq = this.next;
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
    if (this.heldBytes > this.sink.maxBuffered) {
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
    if ((this.flags & (STARTED | FINISHED)) !== STARTED) return;
    let limit = ack | 0;
    if (this.flags & HAS_FIN && rel(limit, this.finSeq) > 0) limit = this.finSeq; // the FIN takes one sequence number
    const ahead = rel(limit, this.next);
    // A wildly distant ACK is not evidence of loss (broken middlebox, ACK of another incarnation).
    if (ahead <= 0 || ahead > 0x40000000) return;
    while (rel(limit, this.next) > 0) {
      const first = this.held?.[0];
      if (first !== undefined && rel(first.seq, limit) < 0) {
        this.skipToHeld(ts, frame);
      } else {
        this.sink.gap(this.dir, rel(limit, this.next), ts, frame);
        this.next = limit;
        this.historyLen = 0;
        if (rel(this.highEnd, limit) < 0) this.highEnd = limit;
        this.drain(ts, frame);
      }
    }
    this.checkFinished(ts, frame);
  }

  /** End of the connection: whatever is held is released after gaps for the holes before it. */
  flush(ts: bigint, frame: number): void {
    while (this.held !== null) this.skipToHeld(ts, frame);
    if ((this.flags & (STARTED | HAS_FIN)) === (STARTED | HAS_FIN) && rel(this.finSeq, this.next) > 0) {
      this.sink.gap(this.dir, rel(this.finSeq, this.next), ts, frame);
      this.next = this.finSeq;
    }
    this.history = null; // the connection is over: nothing more to compare
    this.historyLen = 0;
    this.checkFinished(ts, frame);
  }

  private start(seq: number): void {
    this.next = seq;
    this.highEnd = seq;
    this.flags |= STARTED;
  }

  private release(data: Buffer, ts: bigint, frame: number): void {
    if (data.length === 0) return;
    this.remember(data);
    this.next = add(this.next, data.length);
    this.sink.deliver(this.dir, data, ts, frame);
  }

  /** Keeps released bytes (at most HISTORY, the newest) for comparing retransmissions with. */
  private remember(data: Buffer): void {
    const old = this.history;
    if (old === null || typeof old === 'string') {
      const total = this.historyLen + data.length;
      if (total <= SMALL_HISTORY) {
        // While historyLen > 0 the string is exactly the last historyLen bytes.
        if (old === null || this.historyLen === 0) {
          this.history = data.toString('latin1');
        } else {
          scratch.write(old, 0, 'latin1');
          data.copy(scratch, this.historyLen);
          this.history = scratch.toString('latin1', 0, total);
        }
        this.historyLen = total;
        return;
      }
    }
    const ring = this.ringFor(Math.min(HISTORY, this.historyLen + data.length));
    const size = ring.length;
    const keep = data.length > size ? data.subarray(data.length - size) : data;
    let seq = add(this.next, data.length - keep.length);
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

  /** The ring, made or grown (keeping its bytes in place modulo the new size) until it holds `wanted` bytes. */
  private ringFor(wanted: number): Buffer {
    const old = this.history;
    if (old instanceof Buffer && old.length >= wanted) return old;
    let size = old instanceof Buffer ? old.length : RING_MIN;
    while (size < wanted) size *= 2;
    const ring = Buffer.allocUnsafe(size);
    if (old !== null && this.historyLen > 0) {
      // The bytes from next - historyLen to next move to their places in the ring.
      let seq = add(this.next, -this.historyLen);
      if (typeof old === 'string') {
        for (let i = 0; i < this.historyLen; i++) ring[add(seq, i) & (size - 1)] = old.charCodeAt(i);
      } else {
        for (let left = this.historyLen; left > 0;) {
          const from = seq & (old.length - 1);
          const to = seq & (size - 1);
          const n = Math.min(left, old.length - from, size - to);
          old.copy(ring, to, from, from + n);
          left -= n;
          seq = add(seq, n);
        }
      }
    }
    this.history = ring;
    return ring;
  }

  /** Compares the part of a segment that repeats released bytes with what was released. */
  private compareWithHistory(seq: number, payload: Buffer, frame: number): void {
    const history = this.history;
    if (history === null || this.historyLen === 0) return;
    const historyStart = add(this.next, -this.historyLen);
    // The overlap of [seq, seq+len) with [historyStart, next).
    let skip = rel(historyStart, seq);
    if (skip < 0) skip = 0;
    let end = payload.length;
    const past = rel(add(seq, payload.length), this.next);
    if (past > 0) end -= past;
    if (typeof history === 'string') {
      // The byte at payload[i] has sequence number seq + i, which is history[seq + i - historyStart].
      const base = rel(seq, historyStart);
      for (let i = skip; i < end; i++) {
        if (payload[i] !== history.charCodeAt(base + i)) {
          this.sink.conflict(this.dir, add(seq, skip) >>> 0, end - skip, frame);
          return;
        }
      }
      return;
    }
    let from = skip;
    let s = add(seq, skip);
    const size = history.length;
    while (from < end) {
      const at = s & (size - 1);
      const n = Math.min(end - from, size - at);
      if (payload.compare(history, at, at + n, from, from + n) !== 0) {
        this.sink.conflict(this.dir, add(seq, skip) >>> 0, end - skip, frame);
        return;
      }
      from += n;
      s = add(s, n);
    }
  }

  /** Releases held segments that now continue the stream. */
  private drain(ts: bigint, frame: number): void {
    const held = this.held;
    while (held !== null && held.length > 0) {
      const h = held[0];
      const off = rel(h.seq, this.next);
      if (off > 0) break;
      held.shift();
      this.heldBytes -= h.data.length;
      // The stream has already passed the start of this held segment (a segment that arrived later but
      // began earlier was released over it): what they both carry must agree, else it is a conflict.
      if (off < 0) this.compareWithHistory(h.seq, h.data.subarray(0, Math.min(-off, h.data.length)), h.frame);
      if (off + h.data.length > 0) this.release(h.data.subarray(-off), h.ts, h.frame);
    }
    if (held !== null && held.length === 0 && this.held === held) this.held = null;
    this.checkFinished(ts, frame);
  }

  /** Gives up the hole before the first held segment as a gap, then releases what follows. */
  private skipToHeld(ts: bigint, frame: number): void {
    const first = this.held![0];
    const missing = rel(first.seq, this.next);
    if (missing > 0) {
      this.sink.gap(this.dir, missing, ts, frame);
      this.next = first.seq;
      this.historyLen = 0;
    }
    this.drain(ts, frame);
  }

  /**
   * Holds a copy of the parts of an out-of-order segment not already held
   * (first copy wins), comparing overlapped bytes. Returns bytes added.
   */
  private hold(seq: number, payload: Buffer, ts: bigint, frame: number): number {
    const held = (this.held ??= []);
    let added = 0;
    let start = seq;
    let data = payload;
    let i = 0;
    const pieces: Held[] = [];
    while (data.length > 0 && i < held.length) {
      const h = held[i];
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
      if (data.compare(h.data, hOff, hOff + n, 0, n) !== 0) this.sink.conflict(this.dir, start >>> 0, n, frame);
      data = data.subarray(n);
      start = add(start, n);
      i++;
    }
    if (data.length > 0) pieces.push({ seq: start, data: Buffer.from(data), ts, frame });
    for (const p of pieces) {
      added += p.data.length;
      this.insert(held, p);
    }
    this.heldBytes += added;
    if (held.length === 0) this.held = null;
    return added;
  }

  private insert(held: Held[], p: Held): void {
    let lo = 0;
    let hi = held.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rel(held[mid].seq, p.seq) < 0) lo = mid + 1;
      else hi = mid;
    }
    held.splice(lo, 0, p);
  }

  private checkFinished(_ts: bigint, _frame: number): void {
    if ((this.flags & (STARTED | HAS_FIN | FINISHED)) === (STARTED | HAS_FIN) && rel(this.next, this.finSeq) >= 0 && this.held === null) {
      this.flags |= FINISHED;
    }
  }
}
