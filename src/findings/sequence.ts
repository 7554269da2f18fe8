/**
 * Replies not valid for their command (RFC 5321 4.3.2), commands out of
 * sequence (RFC 5321 4.1.4, 3.3; RFC 1939 states; RFC 9051 states) and
 * pipelining without the server offering it (RFC 2920, RFC 2449 PIPELINING).
 */
import { isFailure } from '../export/outcome.js';
import type { Exchange, Session } from '../session/model.js';
import { authenticatedFrom, capabilitiesIn, ns, plural, shortReply, tlsStart } from './context.js';
import type { Finding } from './model.js';

/**
 * The positive replies RFC 5321 4.3.2 allows for each command (and RFC 3207
 * STARTTLS, RFC 4954 AUTH, RFC 3030 BDAT, RFC 1985 ETRN). Failures (4yz /
 * 5yz) are not checked: real servers use many that the table does not list
 * (Postfix answers RCPT with 554 for relaying), and the class is what clients act on.
 */
const POSITIVE: Record<string, readonly number[]> = {
  '': [220], // the greeting
  EHLO: [250], HELO: [250], LHLO: [250],
  MAIL: [250], RCPT: [250, 251], DATA: [250], BDAT: [250], RSET: [250], NOOP: [250],
  VRFY: [250, 251, 252], EXPN: [250, 252], HELP: [211, 214], QUIT: [221],
  STARTTLS: [220], AUTH: [235], ETRN: [250, 251, 252, 253],
};

/** Intermediate replies (3yz) and the only commands that may get them. */
const INTERIM: Record<number, string> = { 354: 'DATA', 334: 'AUTH' };

/** invalid-reply: an SMTP code outside 2yz-5yz, a positive code the command cannot get (235 to MAIL, 354 to RCPT), a 3yz final reply. */
export function invalidReplies(s: Session): Finding[] {
  if (s.protocol !== 'smtp') return [];
  const bad: { i: number; what: string }[] = [];
  s.exchanges.forEach((ex, i) => {
    const verb = ex.command?.verb ?? '';
    const allowed = POSITIVE[verb];
    for (const st of ex.interim ?? []) {
      const c = st.reply.code;
      if (typeof c !== 'number') continue;
      if (INTERIM[c] !== undefined && INTERIM[c] !== verb) bad.push({ i, what: `${c} to ${verb || 'the greeting'} (only ${INTERIM[c]} gets ${c})` });
      else if (INTERIM[c] === undefined && (c < 300 || c >= 400) && !(c >= 400 && c < 600)) bad.push({ i, what: `${c} as an intermediate reply to ${verb || 'the greeting'}` });
    }
    const c = ex.reply?.code;
    if (typeof c !== 'number') return;
    const label = `${c} to ${verb || 'the greeting'}`;
    if (c < 200 || c >= 600) bad.push({ i, what: `${label} (reply codes are 2yz to 5yz)` });
    else if (c >= 300 && c < 400) {
      // A final 354 / 334 is the machine seeing the go-ahead with nothing after it; only a 3yz to another command is wrong.
      if (INTERIM[c] !== verb) bad.push({ i, what: `${label}${INTERIM[c] ? ` (only ${INTERIM[c]} gets ${c})` : ''}` });
    } else if (c < 300 && allowed && !allowed.includes(c)) bad.push({ i, what: `${label} (RFC 5321 4.3.2 allows ${allowed.join(', ')})` });
  });
  if (bad.length === 0) return [];
  return [{
    kind: 'invalid-reply', severity: 'low', scope: 'session', count: bad.length,
    why: `${plural(bad.length, 'reply', 'replies')} not valid for the command: ${bad.slice(0, 3).map((b) => b.what).join('; ')}${bad.length > 3 ? '; …' : ''}`,
    evidence: [{ session: s.id, exchanges: bad.map((b) => b.i) }],
  }];
}

const ok = (ex: Exchange) => ex.reply !== null && !isFailure(ex.reply);

/** Where the decoder may have lost its place (gaps, resyncs): sequence checks stop there. */
function trustedUntil(s: Session): number {
  let end = s.exchanges.length;
  for (const a of s.anomalies) {
    if ((a.kind === 'tcp.gap' || a.kind === 'stream.resync' || a.kind === 'tcp.midstream') && a.exchange !== undefined) end = Math.min(end, a.exchange);
    if (a.kind === 'tcp.midstream') end = 0;
  }
  const tls = tlsStart(s);
  return tls >= 0 && s.tls && !s.tls.decrypted ? Math.min(end, tls + 1) : end;
}

const POP3_TRANSACTION = new Set(['STAT', 'LIST', 'RETR', 'DELE', 'NOOP', 'RSET', 'TOP', 'UIDL']);
const IMAP_AUTHENTICATED = new Set(['SELECT', 'EXAMINE', 'CREATE', 'DELETE', 'RENAME', 'SUBSCRIBE', 'UNSUBSCRIBE', 'LIST', 'LSUB', 'STATUS', 'APPEND', 'CHECK', 'CLOSE', 'EXPUNGE', 'SEARCH', 'FETCH', 'STORE', 'COPY', 'MOVE', 'UID FETCH', 'UID STORE', 'UID SEARCH', 'UID COPY', 'UID MOVE', 'UID EXPUNGE', 'IDLE', 'NAMESPACE', 'UNSELECT']);

/**
 * out-of-sequence: SMTP MAIL before HELO / EHLO, MAIL inside an open
 * transaction, RCPT before an accepted MAIL, DATA / BDAT before an accepted
 * RCPT; POP3 PASS without USER, transaction commands before login; IMAP
 * mailbox commands before login; and every command the server answered 503
 * "bad sequence of commands". Low.
 */
export function outOfSequence(s: Session): Finding[] {
  const end = trustedUntil(s);
  const hits: { i: number; what: string }[] = [];
  const add = (i: number, what: string) => hits.push({ i, what });
  if (s.protocol === 'smtp') {
    let greeted = false;
    let mail = false;
    let rcpt = false;
    const tls = tlsStart(s);
    for (let i = 0; i < end; i++) {
      const ex = s.exchanges[i];
      const verb = ex.command?.verb;
      if (!verb) continue;
      const says503 = ex.reply?.code === 503;
      if (verb === 'HELO' || verb === 'EHLO' || verb === 'LHLO') {
        if (ok(ex)) greeted = true;
        mail = rcpt = false;
      } else if (verb === 'RSET') mail = rcpt = false;
      else if (verb === 'MAIL') {
        if (!greeted) add(i, 'MAIL before HELO / EHLO');
        else if (mail) add(i, 'MAIL inside an open transaction');
        else if (says503) add(i, 'MAIL answered 503 (bad sequence)');
        if (ok(ex)) {
          mail = true;
          rcpt = false;
        }
      } else if (verb === 'RCPT') {
        if (!mail) add(i, 'RCPT before an accepted MAIL');
        else if (says503) add(i, 'RCPT answered 503 (bad sequence)');
        if (ok(ex)) rcpt = true;
      } else if (verb === 'DATA' || verb === 'BDAT') {
        if (!rcpt) add(i, `${verb} before an accepted RCPT`);
        else if (says503) add(i, `${verb} answered 503 (bad sequence)`);
        // Once the message went (DATA's 354, BDAT LAST), the transaction is over whatever the verdict; a refused DATA leaves it open.
        const sent = verb === 'DATA' ? (ex.interim ?? []).some((st) => st.reply.code === 354) : /\bLAST\b/i.test(ex.command!.args);
        if (sent && ex.reply !== null) mail = rcpt = false;
      } else if (verb === 'STARTTLS' && i === tls) greeted = mail = rcpt = false; // RFC 3207 4.2: forget everything
      else if (says503) add(i, `${verb} answered 503 (bad sequence)`);
    }
  } else {
    const authed = authenticatedFrom(s);
    const preauth = s.exchanges[0]?.reply?.status === 'PREAUTH';
    for (let i = 0; i < end; i++) {
      const ex = s.exchanges[i];
      const verb = ex.command?.verb;
      if (!verb) continue;
      if (s.protocol === 'pop3') {
        if (verb === 'PASS' && s.exchanges[i - 1]?.command?.verb !== 'USER') add(i, 'PASS without USER just before');
        else if (POP3_TRANSACTION.has(verb) && i <= authed) add(i, `${verb} before login (${shortReply(ex.reply)})`);
      } else if (IMAP_AUTHENTICATED.has(verb) && i <= authed && !preauth) {
        add(i, `${verb} before login (${shortReply(ex.reply)})`);
      }
    }
  }
  if (hits.length === 0) return [];
  return [{
    kind: 'out-of-sequence', severity: 'low', scope: 'session', count: hits.length,
    why: `${plural(hits.length, 'command')} out of sequence: ${[...new Set(hits.map((h) => h.what))].slice(0, 3).join('; ')}${hits.length > 3 ? '; …' : ''}`,
    evidence: [{ session: s.id, exchanges: hits.map((h) => h.i) }],
  }];
}

/**
 * pipelining-not-offered: a command sent before the reply to the previous
 * one arrived (SMTP, POP3), when no EHLO / CAPA reply before it offered
 * PIPELINING. IMAP always allows it. Low.
 */
export function pipeliningNotOffered(s: Session): Finding[] {
  if (s.protocol === 'imap') return [];
  const end = trustedUntil(s);
  let offered = false;
  let lastReplyAt: bigint | null = null;
  const early: number[] = [];
  for (let i = 0; i < end; i++) {
    const ex = s.exchanges[i];
    if (ex.command && lastReplyAt !== null && ns(ex.command.ts) < lastReplyAt && !offered) early.push(i);
    if (ex.reply) lastReplyAt = ns(ex.reply.ts);
    if (capabilitiesIn(s, ex).includes('PIPELINING')) offered = true;
    if (ex.command?.verb === 'HELO') offered = false;
  }
  if (early.length === 0) return [];
  return [{
    kind: 'pipelining-not-offered', severity: 'low', scope: 'session', count: early.length,
    why: `the client sent ${plural(early.length, 'command')} before the previous reply (${s.exchanges[early[0]].command!.verb} first) though the server did not offer PIPELINING`,
    evidence: [{ session: s.id, exchanges: early }],
  }];
}
