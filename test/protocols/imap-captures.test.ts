/**
 * The IMAP machine on real captures (Dovecot 2.3 + Python imaplib, and Zeek's
 * STARTTLS trace) through the real pipeline, compared with tshark 4.0.
 *
 * Where tshark differs, tshark is wrong, for one known reason: its IMAP
 * dissector hands a FETCH literal to the IMF dissector but then takes the
 * line that closes the FETCH data after the literal, `)`, for a response of
 * its own with tag ")" (see frame 296 of demo.pcap: imap.response ")" and
 * "FAHI5 OK ..."). That line is the end of `* 1 FETCH (BODY[] {710} ... )`
 * (RFC 9051 7.5.2), not a response; we drop it from tshark's list below.
 * tshark also does not dissect untagged lines (greetings, `* BYE`) as
 * responses, so the comparison is over commands and tagged responses.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImapMachine } from '../../src/protocols/imap/index.js';
import type { Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';
import type { Step } from '../helpers/machine-harness.js';
import { tshark } from '../helpers/tshark.js';
import { runImap } from './imap-helpers.js';

const CAPTURES = '/work/main/captures';
const ZEEK = '/work/shared/captures/zeek';
const hasTshark = existsSync('/usr/bin/tshark');

async function imapSessions(file: string): Promise<Session[]> {
  const { sessions } = await readSessions([file], { machines: { imap: (r) => new ImapMachine(r) } });
  return sessions.filter((s) => s.protocol === 'imap');
}

interface Transcript {
  commands: string[];
  responses: string[];
}

/** tshark's commands ("tag VERB") and tagged responses ("tag STATUS") per tcp.stream. */
function tsharkTranscripts(file: string, extra: string[] = []): Map<number, Transcript> {
  const out = new Map<number, Transcript>();
  const text = tshark(['-r', file, ...extra, '-Y', 'imap', '-T', 'fields', '-E', 'aggregator=|',
    '-e', 'tcp.stream', '-e', 'imap.request_tag', '-e', 'imap.request.command', '-e', 'imap.response']);
  for (const row of text.split('\n')) {
    if (row === '') continue;
    const [stream, tags, verbs, responses] = row.split('\t');
    const t = out.get(Number(stream)) ?? { commands: [], responses: [] };
    out.set(Number(stream), t);
    const tagList = tags === '' ? [] : tags.split('|');
    const verbList = verbs === '' ? [] : verbs.split('|');
    tagList.forEach((tag, i) => t.commands.push(`${tag} ${(verbList[i] ?? '').toUpperCase()}`));
    for (const r of responses === '' ? [] : responses.split('|')) {
      if (r === ')') continue; // tshark's mistake: the end of a FETCH after its literal (see the header comment)
      const [tag, status] = r.split(' ');
      t.responses.push(`${tag} ${status}`);
    }
  }
  return out;
}

function ours(s: { exchanges: Session['exchanges'] }): Transcript {
  const commands = s.exchanges.filter((e) => e.command !== null).map((e) => `${e.command!.tag} ${e.command!.verb}`);
  const responses = s.exchanges
    .filter((e) => e.reply !== null && e.reply.tag !== '*' && e.reply.tag !== '+')
    .sort((a, b) => a.reply!.frame - b.reply!.frame)
    .map((e) => `${e.reply!.tag} ${e.reply!.status}`);
  return { commands, responses };
}

describe('imap on real captures', () => {
  it('imap-login-success: every command, untagged response and the fetched message', async () => {
    const [s] = await imapSessions(`${CAPTURES}/imap-login-success.pcap`);
    expect(s.exchanges.map((e) => `${e.command?.verb ?? '-'} ${e.reply?.status} ${e.reply?.code ?? ''}`.trim())).toEqual([
      '- OK CAPABILITY', 'CAPABILITY OK', 'LOGIN OK', 'LIST OK', 'SELECT OK READ-WRITE', 'FETCH OK', 'FETCH OK', 'CLOSE OK', 'LOGOUT OK',
    ]);
    expect(s.exchanges[2].command!.args).toBe('alice <redacted>');
    expect(s.auth).toEqual([{ mechanism: 'LOGIN', user: 'alice', result: 'success', exchange: 2 }]);
    expect(s.exchanges[6].untagged).toEqual(['* 1 FETCH (BODY[] {710 bytes})']);
    expect(s.exchanges[8].untagged).toEqual(['* BYE Logging out']);
    expect(s.messages).toEqual([expect.objectContaining({
      exchange: 6, via: 'imap.fetch', size: 710, partial: false, subject: 'Test message 1 for alice', from: 'sender1@outside.test',
    })]);
    expect(s.anomalies).toEqual([]);
  });

  it('imap-login-failure: NO [AUTHENTICATIONFAILED]', async () => {
    const [s] = await imapSessions(`${CAPTURES}/imap-login-failure.pcap`);
    expect(s.exchanges[2].reply).toMatchObject({ status: 'NO', code: 'AUTHENTICATIONFAILED', text: 'Authentication failed.' });
    expect(s.auth).toEqual([{ mechanism: 'LOGIN', user: 'alice', result: 'failure', exchange: 2 }]);
    expect(s.anomalies).toEqual([]);
  });

  it('imap-starttls and zeek tls_imap-starttls: clear text up to STARTTLS, then TLS', async () => {
    for (const file of [`${CAPTURES}/imap-starttls.pcap`, `${ZEEK}/tls_imap-starttls.pcap`]) {
      const [s] = await imapSessions(file);
      expect(s.exchanges.map((e) => e.command?.verb ?? null), file).toEqual([null, 'CAPABILITY', 'STARTTLS']);
      expect(s.tls).toMatchObject({ mode: 'starttls', startExchange: 2 });
      expect(s.anomalies.filter((a) => a.kind !== 'tcp.gap'), file).toEqual([]);
    }
  });

  it.runIf(hasTshark)('agrees with tshark on commands and tagged responses', async () => {
    const files = [
      `${CAPTURES}/imap-login-success.pcap`, `${CAPTURES}/imap-login-failure.pcap`, `${CAPTURES}/imap-starttls.pcap`,
      `${CAPTURES}/imaps-993.pcap`, `${CAPTURES}/imaps-993-tls12.pcap`, `${CAPTURES}/demo.pcap`, `${ZEEK}/tls_imap-starttls.pcap`,
    ];
    for (const file of files) {
      const sessions = await imapSessions(file);
      const theirs = tsharkTranscripts(file);
      expect(sessions.length, file).toBeGreaterThan(0);
      for (const s of sessions) {
        // Implicit TLS (993) has no clear text: tshark without keys shows no IMAP, and we have no exchanges.
        expect(ours(s), `${file} stream ${s.stream}`).toEqual(theirs.get(s.stream) ?? { commands: [], responses: [] });
      }
    }
  });

  /**
   * Inside TLS: tshark decrypts with the key log and follows the plaintext;
   * we feed that plaintext to the machine in the same order and compare with
   * tshark's decrypted IMAP fields.
   */
  it.runIf(hasTshark)('agrees with tshark inside TLS (decrypted with the key logs)', () => {
    for (const [file, keys, after] of [
      ['imaps-993.pcap', 'imaps-993.keys', 0], ['imaps-993-tls12.pcap', 'imaps-993-tls12.keys', 0], ['imap-starttls.pcap', 'imap-starttls.keys', 2],
    ] as const) {
      const extra = ['-o', `tls.keylog_file:${CAPTURES}/${keys}`];
      const follow = tshark(['-r', `${CAPTURES}/${file}`, ...extra, '-q', '-z', 'follow,tls,raw,0']);
      const chunks = follow.split('\n').filter((l) => /^\t?[0-9a-f]+$/.test(l))
        .map((l) => ({ node: l.startsWith('\t') ? 1 : 0, data: Buffer.from(l.trim(), 'hex') }));
      // The server speaks first in IMAP after TLS only for implicit TLS; find it by the greeting, else by the client's tag.
      const serverNode = chunks.find((c) => c.data.toString('latin1').startsWith('* '))?.node ?? 0;
      const steps: Step[] = chunks.map((c) => [c.node === serverNode ? 'S' : 'C', c.data]);
      const inner = runImap(steps).session;
      const theirs = tsharkTranscripts(`${CAPTURES}/${file}`, extra).get(0)!;
      // For STARTTLS, tshark's list also has the clear-text commands before TLS.
      const expected = { commands: theirs.commands.slice(after), responses: theirs.responses.slice(after) };
      expect(ours(inner), file).toEqual(expected);
      expect(inner.messages.map((m) => [m.via, m.size, m.partial]), file).toEqual([['imap.fetch', 710, false]]);
      expect(inner.anomalies, file).toEqual([]);
    }
  });
});
