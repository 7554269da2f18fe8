/** mailscope messages and mailscope extract, on a hostile capture made for the test: names, bounds, no writes outside DIR, no overwrite. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_NAME_BYTES, NameClaims, sanitizeName } from '../../src/export/safe-name.js';
import { writeConversation } from '../helpers/tiny-capture.js';

const root = mkdtempSync(join(tmpdir(), 'mailscope-extract-'));
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

function mailscope(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/mailscope.js', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const HOSTILE_NAMES = [
  'filename="../../etc/passwd"',
  'filename="/etc/passwd"',
  'filename="CON"',
  'filename="nul.txt"',
  'filename="a\x1b[2J.txt"',
  `filename="${'x'.repeat(300)}.pdf"`,
  'filename="=?utf-8?B?w6l0w6kucGRm?="', // été.pdf
  "filename*=utf-8''%E2%82%AC%20rate.xlsx", // € rate.xlsx
  'filename="report.pdf"',
  'filename="report.pdf"',
  'filename=".."',
];
const content = (i: number) => Buffer.from(`attachment number ${i}\n`.repeat(i + 1));

function hostileMessage(): string {
  const lines = ['From: Mallory <m@evil.test>', 'To: bob@example.test', 'Subject: =?utf-8?Q?hostile_=E2=9C=89?=', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'hello', ''];
  HOSTILE_NAMES.forEach((n, i) => {
    lines.push('--b', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', `Content-Disposition: attachment; ${n}`, '', content(i).toString('base64'), '');
  });
  lines.push('--b--', '');
  return lines.join('\r\n');
}

const capture = join(root, 'hostile.pcap');
writeConversation(capture, [
  ['S', '220 mx.example.test ESMTP\r\n'], ['C', 'EHLO evil.test\r\n'], ['S', '250 mx.example.test\r\n'],
  ['C', 'MAIL FROM:<m@evil.test>\r\n'], ['S', '250 2.1.0 Ok\r\n'], ['C', 'RCPT TO:<bob@example.test>\r\n'], ['S', '250 2.1.5 Ok\r\n'],
  ['C', 'DATA\r\n'], ['S', '354 go ahead\r\n'], ['C', hostileMessage() + '.\r\n'], ['S', '250 2.0.0 queued\r\n'],
  ['C', 'QUIT\r\n'], ['S', '221 bye\r\n'],
]);

describe('sanitizeName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['/etc/passwd', 'passwd'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['COM1', '_COM1'],
    ['a\x1b[2J.txt', 'a_[2J.txt'],
    ['..', 'fallback.bin'],
    ['', 'fallback.bin'],
    ['a\\b:c', 'b_c'],
    ['a:b', 'a_b'],
  ])('%j -> %j', (raw, want) => {
    expect(sanitizeName(raw, 'fallback.bin')).toBe(want);
  });

  it('bounds the length, keeping the extension and whole characters', () => {
    const long = sanitizeName('é'.repeat(10000) + '.pdf', 'f');
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(long.endsWith('é.pdf')).toBe(true);
  });

  it('never hands out a path outside the folder', () => {
    const claims = new NameClaims(join(root, 'claims'), false);
    expect(() => claims.inside('../x')).toThrow(/outside/);
    expect(() => claims.inside('a/b')).toThrow(/outside/);
  });
});

describe('mailscope messages', () => {
  it('lists the message with its decoded subject and attachments (ndjson)', () => {
    const r = mailscope('messages', capture, '--format', 'ndjson');
    expect(r.code).toBe(0);
    const [m] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(m).toMatchObject({ session: 1, message: 1, via: 'smtp.data', mailFrom: 'm@evil.test', rcptTo: ['bob@example.test'], subject: 'hostile ✉' });
    expect(m.attachments.length).toBe(HOSTILE_NAMES.length);
    expect(m.attachments.map((a: { name: string }) => a.name)).toContain('été.pdf');
    expect(m.attachments.map((a: { name: string }) => a.name)).toContain('€ rate.xlsx');
    expect(m.attachments[0].sha256).toBe(sha(content(0)));
    // MD5 beside SHA-256: what antivirus and sandbox services are searched by.
    expect(m.attachments.map((a: { md5: string }) => a.md5)).toEqual(HOSTILE_NAMES.map((_n, i) => md5(content(i))));
  });

  it('filters by attachment fields, and prints escaped text lines', () => {
    expect(mailscope('messages', capture, '-Y', 'attachment.name == "CON"').stdout).toMatch(/^#1\.1 smtp\.data .*\n[\s\S]*1 message\n$/);
    expect(mailscope('messages', capture, '-Y', 'attachment.type == "image/png"').stdout).toBe('0 messages\n');
    const text = mailscope('messages', capture).stdout;
    expect(text).not.toContain('\x1b');
    expect(mailscope('messages', capture, '-Y', `attachment.sha256 == "${sha(content(2))}" && message.size > 100 && !message.partial`).stdout).toMatch(/1 message\n$/);
  });

  it('keeps a message to 600 recipients on one line for people, and gives all of them in NDJSON (Zeek smtp-many-addresses)', () => {
    const file = '../shared/captures/zeek/smtp_smtp-many-addresses.pcap';
    const text = mailscope('messages', file).stdout.split('\n')[0]!;
    expect(text).toMatch(/ -> [^,]+, [^,]+, [^,]+ and 597 more "/);
    const [m] = mailscope('messages', file, '-f', 'ndjson').stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(m.rcptTo).toHaveLength(600); // the envelope
    // The header has 600 To fields, one address each, behind 600 Received fields (past the 64 KiB bound): all are read.
    expect(m.to).toHaveLength(600);
  });
});

describe('mailscope extract', () => {
  it('writes the .eml, the attachments under safe names, and a manifest; nothing outside DIR', () => {
    const out = join(root, 'out');
    const before = readdirSync(root).sort();
    const r = mailscope('extract', capture, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(root).sort()).toEqual([...new Set([...before, 'out'])].sort());
    const files = readdirSync(out);
    for (const f of files) {
      expect(f).not.toMatch(/[/\\\x00-\x1f]|\.\./);
      expect(Buffer.byteLength(f)).toBeLessThanOrEqual(MAX_NAME_BYTES);
      expect(f).not.toMatch(/^(con|nul)(\.|$)/i);
    }
    expect(files).toContain('session-0001-msg-1.eml');
    expect(files).toContain('report.pdf');
    expect(files).toContain('report-2.pdf');
    expect(files).toContain('été.pdf');
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
    const manifest = readFileSync(join(out, 'manifest.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(manifest.length).toBe(1 + HOSTILE_NAMES.length);
    for (const e of manifest) expect(sha(readFileSync(join(out, e.path)))).toBe(e.sha256);
    expect(manifest.filter((e) => e.part !== null).map((e) => e.sha256)).toEqual(HOSTILE_NAMES.map((_n, i) => sha(content(i))));
    expect(manifest.filter((e) => e.part !== null).map((e) => e.md5)).toEqual(HOSTILE_NAMES.map((_n, i) => md5(content(i))));
    expect(mailscope('messages', capture, '-Y', `attachment.md5 == "${md5(content(1))}"`).stdout).toMatch(/1 message\n$/);
    const eml = readFileSync(join(out, 'session-0001-msg-1.eml'));
    expect(eml.toString('latin1')).toBe(hostileMessage());
  });

  it('never overwrites: a second run fails on the manifest; existing files get numbered names; --overwrite replaces', () => {
    const out = join(root, 'again');
    expect(mailscope('extract', capture, '--out', out).code).toBe(0);
    const again = mailscope('extract', capture, '--out', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists.*--overwrite/);
    const pre = join(root, 'pre');
    mkdirSync(pre);
    writeFileSync(join(pre, 'report.pdf'), 'mine');
    expect(mailscope('extract', capture, '--out', pre).code).toBe(0);
    expect(readFileSync(join(pre, 'report.pdf'), 'utf8')).toBe('mine');
    expect(readdirSync(pre)).toContain('report-3.pdf');
    const forced = mailscope('extract', capture, '--out', out, '--overwrite');
    expect(forced.code).toBe(0);
    expect(readdirSync(out).filter((f) => f.startsWith('report')).sort()).toEqual(['report-2.pdf', 'report.pdf']);
  });
});
