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

/**
 * The owner of a direction's lines (one object for both directions, and no
 * reader object of their own: no closures or objects per session), told
 * about the lines framed, and keeping the one bit of state per direction.
 */
export interface LineNotes {
  /** Called for every bare-LF line; the owner records it once per direction. */
  bareLf(dir: Direction, frame: number): void;
  tooLong(dir: Direction, frame: number, kept: number): void;
  /** Bit `1 << dir`: inside the rest of a cut (too long) line of that direction: skip to its end. */
  lineSkip: number;
}

/** The next whole line of a direction's queue, or null while none is complete. */
export function nextLine(queue: ByteQueue, dir: Direction, owner: LineNotes, max = MAX_LINE): TextLine | null {
  const skipBit = 1 << dir;
  for (;;) {
    const line = queue.readLine(max);
    if (line === null) return null;
    if (line.ending === 'lf') owner.bareLf(dir, line.frame);
    if (owner.lineSkip & skipBit) {
      if (line.ending !== 'none') owner.lineSkip &= ~skipBit;
      continue;
    }
    if (line.ending === 'none') {
      owner.lineSkip |= skipBit;
      owner.tooLong(dir, line.frame, line.data.length);
    }
    return { text: wireText(line.data), ts: line.ts, frame: line.frame };
  }
}
