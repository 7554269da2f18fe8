/**
 * One direction of an IMAP connection, framed: lines and literal octets
 * (RFC 9051 2.2, 4.3). The framer only frames; the machine decides when a
 * literal starts (a client's synchronising literal must wait for the
 * server's "+"), so it calls startLiteral() after seeing a line's marker.
 *
 * Gaps are kept where they happened: bytes before a gap are read (to a
 * complete line or to the literal's end) before the gap is applied, so
 * nothing is ever spliced across one, even while the machine holds client
 * bytes back waiting for a reply.
 */
import { ByteQueue } from '../byte-queue.js';
import { parseLiteralMarker, type LiteralMarker } from './literal.js';
import { wireText } from '../../util/wire-text.js';

/** Command and response lines are cut past this (RFC 9051 imposes no limit; 16 KiB is generous). */
export const MAX_LINE = 16 * 1024;

export interface LineEvent {
  kind: 'line';
  /** The line (latin1), without its ending, cut at MAX_LINE. */
  text: string;
  ts: bigint;
  frame: number;
  ending: 'crlf' | 'lf';
  /** Octets of the line dropped beyond MAX_LINE (0 when it fitted). */
  cut: number;
  /** The literal marker ending the line (found even when the line was cut). */
  marker: LiteralMarker | null;
  /** Why a marker-like ending was not taken as a literal (bad size). */
  badMarker: string | null;
  /** The line came after a gap, before the machine said it is back in step. */
  afterGap: boolean;
}

export interface LiteralEvent {
  kind: 'literal';
  data: Buffer;
  ts: bigint;
  frame: number;
  /** Octets of the literal still to come after this piece. */
  left: number;
}

export interface GapEvent {
  kind: 'gap';
  length: number;
  ts: bigint;
  frame: number;
  /** Octets of the current literal the gap swallowed (0 when not in a literal). */
  literalMissing: number;
  /** The literal's octets still to come after the gap. */
  literalLeft: number;
  /** Octets of an incomplete line dropped before the gap. */
  lineDropped: number;
  /** The gap went past the end of what we were reading: lines are unreliable until resynced(). */
  lost: boolean;
}

export type FramerEvent = LineEvent | LiteralEvent | GapEvent;

/** Bytes between two gaps. */
interface Stretch {
  queue: ByteQueue;
  /** Octets missing after this stretch (0: none, the stretch is still open). */
  gap: number;
  gapTs: bigint;
  gapFrame: number;
}

/** A line longer than MAX_LINE being skipped to its end. */
interface LongLine {
  text: string;
  ts: bigint;
  frame: number;
  cut: number;
  /** Last characters seen, to find a literal marker at the real end. */
  tail: string;
}

export class ImapFramer {
  private stretches: Stretch[] = [newStretch()];
  private literalLeft = 0;
  private inLiteral = false;
  private long: LongLine | null = null;
  private afterGap = false;
  /**
   * Set by the machine when the next untagged response would only be
   * counted (its exchange keeps no more): such lines are then counted here,
   * as bytes, without becoming text or events (see countedLine).
   */
  skipUntagged = false;
  private skipped = 0;

  /** Untagged lines skipped since the last call (see skipUntagged). */
  takeSkipped(): number {
    const n = this.skipped;
    this.skipped = 0;
    return n;
  }

  /** Bytes waiting (all stretches). */
  get pending(): number {
    let n = 0;
    for (const s of this.stretches) n += s.queue.length;
    return n;
  }

  get readingLiteral(): boolean {
    return this.inLiteral;
  }

  push(data: Buffer, ts: bigint, frame: number): void {
    let last = this.stretches[this.stretches.length - 1];
    if (last.gap > 0) {
      last = newStretch();
      this.stretches.push(last);
    }
    last.queue.push(data, ts, frame);
  }

  gap(length: number, ts: bigint, frame: number): void {
    if (length <= 0) return;
    const last = this.stretches[this.stretches.length - 1];
    last.gap += length;
    last.gapTs = ts;
    last.gapFrame = frame;
  }

  /** The next `size` octets are a literal. */
  startLiteral(size: number): void {
    if (size <= 0) return;
    this.inLiteral = true;
    this.literalLeft = size;
  }

  /** The machine found a line it trusts after a gap. */
  resynced(): void {
    this.afterGap = false;
  }

  /** Everything waiting, raw, with the gaps between (for the TLS or DEFLATE hand-over); the framer is empty after. */
  drain(): ({ data: Buffer; ts: bigint; frame: number } | { gap: number })[] {
    const out: ({ data: Buffer; ts: bigint; frame: number } | { gap: number })[] = [];
    for (const s of this.stretches) {
      const unit = s.queue.readUpTo(s.queue.length);
      if (unit !== null) out.push(unit);
      if (s.gap > 0) out.push({ gap: s.gap });
    }
    this.stretches = [newStretch()];
    this.inLiteral = false;
    this.literalLeft = 0;
    this.long = null;
    return out;
  }

  next(): FramerEvent | null {
    for (;;) {
      const s = this.stretches[0];
      const ev = this.inLiteral ? this.readLiteral(s.queue) : this.readLine(s.queue);
      if (ev !== null) return ev;
      if (s.gap === 0) return null;
      // Everything before the gap has been read: apply it.
      if (this.stretches.length === 1) this.stretches.push(newStretch());
      this.stretches.shift();
      return this.applyGap(s);
    }
  }

  private readLiteral(q: ByteQueue): LiteralEvent | null {
    const unit = q.readUpTo(this.literalLeft);
    if (unit === null) return null;
    this.literalLeft -= unit.data.length;
    if (this.literalLeft === 0) this.inLiteral = false;
    return { kind: 'literal', data: unit.data, ts: unit.ts, frame: unit.frame, left: this.literalLeft };
  }

  private readLine(q: ByteQueue): LineEvent | null {
    if (this.skipUntagged && this.long === null && !this.afterGap) this.skipCounted(q);
    for (;;) {
      const line = q.readLine(MAX_LINE);
      if (line === null) return null;
      const text = wireText(line.data);
      if (this.long !== null) {
        // The rest of a long line: skip it, remembering its end for a marker.
        const long = this.long;
        if (line.ending === 'none') {
          long.cut += line.data.length;
          long.tail = (long.tail + text).slice(-64);
          continue;
        }
        // A CR cut from its LF by the bound still makes a CRLF.
        const crlf = line.ending === 'crlf' || (line.data.length === 0 && long.tail.endsWith('\r'));
        const tail = (long.tail + text).replace(/\r$/, '');
        long.cut += line.data.length;
        this.long = null;
        return this.lineEvent(long.text, tail, line.ts, line.frame, crlf ? 'crlf' : 'lf', long.cut);
      }
      if (line.ending === 'none') {
        this.long = { text, ts: line.ts, frame: line.frame, cut: 0, tail: text.slice(-64) };
        continue;
      }
      return this.lineEvent(text, text, line.ts, line.frame, line.ending, 0);
    }
  }

  /** Skips the complete lines at the head of the queue's first chunk that countedLine accepts, counting them. */
  private skipCounted(q: ByteQueue): void {
    const unit = q.peekChunk();
    if (unit === null) return;
    const d = unit.data;
    let pos = 0;
    for (;;) {
      const lf = d.indexOf(0x0a, pos);
      if (lf === -1 || lf - pos - 1 > MAX_LINE || !countedLine(d, pos, lf)) break;
      this.skipped++;
      pos = lf + 1;
    }
    if (pos > 0) q.skip(pos);
  }

  private lineEvent(text: string, end: string, ts: bigint, frame: number, ending: 'crlf' | 'lf', cut: number): LineEvent {
    const found = parseLiteralMarker(end);
    let marker: LiteralMarker | null = null;
    let badMarker: string | null = null;
    if (found !== null && 'bad' in found) badMarker = found.bad;
    else if (found !== null) {
      // Marker position is relative to `end`; for a cut line it lies beyond the kept text.
      marker = { ...found.marker, start: cut === 0 ? found.marker.start : text.length };
    }
    return { kind: 'line', text, ts, frame, ending, cut, marker, badMarker, afterGap: this.afterGap };
  }

  private applyGap(s: Stretch): GapEvent {
    const ev: GapEvent = {
      kind: 'gap', length: s.gap, ts: s.gapTs, frame: s.gapFrame,
      literalMissing: 0, literalLeft: 0, lineDropped: 0, lost: false,
    };
    if (this.inLiteral) {
      // Count the missing octets against the literal (Zeek's way): if the
      // gap ends inside it, we still know exactly where we are.
      const missing = Math.min(s.gap, this.literalLeft);
      this.literalLeft -= missing;
      ev.literalMissing = missing;
      ev.literalLeft = this.literalLeft;
      if (this.literalLeft === 0) this.inLiteral = false;
      ev.lost = s.gap > missing;
    } else {
      // A partial line before the gap: its end is gone, drop it.
      ev.lineDropped = s.queue.length + (this.long ? this.long.text.length + this.long.cut : 0);
      s.queue.clear();
      this.long = null;
      ev.lost = true;
    }
    if (ev.lost) this.afterGap = true;
    return ev;
  }
}

/**
 * Whether the line d[start..lf] (lf: its LF) is an untagged response the
 * machine would only count: `*` first, CRLF-ended (a bare LF is an anomaly
 * to report), no literal marker (it would end in `}`), and not BYE (the word
 * after the first space, in any case, followed by a space or the end).
 */
function countedLine(d: Buffer, start: number, lf: number): boolean {
  const end = lf - 1; // the CR
  if (end <= start || d[end] !== 0x0d || d[start] !== 0x2a || d[end - 1] === 0x7d) return false;
  let sp = start + 1;
  while (sp < end && d[sp] !== 0x20) sp++;
  if (sp + 3 >= end) return true; // no space, or fewer than three bytes after it: not BYE
  const bye = (d[sp + 1] | 0x20) === 0x62 && (d[sp + 2] | 0x20) === 0x79 && (d[sp + 3] | 0x20) === 0x65
    && (sp + 4 === end || d[sp + 4] === 0x20);
  return !bye;
}

function newStretch(): Stretch {
  return { queue: new ByteQueue(), gap: 0, gapTs: 0n, gapFrame: 0 };
}
