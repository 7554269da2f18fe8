import { describe, expect, it } from 'vitest';
import { b64, GREETING, kinds, pairs, smtp } from './smtp-helpers.js';

const open: Array<['S' | 'C', string]> = [['S', GREETING], ['C', 'EHLO c\r\n'], ['S', '250-mx\r\n250 AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER\r\n']];

describe('SMTP AUTH (RFC 4954)', () => {
  it('AUTH PLAIN with initial response: user decoded, response redacted', () => {
    const ir = b64('\0alice\0wonderland');
    const { session } = smtp([...open, ['C', `AUTH PLAIN ${ir}\r\n`], ['S', '235 2.7.0 Authentication successful\r\n']]);
    expect(session.exchanges[2].command?.args).toBe('PLAIN <redacted>');
    expect(session.exchanges[2].reply?.code).toBe(235);
    expect(session.auth).toEqual([{ mechanism: 'PLAIN', user: 'alice', result: 'success', exchange: 2 }]);
    expect(JSON.stringify(session)).not.toContain(ir);
  });

  it('AUTH PLAIN with initial response, secrets shown on request', () => {
    const ir = b64('\0alice\0wonderland');
    const { session } = smtp([...open, ['C', `AUTH PLAIN ${ir}\r\n`], ['S', '235 ok\r\n']], { showSecrets: true });
    expect(session.exchanges[2].command?.args).toBe(`PLAIN ${ir}`);
  });

  it('AUTH PLAIN without initial response: 334 then the response', () => {
    const resp = b64('admin\0bob\0builder');
    const { session } = smtp([...open, ['C', 'AUTH PLAIN\r\n'], ['S', '334 \r\n'], ['C', resp + '\r\n'], ['S', '535 5.7.8 Error: authentication failed\r\n']]);
    const ex = session.exchanges[2];
    expect(ex.command).toMatchObject({ verb: 'AUTH', args: 'PLAIN' });
    expect(ex.interim).toEqual([{
      reply: expect.objectContaining({ code: 334, lines: ['334 '], text: '' }),
      response: { ts: '2024-05-01T10:00:00.006000Z', frame: 6, text: '<redacted>' },
    }]);
    expect(ex.reply).toMatchObject({ code: 535, enhanced: '5.7.8' });
    expect(session.auth).toEqual([{ mechanism: 'PLAIN', user: 'bob', result: 'failure', exchange: 2 }]);
  });

  it('AUTH LOGIN across two 334s', () => {
    const { session } = smtp([
      ...open, ['C', 'AUTH LOGIN\r\n'], ['S', '334 VXNlcm5hbWU6\r\n'], ['C', b64('alice') + '\r\n'],
      ['S', '334 UGFzc3dvcmQ6\r\n'], ['C', b64('wonderland') + '\r\n'], ['S', '235 2.7.0 ok\r\n'], ['C', 'QUIT\r\n'], ['S', '221 bye\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['EHLO', 250], ['AUTH', 235], ['QUIT', 221]]);
    expect(session.exchanges[2].interim?.map((i) => [i.reply.text, i.response?.text])).toEqual([['VXNlcm5hbWU6', '<redacted>'], ['UGFzc3dvcmQ6', '<redacted>']]);
    expect(session.auth).toEqual([{ mechanism: 'LOGIN', user: 'alice', result: 'success', exchange: 2 }]);
    expect(session.anomalies).toEqual([]);
  });

  it('AUTH LOGIN with the user as initial response', () => {
    const { session } = smtp([...open, ['C', `AUTH LOGIN ${b64('carol')}\r\n`], ['S', '334 UGFzc3dvcmQ6\r\n'], ['C', b64('pw') + '\r\n'], ['S', '535 5.7.8 no\r\n']]);
    expect(session.auth).toEqual([{ mechanism: 'LOGIN', user: 'carol', result: 'failure', exchange: 2 }]);
    expect(session.exchanges[2].interim).toHaveLength(1);
  });

  it('AUTH cancelled with "*": aborted', () => {
    const { session } = smtp([
      ...open, ['C', 'AUTH LOGIN\r\n'], ['S', '334 VXNlcm5hbWU6\r\n'], ['C', '*\r\n'], ['S', '501 5.7.0 Authentication aborted\r\n'], ['C', 'QUIT\r\n'], ['S', '221 bye\r\n'],
    ]);
    expect(pairs(session)).toEqual([[null, 220], ['EHLO', 250], ['AUTH', 501], ['QUIT', 221]]);
    expect(session.auth).toEqual([{ mechanism: 'LOGIN', user: null, result: 'aborted', exchange: 2 }]);
    expect(session.exchanges[2].interim?.[0].response?.text).toBe('<redacted>');
  });

  it('CRAM-MD5: user from the response', () => {
    const { session } = smtp([
      ...open, ['C', 'AUTH CRAM-MD5\r\n'], ['S', `334 ${b64('<1896.697170952@mx.example.test>')}\r\n`],
      ['C', b64('tim b913a602c7eda7a495b4e6e7334d3890') + '\r\n'], ['S', '235 ok\r\n'],
    ]);
    expect(session.auth).toEqual([{ mechanism: 'CRAM-MD5', user: 'tim', result: 'success', exchange: 2 }]);
  });

  it('XOAUTH2: user= from the initial response; failure challenge answered by an empty line', () => {
    const ir = b64('user=someone@example.test\x01auth=Bearer ya29.token\x01\x01');
    const { session } = smtp([
      ...open, ['C', `AUTH XOAUTH2 ${ir}\r\n`], ['S', `334 ${b64('{"status":"401"}')}\r\n`], ['C', '\r\n'], ['S', '535 5.7.8 Username and Password not accepted\r\n'],
    ]);
    expect(session.auth).toEqual([{ mechanism: 'XOAUTH2', user: 'someone@example.test', result: 'failure', exchange: 2 }]);
    expect(session.exchanges[2].command?.args).toBe('XOAUTH2 <redacted>');
    expect(session.exchanges[2].interim).toHaveLength(1);
  });

  it('OAUTHBEARER: a= from the GS2 header', () => {
    const ir = b64('n,a=user=2Cx@example.test,\x01host=mx\x01port=587\x01auth=Bearer tok\x01\x01');
    const { session } = smtp([...open, ['C', `AUTH OAUTHBEARER ${ir}\r\n`], ['S', '235 2.7.0 ok\r\n']]);
    expect(session.auth).toEqual([{ mechanism: 'OAUTHBEARER', user: 'user,x@example.test', result: 'success', exchange: 2 }]);
  });

  it('454 temporary failure', () => {
    const { session } = smtp([...open, ['C', `AUTH PLAIN ${b64('\0u\0p')}\r\n`], ['S', '454 4.7.0 Temporary authentication failure\r\n']]);
    expect(session.auth[0]).toMatchObject({ user: 'u', result: 'failure' });
  });

  it('AUTH with no reply at all: result unknown, reply.missing', () => {
    const { session } = smtp([...open, ['C', `AUTH PLAIN ${b64('\0u\0p')}\r\n`]]);
    expect(session.auth[0]).toMatchObject({ result: 'unknown' });
    expect(kinds(session)).toEqual(['reply.missing']);
  });

  it('SASL response split across segments', () => {
    const resp = b64('\0dave\0secret');
    const { session } = smtp([...open, ['C', 'AUTH PLAIN\r\n'], ['S', '334 \r\n'], ['C', resp.slice(0, 5)], ['C', resp.slice(5) + '\r\n'], ['S', '235 ok\r\n']]);
    expect(session.auth[0]).toMatchObject({ user: 'dave', result: 'success' });
  });
});

describe('SMTP AUTH without a mechanism', () => {
  it('"AUTH" alone is no attempt', () => {
    const { session } = smtp([['S', GREETING], ['C', 'AUTH\r\nQUIT\r\n'], ['S', '501 5.5.4 Syntax: AUTH mechanism\r\n221 bye\r\n']]);
    expect(pairs(session)).toEqual([[null, 220], ['AUTH', 501], ['QUIT', 221]]);
    expect(session.auth).toEqual([]);
  });
});
