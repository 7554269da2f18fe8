/**
 * Streaming reader for classic libpcap files (draft-ietf-opsawg-pcap).
 *
 * Why our own and not the `pcap-parser` package: to be correct, a guard in
 * front of pcap-parser has to parse every record header anyway (to reject a
 * record length beyond the snap length before pcap-parser starts buffering the
 * rest of the file behind it), and pcap-parser also lacks nanosecond files,
 * version checks and truncation reports. The measurement is in the README's
 * "Dependencies" section.
 *
 * Handles both byte orders, microsecond and nanosecond resolution, version 2.3
 * (whose record header has the two lengths swapped) and Kuznetsov's modified
 * format (24-byte record headers). It is a push parser: feed chunks, get frames.
 */
import { Carry } from './carry.js';
import { CaptureError } from './errors.js';
import type { Frame } from './frame.js';

const GLOBAL_HEADER = 24;
/** Records claiming more than this are corrupt whatever the snap length says (Wireshark's largest standard packet). */
export const MAX_RECORD = 262_144;
/** Some writers put 0 or nonsense in the snap length field; then only MAX_RECORD applies. */
const SANE_SNAPLEN_MIN = 16;

export class PcapParser {
  private carry = new Carry();
  private headerDone = false;
  private littleEndian = true;
  private nano = false;
  private recordHeader = 16;
  private swappedLengths = false;
  private maxRecord = MAX_RECORD;
  private linkType = 0;
  /** Absolute offset (in the decompressed stream) of the first byte not yet consumed. */
  private offset = 0;
  private frames = 0;
  private failed = false;

  constructor(private readonly file: string) {}

  /** Link type from the global header (valid after the first frame). */
  get link(): number {
    return this.linkType;
  }

  /** Parses a chunk, appending complete frames to `out`. Throws CaptureError on corrupt input. */
  push(chunk: Buffer, out: Frame[]): void {
    this.carry.feed(chunk, (buf) => this.parse(buf, out), () => this.failed);
  }

  private parse(buf: Buffer, out: Frame[]): void {
    let pos = 0;
    try {
      if (!this.headerDone) {
        if (buf.length < GLOBAL_HEADER) {
          this.carry.hold(buf, GLOBAL_HEADER);
          return;
        }
        this.parseGlobalHeader(buf);
        pos = GLOBAL_HEADER;
      }
      const rh = this.recordHeader;
      const le = this.littleEndian;
      while (true) {
        const avail = buf.length - pos;
        if (avail < rh) {
          this.carry.hold(buf.subarray(pos), rh);
          break;
        }
        const sec = le ? buf.readUInt32LE(pos) : buf.readUInt32BE(pos);
        const frac = le ? buf.readUInt32LE(pos + 4) : buf.readUInt32BE(pos + 4);
        let incl = le ? buf.readUInt32LE(pos + 8) : buf.readUInt32BE(pos + 8);
        let orig = le ? buf.readUInt32LE(pos + 12) : buf.readUInt32BE(pos + 12);
        if (this.swappedLengths) [incl, orig] = [orig, incl];
        if (incl > this.maxRecord) {
          throw new CaptureError('corrupt', this.file,
            `record length ${incl} is larger than the snap length ${this.maxRecord}`,
            this.offset + pos, this.frames + 1);
        }
        const fracLimit = this.nano ? 1_000_000_000 : 1_000_000;
        if (frac >= fracLimit) {
          throw new CaptureError('corrupt', this.file,
            `timestamp fraction ${frac} is not below ${fracLimit}`, this.offset + pos, this.frames + 1);
        }
        if (avail < rh + incl) {
          this.carry.hold(buf.subarray(pos), rh + incl);
          break;
        }
        const start = pos + rh;
        const ts = this.nano
          ? BigInt(sec) * 1_000_000_000n + BigInt(frac)
          : BigInt(sec * 1_000_000 + frac) * 1000n;
        this.frames++;
        out.push({
          index: this.frames,
          ts,
          linkType: this.linkType,
          data: buf.subarray(start, start + incl),
          origLen: orig < incl ? incl : orig,
        });
        pos = start + incl;
      }
    } catch (err) {
      this.failed = true;
      throw err;
    } finally {
      this.offset += pos;
    }
  }

  /** Call at end of input: throws if the file stopped inside a header or record. */
  end(): void {
    if (this.failed) return;
    if (!this.headerDone) {
      throw new CaptureError('truncated', this.file,
        `the file ends inside the 24-byte file header (${this.carry.held} bytes)`, 0);
    }
    if (this.carry.held > 0) {
      throw new CaptureError('truncated', this.file,
        `the file ends inside a record (${this.carry.held} bytes of it present)`, this.offset, this.frames + 1);
    }
  }

  private parseGlobalHeader(buf: Buffer): void {
    const magic = buf.readUInt32LE(0);
    switch (magic) {
      case 0xa1b2c3d4: this.littleEndian = true; break;
      case 0xd4c3b2a1: this.littleEndian = false; break;
      case 0xa1b23c4d: this.littleEndian = true; this.nano = true; break;
      case 0x4d3cb2a1: this.littleEndian = false; this.nano = true; break;
      case 0xa1b2cd34: this.littleEndian = true; this.recordHeader = 24; break;
      case 0x34cdb2a1: this.littleEndian = false; this.recordHeader = 24; break;
      default:
        throw new CaptureError('not-a-capture', this.file, `bad pcap magic 0x${magic.toString(16)}`, 0);
    }
    const le = this.littleEndian;
    const major = le ? buf.readUInt16LE(4) : buf.readUInt16BE(4);
    const minor = le ? buf.readUInt16LE(6) : buf.readUInt16BE(6);
    // Version 2.4 is what everything writes since 1998; 2.0-2.2 share its layout,
    // and 2.3 swapped the two length fields (libpcap's sf-pcap.c keeps the same rule).
    if (major !== 2 || minor > 4) {
      throw new CaptureError('unsupported', this.file, `pcap version ${major}.${minor} is not 2.0-2.4`, 4);
    }
    this.swappedLengths = minor === 3;
    const snaplen = le ? buf.readUInt32LE(16) : buf.readUInt32BE(16);
    const network = le ? buf.readUInt32LE(20) : buf.readUInt32BE(20);
    // The upper bits of the link type field carry FCS information (pcap spec, "LinkType and additional information").
    this.linkType = network & 0x0fffffff;
    this.maxRecord = snaplen >= SANE_SNAPLEN_MIN && snaplen < MAX_RECORD ? snaplen : MAX_RECORD;
    this.headerDone = true;
  }
}
