/**
 * A multi-line reply that carries a message (RETR, TOP): lines up to the lone
 * ".", dot-unstuffed (RFC 1939 section 3), streamed into a MessageBody. The
 * CRLF before the terminating ".CRLF" belongs to the message.
 */
import { MessageBody } from '../message-body.js';
import type { BodyTap } from '../../session/recorder.js';

const CRLF = Buffer.from('\r\n');
const LF = Buffer.from('\n');

export class MessageReader {
  readonly body: MessageBody;
  /** Bytes as they travelled (stuffed, endings included), for the size a server announced. */
  wireBytes = 0;
  private lineStart = true;

  constructor(via: string, exchange: number, keep = 0, tap: BodyTap | null = null) {
    this.body = new MessageBody(via, exchange, keep, tap);
  }

  /** At the start of a line (a "." here would be the terminator or stuffing). */
  get atLineStart(): boolean {
    return this.lineStart;
  }

  /** One line or piece of a line; true when it is the terminating ".". */
  line(data: Buffer, ending: 'crlf' | 'lf' | 'none'): boolean {
    this.wireBytes += data.length + (ending === 'crlf' ? 2 : ending === 'lf' ? 1 : 0);
    if (this.lineStart && ending !== 'none' && data.length === 1 && data[0] === 0x2e) return true;
    this.write(data);
    if (ending === 'crlf') this.body.write(CRLF);
    else if (ending === 'lf') this.body.write(LF);
    this.lineStart = ending !== 'none';
    return false;
  }

  /** Whole lines, endings included, none of them starting with "." (LineFramer.readWholeLines). */
  lines(run: Buffer): void {
    this.wireBytes += run.length;
    this.body.write(run);
  }

  /** Bytes that never got their line end (before a gap, or at the end of the connection). */
  tail(data: Buffer): void {
    this.wireBytes += data.length;
    this.write(data);
    if (data.length > 0) this.lineStart = false;
  }

  private write(data: Buffer): void {
    // A line starting with "." was stuffed by the server: the first "." is not part of the message.
    this.body.write(this.lineStart && data.length > 0 && data[0] === 0x2e ? data.subarray(1) : data);
  }
}
