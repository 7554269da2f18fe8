/**
 * Decryption of real TLS (node's tls module, OpenSSL) for every version and
 * suite family we claim: the plaintext out of TlsDecryptingReader must be
 * exactly what each side sent. Also: a wrong secret, a truncated record and
 * a connection whose handshake is missing give an anomaly-style event, never
 * garbage and never a throw.
 */
import { constants } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TlsDecryptingReader } from '../../src/tls/decrypting-reader.js';
import { KeyLog } from '../../src/tls/keylog.js';
import { recordTls, type Recording, type RecordOptions } from './loopback.js';

interface Result {
  plain: [Buffer, Buffer];
  failed: string[];
  undecryptable: string[];
  problems: string[];
  reader: TlsDecryptingReader;
}

function decrypt(rec: Pick<Recording, 'chunks'>, keylogText: string): Result {
  const keylog = new KeyLog();
  keylog.add(keylogText);
  const plain: [Buffer[], Buffer[]] = [[], []];
  const r: Omit<Result, 'plain' | 'reader'> = { failed: [], undecryptable: [], problems: [] };
  const reader = new TlsDecryptingReader({ lookup: (cr) => keylog.lookup(cr), hasAny: () => keylog.size > 0 }, {
    problem: (_dir, d) => r.problems.push(d),
    decryptFailed: (_dir, d) => r.failed.push(d),
    notDecryptable: (d) => r.undecryptable.push(d),
    plaintext: (dir, data) => plain[dir].push(Buffer.from(data)),
  });
  rec.chunks.forEach((c, i) => reader.data(c.dir, c.data, BigInt(i), i + 1));
  reader.end(rec.chunks.length);
  return { ...r, plain: [Buffer.concat(plain[0]), Buffer.concat(plain[1])], reader };
}

const cases: (RecordOptions & { expect: string })[] = [
  { version: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256', expect: 'TLS_AES_128_GCM_SHA256' },
  { version: 'TLSv1.3', ciphers: 'TLS_AES_256_GCM_SHA384', expect: 'TLS_AES_256_GCM_SHA384' },
  { version: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256', expect: 'TLS_CHACHA20_POLY1305_SHA256' },
  { version: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', expect: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' },
  { version: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384', expect: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' },
  { version: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305', expect: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256' },
  // CBC: OpenSSL negotiates encrypt_then_mac (RFC 7366) unless told not to; both ways are tested.
  { version: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA', expect: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA' },
  { version: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA', secureOptions: constants.SSL_OP_NO_ENCRYPT_THEN_MAC, expect: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA' },
  { version: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-SHA384', expect: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384' },
  { version: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-SHA384', secureOptions: constants.SSL_OP_NO_ENCRYPT_THEN_MAC, expect: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384' },
  { version: 'TLSv1.2', ciphers: 'AES128-SHA256', secureOptions: constants.SSL_OP_NO_ENCRYPT_THEN_MAC, expect: 'TLS_RSA_WITH_AES_128_CBC_SHA256' },
  // TLS 1.0 and 1.1 (old printers and scanners): the MD5 / SHA-1 PRF; TLS 1.0 chains CBC IVs across records.
  // OpenSSL allows them only at security level 0.
  { version: 'TLSv1', ciphers: 'ECDHE-RSA-AES128-SHA:@SECLEVEL=0', expect: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA' },
  { version: 'TLSv1', ciphers: 'ECDHE-RSA-AES256-SHA:@SECLEVEL=0', secureOptions: constants.SSL_OP_NO_ENCRYPT_THEN_MAC, expect: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA' },
  { version: 'TLSv1.1', ciphers: 'AES128-SHA:@SECLEVEL=0', expect: 'TLS_RSA_WITH_AES_128_CBC_SHA' },
  { version: 'TLSv1.1', ciphers: 'ECDHE-RSA-AES256-SHA:@SECLEVEL=0', secureOptions: constants.SSL_OP_NO_ENCRYPT_THEN_MAC, expect: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA' },
];

describe('decrypting real TLS from node (OpenSSL) on loopback', () => {
  for (const c of cases) {
    const name = `${c.version} ${c.expect}${c.secureOptions ? ' without encrypt_then_mac' : ''}`;
    it(name, async () => {
      const rec = await recordTls(c);
      expect(rec.cipher).toBe(c.expect);
      const r = decrypt(rec, rec.keylog);
      expect(r.failed).toEqual([]);
      expect(r.problems).toEqual([]);
      expect(r.reader.meta.cipher).toBe(c.expect);
      expect(r.reader.decrypted).toBe(true);
      expect(r.plain[0].equals(rec.sent[0])).toBe(true);
      expect(r.plain[1].equals(rec.sent[1])).toBe(true);
    });
  }
});

describe('handshake variants', () => {
  it('TLS 1.3 with a HelloRetryRequest (the server wants another key share group)', async () => {
    const rec = await recordTls({ version: 'TLSv1.3', serverCurve: 'P-256', clientCurve: 'X25519:P-256' });
    // Two ServerHellos from the server: the first is the HelloRetryRequest.
    const hrr = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
    expect(rec.chunks.some((c) => c.dir === 1 && c.data.includes(hrr))).toBe(true);
    const r = decrypt(rec, rec.keylog);
    expect(r.failed).toEqual([]);
    expect(r.plain[0].equals(rec.sent[0])).toBe(true);
    expect(r.plain[1].equals(rec.sent[1])).toBe(true);
  });

  it('records split across many small chunks (one byte at a time) decrypt the same', async () => {
    const rec = await recordTls({ version: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA', lines: ['EHLO a', 'NOOP'] });
    const chunks = rec.chunks.flatMap((c) => [...c.data].map((b) => ({ dir: c.dir, data: Buffer.from([b]) })));
    const r = decrypt({ chunks }, rec.keylog);
    expect(r.failed).toEqual([]);
    expect(r.plain[0].equals(rec.sent[0])).toBe(true);
    expect(r.plain[1].equals(rec.sent[1])).toBe(true);
  });
});

describe('when decryption cannot work', () => {
  it('a wrong secret: the tag fails, decryption stops, nothing is handed on (TLS 1.3)', async () => {
    const rec = await recordTls({ version: 'TLSv1.3' });
    // Flip one hex digit of every secret.
    const wrong = rec.keylog.replace(/^(\S+ \S+ )(.)/gm, (_m, head: string, d: string) => head + (d === '0' ? '1' : '0'));
    const r = decrypt(rec, wrong);
    expect(r.failed).toHaveLength(2);
    expect(r.failed[0]).toMatch(/did not authenticate/);
    expect(r.plain[0].length + r.plain[1].length).toBe(0);
    expect(r.reader.decrypted).toBe(false);
  });

  it('a wrong master secret (TLS 1.2)', async () => {
    const rec = await recordTls({ version: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
    const wrong = rec.keylog.replace(/^(CLIENT_RANDOM \S+ )(.)/m, (_m, head: string, d: string) => head + (d === '0' ? '1' : '0'));
    const r = decrypt(rec, wrong);
    expect(r.failed).toHaveLength(2);
    expect(r.plain[0].length + r.plain[1].length).toBe(0);
  });

  it('a damaged record: that direction stops at the damage, what came before stays', async () => {
    const rec = await recordTls({ version: 'TLSv1.3' });
    const last = rec.chunks.length - 1;
    const i = rec.chunks.findLastIndex((c) => c.dir === 1 && c.data.length > 30);
    const chunks = rec.chunks.map((c, j) => (j === i ? { dir: c.dir, data: Buffer.from(c.data).fill(0x55, 20, 24) } : c));
    const r = decrypt({ chunks }, rec.keylog);
    expect(r.failed.length).toBe(1);
    expect(rec.sent[1].subarray(0, r.plain[1].length).equals(r.plain[1])).toBe(true);
    expect(r.plain[1].length).toBeLessThan(rec.sent[1].length);
    expect(last).toBeGreaterThan(0);
  });

  it('a truncated record at the end: reported, no crash, the rest decrypted', async () => {
    const rec = await recordTls({ version: 'TLSv1.3' });
    const chunks = [...rec.chunks];
    const i = chunks.findLastIndex((c) => c.dir === 0);
    chunks[i] = { dir: 0, data: chunks[i].data.subarray(0, chunks[i].data.length - 7) };
    const r = decrypt({ chunks }, rec.keylog);
    expect(r.failed).toEqual([]);
    expect(r.problems.join()).toMatch(/cut short/);
    expect(r.plain[1].equals(rec.sent[1])).toBe(true);
  });

  it('a capture without the handshake: "no TLS handshake seen", no plaintext, no crash', async () => {
    const rec = await recordTls({ version: 'TLSv1.3' });
    // Drop everything up to the first application data record from the client (after the handshake).
    const start = rec.chunks.findIndex((c, j) => j > 3 && c.dir === 0 && c.data[0] === 23);
    const r = decrypt({ chunks: rec.chunks.slice(start) }, rec.keylog);
    expect(r.undecryptable.join()).toMatch(/no TLS handshake seen/);
    expect(r.plain[0].length + r.plain[1].length).toBe(0);
  });

  it('no secret for this connection: metadata only, quietly', async () => {
    const rec = await recordTls({ version: 'TLSv1.3' });
    const r = decrypt(rec, '');
    expect(r.failed).toEqual([]);
    expect(r.undecryptable).toEqual([]);
    expect(r.reader.decrypted).toBe(false);
    expect(r.reader.meta.version).toBe('TLS 1.3');
    expect(r.reader.meta.sni).toBe('mail.example.test');
  });

  it('a suite we cannot decrypt (TLS 1.3 AES-CCM): says so once, at the frame of the ServerHello', async () => {
    const rec = await recordTls({ version: 'TLSv1.3', ciphers: 'TLS_AES_128_CCM_SHA256' });
    expect(rec.cipher).toBe('TLS_AES_128_CCM_SHA256');
    const frames: number[] = [];
    const keylog = new KeyLog();
    keylog.add(rec.keylog);
    const reader = new TlsDecryptingReader({ lookup: (cr) => keylog.lookup(cr), hasAny: () => true }, {
      problem: () => undefined, decryptFailed: () => undefined, plaintext: () => undefined,
      notDecryptable: (d, frame) => {
        expect(d).toMatch(/TLS_AES_128_CCM_SHA256 is not supported for decryption/);
        frames.push(frame);
      },
    });
    rec.chunks.forEach((c, i) => reader.data(c.dir, c.data, BigInt(i), i + 1));
    const serverHello = rec.chunks.findIndex((c) => c.dir === 1) + 1;
    expect(frames).toEqual([serverHello]);
    expect(reader.decrypted).toBe(false);
  });
});
