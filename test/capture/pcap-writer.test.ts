import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { ethernetIPv4Tcp, ethernetIPv6Tcp, internetChecksum, parseIPv6 } from '../../src/capture/packet-builder.js';
import { buildPcap, pcapGlobalHeader, PcapWriter, type PcapRecord } from '../../src/capture/pcap-writer.js';

const TSHARK = '/usr/bin/tshark';
const dir = mkdtempSync(join(tmpdir(), 'mailscope-pcap-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Just enough of a classic pcap reader to check what the writer produced. */
function parsePcap(buf: Buffer) {
  const magicLE = buf.readUInt32LE(0);
  const magicBE = buf.readUInt32BE(0);
  let le: boolean;
  let ns: boolean;
  if (magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d) {
    le = true;
    ns = magicLE === 0xa1b23c4d;
  } else if (magicBE === 0xa1b2c3d4 || magicBE === 0xa1b23c4d) {
    le = false;
    ns = magicBE === 0xa1b23c4d;
  } else {
    throw new Error('not a pcap file');
  }
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u16 = (o: number): number => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const header = {
    littleEndian: le,
    nanosecond: ns,
    versionMajor: u16(4),
    versionMinor: u16(6),
    thiszone: u32(8),
    sigfigs: u32(12),
    snapLen: u32(16),
    network: u32(20),
  };
  const records: { ts: bigint; inclLen: number; origLen: number; data: Buffer }[] = [];
  let off = 24;
  while (off < buf.length) {
    if (off + 16 > buf.length) throw new Error('truncated record header');
    const sec = u32(off);
    const frac = u32(off + 4);
    const inclLen = u32(off + 8);
    const origLen = u32(off + 12);
    if (off + 16 + inclLen > buf.length) throw new Error('truncated record');
    const ts = BigInt(sec) * 1_000_000_000n + BigInt(frac) * (ns ? 1n : 1000n);
    records.push({ ts, inclLen, origLen, data: buf.subarray(off + 16, off + 16 + inclLen) });
    off += 16 + inclLen;
  }
  return { header, records };
}

/** A Writable that keeps every chunk; optionally slow, to exercise backpressure. */
class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(highWaterMark = 16384, private readonly slow = false) {
    super({ highWaterMark });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    if (this.slow) setImmediate(cb);
    else cb();
  }
  get data(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Deterministic test records: varied sizes and timestamps. */
function makeRecords(n: number, maxLen: number, seed = 7): PcapRecord[] {
  let x = seed;
  const rand = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 4294967296;
  };
  const out: PcapRecord[] = [];
  let ts = 1_710_234_000_000_000_000n;
  for (let i = 0; i < n; i++) {
    const len = 1 + Math.floor(rand() * maxLen);
    const data = Buffer.alloc(len, i & 0xff);
    if (len >= 4) data.writeUInt32BE(i, 0);
    ts += BigInt(1 + Math.floor(rand() * 5_000_000));
    out.push({ ts, data });
  }
  return out;
}

function tshark(args: string[]): string {
  return execFileSync(TSHARK, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

describe('global header', () => {
  it.each([
    { nanosecond: false, bigEndian: false, magic: 'd4c3b2a1' },
    { nanosecond: true, bigEndian: false, magic: '4d3cb2a1' },
    { nanosecond: false, bigEndian: true, magic: 'a1b2c3d4' },
    { nanosecond: true, bigEndian: true, magic: 'a1b23c4d' },
  ])('nanosecond=$nanosecond bigEndian=$bigEndian', ({ nanosecond, bigEndian, magic }) => {
    const buf = buildPcap([], { linkType: LinkType.LINUX_SLL, snapLen: 65535, nanosecond, bigEndian });
    expect(buf.length).toBe(24);
    expect(buf.subarray(0, 4).toString('hex')).toBe(magic);
    const { header, records } = parsePcap(buf);
    expect(header).toEqual({
      littleEndian: !bigEndian,
      nanosecond,
      versionMajor: 2,
      versionMinor: 4,
      thiszone: 0,
      sigfigs: 0,
      snapLen: 65535,
      network: 113,
    });
    expect(records).toEqual([]);
    expect(pcapGlobalHeader({ linkType: LinkType.LINUX_SLL, snapLen: 65535, nanosecond, bigEndian })).toEqual(buf);
  });

  it('exact bytes for the default (little-endian, microsecond, snaplen 262144)', () => {
    expect(pcapGlobalHeader({ linkType: LinkType.ETHERNET }).toString('hex')).toBe(
      'd4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + '00000400' + '01000000',
    );
  });

  it('rejects bad options', () => {
    expect(() => buildPcap([], { linkType: -1 })).toThrow(RangeError);
    expect(() => buildPcap([], { linkType: 1, snapLen: 0 })).toThrow(RangeError);
  });
});

describe('records', () => {
  const ts = 1_710_234_000_123_456_789n;

  it.each([
    { nanosecond: false, bigEndian: false },
    { nanosecond: true, bigEndian: false },
    { nanosecond: false, bigEndian: true },
    { nanosecond: true, bigEndian: true },
  ])('round-trip nanosecond=$nanosecond bigEndian=$bigEndian', ({ nanosecond, bigEndian }) => {
    const data = Buffer.from('0123456789abcdef', 'hex');
    const buf = buildPcap([{ ts, data }, { ts: ts + 1000n, data: Buffer.alloc(0) }], { linkType: 1, nanosecond, bigEndian });
    const { records } = parsePcap(buf);
    expect(records).toHaveLength(2);
    expect(records[0].ts).toBe(nanosecond ? ts : 1_710_234_000_123_456_000n);
    expect(records[0].inclLen).toBe(8);
    expect(records[0].origLen).toBe(8);
    expect(records[0].data).toEqual(data);
    expect(records[1].inclLen).toBe(0);
    // The exact record header fields.
    const r32 = (o: number): number => (bigEndian ? buf.readUInt32BE(o) : buf.readUInt32LE(o));
    expect(r32(24)).toBe(1_710_234_000);
    expect(r32(28)).toBe(nanosecond ? 123_456_789 : 123_456);
  });

  it('cuts records at the snap length and keeps the wire length', () => {
    const data = Buffer.alloc(100, 0xab);
    const { records } = parsePcap(
      buildPcap(
        [
          { ts, data },
          { ts, data: data.subarray(0, 40), origLen: 1514 },
        ],
        { linkType: 1, snapLen: 64 },
      ),
    );
    expect(records.map((r) => [r.inclLen, r.origLen])).toEqual([
      [64, 100],
      [40, 1514],
    ]);
    expect(records[0].data).toEqual(data.subarray(0, 64));
  });

  it('rejects impossible lengths and timestamps', () => {
    const data = Buffer.alloc(10);
    expect(() => buildPcap([{ ts, data, origLen: 5 }], { linkType: 1 })).toThrow(RangeError);
    expect(() => buildPcap([{ ts: -1n, data }], { linkType: 1 })).toThrow(RangeError);
    expect(() => buildPcap([{ ts: 2n ** 32n * 1_000_000_000n, data }], { linkType: 1 })).toThrow(RangeError);
  });
});

describe('PcapWriter', () => {
  it('streams exactly what buildPcap builds, across batch boundaries and oversized records', async () => {
    const records = makeRecords(500, 3000);
    records.splice(250, 0, { ts: records[249].ts + 1n, data: Buffer.alloc(10_000, 0x5a) }); // > batch
    const opts = { linkType: LinkType.ETHERNET, nanosecond: true, bigEndian: true };
    const sink = new Collector(1 << 30);
    const w = new PcapWriter(sink, { ...opts, batchSize: 4096 });
    for (const r of records) w.write(r.ts, r.data, r.origLen);
    expect(w.recordCount).toBe(records.length);
    await w.close();
    const expected = buildPcap(records, opts);
    expect(w.byteCount).toBe(expected.length);
    expect(sink.data.equals(expected)).toBe(true);
    expect(sink.chunks.length).toBeGreaterThan(10);
    expect(() => w.write(1n, Buffer.alloc(1))).toThrow(/after close/);
  });

  it('reports backpressure and writes everything when the caller waits for drain', async () => {
    const records = makeRecords(3000, 1500, 3);
    const sink = new Collector(1024, true);
    const w = new PcapWriter(sink, { linkType: LinkType.ETHERNET });
    let pressured = 0;
    for (const r of records) {
      if (!w.write(r.ts, r.data)) {
        pressured++;
        await w.drain();
      }
    }
    await w.close();
    expect(pressured).toBeGreaterThan(0);
    expect(sink.data.equals(buildPcap(records, { linkType: LinkType.ETHERNET }))).toBe(true);
  });

  it('close writes everything even when the caller ignored backpressure', async () => {
    const records = makeRecords(3000, 1500, 4);
    const sink = new Collector(1024, true);
    const w = new PcapWriter(sink, { linkType: LinkType.RAW, snapLen: 1000 });
    let refused = 0;
    for (const r of records) if (!w.write(r.ts, r.data)) refused++;
    expect(refused).toBeGreaterThan(0);
    await w.close();
    await w.close(); // idempotent
    expect(sink.data.equals(buildPcap(records, { linkType: LinkType.RAW, snapLen: 1000 }))).toBe(true);
  });

  it('writes to a path and closes the file', async () => {
    const file = join(dir, 'path.pcap');
    const records = makeRecords(200, 2000, 5);
    const w = new PcapWriter(file, { linkType: LinkType.ETHERNET });
    for (const r of records) w.write(r.ts, r.data);
    await w.close();
    expect(readFileSync(file).equals(buildPcap(records, { linkType: LinkType.ETHERNET }))).toBe(true);
  });

  it('an empty capture is just the global header', async () => {
    const sink = new Collector();
    const w = new PcapWriter(sink, { linkType: LinkType.IPV4, nanosecond: true });
    await w.drain();
    await w.close();
    expect(sink.data).toEqual(pcapGlobalHeader({ linkType: LinkType.IPV4, nanosecond: true }));
  });

  it('rejects close when the stream fails', async () => {
    const w = new PcapWriter(join(dir, 'no', 'such', 'dir', 'x.pcap'), { linkType: 1 });
    w.write(1n, Buffer.alloc(10));
    await expect(w.close()).rejects.toThrow(/ENOENT/);
  });
});

describe('packet builder', () => {
  const payload = Buffer.from('EHLO client.example.org\r\n');

  it('builds a well-formed Ethernet/IPv4/TCP frame', () => {
    const f = ethernetIPv4Tcp({
      src: '10.1.2.3',
      dst: '192.0.2.25',
      srcPort: 40000,
      dstPort: 25,
      seq: 0xfffffff0 + 0x20, // wraps
      ack: 7,
      flags: 0x18,
      window: 502,
      payload,
      ipId: 0x1234,
    });
    expect(f.length).toBe(14 + 20 + 20 + payload.length);
    expect(f.readUInt16BE(12)).toBe(0x0800);
    expect(f.subarray(0, 12)).toEqual(Buffer.alloc(12));
    expect(f[14]).toBe(0x45);
    expect(f.readUInt16BE(16)).toBe(20 + 20 + payload.length);
    expect(f.readUInt16BE(18)).toBe(0x1234);
    expect(internetChecksum(f, 14, 34)).toBe(0); // header checksum verifies
    expect(f.readUInt32BE(38)).toBe(0x10);
    expect(f[46] >> 4).toBe(5);
    expect(f.subarray(54).toString()).toBe(payload.toString());
  });

  it('builds IPv6 frames and SYN options', () => {
    const f = ethernetIPv6Tcp({
      src: '2001:db8::1',
      dst: parseIPv6('2001:db8:0:25::25'),
      srcPort: 50000,
      dstPort: 587,
      seq: 1,
      ack: 0,
      flags: 0x02,
      window: 64240,
      options: { mss: 1460, sackPermitted: true, windowScale: 7 },
      srcMac: Buffer.from('020000000001', 'hex'),
    });
    expect(f.readUInt16BE(12)).toBe(0x86dd);
    expect(f.subarray(6, 12).toString('hex')).toBe('020000000001');
    expect(f.readUInt16BE(18)).toBe(32);
    expect(f[54 + 12] >> 4).toBe(8);
    expect(f.subarray(74, 86).toString('hex')).toBe('020405b4' + '01010402' + '01030307');
    expect(parseIPv6('::ffff:192.0.2.1').toString('hex')).toBe('00000000000000000000ffffc0000201');
    expect(() => parseIPv6('1::2::3')).toThrow();
  });

  it.runIf(existsSync(TSHARK))('tshark reads buildPcap output: lengths, checksums, options, timestamps', () => {
    const ts = 1_710_234_000_000_000_000n;
    const frames = [
      ethernetIPv4Tcp({ src: '10.0.0.1', dst: '192.0.2.25', srcPort: 40000, dstPort: 25, seq: 100, ack: 0, flags: 0x02, window: 64240, options: { mss: 1460, sackPermitted: true, windowScale: 7 } }),
      ethernetIPv4Tcp({ src: '192.0.2.25', dst: '10.0.0.1', srcPort: 25, dstPort: 40000, seq: 900, ack: 101, flags: 0x12, window: 65160, options: { mss: 1460, windowScale: 7 } }),
      ethernetIPv4Tcp({ src: '10.0.0.1', dst: '192.0.2.25', srcPort: 40000, dstPort: 25, seq: 101, ack: 901, flags: 0x18, window: 502, payload: Buffer.from('odd!!') }),
      ethernetIPv6Tcp({ src: '2001:db8::1', dst: '2001:db8::2', srcPort: 40001, dstPort: 143, seq: 5, ack: 6, flags: 0x18, window: 502, payload: Buffer.from('a1 LOGOUT\r\n') }),
      ethernetIPv6Tcp({ src: '2001:db8::1', dst: '2001:db8::2', srcPort: 40001, dstPort: 143, seq: 16, ack: 6, flags: 0x10, window: 502, payload: Buffer.alloc(1448, 0x41) }),
    ];
    for (const nanosecond of [false, true]) {
      const file = join(dir, `tshark-${nanosecond ? 'ns' : 'us'}.pcap`);
      const records: PcapRecord[] = frames.map((data, i) => ({ ts: ts + BigInt(i) * 1_234_567n, data }));
      records.push({ ts: ts + 10_000_000n, data: frames[4].subarray(0, 96), origLen: frames[4].length });
      writeFileSync(file, buildPcap(records, { linkType: LinkType.ETHERNET, nanosecond, bigEndian: nanosecond }));
      const out = tshark(['-r', file, '-T', 'fields', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'frame.time_epoch']).trim().split('\n');
      expect(out.map((l) => l.split('\t')[0])).toEqual(records.map((r) => String(r.origLen ?? r.data.length)));
      expect(out.map((l) => l.split('\t')[1])).toEqual(records.map((r) => String(r.data.length)));
      expect(out[1].split('\t')[2]).toBe(nanosecond ? '1710234000.001234567' : '1710234000.001234000');
    }
    const file = join(dir, 'tshark-us.pcap');
    const checks = tshark([
      '-r', file, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-Y', 'frame.number <= 5',
      '-T', 'fields', '-E', 'occurrence=f', '-e', 'ip.checksum.status', '-e', 'tcp.checksum.status', '-e', 'tcp.len', '-e', 'tcp.options.mss_val', '-e', 'tcp.options.wscale.shift',
    ]).replace(/\n$/, '').split('\n');
    expect(checks).toEqual(['1\t1\t0\t1460\t7', '1\t1\t0\t1460\t7', '1\t1\t5\t\t', '\t1\t11\t\t', '\t1\t1448\t\t']);
  });
});
