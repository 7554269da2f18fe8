/** `mailscope read` and `mailscope transcript` as a user runs them. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeConversation } from '../helpers/tiny-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'mailscope-read-'));

function mailscope(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/mailscope.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mailscope read', () => {
  it('prints one line per session, whole in a pipe, with the first failure', () => {
    const r = mailscope('read', 'captures/demo.pcap');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(''); // no progress when stderr is not a terminal
    const lines = r.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('21 mail sessions');
    // In a pipe nothing is cut (a terminal's lines are cut to its width: formatSessionLine's tests).
    for (const line of lines) expect(line).not.toContain('…');
    expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(80);
    expect(lines.find((l) => /^\s+5 .* SMTP /.test(l))).toMatch(/alice AUTH FAILED 535 5\.7\.8/);
    expect(lines.some((l) => / POP3 .* alice AUTH FAILED -ERR \[AUTH\]/.test(l))).toBe(true);
    expect(lines.some((l) => / IMAP .* alice AUTH FAILED NO \[AUTHENTICATIONFAILED\] \[4 ex/.test(l))).toBe(true);
    expect(lines.some((l) => /RCPT 450 4\.7\.1/.test(l))).toBe(true);
    expect(lines.some((l) => / 127\.0\.0\.1:993 ENCRYPTED \[TLS/.test(l))).toBe(true);
  });

  it('is the default command', () => {
    expect(mailscope('captures/demo.pcap').stdout).toBe(mailscope('read', 'captures/demo.pcap').stdout);
  });

  it('--format json is an array of the same sessions as ndjson', () => {
    const nd = mailscope('read', 'captures/demo.pcap', '-f', 'ndjson').stdout.trim().split('\n').map((l) => JSON.parse(l));
    const arr = JSON.parse(mailscope('read', 'captures/demo.pcap', '-f', 'json').stdout);
    expect(arr).toEqual(nd);
  });

  it('redacts secrets unless --show-secrets', () => {
    const hidden = mailscope('read', 'captures/smtp-auth-failure.pcap', '-f', 'ndjson').stdout;
    const shown = mailscope('read', 'captures/smtp-auth-failure.pcap', '-f', 'ndjson', '--show-secrets').stdout;
    // AUTH LOGIN's second response is the base64 password ("not-the-password").
    expect(hidden).not.toContain('bm90LXRoZS1wYXNzd29yZA==');
    expect(hidden).toContain('<redacted>');
    expect(shown).toContain('bm90LXRoZS1wYXNzd29yZA==');
    expect(JSON.parse(hidden).auth).toEqual([{ mechanism: 'LOGIN', user: 'alice', result: 'failure', exchange: 2 }]);
  });

  it('finds a session on another port by its greeting, and --decode-as overrides', () => {
    const path = join(dir, 'odd-port.pcap');
    writeConversation(path, [['S', '+OK POP3 ready\r\n'], ['C', 'USER bob\r\n'], ['S', '+OK\r\n'], ['C', 'QUIT\r\n'], ['S', '+OK bye\r\n']], 8110);
    const sniffed = JSON.parse(mailscope('read', path, '-f', 'ndjson').stdout);
    expect(sniffed.protocol).toBe('pop3');
    expect(sniffed.exchanges.map((e: { command: { verb: string } | null }) => e.command?.verb ?? null)).toEqual([null, 'USER', 'QUIT']);
    const forced = JSON.parse(mailscope('read', path, '-f', 'ndjson', '--decode-as', '8110=imap').stdout);
    expect(forced.protocol).toBe('imap');
  });

  it('rejects a malformed --decode-as in one line', () => {
    const r = mailscope('read', 'captures/demo.pcap', '--decode-as', 'smtp');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--decode-as "smtp": expected PORT=smtp/);
  });
});

describe('mailscope transcript', () => {
  it('shows a session as C:/S: lines with times and latencies, secrets redacted', () => {
    const r = mailscope('transcript', 'captures/demo.pcap', '-n', '5');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Session 5: SMTP 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:587/);
    expect(r.stdout).toMatch(/auth: LOGIN alice: failure/);
    expect(r.stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{6} +C: AUTH LOGIN$/m);
    expect(r.stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{6} +\+\d+\.\d{3}(ms|s) S: 535 5\.7\.8 /m);
    expect(r.stdout).toMatch(/C: <redacted>/);
  });

  it('summarises message bodies where they were sent', () => {
    const r = mailscope('transcript', 'captures/smtp-large-message.pcap');
    expect(r.stdout).toMatch(/S: 354 .*\n.*C: \[message, 3\.0 MB, subject "/);
  });

  it('shows the start of each body with --bodies, escaped, and says how much was left out', () => {
    const r = mailscope('transcript', 'captures/smtp-large-message.pcap', '--bodies', '--body-bytes', '300');
    expect(r.stdout).toMatch(/C: \[message, 3\.0 MB, .*\]\n.*C: \| Date: /);
    expect(r.stdout).toMatch(/C: \| Subject: Large message/);
    expect(r.stdout).toMatch(/C: \| \[… \d+ more bytes not shown\]/);
    expect(mailscope('transcript', 'captures/smtp-large-message.pcap').stdout).not.toMatch(/C: \| /);
  });

  it('shows where TLS starts', () => {
    const r = mailscope('transcript', 'captures/smtp-starttls.pcap');
    expect(r.stdout).toMatch(/C: STARTTLS\n.*S: 220 .*\n.*== TLS starts here: TLS 1\.3, .*encrypted: no key for this connection/);
  });

  it('writes one file per session with --out', () => {
    const out = join(dir, 'transcripts');
    const r = mailscope('transcript', 'captures/demo.pcap', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote 21 transcripts to /);
    const names = readdirSync(out).sort();
    expect(names[0]).toBe('session-0001-smtp.txt');
    expect(names).toHaveLength(21);
    expect(readFileSync(join(out, 'session-0015-imap.txt'), 'utf8')).toMatch(/NO \[AUTHENTICATIONFAILED\]/);
  });

  it('says so when a session asked for does not exist', () => {
    const r = mailscope('transcript', 'captures/demo.pcap', '-n', '99');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 of the requested sessions are not in the capture/);
  });

  it('escapes control bytes from the wire', () => {
    const path = join(dir, 'hostile.pcap');
    writeConversation(path, [['S', '220 evil\x1b]0;pwned\x07\x1b[2J ESMTP\r\n'], ['C', 'QUIT\r\n'], ['S', '221 \x9b31mbye\r\n']]);
    const r = spawnSync(process.execPath, ['bin/mailscope.js', 'transcript', path], { encoding: 'latin1' });
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(r.stdout).toContain('S: 220 evil\\x1b]0;pwned\\x07\\x1b[2J ESMTP');
    const line = spawnSync(process.execPath, ['bin/mailscope.js', 'read', path], { encoding: 'latin1' }).stdout;
    expect(line).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });
});

describe('exit status and files kept', () => {
  it('a filter that matches nothing exits with 4, apart from errors (1-3); a match exits 0', () => {
    expect(mailscope('read', 'captures/demo.pcap', '-Y', 'smtp.response.code == 999').code).toBe(4);
    expect(mailscope('read', 'captures/demo.pcap', '-f', 'ndjson', '-Y', 'smtp.response.code == 999').code).toBe(4);
    expect(mailscope('transcript', 'captures/demo.pcap', '-Y', 'smtp.response.code == 999').code).toBe(4);
    expect(mailscope('read', 'captures/demo.pcap', '-Y', 'smtp.response.code == 535').code).toBe(0);
    // No filter, no sessions: nothing was asked for, so nothing is missing.
    expect(mailscope('read', 'captures/demo.pcap', '-Y', '').code).toBe(0);
  });

  it('transcript --out keeps files already there unless --overwrite is given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailscope-transcripts-'));
    expect(mailscope('transcript', 'captures/smtp-auth-failure.pcap', '--out', dir).code).toBe(0);
    const file = join(dir, 'session-0001-smtp.txt');
    writeFileSync(file, 'mine');
    const again = mailscope('transcript', 'captures/smtp-auth-failure.pcap', '--out', dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists \(--overwrite replaces them\)/);
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect(mailscope('transcript', 'captures/smtp-auth-failure.pcap', '--out', dir, '--overwrite').code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^Session 1: SMTP /);
  });
});
