import { describe, it, expect } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { PacketDecoder } from '../../src/net/decoder.js';
import { cat, eth, ext6, frag6, frame, ipv6, tcp, u32 } from './helpers.js';

describe('IPv6', () => {
  it('plain TCP', () => {
    const d = new PacketDecoder();
    const s = d.decode(frame(LinkType.ETHERNET, eth(0x86dd, ipv6(tcp({ sport: 993, dport: 50000, seq: 0xfffffffe })))));
    expect(s).not.toBeNull();
    expect(s!.ipVersion).toBe(6);
    expect(s!.src).toBe('2001:db8::1');
    expect(s!.dst).toBe('2001:db8::2');
    expect(s!.seq).toBe(0xfffffffe);
  });

  it('hop-by-hop + destination options before TCP', () => {
    const d = new PacketDecoder();
    const body = cat(
      ext6(60, [5, 2, 0, 0]), // hop-by-hop: router alert, next = dest opts
      ext6(6, new Array(12).fill(0).map((_, i) => (i === 0 ? 1 : i === 1 ? 10 : 0))), // dest opts: PadN 12 -> 16 bytes
      tcp({ sport: 587, payload: Buffer.from('220 ok\r\n') }),
    );
    const s = d.decode(frame(LinkType.RAW, ipv6(body, { nh: 0, src: 'fe80::1', dst: 'ff02::1:ff00:1' })));
    expect(s).not.toBeNull();
    expect(s!.srcPort).toBe(587);
    expect(s!.payload.toString()).toBe('220 ok\r\n');
    expect(s!.src).toBe('fe80::1');
    expect(s!.dst).toBe('ff02::1:ff00:1');
  });

  it('routing header and AH (length in 4-byte units + 2)', () => {
    const d = new PacketDecoder();
    const ah = cat([6, 4], [0, 0], u32(0x100), u32(1), new Array(12).fill(0)); // (4 + 2) * 4 = 24 bytes
    const body = cat(ext6(51, [0, 0, 0, 0, 0, 0]), ah, tcp({ sport: 110 }));
    const s = d.decode(frame(LinkType.RAW, ipv6(body, { nh: 43 })));
    expect(s).not.toBeNull();
    expect(s!.srcPort).toBe(110);
  });

  it('ESP and no-next-header end decoding as non-TCP', () => {
    const d = new PacketDecoder();
    expect(d.decode(frame(LinkType.RAW, ipv6(cat(u32(1), u32(1), new Array(32).fill(0)), { nh: 50 })))).toBeNull();
    expect(d.decode(frame(LinkType.RAW, ipv6(cat(ext6(59)), { nh: 60 })))).toBeNull();
    expect(d.decode(frame(LinkType.RAW, ipv6([0, 53, 0, 53, 0, 8, 0, 0], { nh: 17 })))).toBeNull();
    expect(d.stats.nonTcp).toBe(3);
    expect(d.stats.malformed).toBe(0);
  });

  it('trims padding after the payload length', () => {
    const d = new PacketDecoder();
    const s = d.decode(frame(LinkType.ETHERNET, eth(0x86dd, cat(ipv6(tcp({ payload: Buffer.from('ab') })), [0, 0, 0, 0]))));
    expect(s!.payload.toString()).toBe('ab');
  });

  it('fragments reassemble (out of order), with a destination header in the fragmentable part', () => {
    const d = new PacketDecoder();
    const payload = Buffer.from('X'.repeat(100));
    const fragmentable = cat(ext6(6), tcp({ sport: 25, dport: 4444, seq: 9, payload }));
    const id = 0xdeadbeef;
    const f1 = ipv6(cat(frag6(60, 0, true, id), fragmentable.subarray(0, 64)), { nh: 44 });
    const f2 = ipv6(cat(frag6(60, 64, false, id), fragmentable.subarray(64)), { nh: 44 });
    expect(d.decode(frame(LinkType.RAW, f2, { index: 10 }))).toBeNull();
    expect(d.pendingDatagrams).toBe(1);
    const s = d.decode(frame(LinkType.RAW, f1, { index: 11 }));
    expect(s).not.toBeNull();
    expect(s!.frame).toBe(11);
    expect(s!.ipVersion).toBe(6);
    expect(s!.srcPort).toBe(25);
    expect(s!.dstPort).toBe(4444);
    expect(s!.payload.equals(payload)).toBe(true);
    expect(d.stats.fragments).toBe(2);
    expect(d.stats.reassembledDatagrams).toBe(1);
  });

  it('hop-by-hop before the fragment header', () => {
    const d = new PacketDecoder();
    const fragmentable = tcp({ sport: 143, payload: Buffer.alloc(40, 0x61) });
    const f1 = ipv6(cat(ext6(44), frag6(6, 0, true, 7), fragmentable.subarray(0, 32)), { nh: 0 });
    const f2 = ipv6(cat(ext6(44), frag6(6, 32, false, 7), fragmentable.subarray(32)), { nh: 0 });
    expect(d.decode(frame(LinkType.RAW, f1))).toBeNull();
    const s = d.decode(frame(LinkType.RAW, f2));
    expect(s!.srcPort).toBe(143);
    expect(s!.payload.length).toBe(40);
  });

  it('an atomic fragment (offset 0, no MF) is decoded directly', () => {
    const d = new PacketDecoder();
    const s = d.decode(frame(LinkType.RAW, ipv6(cat(frag6(6, 0, false, 1), tcp({ sport: 995 })), { nh: 44 })));
    expect(s!.srcPort).toBe(995);
    expect(d.stats.fragments).toBe(0);
  });

  it('UDP fragments are not buffered', () => {
    const d = new PacketDecoder();
    d.decode(frame(LinkType.RAW, ipv6(cat(frag6(17, 0, true, 1), new Array(16).fill(0)), { nh: 44 })));
    expect(d.pendingDatagrams).toBe(0);
    expect(d.stats.nonTcp).toBe(1);
  });

  it('IPv4-mapped addresses print in mixed form', () => {
    const d = new PacketDecoder();
    const s = d.decode(frame(LinkType.RAW, ipv6(tcp(), { src: '::ffff:c000:201' })));
    expect(s!.src).toBe('::ffff:192.0.2.1');
  });
});
