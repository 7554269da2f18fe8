/**
 * The cells of one session-list row as drawn (RowTable formats them from its
 * columns), and the colour of a reply or session. Texts from the wire (user,
 * outcome) are escaped once, when the row is stored.
 */
import { isFailure, sessionOutcome, type Outcome } from '../export/outcome.js';
import type { Reply, Session } from '../session/model.js';

/** How a reply or a session ended, for colour: error red (5xx, -ERR, NO, BAD), warn yellow (4xx). */
export type Severity = 'ok' | 'warn' | 'error';

export interface RowCells {
  /** Session number, as `mailscope read` numbers it. */
  id: string;
  /** Start time of day, HH:MM:SS (UTC). */
  time: string;
  /** SMTP, POP3 or IMAP. */
  proto: string;
  /** Client address:port. */
  client: string;
  /** Server address:port. */
  server: string;
  /** User of the last authentication attempt (escaped), or ''. */
  user: string;
  /** What went wrong, or OK (escaped). */
  outcome: string;
  /** Colour of the outcome. */
  severity: Severity;
  /** Number of exchanges. */
  ex: string;
  /** Bytes both ways, human-readable. */
  bytes: string;
  /** "TLS" when the session used TLS, else ''. */
  tls: string;
  /** "!N" with the number of anomalies, else ''. */
  anomalies: string;
  /** Numeric sort keys. */
  exCount: number;
  byteCount: number;
  anomalyCount: number;
}

/** Red or yellow: a 4xx SMTP reply is a temporary failure, everything else that fails is permanent. */
export function replySeverity(reply: Reply | null | undefined): Severity {
  if (!isFailure(reply)) return 'ok';
  return typeof reply!.code === 'number' && reply!.code < 500 ? 'warn' : 'error';
}

/** The severity of the reply sessionOutcome() names (an auth failure's reply, else the decisive failure). */
export function sessionSeverity(s: Session, outcome: Outcome = sessionOutcome(s)): Severity {
  const { exchange, failed } = outcome;
  if (!failed) return 'ok';
  const sev = exchange === null ? 'ok' : replySeverity(s.exchanges[exchange]?.reply);
  return sev === 'ok' ? 'error' : sev;
}
