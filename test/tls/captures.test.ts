/**
 * The recorded TLS captures (Postfix and Dovecot, Python clients writing
 * SSLKEYLOGFILE) decrypted with their key logs: the same command verbs,
 * replies and AUTH outcomes as the clear-text recording of the same
 * conversation; the same as tshark with the same key log; the CLI's
 * --keylog, SSLKEYLOGFILE and a pcapng Decryption Secrets Block.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultMachines } from '../../src/protocols/registry.js';
import type { Exchange, Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';
import { KeyLog } from '../../src/tls/keylog.js';
import { hasTshark, tshark } from '../helpers/tshark.js';

async function read(file: string, keys?: string): Promise<Session> {
  let keylog: KeyLog | undefined;
  if (keys) {
    keylog = new KeyLog();
    keylog.add(readFileSync(keys, 'latin1'));
  }
  const { sessions } = await readSessions([file], { machines: defaultMachines, keylog });
  expect(sessions).toHaveLength(1);
  return sessions[0];
}

/** What a conversation says: verb and reply kind per exchange. */
const shape = (e: Exchange) => `${e.command?.verb ?? '(greeting)'} -> ${e.reply ? String(e.reply.code !== undefined && typeof e.reply.code === 'number' ? e.reply.code : e.reply.indicator ?? e.reply.status) : 'none'}`;

/** The exchanges inside TLS: all of them for implicit TLS, those after STARTTLS's for the upgrade. */
function insideTls(s: Session): Exchange[] {
  const start = s.tls!.startExchange;
  return start === null ? s.exchanges : s.exchanges.slice(start + 1);
}

const pairs: { tls: string; clear: string; starttls: boolean }[] = [
  { tls: 'smtps-465', clear: 'smtp-auth-success', starttls: false },
  { tls: 'smtp-starttls', clear: 'smtp-auth-success', starttls: true },
  { tls: 'imaps-993', clear: 'imap-login-success', starttls: false },
  { tls: 'imaps-993-tls12', clear: 'imap-login-success', starttls: false },
  { tls: 'imap-starttls', clear: 'imap-login-success', starttls: true },
  { tls: 'pop3s-995', clear: 'pop3-success', starttls: false },
  { tls: 'pop3-stls', clear: 'pop3-success', starttls: true },
];

describe('recorded TLS captures, decrypted with their key logs, say what the clear-text recordings say', () => {
  for (const p of pairs) {
    it(`${p.tls}.pcap with ${p.tls}.keys = ${p.clear}.pcap`, async () => {
      const s = await read(`captures/${p.tls}.pcap`, `captures/${p.tls}.keys`);
      const clear = await read(`captures/${p.clear}.pcap`);
      expect(s.tls?.decrypted).toBe(true);
      expect(s.tls?.mode).toBe(p.starttls ? 'starttls' : 'implicit');
      expect(s.tls?.version).toBe(p.tls.includes('tls12') ? 'TLS 1.2' : 'TLS 1.3');
      expect(s.anomalies).toEqual([]);
      // After STARTTLS there is no greeting (RFC 3207 4.2, RFC 2595 4, RFC 9051 6.2.1).
      const expected = clear.exchanges.slice(p.starttls ? 1 : 0).map(shape);
      expect(insideTls(s).map(shape)).toEqual(expected);
      expect(s.auth.map((a) => [a.mechanism, a.result])).toEqual(clear.auth.map((a) => [a.mechanism, a.result]));
      expect(s.auth.every((a) => a.exchange > (s.tls!.startExchange ?? -1))).toBe(true);
    });
  }

  it('without the key log: metadata only, "encrypted", as before', async () => {
    const s = await read('captures/smtps-465.pcap');
    expect(s.tls).toMatchObject({ mode: 'implicit', version: 'TLS 1.3', decrypted: false });
    expect(s.exchanges).toEqual([]);
    expect(s.anomalies).toEqual([]);
  });

  it('with another connection\'s key log: not decrypted, no anomaly', async () => {
    const s = await read('captures/smtps-465.pcap', 'captures/imaps-993.keys');
    expect(s.tls?.decrypted).toBe(false);
    expect(s.anomalies).toEqual([]);
  });

  it('a key log with a wrong secret: tls.decrypt_failed on the session, nothing decoded from garbage', async () => {
    const wrong = readFileSync('captures/smtps-465.keys', 'latin1').replace(/^(SERVER_TRAFFIC_SECRET_0 \S+ )(.)/m, (_m, h: string, d: string) => h + (d === '0' ? '1' : '0'));
    const keylog = new KeyLog();
    keylog.add(wrong);
    const { sessions: [s] } = await readSessions(['captures/smtps-465.pcap'], { machines: defaultMachines, keylog });
    expect(s.anomalies[0].kind).toBe('tls.decrypt_failed');
    // The machine then says the commands went unanswered, which they did as far as anyone can tell.
    expect(new Set(s.anomalies.slice(1).map((a) => a.kind))).toEqual(new Set(['reply.missing']));
    expect(s.anomalies[0].frame).toBeGreaterThan(0);
    // The client side still decrypts: commands, but no server reply at all.
    expect(s.exchanges.every((e) => e.reply === null)).toBe(true);
    expect(s.exchanges.map((e) => e.command?.verb)).toContain('EHLO');
  });

  it('a pcapng with a Decryption Secrets Block decrypts without any key log', async () => {
    const s = await read('captures/variants/imaps-993-dsb.pcapng');
    const clear = await read('captures/imap-login-success.pcap');
    expect(s.tls?.decrypted).toBe(true);
    expect(s.exchanges.map(shape)).toEqual(clear.exchanges.map(shape));
  });
});

function mailscope(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['bin/mailscope.js', ...args], { encoding: 'utf8', env: { ...process.env, SSLKEYLOGFILE: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the command line', () => {
  it('read --keylog decrypts every TLS session of the demo; tls.decrypted filters them', () => {
    const r = mailscope(['read', 'captures/demo.pcap', '--keylog', 'captures/demo.keys', '-Y', 'tls.decrypted']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('6 mail sessions');
    expect(r.stdout).not.toMatch(/ENCRYPTED/);
  });

  it('SSLKEYLOGFILE is used when no --keylog is given', () => {
    const r = mailscope(['read', 'captures/imaps-993-tls12.pcap', '--format', 'ndjson'], { SSLKEYLOGFILE: 'captures/imaps-993-tls12.keys' });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Session;
    expect(s.tls).toMatchObject({ version: 'TLS 1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', decrypted: true });
    expect(s.auth).toEqual([expect.objectContaining({ mechanism: 'LOGIN', user: 'alice', result: 'success' })]);
  });

  it('transcript marks where decryption starts', () => {
    const r = mailscope(['transcript', 'captures/pop3-stls.pcap', '--keylog', 'captures/pop3-stls.keys']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/C: STLS\n.*S: \+OK.*\n\s+== TLS starts here: TLS 1\.3, TLS_AES_256_GCM_SHA384, decrypted\n.*C: CAPA/);
    expect(r.stdout).toMatch(/C: PASS <redacted>/);
  });

  it('findings and transcript take --keylog too; a missing key log file is exit status 2 with one line', () => {
    expect(mailscope(['findings', 'captures/smtps-465.pcap', '--keylog', 'captures/smtps-465.keys']).code).toBe(0);
    const r = mailscope(['read', 'captures/smtps-465.pcap', '--keylog', 'captures/no-such.keys']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no-such\.keys.*key log/);
  });

  it('an unreadable SSLKEYLOGFILE only warns', () => {
    const r = mailscope(['read', 'captures/smtps-465.pcap'], { SSLKEYLOGFILE: '/nonexistent/keys' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/SSLKEYLOGFILE.*cannot be read/);
  });
});

describe.runIf(hasTshark)('tshark agrees (same key log)', () => {
  const files = ['smtps-465', 'smtp-starttls', 'imaps-993', 'imaps-993-tls12', 'imap-starttls', 'pop3s-995', 'pop3-stls'];
  for (const f of files) {
    it(f, async () => {
      const s = await read(`captures/${f}.pcap`, `captures/${f}.keys`);
      const proto = s.protocol === 'pop3' ? 'pop' : s.protocol;
      const fields = proto === 'smtp' ? ['smtp.req.command', 'smtp.response.code'] : proto === 'pop' ? ['pop.request.command', 'pop.response.indicator'] : ['imap.request.command', 'imap.response.status'];
      const out = tshark(['-r', `captures/${f}.pcap`, '-o', `tls.keylog_file:captures/${f}.keys`, '-Y', proto, '-T', 'fields', '-E', 'aggregator=|', '-e', fields[0], '-e', fields[1]]);
      const commands: string[] = [];
      const replies: string[] = [];
      for (const line of out.split('\n')) {
        if (line === '') continue;
        const [c, r] = line.split('\t');
        if (c) commands.push(...c.split('|').map((v) => v.toUpperCase()));
        if (r) replies.push(...r.split('|').map((v) => v.toUpperCase()));
      }
      const ourCommands = s.exchanges.filter((e) => e.command).map((e) => e.command!.verb);
      // tshark 4.0 splits SMTP's STARTTLS as STAR/TLS (see captures/README.md); compare what it calls the command otherwise.
      const theirs = commands.filter((c) => c !== 'STAR' && c !== 'TLS');
      expect(ourCommands.filter((c) => c !== 'STARTTLS' || proto !== 'smtp')).toEqual(theirs);
      const ourReplies: string[] = [];
      for (const e of s.exchanges) {
        for (const i of e.interim ?? []) if (proto === 'smtp') ourReplies.push(String(i.reply.code));
        if (e.reply) ourReplies.push(String(proto === 'smtp' ? e.reply.code : proto === 'pop' ? e.reply.indicator : e.reply.status));
      }
      if (proto === 'imap') expect(replies.filter((r) => ['OK', 'NO', 'BAD', 'BYE', 'PREAUTH'].includes(r)).length).toBeGreaterThanOrEqual(ourReplies.length - 1);
      else expect(ourReplies).toEqual(replies);
    });
  }
});
