/**
 * Text from the wire is UTF-8 when it is valid UTF-8 (SMTPUTF8 addresses,
 * RFC 6532 headers, IMAP4rev2), else latin1 byte for byte: in sessions,
 * filters and transcripts alike.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeConversation } from '../helpers/tiny-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'mailscope-utf8-'));
const u = (text: string) => Buffer.from(text, 'utf8');
const file = join(dir, 'smtputf8.pcap');
writeConversation(file, [
  ['S', '220 mx.example ESMTP\r\n'], ['C', 'EHLO c.example\r\n'], ['S', '250-mx.example\r\n250 SMTPUTF8\r\n'],
  ['C', u('MAIL FROM:<张伟@例子.中国> SMTPUTF8\r\n')], ['S', '250 2.1.0 Ok\r\n'],
  ['C', u('RCPT TO:<用户@例子.中国>\r\n')], ['S', u('550 5.1.1 <用户@例子.中国>: 用户不存在\r\n')],
  // A latin1 byte (0xe9, not valid UTF-8) stays one character, as before.
  ['C', Buffer.from('RCPT TO:<jos\xe9@example.org>\r\n', 'latin1')], ['S', '250 2.1.5 Ok\r\n'],
  ['C', 'DATA\r\n'], ['S', '354 go\r\n'],
  ['C', u('From: 张伟 <张伟@例子.中国>\r\nSubject: 会议通知\r\n\r\nhi\r\n.\r\n')], ['S', '250 2.0.0 Ok\r\n'],
  ['C', 'QUIT\r\n'], ['S', '221 bye\r\n'],
]);

const mailscope = (...args: string[]) => spawnSync(process.execPath, ['bin/mailscope.js', ...args], { encoding: 'utf8' });

describe('UTF-8 from the wire', () => {
  it('decodes SMTPUTF8 addresses, replies and RFC 6532 headers as UTF-8, and a latin1 byte as latin1', () => {
    const [s] = JSON.parse(mailscope('read', file, '-f', 'json').stdout);
    expect(s.exchanges[2].command.args).toBe('FROM:<张伟@例子.中国> SMTPUTF8');
    expect(s.exchanges[3].reply.text).toBe('5.1.1 <用户@例子.中国>: 用户不存在');
    expect(s.exchanges[4].command.args).toBe('TO:<josé@example.org>');
    expect(s.messages[0]).toMatchObject({ from: '张伟 <张伟@例子.中国>', subject: '会议通知' });
  });

  it('filters and transcripts see the same text', () => {
    expect(mailscope('read', file, '-Y', 'smtp.rcpt.to == "用户@例子.中国"').stdout).toMatch(/1 mail session\n$/);
    expect(mailscope('read', file, '-Y', 'smtp.rcpt.domain == "例子.中国"').stdout).toMatch(/1 mail session\n$/);
    const t = mailscope('transcript', file).stdout;
    expect(t).toContain('C: RCPT TO:<用户@例子.中国>');
    expect(t).toContain('C: RCPT TO:<josé@example.org>');
  });
});
