import { describe, expect, it } from 'vitest';
import { chop } from '../helpers/machine-harness.js';
import { EHLO_REPLY, GREETING, kinds, pairs, sha256, smtp } from './smtp-helpers.js';

const MSG = 'Subject: hi\r\nFrom: a@example.test\r\n\r\nbody line\r\n';

describe('SMTP replies', () => {
  it('greeting is an exchange without a command', () => {
    const { session } = smtp([['S', GREETING]]);
    expect(session.exchanges).toEqual([{
      command: null,
      reply: { ts: '2024-05-01T10:00:00.001000Z', frame: 1, lines: ['220 mx.example.test ESMTP'], text: 'mx.example.test ESMTP', code: 220 },
    }]);
    expect(session.anomalies).toEqual([]);
  });

  it('multi-line greeting', () => {
    const { session } = smtp([['S', '220-mx.example.test ESMTP\r\n220-no UCE\r\n220 ready\r\n']]);
    expect(session.exchanges[0].reply).toMatchObject({
      code: 220, lines: ['220-mx.example.test ESMTP', '220-no UCE', '220 ready'], text: 'mx.example.test ESMTP\nno UCE\nready',
    });
  });

  it('554 refusal as greeting, then QUIT', () => {
    const { session } = smtp([['S', '554 5.7.1 go away\r\n'], ['C', 'QUIT\r\n'], ['S', '221 2.0.0 Bye\r\n']]);
    expect(pairs(session)).toEqual([[null, 554], ['QUIT', 221]]);
    expect(session.exchanges[0].reply?.enhanced).toBe('5.7.1');
  });

  it('EHLO capabilities stay in the reply lines', () => {
    const { session } = smtp([['S', GREETING], ['C', 'EHLO client.test\r\n'], ['S', EHLO_REPLY]]);
    const reply = session.exchanges[1].reply;
    expect(reply?.code).toBe(250);
    expect(reply?.lines).toHaveLength(5);
    expect(reply?.text.split('\n')).toEqual(['mx.example.test', 'PIPELINING', 'CHUNKING', 'AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER', 'STARTTLS']);
    expect(reply?.enhanced).toBeUndefined();
  });

  it('enhanced status code only when its class matches the reply code', () => {
    const { session } = smtp([
      ['S', GREETING],
      ['C', 'MAIL FROM:<a@x>\r\n'], ['S', '250 2.1.0 Ok\r\n'],
      ['C', 'RCPT TO:<b@x>\r\n'], ['S', '550 2.1.5 odd\r\n'],
      ['C', 'RCPT TO:<c@x>\r\n'], ['S', '451-4.7.1 try\r\n451 4.7.1 later\r\n'],
      ['C', 'NOOP\r\n'], ['S', '250 2.0.0\r\n'],
    ]);
    expect(session.exchanges.map((e) => e.reply?.enhanced)).toEqual([undefined, '2.1.0', undefined, '4.7.1', '2.0.0']);
  });

  it('reply split across many TCP segments', () => {
    const steps = chop(GREETING, 3).map((s) => ['S', s] as ['S', string]);
    const ehlo = chop(EHLO_REPLY, 1).map((s) => ['S', s] as ['S', string]);
    const { session } = smtp([...steps, ['C', 'EHLO c\r\n'], ...ehlo]);
    expect(pairs(session)).toEqual([[null, 220], ['EHLO', 250]]);
    expect(session.exchanges[1].reply?.lines).toHaveLength(5);
    expect(session.exchanges[1].reply?.frame).toBe(steps.length + 1 + ehlo.length);
    expect(session.anomalies).toEqual([]);
  });

  it('malformed reply without a code is kept and answers nothing', () => {
    const { session } = smtp([['S', GREETING], ['C', 'NOOP\r\n'], ['S', 'hello there\r\n250 ok\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['NOOP', 250], [null, null]]);
    expect(session.exchanges[2].reply?.lines).toEqual(['hello there']);
    expect(kinds(session)).toEqual(['reply.malformed']);
  });

  it('continuation code differing from the final one is malformed, final code kept', () => {
    const { session } = smtp([['S', GREETING], ['C', 'EHLO c\r\n'], ['S', '250-a\r\n251 b\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['EHLO', 251]]);
    expect(session.anomalies).toMatchObject([{ kind: 'reply.malformed', exchange: 1 }]);
    expect(session.anomalies[0].detail).toContain('continuation code 250 differs from final code 251');
  });

  it('impossible reply code is malformed', () => {
    const { session } = smtp([['S', GREETING], ['C', 'NOOP\r\n'], ['S', '199 what\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['NOOP', 199]]);
    expect(kinds(session)).toEqual(['reply.malformed']);
  });

  it('reply nobody asked for', () => {
    const { session } = smtp([['S', GREETING], ['S', '250 ok\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], [null, 250]]);
    expect(session.anomalies).toMatchObject([{ kind: 'reply.unexpected', exchange: 1 }]);
  });

  it("server's 421 closing the session: as a reply and unsolicited", () => {
    const a = smtp([['S', GREETING], ['C', 'EHLO c\r\n'], ['S', '421 4.3.2 Service shutting down\r\n']]);
    expect(pairs(a.session)).toEqual([[null, 220], ['EHLO', 421]]);
    expect(a.session.exchanges[1].reply?.enhanced).toBe('4.3.2');
    expect(a.session.anomalies).toEqual([]);
    const b = smtp([['S', GREETING], ['C', 'EHLO c\r\n'], ['S', '250 ok\r\n'], ['S', '421 4.4.2 timeout\r\n']]);
    expect(pairs(b.session)).toEqual([[null, 220], ['EHLO', 250], [null, 421]]);
    expect(b.session.anomalies).toEqual([]);
    const c = smtp([['S', GREETING], ['C', 'MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\n'], ['S', '421 4.7.0 closing\r\n']]);
    expect(pairs(c.session)).toEqual([[null, 220], ['MAIL', 421], ['RCPT', null]]);
    expect(c.session.anomalies).toMatchObject([{ kind: 'reply.missing', exchange: 2 }]);
  });

  it('reply split inside its CRLF', () => {
    const { session } = smtp([['S', '220 a\r'], ['S', '\n']]);
    expect(session.exchanges[0].reply?.lines).toEqual(['220 a']);
    expect(session.anomalies).toEqual([]);
  });
});

describe('SMTP commands', () => {
  it('simple commands, verbs upper-cased, args kept', () => {
    const { session } = smtp([
      ['S', GREETING],
      ['C', 'helo c.test\r\n'], ['S', '250 mx\r\n'],
      ['C', 'VRFY alice\r\n'], ['S', '252 2.0.0 alice\r\n'],
      ['C', 'EXPN list\r\n'], ['S', '502 5.5.1 no\r\n'],
      ['C', 'HELP\r\n'], ['S', '214 2.0.0 see RFC\r\n'],
      ['C', 'NOOP\r\n'], ['S', '250 2.0.0 Ok\r\n'],
      ['C', 'ETRN example.test\r\n'], ['S', '250 queued\r\n'],
      ['C', 'XCLIENT ADDR=192.0.2.1\r\n'], ['S', '220 mx\r\n'],
      ['C', 'RSET\r\n'], ['S', '250 2.0.0 Ok\r\n'],
      ['C', 'QUIT\r\n'], ['S', '221 2.0.0 Bye\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['HELO', 250], ['VRFY', 252], ['EXPN', 502], ['HELP', 214], ['NOOP', 250], ['ETRN', 250], ['XCLIENT', 220], ['RSET', 250], ['QUIT', 221]]);
    expect(session.exchanges[1].command).toMatchObject({ verb: 'HELO', args: 'c.test', frame: 2, ts: '2024-05-01T10:00:00.002000Z' });
    expect(session.anomalies).toEqual([]);
  });

  it('unknown command is kept with command.unknown', () => {
    const { session } = smtp([['S', GREETING], ['C', 'FOO bar\r\n'], ['S', '502 5.5.2 Error: command not recognized\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['FOO', 502]]);
    expect(session.exchanges[1].command?.args).toBe('bar');
    expect(session.anomalies).toMatchObject([{ kind: 'command.unknown', exchange: 1 }]);
  });

  it('command without a reply at the end: reply.missing', () => {
    const { session } = smtp([['S', GREETING], ['C', 'NOOP\r\n']]);
    expect(session.anomalies).toMatchObject([{ kind: 'reply.missing', exchange: 1 }]);
  });

  it('bare LF lines are accepted with one anomaly per direction', () => {
    const { session } = smtp([['S', '220 a\n'], ['C', 'NOOP\nNOOP\n'], ['S', '250 ok\n250 ok\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['NOOP', 250], ['NOOP', 250]]);
    expect(kinds(session)).toEqual(['line.bare_lf', 'line.bare_lf']);
  });

  it('over-long command line is cut and the rest skipped', () => {
    const long = 'NOOP ' + 'x'.repeat(20000);
    const { session } = smtp([['S', GREETING], ['C', long + '\r\nQUIT\r\n'], ['S', '500 too long\r\n221 bye\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['NOOP', 500], ['QUIT', 221]]);
    expect(session.exchanges[1].command?.args.length).toBe(16 * 1024 - 5);
    expect(kinds(session)).toEqual(['line.too_long']);
  });

  it('latin1 bytes never throw', () => {
    const { session } = smtp([['S', GREETING], ['C', Buffer.from([0x48, 0x45, 0x4c, 0x4f, 0x20, 0xff, 0xfe, 0x0d, 0x0a])], ['S', '250 \xe9\r\n']]);
    expect(session.exchanges[1].command?.args).toBe('\xff\xfe');
    expect(session.exchanges[1].reply?.text).toBe('\xe9');
  });
});

describe('SMTP pipelining', () => {
  it('pipelined group matched in order', () => {
    const { session } = smtp([
      ['S', GREETING], ['C', 'EHLO c\r\n'], ['S', EHLO_REPLY],
      ['C', 'MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nRCPT TO:<nobody@x>\r\nRCPT TO:<c@x>\r\nDATA\r\n'],
      ['S', '250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 unknown\r\n250 2.1.5 Ok\r\n354 go\r\n'],
      ['C', MSG + '.\r\n'], ['S', '250 2.0.0 Ok: queued as X\r\n'],
      ['C', 'QUIT\r\n'], ['S', '221 Bye\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['EHLO', 250], ['MAIL', 250], ['RCPT', 250], ['RCPT', 550], ['RCPT', 250], ['DATA', 250], ['QUIT', 221]]);
    expect(session.exchanges[6].interim?.map((i) => i.reply.code)).toEqual([354]);
    expect(session.messages).toMatchObject([{ exchange: 6, via: 'smtp.data', mailFrom: 'a@x', rcptTo: ['b@x', 'c@x'], subject: 'hi', partial: false, size: MSG.length, sha256: sha256(MSG) }]);
    expect(session.exchanges[6].bodies).toEqual([{ message: 0 }]);
    expect(session.anomalies).toEqual([]);
  });

  it('pipelined DATA refused with 554 after rejected RCPTs, then RSET and QUIT in clear', () => {
    const { session } = smtp([
      ['S', GREETING],
      ['C', 'MAIL FROM:<a@x>\r\nRCPT TO:<n1@x>\r\nRCPT TO:<n2@x>\r\nDATA\r\n'],
      ['S', '250 2.1.0 Ok\r\n550 5.1.1 no\r\n550 5.1.1 no\r\n554 5.5.1 Error: no valid recipients\r\n'],
      ['C', 'RSET\r\nQUIT\r\n'],
      ['S', '250 2.0.0 Ok\r\n221 2.0.0 Bye\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['MAIL', 250], ['RCPT', 550], ['RCPT', 550], ['DATA', 554], ['RSET', 250], ['QUIT', 221]]);
    expect(session.exchanges[4].interim).toBeUndefined();
    expect(session.exchanges[4].reply?.enhanced).toBe('5.5.1');
    expect(session.messages).toEqual([]);
    expect(session.anomalies).toEqual([]);
  });

  it('client bytes after DATA wait for its reply (refused: they are commands)', () => {
    // A client that does not wait for 354: the reply decides what "NOOP" is.
    const { session } = smtp([['S', GREETING], ['C', 'DATA\r\nNOOP\r\n'], ['S', '503 5.5.1 need MAIL\r\n250 ok\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['DATA', 503], ['NOOP', 250]]);
  });

  it('QUIT in the same segment as the final dot', () => {
    const { session } = smtp([
      ['S', GREETING], ['C', 'MAIL FROM:<a@x>\r\n'], ['S', '250 ok\r\n'], ['C', 'RCPT TO:<b@x>\r\n'], ['S', '250 ok\r\n'],
      ['C', 'DATA\r\n'], ['S', '354 go\r\n'], ['C', MSG + '.\r\nQUIT\r\n'], ['S', '250 queued\r\n221 bye\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['MAIL', 250], ['RCPT', 250], ['DATA', 250], ['QUIT', 221]]);
    expect(session.messages).toMatchObject([{ exchange: 3, size: MSG.length, sha256: sha256(MSG), rcptTo: ['b@x'] }]);
  });

  it('a bare LF inside a DATA body is noted once, in the segment that ends its line, wherever the body is split', () => {
    const body = 'Subject: s\r\n\r\nplain\r\nbare\nafter\r\n';
    const bareEnd = body.indexOf('bare\n') + 4;
    for (let k = 1; k < body.length; k++) {
      const { session } = smtp([
        ['S', GREETING], ['C', 'MAIL FROM:<a@x>\r\n'], ['S', '250 ok\r\n'], ['C', 'RCPT TO:<b@x>\r\n'], ['S', '250 ok\r\n'],
        ['C', 'DATA\r\n'], ['S', '354 go\r\n'], ['C', body.slice(0, k)], ['C', body.slice(k) + '.\r\n'], ['S', '250 queued\r\n'],
      ]);
      expect(session.messages, `split at ${k}`).toMatchObject([{ size: body.length, sha256: sha256(body) }]);
      expect(session.anomalies, `split at ${k}`).toEqual([
        { kind: 'line.bare_lf', detail: 'client line ended by a bare LF (RFC 5321 2.3.8 requires CRLF)', frame: bareEnd < k ? 8 : 9 },
      ]);
    }
  });
});

describe('SMTP DATA', () => {
  const open: Array<['S' | 'C', string]> = [['S', GREETING], ['C', 'MAIL FROM:<a@x>\r\n'], ['S', '250 ok\r\n'], ['C', 'RCPT TO:<b@x>\r\n'], ['S', '250 ok\r\n'], ['C', 'DATA\r\n'], ['S', '354 go\r\n']];

  it('CRLF.CRLF split across two segments', () => {
    const { session } = smtp([...open, ['C', MSG + '\r'.slice(0, 0) + '.'], ['C', '\r\n'], ['S', '250 queued\r\n']]);
    expect(session.messages).toMatchObject([{ size: MSG.length, sha256: sha256(MSG), partial: false }]);
    expect(pairs(session).at(-1)).toEqual(['DATA', 250]);
  });

  it('CRLF.CRLF split across three segments: "\\r\\n." | "\\r" | "\\n"', () => {
    const body = MSG.slice(0, -2);
    const { session } = smtp([...open, ['C', body + '\r\n.'], ['C', '\r'], ['C', '\n'], ['S', '250 queued\r\n'], ['C', 'QUIT\r\n'], ['S', '221 bye\r\n']]);
    expect(session.messages).toMatchObject([{ size: MSG.length, sha256: sha256(MSG), partial: false }]);
    expect(pairs(session).slice(-2)).toEqual([['DATA', 250], ['QUIT', 221]]);
    expect(session.anomalies).toEqual([]);
  });

  it('message whose lines start with dots: unstuffing exact', () => {
    const wire = 'Subject: dots\r\n\r\n..leading dot\r\n...two\r\n.\t tab\r\n..\r\nend.\r\n.\r\n';
    const plain = 'Subject: dots\r\n\r\n.leading dot\r\n..two\r\n\t tab\r\n.\r\nend.\r\n';
    const { session } = smtp([...open, ...chop(wire, 1).map((c) => ['C', c] as ['C', string]), ['S', '250 queued\r\n']]);
    expect(session.messages).toMatchObject([{ size: plain.length, sha256: sha256(plain), subject: 'dots' }]);
  });

  it('empty message', () => {
    const { session } = smtp([...open, ['C', '.\r\n'], ['S', '250 queued\r\n']]);
    expect(session.messages).toMatchObject([{ size: 0, sha256: sha256(''), partial: false }]);
  });

  it('message rejected after the dot: 5xx is the final reply, 354 interim', () => {
    const { session } = smtp([...open, ['C', MSG + '.\r\n'], ['S', '554 5.7.1 spam\r\n']]);
    const data = session.exchanges[3];
    expect(data.reply?.code).toBe(554);
    expect(data.interim).toEqual([{ reply: expect.objectContaining({ code: 354 }) }]);
    expect(session.messages).toHaveLength(1);
  });

  it('gap in the middle of DATA: message partial, resynchronised at the final reply', () => {
    const { session } = smtp([
      ...open, ['C', 'Subject: x\r\n\r\nfirst part\r\n'], ['gap', 'C', 500], ['C', 'tail of a line\r\nmore\r\n'],
      ['C', '.\r\n'], ['S', '250 queued\r\n'], ['C', 'QUIT\r\n'], ['S', '221 bye\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['MAIL', 250], ['RCPT', 250], ['DATA', 250], ['QUIT', 221]]);
    expect(session.messages).toMatchObject([{ partial: true, size: 26, sha256: sha256('Subject: x\r\n\r\nfirst part\r\n'), subject: 'x' }]);
    expect(kinds(session)).toEqual(['message.partial', 'stream.resync', 'stream.resync']);
  });

  it('gap that swallowed the final dot: the final reply brings commands back', () => {
    const { session } = smtp([
      ...open, ['C', 'Subject: x\r\n\r\nfirst\r\n'], ['gap', 'C', 300], ['S', '250 queued\r\n'], ['C', 'QUIT\r\n'], ['S', '221 bye\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['MAIL', 250], ['RCPT', 250], ['DATA', 250], ['QUIT', 221]]);
    expect(session.messages[0].partial).toBe(true);
    expect(session.anomalies.at(-1)).toMatchObject({ kind: 'stream.resync', exchange: 3 });
  });

  it('capture ends inside the message: partial', () => {
    const { session } = smtp([...open, ['C', MSG]]);
    expect(session.messages).toMatchObject([{ partial: true, size: MSG.length }]);
    expect(kinds(session)).toEqual(['message.partial', 'reply.missing']);
  });

  it('envelope: null reverse-path and parameters', () => {
    const { session } = smtp([
      ['S', GREETING], ['C', 'MAIL FROM:<> SIZE=10 BODY=8BITMIME\r\n'], ['S', '250 ok\r\n'], ['C', 'RCPT TO: <b@x> NOTIFY=NEVER\r\n'], ['S', '250 ok\r\n'],
      ['C', 'DATA\r\n'], ['S', '354 go\r\n'], ['C', '.\r\n'], ['S', '250 ok\r\n'],
    ]);
    expect(session.messages[0]).toMatchObject({ mailFrom: '', rcptTo: ['b@x'] });
  });
});

describe('SMTP gaps in line mode', () => {
  it('client gap: partial line dropped, resumes at the next command', () => {
    const { session } = smtp([['S', GREETING], ['C', 'NOOP\r\nVRF'], ['gap', 'C', 20], ['C', 'tail\r\nQUIT\r\n'], ['S', '250 ok\r\n221 bye\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['NOOP', 250], ['QUIT', 221]]);
    expect(kinds(session)).toEqual(['stream.resync', 'stream.resync']);
  });

  it('server gap: cut reply dropped, its command marked, the next reply matches the next command', () => {
    const { session } = smtp([
      ['S', GREETING], ['C', 'MAIL FROM:<a@x>\r\n'], ['S', '250 2.1'], ['gap', 'S', 8], ['C', 'RCPT TO:<b@x>\r\n'], ['S', '250 2.1.5 Ok\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['MAIL', null], ['RCPT', 250]]);
    expect(session.anomalies.filter((a) => a.kind === 'reply.missing')).toEqual([]);
    expect(kinds(session)).toEqual(['stream.resync', 'stream.resync']);
  });

  it('server gap at a line boundary with two commands waiting: the oldest lost its reply', () => {
    const { session } = smtp([
      ['S', GREETING], ['C', 'MAIL FROM:<a@x>\r\n'], ['C', 'RCPT TO:<b@x>\r\n'], ['gap', 'S', 14], ['S', '250 2.1.5 Ok\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['MAIL', null], ['RCPT', 250]]);
  });

  it('server gap then 354 skips to the DATA it answers', () => {
    const { session } = smtp([
      ['S', GREETING], ['C', 'MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nRCPT TO:<c@x>\r\nDATA\r\n'], ['S', '250 ok\r\n'], ['gap', 'S', 30], ['S', '354 go\r\n'],
      ['C', MSG + '.\r\n'], ['S', '250 queued\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['MAIL', 250], ['RCPT', null], ['RCPT', null], ['DATA', 250]]);
    expect(session.messages).toMatchObject([{ partial: false, sha256: sha256(MSG) }]);
  });
});

describe('SMTP one-sided and holds', () => {
  it('client side only: DATA assumed accepted, one reply.missing per session', () => {
    const { session } = smtp([
      ['C', 'EHLO c\r\nMAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\n'], ['C', MSG + '.\r\nQUIT\r\n'],
    ]);
    expect(pairs(session)).toEqual([['EHLO', null], ['MAIL', null], ['RCPT', null], ['DATA', null], ['QUIT', null]]);
    expect(session.messages).toMatchObject([{ exchange: 3, size: MSG.length, rcptTo: ['b@x'], mailFrom: 'a@x' }]);
    expect(session.anomalies).toMatchObject([{ kind: 'reply.missing', detail: 'server side not in the capture: 5 command(s) without a reply' }]);
  });

  it('client side only: AUTH LOGIN lines taken as SASL by the mechanism', () => {
    const { session } = smtp([['C', 'EHLO c\r\nAUTH LOGIN\r\n' + Buffer.from('bob').toString('base64') + '\r\nc2VjcmV0\r\nQUIT\r\n']]);
    expect(pairs(session).map((p) => p[0])).toEqual(['EHLO', 'AUTH', 'QUIT']);
    expect(session.auth).toEqual([{ mechanism: 'LOGIN', user: 'bob', result: 'unknown', exchange: 1 }]);
  });

  it('midstream: first reply answers the pending command', () => {
    const { session } = smtp([['C', 'EHLO c\r\n'], ['S', '250-mx\r\n250 SIZE\r\n'], ['C', 'QUIT\r\n'], ['S', '221 bye\r\n']]);
    expect(pairs(session)).toEqual([['EHLO', 250], ['QUIT', 221]]);
  });

  it('more than 64 KiB held after DATA: assumed 354, later 354 kept as interim', () => {
    const big = 'x'.repeat(70 * 1024) + '\r\n';
    const { session } = smtp([['S', GREETING], ['C', 'DATA\r\n'], ['C', big + '.\r\n'], ['S', '354 go\r\n250 queued\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['DATA', 250]]);
    expect(session.exchanges[1].interim?.map((i) => i.reply.code)).toEqual([354]);
    expect(session.messages).toMatchObject([{ size: big.length, partial: false }]);
    expect(kinds(session)).toEqual(['stream.resync']);
  });

  it('client gap while bytes wait for a reply stays in its place', () => {
    const { session } = smtp([
      ['S', GREETING], ['C', 'DATA\r\nSubject: a\r\n'], ['gap', 'C', 10], ['C', 'x\r\n.\r\nQUIT\r\n'], ['S', '354 go\r\n250 ok\r\n221 bye\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['DATA', 250], ['QUIT', 221]]);
    expect(session.messages).toMatchObject([{ partial: true, size: 12 }]);
  });
});

describe('SMTP STARTTLS', () => {
  it('after 220 everything is TLS, including bytes already queued', () => {
    const { session, tls } = smtp([
      ['S', GREETING], ['C', 'STARTTLS\r\n'], ['S', '220 2.0.0 Ready to start TLS\r\n'], ['C', '\x16\x03\x01hello'], ['S', '\x16\x03\x03srv'], ['C', 'QUIT\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['STARTTLS', 220]]);
    expect(tls.mode).toBe('starttls');
    expect(tls.exchange).toBe(1);
    expect(tls.bytes[0].toString('latin1')).toBe('\x16\x03\x01helloQUIT\r\n');
    expect(tls.bytes[1].toString('latin1')).toBe('\x16\x03\x03srv');
    expect(session.anomalies).toEqual([]);
  });

  it('client hello in the same segment as STARTTLS is held and handed over', () => {
    const { tls } = smtp([['S', GREETING], ['C', 'STARTTLS\r\n\x16\x03\x01hi'], ['S', '220 go\r\n']]);
    expect(tls.bytes[0].toString('latin1')).toBe('\x16\x03\x01hi');
  });

  it('refused STARTTLS: clear text goes on', () => {
    const { session, tls } = smtp([['S', GREETING], ['C', 'STARTTLS\r\n'], ['S', '454 4.7.0 TLS not available\r\n'], ['C', 'QUIT\r\n'], ['S', '221 bye\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['STARTTLS', 454], ['QUIT', 221]]);
    expect(tls.mode).toBeNull();
  });

  it('implicit TLS: a handshake record from the client first', () => {
    const { session, tls } = smtp([['C', '\x16\x03\x01\x00\x05hello'], ['S', '\x16\x03\x03xx']]);
    expect(session.exchanges).toEqual([]);
    expect(tls.mode).toBe('implicit');
    expect(tls.bytes[1].length).toBe(5);
  });
});

describe('verbs as sent', () => {
  it('keeps the wire text of a verb beside its upper-case form: a lower-case one, an unknown word', () => {
    const s = smtp([['S', GREETING], ['C', 'ehlo client.example\r\n'], ['S', '250 mx.example.test\r\n'], ['C', 'Z2FsdW50\r\n'], ['S', '502 5.5.2 Error: command not recognized\r\n']]).session;
    expect(s.exchanges[1].command).toMatchObject({ verb: 'EHLO', sent: 'ehlo' });
    expect(s.exchanges[2].command).toMatchObject({ verb: 'Z2FSDW50', sent: 'Z2FsdW50' });
    // A verb sent in upper case has nothing to add.
    const t = smtp([['S', GREETING], ['C', 'QUIT\r\n'], ['S', '221 Bye\r\n']]).session;
    expect(t.exchanges[1].command).not.toHaveProperty('sent');
  });
});
