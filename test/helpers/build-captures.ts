/** Hand-made capture files for reader tests: every field explicit, so each test can break exactly one. */

export interface PcapOptions {
  bigEndian?: boolean;
  nano?: boolean;
  version?: [number, number];
  snapLen?: number;
  linkType?: number;
  /** Kuznetsov's modified format: 8 extra bytes per record header. */
  modified?: boolean;
}

export interface Rec {
  sec: number;
  frac: number;
  data: Buffer;
  /** Override the stored captured length (to corrupt it). */
  incl?: number;
  orig?: number;
}

export function pcapFile(records: Rec[], o: PcapOptions = {}): Buffer {
  const be = o.bigEndian ?? false;
  const magic = o.modified ? 0xa1b2cd34 : o.nano ? 0xa1b23c4d : 0xa1b2c3d4;
  const h = Buffer.alloc(24);
  const w32 = (b: Buffer, v: number, at: number) => (be ? b.writeUInt32BE(v >>> 0, at) : b.writeUInt32LE(v >>> 0, at));
  const w16 = (b: Buffer, v: number, at: number) => (be ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at));
  w32(h, magic, 0);
  w16(h, o.version?.[0] ?? 2, 4);
  w16(h, o.version?.[1] ?? 4, 6);
  w32(h, o.snapLen ?? 262144, 16);
  w32(h, o.linkType ?? 1, 20);
  const parts = [h];
  const rh = o.modified ? 24 : 16;
  for (const r of records) {
    const b = Buffer.alloc(rh);
    w32(b, r.sec, 0);
    w32(b, r.frac, 4);
    w32(b, r.incl ?? r.data.length, 8);
    w32(b, r.orig ?? r.data.length, 12);
    parts.push(b, r.data);
  }
  return Buffer.concat(parts);
}

/** pcapng writer with one byte order per section. */
export class Pcapng {
  private parts: Buffer[] = [];
  private be = false;

  section(bigEndian = false): this {
    this.be = bigEndian;
    const body = Buffer.alloc(16);
    this.u32(body, 0x1a2b3c4d, 0);
    this.u16(body, 1, 4);
    this.u16(body, 0, 6);
    body.fill(0xff, 8, 16); // section length unknown (-1)
    return this.block(0x0a0d0d0a, body);
  }

  /** Interface with optional if_tsresol byte and if_tsoffset seconds. */
  iface(linkType = 1, opts: { tsresol?: number; tsoffset?: bigint; snapLen?: number } = {}): this {
    const options: Buffer[] = [];
    if (opts.tsresol !== undefined) options.push(this.option(9, Buffer.from([opts.tsresol])));
    if (opts.tsoffset !== undefined) {
      const v = Buffer.alloc(8);
      if (this.be) v.writeBigInt64BE(opts.tsoffset); else v.writeBigInt64LE(opts.tsoffset);
      options.push(this.option(14, v));
    }
    if (options.length) options.push(Buffer.alloc(4)); // opt_endofopt
    const head = Buffer.alloc(8);
    this.u16(head, linkType, 0);
    this.u32(head, opts.snapLen ?? 0, 4);
    return this.block(1, Buffer.concat([head, ...options]));
  }

  epb(iface: number, units: bigint, data: Buffer, origLen = data.length, capLen = data.length): this {
    const head = Buffer.alloc(20);
    this.u32(head, iface, 0);
    this.u32(head, Number(units >> 32n), 4);
    this.u32(head, Number(units & 0xffffffffn), 8);
    this.u32(head, capLen, 12);
    this.u32(head, origLen, 16);
    return this.block(6, Buffer.concat([head, pad4(data)]));
  }

  spb(data: Buffer): this {
    const head = Buffer.alloc(4);
    this.u32(head, data.length, 0);
    return this.block(3, Buffer.concat([head, pad4(data)]));
  }

  opb(iface: number, units: bigint, data: Buffer): this {
    const head = Buffer.alloc(20);
    this.u16(head, iface, 0);
    this.u32(head, Number(units >> 32n), 4);
    this.u32(head, Number(units & 0xffffffffn), 8);
    this.u32(head, data.length, 12);
    this.u32(head, data.length, 16);
    return this.block(2, Buffer.concat([head, pad4(data)]));
  }

  dsb(type: number, secrets: Buffer): this {
    const head = Buffer.alloc(8);
    this.u32(head, type, 0);
    this.u32(head, secrets.length, 4);
    return this.block(10, Buffer.concat([head, pad4(secrets)]));
  }

  block(type: number, body: Buffer, trailerOverride?: number): this {
    const total = 12 + body.length;
    const head = Buffer.alloc(8);
    this.u32(head, type, 0);
    this.u32(head, total, 4);
    const tail = Buffer.alloc(4);
    this.u32(tail, trailerOverride ?? total, 0);
    this.parts.push(head, body, tail);
    return this;
  }

  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }

  build(): Buffer {
    return Buffer.concat(this.parts);
  }

  private option(code: number, value: Buffer): Buffer {
    const h = Buffer.alloc(4);
    this.u16(h, code, 0);
    this.u16(h, value.length, 2);
    return Buffer.concat([h, pad4(value)]);
  }

  private u16(b: Buffer, v: number, at: number) {
    if (this.be) b.writeUInt16BE(v, at); else b.writeUInt16LE(v, at);
  }

  private u32(b: Buffer, v: number, at: number) {
    if (this.be) b.writeUInt32BE(v >>> 0, at); else b.writeUInt32LE(v >>> 0, at);
  }
}

function pad4(b: Buffer): Buffer {
  const n = (4 - (b.length % 4)) % 4;
  return n ? Buffer.concat([b, Buffer.alloc(n)]) : b;
}
