/**
 * Reads TLS metadata from a connection's bytes without decrypting anything:
 * record framing (RFC 8446 5.1, RFC 5246 6.2), and from the clear-text
 * handshake the ClientHello (SNI, ALPN) and ServerHello (version, cipher
 * suite; TLS 1.3 is told by the supported_versions extension, RFC 8446
 * 4.2.1). Once encrypted records start, it only counts them.
 *
 * Input is hostile: every length is checked, buffers are bounded, and a
 * stream that is not TLS is reported once and then ignored.
 */
import type { Direction } from '../tcp/types.js';
import { cipherSuiteName, tlsVersionName } from './cipher-suites.js';

const CONTENT_CCS = 20;
const CONTENT_ALERT = 21;
const CONTENT_HANDSHAKE = 22;
const CONTENT_APPDATA = 23;
const HS_CLIENT_HELLO = 1;
const HS_SERVER_HELLO = 2;
/** A handshake message larger than this is not read (certificate chains can be large, hellos are small). */
const MAX_HANDSHAKE = 256 * 1024;
const MAX_RECORD = 18432; // 2^14 + 2048, RFC 5246 6.2.3
/** RFC 8446 4.1.3: the ServerHello random that marks a HelloRetryRequest (SHA-256 of "HelloRetryRequest"). */
export const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

export interface TlsMetadata {
  version: string | null;
  sni: string | null;
  cipher: string | null;
  alpn: string[];
  /** Client offered these versions (supported_versions), for findings later. */
  offeredVersions: string[];
  /** Records of application data seen per direction. */
  appRecords: [number, number];
  /** Alerts seen in clear (level, description). */
  alerts: { dir: Direction; level: number; description: number }[];
  /** What Wireshark's tls.record and tls.handshake fields show, each value once, in the order first seen. */
  wire: TlsWireFacts;
}

/** Values of the clear-text TLS framing, for filters (tls.record.version == 0x0303, tls.handshake.type == 1). */
export interface TlsWireFacts {
  /** Record header versions (0x0301, 0x0303). */
  recordVersions: number[];
  /** Record content types (20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data). */
  recordTypes: number[];
  /** Handshake message types read in clear (1 ClientHello, 2 ServerHello, 11 Certificate, ...). */
  handshakeTypes: number[];
  /** The version fields of the ClientHello and ServerHello (legacy_version: 0x0303 in TLS 1.3 too). */
  helloVersions: number[];
  /** Cipher suites the client offered and the one the server chose (numbers, GREASE values included as sent). */
  suites: number[];
}

/** Distinct values kept per list: enough for any real handshake, bounded for a hostile one. */
const MAX_WIRE_VALUES = 128;

function note(list: number[], v: number): void {
  if (list.length < MAX_WIRE_VALUES && !list.includes(v)) list.push(v);
}

export class TlsHandshakeReader {
  readonly meta: TlsMetadata = {
    version: null, sni: null, cipher: null, alpn: [], offeredVersions: [], appRecords: [0, 0], alerts: [],
    wire: { recordVersions: [], recordTypes: [], handshakeTypes: [], helloVersions: [], suites: [] },
  };
  /** What decryption needs from the clear-text hellos (RFC 8446 4.1.2-4.1.3, RFC 5246 7.4.1). */
  protected readonly hello: {
    clientRandom: Buffer | null;
    serverRandom: Buffer | null;
    /** Cipher suite number from the ServerHello. */
    suite: number | null;
    /** Negotiated version number (0x0304 from supported_versions for TLS 1.3). */
    version: number | null;
    /** The ServerHello accepted extended_master_secret (RFC 7627, type 23). */
    ems: boolean;
    /** The ServerHello accepted encrypt_then_mac (RFC 7366, type 22). */
    etm: boolean;
  } = { clientRandom: null, serverRandom: null, suite: null, version: null, ems: false, etm: false };
  protected pending: [Buffer, Buffer] = [Buffer.alloc(0), Buffer.alloc(0)];
  private handshake: [Buffer, Buffer] = [Buffer.alloc(0), Buffer.alloc(0)];
  /** After ChangeCipherSpec (TLS 1.2) or the ServerHello (TLS 1.3), handshake records are encrypted. */
  protected encrypted: [boolean, boolean] = [false, false];
  private broken: [boolean, boolean] = [false, false];

  constructor(private readonly onProblem: (dir: Direction, detail: string) => void) {}

  /** In-order bytes of one direction; ts and frame are those of the chunk (passed on with what the records carry). */
  data(dir: Direction, data: Buffer, ts = 0n, frame = 0): void {
    if (this.broken[dir]) return;
    let buf = this.pending[dir].length ? Buffer.concat([this.pending[dir], data]) : data;
    let pos = 0;
    while (buf.length - pos >= 5) {
      const type = buf[pos];
      const major = buf[pos + 1];
      const length = buf.readUInt16BE(pos + 3);
      if (type < CONTENT_CCS || type > 24 || major !== 3 || length > MAX_RECORD) {
        this.broken[dir] = true;
        this.onProblem(dir, `not a TLS record (type ${type}, version ${major}.${buf[pos + 2]}, length ${length})`);
        return;
      }
      if (buf.length - pos < 5 + length) break;
      note(this.meta.wire.recordTypes, type);
      note(this.meta.wire.recordVersions, buf.readUInt16BE(pos + 1));
      this.record(dir, type, buf.subarray(pos + 5, pos + 5 + length), buf.subarray(pos, pos + 5), ts, frame);
      if (this.broken[dir]) return;
      pos += 5 + length;
    }
    // Keep at most one partial record.
    this.pending[dir] = Buffer.from(buf.subarray(pos));
    buf = this.pending[dir];
  }

  /** Bytes were lost: record boundaries are gone for this direction. */
  gap(dir: Direction): void {
    this.pending[dir] = Buffer.alloc(0);
    this.handshake[dir] = Buffer.alloc(0);
    this.broken[dir] = true;
  }

  /** One whole record: its type, body, the 5-byte header as sent, and the time and frame of its last byte. */
  protected record(dir: Direction, type: number, body: Buffer, _header: Buffer, _ts: bigint, frame: number): void {
    if (type === CONTENT_CCS) {
      // TLS 1.2: what follows is encrypted. TLS 1.3 sends a dummy CCS for middleboxes (RFC 8446 D.4), also right
      // after a HelloRetryRequest, when a second ClientHello and the real ServerHello still follow in clear.
      if (this.meta.version !== 'TLS 1.3') this.encrypted[dir] = true;
      return;
    }
    if (type === CONTENT_APPDATA) {
      this.meta.appRecords[dir]++;
      return;
    }
    if (type === CONTENT_ALERT) {
      if (!this.encrypted[dir] && body.length >= 2) this.meta.alerts.push({ dir, level: body[0], description: body[1] });
      return;
    }
    if (type !== CONTENT_HANDSHAKE || this.encrypted[dir]) return;
    let hs = this.handshake[dir].length ? Buffer.concat([this.handshake[dir], body]) : body;
    while (hs.length >= 4) {
      const msgType = hs[0];
      const len = hs.readUIntBE(1, 3);
      if (len > MAX_HANDSHAKE) {
        this.encrypted[dir] = true; // stop reading this direction's handshake
        hs = Buffer.alloc(0);
        break;
      }
      if (hs.length < 4 + len) break;
      const msg = hs.subarray(4, 4 + len);
      note(this.meta.wire.handshakeTypes, msgType);
      if (msgType === HS_CLIENT_HELLO) this.clientHello(msg);
      else if (msgType === HS_SERVER_HELLO) {
        this.serverHello(msg);
        // The rest of the server's handshake is encrypted, unless this was a HelloRetryRequest (a real ServerHello follows in clear).
        if (this.meta.version === 'TLS 1.3' && !this.hello.serverRandom?.equals(HRR_RANDOM)) this.encrypted[dir] = true;
        this.serverHelloDone(frame);
      }
      hs = hs.subarray(4 + len);
    }
    this.handshake[dir] = Buffer.from(hs);
  }

  /** Called after each ServerHello (a HelloRetryRequest too), with the frame that completed it: the decrypting reader picks its keys here. */
  protected serverHelloDone(_frame: number): void {}

  /** Stops this direction: nothing more is read from it. */
  protected stop(dir: Direction): void {
    this.broken[dir] = true;
  }

  private clientHello(m: Buffer): void {
    // version(2) random(32) session_id<1> cipher_suites<2> compression<1> extensions<2>
    let p = 34;
    if (m.length < p + 1) return;
    this.hello.clientRandom = Buffer.from(m.subarray(2, 34));
    note(this.meta.wire.helloVersions, m.readUInt16BE(0));
    p += 1 + m[p];
    if (m.length < p + 2) return;
    const suitesEnd = Math.min(m.length, p + 2 + m.readUInt16BE(p));
    for (let i = p + 2; i + 1 < suitesEnd; i += 2) note(this.meta.wire.suites, m.readUInt16BE(i));
    p += 2 + m.readUInt16BE(p);
    if (m.length < p + 1) return;
    p += 1 + m[p];
    this.extensions(m, p, (type, ext) => {
      if (type === 0) this.meta.sni = readSni(ext);
      else if (type === 16) this.meta.alpn = readAlpn(ext);
      else if (type === 43 && ext.length >= 1) {
        const n = ext[0];
        for (let i = 1; i + 1 < 1 + n && i + 1 < ext.length; i += 2) {
          const v = ext.readUInt16BE(i);
          if ((v & 0x0f0f) !== 0x0a0a) this.meta.offeredVersions.push(tlsVersionName(v)); // skip GREASE
        }
      }
    });
  }

  private serverHello(m: Buffer): void {
    if (m.length < 38) return;
    let version = m.readUInt16BE(0);
    note(this.meta.wire.helloVersions, version);
    let p = 34;
    p += 1 + m[p];
    if (m.length < p + 3) return;
    const suite = m.readUInt16BE(p);
    note(this.meta.wire.suites, suite);
    p += 3;
    let ems = false;
    let etm = false;
    this.extensions(m, p, (type, ext) => {
      if (type === 43 && ext.length >= 2) version = ext.readUInt16BE(0);
      else if (type === 23) ems = true;
      else if (type === 22) etm = true;
    });
    Object.assign(this.hello, { serverRandom: Buffer.from(m.subarray(2, 34)), suite, version, ems, etm });
    this.meta.version = tlsVersionName(version);
    this.meta.cipher = cipherSuiteName(suite);
  }

  private extensions(m: Buffer, p: number, each: (type: number, ext: Buffer) => void): void {
    if (m.length < p + 2) return;
    const end = Math.min(m.length, p + 2 + m.readUInt16BE(p));
    p += 2;
    while (p + 4 <= end) {
      const type = m.readUInt16BE(p);
      const len = m.readUInt16BE(p + 2);
      if (p + 4 + len > end) return;
      each(type, m.subarray(p + 4, p + 4 + len));
      p += 4 + len;
    }
  }
}

function readSni(ext: Buffer): string | null {
  // server_name_list<2> { name_type(1) host_name<2> }
  if (ext.length < 5 || ext[2] !== 0) return null;
  const len = ext.readUInt16BE(3);
  if (5 + len > ext.length) return null;
  return ext.subarray(5, 5 + len).toString('latin1');
}

function readAlpn(ext: Buffer): string[] {
  const out: string[] = [];
  if (ext.length < 2) return out;
  const end = Math.min(ext.length, 2 + ext.readUInt16BE(0));
  let p = 2;
  while (p < end) {
    const len = ext[p];
    if (p + 1 + len > end) break;
    out.push(ext.subarray(p + 1, p + 1 + len).toString('latin1'));
    p += 1 + len;
  }
  return out;
}
