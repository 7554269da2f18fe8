import { describe, expect, it } from 'vitest';
import { GREETING, kinds, pairs, sha256, smtp } from './smtp-helpers.js';

const open: Array<['S' | 'C', string]> = [['S', GREETING], ['C', 'MAIL FROM:<a@x>\r\n'], ['S', '250 ok\r\n'], ['C', 'RCPT TO:<b@x>\r\n'], ['S', '250 ok\r\n']];

describe('SMTP BDAT (RFC 3030)', () => {
  it('BDAT with binary data containing CRLF.CRLF', () => {
    const chunk = Buffer.concat([Buffer.from('Subject: bin\r\n\r\n'), Buffer.from([0, 1, 2, 0xff]), Buffer.from('\r\n.\r\nQUIT\r\n'), Buffer.from([0x0d])]);
    const { session } = smtp([...open, ['C', Buffer.concat([Buffer.from(`BDAT ${chunk.length} LAST\r\n`), chunk])], ['S', '250 2.0.0 queued\r\n'], ['C', 'QUIT\r\n'], ['S', '221 bye\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['MAIL', 250], ['RCPT', 250], ['BDAT', 250], ['QUIT', 221]]);
    expect(session.exchanges[3].command?.args).toBe(`${chunk.length} LAST`);
    expect(session.messages.map((m) => ({ ...m, parts: undefined, headers: undefined }))).toEqual([{
      exchange: 3, via: 'smtp.bdat', size: chunk.length, sha256: sha256(chunk), partial: false, mailFrom: 'a@x', rcptTo: ['b@x'], subject: 'bin',
    }]);
    expect(session.exchanges[3].bodies).toEqual([{ message: 0 }]);
    expect(session.anomalies).toEqual([]);
  });

  it('several chunks accumulate into one message; each BDAT is its own exchange', () => {
    const { session } = smtp([
      ...open, ['C', 'BDAT 10\r\nSubject: x'], ['S', '250 2.0.0 10 octets\r\n'], ['C', 'BDAT 10\r\n\r\n\r\nbody'], ['C', '\r\n'], ['S', '250 ok\r\n'],
      ['C', 'BDAT 0 LAST\r\n'], ['S', '250 queued\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['MAIL', 250], ['RCPT', 250], ['BDAT', 250], ['BDAT', 250], ['BDAT', 250]]);
    const text = 'Subject: x\r\n\r\nbody\r\n';
    expect(session.messages).toMatchObject([{ exchange: 5, size: text.length, sha256: sha256(text), subject: 'x', partial: false }]);
    expect(session.exchanges.slice(3).map((e) => e.bodies)).toEqual([[{ message: 0 }], [{ message: 0 }], [{ message: 0 }]]);
  });

  it('BDAT 0 LAST alone: an empty message', () => {
    const { session } = smtp([...open, ['C', 'BDAT 0 LAST\r\n'], ['S', '250 queued\r\n']]);
    expect(session.messages).toMatchObject([{ exchange: 3, size: 0, sha256: sha256(''), partial: false }]);
  });

  it('pipelined BDAT before the RCPT replies: envelope waits for them', () => {
    const { session } = smtp([
      ['S', GREETING], ['C', 'MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nRCPT TO:<n@x>\r\nBDAT 5 LAST\r\nhello'],
      ['S', '250 ok\r\n250 ok\r\n550 no\r\n250 queued\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['MAIL', 250], ['RCPT', 250], ['RCPT', 550], ['BDAT', 250]]);
    expect(session.messages).toMatchObject([{ rcptTo: ['b@x'], size: 5 }]);
  });

  it('BDAT with a bad size is kept, nothing is read as a chunk', () => {
    const { session } = smtp([...open, ['C', 'BDAT SCRAMBLE\r\nQUIT\r\n'], ['S', '501 5.5.4 bad\r\n221 bye\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['MAIL', 250], ['RCPT', 250], ['BDAT', 501], ['QUIT', 221]]);
    expect(kinds(session)).toEqual(['literal.bad_size']);
  });

  it('gap inside a BDAT chunk is counted against its size', () => {
    const { session } = smtp([
      ...open, ['C', 'BDAT 20 LAST\r\n0123456789'], ['gap', 'C', 5], ['C', 'abcde'], ['C', 'QUIT\r\n'], ['S', '250 queued\r\n221 bye\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['MAIL', 250], ['RCPT', 250], ['BDAT', 250], ['QUIT', 221]]);
    expect(session.messages).toMatchObject([{ partial: true, size: 15 }]);
    expect(kinds(session)).toEqual(['message.partial', 'stream.resync']);
  });

  it('gap longer than the rest of the chunk: the rest is line mode', () => {
    const { session } = smtp([...open, ['C', 'BDAT 10 LAST\r\n01234'], ['gap', 'C', 9], ['C', 'IT\r\nNOOP\r\n'], ['S', '250 queued\r\n250 ok\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['MAIL', 250], ['RCPT', 250], ['BDAT', 250], ['NOOP', 250]]);
    expect(session.messages).toMatchObject([{ partial: true, size: 5 }]);
  });

  it('RSET before LAST abandons the message as partial', () => {
    const { session } = smtp([...open, ['C', 'BDAT 3\r\nabc'], ['S', '250 ok\r\n'], ['C', 'RSET\r\n'], ['S', '250 ok\r\n']]);
    expect(session.messages).toMatchObject([{ partial: true, size: 3, exchange: 3 }]);
    expect(kinds(session)).toEqual(['message.partial']);
  });

  it('BDAT without LAST at the end of the capture is partial', () => {
    const { session } = smtp([...open, ['C', 'BDAT 3\r\nabc'], ['S', '250 ok\r\n']]);
    expect(session.messages).toMatchObject([{ partial: true, size: 3 }]);
  });
});
