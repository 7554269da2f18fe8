/** STARTTLS offered but not used, refused, or required and not used (RFC 3207, RFC 2595, RFC 9051 6.2.1, RFC 8314). */
import { isFailure } from '../export/outcome.js';
import type { Session } from '../session/model.js';
import { offeredAt, safe, shortReply } from './context.js';
import type { Finding } from './model.js';

const STARTTLS_VERB: Record<Session['protocol'], string> = { smtp: 'STARTTLS', pop3: 'STLS', imap: 'STARTTLS' };

/** starttls-not-used: the server offered STARTTLS / STLS and the session never switched to TLS. Medium when credentials or a message went in clear, else low. */
export function starttlsNotUsed(s: Session): Finding[] {
  if (s.tls) return [];
  const offered = offeredAt(s, STARTTLS_VERB[s.protocol]);
  if (offered.length === 0) return [];
  const tried = s.exchanges.findIndex((ex) => ex.command?.verb === STARTTLS_VERB[s.protocol]);
  if (tried >= 0) return []; // asked for and refused, or cut off: starttls-refused says so
  const exposed = s.auth.length > 0 || s.messages.length > 0;
  const what = [s.auth.length ? 'credentials' : '', s.messages.length ? plural2(s.messages.length) : ''].filter(Boolean).join(' and ');
  return [{
    kind: 'starttls-not-used', severity: exposed ? 'medium' : 'low', scope: 'session',
    why: `the server offered ${STARTTLS_VERB[s.protocol]} but the client never used it${exposed ? `: ${what} went in clear` : ''}`,
    evidence: [{ session: s.id, exchanges: offered }],
  }];
}

const plural2 = (n: number) => (n === 1 ? 'a message' : `${n} messages`);

/** starttls-refused: STARTTLS / STLS answered with a failure (SMTP 454 "TLS not available", -ERR, NO / BAD). */
export function starttlsRefused(s: Session): Finding[] {
  const at: number[] = [];
  s.exchanges.forEach((ex, i) => {
    if (ex.command?.verb === STARTTLS_VERB[s.protocol] && isFailure(ex.reply)) at.push(i);
  });
  if (at.length === 0) return [];
  const r = s.exchanges[at[0]].reply!;
  return [{
    kind: 'starttls-refused', severity: 'medium', scope: 'session',
    why: `${STARTTLS_VERB[s.protocol]} refused: ${shortReply(r)} ${safe((r.text.split('\n')[0] ?? '').replace(/^\d\.\d{1,3}\.\d{1,3}\s*/, ''), 60)}${s.tls ? '' : '; the session went on in clear'}`.trim(),
    evidence: [{ session: s.id, exchanges: at }],
  }];
}

/** Reply texts that say TLS is required (RFC 3207 530 5.7.0, RFC 5248 5.7.11, Dovecot's "Plaintext authentication disallowed"). */
const TLS_REQUIRED = /must issue a STARTTLS|STARTTLS (is )?required|TLS (is )?required|encryption required|requires? (an )?encrypt|plaintext auth\w* (is )?disallowed|SSL\/TLS required/i;

/**
 * tls-required-not-used: the server said it needs TLS (SMTP 530 "Must issue
 * a STARTTLS command first" or 5.7.11, IMAP LOGINDISABLED or
 * [PRIVACYREQUIRED], a POP3 / IMAP refusal of plaintext login) and the
 * client never switched to TLS. Medium.
 */
export function tlsRequiredNotUsed(s: Session): Finding[] {
  if (s.tls) return [];
  const at: number[] = [];
  const reasons = new Set<string>();
  s.exchanges.forEach((ex, i) => {
    const r = ex.reply;
    if (!r) return;
    if (s.protocol === 'smtp' && typeof r.code === 'number' && r.code >= 400 && (r.code === 530 && /TLS|encrypt/i.test(r.text) || r.enhanced === '5.7.11' || TLS_REQUIRED.test(r.text))) {
      at.push(i);
      reasons.add(`${shortReply(r)} to ${ex.command?.verb ?? 'the greeting'}`);
    } else if (s.protocol === 'imap') {
      const logindisabled = [...r.lines, ...(ex.untagged ?? [])].some((l) => /\bLOGINDISABLED\b/i.test(l));
      if (logindisabled && (ex.command === null || ex.command.verb === 'CAPABILITY')) {
        at.push(i);
        reasons.add('LOGINDISABLED');
      } else if (r.code === 'PRIVACYREQUIRED' || (isFailure(r) && TLS_REQUIRED.test(r.text))) {
        at.push(i);
        reasons.add(shortReply(r));
      }
    } else if (s.protocol === 'pop3' && isFailure(r) && TLS_REQUIRED.test(r.text)) {
      at.push(i);
      reasons.add(`${shortReply(r)} to ${ex.command?.verb ?? 'the greeting'}`);
    }
  });
  if (at.length === 0) return [];
  return [{
    kind: 'tls-required-not-used', severity: 'medium', scope: 'session',
    why: `the server requires TLS (${[...reasons].slice(0, 3).join(', ')}) and the client did not use it`,
    evidence: [{ session: s.id, exchanges: at }],
  }];
}
