/**
 * What went wrong in a session, in a few words: the first thing a person
 * scanning a list of sessions wants to know. Shared by `read`, transcripts
 * and (later) the UI.
 */
import { verbAsSent, type Reply, type Session } from '../session/model.js';

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
  /** "OK", "AUTH FAILED 535 5.7.8", "DATA 554 5.7.1 virus found (+1 more)", "ENCRYPTED", "NO REPLY", "RESET BEFORE DATA", "NO COMMAND", "UNANSWERED DATA". */
  label: string;
  failed: boolean;
  /** Failing replies in the session. */
  failures: number;
  /** The exchange of the decisive failure (or of the unanswered command), or null. */
  exchange: number | null;
}

export function sessionOutcome(s: Session): Outcome {
  const outcome = finalOutcome(s);
  // A live session still going: what it shows so far, marked as not over.
  return s.closed === 'open' ? { ...outcome, label: `… ${outcome.label}` } : outcome;
}

/**
 * The failure that decided the session: a failed login first (nothing else
 * could happen after it); else the last permanent failure (a message refused
 * at DATA outweighs a RCPT refused before it: it is what the sender sees
 * bounce); else the last temporary one.
 */
export function decisiveFailure(s: Session): number | null {
  let permanent = -1;
  let temporary = -1;
  s.exchanges.forEach((ex, i) => {
    if (!isFailure(ex.reply)) return;
    if (isTemporary(ex.reply!)) temporary = i;
    else permanent = i;
  });
  if (permanent >= 0) return permanent;
  return temporary >= 0 ? temporary : null;
}

/** SMTP 4xx, POP3 -ERR [SYS/TEMP] [IN-USE] [LOGIN-DELAY], IMAP NO: trying again may work (RFC 5321 4.2.1, RFC 3206). */
function isTemporary(r: Reply): boolean {
  if (typeof r.code === 'number') return r.code < 500;
  if (r.indicator) return typeof r.code === 'string' && /^(SYS\/TEMP|IN-USE|LOGIN-DELAY)$/i.test(r.code);
  return r.status === 'NO';
}

function finalOutcome(s: Session): Outcome {
  const failures = s.exchanges.filter((e) => isFailure(e.reply)).length;
  const more = failures > 1 ? ` (+${failures - 1} more)` : '';
  const failedAuth = s.auth.find((a) => a.result === 'failure');
  if (failedAuth) {
    // The failing reply may come on a later exchange than the one that started the attempt (POP3 USER, then PASS).
    const at = s.exchanges.findIndex((e, i) => i >= failedAuth.exchange && isFailure(e.reply));
    const reply = at >= 0 ? s.exchanges[at].reply : null;
    return { label: `AUTH FAILED${reply ? ' ' + replyLabel(reply) : ''}${more}`, failed: true, failures, exchange: at >= 0 ? at : failedAuth.exchange };
  }
  const decisive = decisiveFailure(s);
  if (decisive !== null) {
    const ex = s.exchanges[decisive];
    const r = ex.reply!;
    const verb = ex.command ? `${verbAsSent(ex.command)} ` : '';
    return { label: `${verb}${replyLabel(r)} ${firstText(r)}`.trim() + more, failed: true, failures, exchange: decisive };
  }
  if (s.tls && !s.tls.decrypted && s.tls.mode === 'implicit') return { label: 'ENCRYPTED', failed: false, failures, exchange: null };
  // A connection reset before a byte was sent: refused (a SYN answered by a RST), or a scanner's probe.
  if (s.closed === 'rst' && s.bytes.client + s.bytes.server === 0) return { label: 'RESET BEFORE DATA', failed: false, failures, exchange: null };
  if (!s.exchanges.some((e) => e.reply)) return { label: 'NO REPLY', failed: false, failures, exchange: null };
  // The greeting and nothing after it: a scanner, a half-open flood, a client that gave up (or a capture of the server's side only).
  if (s.closed !== 'open' && !s.exchanges.some((e) => e.command)) return { label: 'NO COMMAND', failed: false, failures, exchange: null };
  // The connection ended (or the capture did) with a command the server never answered.
  const last = s.exchanges.length - 1;
  const tail = s.exchanges[last];
  if (tail.command && !tail.reply && s.closed !== 'open') {
    return { label: `UNANSWERED ${verbAsSent(tail.command)}`, failed: false, failures, exchange: last };
  }
  return { label: s.tls && !s.tls.decrypted ? 'OK, STARTTLS (encrypted)' : 'OK', failed: false, failures, exchange: null };
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
