/**
 * Slow replies. The latency of an exchange is the time from the command to
 * the server's first answer (the interim 334 / 354 / "+" when there is one:
 * after it the client is sending, and a DATA's final reply also waits for
 * the whole message); the greeting's is from the first packet. Replies to
 * failed logins are left out (servers delay them on purpose: Dovecot's
 * auth_failure_delay, Postfix's smtpd_error_sleep_time) and so is IMAP IDLE.
 *
 * Rule: a latency is slow when it is more than 10 times the median of its
 * session (at least 3 latencies) and more than 1 s; at the capture level,
 * more than 10 times the median of the same server (ip:port, at least 5
 * latencies from at least 2 sessions) and more than 1 s.
 */
import type { Session } from '../session/model.js';
import { failedAt, formatDuration, seconds } from './context.js';
import type { Finding } from './model.js';

export const SLOW_FACTOR = 10;
export const SLOW_MIN_SECONDS = 1;

export interface Latency {
  exchange: number;
  /** "RCPT", "the greeting". */
  what: string;
  seconds: number;
}

export function latencies(s: Session): Latency[] {
  const out: Latency[] = [];
  const failedLogin = new Set(s.auth.filter((a) => a.result === 'failure').map((a) => failedAt(s, a.exchange)));
  s.exchanges.forEach((ex, i) => {
    const first = ex.interim?.[0]?.reply ?? ex.reply;
    if (!first) return;
    if (!ex.command) {
      if (i === 0) out.push({ exchange: i, what: 'the greeting', seconds: seconds(s.start, first.ts) });
      return;
    }
    if (ex.command.verb === 'IDLE' || failedLogin.has(i)) return;
    // Interim steps: the first answer after the command. Without them: command to final reply.
    out.push({ exchange: i, what: ex.command.verb, seconds: Math.max(0, seconds(ex.command.ts, first.ts)) });
  });
  return out;
}

export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return 0;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export const isSlow = (sec: number, med: number): boolean => sec > SLOW_MIN_SECONDS && sec > SLOW_FACTOR * med;

/** slow-reply against the session's own median: one finding per slow exchange; low, medium from 10 s. */
export function slowReplies(s: Session, lat: readonly Latency[] = latencies(s)): Finding[] {
  if (lat.length < 3) return [];
  const med = median(lat.map((l) => l.seconds));
  return lat.filter((l) => isSlow(l.seconds, med)).map((l) => slowFinding(s.id, l, 'session', `the session's median ${formatDuration(med)}`));
}

export function slowFinding(session: number, l: Latency, scope: Finding['scope'], against: string): Finding {
  return {
    kind: 'slow-reply', severity: l.seconds >= 10 ? 'medium' : 'low', scope,
    why: `the server took ${formatDuration(l.seconds)} to answer ${l.what} (${against}; slow means > ${SLOW_FACTOR}x the median and > ${SLOW_MIN_SECONDS} s)`,
    evidence: [{ session, exchanges: [l.exchange] }],
  };
}
