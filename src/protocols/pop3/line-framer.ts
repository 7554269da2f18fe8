/**
 * One direction's bytes as lines, with gaps kept in their place: bytes that
 * arrive after a gap go to a new ByteQueue, so no line is ever spliced from
 * bytes on both sides of a gap. Reading crosses a gap by handing back a
 * GapMark (with the unterminated bytes before the gap); the first line after
 * it is flagged `resumed`: it may be the tail of a line the gap cut, and the
 * machine keeps it only if it parses (Zeek drops it always; whole lost
 * segments usually end on a line boundary, and the line after is worth having).
 */
import { ByteQueue, type Unit } from '../byte-queue.js';
import { hasBareLf } from '../bare-lf.js';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
/** "\n.": where the next line starting with a dot begins (a body's stuffing, or its end). */
const LF_DOT = Buffer.from('\n.');

export interface FramedLine {
  kind: 'line';
  /** The line without its ending, or a piece of a longer line when ending is 'none'. */
  data: Buffer;
  ending: 'crlf' | 'lf' | 'none';
  ts: bigint;
  frame: number;
  /** The first line after a gap: perhaps only the end of a line. */
  resumed: boolean;
}

export interface GapMark {
  kind: 'gap';
  /** Bytes missing. */
  length: number;
  /** Bytes before the gap that never got their line end (dropped from line parsing). */
  partial: Buffer;
  ts: bigint;
  frame: number;
}

interface Part {
  queue: ByteQueue;
  /** Bytes missing before this part (0 for the first). */
  gapBefore: number;
  gapTs: bigint;
  gapFrame: number;
  /** Discarding up to the next line end (the rest of a line cut at the bound). */
  skipping: boolean;
  /** No line has been read from this part yet (it follows a gap). */
  fresh: boolean;
}

export class LineFramer {
  private parts: Part[] = [newPart(0, 0n, 0)];
  /** The last piece handed out was cut at the bound right after a CR: a lone LF next is its CRLF, not a bare LF. */
  private cutAfterCr = false;
  private bareLfNoted = false;

  /** `onBareLf` is called once, for the first line ended by a bare LF. */
  constructor(private readonly onBareLf: (frame: number) => void) {}

  /** Bytes waiting, gaps not counted. */
  get length(): number {
    let n = 0;
    for (const p of this.parts) n += p.queue.length;
    return n;
  }

  push(data: Buffer, ts: bigint, frame: number): void {
    this.parts[this.parts.length - 1].queue.push(data, ts, frame);
  }

  gap(length: number, ts: bigint, frame: number): void {
    const last = this.parts[this.parts.length - 1];
    if (this.parts.length > 1 && last.queue.length === 0) {
      last.gapBefore += length; // two gaps with nothing between them are one
      return;
    }
    this.parts.push(newPart(length, ts, frame));
  }

  /**
   * The next line (or piece of a line longer than `max`), a GapMark when the
   * reader reaches a gap, or null while more bytes are needed.
   */
  readLine(max: number): FramedLine | GapMark | null {
    for (;;) {
      const part = this.parts[0];
      const line = part.queue.readLine(max);
      if (line !== null) {
        if (part.skipping) {
          part.fresh = false;
          if (line.ending !== 'none') part.skipping = false;
          this.cutAfterCr = false;
          continue;
        }
        const joinsCr = this.cutAfterCr && line.ending === 'lf' && line.data.length === 0;
        this.cutAfterCr = line.ending === 'none' && line.data.length > 0 && line.data[line.data.length - 1] === CR;
        if (line.ending === 'lf' && !joinsCr && !this.bareLfNoted) {
          this.bareLfNoted = true;
          this.onBareLf(line.frame);
        }
        const resumed = part.fresh && part.gapBefore > 0;
        part.fresh = false;
        return { kind: 'line', data: line.data, ending: line.ending, ts: line.ts, frame: line.frame, resumed };
      }
      if (this.parts.length === 1) return null;
      // No line end before the gap: what is left is the start of a line the gap cut.
      const rest = part.queue.readUpTo(part.queue.length);
      this.parts.shift();
      this.cutAfterCr = false;
      const next = this.parts[0];
      const partial = rest !== null && !part.skipping ? Buffer.from(rest.data) : Buffer.alloc(0);
      return { kind: 'gap', length: next.gapBefore, partial, ts: next.gapTs, frame: next.gapFrame };
    }
  }

  /**
   * Whole lines as they travelled, endings included, from the segment the
   * reader is in: up to the first line that starts with "." (a message
   * body's stuffed line or its end, for readLine) or the last whole line of
   * the segment. A body's bulk goes through without a call per line. Null
   * when the next line starts with ".", does not end in this segment, or
   * follows a cut. Call only at the start of a line, and use the bytes before
   * the next call: they are a view of the waiting segment.
   */
  readWholeLines(): Buffer | null {
    const part = this.parts[0];
    if (part.skipping || this.cutAfterCr) return null;
    const chunk = part.queue.peekChunk();
    if (chunk === null || chunk.data[0] === DOT) return null;
    const data = chunk.data;
    const dot = data.indexOf(LF_DOT);
    const end = dot >= 0 ? dot + 1 : data.lastIndexOf(LF) + 1;
    if (end === 0) return null;
    const run = data.subarray(0, end);
    // At a line's start: an LF first is a bare one.
    if (!this.bareLfNoted && hasBareLf(run, LF)) {
      this.bareLfNoted = true;
      this.onBareLf(chunk.frame);
    }
    part.queue.skip(end);
    part.fresh = false;
    return run;
  }

  /** After a line cut at the bound: discard the rest of it, up to its line end. */
  skipRestOfLine(): void {
    this.parts[0].skipping = true;
  }

  /** Everything waiting, with its gaps, in order (for the TLS hand-over); leaves the framer empty. */
  drain(onData: (unit: Unit) => void, onGap: (length: number) => void): void {
    this.parts.forEach((part, i) => {
      if (i > 0) onGap(part.gapBefore);
      for (let unit = part.queue.readUpTo(1 << 16); unit !== null; unit = part.queue.readUpTo(1 << 16)) onData(unit);
    });
    this.parts = [newPart(0, 0n, 0)];
    this.cutAfterCr = false;
  }

  /** The bytes of the part being read (the unterminated tail at the end of a connection); leaves it empty. */
  takeRest(): Buffer {
    const part = this.parts[0];
    const rest = part.queue.readUpTo(part.queue.length);
    return rest === null || part.skipping ? Buffer.alloc(0) : Buffer.from(rest.data);
  }
}

function newPart(gapBefore: number, gapTs: bigint, gapFrame: number): Part {
  return { queue: new ByteQueue(), gapBefore, gapTs, gapFrame, skipping: false, fresh: true };
}
