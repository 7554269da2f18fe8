/**
 * Fields of the three mail protocols: the protocol names, SMTP, POP3 and
 * IMAP commands and replies by Wireshark's names, the same across the
 * three (command.*, reply.*), and authentication.
 */
import { isFailure } from '../export/outcome.js';
import type { AuthAttempt, Reply, Session } from '../session/model.js';
import { FALSE, NONE, TRUE, define, flag, perExchange, replies, secondsBetween, str } from './field-registry.js';
import { queueIdOf } from '../protocols/smtp/queue-id.js';

/** The text between < and > of "FROM:<a@b>" / "TO:<a@b>" (RFC 5321 4.1.2), or the first word when there are no brackets. */
function pathOf(args: string, keyword: 'FROM' | 'TO'): string | null {
  const m = new RegExp(`^${keyword}:\\s*(?:<([^>]*)>|(\\S+))`, 'i').exec(args);
  return m ? m[1] ?? m[2] : null;
}

/** SMTP reply class of a reply in any protocol: see reply.class. */
function replyClass(r: Reply): number | null {
  if (typeof r.code === 'number') return Math.floor(r.code / 100);
  if (r.indicator) {
    if (r.indicator === '+OK') return 2;
    // RFC 3206: SYS/TEMP, IN-USE and LOGIN-DELAY say "try again later".
    return typeof r.code === 'string' && /^(SYS\/TEMP|IN-USE|LOGIN-DELAY)$/i.test(r.code) ? 4 : 5;
  }
  switch (r.status) {
    case 'OK': case 'PREAUTH': return 2;
    case 'NO': return 4;
    case 'BAD': return 5;
    default: break;
  }
  // A POP3 / IMAP continuation ("+ ...") is an interim reply: class 3, like SMTP 334 / 354.
  return r.lines[0]?.startsWith('+') && !r.indicator ? 3 : null;
}

/** The exchanges an authentication attempt covers: where it started, and where it failed (POP3 PASS after USER). */
function attemptAt(s: Session, a: AuthAttempt, i: number): boolean {
  if (a.exchange === i) return true;
  if (a.result !== 'failure' || i < a.exchange) return false;
  for (let k = a.exchange; k < i; k++) if (isFailure(s.exchanges[k].reply)) return false;
  return isFailure(s.exchanges[i].reply) && !s.auth.some((b) => b !== a && b.exchange > a.exchange && b.exchange <= i);
}

function authAt(s: Session, i: number): AuthAttempt[] {
  return s.auth.length === 0 ? [] : s.auth.filter((a) => attemptAt(s, a, i));
}

/** IMAP LOGIN's user name: the first argument, an atom or a quoted string (RFC 9051 6.2.3). */
function imapLoginUser(args: string): string | null {
  const q = /^"((?:[^"\\]|\\.)*)"/.exec(args);
  if (q) return q[1].replace(/\\(.)/g, '$1');
  const atom = /^[^\s{]+/.exec(args);
  return atom ? atom[0] : null;
}

/**
 * Command verbs are case-insensitive (RFC 5321 2.4, RFC 1939 3, RFC 9051 9)
 * and stored upper case; tshark keeps them as sent. Compared without regard
 * to case, smtp.req.command == "helo" finds a HELO as Wireshark finds a helo.
 */
const VERB = { caseless: true, differs: 'compared without regard to case: the verb is stored upper case, tshark keeps it as sent' };

// --- SMTP ---

perExchange('smtp.req.command', 'string', true, 'SMTP command verb, upper case ("MAIL"); AUTH continuation lines are not commands',
  (ex) => (ex.command ? [ex.command.verb] : NONE), 'smtp', VERB);
perExchange('smtp.req.parameter', 'string', true, 'SMTP command arguments, the rest of the line ("FROM:<a@example.com> SIZE=100")',
  (ex) => (ex.command && ex.command.args !== '' ? [ex.command.args] : NONE), 'smtp');
perExchange('smtp.response.code', 'number', true, 'SMTP reply code of every reply, intermediate ones (334, 354) included',
  (ex) => replies(ex).flatMap((r) => (typeof r.code === 'number' ? [r.code] : [])), 'smtp');
perExchange('smtp.rsp.parameter', 'string', true, 'SMTP reply text after the code, one value per reply line ("2.1.0 Ok", "PIPELINING")',
  (ex) => replies(ex).flatMap((r) => r.lines.flatMap((l) => (l.length > 4 ? [l.slice(4)] : []))), 'smtp');
perExchange('smtp.response.enhanced', 'string', false, 'RFC 3463 enhanced status code of a reply ("5.7.1")',
  (ex) => replies(ex).flatMap((r) => (r.enhanced ? [r.enhanced] : [])), 'smtp');
perExchange('smtp.auth.username', 'string', true, 'user name given in SMTP AUTH (decoded from base64; tshark 4.0 shows AUTH LOGIN\'s base64 form)',
  (_ex, s, i) => authAt(s, i).flatMap((a) => (a.exchange === i && a.user !== null ? [a.user] : [])), 'smtp');
perExchange('smtp.mail.from', 'string', false, 'reverse path of MAIL FROM, without the brackets ("" for the null sender <>)',
  (ex) => (ex.command?.verb === 'MAIL' ? str(pathOf(ex.command.args, 'FROM')) : NONE), 'smtp');
perExchange('smtp.rcpt.to', 'string', false, 'forward path of each RCPT TO, without the brackets, accepted or not',
  (ex) => (ex.command?.verb === 'RCPT' ? str(pathOf(ex.command.args, 'TO')) : NONE), 'smtp');
perExchange('smtp.rcpt.domain', 'string', false, 'domain of each RCPT TO address, in lower case ("example.com")',
  (ex) => {
    if (ex.command?.verb !== 'RCPT') return NONE;
    const to = pathOf(ex.command.args, 'TO');
    const at = to ? to.lastIndexOf('@') : -1;
    return at >= 0 ? [to!.slice(at + 1).toLowerCase()] : NONE;
  }, 'smtp');
perExchange('smtp.queue_id', 'string', false,
  'queue ID the server gave an accepted message, from its reply to the end of DATA / BDAT LAST (Postfix "queued as", Exim id=, Sendmail, Exchange, Gmail): what to grep the server\'s log for',
  (ex) => (ex.bodies?.length && ex.reply?.code === 250 ? str(queueIdOf(ex.reply.text)) : NONE), 'smtp');
perExchange('smtp.greeting', 'string', false, 'text of the server\'s greeting after the code ("mx.example.com ESMTP Postfix")',
  (ex, _s, i) => (i === 0 && !ex.command && ex.reply ? [ex.reply.text] : NONE), 'smtp');

// --- POP3 ---

perExchange('pop.request.command', 'string', true, 'POP3 command verb, upper case ("USER", "RETR")',
  (ex) => (ex.command ? [ex.command.verb] : NONE), 'pop3', VERB);
perExchange('pop.request.parameter', 'string', true, 'POP3 command arguments ("alice", "1"); passwords are "<redacted>"',
  (ex) => (ex.command && ex.command.args !== '' ? [ex.command.args] : NONE), 'pop3');
perExchange('pop.response.indicator', 'string', true, 'POP3 status indicator: "+OK" or "-ERR"',
  (ex) => (ex.reply?.indicator ? [ex.reply.indicator] : NONE), 'pop3');
perExchange('pop.response.description', 'string', true, 'POP3 status text after the indicator, first line only ("Logged in.")',
  (ex) => (ex.reply?.indicator && ex.reply.text !== '' ? [ex.reply.text] : NONE), 'pop3');
perExchange('pop.response.code', 'string', false, 'RFC 2449 response code in brackets ("AUTH", "IN-USE", "SYS/TEMP")',
  (ex) => (typeof ex.reply?.code === 'string' ? [ex.reply.code] : NONE), 'pop3');

// --- IMAP ---

perExchange('imap.request.command', 'string', true, 'IMAP command, upper case ("LOGIN", "UID FETCH")',
  (ex) => (ex.command ? [ex.command.verb] : NONE), 'imap', VERB);
perExchange('imap.request_tag', 'string', true, 'IMAP command tag ("A001")',
  (ex) => str(ex.command?.tag), 'imap');
perExchange('imap.request.username', 'string', true, 'user name of an IMAP LOGIN command',
  (ex) => (ex.command?.verb === 'LOGIN' ? str(imapLoginUser(ex.command.args)) : NONE), 'imap');
perExchange('imap.response.status', 'string', true, 'IMAP response status: "OK", "NO", "BAD", "BYE" or "PREAUTH" (tagged responses, the greeting and BYE)',
  (ex) => str(ex.reply?.status), 'imap');
perExchange('imap.time', 'number', true, 'seconds from an IMAP command to its tagged response (Wireshark\'s "Response Time")',
  (ex) => (ex.command && ex.reply?.tag && ex.reply.tag !== '*' ? [Math.max(0, secondsBetween(ex.command.ts, ex.reply.ts))] : NONE), 'imap');
perExchange('imap.response_tag', 'string', true, 'IMAP response tag ("A001"; "*" for the greeting and an unsolicited BYE)',
  (ex) => str(ex.reply?.tag), 'imap');
perExchange('imap.response.code', 'string', false, 'IMAP response code in brackets, first word ("AUTHENTICATIONFAILED", "TRYCREATE")',
  (ex) => (typeof ex.reply?.code === 'string' ? [ex.reply.code] : NONE), 'imap');

// --- any mail protocol ---

perExchange('command.verb', 'string', false, 'command verb in any of the three protocols, upper case',
  (ex) => (ex.command ? [ex.command.verb] : NONE), undefined, { caseless: true });
perExchange('command.args', 'string', false, 'command arguments in any of the three protocols',
  (ex) => (ex.command && ex.command.args !== '' ? [ex.command.args] : NONE));
perExchange('reply.class', 'number', false,
  'class of every reply, the SMTP way across the three protocols: 2 success (+OK, OK, PREAUTH), 3 go on (334, 354, "+"), ' +
  '4 temporary failure (4xx, NO, -ERR [SYS/TEMP] [IN-USE] [LOGIN-DELAY]), 5 failure (5xx, BAD, other -ERR)',
  (ex) => replies(ex).flatMap((r) => {
    const c = replyClass(r);
    return c === null ? [] : [c];
  }));
flag('reply.failed', 'some reply reported failure: SMTP 4xx / 5xx, POP3 -ERR, IMAP NO or BAD', (ex) => isFailure(ex.reply));
perExchange('reply.text', 'string', false, 'text of every reply after its code or status (lines joined by newlines)',
  (ex) => replies(ex).map((r) => r.text));
perExchange('reply.latency', 'number', false,
  'seconds from each command to the server\'s first answer (a 334, 354 or "+" when there is one; the greeting: from the first packet): reply.latency > 5',
  (ex, s, i) => {
    const first = ex.interim?.[0]?.reply ?? ex.reply;
    if (!first) return NONE;
    if (!ex.command) return i === 0 ? [secondsBetween(s.start, first.ts)] : NONE;
    return [Math.max(0, secondsBetween(ex.command.ts, first.ts))];
  });

// --- authentication ---

perExchange('auth.mechanism', 'string', false, 'mechanism of each authentication attempt: a SASL name ("PLAIN"), or "USER" / "APOP" (POP3), "LOGIN" (IMAP)',
  (_ex, s, i) => authAt(s, i).filter((a) => a.exchange === i).map((a) => a.mechanism));
perExchange('auth.user', 'string', false, 'user name of each authentication attempt, when the protocol reveals it',
  (_ex, s, i) => authAt(s, i).flatMap((a) => (a.exchange === i && a.user !== null ? [a.user] : [])));
perExchange('auth.result', 'string', false, 'result of each authentication attempt: "success", "failure", "aborted" or "unknown"',
  (_ex, s, i) => authAt(s, i).filter((a) => a.exchange === i).map((a) => a.result));
define({
  name: 'auth.failed', type: 'boolean', wireshark: false, description: 'an authentication attempt failed',
  session: (s) => (s.auth.some((a) => a.result === 'failure') ? TRUE : FALSE),
  exchange: (s, i) => (authAt(s, i).some((a) => a.result === 'failure') ? TRUE : FALSE),
});

