/** explainReply and explainText: layers, composition of enhanced codes, POP3 / IMAP codes, line shapes. */
import { describe, expect, it } from 'vitest';
import { explainReply, explainText, formatExplanation, formatExplanationLines, parseReplyLine } from '../../src/explain/index.js';
import type { Reply } from '../../src/session/model.js';

const smtp = (code: number, enhanced: string | undefined, text: string): Reply =>
  ({ ts: '', frame: 1, lines: [`${code} ${text}`], text, code, ...(enhanced ? { enhanced } : {}) });

describe('explainReply', () => {
  it('returns null for replies that are not failures, unless asked', () => {
    const ok = smtp(250, '2.0.0', '2.0.0 Ok: queued');
    expect(explainReply(ok, 'smtp')).toBeNull();
    expect(explainReply(ok, 'smtp', 'en', { all: true })?.failure).toBe(false);
    expect(explainReply({ ts: '', frame: 1, lines: ['+OK'], text: '', indicator: '+OK' }, 'pop3')).toBeNull();
  });

  it('composes class, subject and detail of an enhanced code with the basic code', () => {
    const e = explainReply(smtp(550, '5.7.23', '5.7.23 nope'), 'smtp')!;
    expect(e.parts.map((p) => [p.kind, p.key])).toEqual([
      ['pattern', 'spf'], ['detail', 'x.7.23'], ['subject', 'x.7.x'], ['class', '5.x.x'], ['smtp', '550'],
    ]);
    expect(e.temporary).toBe(false);
    const t = explainReply(smtp(451, '4.4.3', '4.4.3 lookup failed'), 'smtp')!;
    expect(t.pattern).toBeNull();
    expect(t.meaning).toBe('Directory server failure');
    expect(t.temporary).toBe(true);
    expect(t.parts.find((p) => p.kind === 'class')?.meaning).toBe('Persistent transient failure');
  });

  it('prefers the basic code to an "other or undefined" detail, and handles unregistered codes', () => {
    expect(explainReply(smtp(554, '5.0.0', '5.0.0 no'), 'smtp')!.meaning).toBe('Transaction failed (or no SMTP service here)');
    const odd = explainReply(smtp(599, '5.9.99', '5.9.99 odd'), 'smtp')!;
    expect(odd.parts.map((p) => p.key)).toEqual(['5.x.x', '5xx']);
    expect(odd.meaning).toBe('Permanent failure');
  });

  it('explains POP3 codes, SYS/* under SYS, and the bare -ERR', () => {
    const pop = (text: string, code?: string): Reply => ({ ts: '', frame: 1, lines: [`-ERR ${text}`], text, indicator: '-ERR', ...(code ? { code } : {}) });
    expect(explainReply(pop('[SYS/TEMP] backend down', 'SYS/TEMP'), 'pop3')).toMatchObject({ meaning: 'Temporary system failure', temporary: true });
    expect(explainReply(pop('[SYS/OTHER] x', 'SYS/OTHER'), 'pop3')!.meaning).toBe('System failure');
    expect(explainReply(pop('[LOGIN-DELAY] wait', 'LOGIN-DELAY'), 'pop3')).toMatchObject({ meaning: 'Logging in too soon', temporary: true });
    expect(explainReply(pop('no such message'), 'pop3')!.meaning).toBe('POP3 command failed');
  });

  it('explains IMAP codes with arguments, BAD and BYE', () => {
    const imap = (status: Reply['status'], text: string, code?: string): Reply => ({ ts: '', frame: 1, lines: [`a1 ${status} ${text}`], text, status, tag: 'a1', ...(code ? { code } : {}) });
    expect(explainReply(imap('NO', '[BADCHARSET (UTF-8)] no', 'BADCHARSET (UTF-8)'), 'imap')!.meaning).toBe('Charset not supported');
    expect(explainReply(imap('NO', '[TRYCREATE] Mailbox does not exist', 'TRYCREATE'), 'imap')!.meaning).toMatch(/create it first/);
    expect(explainReply(imap('NO', '[UNAVAILABLE] try later', 'UNAVAILABLE'), 'imap')!.temporary).toBe(true);
    expect(explainReply(imap('BAD', 'Error in IMAP command LIST: Missing arguments.'), 'imap')!.meaning).toBe('IMAP command not understood');
    expect(explainReply(imap('BAD', 'Error in IMAP command XYZZY: Unknown command.'), 'imap')!.pattern).toBe('unknown-command');
    expect(explainReply(imap('BYE', 'Server shutting down.'), 'imap')!.meaning).toBe('IMAP server closing the connection');
  });
});

describe('explainText: the protocol from the shape of the line', () => {
  it.each([
    ['550 5.7.1 Relaying denied', 'smtp', '550 5.7.1'],
    ['421-4.7.0 Try again later', 'smtp', '421 4.7.0'],
    ['-ERR [AUTH] Authentication failed.', 'pop3', '-ERR [AUTH]'],
    ['+OK Dovecot ready.', 'pop3', '+OK'],
    ['a1 NO [AUTHENTICATIONFAILED] Authentication failed.', 'imap', 'NO [AUTHENTICATIONFAILED]'],
    ['* BYE Autologout; idle for too long', 'imap', 'BYE'],
    ['NO [OVERQUOTA] Quota exceeded', 'imap', 'NO [OVERQUOTA]'],
  ])('%s is %s', (line, protocol, label) => {
    expect(explainText(line)).toMatchObject({ protocol, label });
  });

  it('reads nothing else', () => {
    for (const line of ['', 'hello', '123 not a reply', '650 x', 'Relaying denied']) expect(explainText(line)).toBeNull();
  });

  it('reads a pasted multi-line reply as one, with its enhanced code', () => {
    const p = parseReplyLine('550-5.1.1 The email account that you tried to reach does not exist.\n550 5.1.1 https://support.google.com/mail/?p=NoSuchUser - gsmtp')!;
    expect(p.reply).toMatchObject({ code: 550, enhanced: '5.1.1' });
    expect(p.reply.lines).toHaveLength(2);
  });
});

describe('formatting', () => {
  it('gives two compact lines for transcripts and a layered text for explain', () => {
    const e = explainText('552 5.3.4 Message size exceeds fixed limit')!;
    const [first, second] = formatExplanationLines(e);
    expect(first).toMatch(/^\?\? Message too big — /);
    expect(second).toMatch(/^ {3}fix: Send a smaller message/);
    expect(formatExplanation(e)).toContain('    x.3.4  Message too big for system');
    const zh = formatExplanationLines(explainText('552 5.3.4 Message size exceeds fixed limit', 'zh')!);
    expect(zh[0]).toMatch(/^\?\? 邮件过大 — /);
    expect(zh[1]).toMatch(/^ {3}解决办法：/);
  });
});
