/**
 * A session as one Elastic Common Schema (ECS 8.11) document: what
 * `mailscope read --format ecs` prints, one per line, for Filebeat or
 * Logstash to ship into Elasticsearch / OpenSearch as it is.
 *
 * The connection is the event (event.category network + email): client and
 * server as source / destination (and client / server, as ECS asks of
 * connection events), the first message's header in email.* (ECS email
 * fields describe one message), TLS in tls.*, the authenticated user in
 * user.name. What ECS has no field for sits under the one custom object
 * `mailscope` (ECS: custom fields go under a name of their own): the
 * verdict and its failing reply, anomalies, TCP counters, the envelope, the
 * other messages. Every key is fixed by the types below: no key is made
 * from data (an Elasticsearch index maps each new key), the exchanges are
 * not listed, and long lists are cut at a bound.
 *
 * Values unknown are left out, never null; text from the wire is as the
 * session has it (jsonText escapes it). The verdict is the one `read` shows
 * (outcomeRecord, as in sessionRecord), not derived again.
 */
import { createHash } from 'node:crypto';
import { parseIp } from '../filter/values.js';
import { addressOf, splitAddressList } from '../protocols/address-list.js';
import { queueIdOf } from '../protocols/smtp/queue-id.js';
import type { Attachment, Endpoint, MessageSummary, Reply, Session, SessionClose, TcpSummary } from '../session/model.js';
import { verbAsSent } from '../session/model.js';
import { parseIso } from '../util/time.js';
import { sessionUser } from './outcome.js';
import { outcomeRecord, type OutcomeRecord } from './session-record.js';

/** The ECS version whose field definitions this mapping follows. */
const ECS_VERSION = '8.11.0';
/** Messages after the first, and authentication attempts, listed at most (the counts are whole). */
const MAX_LISTED = 100;

export interface EcsEndpoint {
  address: string;
  ip: string;
  port: number;
  bytes: number;
  /** RFC 7042 notation, as ECS asks: upper-case hex, hyphens ("00-1A-2B-3C-4D-5E"). */
  mac?: string;
}

export interface EcsAttachment {
  file: {
    name?: string;
    /** The part after the name's last dot, as written. */
    extension?: string;
    mime_type: string;
    size: number;
    hash: { sha256: string; md5?: string };
  };
}

export interface EcsEmail {
  from?: { address: string[] };
  sender?: { address: string };
  reply_to?: { address: string[] };
  to?: { address: string[] };
  cc?: { address: string[] };
  bcc?: { address: string[] };
  subject?: string;
  message_id?: string;
  /** SMTP: the queue ID the server gave the message in its 250 to the end of DATA / BDAT LAST. */
  local_id?: string;
  /** The Date header, when it parses (RFC 5322 3.3), in ISO 8601 UTC. */
  origination_timestamp?: string;
  content_type?: string;
  x_mailer?: string;
  attachments?: EcsAttachment[];
}

/** A message as mailscope.* keeps it: what ECS has no field for (the first), or all of it (the others). */
export interface MailscopeMessage {
  /** 1-based, in the session's order. */
  number: number;
  /** "smtp.data", "pop3.retr", "imap.fetch", ... */
  via: string;
  size: number;
  sha256: string;
  partial: boolean;
  /** SMTP envelope: MAIL FROM and the accepted RCPT TO. */
  mail_from?: string;
  rcpt_to?: string[];
  /** Messages after the first: their header, named as in email.*. */
  from?: string[];
  to?: string[];
  cc?: string[];
  subject?: string;
  message_id?: string;
  local_id?: string;
  origination_timestamp?: string;
  attachments?: EcsAttachment[];
}

export interface MailscopeReply {
  /** The verb of the command the reply answered, as the client wrote it ("RCPT", "mail", "LOGIN"). */
  command?: string;
  /** SMTP reply code. */
  code?: number;
  /** SMTP enhanced status code (RFC 3463). */
  enhanced?: string;
  /** POP3 / IMAP response code in brackets ("AUTH", "AUTHENTICATIONFAILED"). */
  response_code?: string;
  /** POP3: "-ERR". */
  indicator?: string;
  /** IMAP: "NO", "BAD". */
  status?: string;
  text: string;
}

export interface Mailscope {
  session_id: number;
  /** tshark's tcp.stream of the connection. */
  stream: number;
  protocol: Session['protocol'];
  closed: SessionClose;
  outcome: {
    label: string;
    failed: boolean;
    failures: number;
    /** 0-based index of the exchange the label is about. */
    exchange?: number;
    /** The decisive failing reply. */
    reply?: MailscopeReply;
    explanation?: { meaning: string; cause: string; fix: string; temporary: boolean };
  };
  exchange_count: number;
  message_count: number;
  anomalies: { count: number; kinds: string[] };
  tcp: TcpSummary;
  auth?: { count: number; failures: number; attempts: Array<{ mechanism: string; user?: string; result: string }> };
  tls?: { mode: string; decrypted: boolean; alpn?: string[] };
  /** The first message (its header is in email.*). */
  message?: MailscopeMessage;
  /** The messages after the first, up to 100. */
  messages?: MailscopeMessage[];
}

export interface EcsRecord {
  '@timestamp': string;
  ecs: { version: string };
  event: {
    kind: 'event';
    category: ['network', 'email'];
    type: ['connection', 'protocol'];
    action: string;
    dataset: 'mailscope.session';
    module: 'mailscope';
    start: string;
    end: string;
    /** Nanoseconds. */
    duration?: number;
    outcome: 'success' | 'failure' | 'unknown';
    reason: string;
  };
  source: EcsEndpoint;
  destination: EcsEndpoint;
  client: EcsEndpoint;
  server: EcsEndpoint;
  network: {
    transport: 'tcp';
    iana_number: '6';
    protocol: Session['protocol'];
    type?: 'ipv4' | 'ipv6';
    bytes: number;
    community_id?: string;
  };
  related: { ip: string[]; user?: string[]; hash?: string[] };
  user?: { name: string };
  tls?: {
    version?: string;
    version_protocol?: string;
    cipher?: string;
    established?: boolean;
    next_protocol?: string;
    client?: { server_name: string };
  };
  email?: EcsEmail;
  mailscope: Mailscope;
}

export function ecsRecord(s: Session): EcsRecord {
  const outcome = outcomeRecord(s);
  const client = endpoint(s.client, s.bytes.client, s.eth?.client);
  const server = endpoint(s.server, s.bytes.server, s.eth?.server);
  const family = parseIp(s.client.ip)?.family;
  const duration = durationNs(s.start, s.end);
  const communityIdOf = communityId(s.client, s.server);
  const users = unique(s.auth.flatMap((a) => (a.user ? [a.user] : [])));
  const hashes = unique(s.messages.flatMap((m) => [m.sha256, ...(m.attachments ?? []).flatMap((a) => (a.md5 ? [a.sha256, a.md5] : [a.sha256]))]));
  const user = sessionUser(s);
  const tls = tlsFields(s);
  const email = s.messages.length ? emailFields(s, s.messages[0]) : {};
  return {
    '@timestamp': s.start,
    ecs: { version: ECS_VERSION },
    event: {
      kind: 'event',
      category: ['network', 'email'],
      type: ['connection', 'protocol'],
      action: `${s.protocol}-session`,
      dataset: 'mailscope.session',
      module: 'mailscope',
      start: s.start,
      end: s.end,
      ...(duration !== undefined && { duration }),
      // Only a plain "OK" is a success: ENCRYPTED, NO REPLY, UNANSWERED ..., a live "… OK" are not known to be.
      outcome: outcome.failed ? 'failure' : outcome.label === 'OK' ? 'success' : 'unknown',
      reason: outcome.label,
    },
    // ECS asks connection events for both pairs: source / destination, and client / server.
    source: client,
    destination: server,
    client: { ...client },
    server: { ...server },
    network: {
      transport: 'tcp',
      iana_number: '6',
      protocol: s.protocol,
      ...(family !== undefined && { type: family === 4 ? 'ipv4' : 'ipv6' }),
      bytes: s.bytes.client + s.bytes.server,
      ...(communityIdOf !== undefined && { community_id: communityIdOf }),
    },
    related: {
      ip: unique([s.client.ip, s.server.ip]),
      ...(users.length > 0 && { user: users }),
      ...(hashes.length > 0 && { hash: hashes }),
    },
    ...(user !== null && { user: { name: user } }),
    ...(tls !== undefined && { tls }),
    ...(Object.keys(email).length > 0 && { email }),
    mailscope: mailscope(s, outcome),
  };
}

// --- the connection ---

function endpoint(e: Endpoint, bytes: number, mac: string | undefined): EcsEndpoint {
  const out: EcsEndpoint = { address: e.ip, ip: e.ip, port: e.port, bytes };
  const m = mac === undefined ? undefined : ecsMac(mac);
  if (m) out.mac = m;
  return out;
}

/** "00:1a:2b:3c:4d:5e" -> "00-1A-2B-3C-4D-5E"; anything else is left out. */
function ecsMac(mac: string): string | undefined {
  return /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i.test(mac) ? mac.toUpperCase().replace(/:/g, '-') : undefined;
}

function durationNs(start: string, end: string): number | undefined {
  try {
    const d = Number(parseIso(end) - parseIso(start));
    return Number.isSafeInteger(d) && d >= 0 ? d : undefined;
  } catch {
    return undefined; // a time that does not parse (BigInt of NaN)
  }
}

/**
 * Community ID v1 of a TCP flow (https://github.com/corelight/community-id-spec):
 * "1:" + base64(SHA-1(seed 0 as 2 bytes, the smaller (address, port) end's
 * address, the other's, protocol 6, a zero byte, the two ports big-endian)).
 */
function communityId(a: Endpoint, b: Endpoint): string | undefined {
  const ia = parseIp(a.ip);
  const ib = parseIp(b.ip);
  if (!ia || !ib || ia.family !== ib.family) return undefined;
  const aFirst = ia.n < ib.n || (ia.n === ib.n && a.port < b.port);
  const [src, dst, sport, dport] = aFirst ? [ia.n, ib.n, a.port, b.port] : [ib.n, ia.n, b.port, a.port];
  const len = ia.family === 4 ? 4 : 16;
  const buf = Buffer.alloc(2 + 2 * len + 2 + 4);
  // Bytes 0-1: the seed, 0.
  writeAddress(buf, 2, src, len);
  writeAddress(buf, 2 + len, dst, len);
  buf[2 + 2 * len] = 6;
  // Then a zero byte of padding.
  buf.writeUInt16BE(sport, 2 + 2 * len + 2);
  buf.writeUInt16BE(dport, 2 + 2 * len + 4);
  return `1:${createHash('sha1').update(buf).digest('base64')}`;
}

function writeAddress(buf: Buffer, at: number, n: bigint, len: number): void {
  for (let i = len - 1; i >= 0; i--) {
    buf[at + i] = Number(n & 0xffn);
    n >>= 8n;
  }
}

function tlsFields(s: Session): EcsRecord['tls'] | undefined {
  const t = s.tls;
  if (!t) return undefined;
  const out: NonNullable<EcsRecord['tls']> = {};
  // "TLS 1.3" -> version "1.3", version_protocol "tls" (ECS: the number, and the protocol in lower case).
  const v = t.version === null ? null : /^(TLS|SSL)\s+(\d+\.\d+)$/i.exec(t.version);
  if (v) {
    out.version = v[2];
    out.version_protocol = v[1].toLowerCase();
  }
  if (t.cipher !== null) out.cipher = t.cipher;
  // Decrypted: the tunnel was there. No record protected in either way (no change_cipher_spec
  // for TLS 1.2, no application_data for TLS 1.3): it never was. Otherwise unknown.
  if (t.decrypted) out.established = true;
  else if (t.records && !t.records.types.includes(20) && !t.records.types.includes(23)) out.established = false;
  // ECS wants the protocol tunnelled; the model has what the client offered: only one offered is known to be it.
  if (t.alpn.length === 1) out.next_protocol = t.alpn[0];
  if (t.sni !== null) out.client = { server_name: t.sni };
  return out;
}

// --- messages ---

function emailFields(s: Session, m: MessageSummary): EcsEmail {
  const e: EcsEmail = {};
  const from = addressList(m.from);
  if (from.length) e.from = { address: from };
  // Sender holds one mailbox (RFC 5322 3.6.2): so does ECS's email.sender.address.
  const sender = addressList(header(m, 'sender'))[0];
  if (sender !== undefined) e.sender = { address: sender };
  const replyTo = addressList(header(m, 'reply-to'));
  if (replyTo.length) e.reply_to = { address: replyTo };
  const to = addresses(m.to);
  if (to.length) e.to = { address: to };
  const cc = addresses(m.cc);
  if (cc.length) e.cc = { address: cc };
  const bcc = addressList(header(m, 'bcc'));
  if (bcc.length) e.bcc = { address: bcc };
  const subject = m.subjectDecoded ?? m.subject;
  if (subject !== undefined) e.subject = subject;
  if (m.messageId !== undefined) e.message_id = m.messageId;
  const queueId = localId(s, m);
  if (queueId !== undefined) e.local_id = queueId;
  const date = m.date === undefined ? undefined : rfc5322Date(m.date);
  if (date !== undefined) e.origination_timestamp = date;
  const contentType = header(m, 'content-type')?.split(';')[0]?.trim();
  if (contentType) e.content_type = contentType;
  const mailer = header(m, 'x-mailer') ?? header(m, 'user-agent');
  if (mailer !== undefined) e.x_mailer = mailer;
  const attachments = (m.attachments ?? []).map(attachment);
  if (attachments.length) e.attachments = attachments;
  return e;
}

function attachment(a: Attachment): EcsAttachment {
  const dot = a.name === undefined ? -1 : a.name.lastIndexOf('.');
  const extension = a.name !== undefined && dot > 0 && dot < a.name.length - 1 ? a.name.slice(dot + 1) : undefined;
  return {
    file: {
      ...(a.name !== undefined && { name: a.name }),
      ...(extension !== undefined && { extension }),
      mime_type: a.type,
      size: a.size,
      hash: a.md5 === undefined ? { sha256: a.sha256 } : { sha256: a.sha256, md5: a.md5 },
    },
  };
}

/** The message's own fields, and for the messages after the first their header too. */
function mailscopeMessage(s: Session, m: MessageSummary, index: number): MailscopeMessage {
  const out: MailscopeMessage = { number: index + 1, via: m.via, size: m.size, sha256: m.sha256, partial: m.partial };
  if (m.mailFrom !== undefined) out.mail_from = m.mailFrom;
  if (m.rcptTo !== undefined) out.rcpt_to = m.rcptTo;
  if (index === 0) return out;
  const e = emailFields(s, m);
  if (e.from) out.from = e.from.address;
  if (e.to) out.to = e.to.address;
  if (e.cc) out.cc = e.cc.address;
  if (e.subject !== undefined) out.subject = e.subject;
  if (e.message_id !== undefined) out.message_id = e.message_id;
  if (e.local_id !== undefined) out.local_id = e.local_id;
  if (e.origination_timestamp !== undefined) out.origination_timestamp = e.origination_timestamp;
  if (e.attachments) out.attachments = e.attachments;
  return out;
}

/** The first value of a header field (name in lower case), from the header list. */
function header(m: MessageSummary, name: string): string | undefined {
  for (const [n, v] of m.headers ?? []) if (n.toLowerCase() === name) return v;
  return undefined;
}

/** The addresses of an address-list header (RFC 5322 3.4), as written but without display names and brackets. */
function addressList(text: string | undefined): string[] {
  return text === undefined ? [] : addresses(splitAddressList(text));
}

/** Items already split (MessageSummary.to, .cc) -> their addresses. */
function addresses(items: string[] | undefined): string[] {
  return (items ?? []).map(addressOf).filter((a) => a !== '');
}


/** The queue ID the server gave the message (SMTP: its 250 to the end of DATA / BDAT LAST), as `messages` and smtp.queue_id find it. */
function localId(s: Session, m: MessageSummary): string | undefined {
  if (s.protocol !== 'smtp') return undefined;
  const reply = s.exchanges[m.exchange]?.reply;
  return reply?.code === 250 ? (queueIdOf(reply.text) ?? undefined) : undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** RFC 5322 4.3 obsolete zones (and UTC, common though not in it); other military letters count as -0000 (unknown offset). */
const ZONES: Record<string, number> = { ut: 0, utc: 0, gmt: 0, z: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420 };
const DATE = /^\s*(?:[a-z]{3}\s*,\s*)?(\d{1,2})\s+([a-z]{3})\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[a-z]{1,3})?\s*(?:\([^()]*\)\s*)?$/i;

/** A Date header (RFC 5322 3.3, with the obsolete forms of 4.3) as ISO 8601 UTC; undefined when it is not one. */
function rfc5322Date(text: string): string | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const day = Number(m[1]);
  const month = MONTHS.indexOf(m[2].toLowerCase());
  let year = Number(m[3]);
  if (m[3].length === 2) year += year < 50 ? 2000 : 1900;
  else if (m[3].length === 3) year += 1900;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 0 || day < 1 || year < 1900 || hour > 23 || minute > 59 || second > 60) return undefined;
  const zone = m[7];
  if (zone === undefined) return undefined; // the zone is required
  let offset = 0;
  if (/^[+-]/.test(zone)) {
    const hh = Number(zone.slice(1, 3));
    const mm = Number(zone.slice(3, 5));
    if (mm > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (hh * 60 + mm);
  } else {
    const z = zone.toLowerCase();
    if (Object.hasOwn(ZONES, z)) offset = ZONES[z];
    else if (!/^[a-ik-z]$/.test(z)) return undefined;
  }
  const local = Date.UTC(year, month, day, hour, minute, second);
  // Date.UTC rolls 31 Feb over into March: such a day is not a date.
  if (new Date(Date.UTC(year, month, day)).getUTCDate() !== day) return undefined;
  const ms = local - offset * 60_000;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

// --- mailscope.* ---

function mailscope(s: Session, outcome: OutcomeRecord): Mailscope {
  const o: Mailscope['outcome'] = { label: outcome.label, failed: outcome.failed, failures: outcome.failures };
  if (outcome.exchange !== null) {
    o.exchange = outcome.exchange;
    const ex = s.exchanges[outcome.exchange];
    if (outcome.failed && ex?.reply) o.reply = replyFields(ex.reply, ex.command ? verbAsSent(ex.command) : undefined);
  }
  if (outcome.explanation) o.explanation = { ...outcome.explanation };

  const kinds: string[] = [];
  for (const a of s.anomalies) if (!kinds.includes(a.kind)) kinds.push(a.kind);
  const out: Mailscope = {
    session_id: s.id,
    stream: s.stream,
    protocol: s.protocol,
    closed: s.closed,
    outcome: o,
    exchange_count: s.exchanges.length,
    message_count: s.messages.length,
    anomalies: { count: s.anomalies.length, kinds },
    tcp: { ...s.tcp },
  };
  if (s.auth.length) {
    out.auth = {
      count: s.auth.length,
      failures: s.auth.filter((a) => a.result === 'failure').length,
      attempts: s.auth.slice(0, MAX_LISTED).map((a) => (a.user === null ? { mechanism: a.mechanism, result: a.result } : { mechanism: a.mechanism, user: a.user, result: a.result })),
    };
  }
  if (s.tls) {
    out.tls = { mode: s.tls.mode, decrypted: s.tls.decrypted };
    if (s.tls.alpn.length) out.tls.alpn = [...s.tls.alpn];
  }
  if (s.messages.length) out.message = mailscopeMessage(s, s.messages[0], 0);
  if (s.messages.length > 1) out.messages = s.messages.slice(1, 1 + MAX_LISTED).map((m, i) => mailscopeMessage(s, m, i + 1));
  return out;
}

function replyFields(r: Reply, command: string | undefined): MailscopeReply {
  // One type per key (an index maps the type it sees first): SMTP's number and POP3 / IMAP's word apart.
  return {
    ...(command !== undefined && { command }),
    ...(typeof r.code === 'number' && { code: r.code }),
    ...(r.enhanced !== undefined && { enhanced: r.enhanced }),
    ...(r.indicator !== undefined && { indicator: r.indicator }),
    ...(r.status !== undefined && { status: r.status }),
    ...(typeof r.code === 'string' && { response_code: r.code }),
    text: r.text,
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
