import { describe, expect, it } from 'vitest';
import { decodeBase64, saslUser } from '../../src/protocols/sasl.js';

const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');

describe('imap SASL user names', () => {
  it('plain-authcid', () => {
    expect(saslUser('PLAIN', 0, b64('\0alice\0wonderland'))).toBe('alice');
    expect(saslUser('plain', 0, b64('admin\0alice\0pw'))).toBe('alice');
    expect(saslUser('PLAIN', 0, b64('no separators'))).toBeNull();
  });
  it('login-first-response-only', () => {
    expect(saslUser('LOGIN', 0, b64('bob'))).toBe('bob');
    expect(saslUser('LOGIN', 1, b64('builder'))).toBeNull();
  });
  it('cram-md5-user-part', () => {
    expect(saslUser('CRAM-MD5', 0, b64('tim b913a602c7eda7a495b4e6e7334d3890'))).toBe('tim');
  });
  it('xoauth2-user', () => {
    expect(saslUser('XOAUTH2', 0, b64('user=someuser@example.com\x01auth=Bearer ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg\x01\x01'))).toBe('someuser@example.com');
  });
  it('oauthbearer-authzid', () => {
    expect(saslUser('OAUTHBEARER', 0, b64('n,a=user=2Cx@example.com,\x01host=server.example.com\x01auth=Bearer abc\x01\x01'))).toBe('user,x@example.com');
  });
  it('scram-client-first', () => {
    expect(saslUser('SCRAM-SHA-256', 0, b64('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'))).toBe('user');
  });
  it('not-base64-or-empty', () => {
    expect(saslUser('PLAIN', 0, '!!!')).toBeNull();
    expect(saslUser('PLAIN', 0, '=')).toBeNull();
    expect(decodeBase64('=')).toBe('');
    expect(decodeBase64('a')).toBeNull();
  });
});
