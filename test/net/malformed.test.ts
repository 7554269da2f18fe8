import { describe, it, expect } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { PacketDecoder } from '../../src/net/decoder.js';
import { eth, frame, ipv4, ipv6, tcp } from './helpers.js';

describe('malformed input is counted, never thrown', () => {
  it('truncated IPv4 header', () => {
    const d = new PacketDecoder();
    expect(d.decode(frame(LinkType.ETHERNET, eth(0x0800, ipv4(tcp()).subarray(0, 12)), { index: 5 }))).toBeNull();
    expect(d.stats.malformed).toBe(1);
    expect(d.notes).toEqual([{ frame: 5, reason: 'IPv4 header truncated (12 of 20 bytes)' }]);
  });

  it('bad IHL', () => {
    const d = new PacketDecoder();
    expect(d.decode(frame(LinkType.RAW, ipv4(tcp(), { ihl: 4 }), { index: 9 }))).toBeNull();
    expect(d.notes[0].frame).toBe(9);
    expect(d.notes[0].reason).toContain('IPv4 header length 16 < 20');
    // IHL larger than the bytes present
    expect(d.decode(frame(LinkType.RAW, ipv4([], { ihl: 15, totalLength: 60 })))).toBeNull();
    expect(d.stats.malformed).toBe(2);
  });

  it('IPv4 total length < header length', () => {
    const d = new PacketDecoder();
    expect(d.decode(frame(LinkType.RAW, ipv4(tcp(), { totalLength: 10 })))).toBeNull();
    expect(d.stats.malformed).toBe(1);
    expect(d.notes[0].reason).toBe('IPv4 total length 10 < header length 20');
  });

  it('TCP data offset past the end of the segment', () => {
    const d = new PacketDecoder();
    expect(d.decode(frame(LinkType.RAW, ipv4(tcp({ dataOffsetWords: 15 }))))).toBeNull();
    expect(d.notes[0].reason).toBe('TCP data offset 60 past end of segment (20 bytes)');
    expect(d.stats.malformed).toBe(1);
  });

  it('TCP data offset < 5 and TCP header cut short', () => {
    const d = new PacketDecoder();
    expect(d.decode(frame(LinkType.RAW, ipv4(tcp({ dataOffsetWords: 4 }))))).toBeNull();
    expect(d.decode(frame(LinkType.RAW, ipv4(tcp().subarray(0, 12))))).toBeNull();
    expect(d.stats.malformed).toBe(2);
    expect(d.notes[0].reason).toBe('TCP data offset 16 < 20');
    expect(d.notes[1].reason).toMatch(/^TCP header truncated/);
  });

  it('IPv6 header truncated, bad version, extension header past the end', () => {
    const d = new PacketDecoder();
    expect(d.decode(frame(LinkType.IPV6, ipv6(tcp()).subarray(0, 30)))).toBeNull();
    const v = ipv6(tcp());
    v[0] = 0x40;
    expect(d.decode(frame(LinkType.IPV6, v))).toBeNull();
    expect(d.decode(frame(LinkType.IPV6, ipv6([6, 200, 0, 0, 0, 0, 0, 0], { nh: 60 })))).toBeNull();
    expect(d.stats.malformed).toBe(3);
  });

  it('IPv4 version mismatch behind an IPv4 EtherType', () => {
    const d = new PacketDecoder();
    expect(d.decode(frame(LinkType.ETHERNET, eth(0x0800, ipv6(tcp()))))).toBeNull();
    expect(d.notes[0].reason).toBe('IPv4 version field is 6');
  });

  it('notes are bounded', () => {
    const d = new PacketDecoder({ maxNotes: 3 });
    for (let i = 0; i < 10; i++) d.decode(frame(LinkType.RAW, [0x45]));
    expect(d.stats.malformed).toBe(10);
    expect(d.notes.length).toBe(3);
  });

  it('random garbage on every link type never throws', () => {
    const d = new PacketDecoder();
    let x = 12345;
    const rnd = () => {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      return x >> 16;
    };
    const base = [
      eth(0x0800, ipv4(tcp({ options: [3, 3, 2] }))),
      eth(0x86dd, ipv6(tcp())),
      ipv4(tcp(), { mf: true }),
    ];
    const types = [0, 1, 101, 108, 113, 228, 229, 276];
    for (let i = 0; i < 20000; i++) {
      const src = base[i % base.length];
      const len = rnd() % (src.length + 8);
      const buf = Buffer.alloc(len);
      for (let j = 0; j < len; j++) buf[j] = j < src.length && rnd() % 8 !== 0 ? src[j] : rnd() & 0xff;
      expect(() => d.decode(frame(types[i % types.length], buf, { ts: BigInt(i) * 1_000_000n }))).not.toThrow();
    }
    expect(d.stats.frames).toBe(20000);
  });
});
