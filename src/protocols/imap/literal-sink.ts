/**
 * One IMAP literal as it is read (RFC 9051 4.3): a message (FETCH BODY[],
 * APPEND) streams into its MessageBody; any other literal is kept only when
 * small, for the transcript. Bytes lost in a gap are counted, so a message
 * cut short is recorded as partial with what arrived.
 */
import type { MessageBody } from '../message-body.js';
import type { SessionRecorder } from '../../session/recorder.js';
import { MAX_KEPT_LITERAL, type LiteralMarker, type LiteralPart } from './literal.js';

export class LiteralSink {
  /** The literal's place in the command or response text. */
  readonly part: LiteralPart;
  private kept: Buffer[] = [];
  /** Octets received so far. */
  private got = 0;

  constructor(marker: LiteralMarker, private body: MessageBody | null) {
    this.part = { size: marker.size, data: null, message: body !== null, missing: 0 };
  }

  write(data: Buffer): void {
    this.got += data.length;
    if (this.body !== null) this.body.write(data);
    else if (this.part.size <= MAX_KEPT_LITERAL) this.kept.push(Buffer.from(data));
  }

  /** Bytes of the literal that a gap took. */
  lost(bytes: number): void {
    this.part.missing += bytes;
  }

  /** Ends it early (a gap, the connection's end, STARTTLS): whatever did not arrive is missing. */
  cut(): void {
    this.part.missing += Math.max(0, this.part.size - this.got - this.part.missing);
  }

  /** Ends it: a message goes to the session (partial when bytes were missing); a small literal keeps its bytes. */
  close(recorder: SessionRecorder, frame: number, why?: string): void {
    if (this.body === null) {
      if (this.part.size <= MAX_KEPT_LITERAL) this.part.data = Buffer.concat(this.kept);
      return;
    }
    const partial = this.part.missing > 0;
    recorder.addMessage(this.body.finish(partial));
    if (partial) {
      recorder.anomaly('message.partial',
        `${this.part.missing} of ${this.part.size} bytes of the message literal missing${why ? ` (${why})` : ''}`, frame, this.body.exchange);
    }
    this.body = null;
  }
}
