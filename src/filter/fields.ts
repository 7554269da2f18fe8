/**
 * The field registry: every name a filter can use, its type, its meaning,
 * whether Wireshark has the same field, and how to take its values from a
 * Session (all of them) and from one Exchange (for highlighting).
 *
 * Wireshark's fields are per packet; ours are per session. A session's
 * values are the union of what its packets would show, so `==` over a
 * session means "some packet of it would match" for a single field.
 * Exchange-level fields (commands, replies, auth attempts, messages,
 * anomalies tied to an exchange) also give the values of one exchange;
 * session-level fields (addresses, TLS, TCP counters) give the same values
 * for every exchange.
 */
import { isFailure } from '../export/outcome.js';
import { exchangesOf, findingsFor } from '../findings/index.js';
import { parseIso } from '../util/time.js';
import { isAttachment, type AuthAttempt, type Exchange, type Reply, type Session } from '../session/model.js';
import { parseIp, type Value } from './values.js';

/**
 * number: integers (and seconds with a fraction); string: text as decoded from the wire;
 * boolean: true / false; ipv4, ipv6: addresses of that family; address: either family;
 * protocol: can only be tested for presence (smtp, tls).
 */
/** 'time': an absolute time, held as seconds since 1970 (UTC); written in filters as "2026-11-25 12:37:20". */
export type FieldType = 'number' | 'string' | 'boolean' | 'ipv4' | 'ipv6' | 'address' | 'protocol' | 'time';

export interface FieldInfo {
  name: string;
  type: FieldType;
  description: string;
  /** Same name and meaning as Wireshark's field. */
  wireshark: boolean;
}

export interface FieldDef extends FieldInfo {
  /** Every value of the field in the session. */
  session(s: Session): Value[];
  /** The values in exchange i alone; absent for session-level fields. */
  exchange?(s: Session, i: number): Value[];
}

const NONE: Value[] = [];
const TRUE: Value[] = [true];
const FALSE: Value[] = [false];

type PerExchange = (ex: Exchange, s: Session, i: number) => Value[];

const fields: FieldDef[] = [];

function session(name: string, type: FieldType, wireshark: boolean, description: string, get: (s: Session) => Value[]): void {
  fields.push({ name, type, wireshark, description, session: get });
}

/** A field whose values come from exchanges: the session's values are every exchange's, in order. */
function perExchange(name: string, type: FieldType, wireshark: boolean, description: string, get: PerExchange, only?: Session['protocol']): void {
  const ex = only
    ? (s: Session, i: number) => (s.protocol === only ? get(s.exchanges[i], s, i) : NONE)
    : (s: Session, i: number) => get(s.exchanges[i], s, i);
  fields.push({
    name, type, wireshark, description,
    session: (s) => {
      if (only && s.protocol !== only) return NONE;
      const out: Value[] = [];
      for (let i = 0; i < s.exchanges.length; i++) {
        const v = get(s.exchanges[i], s, i);
        for (let k = 0; k < v.length; k++) out.push(v[k]);
      }
      return out;
    },
    exchange: ex,
  });
}

/** A yes/no flag over exchanges: the session has one value, true when any exchange has it. */
function flag(name: string, description: string, test: (ex: Exchange, s: Session, i: number) => boolean): void {
  fields.push({
    name, type: 'boolean', wireshark: false, description,
    session: (s) => (s.exchanges.some((e, i) => test(e, s, i)) ? TRUE : FALSE),
    exchange: (s, i) => (test(s.exchanges[i], s, i) ? TRUE : FALSE),
  });
}

// --- helpers over the model ---

/** The interim replies (334, 354, "+ ") and the final reply of an exchange, in order. */
function replies(ex: Exchange): Reply[] {
  if (!ex.interim || ex.interim.length === 0) return ex.reply ? [ex.reply] : [];
  const out = ex.interim.map((st) => st.reply);
  if (ex.reply) out.push(ex.reply);
  return out;
}

const str = (v: string | null | undefined): Value[] => (v === null || v === undefined ? NONE : [v]);
const secondsBetween = (from: string, to: string): number => Number(parseIso(to) - parseIso(from)) / 1e9;

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

const ipOf = (ip: string, family: 4 | 6): Value[] => {
  const v = parseIp(ip);
  return v && v.family === family ? [v] : NONE;
};
const bothIps = (s: Session, family: 4 | 6): Value[] => [...ipOf(s.client.ip, family), ...ipOf(s.server.ip, family)];

// --- protocols ---

session('smtp', 'protocol', true, 'the session is SMTP', (s) => (s.protocol === 'smtp' ? TRUE : NONE));
session('pop', 'protocol', true, 'the session is POP3', (s) => (s.protocol === 'pop3' ? TRUE : NONE));
session('imap', 'protocol', true, 'the session is IMAP', (s) => (s.protocol === 'imap' ? TRUE : NONE));
session('tls', 'protocol', true, 'the session used TLS (implicit, or after STARTTLS / STLS)', (s) => (s.tls ? TRUE : NONE));
perExchange('imf', 'protocol', true, 'the session carried a mail message (SMTP DATA / BDAT, POP3 RETR / TOP, IMAP FETCH / APPEND)',
  (ex) => (ex.bodies && ex.bodies.length > 0 ? TRUE : NONE));

// --- SMTP ---

perExchange('smtp.req.command', 'string', true, 'SMTP command verb, upper case ("MAIL"); AUTH continuation lines are not commands',
  (ex) => (ex.command ? [ex.command.verb] : NONE), 'smtp');
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
perExchange('smtp.greeting', 'string', false, 'text of the server\'s greeting after the code ("mx.example.com ESMTP Postfix")',
  (ex, _s, i) => (i === 0 && !ex.command && ex.reply ? [ex.reply.text] : NONE), 'smtp');

// --- POP3 ---

perExchange('pop.request.command', 'string', true, 'POP3 command verb, upper case ("USER", "RETR")',
  (ex) => (ex.command ? [ex.command.verb] : NONE), 'pop3');
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
  (ex) => (ex.command ? [ex.command.verb] : NONE), 'imap');
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
  (ex) => (ex.command ? [ex.command.verb] : NONE));
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
fields.push({
  name: 'auth.failed', type: 'boolean', wireshark: false, description: 'an authentication attempt failed',
  session: (s) => (s.auth.some((a) => a.result === 'failure') ? TRUE : FALSE),
  exchange: (s, i) => (authAt(s, i).some((a) => a.result === 'failure') ? TRUE : FALSE),
});

// --- messages ---

function perMessage(name: string, type: FieldType, wireshark: boolean, description: string, get: (m: Session['messages'][number]) => Value[]): void {
  fields.push({
    name, type, wireshark, description,
    session: (s) => s.messages.flatMap(get),
    exchange: (s, i) => (s.messages.length === 0 ? NONE : s.messages.filter((m) => m.exchange === i).flatMap(get)),
  });
}
perMessage('message.size', 'number', false, 'size of each message in bytes (after dot-unstuffing)', (m) => [m.size]);
perMessage('message.partial', 'boolean', false, 'a message was cut by a capture gap or a size bound', (m) => [m.partial]);
perMessage('message.via', 'string', false, 'how a message travelled: "smtp.data", "smtp.bdat", "pop3.retr", "pop3.top", "imap.fetch", "imap.append"', (m) => [m.via]);
perMessage('message.sha256', 'string', false, 'SHA-256 of a message, lower-case hex', (m) => [m.sha256]);
perMessage('imf.from', 'string', true, 'From header of a message, as written', (m) => str(m.from));
// Wireshark's imf.to and imf.cc are the whole header: the addresses joined again.
perMessage('imf.to', 'string', true, 'To header of a message, as written', (m) => str(m.to?.join(', ')));
perMessage('imf.subject', 'string', true, 'Subject header of a message, as written (not MIME-decoded)', (m) => str(m.subject));
perMessage('imf.date', 'string', true, 'Date header of a message, as written', (m) => str(m.date));
perMessage('imf.message_id', 'string', true, 'Message-ID header of a message, as written', (m) => str(m.messageId));
perMessage('imf.cc', 'string', true, 'Cc header of a message, as written', (m) => str(m.cc?.join(', ')));
perMessage('imf.subject.decoded', 'string', false, 'Subject header of a message with RFC 2047 encoded words decoded', (m) => str(m.subjectDecoded ?? m.subject));
perMessage('message.received', 'number', false, 'number of Received header fields of a message (its relay chain)', (m) => (m.received === undefined ? NONE : [m.received]));
const attachmentsOf = (m: Session['messages'][number]) => (m.parts ?? []).filter(isAttachment);
perMessage('attachment.name', 'string', false, 'file name of an attachment, RFC 2231 / 2047 decoded, as sent', (m) => attachmentsOf(m).flatMap((p) => str(p.name)));
perMessage('attachment.type', 'string', false, 'content type of an attachment, lower case, e.g. "application/pdf"', (m) => attachmentsOf(m).map((p) => p.type));
perMessage('attachment.sha256', 'string', false, 'SHA-256 of an attachment\'s decoded bytes, lower-case hex', (m) => attachmentsOf(m).map((p) => p.sha256));
perMessage('attachment.size', 'number', false, 'decoded size of an attachment in bytes', (m) => attachmentsOf(m).map((p) => p.size));
perMessage('mime.type', 'string', false, 'content type of any MIME part of a message', (m) => (m.parts ?? []).map((p) => p.type));

// --- TLS ---

const tlsStr = (get: (t: NonNullable<Session['tls']>) => string | null) => (s: Session) => (s.tls ? str(get(s.tls)) : NONE);
session('tls.sni', 'string', false, 'server name the client asked for (ClientHello SNI)', tlsStr((t) => t.sni));
session('tls.handshake.extensions_server_name', 'string', true, 'the same as tls.sni, by Wireshark\'s name', tlsStr((t) => t.sni));
session('tls.version', 'string', false, 'negotiated TLS version ("TLS 1.3", "TLS 1.2")', tlsStr((t) => t.version));
session('tls.cipher', 'string', false, 'negotiated cipher suite, IANA name ("TLS_AES_256_GCM_SHA384")', tlsStr((t) => t.cipher));
session('tls.mode', 'string', false, '"implicit" (TLS from the first byte: 465, 993, 995) or "starttls" (STARTTLS / STLS)', tlsStr((t) => t.mode));
session('tls.alpn', 'string', false, 'each ALPN protocol the client offered', (s) => (s.tls ? s.tls.alpn : NONE));
session('tls.decrypted', 'boolean', false, 'the TLS part was decrypted (a key log was given)', (s) => (s.tls ? [s.tls.decrypted] : NONE));

// --- addresses and TCP ---

session('ip.addr', 'ipv4', true, 'IPv4 address of either end', (s) => bothIps(s, 4));
session('ip.src', 'ipv4', true, 'IPv4 source address of some packet: both ends of a session send packets, so this matches either end (use client.ip / server.ip for one side)', (s) => bothIps(s, 4));
session('ip.dst', 'ipv4', true, 'IPv4 destination address of some packet: like ip.src, either end of the session', (s) => bothIps(s, 4));
session('ipv6.addr', 'ipv6', true, 'IPv6 address of either end', (s) => bothIps(s, 6));
session('ipv6.src', 'ipv6', true, 'IPv6 source address of some packet: either end of the session (see ip.src)', (s) => bothIps(s, 6));
session('ipv6.dst', 'ipv6', true, 'IPv6 destination address of some packet: either end of the session (see ip.src)', (s) => bothIps(s, 6));
session('tcp.port', 'number', true, 'TCP port of either end', (s) => [s.client.port, s.server.port]);
session('tcp.srcport', 'number', true, 'TCP source port of some packet: either end of the session (see ip.src)', (s) => [s.client.port, s.server.port]);
session('tcp.dstport', 'number', true, 'TCP destination port of some packet: either end of the session (see ip.src)', (s) => [s.client.port, s.server.port]);
session('tcp.stream', 'number', true, 'tshark\'s TCP stream index of the connection (mailscope follow -s N)', (s) => [s.stream]);
session('client.ip', 'address', false, 'IP address (v4 or v6) of the client, the side that opened the connection', (s) => ipOf(s.client.ip, 4).concat(ipOf(s.client.ip, 6)));
session('client.port', 'number', false, 'TCP port of the client', (s) => [s.client.port]);
session('server.ip', 'address', false, 'IP address (v4 or v6) of the server', (s) => ipOf(s.server.ip, 4).concat(ipOf(s.server.ip, 6)));
session('server.port', 'number', false, 'TCP port of the server (25, 587, 110, 143, ...)', (s) => [s.server.port]);
const tcpFlag = (n: number): Value[] => (n > 0 ? TRUE : FALSE);
session('tcp.analysis.retransmission', 'boolean', true, 'some segment of the session was retransmitted', (s) => tcpFlag(s.tcp.retransmissions));
session('tcp.analysis.out_of_order', 'boolean', true, 'some segment arrived out of order', (s) => tcpFlag(s.tcp.out_of_order));
session('tcp.analysis.lost_segment', 'boolean', true, 'bytes of the session are missing from the capture (a gap)', (s) => tcpFlag(s.tcp.gaps));
session('tcp.analysis.zero_window', 'boolean', true, 'an end advertised a zero receive window', (s) => tcpFlag(s.tcp.zero_windows));
session('tcp.flags.reset', 'boolean', true, 'the connection saw a RST (write tcp.flags.reset == 1 as in Wireshark, or just tcp.flags.reset)', (s) => tcpFlag(s.tcp.resets));

// --- the session as a whole ---

session('session.id', 'number', false, 'session number, as mailscope read numbers them (from 1)', (s) => [s.id]);
session('session.protocol', 'string', false, '"smtp", "pop3" or "imap"', (s) => [s.protocol]);
const epochSeconds = (iso: string): number => Number(parseIso(iso)) / 1e9;
session('session.start', 'time', false, 'time of the session\'s first packet; compare with a UTC time in quotes: session.start >= "2026-11-25 12:37:20"',
  (s) => [epochSeconds(s.start)]);
session('session.end', 'time', false, 'time of the session\'s last packet (UTC, as session.start)', (s) => [epochSeconds(s.end)]);
session('session.duration', 'number', false, 'seconds from the first to the last packet (with a fraction: session.duration > 0.5)',
  (s) => [Number(parseIso(s.end) - parseIso(s.start)) / 1e9]);
session('session.bytes', 'number', false, 'stream bytes both ways (after reassembly)', (s) => [s.bytes.client + s.bytes.server]);
session('session.bytes.client', 'number', false, 'stream bytes from the client', (s) => [s.bytes.client]);
session('session.bytes.server', 'number', false, 'stream bytes from the server', (s) => [s.bytes.server]);
session('session.exchanges', 'number', false, 'number of exchanges (command and reply pairs, the greeting included)', (s) => [s.exchanges.length]);
session('session.closed', 'string', false, 'how the connection ended: "fin", "rst", "end" (capture ended), "reused", "idle" (quiet past the timeout), "evicted" (the connection table was full)', (s) => [s.closed]);
fields.push({
  name: 'anomaly.kind', type: 'string', wireshark: false,
  description: 'kind of each anomaly ("tcp.gap", "reply.missing", "line.bare_lf", ...: see the session schema)',
  session: (s) => s.anomalies.map((a) => a.kind),
  exchange: (s, i) => (s.anomalies.length === 0 ? NONE : s.anomalies.filter((a) => a.exchange === i).map((a) => a.kind)),
});
fields.push({
  name: 'anomaly.detail', type: 'string', wireshark: false, description: 'the one-line description of each anomaly',
  session: (s) => s.anomalies.map((a) => a.detail),
  exchange: (s, i) => (s.anomalies.length === 0 ? NONE : s.anomalies.filter((a) => a.exchange === i).map((a) => a.detail)),
});

// --- findings (src/findings: what an expert would point out) ---

/** A per-finding field: the session's values are every finding's; an exchange's are those of the findings that cite it. */
function perFinding(name: string, type: FieldType, description: string, get: (f: ReturnType<typeof findingsFor>[number]) => Value[]): void {
  fields.push({
    name, type, wireshark: false, description,
    session: (s) => findingsFor(s).flatMap(get),
    exchange: (s, i) => findingsFor(s).filter((f) => exchangesOf(f, s.id).includes(i)).flatMap(get),
  });
}
perFinding('finding.kind', 'string',
  'kind of each finding: "failed-login", "password-guessing", "cleartext-credentials", "starttls-not-used", "starttls-refused", ' +
  '"tls-required-not-used", "open-relay", "relay-test", "invalid-reply", "out-of-sequence", "pipelining-not-offered", "slow-reply", "tcp-trouble", ' +
  '"sender-reputation", "sender-authentication", "greylisted" ' +
  '(password-guessing and server-slow replies are capture-level: only in the UI once the capture is read, and in mailscope findings)',
  (f) => [f.kind]);
perFinding('finding.severity', 'string', 'severity of each finding: "info", "low", "medium" or "high"', (f) => [f.severity]);
perFinding('finding.why', 'string', 'the one-line reason of each finding', (f) => [f.why]);
session('finding.count', 'number', false, 'number of findings in the session (0 when none)', (s) => [findingsFor(s).length]);

/** Every field, in registry order; the slot of a field is its index here. */
export const FIELDS: readonly FieldDef[] = fields;

const byName = new Map(fields.map((f, i) => [f.name, i]));

/** The slot of a field, or -1. */
export function fieldSlot(name: string): number {
  return byName.get(name) ?? -1;
}

export const FIELD_NAMES: readonly string[] = fields.map((f) => f.name);

export function listFields(): FieldInfo[] {
  return fields.map(({ name, type, description, wireshark }) => ({ name, type, description, wireshark }));
}

/** "a number", "an IPv4 address": how a type is named in messages. */
export function typeName(t: FieldType): string {
  switch (t) {
    case 'number': return 'a number';
    case 'string': return 'a string';
    case 'boolean': return 'a boolean';
    case 'ipv4': return 'an IPv4 address';
    case 'ipv6': return 'an IPv6 address';
    case 'address': return 'an IP address';
    case 'protocol': return 'a protocol';
    case 'time': return 'a time';
  }
}
