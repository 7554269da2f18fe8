/**
 * Bounded command / reply lines from one direction's ByteQueue, with the
 * tolerance the conventions ask for: a bare LF ends a line (RFC 5321 2.3.8
 * forbids it, servers accept it, so we note it once per direction), and a
 * line longer than the bound is cut and the rest of it skipped up to its end
 * (RFC 5321 4.5.3.1.4/4.5.3.1.5 allow 512 octets; we allow more, then cut).
 */
import type { ByteQueue } from '../byte-queue.js';
import type { Direction } from '../../tcp/types.js';
import { wireText } from '../../util/wire-text.js';

/** Bound for command and reply lines. */
export const MAX_LINE = 16 * 1024;

export interface TextLine {
  /** The line without its ending, decoded as latin1 (never throws). */
  text: string;
  ts: bigint;
  frame: number;
}

/** What the reader tells its owner about the lines it framed. */
/** What a line reader reports to its owner (one object for both directions: no closures per session). */
export interface LineNotes {
  /** Called for every bare-LF line; the owner records it once per direction. */
  bareLf(dir: Direction, frame: number): void;
  tooLong(dir: Direction, frame: number, kept: number): void;
}

export class LineReader {
  /** Inside the rest of a cut (too long) line or of a line broken by a gap: skip to its end. */
  private skipping = false;

  constructor(
    private readonly queue: ByteQueue,
    private readonly dir: Direction,
    private readonly notes: LineNotes,
    private readonly max = MAX_LINE,
  ) {}

  /** Skips whatever remains of the current line (after a gap: its head is lost). */
  skipRestOfLine(): void {
    this.skipping = true;
  }

  /** The next whole line, or null while none is complete. */
  next(): TextLine | null {
    for (;;) {
      const line = this.queue.readLine(this.max);
      if (line === null) return null;
      if (line.ending === 'lf') this.notes.bareLf(this.dir, line.frame);
      if (this.skipping) {
        if (line.ending !== 'none') this.skipping = false;
        continue;
      }
      if (line.ending === 'none') {
        this.skipping = true;
        this.notes.tooLong(this.dir, line.frame, line.data.length);
      }
      return { text: wireText(line.data), ts: line.ts, frame: line.frame };
    }
  }
}
