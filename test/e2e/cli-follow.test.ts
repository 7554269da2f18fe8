/** The real program, as a user runs it: output, one-line errors and exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPcap } from '../../src/capture/pcap-writer.js';
import { collect } from '../helpers/collect.js';
import { writeConversation } from '../helpers/tiny-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'mailscope-cli-'));

function mailscope(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/mailscope.js', ...args], { encoding: 'latin1', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A tiny SMTP conversation whose server banner is given as raw bytes. */
function smtpCapture(banner: Buffer, name: string): string {
  const path = join(dir, name);
  writeConversation(path, [['S', banner], ['C', 'QUIT\r\n']]);
  return path;
}

describe('mailscope follow', () => {
  it('lists the streams of a capture, numbered from 0', () => {
    const r = mailscope('follow', 'captures/smtp-auth-failure.pcap');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+0\s+127\.0\.0\.1:\d+\s+127\.0\.0\.1:587\s/m);
    expect(r.stdout).toMatch(/1 TCP stream in \d+ frames/);
  });

  it('shows a stream as a readable conversation', () => {
    const r = mailscope('follow', 'captures/smtp-auth-failure.pcap', '--stream', '0');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<<< server, frame \d+, [\d:.]+\n220 /m);
    expect(r.stdout).toMatch(/^>>> client, frame \d+, [\d:.]+\nEHLO /m);
    expect(r.stdout).toMatch(/^535 5\.7\.8 /m);
    expect(r.stdout).toMatch(/=== end of stream 0 \(closed with FIN\)/);
  });

  it('writes the exact bytes of one direction with --format bin', async () => {
    const r = spawnSync(process.execPath, ['bin/mailscope.js', 'follow', 'captures/smtp-auth-failure.pcap', '-s', '0', '-f', 'bin', '-d', 'server']);
    const { streams } = await collect(['captures/smtp-auth-failure.pcap']);
    expect(r.status).toBe(0);
    expect(Buffer.compare(r.stdout, streams.get(0)!.bytes[1])).toBe(0);
  });

  it('hex dumps with per-direction offsets', () => {
    const r = mailscope('follow', 'captures/smtp-auth-failure.pcap', '-s', '0', '-f', 'hex', '-d', 'server');
    expect(r.stdout).toMatch(/^00000000  32 32 30 20 /m); // "220 "
  });

  it('asks for a direction when bin would mix both', () => {
    const r = mailscope('follow', 'captures/smtp-auth-failure.pcap', '-s', '0', '-f', 'bin');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--direction client or --direction server/);
  });

  it('says which streams exist when the one asked for does not', () => {
    const r = mailscope('follow', 'captures/smtp-auth-failure.pcap', '-s', '7');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/there is no TCP stream 7: the capture has 1 \(numbered 0 to 0\)/);
  });

  it('never lets bytes from the wire drive the terminal', () => {
    const hostile = Buffer.concat([Buffer.from('220 evil\x1b]0;pwned\x07\x1b[2J\x9b31m ESMTP\r\n', 'latin1')]);
    const r = mailscope('follow', smtpCapture(hostile, 'hostile.pcap'), '-s', '0');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\xff]/);
    expect(r.stdout).toContain('220 evil\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m ESMTP');
  });

  it('reports a file that is not a capture in one line, exit 2', () => {
    const path = join(dir, 'notes.pcap');
    writeFileSync(path, 'hello, this is text\n');
    const r = mailscope('follow', path);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not a capture file: it starts with 68 65 6c 6c/);
  });

  it('reports a missing file in one line, exit 2', () => {
    const r = mailscope('follow', join(dir, 'nope.pcap'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.pcap: cannot read: no such file/);
  });

  it('names an unsupported link type in one line', () => {
    const path = join(dir, 'usb.pcap');
    writeFileSync(path, buildPcap([{ ts: 1n, data: Buffer.alloc(40) }], { linkType: 220 }));
    const r = mailscope('follow', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/link type 220 \(USB\) is not supported: 1 frame skipped/);
  });

  it('keeps everything before the damage of a truncated capture, and exits 3', () => {
    const whole = smtpCapture(Buffer.from('220 ok\r\n'), 'whole.pcap');
    const bytes = readFileSync(whole);
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const r = mailscope('follow', cut, '-s', '0');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^220 ok$/m);
    expect(r.stderr).toMatch(/cut\.pcap: truncated at byte \d+, frame \d+: the file ends inside a record/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
