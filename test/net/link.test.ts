import { describe, it, expect } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { PacketDecoder } from '../../src/net/decoder.js';
import { cat, eth, frame, ipv4, ipv6, sll, sll2, tcp, u32 } from './helpers.js';

const seg4 = () => ipv4(tcp({ sport: 40000, dport: 25, seq: 77, payload: Buffer.from('EHLO x\r\n') }), { src: '192.0.2.1', dst: '198.51.100.2' });
const seg6 = () => ipv6(tcp({ sport: 40001, dport: 143, seq: 78, payload: Buffer.from('a1 NOOP\r\n') }), { src: '2001:db8::a', dst: 'fe80::1' });

function expect4(d: PacketDecoder, data: Buffer, linkType: number): void {
  const s = d.decode(frame(linkType, data));
  expect(s).not.toBeNull();
  expect(s!.ipVersion).toBe(4);
  expect(s!.src).toBe('192.0.2.1');
  expect(s!.dst).toBe('198.51.100.2');
  expect(s!.srcPort).toBe(40000);
  expect(s!.dstPort).toBe(25);
  expect(s!.seq).toBe(77);
  expect(s!.payload.toString()).toBe('EHLO x\r\n');
  expect(s!.truncated).toBe(false);
}

function expect6(d: PacketDecoder, data: Buffer, linkType: number): void {
  const s = d.decode(frame(linkType, data));
  expect(s).not.toBeNull();
  expect(s!.ipVersion).toBe(6);
  expect(s!.src).toBe('2001:db8::a');
  expect(s!.dst).toBe('fe80::1');
  expect(s!.srcPort).toBe(40001);
  expect(s!.dstPort).toBe(143);
  expect(s!.payload.toString()).toBe('a1 NOOP\r\n');
}

describe('link layers', () => {
  it('Ethernet IPv4 and IPv6', () => {
    const d = new PacketDecoder();
    expect4(d, eth(0x0800, seg4()), LinkType.ETHERNET);
    expect6(d, eth(0x86dd, seg6()), LinkType.ETHERNET);
    expect(d.stats.segments).toBe(2);
  });

  it('Ethernet with a single 802.1Q tag', () => {
    const d = new PacketDecoder();
    expect4(d, eth(0x0800, seg4(), [{ tpid: 0x8100, vid: 42 }]), LinkType.ETHERNET);
  });

  it('Ethernet double tagged (802.1ad outer, 802.1Q inner) and 0x9100', () => {
    const d = new PacketDecoder();
    expect6(d, eth(0x86dd, seg6(), [{ tpid: 0x88a8, vid: 100 }, { tpid: 0x8100, vid: 200 }]), LinkType.ETHERNET);
    expect4(d, eth(0x0800, seg4(), [{ tpid: 0x9100, vid: 1 }, { tpid: 0x8100, vid: 2 }, { tpid: 0x8100, vid: 3 }]), LinkType.ETHERNET);
  });

  it('Ethernet non-IP (ARP, 802.3 length) is counted as nonIp', () => {
    const d = new PacketDecoder();
    expect(d.decode(frame(LinkType.ETHERNET, eth(0x0806, new Array(28).fill(0))))).toBeNull();
    expect(d.decode(frame(LinkType.ETHERNET, eth(0x0030, new Array(48).fill(0))))).toBeNull();
    expect(d.decode(frame(LinkType.ETHERNET, eth(0x0806, [], [{ tpid: 0x8100, vid: 5 }])))).toBeNull();
    expect(d.stats.nonIp).toBe(3);
    expect(d.stats.malformed).toBe(0);
  });

  it('Linux cooked capture v1 and v2', () => {
    const d = new PacketDecoder();
    expect4(d, sll(0x0800, seg4()), LinkType.LINUX_SLL);
    expect6(d, sll(0x86dd, seg6()), LinkType.LINUX_SLL);
    expect4(d, sll2(0x0800, seg4()), LinkType.LINUX_SLL2);
    expect6(d, sll2(0x86dd, seg6()), LinkType.LINUX_SLL2);
    expect(d.decode(frame(LinkType.LINUX_SLL, sll(0x0806, new Array(28).fill(0))))).toBeNull();
    expect(d.decode(frame(LinkType.LINUX_SLL2, sll2(0x0806, new Array(28).fill(0))))).toBeNull();
    expect(d.stats.nonIp).toBe(2);
  });

  it('raw IP (101 by version nibble, 228, 229)', () => {
    const d = new PacketDecoder();
    expect4(d, seg4(), LinkType.RAW);
    expect6(d, seg6(), LinkType.RAW);
    expect4(d, seg4(), LinkType.IPV4);
    expect6(d, seg6(), LinkType.IPV6);
  });

  it('BSD NULL in either byte order, all AF_INET6 values', () => {
    const d = new PacketDecoder();
    expect4(d, cat([2, 0, 0, 0], seg4()), LinkType.NULL); // little-endian host
    expect4(d, cat([0, 0, 0, 2], seg4()), LinkType.NULL); // big-endian host
    for (const af of [24, 28, 30]) {
      expect6(d, cat([af, 0, 0, 0], seg6()), LinkType.NULL);
      expect6(d, cat(u32(af), seg6()), LinkType.NULL);
    }
    expect(d.decode(frame(LinkType.NULL, cat([7, 0, 0, 0], [1, 2, 3])))).toBeNull();
    expect(d.stats.nonIp).toBe(1);
  });

  it('BSD LOOP in network byte order', () => {
    const d = new PacketDecoder();
    expect4(d, cat(u32(2), seg4()), LinkType.LOOP);
    expect6(d, cat(u32(30), seg6()), LinkType.LOOP);
    // LOOP is always network order: little-endian 2 is not AF_INET.
    expect(d.decode(frame(LinkType.LOOP, cat([2, 0, 0, 0], seg4())))).toBeNull();
    expect(d.stats.nonIp).toBe(1);
  });

  it('unsupported link types are counted per type', () => {
    const d = new PacketDecoder();
    expect(d.decode(frame(105, seg4()))).toBeNull(); // 802.11
    expect(d.decode(frame(105, seg4()))).toBeNull();
    expect(d.decode(frame(127, seg4()))).toBeNull(); // radiotap
    expect(d.stats.unsupportedLinkTypes.get(105)).toBe(2);
    expect(d.stats.unsupportedLinkTypes.get(127)).toBe(1);
    expect(d.stats.frames).toBe(3);
    expect(d.stats.malformed).toBe(0);
  });

  it('truncated link headers are malformed, not thrown', () => {
    const d = new PacketDecoder();
    const bad: [number, number[]][] = [
      [LinkType.ETHERNET, [1, 2, 3]],
      [LinkType.ETHERNET, [...new Array(12).fill(0), 0x81, 0x00, 0, 1]], // VLAN tag cut
      [LinkType.LINUX_SLL, new Array(10).fill(0)],
      [LinkType.LINUX_SLL2, new Array(19).fill(0)],
      [LinkType.NULL, [2, 0]],
      [LinkType.LOOP, []],
      [LinkType.RAW, []],
      [LinkType.RAW, [0x50, 0, 0, 0]],
    ];
    for (const [lt, bytes] of bad) expect(d.decode(frame(lt, bytes))).toBeNull();
    expect(d.stats.malformed).toBe(bad.length);
    expect(d.notes.length).toBe(bad.length);
    expect(d.notes[0].reason).toMatch(/Ethernet header truncated/);
  });
});
