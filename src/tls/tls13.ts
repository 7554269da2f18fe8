/**
 * TLS 1.3 record protection (RFC 8446): traffic keys from the logged traffic
 * secrets with HKDF-Expand-Label (7.1, 7.3), the per-record nonce (5.3), AEAD
 * decryption and the inner plaintext's content type and padding (5.2), and
 * KeyUpdate's next secret (7.2). node's crypto only: HMAC for HKDF, and
 * createDecipheriv for AES-GCM and ChaCha20-Poly1305.
 */
import { createDecipheriv, createHmac } from 'node:crypto';

export type HashName = 'sha256' | 'sha384';
export type AeadName = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

export interface Tls13Suite {
  hash: HashName;
  aead: AeadName;
  keyLength: number;
}

/** The TLS 1.3 suites we decrypt (RFC 8446 B.4); TLS_AES_128_CCM* are not supported. */
export const TLS13_SUITES: Record<number, Tls13Suite> = {
  0x1301: { hash: 'sha256', aead: 'aes-128-gcm', keyLength: 16 },
  0x1302: { hash: 'sha384', aead: 'aes-256-gcm', keyLength: 32 },
  0x1303: { hash: 'sha256', aead: 'chacha20-poly1305', keyLength: 32 },
};

export const hashLength = (hash: HashName): number => (hash === 'sha256' ? 32 : 48);

/** HKDF-Expand (RFC 5869 2.3). */
export function hkdfExpand(hash: HashName, prk: Buffer, info: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let prev = Buffer.alloc(0);
  let total = 0;
  for (let i = 1; total < length; i++) {
    prev = createHmac(hash, prk).update(prev).update(info).update(Buffer.from([i])).digest();
    out.push(prev);
    total += prev.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/** HKDF-Expand-Label (RFC 8446 7.1): the label is prefixed with "tls13 ". */
export function hkdfExpandLabel(hash: HashName, secret: Buffer, label: string, context: Buffer, length: number): Buffer {
  const full = Buffer.from('tls13 ' + label, 'latin1');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([context.length]), context]);
  return hkdfExpand(hash, secret, info, length);
}

/** Key and IV of one direction (RFC 8446 7.3). */
export function trafficKeys(suite: Tls13Suite, secret: Buffer): { key: Buffer; iv: Buffer } {
  return {
    key: hkdfExpandLabel(suite.hash, secret, 'key', Buffer.alloc(0), suite.keyLength),
    iv: hkdfExpandLabel(suite.hash, secret, 'iv', Buffer.alloc(0), 12),
  };
}

/** RFC 8446 7.2: application_traffic_secret_N+1 after a KeyUpdate. */
export function nextTrafficSecret(hash: HashName, secret: Buffer): Buffer {
  return hkdfExpandLabel(hash, secret, 'traffic upd', Buffer.alloc(0), hashLength(hash));
}

/** RFC 8446 5.3 (and RFC 7905 for TLS 1.2 ChaCha20): the 64-bit sequence number, left-padded, XORed into the IV. */
export function xorNonce(iv: Buffer, seq: bigint): Buffer {
  const nonce = Buffer.from(iv);
  for (let i = 0; i < 8; i++) nonce[nonce.length - 1 - i] ^= Number((seq >> BigInt(8 * i)) & 0xffn);
  return nonce;
}

/** AEAD open; null when the tag does not verify (or the input is too short to hold one). */
export function aeadOpen(aead: AeadName, key: Buffer, nonce: Buffer, aad: Buffer, sealed: Buffer): Buffer | null {
  if (sealed.length < 16) return null;
  const body = sealed.subarray(0, sealed.length - 16);
  const tag = sealed.subarray(sealed.length - 16);
  try {
    const d = createDecipheriv(aead, key, nonce, { authTagLength: 16 } as never) as import('node:crypto').DecipherGCM;
    d.setAAD(aad, { plaintextLength: body.length });
    d.setAuthTag(tag);
    return Buffer.concat([d.update(body), d.final()]);
  } catch {
    return null;
  }
}

/** One direction's TLS 1.3 record protection: decrypts records in order. */
export class Tls13Decrypter {
  private key: Buffer;
  private iv: Buffer;
  private seq = 0n;

  constructor(private readonly suite: Tls13Suite, private secret: Buffer) {
    ({ key: this.key, iv: this.iv } = trafficKeys(suite, secret));
  }

  /**
   * Opens one record (header: the 5 bytes as sent, the AAD of RFC 8446 5.2).
   * Returns the inner content type and content, or null when the tag fails.
   */
  open(header: Buffer, body: Buffer): { type: number; content: Buffer } | null {
    const plain = aeadOpen(this.suite.aead, this.key, xorNonce(this.iv, this.seq), header, body);
    if (plain === null) return null;
    this.seq++;
    // TLSInnerPlaintext: content, then the real type, then zero padding.
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0) return { type: 0, content: Buffer.alloc(0) }; // all padding: RFC 8446 5.4 makes that an error
    return { type: plain[end], content: plain.subarray(0, end) };
  }

  /** KeyUpdate (RFC 8446 4.6.3): the next records use the next secret, from sequence number 0. */
  update(): void {
    this.secret = nextTrafficSecret(this.suite.hash, this.secret);
    ({ key: this.key, iv: this.iv } = trafficKeys(this.suite, this.secret));
    this.seq = 0n;
  }
}
