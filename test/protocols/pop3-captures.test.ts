/**
 * The POP3 machine on real captures through the real pipeline (capture ->
 * TCP reassembly -> Pop3Machine), checked against what the captures say
 * themselves (RETR octet counts, LIST sizes) and against tshark's POP
 * dissector: per session, the ordered command verbs and the ordered reply
 * indicators agree, except where tshark is wrong (said below).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Pop3Machine } from '../../src/protocols/pop3/index.js';
import type { Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';
import { tshark, tsharkFollow } from '../helpers/tshark.js';

const ZEEK = '../shared/captures/zeek';
const CAPTURES = [
  'captures/pop3-success.pcap', 'captures/pop3-failure.pcap', 'captures/pop3-stls.pcap', 'captures/pop3s-995.pcap', 'captures/demo.pcap',
  `${ZEEK}/pop3_pop3.pcap`, `${ZEEK}/pop3-unknown-commands.pcap`, `${ZEEK}/pop3_bad-list-retr-crafted.pcap`, `${ZEEK}/tls_pop3-starttls.pcap`,
].filter((f) => existsSync(f));

async function sessionsOf(file: string, showSecrets = false): Promise<Session[]> {
  const { sessions } = await readSessions([file], { machines: { pop3: (r) => new Pop3Machine(r) }, showSecrets });
  return sessions.filter((s) => s.protocol === 'pop3');
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const verbsOf = (s: Session) => s.exchanges.flatMap((e) => (e.command ? [e.command.verb] : []));

describe('POP3 on real captures', () => {
  it.runIf(existsSync('captures/pop3-success.pcap'))('pop3-success: the whole session, and the RETR body is the 710 octets the server announced', async () => {
    const [s] = await sessionsOf('captures/pop3-success.pcap');
    expect(verbsOf(s)).toEqual(['CAPA', 'USER', 'PASS', 'STAT', 'LIST', 'UIDL', 'RETR', 'QUIT']);
    expect(s.exchanges.map((e) => e.reply?.indicator)).toEqual(Array(9).fill('+OK'));
    expect(s.exchanges[3].command!.args).toBe('<redacted>');
    expect(s.auth).toEqual([{ mechanism: 'USER', user: 'alice', result: 'success', exchange: 2 }]);
    expect(s.exchanges[5].reply!.lines).toHaveLength(6); // "+OK 5 messages:" and five scan listings
    expect(s.anomalies).toEqual([]);
    // The server's own count (RFC 1939 section 7, "+OK 710 octets") from tshark's copy of the stream.
    if (existsSync('/usr/bin/tshark')) {
      const follow = tsharkFollow('captures/pop3-success.pcap', [s.stream]).get(s.stream)!;
      const server = follow.node1.endsWith(':110') ? follow.bytes[1] : follow.bytes[0];
      const start = server.indexOf('+OK 710 octets\r\n') + 16;
      const body = server.subarray(start, start + 710);
      expect(server.subarray(start + 710, start + 713).toString()).toBe('.\r\n');
      expect(body.includes('\r\n.')).toBe(false); // nothing was stuffed, so the wire bytes are the message
      expect(s.messages).toEqual([expect.objectContaining({ exchange: 7, via: 'pop3.retr', size: 710, sha256: sha256(body), partial: false, subject: 'Test message 1 for alice' })]);
    }
  });

  it.runIf(existsSync('captures/pop3-failure.pcap'))('pop3-failure: -ERR [AUTH] fails the USER attempt', async () => {
    const [s] = await sessionsOf('captures/pop3-failure.pcap');
    expect(s.exchanges[2].reply).toMatchObject({ indicator: '-ERR', code: 'AUTH', text: '[AUTH] Authentication failed.' });
    expect(s.auth).toEqual([{ mechanism: 'USER', user: 'alice', result: 'failure', exchange: 1 }]);
  });

  it.runIf(existsSync('captures/pop3-stls.pcap'))('pop3-stls: TLS after STLS +OK, nothing decoded after it', async () => {
    const [s] = await sessionsOf('captures/pop3-stls.pcap');
    expect(verbsOf(s)).toEqual(['CAPA', 'CAPA', 'STLS']);
    expect(s.tls).toMatchObject({ mode: 'starttls', startExchange: 3, version: 'TLS 1.3' });
    expect(s.anomalies).toEqual([]);
  });

  it.runIf(existsSync('captures/pop3s-995.pcap'))('pop3s-995: implicit TLS never reaches the machine', async () => {
    const [s] = await sessionsOf('captures/pop3s-995.pcap');
    expect(s.tls).toMatchObject({ mode: 'implicit' });
    expect(s.exchanges).toEqual([]);
  });

  it.runIf(existsSync(`${ZEEK}/tls_pop3-starttls.pcap`))('Zeek tls_pop3-starttls: the APOP timestamp stays in the greeting text', async () => {
    const [s] = await sessionsOf(`${ZEEK}/tls_pop3-starttls.pcap`);
    expect(s.exchanges[0].reply!.text).toBe('ladymacbeth.local Cyrus POP3 v2.3.16 server ready <15125655727712503824.1400173552@ladymacbeth.local>');
    expect(s.tls).toMatchObject({ mode: 'starttls', startExchange: 1 });
  });

  it.runIf(existsSync(`${ZEEK}/pop3_pop3.pcap`))('Zeek pop3_pop3: AUTH PLAIN with "+ ", pipelined CAPA+QUIT, three RETR bodies of the LIST sizes', async () => {
    const sessions = await sessionsOf(`${ZEEK}/pop3_pop3.pcap`);
    const byStream = new Map(sessions.map((s) => [s.stream, s]));
    expect(verbsOf(byStream.get(2)!)).toEqual(['CAPA', 'QUIT']);
    const failed = byStream.get(3)!;
    expect(failed.exchanges[3]).toMatchObject({ command: { verb: 'AUTH', args: 'PLAIN' }, interim: [{ reply: { text: '' }, response: { text: '<redacted>' } }], reply: { indicator: '-ERR' } });
    expect(failed.auth).toEqual([{ mechanism: 'PLAIN', user: 'digitalinvestigator@networksims.com', result: 'failure', exchange: 3 }]);
    const full = byStream.get(6)!;
    expect(verbsOf(full)).toEqual(['AUTH', 'CAPA', 'AUTH', 'STAT', 'LIST', 'UIDL', 'RETR', 'RETR', 'RETR', 'QUIT']);
    const sizes = full.exchanges[5].reply!.lines.slice(1).map((l) => Number(l.split(' ')[1]));
    expect(full.messages.map((m) => m.size)).toEqual(sizes);
    expect(full.messages.every((m) => !m.partial)).toBe(true);
    expect(full.anomalies).toEqual([]);
  });

  it.runIf(existsSync(`${ZEEK}/pop3_bad-list-retr-crafted.pcap`))('Zeek pop3_bad-list-retr-crafted: garbage before +OK and a LIST without "."', async () => {
    const [s] = await sessionsOf(`${ZEEK}/pop3_bad-list-retr-crafted.pcap`);
    expect(s.exchanges.map((e) => [e.command?.verb ?? null, e.reply?.lines[0]])).toEqual([
      [null, '+OK example.com POP3-Server'], ['LIST', '+OK 2 messages (320 octets)'], ['RETR', '+OK message follows'], ['QUIT', '+OK bye'],
    ]);
    expect(s.exchanges[1].reply!.lines).toEqual(['+OK 2 messages (320 octets)', '1 120', '2 200']);
    expect(s.messages).toEqual([expect.objectContaining({ exchange: 2, subject: 'Crafted email', partial: false })]);
    expect(s.anomalies.map((a) => a.kind)).toEqual(['reply.malformed', 'reply.malformed']);
  });

  it.runIf(existsSync(`${ZEEK}/pop3-unknown-commands.pcap`))('Zeek pop3-unknown-commands: binary server lines are malformed, STAT still gets its +OK', async () => {
    const [s] = await sessionsOf(`${ZEEK}/pop3-unknown-commands.pcap`);
    expect(s.exchanges.map((e) => [e.command?.verb ?? null, e.reply?.lines[0]])).toEqual([
      [null, '+OK example.com POP3-Server'], ['USER', '+OK Please enter your password'], ['PASS', '+OK mailbox locked and ready'], ['STAT', '+OK 1 236'], ['QUIT', '+OK Bye'],
    ]);
    expect(s.anomalies.map((a) => a.kind)).toEqual(['line.bare_lf', 'line.bare_lf', 'reply.malformed', 'reply.malformed', 'reply.malformed']);
  });
});

describe('POP3 on damaged real captures (editcap drops a segment)', () => {
  const hasEditcap = existsSync('/usr/bin/editcap');
  const dir = hasEditcap ? mkdtempSync(join(tmpdir(), 'pop3-')) : '';
  const drop = (file: string, frames: number[], name: string): string => {
    const out = join(dir, name);
    execFileSync('editcap', [file, out, ...frames.map(String)]);
    return out;
  };

  it.runIf(hasEditcap && existsSync(`${ZEEK}/pop3_pop3.pcap`))('a segment lost in the middle of a RETR body: partial message, resync at its "."', async () => {
    // Frame 106 is the third of six segments of RETR 2's body in stream 6.
    const sessions = await sessionsOf(drop(`${ZEEK}/pop3_pop3.pcap`, [106], 'retr-gap.pcap'));
    const s = sessions.find((x) => x.stream === 6)!;
    expect(verbsOf(s)).toEqual(['AUTH', 'CAPA', 'AUTH', 'STAT', 'LIST', 'UIDL', 'RETR', 'RETR', 'RETR', 'QUIT']);
    expect(s.exchanges.slice(1).map((e) => e.reply?.indicator)).toEqual(['-ERR', '+OK', '+OK', '+OK', '+OK', '+OK', '+OK', '+OK', '+OK', '+OK']);
    expect(s.messages.map((m) => m.partial)).toEqual([false, true, false]);
    expect(s.messages[1].size).toBeLessThan(8412 - 1460 + 1);
    expect(s.anomalies.map((a) => [a.kind, a.exchange])).toEqual([['tcp.gap', undefined], ['message.partial', 8], ['stream.resync', 8]]);
  });

  it.runIf(hasEditcap && existsSync('captures/pop3-success.pcap'))('the segment with the whole RETR reply lost: QUIT still gets its own +OK', async () => {
    const [s] = await sessionsOf(drop('captures/pop3-success.pcap', [25], 'retr-lost.pcap'));
    expect(s.exchanges.slice(7).map((e) => [e.command?.verb, e.reply?.text ?? null])).toEqual([['RETR', null], ['QUIT', 'Logging out.']]);
    expect(s.messages).toEqual([]);
    expect(s.anomalies.map((a) => [a.kind, a.exchange])).toEqual([['tcp.gap', undefined], ['stream.resync', undefined], ['reply.missing', 7]]);
  });
});

/** tshark's verbs and indicators per tcp.stream. */
function theirs(file: string): Map<number, { verbs: string[]; results: string[] }> {
  const text = tshark(['-r', file, '-Y', 'pop', '-T', 'fields', '-e', 'tcp.stream', '-e', 'pop.request.command', '-e', 'pop.response.indicator', '-E', 'occurrence=a', '-E', 'aggregator=|']);
  const out = new Map<number, { verbs: string[]; results: string[] }>();
  for (const line of text.split('\n').filter(Boolean)) {
    const [stream, verbs, results] = line.split('\t');
    const seen = out.get(Number(stream)) ?? { verbs: [], results: [] };
    out.set(Number(stream), seen);
    if (verbs) seen.verbs.push(...verbs.split('|').map((v) => v.toUpperCase()));
    if (results) seen.results.push(...results.split('|'));
  }
  return out;
}

describe('POP3 against tshark', () => {
  for (const file of CAPTURES) {
    it.runIf(existsSync('/usr/bin/tshark'))(file.split('/').pop()!, async () => {
      const sessions = await sessionsOf(file, true);
      const tsh = theirs(file);
      for (const s of sessions) {
        const expected = tsh.get(s.stream) ?? { verbs: [], results: [] };
        // tshark 4.0 takes a SASL client response after "+ " for a command (its verb is the
        // base64 text); RFC 5034 section 4 says it is a response, which is where we keep it.
        const saslResponses = new Set(s.exchanges.flatMap((e) => (e.interim ?? []).flatMap((i) => (i.response ? [i.response.text.split(' ')[0].toUpperCase()] : []))));
        const theirVerbs = expected.verbs.filter((v) => !saslResponses.has(v));
        expect({ stream: s.stream, verbs: verbsOf(s) }).toEqual({ stream: s.stream, verbs: theirVerbs });
        // Replies in wire order (frame), status lines only: "+ " continuations carry no indicator in either.
        const ours = s.exchanges.flatMap((e) => (e.reply?.indicator ? [{ frame: e.reply.frame, r: e.reply.indicator }] : []))
          .sort((a, b) => a.frame - b.frame).map((x) => x.r);
        expect({ stream: s.stream, results: ours }).toEqual({ stream: s.stream, results: expected.results });
      }
    });
  }
});
