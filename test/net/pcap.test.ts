import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import type { Frame } from '../../src/capture/frame.js';
import { PacketDecoder } from '../../src/net/decoder.js';
import type { Segment } from '../../src/net/segment.js';

const SMTP_PCAP = '/work/shared/captures/zeek/smtp.pcap';

/** Tiny classic-pcap reader (little-endian, microseconds), enough for this test. */
export function readPcap(path: string): Frame[] {
  const b = readFileSync(path);
  if (b.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error('not a little-endian microsecond pcap');
  const linkType = b.readUInt32LE(20);
  const frames: Frame[] = [];
  let p = 24;
  while (p + 16 <= b.length) {
    const sec = b.readUInt32LE(p);
    const usec = b.readUInt32LE(p + 4);
    const incl = b.readUInt32LE(p + 8);
    const orig = b.readUInt32LE(p + 12);
    p += 16;
    frames.push({
      index: frames.length + 1,
      ts: BigInt(sec) * 1_000_000_000n + BigInt(usec) * 1000n,
      linkType,
      data: b.subarray(p, p + incl),
      origLen: orig,
    });
    p += incl;
  }
  return frames;
}

describe.skipIf(!existsSync(SMTP_PCAP))('real capture: zeek smtp.pcap', () => {
  // Reference numbers from tshark: -Y 'tcp && !icmp' (4 ICMP errors quote a TCP header; they are not segments).
  it('decodes every TCP frame tshark sees', () => {
    const frames = readPcap(SMTP_PCAP);
    expect(frames.length).toBe(125);
    const d = new PacketDecoder();
    const segs: Segment[] = [];
    for (const f of frames) {
      const s = d.decode(f);
      if (s) segs.push(s);
    }
    expect(d.stats.frames).toBe(125);
    expect(d.stats.segments).toBe(118);
    expect(d.stats.nonTcp).toBe(7); // 4 ICMP + 3 UDP
    expect(d.stats.nonIp).toBe(0);
    expect(d.stats.malformed).toBe(0);
    expect(d.notes).toEqual([]);
    expect(segs.reduce((n, s) => n + s.payload.length, 0)).toBe(29126);

    const first = segs[0];
    expect(first.frame).toBe(3);
    expect(first.ipVersion).toBe(4);
    expect(first.src).toBe('10.10.1.4');
    expect(first.dst).toBe('74.53.140.153');
    expect(first.srcPort).toBe(1470);
    expect(first.dstPort).toBe(25);
    expect(first.seq).toBe(2126795696);
    expect(first.ack).toBe(0);
    expect(first.flags).toBe(0x02);
    expect(first.window).toBe(65535);
    expect(first.truncated).toBe(false);

    const second = segs[1];
    expect(second.seq).toBe(2934727087);
    expect(second.ack).toBe(2126795697);
    expect(second.flags).toBe(0x12);
    expect(second.window).toBe(5840);

    const scaled = segs.filter((s) => s.windowScale >= 0).map((s) => [s.frame, s.windowScale]);
    expect(scaled).toEqual([
      [63, 5],
      [64, 7],
      [98, 5],
      [99, 4],
    ]);
  });
});
