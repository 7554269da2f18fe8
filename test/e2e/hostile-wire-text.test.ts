/**
 * A capture must never drive the terminal: conversations whose every field
 * from the wire carries ESC, CSI (0x9b), BEL and a bidi override (banner,
 * capabilities, AUTH user, MAIL FROM, RCPT, subject, attachment name, IMAP
 * and POP3 response codes), through every command that prints text for
 * people. Nothing raw may come out; the escaped form must.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeConversation } from '../helpers/tiny-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'mailscope-hostile-'));
const EVIL = '\x1b[2J\x07\u009b31m\u202e';
const u = (text: string) => Buffer.from(text, 'utf8');
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const smtp = join(dir, 'smtp.pcap');
writeConversation(smtp, [
  ['S', u(`220 mx${EVIL}.example ESMTP\r\n`)],
  ['C', 'EHLO client.example\r\n'],
  ['S', u(`250-mx.example\r\n250-AUTH PLAIN\r\n250 X-${EVIL}\r\n`)],
  ['C', `AUTH PLAIN ${b64(`\0alice${EVIL}\0secret`)}\r\n`],
  ['S', u(`535 5.7.8 bad${EVIL}\r\n`)],
  ['C', u(`MAIL FROM:<a${EVIL}@x.example>\r\n`)],
  ['S', '250 2.1.0 Ok\r\n'],
  ['C', u(`RCPT TO:<b${EVIL}@y.example>\r\n`)],
  ['S', u(`554 5.7.1 <b@y.example>: Relay access denied ${EVIL}\r\n`)],
  ['C', u('RCPT TO:<c@y.example>\r\n')],
  ['S', '250 2.1.5 Ok\r\n'],
  ['C', 'DATA\r\n'],
  ['S', '354 go\r\n'],
  ['C', u([
    `From: x${EVIL}@x.example`, `To: y${EVIL}@y.example`, `Subject: hi ${EVIL}`, 'Content-Type: multipart/mixed; boundary=b', '',
    '--b', `Content-Disposition: attachment; filename="r${EVIL}.pdf"`, 'Content-Transfer-Encoding: base64', '', 'QUJD', '--b--', '.', '',
  ].join('\r\n'))],
  ['S', '250 2.0.0 queued\r\n'],
  ['C', 'QUIT\r\n'],
  ['S', '221 bye\r\n'],
], 587);

const imap = join(dir, 'imap.pcap');
writeConversation(imap, [
  ['S', u(`* OK [CAPABILITY IMAP4rev1 X${EVIL}] ready\r\n`)],
  ['C', u(`a1 LOGIN "bob${EVIL}" pw\r\n`)],
  ['S', u(`a1 NO [AUTH${EVIL}FAILED] no${EVIL}\r\n`)],
  ['C', 'a2 LOGOUT\r\n'],
  ['S', '* BYE\r\na2 OK bye\r\n'],
], 143);

const pop3 = join(dir, 'pop3.pcap');
writeConversation(pop3, [
  ['S', u(`+OK ready${EVIL}\r\n`)],
  ['C', u(`USER carol${EVIL}\r\n`)],
  ['S', '+OK\r\n'],
  ['C', 'PASS pw\r\n'],
  ['S', u(`-ERR [AUTH${EVIL}] no\r\n`)],
  ['C', 'QUIT\r\n'],
  ['S', '+OK bye\r\n'],
], 110);

/** Bytes that make a terminal act: C0 controls but tab and newline, DEL, C1 controls, bidi overrides and isolates. */
const RAW = /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

const mailscope = (...args: string[]) => spawnSync(process.execPath, ['bin/mailscope.js', ...args], { encoding: 'utf8' });

describe('hostile bytes from the wire never reach the terminal raw', () => {
  const files = [smtp, imap, pop3];
  const commands: string[][] = [
    ['read', ...files], ['transcript', ...files], ['transcript', '--bodies', ...files], ['findings', ...files], ['stats', ...files],
    ['messages', ...files], ['follow', smtp, '-s', '0'], ['follow', imap, '-s', '0'], ['transcript', '--lang', 'zh', ...files],
  ];
  for (const args of commands) {
    it(`mailscope ${args.filter((a) => !a.startsWith(dir)).join(' ')}`, () => {
      const r = mailscope(...args);
      expect(r.stderr).not.toMatch(RAW);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.stdout).not.toMatch(RAW);
      expect(r.stdout).toContain('\\x1b');
    });
  }

  // Machine-readable outputs escape them as \u sequences: the same value to a JSON reader, nothing raw to cat or less.
  const jsonCommands: string[][] = [
    ['read', '-f', 'ndjson', ...files], ['read', '-f', 'json', ...files], ['stats', '--format', 'json', ...files],
    ['findings', '--format', 'ndjson', ...files], ['messages', '--format', 'ndjson', ...files],
  ];
  for (const args of jsonCommands) {
    it(`mailscope ${args.filter((a) => !a.startsWith(dir)).join(' ')}`, () => {
      const r = mailscope(...args);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.stdout).not.toMatch(RAW);
      // Findings quote no wire text here; the others carry the banner, the subject, the names.
      if (args[0] !== 'findings') expect(r.stdout).toContain('\\u009b');
    });
  }
  it('the extract manifest escapes them too', () => {
    const out = join(dir, 'extracted');
    const r = mailscope('extract', smtp, '--out', out);
    expect(r.status).toBe(0);
    const manifest = readFileSync(join(out, 'manifest.ndjson'), 'utf8');
    expect(manifest).not.toMatch(RAW);
    expect(manifest).toContain('\\u202e');
  });

  it('the decoding saw the fields (so the test is not passing on empty output)', () => {
    const sessions = mailscope('read', ...files, '-f', 'json');
    const all = JSON.parse(sessions.stdout) as { auth: { user: string }[]; messages: { subject?: string; parts?: { name?: string }[] }[] }[];
    expect(all.flatMap((s) => s.auth.map((a) => a.user))).toEqual([`alice${EVIL}`, `bob${EVIL}`, `carol${EVIL}`]);
    expect(all[0]!.messages[0]!.subject).toBe(`hi ${EVIL}`);
    expect(all[0]!.messages[0]!.parts!.some((p) => p.name === `r${EVIL}.pdf`)).toBe(true);
  });
});
