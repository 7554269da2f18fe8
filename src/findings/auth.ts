/** Failed logins and credentials sent in clear text (RFC 4954 section 4, RFC 8314 section 3). */
import type { AuthAttempt, Session } from '../session/model.js';
import { failedAt, plural, safe, shortReply, tlsAt } from './context.js';
import type { Finding } from './model.js';

/** Mechanisms that put the password itself (or a bearer token) on the wire; challenge-response ones (CRAM-MD5, SCRAM, APOP) do not. */
const CLEARTEXT = new Set(['PLAIN', 'LOGIN', 'USER', 'XOAUTH2', 'OAUTHBEARER']);

const who = (a: AuthAttempt) => (a.user ? ` for ${safe(a.user, 40)}` : '');

/** failed-login: one finding per session with every failed attempt; low, medium from three failures in one session. */
export function failedLogins(s: Session): Finding[] {
  const failed = s.auth.filter((a) => a.result === 'failure');
  if (failed.length === 0) return [];
  const at = failed.map((a) => {
    const i = failedAt(s, a.exchange);
    return i < 0 ? a.exchange : i;
  });
  const users = [...new Set(failed.map((a) => a.user).filter((u): u is string => u !== null))];
  const reply = shortReply(s.exchanges[at[0]]?.reply);
  return [{
    kind: 'failed-login', severity: failed.length >= 3 ? 'medium' : 'low', scope: 'session', count: failed.length,
    why: `${plural(failed.length, 'failed login')}${users.length ? ` (${users.map((u) => safe(u, 40)).join(', ')})` : ''} via ${[...new Set(failed.map((a) => a.mechanism))].join(', ')}: ${reply}`,
    evidence: [{ session: s.id, exchanges: [...new Set(at)] }],
  }];
}

/**
 * cleartext-credentials: an AUTH PLAIN / LOGIN, POP3 USER / PASS or IMAP
 * LOGIN sent before TLS. High when the login succeeded (a working password
 * crossed the network), medium otherwise. Attempts under TLS are fine.
 */
export function cleartextCredentials(s: Session): Finding[] {
  const exposed = s.auth.filter((a) => CLEARTEXT.has(a.mechanism) && !tlsAt(s, a.exchange) && a.result !== 'aborted');
  if (exposed.length === 0) return [];
  const ok = exposed.find((a) => a.result === 'success');
  const first = ok ?? exposed[0];
  const name = s.protocol === 'pop3' && first.mechanism === 'USER' ? 'USER / PASS' : s.protocol === 'imap' && first.mechanism === 'LOGIN' ? 'LOGIN' : `AUTH ${first.mechanism}`;
  return [{
    kind: 'cleartext-credentials', severity: ok ? 'high' : 'medium', scope: 'session', count: exposed.length,
    why: `${name}${who(first)} sent without TLS on port ${s.server.port}${ok ? ', and the login succeeded: the password is readable in this capture' : ''}`,
    evidence: [{ session: s.id, exchanges: exposed.map((a) => a.exchange) }],
  }];
}
