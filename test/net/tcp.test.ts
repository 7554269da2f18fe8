import { describe, it, expect } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { PacketDecoder } from '../../src/net/decoder.js';
import { TcpFlag } from '../../src/net/segment.js';
import { tcpWindowScale } from '../../src/net/tcp-header.js';
import { frame, ipv4, tcp } from './helpers.js';

describe('TCP header', () => {
  it('decodes ports, seq/ack (unsigned), flags, window', () => {
    const d = new PacketDecoder();
    const s = d.decode(
      frame(LinkType.RAW, ipv4(tcp({ sport: 65535, dport: 1, seq: 0x80000001, ack: 0xffffffff, flags: 0xff, window: 0xfffe })), {
        index: 7,
        ts: 123n,
      }),
    )!;
    expect(s.frame).toBe(7);
    expect(s.ts).toBe(123n);
    expect(s.srcPort).toBe(65535);
    expect(s.dstPort).toBe(1);
    expect(s.seq).toBe(0x80000001);
    expect(s.ack).toBe(0xffffffff);
    expect(s.flags).toBe(0xff);
    expect(s.window).toBe(0xfffe);
    expect(s.windowScale).toBe(-1);
  });

  it('SYN with MSS, SACK-permitted, timestamps and window scale', () => {
    const d = new PacketDecoder();
    const options = [
      2, 4, 0x05, 0xb4, // MSS 1460
      4, 2, // SACK permitted
      8, 10, 0, 0, 0, 1, 0, 0, 0, 0, // timestamps
      1, // NOP
      3, 3, 7, // window scale 7
    ];
    const s = d.decode(frame(LinkType.RAW, ipv4(tcp({ flags: TcpFlag.SYN, options, payload: Buffer.from('z') }))))!;
    expect(s.windowScale).toBe(7);
    expect(s.flags).toBe(TcpFlag.SYN);
    expect(s.payload.toString()).toBe('z');
  });

  it('window scale 0 is not "absent"', () => {
    expect(tcpWindowScale(Buffer.from([1, 1, 1, 3, 3, 0]), 0, 6)).toBe(0);
  });

  it('options without window scale, EOL, and broken option lists give -1', () => {
    expect(tcpWindowScale(Buffer.from([1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0]), 0, 12)).toBe(-1);
    expect(tcpWindowScale(Buffer.from([0, 3, 3, 7]), 0, 4)).toBe(-1); // after EOL
    expect(tcpWindowScale(Buffer.from([2, 0, 3, 3, 7, 0]), 0, 6)).toBe(-1); // length 0
    expect(tcpWindowScale(Buffer.from([2, 40, 3, 3, 7, 0]), 0, 6)).toBe(-1); // length past end
    expect(tcpWindowScale(Buffer.from([1, 1, 1, 3]), 0, 4)).toBe(-1); // kind without length
    expect(tcpWindowScale(Buffer.from([3, 3]), 0, 2)).toBe(-1); // option cut
  });
});
