/**
 * What went wrong in a session, in a few words: the first thing a person
 * scanning a list of sessions wants to know. Shared by `read`, transcripts
 * and (later) the UI.
 */
import type { Reply, Session } from '../session/model.js';

/** True for a reply that reports failure: SMTP 4xx/5xx, POP3 -ERR, IMAP NO/BAD. */
export function isFailure(reply: Reply | null | undefined): boolean {
  if (!reply) return false;
  if (typeof reply.code === 'number') return reply.code >= 400;
  if (reply.indicator) return reply.indicator === '-ERR';
  return reply.status === 'NO' || reply.status === 'BAD';
}

/** A short label for a reply: "535 5.7.8", "-ERR [AUTH]", "NO [AUTHENTICATIONFAILED]". */
export function replyLabel(reply: Reply): string {
  if (typeof reply.code === 'number') return reply.enhanced ? `${reply.code} ${reply.enhanced}` : String(reply.code);
  if (reply.indicator) return reply.code ? `${reply.indicator} [${reply.code}]` : reply.indicator;
  const status = reply.status ?? '?';
  return reply.code ? `${status} [${reply.code}]` : status;
}

export interface Outcome {
  /** "OK", "AUTH FAILED 535 5.7.8", "550 5.1.1 ...", "ENCRYPTED", "NO REPLY". */
  label: string;
  failed: boolean;
}

export function sessionOutcome(s: Session): Outcome {
  const outcome = finalOutcome(s);
  // A live session still going: what it shows so far, marked as not over.
  return s.closed === 'open' ? { ...outcome, label: `… ${outcome.label}` } : outcome;
}

function finalOutcome(s: Session): Outcome {
  const failedAuth = s.auth.find((a) => a.result === 'failure');
  if (failedAuth) {
    // The failing reply may come on a later exchange than the one that started the attempt (POP3 USER, then PASS).
    const reply = s.exchanges.slice(failedAuth.exchange).map((e) => e.reply).find(isFailure);
    return { label: `AUTH FAILED${reply ? ' ' + replyLabel(reply) : ''}`, failed: true };
  }
  for (const ex of s.exchanges) {
    if (isFailure(ex.reply)) {
      const r = ex.reply!;
      const verb = ex.command ? `${ex.command.verb} ` : '';
      return { label: `${verb}${replyLabel(r)} ${firstText(r)}`.trim(), failed: true };
    }
  }
  if (s.tls && !s.tls.decrypted && s.tls.mode === 'implicit') return { label: 'ENCRYPTED', failed: false };
  if (!s.exchanges.some((e) => e.reply)) return { label: 'NO REPLY', failed: false };
  return { label: s.tls && !s.tls.decrypted ? 'OK, STARTTLS (encrypted)' : 'OK', failed: false };
}

/** The reply's first line of text without the code already shown. */
function firstText(r: Reply): string {
  let t = r.text.split('\n')[0] ?? '';
  if (r.enhanced && t.startsWith(r.enhanced)) t = t.slice(r.enhanced.length);
  if (typeof r.code === 'string') t = t.replace(/^\[[^\]]*\]\s*/, '');
  return t.trim();
}

/** The user name of the session's last authentication attempt, if any. */
export function sessionUser(s: Session): string | null {
  for (let i = s.auth.length - 1; i >= 0; i--) if (s.auth[i].user) return s.auth[i].user;
  return null;
}
