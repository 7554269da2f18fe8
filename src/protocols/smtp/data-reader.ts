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

/** Body lines longer than this are read in pieces (no line bound applies to message content here). */
const PIECE = 64 * 1024;

const CRLF = Buffer.from('\r\n');
const LF = Buffer.from('\n');

export interface BodyEnd {
  ts: bigint;
  frame: number;
}

export class DotBodyReader {
  /** Whether the next byte starts a line (only there can a dot be stuffed or end the message). */
  private atLineStart: boolean;

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
      const line = this.queue.readLine(PIECE);
      if (line === null) return null;
      if (line.ending === 'lf') this.onBareLf(line.frame);
      const startsLine = this.atLineStart;
      this.atLineStart = line.ending !== 'none';
      if (startsLine && line.ending !== 'none' && line.data.length === 1 && line.data[0] === 0x2e) {
        return { ts: line.ts, frame: line.frame };
      }
      if (body === null) continue;
      const content = startsLine && line.data.length > 0 && line.data[0] === 0x2e ? line.data.subarray(1) : line.data;
      body.write(content);
      if (line.ending === 'crlf') body.write(CRLF);
      else if (line.ending === 'lf') body.write(LF);
    }
  }
}
