/** Follows one POP3 AUTH exchange's client responses and finds the user name in the first that carries one. */
import { decodeBase64, saslUser } from '../sasl.js';

export class SaslSession {
  private decided = false;

  constructor(readonly mechanism: string) {}

  /** A client response as sent (base64); returns the user name when this response reveals it. */
  response(line: string): string | null {
    if (this.decided) return null;
    const text = decodeBase64(line);
    if (text === null) {
      this.decided = true;
      return null;
    }
    if (text === '') return null; // an empty response says nothing; wait for the next
    this.decided = true;
    return saslUser(this.mechanism, 0, line);
  }
}
