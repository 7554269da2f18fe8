/**
 * TLS 1.2 record protection (RFC 5246) from the logged master secret: the
 * PRF (5) with the suite's hash, the key block (6.3), and decryption of
 * AES-GCM (RFC 5288: 4-byte salt + 8-byte explicit nonce), ChaCha20-Poly1305
 * (RFC 7905: IV XOR sequence number) and AES-CBC with HMAC
 * (6.2.3.2: MAC-then-encrypt with an explicit IV and padding; RFC 7366
 * encrypt_then_mac when the ServerHello accepted it).
 *
 * TLS 1.0 and 1.1 (RFC 2246, 4346) are the same record layer with two
 * differences, still met on mail servers talking to old printers and
 * scanners: the PRF is P_MD5 XOR P_SHA1 over the two halves of the secret,
 * and in TLS 1.0 the CBC IV of a record is not sent but is the last
 * ciphertext block of the record before (the first comes from the key block).
 *
 * The extended master secret (RFC 7627) changes only how the master secret
 * is derived; the key log holds the result, so nothing here depends on it.
 */
import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { aeadOpen, xorNonce, type HashName } from './tls13.js';

type Cipher =
  | { kind: 'gcm'; aead: 'aes-128-gcm' | 'aes-256-gcm'; keyLength: number }
  | { kind: 'chacha'; aead: 'chacha20-poly1305'; keyLength: 32 }
  | { kind: 'cbc'; cipher: 'aes-128-cbc' | 'aes-256-cbc'; keyLength: number; blockLength: number; mac: 'sha1' | 'sha256' | 'sha384'; macLength: number };

export interface Tls12Suite {
  /** Hash of the PRF (RFC 5246 5: SHA-256 unless the suite says otherwise); TLS 1.0 and 1.1 ignore it. */
  prf: HashName;
  cipher: Cipher;
  /** Defined for TLS 1.2 only (SHA-256 / SHA-384 MACs, AEAD): not valid with an older version. */
  tls12Only?: boolean;
}

/** Record-layer versions: TLS 1.0, 1.1 and 1.2. */
export type Tls12Version = 0x0301 | 0x0302 | 0x0303;

const GCM128: Cipher = { kind: 'gcm', aead: 'aes-128-gcm', keyLength: 16 };
const GCM256: Cipher = { kind: 'gcm', aead: 'aes-256-gcm', keyLength: 32 };
const CHACHA: Cipher = { kind: 'chacha', aead: 'chacha20-poly1305', keyLength: 32 };
const cbc = (bits: 128 | 256, mac: 'sha1' | 'sha256' | 'sha384'): Cipher => ({
  kind: 'cbc', cipher: bits === 128 ? 'aes-128-cbc' : 'aes-256-cbc', keyLength: bits / 8, blockLength: 16, mac, macLength: mac === 'sha1' ? 20 : mac === 'sha256' ? 32 : 48,
});


/** The TLS 1.0-1.2 suites we decrypt, by IANA number (ECDHE, DHE and RSA key exchange alike: the key log has the master secret). */
export const TLS12_SUITES: Record<number, Tls12Suite> = {
  // AES-GCM (RFC 5288, 5289)
  0x009c: { prf: 'sha256', cipher: GCM128, tls12Only: true }, 0x009d: { prf: 'sha384', cipher: GCM256, tls12Only: true },
  0x009e: { prf: 'sha256', cipher: GCM128, tls12Only: true }, 0x009f: { prf: 'sha384', cipher: GCM256, tls12Only: true },
  0xc02b: { prf: 'sha256', cipher: GCM128, tls12Only: true }, 0xc02c: { prf: 'sha384', cipher: GCM256, tls12Only: true },
  0xc02f: { prf: 'sha256', cipher: GCM128, tls12Only: true }, 0xc030: { prf: 'sha384', cipher: GCM256, tls12Only: true },
  // ChaCha20-Poly1305 (RFC 7905)
  0xcca8: { prf: 'sha256', cipher: CHACHA, tls12Only: true }, 0xcca9: { prf: 'sha256', cipher: CHACHA, tls12Only: true }, 0xccaa: { prf: 'sha256', cipher: CHACHA, tls12Only: true },
  // AES-CBC with HMAC-SHA1 (PRF SHA-256 in TLS 1.2)
  0x002f: { prf: 'sha256', cipher: cbc(128, 'sha1') }, 0x0035: { prf: 'sha256', cipher: cbc(256, 'sha1') },
  0x0033: { prf: 'sha256', cipher: cbc(128, 'sha1') }, 0x0039: { prf: 'sha256', cipher: cbc(256, 'sha1') },
  0xc009: { prf: 'sha256', cipher: cbc(128, 'sha1') }, 0xc00a: { prf: 'sha256', cipher: cbc(256, 'sha1') },
  0xc013: { prf: 'sha256', cipher: cbc(128, 'sha1') }, 0xc014: { prf: 'sha256', cipher: cbc(256, 'sha1') },
  // AES-CBC with HMAC-SHA256 / SHA384 (RFC 5246, 5289)
  0x003c: { prf: 'sha256', cipher: cbc(128, 'sha256'), tls12Only: true }, 0x003d: { prf: 'sha256', cipher: cbc(256, 'sha256'), tls12Only: true },
  0x0067: { prf: 'sha256', cipher: cbc(128, 'sha256'), tls12Only: true }, 0x006b: { prf: 'sha256', cipher: cbc(256, 'sha256'), tls12Only: true },
  0xc023: { prf: 'sha256', cipher: cbc(128, 'sha256'), tls12Only: true }, 0xc024: { prf: 'sha384', cipher: cbc(256, 'sha384'), tls12Only: true },
  0xc027: { prf: 'sha256', cipher: cbc(128, 'sha256'), tls12Only: true }, 0xc028: { prf: 'sha384', cipher: cbc(256, 'sha384'), tls12Only: true },
};

/** P_hash (RFC 5246 5). */
function pHash(hash: HashName | 'md5' | 'sha1', secret: Buffer, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let a = seed;
  let total = 0;
  while (total < length) {
    a = createHmac(hash, secret).update(a).digest();
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    out.push(block);
    total += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/** PRF(secret, label, seed) = P_hash(secret, label + seed) (RFC 5246 5). */
export function prf(hash: HashName, secret: Buffer, label: string, seed: Buffer, length: number): Buffer {
  return pHash(hash, secret, Buffer.concat([Buffer.from(label, 'latin1'), seed]), length);
}

/** The TLS 1.0 / 1.1 PRF (RFC 2246 5): P_MD5 over the first half of the secret XOR P_SHA-1 over the second (halves share a byte when odd). */
export function legacyPrf(secret: Buffer, label: string, seed: Buffer, length: number): Buffer {
  const half = Math.ceil(secret.length / 2);
  const labelled = Buffer.concat([Buffer.from(label, 'latin1'), seed]);
  const md5 = pHash('md5', secret.subarray(0, half), labelled, length);
  const sha1 = pHash('sha1', secret.subarray(secret.length - half), labelled, length);
  for (let i = 0; i < length; i++) md5[i]! ^= sha1[i]!;
  return md5;
}

export interface Tls12Keys {
  clientMac: Buffer; serverMac: Buffer;
  clientKey: Buffer; serverKey: Buffer;
  clientIv: Buffer; serverIv: Buffer;
}

/**
 * The key block (RFC 5246 6.3), split in its order: MAC keys, keys, IVs (4
 * bytes for GCM salt, 12 for ChaCha20, a block for CBC: TLS 1.0's first IV;
 * later versions send IVs and leave these unused, which changes nothing before them).
 */
export function keyBlock(suite: Tls12Suite, master: Buffer, clientRandom: Buffer, serverRandom: Buffer, version: Tls12Version = 0x0303): Tls12Keys {
  const c = suite.cipher;
  const macLen = c.kind === 'cbc' ? c.macLength : 0;
  const ivLen = c.kind === 'gcm' ? 4 : c.kind === 'chacha' ? 12 : c.blockLength;
  const seed = Buffer.concat([serverRandom, clientRandom]);
  const length = 2 * (macLen + c.keyLength + ivLen);
  const block = version === 0x0303 ? prf(suite.prf, master, 'key expansion', seed, length) : legacyPrf(master, 'key expansion', seed, length);
  let p = 0;
  const take = (n: number) => block.subarray(p, (p += n));
  return {
    clientMac: take(macLen), serverMac: take(macLen),
    clientKey: take(c.keyLength), serverKey: take(c.keyLength),
    clientIv: take(ivLen), serverIv: take(ivLen),
  };
}

/** One direction's TLS 1.0-1.2 record protection. */
export class Tls12Decrypter {
  private seq = 0n;
  /** TLS 1.0 CBC: the IV of the next record (the last ciphertext block of the one before); null when IVs are sent. */
  private chainIv: Buffer | null;

  constructor(
    private readonly suite: Tls12Suite,
    private readonly key: Buffer,
    private readonly iv: Buffer,
    private readonly macKey: Buffer,
    /** RFC 7366 encrypt_then_mac was negotiated (CBC suites only). */
    private readonly encryptThenMac = false,
    version: Tls12Version = 0x0303,
  ) {
    this.chainIv = version === 0x0301 && suite.cipher.kind === 'cbc' ? Buffer.from(iv) : null;
  }

  static forDirection(suite: Tls12Suite, keys: Tls12Keys, client: boolean, encryptThenMac: boolean, version: Tls12Version = 0x0303): Tls12Decrypter {
    return client
      ? new Tls12Decrypter(suite, keys.clientKey, keys.clientIv, keys.clientMac, encryptThenMac, version)
      : new Tls12Decrypter(suite, keys.serverKey, keys.serverIv, keys.serverMac, encryptThenMac, version);
  }

  /** Opens one record (header: the 5 bytes as sent); null when the tag, MAC or padding is wrong. */
  open(header: Buffer, body: Buffer): Buffer | null {
    const plain = this.openRecord(header[0], header.readUInt16BE(1), body);
    if (plain !== null) this.seq++;
    return plain;
  }

  private aad(type: number, version: number, length: number): Buffer {
    const aad = Buffer.alloc(13);
    aad.writeBigUInt64BE(this.seq, 0);
    aad[8] = type;
    aad.writeUInt16BE(version, 9);
    aad.writeUInt16BE(length, 11);
    return aad;
  }

  private openRecord(type: number, version: number, body: Buffer): Buffer | null {
    const c = this.suite.cipher;
    if (c.kind === 'gcm') {
      if (body.length < 8 + 16) return null;
      const nonce = Buffer.concat([this.iv, body.subarray(0, 8)]);
      const sealed = body.subarray(8);
      return aeadOpen(c.aead, this.key, nonce, this.aad(type, version, sealed.length - 16), sealed);
    }
    if (c.kind === 'chacha') {
      if (body.length < 16) return null;
      return aeadOpen(c.aead, this.key, xorNonce(this.iv, this.seq), this.aad(type, version, body.length - 16), body);
    }
    return this.openCbc(c, type, version, body);
  }

  private openCbc(c: Extract<Cipher, { kind: 'cbc' }>, type: number, version: number, body: Buffer): Buffer | null {
    const mac = (data: Buffer[], length: number) => {
      const h = createHmac(c.mac, this.macKey).update(this.aad(type, version, length));
      for (const d of data) h.update(d);
      return h.digest();
    };
    const block = c.blockLength;
    // TLS 1.1 and 1.2 send each record's IV before its ciphertext; TLS 1.0 chains from the record before.
    const sentIv = this.chainIv === null ? block : 0;
    let cipherPart = body;
    if (this.encryptThenMac) {
      // RFC 7366 3: MAC over IV + ciphertext, checked before decrypting.
      if (body.length < sentIv + block + c.macLength) return null;
      cipherPart = body.subarray(0, body.length - c.macLength);
      const expected = mac([cipherPart], cipherPart.length);
      if (!timingSafeEqual(expected, body.subarray(body.length - c.macLength))) return null;
    }
    if (cipherPart.length < sentIv + block || cipherPart.length % block !== 0) return null;
    const iv = this.chainIv ?? cipherPart.subarray(0, block);
    const ciphertext = cipherPart.subarray(sentIv);
    let plain: Buffer;
    try {
      const d = createDecipheriv(c.cipher, this.key, iv);
      d.setAutoPadding(false);
      plain = Buffer.concat([d.update(ciphertext), d.final()]);
    } catch {
      return null;
    }
    const nextIv = Buffer.from(ciphertext.subarray(ciphertext.length - block));
    // RFC 5246 6.2.3.2: padding_length bytes of value padding_length, then the length byte.
    const pad = plain[plain.length - 1];
    if (pad + 1 > plain.length) return null;
    for (let i = plain.length - 1 - pad; i < plain.length; i++) if (plain[i] !== pad) return null;
    const unpadded = plain.subarray(0, plain.length - 1 - pad);
    let content = unpadded;
    if (!this.encryptThenMac) {
      if (unpadded.length < c.macLength) return null;
      content = unpadded.subarray(0, unpadded.length - c.macLength);
      if (!timingSafeEqual(mac([content], content.length), unpadded.subarray(content.length))) return null;
    }
    if (this.chainIv !== null) this.chainIv = nextIv;
    return content;
  }
}
