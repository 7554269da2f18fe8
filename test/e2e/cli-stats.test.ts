/** `mailscope stats`: the capture at a glance, checked against the sessions and against tshark's reply codes. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { CaptureStats } from '../../src/export/stats.js';
import { hasTshark, tshark } from '../helpers/tshark.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/mailscope.js', ...args], { encoding: 'utf8' });
const json = (...args: string[]): CaptureStats => JSON.parse(cli('stats', ...args, '-f', 'json').stdout);

describe('mailscope stats', () => {
  it('groups the demo\'s failing replies by meaning, most frequent first, with their sessions', () => {
    const r = cli('stats', 'captures/demo.pcap', '--keylog', 'captures/demo.keys');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^21 mail sessions from 2026-11-25 12:37:13 to 12:38:\d\d UTC: 13 SMTP, 4 IMAP, 4 POP3\n/);
    expect(r.stdout).toMatch(/6 in TLS \(3 implicit, 3 STARTTLS; 6 decrypted\)/);
    const rows = r.stdout.split('\n').filter((l) => /^ +\d+ +(SMTP|POP3|IMAP) /.test(l));
    expect(rows[0]).toMatch(/^ +2 +SMTP +550 5\.1\.1 +RCPT +Recipient does not exist \(7, 10\)$/);
    expect(rows.some((l) => /1 +IMAP +NO \[AUTHENTICATIONFAILED\] +LOGIN +Login failed/.test(l))).toBe(true);
    expect(rows.some((l) => /1 +SMTP +450 4\.7\.1 +RCPT +Greylisting.*\(temporary\) \(8\)$/.test(l))).toBe(true);
    expect(r.stdout).toMatch(/Logins: 12 attempts, 9 succeeded, 3 failed\n +alice +8 ok +3 failed\n/);
  });

  it('json: counts that add up to the sessions\' own, in the locale or --lang', () => {
    const st = json('captures/demo.pcap');
    expect(st.sessions).toBe(21);
    expect(st.protocols).toEqual({ smtp: 13, pop3: 4, imap: 4 });
    expect(st.failures.reduce((n, g) => n + g.count, 0)).toBe(8);
    expect(st.clients.map((c) => c.address).sort()).toEqual(['127.0.0.1', '::1']);
    expect(st.tls).toMatchObject({ sessions: 6, decrypted: 0 }); // no key log here
    // Findings by kind: each session's own, as mailscope findings lists them.
    const own = cli('findings', 'captures/demo.pcap', '-f', 'ndjson').stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((f) => f.scope === 'session');
    const byKind: Record<string, number> = {};
    for (const f of own) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
    expect(st.findings.kinds).toEqual(byKind);
    const zh = JSON.parse(cli('stats', 'captures/demo.pcap', '-f', 'json', '--lang', 'zh').stdout) as CaptureStats;
    expect(zh.failures.find((g) => g.label === '550 5.1.1')!.meaning).toMatch(/[\u4e00-\u9fff]/);
  });

  it('keeps at most 10 sessions per group, counts all; --filter narrows what is counted', () => {
    const st = json('captures/smtp-password-guessing.pcap');
    const auth = st.failures.filter((g) => g.command === 'AUTH');
    expect(auth.reduce((n, g) => n + g.count, 0)).toBe(12);
    expect(st.auth).toMatchObject({ attempts: 12, failed: 12 });
    const some = json('captures/smtp-password-guessing.pcap', '-Y', 'smtp.response.code == 454');
    expect(some.sessions).toBe(some.failures.find((g) => g.label.startsWith('454'))!.count);
    expect(some.failures.map((g) => g.label.slice(0, 3)).sort()).toEqual(['454']);
  });

  it.runIf(hasTshark)('agrees with tshark on how many SMTP replies of each failing code there are', () => {
    for (const file of ['captures/demo.pcap', 'captures/smtp-password-guessing.pcap', 'captures/smtp-policy-rejections.pcap']) {
      // A frame of pipelined replies lists all their codes: keep the failing ones.
      const codes = tshark(['-r', file, '-Y', 'smtp.response.code >= 400', '-T', 'fields', '-E', 'occurrence=a', '-e', 'smtp.response.code'])
        .split(/[\n,]/).filter((c) => Number(c) >= 400);
      const theirs = new Map<string, number>();
      for (const c of codes) theirs.set(c, (theirs.get(c) ?? 0) + 1);
      const ours = new Map<string, number>();
      for (const g of json(file).failures.filter((g) => g.protocol === 'smtp')) {
        const code = g.label.slice(0, 3);
        ours.set(code, (ours.get(code) ?? 0) + g.count);
      }
      expect(ours, file).toEqual(theirs);
    }
  });
});

describe('mailscope stats on hostile replies', () => {
  it('escapes control bytes in reply codes and user names from the wire', async () => {
    const { conversation } = await import('../findings/helpers.js');
    const file = conversation([
      ['S', '* OK ready\r\n'], ['C', 'a1 LOGIN "\x1b[31mroot" secret\r\n'], ['S', 'a1 NO [AUTH\x1b[2JFAILED] nope\r\n'], ['C', 'a2 LOGOUT\r\n'], ['S', '* BYE\r\na2 OK bye\r\n'],
    ], 143);
    const out = cli('stats', file).stdout;
    expect(out).not.toMatch(/\x1b/);
    expect(out).toContain('\\x1b');
  });
});
