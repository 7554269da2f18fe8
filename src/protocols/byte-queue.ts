/**
 * One direction's pending bytes, for a protocol machine to pull from: lines
 * (with a length bound), exact byte counts (literals, BDAT chunks) and
 * whatever is there (TLS hand-over). Each unit comes with the time and frame
 * of the segment that completed it, as Wireshark shows a reassembled PDU in
 * its last frame.
 *
 * The machine decides what to read next; the queue only frames. Chunks
 * from the reassembler are views of large read buffers: the queue keeps the
 * view while the machine consumes it, and copies what is left over when the
 * next chunk arrives, so a few waiting bytes never pin a whole read buffer.
 */

export interface Unit {
  data: Buffer;
  /** Time (ns) and frame of the segment that carried the unit's last byte. */
  ts: bigint;
  frame: number;
}

export interface Line extends Unit {
  /** The line without its ending. */
  data: Buffer;
  /** How the line ended: CRLF, a bare LF, or not at all (cut at the bound: more of the same line follows). */
  ending: 'crlf' | 'lf' | 'none';
}

interface Chunk {
  data: Buffer;
  ts: bigint;
  frame: number;
  /** False while data is a view into someone else's buffer. */
  owned: boolean;
}

/** The chunks of an empty queue: shared (a machine has two queues, tens of thousands of machines are alive in a flood). */
const NONE: Chunk[] = Object.freeze([]) as unknown as Chunk[];

export class ByteQueue {
  /** Waiting chunks, oldest first; NONE when empty (a queue that has held one keeps no array). */
  private chunks: Chunk[] = NONE;
  /** Read position inside chunks[0]. */
  private offset = 0;
  private total = 0;

  /** Bytes waiting. */
  get length(): number {
    return this.total;
  }

  push(data: Buffer, ts: bigint, frame: number): void {
    if (data.length === 0) return;
    // Whatever is still waiting outlived its event: copy it out of the read buffer.
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (c.owned) continue;
      const start = i === 0 ? this.offset : 0;
      c.data = Buffer.from(c.data.subarray(start));
      c.owned = true;
      if (i === 0) this.offset = 0;
    }
    const chunk: Chunk = { data, ts, frame, owned: false };
    if (this.chunks === NONE) this.chunks = [chunk];
    else this.chunks.push(chunk);
    this.total += data.length;
  }

  /** Drops everything waiting (after a gap, when the machine resynchronises). */
  clear(): void {
    this.chunks = NONE;
    this.offset = 0;
    this.total = 0;
  }

  /**
   * The next line, if a whole one is here or `max` bytes have come without a
   * line end (then ending is 'none' and the rest of the line follows in later
   * calls). Null while an incomplete line shorter than `max` waits for more.
   */
  readLine(max: number): Line | null {
    if (this.chunks.length === 0) return null;
    // The common case, once per line: the whole line in the first chunk. One view of it, nothing else made.
    const first = this.chunks[0];
    const from = this.offset;
    const lf = first.data.indexOf(0x0a, from);
    if (lf !== -1 && lf - from < max + 2) {
      const crlf = lf > from && first.data[lf - 1] === 0x0d;
      const data = first.data.subarray(from, crlf ? lf - 1 : lf);
      this.total -= lf + 1 - from;
      if (lf + 1 === first.data.length) {
        this.dropFirst();
        this.offset = 0;
      } else {
        this.offset = lf + 1;
      }
      return { data, ts: first.ts, frame: first.frame, ending: crlf ? 'crlf' : 'lf' };
    }
    let scanned = 0;
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      const start = i === 0 ? this.offset : 0;
      const limit = Math.min(c.data.length, start + (max + 2 - scanned));
      const lf = c.data.indexOf(0x0a, start);
      if (lf !== -1 && lf < limit) {
        const lineLen = scanned + (lf - start); // bytes before the LF
        const raw = this.take(lineLen + 1);
        const crlf = lineLen > 0 && raw.data[lineLen - 1] === 0x0d;
        return { data: raw.data.subarray(0, crlf ? lineLen - 1 : lineLen), ts: raw.ts, frame: raw.frame, ending: crlf ? 'crlf' : 'lf' };
      }
      scanned += c.data.length - start;
      if (scanned >= max + 2) break;
    }
    if (scanned >= max + 2 || this.total >= max + 2) {
      // Keep a trailing CR with its LF if it is the last byte we would cut.
      const raw = this.take(max);
      return { data: raw.data, ts: raw.ts, frame: raw.frame, ending: 'none' };
    }
    return null;
  }

  /** Up to `max` bytes of what is waiting (null when nothing is). */
  readUpTo(max: number): Unit | null {
    if (this.total === 0 || max <= 0) return null;
    return this.take(Math.min(max, this.total));
  }

  /** Exactly n bytes, or null while fewer are waiting. */
  readExact(n: number): Unit | null {
    if (this.total < n) return null;
    return this.take(n);
  }

  /**
   * The waiting bytes of the first chunk, as a view, with its time and frame,
   * without taking them (take them with skip). For scanners that work on
   * whole chunks instead of lines.
   */
  peekChunk(): Unit | null {
    if (this.total === 0) return null;
    const c = this.chunks[0];
    return { data: c.data.subarray(this.offset), ts: c.ts, frame: c.frame };
  }

  /** Up to n waiting bytes, across chunks, without taking them (a copy; n is small). */
  peekBytes(n: number): Buffer {
    const out: number[] = [];
    let offset = this.offset;
    for (let i = 0; i < this.chunks.length && out.length < n; i++) {
      const d = this.chunks[i].data;
      for (let j = i === 0 ? offset : 0; j < d.length && out.length < n; j++) out.push(d[j]);
      offset = 0;
    }
    return Buffer.from(out);
  }

  /** Drops the next n waiting bytes (n <= length). */
  skip(n: number): void {
    while (n > 0) {
      const c = this.chunks[0];
      const avail = c.data.length - this.offset;
      if (n < avail) {
        this.offset += n;
        this.total -= n;
        return;
      }
      n -= avail;
      this.total -= avail;
      this.dropFirst();
      this.offset = 0;
    }
  }

  /** Looks at the next byte without taking it (-1 when none). */
  peekByte(): number {
    if (this.total === 0) return -1;
    return this.chunks[0].data[this.offset];
  }

  /** Drops chunks[0] (there is one). */
  private dropFirst(): void {
    if (this.chunks.length === 1) this.chunks = NONE;
    else this.chunks.shift();
  }

  private take(n: number): Unit {
    const first = this.chunks[0];
    if (first.data.length - this.offset >= n) {
      const data = first.data.subarray(this.offset, this.offset + n);
      this.offset += n;
      this.total -= n;
      const unit = { data, ts: first.ts, frame: first.frame };
      if (this.offset === first.data.length) {
        this.dropFirst();
        this.offset = 0;
      }
      return unit;
    }
    const parts: Buffer[] = [];
    let need = n;
    let ts = first.ts;
    let frame = first.frame;
    while (need > 0) {
      const c = this.chunks[0];
      const avail = c.data.length - this.offset;
      const k = Math.min(avail, need);
      parts.push(c.data.subarray(this.offset, this.offset + k));
      ts = c.ts;
      frame = c.frame;
      need -= k;
      if (k === avail) {
        this.dropFirst();
        this.offset = 0;
      } else {
        this.offset += k;
      }
    }
    this.total -= n;
    return { data: Buffer.concat(parts, n), ts, frame };
  }
}
