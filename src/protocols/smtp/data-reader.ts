/**
 * The message after DATA's 354 (RFC 5321 4.1.1.4, 4.5.2): lines up to the
 * one holding a single ".", with the leading dot of every other line that
 * starts with one removed (dot-unstuffing). Reads whole lines from the
 * ByteQueue, so a CRLF.CRLF split across any number of segments is found;
 * bytes are written to the body exactly as sent otherwise (line endings
 * included: the CRLF before the final dot is the end of the last line).
 */
import type { ByteQueue } from '../byte-queue.js';
import type { MessageBody } from '../message-body.js';
import { hasBareLf } from '../bare-lf.js';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
/** "\n." : the only place where dot-stuffing or the end of the message can be. */
const LF_DOT = Buffer.from('\n.');

export interface BodyEnd {
  ts: bigint;
  frame: number;
}

/**
 * Works on whole chunks, not lines: the bytes between one "\n." and the next
 * go to the body in one piece, and only a line that starts with a dot is
 * looked at (it is either stuffed or the end). Message bodies are most of the
 * bytes of a mail capture, so this is the decoder's hot path.
 */
export class DotBodyReader {
  /** Whether the next byte starts a line (only there can a dot be stuffed or end the message). */
  private atLineStart: boolean;
  /** The last byte consumed, to tell CRLF from a bare LF across chunk boundaries. */
  private lastByte = -1;
  /** Bare LF line endings are noted once; after that the body is not searched for them. */
  private bareLfNoted = false;

  /**
   * `atLineStart` is false when reading resumes after a gap: the first
   * bytes are the tail of a line whose head was lost.
   */
  constructor(private readonly queue: ByteQueue, private readonly onBareLf: (frame: number) => void, atLineStart = true) {
    this.atLineStart = atLineStart;
  }

  /**
   * Consumes what is waiting, writing unstuffed bytes to `body` (null to
   * discard them). Returns where the terminating "." line ended, or null
   * while the message goes on.
   */
  read(body: MessageBody | null): BodyEnd | null {
    for (;;) {
      const chunk = this.queue.peekChunk();
      if (chunk === null) return null;
      if (this.atLineStart && chunk.data[0] === DOT) {
        // ".CRLF" (or ".LF") ends the message; any other line starting with "." was stuffed.
        const head = this.queue.peekBytes(3);
        if (head.length >= 2 && head[1] === LF) {
          this.queue.skip(2);
          this.noteBareLf(chunk.frame);
          return { ts: chunk.ts, frame: chunk.frame };
        }
        if (head.length < 3 && (head.length < 2 || head[1] === CR)) return null; // wait: ".", ".\r" may be the end
        if (head[1] === CR && head[2] === LF) {
          this.queue.skip(3);
          return { ts: chunk.ts, frame: chunk.frame };
        }
        this.queue.skip(1); // the stuffed dot is not part of the message
        this.lastByte = DOT;
        this.atLineStart = false;
        continue;
      }
      const data = chunk.data;
      // Up to and including the LF of the next "\n.", or the whole chunk.
      const at = data.indexOf(LF_DOT);
      const piece = at === -1 ? data : data.subarray(0, at + 1);
      if (!this.bareLfNoted && hasBareLf(piece, this.lastByte)) this.noteBareLf(chunk.frame);
      if (body !== null) body.write(piece);
      this.queue.skip(piece.length);
      this.lastByte = piece[piece.length - 1];
      this.atLineStart = this.lastByte === LF;
    }
  }

  private noteBareLf(frame: number): void {
    if (this.bareLfNoted) return;
    this.bareLfNoted = true;
    this.onBareLf(frame);
  }
}
