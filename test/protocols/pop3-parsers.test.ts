/** The POP3 machine's small parsers: status lines (RFC 1939, 2449), continuations (RFC 5034), SASL user names. */
import { describe, expect, it } from 'vitest';
import { decodeBase64 } from '../../src/protocols/sasl.js';
import { SaslSession } from '../../src/protocols/pop3/sasl-session.js';
import { announcedOctets, apopTimestamp, parseContinuation, parseStatusLine } from '../../src/protocols/pop3/status-line.js';
import { splitAuth, splitCommand } from '../../src/protocols/pop3/commands.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('POP3 status lines', () => {
  it('indicator, response code and text', () => {
    expect(parseStatusLine('+OK')).toEqual({ indicator: '+OK', text: '' });
    expect(parseStatusLine('-ERR [SYS/TEMP] try later')).toEqual({ indicator: '-ERR', code: 'SYS/TEMP', text: '[SYS/TEMP] try later' });
    expect(parseStatusLine('-ERR [AUTH/X] x')?.code).toBe('AUTH/X');
    expect(parseStatusLine('+ok lower case')).toEqual({ indicator: '+OK', text: 'lower case' });
    expect(parseStatusLine('-ERR [not a code')).toEqual({ indicator: '-ERR', text: '[not a code' });
    expect(parseStatusLine('-ERR [] empty')).toEqual({ indicator: '-ERR', text: '[] empty' });
  });

  it('lines that are no status line', () => {
    for (const l of ['', '+', '+ ', '+O', '-ER', 'OK', '1 120', '.', '* OK']) expect(parseStatusLine(l)).toBeNull();
  });

  it('continuations', () => {
    expect(parseContinuation('+ ')).toBe('');
    expect(parseContinuation('+')).toBe('');
    expect(parseContinuation('+ VXNlcm5hbWU6')).toBe('VXNlcm5hbWU6');
    expect(parseContinuation('+OK')).toBeNull();
  });

  it('APOP timestamp and announced octets', () => {
    expect(apopTimestamp('POP3 server ready <1896.697170952@dbc.mtview.ca.us>')).toBe('<1896.697170952@dbc.mtview.ca.us>');
    expect(apopTimestamp('Dovecot ready.')).toBeNull();
    expect(announcedOctets('710 octets')).toBe(710);
    expect(announcedOctets('message follows')).toBeNull();
  });

  it('commands and AUTH arguments', () => {
    expect(splitCommand('retr 1')).toEqual({ verb: 'RETR', word: 'retr', args: '1' });
    expect(splitCommand('PASS  two  spaces')).toEqual({ verb: 'PASS', word: 'PASS', args: ' two  spaces' });
    expect(splitAuth('plain =')).toEqual({ mechanism: 'PLAIN', initial: '=' });
    expect(splitAuth('')).toEqual({ mechanism: '', initial: null });
  });
});

describe('POP3 SASL user names', () => {
  const first = (mech: string, response: string) => new SaslSession(mech).response(response);

  it('PLAIN: authcid; LOGIN: first response; CRAM-MD5: the user before the digest', () => {
    expect(first('PLAIN', b64('admin\0alice\0pw'))).toBe('alice');
    expect(first('LOGIN', b64('bob'))).toBe('bob');
    expect(first('CRAM-MD5', b64('tim b913a602c7eda7a495b4e6e7334d3890'))).toBe('tim');
  });

  it('XOAUTH2 user=, OAUTHBEARER a=, SCRAM n=, DIGEST-MD5 username=', () => {
    expect(first('XOAUTH2', b64('user=carol@example.com\x01auth=Bearer tok\x01\x01'))).toBe('carol@example.com');
    expect(first('OAUTHBEARER', b64('n,a=dave=2Cx@example.com,\x01host=h\x01auth=Bearer t\x01\x01'))).toBe('dave,x@example.com');
    expect(first('SCRAM-SHA-256', b64('n,,n=erin,r=rOprNGfwEbeRWgbNEkqO'))).toBe('erin');
    expect(first('DIGEST-MD5', b64('charset=utf-8,username="frank",realm="x",nonce="n"'))).toBe('frank');
  });

  it('UTF-8 user names are decoded as UTF-8; an empty response waits for the next', () => {
    expect(first('LOGIN', b64('jos\u00e9'))).toBe('jos\u00e9');
    const s = new SaslSession('PLAIN');
    expect(s.response('=')).toBeNull();
    expect(s.response(b64('\0gina\0pw'))).toBe('gina');
  });

  it('not base64, or a mechanism that hides the user: null', () => {
    expect(first('PLAIN', 'not base64!')).toBeNull();
    expect(first('GSSAPI', b64('opaque'))).toBeNull();
    expect(decodeBase64('*')).toBeNull();
  });
});
