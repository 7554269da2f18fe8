/**
 * The TLS reader that also decrypts, when the key log has the connection's
 * secrets. It reads the handshake metadata as TlsHandshakeReader does, finds
 * the secrets by the ClientHello's random when the ServerHello arrives, and
 * switches keys where the protocol does:
 *
 * - TLS 1.2 (RFC 5246 7.1): at each direction's ChangeCipherSpec; the first
 *   protected record is that side's Finished.
 * - TLS 1.3 (RFC 8446 2, 7.1): after the ServerHello both sides use their
 *   handshake traffic secrets; each side moves to its application traffic
 *   secret after its own Finished; KeyUpdate moves to the next secret (7.2).
 *
 * Sequence numbers count per direction from each key change. Application data
 * is handed on as plaintext. A record that does not authenticate (wrong
 * secret, damaged bytes) is reported once and ends decryption of that
 * direction: nothing unauthenticated is ever handed on as protocol.
 */
import type { Direction } from '../tcp/types.js';
import type { ConnectionSecrets } from './keylog.js';
import { HRR_RANDOM, TlsHandshakeReader } from './handshake-reader.js';
import { TLS12_SUITES, Tls12Decrypter, keyBlock } from './tls12.js';
import { TLS13_SUITES, Tls13Decrypter, type Tls13Suite } from './tls13.js';
import { cipherSuiteName } from './cipher-suites.js';

const CONTENT_CCS = 20;
const CONTENT_ALERT = 21;
const CONTENT_HANDSHAKE = 22;
const CONTENT_APPDATA = 23;
const HS_FINISHED = 20;
const HS_KEY_UPDATE = 24;
/** Decrypted handshake bytes kept while a message is incomplete (certificate chains). */
const MAX_INNER_HANDSHAKE = 256 * 1024;

/** Where the secrets come from; asked once, when the ServerHello is seen. */
export interface SecretSource {
  lookup(clientRandom: Buffer): ConnectionSecrets | undefined;
  /** Whether any secret is known at all (to tell "no key for this connection" from "no key log"). */
  hasAny(): boolean;
}

export interface DecryptingReaderEvents {
  /** Clear-text TLS trouble (not TLS, cut records): as TlsHandshakeReader's onProblem. */
  problem(dir: Direction, detail: string): void;
  /** A record failed to decrypt or the connection cannot be decrypted: one line, the frame where it was noticed. */
  decryptFailed(dir: Direction, detail: string, frame: number): void;
  /** Decryption is impossible for a reason that is no error of the data (no handshake in the capture, unsupported suite). */
  notDecryptable(detail: string, frame: number): void;
  /** Application data, decrypted, in order. */
  plaintext(dir: Direction, data: Buffer, ts: bigint, frame: number): void;
}

type Decrypter =
  | { v: 12; d: Tls12Decrypter }
  | { v: 13; d: Tls13Decrypter; suite: Tls13Suite; phase: 'handshake' | 'application' };

export class TlsDecryptingReader extends TlsHandshakeReader {
  /** At least one record was decrypted and authenticated. */
  decrypted = false;
  private secrets: ConnectionSecrets | null = null;
  private readonly decrypters: [Decrypter | null, Decrypter | null] = [null, null];
  private readonly innerHandshake: [Buffer, Buffer] = [Buffer.alloc(0), Buffer.alloc(0)];
  private noHandshakeReported = false;

  constructor(private readonly source: SecretSource | null, private readonly events: DecryptingReaderEvents) {
    super((dir, detail) => events.problem(dir, detail));
  }

  /** The connection ended: a record still incomplete was cut short. */
  end(frame: number): void {
    for (const dir of [0, 1] as const) {
      const p = this.pending[dir];
      if (p.length === 0) continue;
      const want = p.length >= 5 ? 5 + p.readUInt16BE(3) : 5;
      this.events.problem(dir, `the last record was cut short: ${p.length} of ${want} bytes when the connection ended (frame ${frame})`);
    }
  }

  protected override serverHelloDone(frame: number): void {
    const h = this.hello;
    if (this.source === null || h.clientRandom === null || h.serverRandom === null || h.suite === null) return;
    if (h.version === 0x0304 && h.serverRandom.equals(HRR_RANDOM)) return; // a second ClientHello and ServerHello follow
    // Looked up now, not when the reader was made: a pcapng Decryption Secrets Block read earlier in the same pass counts.
    this.secrets = this.source.lookup(h.clientRandom) ?? null;
    if (this.secrets === null) return;
    if (h.version === 0x0304) {
      const suite = TLS13_SUITES[h.suite];
      if (suite === undefined) return this.events.notDecryptable(`cipher suite ${cipherSuiteName(h.suite)} is not supported for decryption`, frame);
      const { clientHandshake, serverHandshake } = this.secrets;
      this.encrypted[0] = this.encrypted[1] = true; // everything after the ServerHello is protected (the client may send no dummy CCS)
      if (clientHandshake) this.decrypters[0] = { v: 13, d: new Tls13Decrypter(suite, clientHandshake), suite, phase: 'handshake' };
      if (serverHandshake) this.decrypters[1] = { v: 13, d: new Tls13Decrypter(suite, serverHandshake), suite, phase: 'handshake' };
    }
  }

  protected override record(dir: Direction, type: number, body: Buffer, header: Buffer, ts: bigint, frame: number): void {
    if (type === CONTENT_CCS) {
      super.record(dir, type, body, header, ts, frame);
      if (this.hello.version !== 0x0304) this.startTls12(dir, frame);
      return; // TLS 1.3's CCS is a dummy for middleboxes (RFC 8446 D.4)
    }
    const dec = this.decrypters[dir];
    if (dec === null || !this.encrypted[dir] || (type !== CONTENT_APPDATA && type !== CONTENT_HANDSHAKE && type !== CONTENT_ALERT)) {
      if (type === CONTENT_APPDATA && this.hello.clientRandom === null && !this.noHandshakeReported && this.source?.hasAny()) {
        this.noHandshakeReported = true;
        this.events.notDecryptable('no TLS handshake seen (the capture began after it): the connection cannot be matched to a key log secret', frame);
      }
      super.record(dir, type, body, header, ts, frame);
      return;
    }
    if (dec.v === 13 && type !== CONTENT_APPDATA) {
      // RFC 8446 5.1: every protected record has the outer type application_data; anything else is in clear.
      super.record(dir, type, body, header, ts, frame);
      return;
    }
    if (type === CONTENT_APPDATA) this.meta.appRecords[dir]++;
    let inner: { type: number; content: Buffer } | null;
    if (dec.v === 13) inner = dec.d.open(header, body);
    else {
      const plain = dec.d.open(header, body);
      inner = plain === null ? null : { type, content: plain };
    }
    if (inner === null) return this.fail(dir, `a ${dir === 0 ? 'client' : 'server'} record did not authenticate (wrong or damaged secret, or damaged data): decryption stops for this direction`, frame);
    this.decrypted = true;
    switch (inner.type) {
      case CONTENT_APPDATA:
        if (inner.content.length > 0) this.events.plaintext(dir, inner.content, ts, frame);
        break;
      case CONTENT_ALERT:
        if (inner.content.length >= 2) this.meta.alerts.push({ dir, level: inner.content[0], description: inner.content[1] });
        break;
      case CONTENT_HANDSHAKE:
        if (dec.v === 13) this.innerHandshakeData(dir, dec, inner.content, frame);
        break;
      default:
        this.fail(dir, `decrypted record of unknown content type ${inner.type}`, frame);
    }
  }

  private startTls12(dir: Direction, frame: number): void {
    const h = this.hello;
    const master = this.secrets?.master;
    if (master === undefined || h.suite === null || h.clientRandom === null || h.serverRandom === null) return;
    const version = h.version;
    if (version !== 0x0301 && version !== 0x0302 && version !== 0x0303) {
      if (dir === 1) this.events.notDecryptable(`${this.meta.version ?? 'this TLS version'} is not supported for decryption (TLS 1.0 to 1.3 are)`, frame);
      return;
    }
    const suite = TLS12_SUITES[h.suite];
    if (suite === undefined || (suite.tls12Only && version !== 0x0303)) {
      if (dir === 1) this.events.notDecryptable(`cipher suite ${cipherSuiteName(h.suite)} is not supported for decryption`, frame);
      return;
    }
    const keys = keyBlock(suite, master, h.clientRandom, h.serverRandom, version);
    this.decrypters[dir] = { v: 12, d: Tls12Decrypter.forDirection(suite, keys, dir === 0, h.etm && suite.cipher.kind === 'cbc', version) };
  }

  /** TLS 1.3 handshake messages inside protected records: Finished switches to application keys, KeyUpdate to the next ones. */
  private innerHandshakeData(dir: Direction, dec: Extract<Decrypter, { v: 13 }>, content: Buffer, frame: number): void {
    let hs = this.innerHandshake[dir].length ? Buffer.concat([this.innerHandshake[dir], content]) : content;
    let rekey: 'application' | 'update' | null = null;
    while (hs.length >= 4) {
      const len = hs.readUIntBE(1, 3);
      if (hs.length < 4 + len) break;
      if (hs[0] === HS_FINISHED && dec.phase === 'handshake') rekey = 'application';
      else if (hs[0] === HS_KEY_UPDATE && dec.phase === 'application') rekey = 'update';
      hs = hs.subarray(4 + len);
    }
    if (hs.length > MAX_INNER_HANDSHAKE) return this.fail(dir, 'an encrypted handshake message larger than 256 KiB', frame);
    this.innerHandshake[dir] = Buffer.from(hs);
    if (rekey === 'update') dec.d.update();
    else if (rekey === 'application') {
      const secret = dir === 0 ? this.secrets?.clientTraffic0 : this.secrets?.serverTraffic0;
      if (secret === undefined) return this.fail(dir, `the key log has no ${dir === 0 ? 'CLIENT' : 'SERVER'}_TRAFFIC_SECRET_0 for this connection`, frame);
      this.decrypters[dir] = { v: 13, d: new Tls13Decrypter(dec.suite, secret), suite: dec.suite, phase: 'application' };
    }
  }

  private fail(dir: Direction, detail: string, frame: number): void {
    this.decrypters[dir] = null;
    this.stop(dir);
    this.events.decryptFailed(dir, detail, frame);
  }
}
