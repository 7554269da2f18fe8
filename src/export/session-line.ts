/** `mailscope read --format text`: one line per session, made to be read at 80 columns. */
import type { Session } from '../session/model.js';
import { escapeShort, escapeString } from '../util/escape.js';
import { endpointText } from './follow.js';
import { sessionOutcome, sessionUser } from './outcome.js';
import { clockTime } from '../util/display-zone.js';

const PROTO: Record<string, string> = { smtp: 'SMTP', pop3: 'POP3', imap: 'IMAP' };

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(1)} GB`;
}

/**
 *   5 12:30:07 SMTP 127.0.0.1:47108 > 127.0.0.1:587 alice AUTH FAILED 535 5.7.8 [TLS]
 * The outcome comes first after who; marks (TLS, anomalies, exchanges, bytes)
 * follow while they fit in `width`. Outcome and user come from the wire: escaped.
 */
export function formatSessionLine(s: Session, width = 80): string {
  const time = clockTime(s.start);
  const user = sessionUser(s);
  const head = `${String(s.id).padStart(3)} ${time} ${PROTO[s.protocol]} ${endpointText(s.client)} > ${endpointText(s.server)}` +
    (user ? ` ${escapeString(user)}` : '');
  const outcome = escapeShort(sessionOutcome(s).label, Math.max(width - head.length - 1, 9));
  let line = `${head} ${outcome}`;
  // Marks in order of importance; each is added only if the line still fits.
  const marks: string[] = [];
  if (s.tls) marks.push(s.tls.decrypted ? 'TLS decrypted' : 'TLS');
  if (s.anomalies.length) marks.push(`${s.anomalies.length} anomal${s.anomalies.length === 1 ? 'y' : 'ies'}`);
  marks.push(`${s.exchanges.length} ex`, formatBytes(s.bytes.client + s.bytes.server));
  const kept: string[] = [];
  for (const m of marks) {
    if (line.length + ` [${[...kept, m].join(', ')}]`.length > width) break;
    kept.push(m);
  }
  if (kept.length) line += ` [${kept.join(', ')}]`;
  return line;
}

/**
 * Columns of a session line on `out`: the terminal's width (at least 80);
 * in a pipe or a file, lines are never cut (a script or grep wants all of it).
 */
export function sessionLineWidth(out: { isTTY?: boolean; columns?: number }): number {
  if (!out.isTTY) return Number.MAX_SAFE_INTEGER;
  return Math.max(80, out.columns ?? 80);
}
