/**
 * Deterministic benchmark capture generator.
 *
 *   node dist/bench/generate.js OUT.pcap [--mb 220] [--seed 1]
 *
 * Writes a classic pcap (Ethernet, microsecond timestamps) of about the
 * requested size (1 MB = 1 MiB = 1048576 bytes here), full of interleaved SMTP
 * (25, 587), POP3 (110) and IMAP (143) sessions over TCP with correct sequence
 * numbers, handshakes and teardowns, plus rare deterministic trouble
 * (retransmissions, swapped segment pairs, zero-window ACKs). Everything is
 * derived from the seed with mulberry32: the same seed and size give a
 * byte-identical file.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LinkType } from '../src/capture/frame.js';
import { ethernetIPv4Tcp, ethernetIPv6Tcp, parseIPv4, parseIPv6, type TcpOptionsSpec } from '../src/capture/packet-builder.js';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { TcpFlag } from '../src/net/segment.js';

export interface GenerateOptions {
  out: string;
  /** Target size in MiB (may be fractional). */
  megabytes: number;
  seed: number;
}

export type MailProtocol = 'smtp' | 'submission' | 'pop3' | 'imap';

export interface GenerateResult {
  frames: number;
  connections: number;
  /** File size in bytes. */
  bytes: number;
  /** Connections per protocol (smtp = port 25, submission = port 587). */
  protocols: Record<MailProtocol, number>;
  /** Data segments sent a second time. */
  retransmissions: number;
  /** Pairs of consecutive data segments written in swapped order. */
  swaps: number;
  /** Zero-window ACKs (each followed by a window update). */
  zeroWindows: number;
  seconds: number;
}

// ---------------------------------------------------------------------------
// PRNG

/** mulberry32: tiny, fast, good enough for test data; deterministic across platforms. */
export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) | 0;
    let t = Math.imul(this.a ^ (this.a >>> 15), 1 | this.a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  u32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }
  /** Integer in [lo, hi], inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Log-uniform integer in [lo, hi]. */
  logInt(lo: number, hi: number): number {
    return Math.min(hi, Math.floor(lo * Math.pow(hi / lo, this.next())));
  }
  /** An independent generator seeded from this one. */
  fork(): Rng {
    return new Rng(this.u32() ^ 0x9e3779b9);
  }
}

// ---------------------------------------------------------------------------
// Constants

const MIB = 1 << 20;
const MAX_PAYLOAD = 1448;
const MIN_MESSAGE = 1024;
const MAX_MESSAGE = 2 * MIB;
/** 2024-03-12T09:00:00Z in microseconds. */
const BASE_US = Date.UTC(2024, 2, 12, 9, 0, 0) * 1000;
const WSCALE = 7;

const P_RETRANSMIT = 0.001;
const P_SWAP = 0.001;
const P_ZERO_WINDOW = 0.0005;

const CLIENT = 0;
const SERVER = 1;
type Dir = typeof CLIENT | typeof SERVER;

interface Server {
  name: string;
  v4: Buffer;
  v6: Buffer;
  v4Text: string;
  v6Text: string;
  mac: Buffer;
}

function server(name: string, v4: string, v6: string, mac: string): Server {
  return {
    name,
    v4: parseIPv4(v4),
    v6: parseIPv6(v6),
    v4Text: v4,
    v6Text: v6,
    mac: Buffer.from(mac.replace(/:/g, ''), 'hex'),
  };
}

const SERVERS = {
  mx: [
    server('mx1.example.net', '192.0.2.25', '2001:db8:0:25::25', '00:16:3e:00:00:25'),
    server('mx2.example.net', '192.0.2.26', '2001:db8:0:25::26', '00:16:3e:00:00:26'),
  ],
  submission: [server('smtp.example.net', '192.0.2.87', '2001:db8:0:25::587', '00:16:3e:00:05:87')],
  mailbox: [
    server('mail.example.net', '192.0.2.110', '2001:db8:0:110::110', '00:16:3e:00:01:10'),
    server('imap.example.net', '192.0.2.143', '2001:db8:0:110::143', '00:16:3e:00:01:43'),
  ],
};
const GATEWAY_MAC = Buffer.from('00005e000101', 'hex');

const PORTS: Record<MailProtocol, number> = { smtp: 25, submission: 587, pop3: 110, imap: 143 };

// ---------------------------------------------------------------------------
// Text material

const FIRST = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'yolanda'];
const LAST = ['smith', 'jones', 'garcia', 'miller', 'davis', 'martin', 'lopez', 'wilson', 'moore', 'taylor', 'thomas', 'white', 'harris', 'clark', 'lewis', 'young'];
const DOMAINS = ['example.org', 'example.com', 'example.net', 'mail.example.co', 'corp.example.org', 'lists.example.com'];
const LOCAL_DOMAIN = 'example.net';
const SUBJECTS = ['Quarterly report', 'Re: meeting notes', 'Invoice', 'Fwd: travel plans', 'Build failed', 'Your order has shipped', 'Weekly digest', 'Re: Re: budget draft', 'Photos from the weekend', 'Contract for review', 'Password reset', 'Lunch on Friday?'];
const WORDS = ('the of and to in is that for it as was with be by on not he this are or his from at which but have an they you were ' +
  'her she there been one all would their we him has when who will more if no out so said what up its about into than them can only other ' +
  'time new some could these two may first then do any like my now over such our man me even most made after also did many before must ' +
  'through back years where much your way well down should because each just those people how too little state good very make world still ' +
  'report budget meeting server invoice delivery mailbox attachment schedule project review release customer support network quarter').split(' ');
const ATTACHMENTS: readonly [string, string][] = [
  ['application/pdf', 'pdf'],
  ['image/jpeg', 'jpg'],
  ['application/zip', 'zip'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['image/png', 'png'],
];
/** Lines that start with '.' so that dot-stuffing has something to do. */
const DOT_LINES = ['.', '..', '...', '. . .', '.signature follows', '.hidden-file is in the archive', '.Net 8 upgrade notes', '.-- end --.'];

interface Pools {
  /** Base64 text in 76-character lines, each ending in CRLF. */
  base64Lines: Buffer;
  base64LineCount: number;
}

const B64_LINE = 76;
const B64_LINE_CRLF = 78;

function makePools(rng: Rng): Pools {
  const count = Math.ceil(MAX_MESSAGE / B64_LINE_CRLF) + 64;
  const rawLen = (count * B64_LINE * 3) / 4;
  const raw = Buffer.allocUnsafe(rawLen + 3);
  for (let i = 0; i < rawLen; i += 4) raw.writeUInt32LE(rng.u32(), i);
  const b64 = Buffer.from(raw.toString('base64', 0, rawLen), 'latin1');
  const lines = Buffer.allocUnsafe(count * B64_LINE_CRLF);
  for (let i = 0; i < count; i++) {
    b64.copy(lines, i * B64_LINE_CRLF, i * B64_LINE, (i + 1) * B64_LINE);
    lines[i * B64_LINE_CRLF + B64_LINE] = 13;
    lines[i * B64_LINE_CRLF + B64_LINE + 1] = 10;
  }
  return { base64Lines: lines, base64LineCount: count };
}

function person(rng: Rng, domain?: string): { name: string; addr: string } {
  const f = rng.pick(FIRST);
  const l = rng.pick(LAST);
  const d = domain ?? rng.pick(DOMAINS);
  const local = rng.chance(0.5) ? `${f}.${l}` : `${f}${rng.int(1, 999)}`;
  return { name: `${f[0].toUpperCase()}${f.slice(1)} ${l[0].toUpperCase()}${l.slice(1)}`, addr: `${local}@${d}` };
}

function rfc2822Date(us: number): string {
  return new Date(Math.floor(us / 1000)).toUTCString().replace('GMT', '+0000');
}

function hexId(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789ABCDEF'[rng.int(0, 15)];
  return s;
}

/** Text paragraphs of roughly `size` bytes, CRLF line ends, some lines starting with '.'. */
function textBody(rng: Rng, size: number): string {
  const lines: string[] = [];
  let total = 0;
  while (total < size) {
    let line: string;
    const r = rng.next();
    if (r < 0.03) line = rng.pick(DOT_LINES);
    else if (r < 0.12) line = '';
    else {
      const width = rng.int(40, 76);
      line = rng.pick(WORDS);
      while (line.length < width) line += ' ' + rng.pick(WORDS);
    }
    lines.push(line);
    total += line.length + 2;
  }
  return lines.join('\r\n') + '\r\n';
}

interface MessageMeta {
  from: { name: string; addr: string };
  to: { name: string; addr: string }[];
  clientHost: string;
  clientIp: string;
  server: string;
  us: number;
}

/** An RFC 5322 message of about `size` bytes (CRLF line ends, ending in CRLF). */
function buildMessage(rng: Rng, pools: Pools, size: number, m: MessageMeta): Buffer {
  const date = rfc2822Date(m.us);
  const qid = hexId(rng, 10);
  const subject = `${rng.pick(SUBJECTS)} ${rng.int(1, 9999)}`;
  const head =
    `Return-Path: <${m.from.addr}>\r\n` +
    `Received: from ${m.clientHost} (${m.clientHost} [${m.clientIp}])\r\n` +
    `\tby ${m.server} (Postfix) with ESMTPS id ${qid}\r\n` +
    `\tfor <${m.to[0].addr}>; ${date}\r\n` +
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${m.from.addr.split('@')[1]}; s=mail;\r\n` +
    `\tt=${Math.floor(m.us / 1e6)}; bh=${pools.base64Lines.toString('latin1', 0, 43)}=;\r\n` +
    `\th=From:To:Subject:Date:Message-ID;\r\n` +
    `\tb=${pools.base64Lines.toString('latin1', 78, 78 + 64)}\r\n` +
    `Message-ID: <${Math.floor(m.us / 1000)}.${hexId(rng, 8)}@${m.from.addr.split('@')[1]}>\r\n` +
    `Date: ${date}\r\n` +
    `From: ${m.from.name} <${m.from.addr}>\r\n` +
    `To: ${m.to.map((t) => `${t.name} <${t.addr}>`).join(',\r\n\t')}\r\n` +
    `Subject: ${subject}\r\n` +
    `MIME-Version: 1.0\r\n`;
  if (size < 4096) {
    const text = textBody(rng, Math.max(64, size - head.length - 100));
    return Buffer.from(head + 'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n' + text, 'latin1');
  }
  const boundary = `=_mailscope_${hexId(rng, 16)}`;
  const [ctype, ext] = rng.pick(ATTACHMENTS);
  const fname = `${subject.split(' ')[0].toLowerCase()}-${rng.int(1, 999)}.${ext}`;
  const textSize = Math.min(Math.floor(size * 0.3), rng.int(600, 6000));
  const pre =
    head +
    `Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n` +
    `This is a multi-part message in MIME format.\r\n\r\n` +
    `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n` +
    textBody(rng, textSize) +
    `\r\n--${boundary}\r\nContent-Type: ${ctype}; name="${fname}"\r\n` +
    `Content-Disposition: attachment; filename="${fname}"\r\nContent-Transfer-Encoding: base64\r\n\r\n`;
  const tailLen = 4 * rng.int(1, 18); // base64 comes in 4-character groups
  const post = `\r\n--${boundary}--\r\n`;
  const lines = Math.max(1, Math.floor((size - pre.length - post.length - tailLen - 2) / B64_LINE_CRLF));
  const total = pre.length + lines * B64_LINE_CRLF + tailLen + post.length;
  const buf = Buffer.allocUnsafe(total);
  let off = buf.write(pre, 0, 'latin1');
  // Base64 lines from the pool, starting at a random line and wrapping.
  let line = rng.int(0, pools.base64LineCount - 1);
  let left = lines;
  while (left > 0) {
    const n = Math.min(left, pools.base64LineCount - line);
    off += pools.base64Lines.copy(buf, off, line * B64_LINE_CRLF, (line + n) * B64_LINE_CRLF);
    left -= n;
    line = 0;
  }
  // A short last line ending in a padded group, as a real encoder would, then the closing boundary.
  off += pools.base64Lines.copy(buf, off, 0, tailLen - 4);
  off += buf.write('AA==', off, 'latin1');
  off += buf.write(post, off, 'latin1');
  return off === total ? buf : buf.subarray(0, off);
}

/**
 * prefix + body + suffix in one Buffer; with `stuff`, every body line that
 * starts with '.' gets another '.' in front (RFC 5321 4.5.2 / RFC 1939 3).
 */
function wrapBody(prefix: string, body: Buffer, suffix: string, stuff: boolean): Buffer {
  const positions: number[] = [];
  if (stuff) {
    if (body.length && body[0] === 0x2e) positions.push(0);
    let i = body.indexOf('\r\n.');
    while (i >= 0) {
      positions.push(i + 2);
      i = body.indexOf('\r\n.', i + 3);
    }
  }
  const pre = Buffer.byteLength(prefix, 'latin1');
  const buf = Buffer.allocUnsafe(pre + body.length + positions.length + Buffer.byteLength(suffix, 'latin1'));
  let off = buf.write(prefix, 0, 'latin1');
  let from = 0;
  for (const p of positions) {
    off += body.copy(buf, off, from, p);
    buf[off++] = 0x2e;
    from = p;
  }
  off += body.copy(buf, off, from);
  buf.write(suffix, off, 'latin1');
  return buf;
}

// ---------------------------------------------------------------------------
// Session plans and scripts

interface Step {
  from: Dir;
  data: Buffer;
}

type RcptOutcome = 'ok' | 'unknown' | 'greylist';

interface SmtpMessagePlan {
  size: number;
  rcpts: RcptOutcome[];
}

interface Plan {
  proto: MailProtocol;
  /** Estimated bytes this connection adds to the file. */
  estimate: number;
  /** smtp/submission: messages; pop3: retrieved message sizes; imap: the fetched message (if login ok). */
  messages: SmtpMessagePlan[];
  authOk: boolean;
  /** Who sends the first FIN. */
  serverCloses: boolean;
  fourWayClose: boolean;
}

/** Frame overhead per full-size segment incl. the share of pure ACKs. */
function estimateBytes(payload: number, exchanges: number, v6: boolean): number {
  const perFrame = 16 + 14 + (v6 ? 40 : 20) + 20;
  const dataFrames = Math.ceil(payload / MAX_PAYLOAD) + exchanges;
  return payload + Math.ceil(dataFrames * 1.5) * perFrame + 8 * perFrame + 24;
}

function planConnection(rng: Rng, proto: MailProtocol, maxMessage: number, v6: boolean): Plan {
  const messages: SmtpMessagePlan[] = [];
  let payload = 0;
  let exchanges = 0;
  let authOk = true;
  const msgSize = (): number => rng.logInt(MIN_MESSAGE, Math.max(MIN_MESSAGE, maxMessage));
  switch (proto) {
    case 'smtp':
    case 'submission': {
      if (proto === 'submission') authOk = !rng.chance(0.12);
      payload += 450;
      exchanges += 4;
      if (authOk) {
        const n = rng.chance(0.8) ? 1 : rng.int(2, 3);
        for (let i = 0; i < n; i++) {
          const rcpts: RcptOutcome[] = [];
          const nr = rng.chance(0.6) ? 1 : rng.int(2, 5);
          for (let r = 0; r < nr; r++) {
            const x = rng.next();
            rcpts.push(x < 0.06 ? 'unknown' : x < 0.1 ? 'greylist' : 'ok');
          }
          const size = msgSize();
          messages.push({ size, rcpts });
          exchanges += 2 + nr;
          payload += 100 + nr * 80;
          if (rcpts.includes('ok')) {
            payload += size + 1200;
            exchanges += 2;
          }
        }
      }
      break;
    }
    case 'pop3': {
      authOk = !rng.chance(0.1);
      payload += 200;
      exchanges += 4;
      if (authOk) {
        const n = rng.chance(0.7) ? 1 : rng.int(2, 3);
        for (let i = 0; i < n; i++) {
          const size = msgSize();
          messages.push({ size, rcpts: [] });
          payload += size + 1000;
          exchanges += 2;
        }
        payload += 200;
        exchanges += 6;
      }
      break;
    }
    case 'imap': {
      authOk = !rng.chance(0.1);
      payload += 350;
      exchanges += 4;
      if (authOk) {
        const size = msgSize();
        messages.push({ size, rcpts: [] });
        payload += size + 1300;
        exchanges += 4;
      }
      break;
    }
  }
  return {
    proto,
    estimate: estimateBytes(payload, exchanges, v6),
    messages,
    authOk,
    serverCloses: rng.chance(0.7),
    fourWayClose: rng.chance(0.5),
  };
}

interface ScriptCtx {
  rng: Rng;
  pools: Pools;
  plan: Plan;
  server: Server;
  clientHost: string;
  clientIp: string;
  /** Current capture time in microseconds. */
  now: () => number;
}

const enc = (s: string): Buffer => Buffer.from(s, 'latin1');
const c = (s: string): Step => ({ from: CLIENT, data: enc(s) });
const s = (s: string): Step => ({ from: SERVER, data: enc(s) });

function* smtpScript(x: ScriptCtx): Generator<Step> {
  const { rng, plan, server: srv } = x;
  const host = srv.name;
  yield s(`220 ${host} ESMTP Postfix (Debian/GNU)\r\n`);
  yield c(`EHLO ${x.clientHost}\r\n`);
  yield s(
    `250-${host}\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n250-VRFY\r\n250-ETRN\r\n` +
      (plan.proto === 'submission' ? '250-AUTH PLAIN LOGIN\r\n' : '250-STARTTLS\r\n') +
      `250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n`,
  );
  const sender = person(rng);
  if (plan.proto === 'submission') {
    const user = sender.addr;
    const token = Buffer.from(`\0${user}\0${hexId(rng, 12).toLowerCase()}`).toString('base64');
    yield c(`AUTH PLAIN ${token}\r\n`);
    if (!plan.authOk) {
      yield s('535 5.7.8 Error: authentication failed: authentication failure\r\n');
      yield c('QUIT\r\n');
      yield s('221 2.0.0 Bye\r\n');
      return;
    }
    yield s('235 2.7.0 Authentication successful\r\n');
  }
  for (const msg of plan.messages) {
    yield c(`MAIL FROM:<${sender.addr}> SIZE=${msg.size}\r\n`);
    yield s('250 2.1.0 Ok\r\n');
    const accepted: { name: string; addr: string }[] = [];
    for (const outcome of msg.rcpts) {
      const rcpt = person(rng, plan.proto === 'smtp' ? LOCAL_DOMAIN : undefined);
      yield c(`RCPT TO:<${rcpt.addr}>\r\n`);
      if (outcome === 'ok') {
        accepted.push(rcpt);
        yield s('250 2.1.5 Ok\r\n');
      } else if (outcome === 'unknown') {
        yield s(`550 5.1.1 <${rcpt.addr}>: Recipient address rejected: User unknown in virtual mailbox table\r\n`);
      } else {
        yield s(
          `450 4.7.1 <${rcpt.addr}>: Recipient address rejected: Greylisted, see https://postgrey.schweikert.ch/help/${LOCAL_DOMAIN}.html\r\n`,
        );
      }
    }
    if (accepted.length === 0) {
      yield c('RSET\r\n');
      yield s('250 2.0.0 Ok\r\n');
      continue;
    }
    yield c('DATA\r\n');
    yield s('354 End data with <CR><LF>.<CR><LF>\r\n');
    const body = buildMessage(rng, x.pools, msg.size, {
      from: sender,
      to: accepted,
      clientHost: x.clientHost,
      clientIp: x.clientIp,
      server: host,
      us: x.now(),
    });
    yield { from: CLIENT, data: wrapBody('', body, '.\r\n', true) };
    yield s(`250 2.0.0 Ok: queued as ${hexId(rng, 10)}\r\n`);
  }
  yield c('QUIT\r\n');
  yield s('221 2.0.0 Bye\r\n');
}

function* pop3Script(x: ScriptCtx): Generator<Step> {
  const { rng, plan } = x;
  const user = person(rng, LOCAL_DOMAIN);
  yield s('+OK Dovecot (Debian) ready.\r\n');
  yield c(`USER ${user.addr.split('@')[0]}\r\n`);
  yield s('+OK\r\n');
  yield c(`PASS ${hexId(rng, 12).toLowerCase()}\r\n`);
  if (!plan.authOk) {
    yield s('-ERR [AUTH] Authentication failed.\r\n');
    yield c('QUIT\r\n');
    yield s('+OK Logging out\r\n');
    return;
  }
  yield s('+OK Logged in.\r\n');
  const bodies = plan.messages.map((m) =>
    buildMessage(rng, x.pools, m.size, {
      from: person(rng),
      to: [user],
      clientHost: `relay${rng.int(1, 9)}.${rng.pick(DOMAINS)}`,
      clientIp: `198.51.100.${rng.int(1, 254)}`,
      server: 'mx1.example.net',
      us: x.now() - rng.int(60, 86400) * 1e6,
    }),
  );
  // The maildrop may hold more messages than this session retrieves.
  const sizes = bodies.map((b) => b.length);
  const extra = rng.int(0, 4);
  for (let i = 0; i < extra; i++) sizes.push(rng.logInt(MIN_MESSAGE, 500_000));
  yield c('STAT\r\n');
  yield s(`+OK ${sizes.length} ${sizes.reduce((a, b) => a + b, 0)}\r\n`);
  yield c('LIST\r\n');
  yield s(`+OK ${sizes.length} messages:\r\n${sizes.map((n, i) => `${i + 1} ${n}\r\n`).join('')}.\r\n`);
  for (let i = 0; i < bodies.length; i++) {
    yield c(`RETR ${i + 1}\r\n`);
    yield { from: SERVER, data: wrapBody(`+OK ${bodies[i].length} octets\r\n`, bodies[i], '.\r\n', true) };
    if (rng.chance(0.5)) {
      yield c(`DELE ${i + 1}\r\n`);
      yield s('+OK Marked to be deleted.\r\n');
    }
  }
  yield c('QUIT\r\n');
  yield s('+OK Logging out.\r\n');
}

const IMAP_CAPS = 'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN';

function* imapScript(x: ScriptCtx): Generator<Step> {
  const { rng, plan } = x;
  const user = person(rng, LOCAL_DOMAIN);
  yield s(`* OK [CAPABILITY ${IMAP_CAPS}] Dovecot (Debian) ready.\r\n`);
  yield c(`a1 LOGIN ${user.addr.split('@')[0]} "${hexId(rng, 12).toLowerCase()}"\r\n`);
  if (!plan.authOk) {
    yield s('a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n');
    yield c('a2 LOGOUT\r\n');
    yield s('* BYE Logging out\r\na2 OK Logout completed (0.001 + 0.000 secs).\r\n');
    return;
  }
  yield s(`a1 OK [CAPABILITY ${IMAP_CAPS} SORT THREAD=REFERENCES MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS] Logged in\r\n`);
  const exists = rng.int(1, 400);
  yield c('a2 SELECT INBOX\r\n');
  yield s(
    '* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n' +
      '* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.\r\n' +
      `* ${exists} EXISTS\r\n* ${rng.int(0, Math.min(exists, 5))} RECENT\r\n` +
      `* OK [UIDVALIDITY ${1700000000 + rng.int(0, 9999999)}] UIDs valid\r\n` +
      `* OK [UIDNEXT ${exists + rng.int(1, 50)}] Predicted next UID\r\n` +
      'a2 OK [READ-WRITE] Select completed (0.002 + 0.000 + 0.001 secs).\r\n',
  );
  const msg = plan.messages[0];
  const body = buildMessage(rng, x.pools, msg.size, {
    from: person(rng),
    to: [user],
    clientHost: `relay${rng.int(1, 9)}.${rng.pick(DOMAINS)}`,
    clientIp: `198.51.100.${rng.int(1, 254)}`,
    server: 'mx1.example.net',
    us: x.now() - rng.int(60, 86400) * 1e6,
  });
  yield c('a3 FETCH 1 BODY[]\r\n');
  yield {
    from: SERVER,
    data: wrapBody(`* 1 FETCH (FLAGS (\\Seen) BODY[] {${body.length}}\r\n`, body, ')\r\na3 OK Fetch completed (0.003 + 0.000 + 0.002 secs).\r\n', false),
  };
  yield c('a4 LOGOUT\r\n');
  yield s('* BYE Logging out\r\na4 OK Logout completed (0.001 + 0.000 secs).\r\n');
}

// ---------------------------------------------------------------------------
// TCP connection state

interface Side {
  ip: Buffer;
  port: number;
  mac: Buffer;
  /** Next sequence number to send (a Number that may exceed 2^32; the builder wraps it). */
  nxt: number;
  /** Window field (scaled by 2^WSCALE) in non-SYN segments. */
  win: number;
  ipId: number;
  /** Segments received from the peer that this side has not acknowledged yet. */
  unacked: number;
}

interface Pkt {
  from: Dir;
  seq: number;
  ack: number;
  flags: number;
  win: number;
  payload: Buffer | null;
  options?: TcpOptionsSpec;
}

const SYN_OPTIONS: TcpOptionsSpec = { mss: 1460, sackPermitted: true, windowScale: WSCALE };

interface Trouble {
  retransmissions: number;
  swaps: number;
  zeroWindows: number;
}

class Connection {
  readonly sides: [Side, Side];
  readonly v6: boolean;
  private queue: Pkt[];
  private head = 0;
  private closed = false;
  private finished = false;

  constructor(
    readonly plan: Plan,
    private readonly rng: Rng,
    private readonly script: Iterator<Step>,
    client: Side,
    srv: Side,
    private readonly trouble: Trouble,
  ) {
    this.sides = [client, srv];
    this.v6 = client.ip.length === 16;
    const isnC = client.nxt;
    const isnS = srv.nxt;
    this.queue = [
      { from: CLIENT, seq: isnC, ack: 0, flags: TcpFlag.SYN, win: 64240, payload: null, options: SYN_OPTIONS },
      { from: SERVER, seq: isnS, ack: isnC + 1, flags: TcpFlag.SYN | TcpFlag.ACK, win: 65160, payload: null, options: SYN_OPTIONS },
      { from: CLIENT, seq: isnC + 1, ack: isnS + 1, flags: TcpFlag.ACK, win: client.win, payload: null },
    ];
    client.nxt = isnC + 1;
    srv.nxt = isnS + 1;
  }

  /** The next packet this connection sends, or null when it is over. */
  next(): Pkt | null {
    while (this.head >= this.queue.length) {
      if (this.finished) return null;
      this.queue = this.refill();
      this.head = 0;
    }
    return this.queue[this.head++];
  }

  private pureAck(from: Dir, win?: number): Pkt {
    const me = this.sides[from];
    const peer = this.sides[1 - from];
    return { from, seq: me.nxt, ack: peer.nxt, flags: TcpFlag.ACK, win: win ?? me.win, payload: null };
  }

  private refill(): Pkt[] {
    if (this.closed) {
      this.finished = true;
      return [];
    }
    const step = this.script.next();
    if (step.done) {
      this.closed = true;
      return this.teardown();
    }
    return this.expand(step.value);
  }

  private expand(step: Step): Pkt[] {
    const rng = this.rng;
    const from = step.from;
    const to = (1 - from) as Dir;
    const X = this.sides[from];
    const Y = this.sides[to];
    let out: Pkt[] = [];
    // The receiver's delayed ACK fires before the same side writes again.
    if (Y.unacked > 0) {
      out.push(this.pureAck(to));
      Y.unacked = 0;
    }
    X.unacked = 0; // our data carries the ACK
    const data = step.data;
    let dataSegs = 0;
    for (let off = 0; off < data.length; off += MAX_PAYLOAD) {
      const end = Math.min(off + MAX_PAYLOAD, data.length);
      const last = end === data.length;
      out.push({
        from,
        seq: X.nxt,
        ack: Y.nxt,
        flags: TcpFlag.ACK | (last ? TcpFlag.PSH : 0),
        win: X.win,
        payload: data.subarray(off, end),
      });
      dataSegs++;
      X.nxt += end - off;
      if (++Y.unacked === 2) {
        Y.unacked = 0;
        if (!last && rng.chance(P_ZERO_WINDOW)) {
          // Receiver's buffer is full for a moment: zero window, then a window update.
          out.push(this.pureAck(to, 0));
          out.push(this.pureAck(to));
          this.trouble.zeroWindows++;
        } else {
          out.push(this.pureAck(to));
        }
      }
    }
    if (dataSegs >= 2) out = this.disturb(out);
    return out;
  }

  /** Rare out-of-order pairs and retransmissions, inside one write's packets. */
  private disturb(pkts: Pkt[]): Pkt[] {
    const rng = this.rng;
    for (let i = 0; i + 1 < pkts.length; i++) {
      const a = pkts[i];
      const b = pkts[i + 1];
      if (a.payload && b.payload && a.from === b.from && rng.chance(P_SWAP)) {
        pkts[i] = b;
        pkts[i + 1] = a;
        this.trouble.swaps++;
        i++;
      }
    }
    let result: Pkt[] | null = null;
    const pending: { pkt: Pkt; due: number }[] = [];
    for (let i = 0; i < pkts.length; i++) {
      const p = pkts[i];
      if (result) result.push(p);
      if (p.payload && rng.chance(P_RETRANSMIT)) {
        result ??= pkts.slice(0, i + 1);
        pending.push({ pkt: { ...p }, due: result.length + rng.int(1, 4) });
        this.trouble.retransmissions++;
      }
      if (result) {
        for (let k = 0; k < pending.length; k++) {
          if (pending[k].due <= result.length) {
            result.push(pending[k].pkt);
            pending.splice(k--, 1);
          }
        }
      }
    }
    if (!result) return pkts;
    for (const p of pending) result.push(p.pkt);
    return result;
  }

  private teardown(): Pkt[] {
    const closer: Dir = this.plan.serverCloses ? SERVER : CLIENT;
    const other = (1 - closer) as Dir;
    const A = this.sides[closer];
    const B = this.sides[other];
    const out: Pkt[] = [];
    A.unacked = 0;
    B.unacked = 0;
    out.push({ from: closer, seq: A.nxt, ack: B.nxt, flags: TcpFlag.FIN | TcpFlag.ACK, win: A.win, payload: null });
    A.nxt += 1;
    if (this.plan.fourWayClose) out.push(this.pureAck(other));
    out.push({ from: other, seq: B.nxt, ack: A.nxt, flags: TcpFlag.FIN | TcpFlag.ACK, win: B.win, payload: null });
    B.nxt += 1;
    out.push(this.pureAck(closer));
    return out;
  }

  /** Build the frame for a packet (IP ID advances per sender). */
  frame(p: Pkt): Buffer {
    const me = this.sides[p.from];
    const peer = this.sides[1 - p.from];
    const spec = {
      src: me.ip,
      dst: peer.ip,
      srcPort: me.port,
      dstPort: peer.port,
      seq: p.seq,
      ack: p.ack,
      flags: p.flags,
      window: p.win,
      payload: p.payload ?? undefined,
      ipId: me.ipId,
      ttl: p.from === CLIENT ? 57 : 64,
      srcMac: me.mac,
      dstMac: peer.mac,
      options: p.options,
    };
    me.ipId = (me.ipId + 1) & 0xffff;
    return this.v6 ? ethernetIPv6Tcp(spec) : ethernetIPv4Tcp(spec);
  }
}

// ---------------------------------------------------------------------------
// Driver

const PROTO_CYCLE: MailProtocol[] = ['smtp', 'submission', 'pop3', 'imap'];

function pickProtocol(rng: Rng, n: number): MailProtocol {
  if (n < PROTO_CYCLE.length) return PROTO_CYCLE[n]; // every capture has all four
  const r = rng.next();
  return r < 0.4 ? 'smtp' : r < 0.6 ? 'submission' : r < 0.8 ? 'pop3' : 'imap';
}

export async function generateCapture(opts: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  if (!(opts.megabytes > 0)) throw new RangeError(`megabytes must be positive: ${opts.megabytes}`);
  const target = Math.round(opts.megabytes * MIB);
  const rng = new Rng(opts.seed);
  const pools = makePools(rng.fork());
  // Keep several connections in even a small capture.
  const maxMessage = Math.max(MIN_MESSAGE * 2, Math.min(MAX_MESSAGE, Math.floor(target / 6)));
  const writer = new PcapWriter(opts.out, { linkType: LinkType.ETHERNET });
  const trouble: Trouble = { retransmissions: 0, swaps: 0, zeroWindows: 0 };
  const protocols: Record<MailProtocol, number> = { smtp: 0, submission: 0, pop3: 0, imap: 0 };
  const usedEndpoints = new Set<string>();
  const active: Connection[] = [];
  let committed = 24;
  let opened = 0;
  let frames = 0;
  let us = BASE_US;
  let concurrency = rng.int(50, 200);
  let retargetAt = rng.int(2000, 8000);
  let exhausted = false;
  const now = (): number => us;

  const open = (): Connection | null => {
    const remaining = target - committed;
    if (remaining < 4096) return null;
    const crng = rng.fork();
    const proto = pickProtocol(crng, opened);
    const v6 = crng.chance(0.15);
    // Give the last connections smaller messages so the file ends near the target.
    let plan = planConnection(crng.fork(), proto, Math.min(maxMessage, Math.floor(remaining * 0.9)), v6);
    if (plan.estimate > remaining * 1.2) plan = planConnection(crng.fork(), proto, MIN_MESSAGE, v6);
    const srv = crng.pick(proto === 'smtp' ? SERVERS.mx : proto === 'submission' ? SERVERS.submission : SERVERS.mailbox);
    let clientIp: Buffer;
    let clientText: string;
    let port: number;
    for (;;) {
      if (v6) {
        clientText = `2001:db8:${crng.int(0x1000, 0xffff).toString(16)}:${crng.int(1, 0xffff).toString(16)}::${crng.int(1, 0xffff).toString(16)}`;
        clientIp = parseIPv6(clientText);
      } else {
        clientText = `10.${crng.int(0, 255)}.${crng.int(0, 255)}.${crng.int(1, 254)}`;
        clientIp = parseIPv4(clientText);
      }
      port = crng.int(32768, 60999);
      const key = `${clientText}|${port}`;
      if (!usedEndpoints.has(key)) {
        usedEndpoints.add(key);
        break;
      }
    }
    const client: Side = { ip: clientIp, port, mac: GATEWAY_MAC, nxt: crng.u32(), win: crng.int(450, 2000), ipId: crng.int(0, 0xffff), unacked: 0 };
    const server: Side = { ip: v6 ? srv.v6 : srv.v4, port: PORTS[proto], mac: srv.mac, nxt: crng.u32(), win: crng.int(450, 2000), ipId: crng.int(0, 0xffff), unacked: 0 };
    const ctx: ScriptCtx = {
      rng: crng,
      pools,
      plan,
      server: srv,
      clientHost: v6 ? `host-${clientText.replace(/:/g, '-')}.clients.example.org` : `host-${clientText.replace(/\./g, '-')}.clients.example.org`,
      clientIp: v6 ? `IPv6:${clientText}` : clientText,
      now,
    };
    const script = proto === 'pop3' ? pop3Script(ctx) : proto === 'imap' ? imapScript(ctx) : smtpScript(ctx);
    committed += plan.estimate;
    opened++;
    protocols[proto]++;
    return new Connection(plan, crng, script, client, server, trouble);
  };

  for (;;) {
    if (frames >= retargetAt) {
      concurrency = rng.int(50, 200);
      retargetAt = frames + rng.int(2000, 8000);
    }
    while (!exhausted && active.length < concurrency) {
      const conn = open();
      if (!conn) exhausted = true;
      else active.push(conn);
    }
    if (active.length === 0) break;
    const i = Math.floor(rng.next() * active.length);
    const conn = active[i];
    const pkt = conn.next();
    if (!pkt) {
      active[i] = active[active.length - 1];
      active.pop();
      continue;
    }
    // Mostly a few microseconds between frames, now and then a longer pause.
    us += rng.chance(0.01) ? rng.int(200, 3000) : rng.int(1, 40);
    frames++;
    if (!writer.write(BigInt(us) * 1000n, conn.frame(pkt))) await writer.drain();
  }
  await writer.close();
  return {
    frames,
    connections: opened,
    bytes: writer.byteCount,
    protocols,
    ...trouble,
    seconds: (performance.now() - started) / 1000,
  };
}

// ---------------------------------------------------------------------------
// CLI

const USAGE = 'usage: node dist/bench/generate.js OUT.pcap [--mb 220] [--seed 1]';

export function parseGenerateArgs(argv: readonly string[]): GenerateOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { mb: { type: 'string', default: '220' }, seed: { type: 'string', default: '1' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new Error(USAGE);
  const megabytes = Number(values.mb);
  const seed = Number(values.seed);
  if (!(megabytes > 0) || !Number.isFinite(megabytes)) throw new Error(`--mb must be a positive number\n${USAGE}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer\n${USAGE}`);
  return { out: positionals[0], megabytes, seed };
}

async function main(): Promise<void> {
  let opts: GenerateOptions;
  try {
    opts = parseGenerateArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const r = await generateCapture(opts);
  const p = r.protocols;
  process.stdout.write(
    `${opts.out}: ${r.frames} frames, ${r.connections} connections ` +
      `(smtp/25 ${p.smtp}, smtp/587 ${p.submission}, pop3 ${p.pop3}, imap ${p.imap}), ${r.bytes} bytes, ` +
      `${r.retransmissions} retransmissions, ${r.swaps} swaps, ${r.zeroWindows} zero windows, ${r.seconds.toFixed(2)} s\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
