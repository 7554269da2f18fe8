/**
 * POP3 authentication attempts: USER + PASS is one attempt (RFC 1939
 * section 7; USER names the mailbox, PASS's reply decides), APOP one, and
 * each AUTH with a mechanism one (RFC 5034). AUTH without a mechanism only
 * lists mechanisms and is no attempt.
 */
import type { AuthAttempt } from '../../session/model.js';
import type { SessionRecorder } from '../../session/recorder.js';
import { splitAuth } from './commands.js';

export class Pop3Auth {
  /** The attempt a USER opened, waiting for its PASS. */
  private open: AuthAttempt | null = null;
  /** The last USER name: a PASS retried without a new USER is for it. */
  private lastUser: string | null = null;

  constructor(private readonly recorder: SessionRecorder) {}

  /** The attempt this command starts or continues, if any. */
  command(verb: string, args: string, exchange: number): AuthAttempt | undefined {
    switch (verb) {
      case 'USER': {
        this.lastUser = args.trim() === '' ? null : args.trim();
        this.open = this.recorder.addAuth('USER', this.lastUser, exchange);
        return this.open;
      }
      case 'PASS': {
        const attempt = this.open ?? this.recorder.addAuth('USER', this.lastUser, exchange);
        this.open = null;
        return attempt;
      }
      case 'APOP': {
        const name = args.trim().split(' ')[0];
        this.open = null;
        return this.recorder.addAuth('APOP', name === '' ? null : name, exchange);
      }
      case 'AUTH': {
        const { mechanism } = splitAuth(args);
        if (mechanism === '') return undefined;
        this.open = null;
        return this.recorder.addAuth(mechanism, null, exchange);
      }
      default:
        return undefined;
    }
  }

  /** A final reply to a command that belongs to an attempt. */
  reply(verb: string, attempt: AuthAttempt, indicator: '+OK' | '-ERR'): void {
    if (verb === 'USER') {
      // A refused USER ends the attempt (RFC 1939 section 7: "-ERR never heard of mailbox name").
      if (indicator === '-ERR') attempt.result = 'failure';
      return;
    }
    if (attempt.result === 'aborted') return; // "*" cancelled it; the -ERR that follows says nothing more
    attempt.result = indicator === '+OK' ? 'success' : 'failure';
  }
}
