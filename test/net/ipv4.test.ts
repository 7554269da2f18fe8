import { describe, it, expect } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { PacketDecoder } from '../../src/net/decoder.js';
import { PIECE_OVERHEAD } from '../../src/net/fragments.js';
import { cat, eth, frame, ipv4, tcp, type Ip4Opts } from './helpers.js';

const SEC = 1_000_000_000n;

describe('IPv4', () => {
  it('skips header options', () => {
    const d = new PacketDecoder();
    // Record-route style option (7 bytes) + NOP padding -> IHL 7.
    const pkt = ipv4(tcp({ sport: 1, dport: 2, payload: Buffer.from('hi') }), {
      options: [7, 7, 4, 0, 0, 0, 0, 1],
    });
    expect(pkt[0]).toBe(0x47);
    const s = d.decode(frame(LinkType.ETHERNET, eth(0x0800, pkt)));
    expect(s).not.toBeNull();
    expect(s!.srcPort).toBe(1);
    expect(s!.dstPort).toBe(2);
    expect(s!.payload.toString()).toBe('hi');
  });

  it('trims Ethernet padding (and FCS) using the total length', () => {
    const d = new PacketDecoder();
    const pkt = ipv4(tcp({ flags: 0x10 })); // 40 bytes: Ethernet pads to 60 (+4 FCS)
    const f = eth(0x0800, cat(pkt, new Array(6).fill(0), [0xde, 0xad, 0xbe, 0xef]));
    const s = d.decode(frame(LinkType.ETHERNET, f));
    expect(s).not.toBeNull();
    expect(s!.payload.length).toBe(0);
    expect(s!.truncated).toBe(false);
    expect(s!.flags).toBe(0x10);
  });

  it('takes what there is when the snap length cut the frame, and marks it truncated', () => {
    const d = new PacketDecoder();
    const payload = Buffer.alloc(1000, 0x41);
    const full = eth(0x0800, ipv4(tcp({ payload })));
    const cut = full.subarray(0, 14 + 20 + 20 + 100);
    const s = d.decode(frame(LinkType.ETHERNET, cut, { origLen: full.length }));
    expect(s).not.toBeNull();
    expect(s!.truncated).toBe(true);
    expect(s!.payload.length).toBe(100);
    expect(d.stats.truncatedSegments).toBe(1);
  });

  it('payload is a view into the frame buffer (no copy)', () => {
    const d = new PacketDecoder();
    const f = frame(LinkType.RAW, ipv4(tcp({ payload: Buffer.from('abc') })));
    const s = d.decode(f)!;
    expect(s.payload.buffer).toBe(f.data.buffer);
    expect(s.payload.byteOffset).toBe(f.data.byteOffset + 40);
  });

  it('total length 0 (segmentation offload) means the rest of the frame', () => {
    const d = new PacketDecoder();
    const s = d.decode(frame(LinkType.RAW, ipv4(tcp({ payload: Buffer.from('xyz') }), { totalLength: 0 })));
    expect(s).not.toBeNull();
    expect(s!.payload.toString()).toBe('xyz');
  });

  it('non-TCP protocols are counted as nonTcp', () => {
    const d = new PacketDecoder();
    expect(d.decode(frame(LinkType.RAW, ipv4([0, 53, 0, 53, 0, 8, 0, 0], { proto: 17 })))).toBeNull();
    expect(d.decode(frame(LinkType.RAW, ipv4([8, 0, 0, 0, 0, 0, 0, 0], { proto: 1 })))).toBeNull();
    expect(d.stats.nonTcp).toBe(2);
    expect(d.stats.segments).toBe(0);
  });
});

/** Split a TCP segment into IPv4 fragments at the given byte boundaries. */
function fragments(seg: Buffer, cuts: number[], o: Ip4Opts = {}): Buffer[] {
  const bounds = [0, ...cuts, seg.length];
  const out: Buffer[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    out.push(
      ipv4(seg.subarray(bounds[i], bounds[i + 1]), {
        ...o,
        fragOffset: bounds[i],
        mf: i + 2 < bounds.length,
      }),
    );
  }
  return out;
}

describe('IPv4 fragment reassembly', () => {
  const payload = Buffer.from('MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.net>\r\n');
  const seg = tcp({ sport: 5555, dport: 25, seq: 424242, payload });

  it('in order', () => {
    const d = new PacketDecoder();
    const [a, b, c] = fragments(seg, [24, 48]);
    expect(d.decode(frame(LinkType.RAW, a, { index: 1 }))).toBeNull();
    expect(d.decode(frame(LinkType.RAW, b, { index: 2 }))).toBeNull();
    const s = d.decode(frame(LinkType.RAW, c, { index: 3 }));
    expect(s).not.toBeNull();
    expect(s!.frame).toBe(3);
    expect(s!.seq).toBe(424242);
    expect(s!.srcPort).toBe(5555);
    expect(s!.payload.equals(payload)).toBe(true);
    expect(d.stats.fragments).toBe(3);
    expect(d.stats.reassembledDatagrams).toBe(1);
    expect(d.stats.segments).toBe(1);
    expect(d.pendingDatagrams).toBe(0);
    expect(d.pendingFragmentBytes).toBe(0);
  });

  it('out of order', () => {
    const d = new PacketDecoder();
    const [a, b, c, e] = fragments(seg, [16, 40, 64]);
    expect(d.decode(frame(LinkType.RAW, e))).toBeNull();
    expect(d.decode(frame(LinkType.RAW, b))).toBeNull();
    expect(d.decode(frame(LinkType.RAW, a))).toBeNull();
    const s = d.decode(frame(LinkType.RAW, c));
    expect(s).not.toBeNull();
    expect(s!.payload.equals(payload)).toBe(true);
  });

  it('overlapping fragments: first arrival wins', () => {
    const d = new PacketDecoder();
    const evil = Buffer.from(seg);
    evil.fill(0x58, 30); // different bytes from offset 30 on
    // First: [0, 40) genuine. Then [24, end) forged, overlapping [24, 40).
    const first = ipv4(seg.subarray(0, 40), { mf: true, fragOffset: 0 });
    const second = ipv4(evil.subarray(24), { mf: false, fragOffset: 24 });
    expect(d.decode(frame(LinkType.RAW, first))).toBeNull();
    const s = d.decode(frame(LinkType.RAW, second));
    expect(s).not.toBeNull();
    const expected = Buffer.concat([seg.subarray(0, 40), evil.subarray(40)]);
    expect(s!.payload.equals(expected.subarray(20))).toBe(true);
    // Bytes 30..40 came from the first fragment, not the forged one.
    expect(s!.payload.subarray(10, 20).equals(seg.subarray(30, 40))).toBe(true);
    expect(s!.payload.subarray(20).every((b) => b === 0x58)).toBe(true);
  });

  it('a later last fragment contradicting data already held is not believed', () => {
    const d = new PacketDecoder();
    const [a, b] = fragments(seg, [40]);
    // Bogus "last" fragment claiming the datagram ends at 32, after [0, 40) is held.
    const bogusLast = ipv4(seg.subarray(24, 32), { fragOffset: 24, mf: false });
    expect(d.decode(frame(LinkType.RAW, a))).toBeNull();
    expect(d.decode(frame(LinkType.RAW, bogusLast))).toBeNull();
    const s = d.decode(frame(LinkType.RAW, b));
    expect(s!.payload.equals(payload)).toBe(true);
  });

  it('data past a known end is clipped', () => {
    const d = new PacketDecoder();
    const b = fragments(seg, [40])[1];
    const longer = ipv4(Buffer.concat([seg.subarray(0, 40), Buffer.alloc(64, 0x21)]), { fragOffset: 0, mf: true });
    expect(d.decode(frame(LinkType.RAW, b))).toBeNull(); // end known now
    const s = d.decode(frame(LinkType.RAW, longer)); // covers [0, 104): clipped to the end
    expect(s).not.toBeNull();
    expect(s!.payload.equals(payload)).toBe(true);
  });

  it('a duplicate or fully covered fragment changes nothing', () => {
    const d = new PacketDecoder();
    const [a, b] = fragments(seg, [32]);
    const inner = ipv4(Buffer.alloc(8, 0xff), { mf: true, fragOffset: 8 });
    expect(d.decode(frame(LinkType.RAW, a))).toBeNull();
    expect(d.decode(frame(LinkType.RAW, a))).toBeNull();
    expect(d.decode(frame(LinkType.RAW, inner))).toBeNull();
    const s = d.decode(frame(LinkType.RAW, b));
    expect(s!.payload.equals(payload)).toBe(true);
  });

  it('fragments of different datagrams are kept apart (src, dst, protocol, id)', () => {
    const d = new PacketDecoder();
    const other = tcp({ sport: 6666, payload: Buffer.alloc(payload.length, 0x2e) });
    const [a1, b1] = fragments(seg, [24], { id: 1 });
    const [a2, b2] = fragments(other, [24], { id: 2 });
    const [a3] = fragments(other, [24], { id: 1, src: '10.9.9.9' });
    d.decode(frame(LinkType.RAW, a1));
    d.decode(frame(LinkType.RAW, a2));
    d.decode(frame(LinkType.RAW, a3));
    expect(d.pendingDatagrams).toBe(3);
    const s2 = d.decode(frame(LinkType.RAW, b2))!;
    const s1 = d.decode(frame(LinkType.RAW, b1))!;
    expect(s1.srcPort).toBe(5555);
    expect(s2.srcPort).toBe(6666);
    expect(s1.payload.equals(payload)).toBe(true);
    expect(d.pendingDatagrams).toBe(1);
  });

  it('pending datagrams time out in capture time and are counted', () => {
    const d = new PacketDecoder({ fragmentTimeoutSeconds: 5 });
    const [a, b] = fragments(seg, [24]);
    expect(d.decode(frame(LinkType.RAW, a, { ts: 100n * SEC }))).toBeNull();
    expect(d.pendingDatagrams).toBe(1);
    // An unrelated frame 6 s later expires it.
    d.decode(frame(LinkType.RAW, ipv4(tcp()), { ts: 106n * SEC }));
    expect(d.pendingDatagrams).toBe(0);
    expect(d.stats.expiredDatagrams).toBe(1);
    // The late second half alone does not make a segment.
    expect(d.decode(frame(LinkType.RAW, b, { ts: 106n * SEC }))).toBeNull();
    expect(d.pendingDatagrams).toBe(1);
    expect(d.pendingFragmentBytes).toBe(b.length - 20 + PIECE_OVERHEAD);
  });

  it('within the timeout the datagram completes', () => {
    const d = new PacketDecoder({ fragmentTimeoutSeconds: 5 });
    const [a, b] = fragments(seg, [24]);
    d.decode(frame(LinkType.RAW, a, { ts: 100n * SEC }));
    expect(d.decode(frame(LinkType.RAW, b, { ts: 104n * SEC }))).not.toBeNull();
    expect(d.stats.expiredDatagrams).toBe(0);
  });

  it('flush() drops what is pending', () => {
    const d = new PacketDecoder();
    d.decode(frame(LinkType.RAW, fragments(seg, [24])[0]));
    d.flush();
    expect(d.pendingDatagrams).toBe(0);
    expect(d.stats.expiredDatagrams).toBe(1);
  });

  it('max pending datagrams: the oldest is evicted', () => {
    const d = new PacketDecoder({ maxPendingDatagrams: 2 });
    for (let id = 1; id <= 3; id++) d.decode(frame(LinkType.RAW, fragments(seg, [24], { id })[0]));
    expect(d.pendingDatagrams).toBe(2);
    expect(d.stats.evictedDatagrams).toBe(1);
    // id 1 was evicted: its second half completes nothing; id 3 still completes.
    expect(d.decode(frame(LinkType.RAW, fragments(seg, [24], { id: 1 })[1]))).toBeNull();
    expect(d.decode(frame(LinkType.RAW, fragments(seg, [24], { id: 3 })[1]))).not.toBeNull();
  });

  it('max buffered bytes: the oldest is evicted', () => {
    const one = 24 + PIECE_OVERHEAD;
    const d = new PacketDecoder({ maxFragmentBytes: 2 * one + 10 });
    d.decode(frame(LinkType.RAW, fragments(seg, [24], { id: 1 })[0])); // one
    d.decode(frame(LinkType.RAW, fragments(seg, [24], { id: 2 })[0])); // 2 * one
    d.decode(frame(LinkType.RAW, fragments(seg, [24], { id: 3 })[0])); // 3 * one > limit -> evict id 1
    expect(d.stats.evictedDatagrams).toBe(1);
    expect(d.pendingFragmentBytes).toBe(2 * one);
    expect(d.pendingDatagrams).toBe(2);
  });

  it('non-TCP fragments are not buffered', () => {
    const d = new PacketDecoder();
    d.decode(frame(LinkType.RAW, ipv4(Buffer.alloc(64), { proto: 17, mf: true })));
    expect(d.pendingDatagrams).toBe(0);
    expect(d.stats.fragments).toBe(1);
    expect(d.stats.nonTcp).toBe(1);
  });

  it('many small overlapping fragments in random order reassemble exactly', () => {
    let x = 99;
    const rnd = (n: number) => {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      return (x >> 8) % n;
    };
    const big = tcp({ sport: 2525, payload: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff)) });
    for (let trial = 0; trial < 20; trial++) {
      const d = new PacketDecoder();
      const units = Math.ceil(big.length / 8);
      const frags: Buffer[] = [];
      // Cover every 8-byte unit at least once with random-length, overlapping pieces.
      for (let u = 0; u < units; ) {
        const n = 1 + rnd(12);
        const start = Math.max(0, u - rnd(3)) * 8;
        const end = Math.min(big.length, (u + n) * 8);
        frags.push(ipv4(big.subarray(start, end), { fragOffset: start, mf: end < big.length, id: trial }));
        u += n;
      }
      for (let i = frags.length - 1; i > 0; i--) {
        const j = rnd(i + 1);
        [frags[i], frags[j]] = [frags[j], frags[i]];
      }
      let got = null;
      for (const f of frags) {
        const s = d.decode(frame(LinkType.RAW, f));
        if (s) {
          expect(got).toBeNull();
          got = s;
        }
      }
      expect(got).not.toBeNull();
      expect(got!.payload.equals(big.subarray(20))).toBe(true);
      expect(d.pendingFragmentBytes).toBe(0);
    }
  });

  it('a fragment reaching past 65535 is malformed', () => {
    const d = new PacketDecoder();
    expect(d.decode(frame(LinkType.RAW, ipv4(Buffer.alloc(64), { mf: true, fragOffset: 65528 })))).toBeNull();
    expect(d.stats.malformed).toBe(1);
    expect(d.pendingDatagrams).toBe(0);
  });
});
