/**
 * read --format ecs: one Elastic Common Schema document per session, from
 * real captures. Values are the session's own (no re-derivation, wire text
 * as it is), no null anywhere, a fixed set of keys, and a Community ID that
 * matches the spec's published baseline.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ecsRecord, type EcsRecord } from '../../src/export/ecs.js';
import { jsonText } from '../../src/export/json-line.js';
import { sessionUser } from '../../src/export/outcome.js';
import { sessionRecord } from '../../src/export/session-record.js';
import { sessionFormatter } from '../../src/parallel/session-job.js';
import { defaultMachines } from '../../src/protocols/registry.js';
import type { MessageSummary, Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';
import { KeyLog } from '../../src/tls/keylog.js';

let demo: Session[];
let medium: Session[];
let damaged: Session[];
/** Every session of every capture read here. */
let all: Session[];

beforeAll(async () => {
  const keylog = new KeyLog();
  keylog.add(readFileSync('captures/demo.keys', 'utf8'));
  demo = (await readSessions(['captures/demo.pcap'], { machines: defaultMachines, keylog })).sessions;
  medium = (await readSessions(['captures/smtp-medium-message.pcap'], { machines: defaultMachines })).sessions;
  damaged = (await readSessions(['captures/damaged/dropped-segment.pcap'], { machines: defaultMachines })).sessions;
  const imap = (await readSessions(['captures/imap-login-failure.pcap'], { machines: defaultMachines })).sessions;
  const ipv6 = (await readSessions(['captures/smtp-ipv6.pcap'], { machines: defaultMachines })).sessions;
  all = [...demo, ...medium, ...damaged, ...imap, ...ipv6];
});

const byId = (sessions: Session[], id: number): Session => {
  const s = sessions.find((x) => x.id === id);
  if (!s) throw new Error(`no session ${id}`);
  return s;
};
/** The line `read --format ecs` prints, through the formatter the single- and multi-threaded reads share. */
const ecsLine = (s: Session): string => {
  const line = sessionFormatter({ format: 'ecs', width: 80, filter: '' })(s);
  if (line === null) throw new Error('filtered out');
  return line;
};
const parsed = (s: Session): EcsRecord => JSON.parse(ecsLine(s)) as EcsRecord;

/** Every key path of a JSON value ("email.attachments.file.hash.sha256"; array elements share their array's path). */
function paths(v: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) {
    for (const x of v) paths(x, prefix, out);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = prefix ? `${prefix}.${k}` : k;
      out.add(p);
      paths(x, p, out);
    }
  }
  return out;
}

/** Keys whose value is null or undefined, anywhere. */
function emptyKeys(v: unknown, prefix = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => emptyKeys(x, `${prefix}[${i}]`));
  if (v !== null && typeof v === 'object') {
    return Object.entries(v).flatMap(([k, x]) => (x === null || x === undefined ? [`${prefix}.${k}`] : emptyKeys(x, `${prefix}.${k}`)));
  }
  return [];
}

const TOP_LEVEL = ['@timestamp', 'ecs', 'event', 'source', 'destination', 'client', 'server', 'network', 'related', 'user', 'tls', 'email', 'mailscope'];
const ALWAYS = ['@timestamp', 'ecs', 'event', 'source', 'destination', 'client', 'server', 'network', 'related', 'mailscope'];
const ENDPOINT = ['address', 'ip', 'port', 'bytes', 'mac'];
const ATTACHMENT = ['file', 'file.name', 'file.extension', 'file.mime_type', 'file.size', 'file.hash', 'file.hash.sha256', 'file.hash.md5'];
const MESSAGE = ['number', 'via', 'size', 'sha256', 'partial', 'mail_from', 'rcpt_to', 'from', 'to', 'cc', 'subject', 'message_id', 'local_id',
  'origination_timestamp', 'attachments', ...ATTACHMENT.map((k) => `attachments.${k}`)];
/** Every key a record may have: a fixed set, whatever the session holds. */
const ALLOWED = new Set([
  ...TOP_LEVEL,
  'ecs.version',
  ...['kind', 'category', 'type', 'action', 'dataset', 'module', 'start', 'end', 'duration', 'outcome', 'reason'].map((k) => `event.${k}`),
  ...['source', 'destination', 'client', 'server'].flatMap((e) => ENDPOINT.map((k) => `${e}.${k}`)),
  ...['transport', 'iana_number', 'protocol', 'type', 'bytes', 'community_id'].map((k) => `network.${k}`),
  'related.ip', 'related.user', 'related.hash', 'user.name',
  ...['version', 'version_protocol', 'cipher', 'established', 'next_protocol', 'client', 'client.server_name'].map((k) => `tls.${k}`),
  ...['from', 'from.address', 'sender', 'sender.address', 'reply_to', 'reply_to.address', 'to', 'to.address', 'cc', 'cc.address', 'bcc', 'bcc.address',
    'subject', 'message_id', 'local_id', 'origination_timestamp', 'content_type', 'x_mailer', 'attachments', ...ATTACHMENT.map((k) => `attachments.${k}`)]
    .map((k) => `email.${k}`),
  ...['session_id', 'stream', 'protocol', 'closed', 'outcome', 'outcome.label', 'outcome.failed', 'outcome.failures', 'outcome.exchange',
    'outcome.reply', 'outcome.reply.command', 'outcome.reply.code', 'outcome.reply.enhanced', 'outcome.reply.response_code',
    'outcome.reply.indicator', 'outcome.reply.status', 'outcome.reply.text',
    'outcome.explanation', 'outcome.explanation.meaning', 'outcome.explanation.cause', 'outcome.explanation.fix', 'outcome.explanation.temporary',
    'exchange_count', 'message_count', 'anomalies', 'anomalies.count', 'anomalies.kinds',
    'tcp', ...['retransmissions', 'out_of_order', 'gaps', 'gap_bytes', 'zero_windows', 'resets', 'fins'].map((k) => `tcp.${k}`),
    'auth', 'auth.count', 'auth.failures', 'auth.attempts', 'auth.attempts.mechanism', 'auth.attempts.user', 'auth.attempts.result',
    'tls', 'tls.mode', 'tls.decrypted', 'tls.alpn',
    'message', ...MESSAGE.map((k) => `message.${k}`), 'messages', ...MESSAGE.map((k) => `messages.${k}`)]
    .map((k) => `mailscope.${k}`),
]);

/** An ISO time as nanoseconds since the epoch, without the code under test. */
const isoNs = (iso: string): bigint => {
  const [sec, frac = '0Z'] = iso.split('.');
  return BigInt(Date.parse(`${sec}Z`)) * 1_000_000n + BigInt(frac.replace('Z', '').padEnd(9, '0'));
};

describe('read --format ecs: the line', () => {
  it('is one JSON document per session, on one line, the same as ecsRecord through jsonText', () => {
    expect(demo.length).toBe(21);
    for (const s of all) {
      const line = ecsLine(s);
      expect(line).not.toMatch(/[\r\n]/);
      expect(line).toBe(jsonText(ecsRecord(s)));
      expect(() => JSON.parse(line)).not.toThrow();
    }
  });

  it('has no null or undefined value anywhere, in the line or in the object', () => {
    for (const s of all) {
      expect(emptyKeys(ecsRecord(s))).toEqual([]);
      expect(emptyKeys(parsed(s))).toEqual([]);
    }
  });

  it('has top-level keys from a fixed list, the connection ones always, and no key outside the fixed set', () => {
    const seen = new Set<string>();
    for (const s of all) {
      const r = parsed(s);
      const top = Object.keys(r);
      for (const k of top) expect(TOP_LEVEL).toContain(k);
      for (const k of ALWAYS) expect(top).toContain(k);
      for (const p of paths(r)) seen.add(p);
    }
    expect([...seen].filter((p) => !ALLOWED.has(p))).toEqual([]);
    // The exchanges are not listed: only counted.
    expect([...seen].some((p) => p.includes('exchanges'))).toBe(false);
  });
});

describe('read --format ecs: the connection', () => {
  it('names the client source and client, the server destination and server, with their bytes and MACs', () => {
    for (const s of all) {
      const r = parsed(s);
      for (const [end, ep, bytes, mac] of [
        ['source', s.client, s.bytes.client, s.eth?.client], ['client', s.client, s.bytes.client, s.eth?.client],
        ['destination', s.server, s.bytes.server, s.eth?.server], ['server', s.server, s.bytes.server, s.eth?.server],
      ] as const) {
        const e = r[end];
        expect(e.ip).toBe(ep.ip);
        expect(e.address).toBe(ep.ip);
        expect(e.port).toBe(ep.port);
        expect(e.bytes).toBe(bytes);
        if (mac === undefined) expect(e.mac).toBeUndefined();
        else expect(e.mac).toBe(mac.toUpperCase().split(':').join('-'));
      }
      expect(r.network.bytes).toBe(s.bytes.client + s.bytes.server);
      expect(r.network.transport).toBe('tcp');
      expect(r.network.protocol).toBe(s.protocol);
      expect(r.network.type).toBe(s.client.ip.includes(':') ? 'ipv6' : 'ipv4');
      expect(r.related.ip).toEqual([...new Set([s.client.ip, s.server.ip])]);
    }
    // The capture is Ethernet: MACs in ECS's RFC 7042 notation.
    expect(parsed(demo[0]).source.mac).toMatch(/^[0-9A-F]{2}(-[0-9A-F]{2}){5}$/);
    expect(parsed(all.find((s) => s.client.ip === '::1')!).network.type).toBe('ipv6');
  });

  it('times the event by the session: @timestamp and event.start its start, event.end its end, event.duration in nanoseconds', () => {
    for (const s of all) {
      const r = parsed(s);
      expect(r['@timestamp']).toBe(s.start);
      expect(r.event.start).toBe(s.start);
      expect(r.event.end).toBe(s.end);
      expect(r.event.duration).toBe(Number(isoNs(s.end) - isoNs(s.start)));
      expect(Number.isInteger(r.event.duration)).toBe(true);
      expect(r.ecs.version).toBe('8.11.0');
      expect(r.event).toMatchObject({ kind: 'event', category: ['network', 'email'], dataset: 'mailscope.session', module: 'mailscope', action: `${s.protocol}-session` });
      expect(r.event.type).toEqual(['connection', 'protocol']);
    }
  });

  it('gives the verdict read shows: failed is failure, a plain OK success, the rest unknown; the label is event.reason', () => {
    for (const s of all) {
      const r = parsed(s);
      const o = sessionRecord(s).outcome;
      expect(r.event.reason).toBe(o.label);
      expect(r.event.outcome).toBe(o.failed ? 'failure' : o.label === 'OK' ? 'success' : 'unknown');
      expect(r.mailscope.outcome.label).toBe(o.label);
      expect(r.mailscope.outcome.failed).toBe(o.failed);
      expect(r.mailscope.outcome.failures).toBe(o.failures);
      if (o.explanation) expect(r.mailscope.outcome.explanation).toEqual(o.explanation);
      else expect(r.mailscope.outcome.explanation).toBeUndefined();
    }
    expect(demo.map((s) => parsed(s).event.outcome).filter((x) => x === 'failure').length).toBe(8);
  });

  it('keeps the decisive failing reply: SMTP code and enhanced code, POP3 indicator, IMAP status and response code', () => {
    const auth = parsed(byId(demo, 5));
    expect(auth.event.outcome).toBe('failure');
    expect(auth.event.reason).toBe('AUTH FAILED 535 5.7.8');
    const failing = byId(demo, 5).exchanges[auth.mailscope.outcome.exchange!]!.reply!;
    expect(auth.mailscope.outcome.reply).toEqual({ command: 'AUTH', code: 535, enhanced: '5.7.8', text: failing.text });
    expect(auth.mailscope.outcome.explanation?.meaning).toMatch(/./);

    const relay = parsed(byId(demo, 6));
    expect(relay.mailscope.outcome.reply).toMatchObject({ command: 'RCPT', code: 554, enhanced: '5.7.1' });
    expect(relay.mailscope.outcome.reply?.text).toContain('Relay access denied');

    const imap = parsed(byId(demo, 15));
    expect(imap.mailscope.outcome.reply).toMatchObject({ status: 'NO', response_code: 'AUTHENTICATIONFAILED' });
    expect(imap.mailscope.outcome.reply?.code).toBeUndefined();
    const pop = parsed(byId(demo, 19));
    expect(pop.mailscope.outcome.reply).toMatchObject({ indicator: '-ERR', response_code: 'AUTH' });

    const ok = parsed(byId(demo, 1));
    expect(ok.event.outcome).toBe('success');
    expect(ok.mailscope.outcome.reply).toBeUndefined();
    expect(ok.mailscope.outcome.exchange).toBeUndefined();
  });

  it('names the authenticated user in user.name, and the attempts under mailscope.auth', () => {
    for (const s of all) {
      const r = parsed(s);
      const user = sessionUser(s);
      if (user === null) expect(r.user).toBeUndefined();
      else expect(r.user).toEqual({ name: user });
      if (s.auth.length === 0) expect(r.mailscope.auth).toBeUndefined();
      else {
        expect(r.mailscope.auth?.count).toBe(s.auth.length);
        expect(r.mailscope.auth?.attempts.map((a) => a.result)).toEqual(s.auth.map((a) => a.result));
        expect(r.mailscope.auth?.attempts.map((a) => a.mechanism)).toEqual(s.auth.map((a) => a.mechanism));
      }
    }
    expect(parsed(byId(demo, 5)).mailscope.auth).toEqual({ count: 1, failures: 1, attempts: [{ mechanism: 'LOGIN', user: 'alice', result: 'failure' }] });
    expect(parsed(byId(demo, 5)).user).toEqual({ name: 'alice' });
  });

  it('counts without listing: exchanges, messages, anomalies by kind, the TCP counters', () => {
    for (const s of all) {
      const m = parsed(s).mailscope;
      expect(m.session_id).toBe(s.id);
      expect(m.stream).toBe(s.stream);
      expect(m.protocol).toBe(s.protocol);
      expect(m.closed).toBe(s.closed);
      expect(m.exchange_count).toBe(s.exchanges.length);
      expect(m.message_count).toBe(s.messages.length);
      expect(m.tcp).toEqual(s.tcp);
      expect(m.anomalies.count).toBe(s.anomalies.length);
      expect(m.anomalies.kinds).toEqual([...new Set(s.anomalies.map((a) => a.kind))]);
    }
    const gap = parsed(damaged[0]).mailscope;
    expect(gap.anomalies.kinds).toContain('tcp.gap');
    expect(gap.anomalies.count).toBeGreaterThan(gap.anomalies.kinds.length); // stream.resync twice, listed once
  });
});

describe('read --format ecs: TLS', () => {
  it('maps the negotiated version, cipher and whether the tunnel was there; nothing when the session had no TLS', () => {
    const implicit = byId(demo, 12);
    expect(implicit.tls?.version).toBe('TLS 1.3');
    const r = parsed(implicit);
    expect(r.tls).toEqual({ version: '1.3', version_protocol: 'tls', cipher: implicit.tls!.cipher!, established: true });
    expect(r.mailscope.tls).toEqual({ mode: 'implicit', decrypted: true });
    const starttls = parsed(byId(demo, 11));
    expect(starttls.tls?.cipher).toBe(byId(demo, 11).tls!.cipher);
    expect(starttls.mailscope.tls?.mode).toBe('starttls');
    for (const s of all) if (!s.tls) expect(parsed(s).tls).toBeUndefined();
  });

  it('gives the SNI as tls.client.server_name, and the tunnelled protocol when the client offered only one', () => {
    const s = byId(demo, 12);
    const one = parsed({ ...s, tls: { ...s.tls!, sni: 'mail.example.test', alpn: ['smtp'] } });
    expect(one.tls?.client).toEqual({ server_name: 'mail.example.test' });
    expect(one.tls?.next_protocol).toBe('smtp');
    expect(one.mailscope.tls?.alpn).toEqual(['smtp']);
    const two = parsed({ ...s, tls: { ...s.tls!, alpn: ['imap', 'pop3'] } });
    expect(two.tls?.next_protocol).toBeUndefined();
    expect(two.mailscope.tls?.alpn).toEqual(['imap', 'pop3']);
    // Not decrypted, no protected record either way: the handshake never finished.
    const failed = parsed({ ...s, tls: { ...s.tls!, decrypted: false, records: { versions: [0x0303], types: [22, 21] } } });
    expect(failed.tls?.established).toBe(false);
    const unknown = parsed({ ...s, tls: { ...s.tls!, decrypted: false } });
    expect(unknown.tls?.established).toBeUndefined();
  });
});

describe('read --format ecs: messages', () => {
  it('puts the first message\'s header in email.*, the envelope under mailscope.message', () => {
    const s = byId(demo, 1);
    const m = s.messages[0]!;
    const r = parsed(s);
    expect(r.email?.from).toEqual({ address: [m.from] });
    expect(r.email?.to).toEqual({ address: m.to });
    expect(r.email?.subject).toBe(m.subject);
    expect(r.email?.message_id).toBe(m.messageId);
    // Postfix's "250 2.0.0 Ok: queued as 2D1CF162033" to the end of DATA.
    expect(s.exchanges[m.exchange]!.reply!.text).toContain('queued as 2D1CF162033');
    expect(r.email?.local_id).toBe('2D1CF162033');
    expect(m.date).toBe('Wed, 25 Nov 2026 12:37:13 +0000');
    expect(r.email?.origination_timestamp).toBe('2026-11-25T12:37:13.000Z');
    expect(r.email?.x_mailer).toBe(m.headers!.find(([n]) => n === 'X-Mailer')![1]);
    expect(r.mailscope.message).toEqual({ number: 1, via: 'smtp.data', size: m.size, sha256: m.sha256, partial: false, mail_from: m.mailFrom, rcpt_to: m.rcptTo });
    expect(r.related.hash).toEqual([m.sha256]);
    // A session with no message has no email.
    expect(parsed(byId(demo, 5)).email).toBeUndefined();
    // IMAP and POP3 messages too; a queue ID only in SMTP.
    const fetched = parsed(byId(demo, 14));
    expect(fetched.email?.subject).toBe(byId(demo, 14).messages[0]!.subject);
    expect(fetched.email?.local_id).toBeUndefined();
    expect(fetched.mailscope.message?.via).toBe('imap.fetch');
  });

  it('lists the attachments with their names, types, sizes and hashes', () => {
    const s = medium[0]!;
    const a = s.messages[0]!.attachments![0]!;
    expect(a.name).toBe('data.bin');
    const r = parsed(s);
    expect(r.email?.content_type).toBe('multipart/mixed');
    expect(r.email?.attachments).toEqual([{ file: { name: 'data.bin', extension: 'bin', mime_type: a.type, size: a.size, hash: { sha256: a.sha256, md5: a.md5 } } }]);
    expect(a.size).toBe(100_000);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(r.related.hash).toEqual(expect.arrayContaining([a.sha256, a.md5]));
  });

  it('takes the addresses out of the header as written, and reads the other address headers', () => {
    const s = byId(demo, 1);
    const m: MessageSummary = {
      ...s.messages[0]!,
      from: '"Smith, Ann" <ann@example.net>',
      to: ['Bob <bob@example.net>', 'carol@example.net'],
      cc: ['"Dave (ops)" <dave@example.net>'],
      headers: [['Sender', 'Eve <eve@example.net>'], ['Reply-To', 'a@example.net, "B" <b@example.net>'], ['Bcc', 'hidden@example.net'],
        ['User-Agent', 'Thunderbird 115'], ['Content-Type', 'text/plain; charset=utf-8']],
    };
    const r = parsed({ ...s, messages: [m] });
    expect(r.email?.from).toEqual({ address: ['ann@example.net'] });
    expect(r.email?.to).toEqual({ address: ['bob@example.net', 'carol@example.net'] });
    expect(r.email?.cc).toEqual({ address: ['dave@example.net'] });
    expect(r.email?.sender).toEqual({ address: 'eve@example.net' });
    expect(r.email?.reply_to).toEqual({ address: ['a@example.net', 'b@example.net'] });
    expect(r.email?.bcc).toEqual({ address: ['hidden@example.net'] });
    expect(r.email?.x_mailer).toBe('Thunderbird 115');
    expect(r.email?.content_type).toBe('text/plain');
  });

  it('reads RFC 5322 dates, obsolete zones included, and leaves out what is not a date', () => {
    const s = byId(demo, 1);
    const at = (date: string) => parsed({ ...s, messages: [{ ...s.messages[0]!, date }] }).email?.origination_timestamp;
    expect(at('Tue, 1 Jul 2003 10:52:37 +0200')).toBe('2003-07-01T08:52:37.000Z');
    expect(at('1 Jul 2003 10:52 -0430 (Caracas)')).toBe('2003-07-01T15:22:00.000Z');
    expect(at('Fri, 21 Nov 97 09:55:06 GMT')).toBe('1997-11-21T09:55:06.000Z');
    expect(at('Thu, 13 Feb 1969 23:32:54 EST')).toBe('1969-02-14T04:32:54.000Z');
    expect(at('yesterday')).toBeUndefined();
    expect(at('31 Feb 2024 10:00:00 +0000')).toBeUndefined();
    expect(at('Tue, 1 Jul 2003 10:52:37')).toBeUndefined();
  });

  it('keeps the messages after the first under mailscope.messages, the first 100 of them', () => {
    const s = byId(demo, 1);
    const m0 = s.messages[0]!;
    const m1: MessageSummary = { ...m0, subject: 'Second', from: 'Zed <zed@example.net>', to: ['y@example.net'], messageId: '<2@x>', sha256: 'b'.repeat(64) };
    const r = parsed({ ...s, messages: [m0, m1] });
    expect(r.email?.subject).toBe(m0.subject);
    expect(r.mailscope.message_count).toBe(2);
    expect(r.mailscope.messages).toEqual([{
      number: 2, via: m1.via, size: m1.size, sha256: m1.sha256, partial: false, mail_from: m1.mailFrom, rcpt_to: m1.rcptTo,
      from: ['zed@example.net'], to: ['y@example.net'], subject: 'Second', message_id: '<2@x>', local_id: '2D1CF162033',
      origination_timestamp: '2026-11-25T12:37:13.000Z',
    }]);
    const many = parsed({ ...s, messages: Array.from({ length: 150 }, () => m0) });
    expect(many.mailscope.message_count).toBe(150);
    expect(many.mailscope.messages).toHaveLength(100);
    expect(many.mailscope.messages!.at(-1)!.number).toBe(101);
  });

  it('keeps wire text as the session has it: controls and bidi overrides are escaped in the line, not changed', () => {
    const s = byId(demo, 1);
    const subject = 'pay \u202egpj.exe\u202c now \u009b31m \u0007';
    const line = ecsLine({ ...s, messages: [{ ...s.messages[0]!, subject }] });
    expect(line).toContain('\\u202e');
    expect(line).toContain('\\u009b');
    expect(line).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
    expect((JSON.parse(line) as EcsRecord).email?.subject).toBe(subject);
  });
});

describe('read --format ecs: network.community_id', () => {
  // Community ID v1, seed 0: the spec's baseline (corelight/community-id-spec, baseline/baseline_deflt.json).
  const VECTORS: Array<[string, number, string, number, string]> = [
    ['128.232.110.120', 34855, '66.35.250.204', 80, '1:LQU9qZlK+B5F3KDmev6m5PMibrg='],
    ['2001:470:e5bf:dead:4957:2174:e82c:4887', 63943, '2607:f8b0:400c:c03::1a', 25, '1:/qFaeAR+gFe1KYjMzVDsMv+wgU4='],
  ];
  it.each(VECTORS)('%s:%d -> %s:%d is %s, either way round', (cip, cport, sip, sport, id) => {
    const s = demo[0]!;
    expect(parsed({ ...s, client: { ip: cip, port: cport }, server: { ip: sip, port: sport } }).network.community_id).toBe(id);
    expect(parsed({ ...s, client: { ip: sip, port: sport }, server: { ip: cip, port: cport } }).network.community_id).toBe(id);
  });

  it('is there for every session of the captures, IPv6 too, in the spec\'s form', () => {
    for (const s of all) expect(parsed(s).network.community_id).toMatch(/^1:[A-Za-z0-9+/]{27}=$/);
  });
});
