/**
 * Streaming reader for pcapng (draft-ietf-opsawg-pcapng).
 *
 * Why our own: no npm package reads pcapng correctly. pcap-ng-parser 1.0.0
 * crashes with ERR_OUT_OF_RANGE on big-endian sections and ignores if_tsresol
 * and every section after the first; node_pcap stops silently at a byte-order
 * change. Real files hit all of these: `mergecap` output keeps one interface
 * per input, captures from other machines are big-endian, and if_tsresol is
 * 9 (nanoseconds) in many tools' output.
 *
 * What it reads: any number of sections, each in its own byte order; interface
 * descriptions with their own link type, snap length, if_tsresol and
 * if_tsoffset; enhanced, simple and obsolete packet blocks; Decryption Secrets
 * Blocks (handed to a callback: the TLS stage uses the key log they carry).
 * Every other block is skipped by its length. Every length is validated
 * against the block, and the trailing length copy must match the leading one.
 */
import { Carry } from './carry.js';
import { CaptureError } from './errors.js';
import type { Frame } from './frame.js';

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 0x00000001;
const BT_OPB = 0x00000002; // obsolete Packet Block
const BT_SPB = 0x00000003;
const BT_EPB = 0x00000006;
const BT_DSB = 0x0000000a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Wireshark refuses blocks above 16 MiB; so do we, so a corrupt length cannot make us buffer the file. */
const MAX_BLOCK = 16 * 1024 * 1024;

/** Secrets carried in a Decryption Secrets Block. type 0x544c534b ("TLSK") is an NSS key log. */
export interface CaptureSecrets {
  type: number;
  data: Buffer;
}
export const SECRETS_TLS_KEYLOG = 0x544c534b;

interface Interface {
  linkType: number;
  snapLen: number;
  /** Timestamp units per second are 10^exp10 or 2^exp2: exactly one applies. */
  exp10: number;
  exp2: number;
  /** if_tsoffset, in seconds, added to every timestamp. */
  offsetSec: bigint;
}

export class PcapngParser {
  private carry = new Carry();
  private le = true;
  private inSection = false;
  private interfaces: Interface[] = [];
  private offset = 0;
  private frames = 0;
  private lastTs = 0n;
  private failed = false;
  private sections = 0;

  constructor(
    private readonly file: string,
    private readonly onSecrets?: (secrets: CaptureSecrets) => void,
  ) {}

  /** Parses a chunk, appending complete frames to `out`. Throws CaptureError on corrupt input. */
  push(chunk: Buffer, out: Frame[]): void {
    this.carry.feed(chunk, (buf) => this.parse(buf, out), () => this.failed);
  }

  private parse(buf: Buffer, out: Frame[]): void {
    let pos = 0;
    try {
      while (true) {
        const avail = buf.length - pos;
        if (avail < 12) {
          this.carry.hold(buf.subarray(pos), 12);
          break;
        }
        let type = this.le ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
        if (type === BT_SHB) this.readByteOrder(buf, pos, avail);
        else if (!this.inSection) {
          throw this.corrupt(pos, `expected a Section Header Block, found block type 0x${type.toString(16)}`);
        }
        type = this.le ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
        const total = this.le ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
        if (total < 12 || total % 4 !== 0 || total > MAX_BLOCK) {
          throw this.corrupt(pos, `block length ${total} is not a multiple of 4 between 12 and ${MAX_BLOCK}`);
        }
        if (avail < total) {
          this.carry.hold(buf.subarray(pos), total);
          break;
        }
        const trailer = this.le ? buf.readUInt32LE(pos + total - 4) : buf.readUInt32BE(pos + total - 4);
        if (trailer !== total) {
          throw this.corrupt(pos, `block length ${total} and its trailing copy ${trailer} differ`);
        }
        this.readBlock(type, buf.subarray(pos + 8, pos + total - 4), pos, out);
        pos += total;
      }
    } catch (err) {
      this.failed = true;
      throw err;
    } finally {
      this.offset += pos;
    }
  }

  end(): void {
    if (this.failed) return;
    if (this.sections === 0) {
      throw new CaptureError('truncated', this.file, 'the file ends inside the first Section Header Block', 0);
    }
    if (this.carry.held > 0) {
      throw new CaptureError('truncated', this.file,
        `the file ends inside a block (${this.carry.held} bytes of it present)`, this.offset, this.frames + 1);
    }
  }

  /** A Section Header Block sets the byte order for everything up to the next one. */
  private readByteOrder(buf: Buffer, pos: number, avail: number): void {
    if (avail < 12) return;
    const bom = buf.readUInt32LE(pos + 8);
    if (bom === BYTE_ORDER_MAGIC) this.le = true;
    else if (bom === 0x4d3c2b1a) this.le = false;
    else throw this.corrupt(pos, `section byte-order magic 0x${bom.toString(16)} is neither order of 0x1a2b3c4d`);
  }

  private readBlock(type: number, body: Buffer, pos: number, out: Frame[]): void {
    switch (type) {
      case BT_SHB: return this.readSectionHeader(body, pos);
      case BT_IDB: return this.readInterface(body, pos);
      case BT_EPB: return this.readEnhancedPacket(body, pos, out);
      case BT_SPB: return this.readSimplePacket(body, pos, out);
      case BT_OPB: return this.readObsoletePacket(body, pos, out);
      case BT_DSB: return this.readSecrets(body, pos);
      default: return; // NRB, ISB, custom and future blocks: nothing we need
    }
  }

  private readSectionHeader(body: Buffer, pos: number): void {
    if (body.length < 16) throw this.corrupt(pos, `Section Header Block body of ${body.length} bytes is shorter than 16`);
    const major = this.u16(body, 4);
    if (major !== 1) {
      throw new CaptureError('unsupported', this.file, `pcapng section version ${major}.${this.u16(body, 6)} is not 1.x`, this.offset + pos);
    }
    this.inSection = true;
    this.interfaces = [];
    this.sections++;
  }

  private readInterface(body: Buffer, pos: number): void {
    if (body.length < 8) throw this.corrupt(pos, `Interface Description Block body of ${body.length} bytes is shorter than 8`);
    const iface: Interface = { linkType: this.u16(body, 0), snapLen: this.u32(body, 4), exp10: 6, exp2: -1, offsetSec: 0n };
    this.readOptions(body, 8, pos, (code, value) => {
      if (code === 9 && value.length >= 1) {
        // if_tsresol: high bit clear = negative power of 10, set = negative power of 2.
        const v = value[0];
        if (v & 0x80) { iface.exp2 = v & 0x7f; iface.exp10 = -1; } else { iface.exp10 = v; iface.exp2 = -1; }
      } else if (code === 14 && value.length >= 8) {
        iface.offsetSec = this.le ? value.readBigInt64LE(0) : value.readBigInt64BE(0);
      }
    });
    this.interfaces.push(iface);
  }

  private readEnhancedPacket(body: Buffer, pos: number, out: Frame[]): void {
    if (body.length < 20) throw this.corrupt(pos, `Enhanced Packet Block body of ${body.length} bytes is shorter than 20`);
    const iface = this.interfaceAt(this.u32(body, 0), pos);
    const capLen = this.u32(body, 12);
    const origLen = this.u32(body, 16);
    this.checkCapLen(capLen, body.length - 20, pos);
    this.emit(out, iface, this.timestamp(iface, this.u32(body, 4), this.u32(body, 8)), body.subarray(20, 20 + capLen), origLen);
  }

  private readObsoletePacket(body: Buffer, pos: number, out: Frame[]): void {
    if (body.length < 20) throw this.corrupt(pos, `Packet Block body of ${body.length} bytes is shorter than 20`);
    const iface = this.interfaceAt(this.u16(body, 0), pos);
    const capLen = this.u32(body, 12);
    const origLen = this.u32(body, 16);
    this.checkCapLen(capLen, body.length - 20, pos);
    this.emit(out, iface, this.timestamp(iface, this.u32(body, 4), this.u32(body, 8)), body.subarray(20, 20 + capLen), origLen);
  }

  /** A Simple Packet Block has no timestamp: it gets the previous packet's, so ordering stays sane. */
  private readSimplePacket(body: Buffer, pos: number, out: Frame[]): void {
    if (body.length < 4) throw this.corrupt(pos, `Simple Packet Block body of ${body.length} bytes is shorter than 4`);
    const iface = this.interfaceAt(0, pos);
    const origLen = this.u32(body, 0);
    let capLen = Math.min(origLen, body.length - 4);
    if (iface.snapLen > 0) capLen = Math.min(capLen, iface.snapLen);
    this.emit(out, iface, this.lastTs, body.subarray(4, 4 + capLen), origLen);
  }

  private readSecrets(body: Buffer, pos: number): void {
    if (body.length < 8) throw this.corrupt(pos, `Decryption Secrets Block body of ${body.length} bytes is shorter than 8`);
    const type = this.u32(body, 0);
    const length = this.u32(body, 4);
    if (length > body.length - 8) throw this.corrupt(pos, `secrets length ${length} runs past the block`);
    this.onSecrets?.({ type, data: Buffer.from(body.subarray(8, 8 + length)) });
  }

  private emit(out: Frame[], iface: Interface, ts: bigint, data: Buffer, origLen: number): void {
    this.frames++;
    this.lastTs = ts;
    out.push({ index: this.frames, ts, linkType: iface.linkType, data, origLen: origLen < data.length ? data.length : origLen });
  }

  private checkCapLen(capLen: number, room: number, pos: number): void {
    if (capLen > room) throw this.corrupt(pos, `captured length ${capLen} runs past the end of its block`);
    if (capLen > MAX_BLOCK) throw this.corrupt(pos, `captured length ${capLen} is impossible`);
  }

  private interfaceAt(id: number, pos: number): Interface {
    const iface = this.interfaces[id];
    if (!iface) throw this.corrupt(pos, `packet names interface ${id}, but the section describes ${this.interfaces.length}`);
    return iface;
  }

  /** Converts a 64-bit timestamp in the interface's units to nanoseconds since the epoch. */
  private timestamp(iface: Interface, high: number, low: number): bigint {
    const units = (BigInt(high) << 32n) | BigInt(low);
    let ns: bigint;
    if (iface.exp10 >= 0) {
      ns = iface.exp10 === 6 ? units * 1000n
        : iface.exp10 <= 9 ? units * 10n ** BigInt(9 - iface.exp10)
        : units / 10n ** BigInt(iface.exp10 - 9);
    } else {
      ns = (units * 1_000_000_000n) >> BigInt(iface.exp2);
    }
    return ns + iface.offsetSec * 1_000_000_000n;
  }

  /** Walks the option list of a block body from `start`, calling back for each option. */
  private readOptions(body: Buffer, start: number, pos: number, each: (code: number, value: Buffer) => void): void {
    let p = start;
    while (p + 4 <= body.length) {
      const code = this.u16(body, p);
      const len = this.u16(body, p + 2);
      if (code === 0) return; // opt_endofopt
      if (p + 4 + len > body.length) throw this.corrupt(pos, `option ${code} of length ${len} runs past its block`);
      each(code, body.subarray(p + 4, p + 4 + len));
      p += 4 + ((len + 3) & ~3);
    }
  }

  private corrupt(pos: number, detail: string): CaptureError {
    return new CaptureError('corrupt', this.file, detail, this.offset + pos, this.frames + 1);
  }

  private u16(b: Buffer, at: number): number {
    return this.le ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }

  private u32(b: Buffer, at: number): number {
    return this.le ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }
}
