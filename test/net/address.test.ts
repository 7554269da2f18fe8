import { describe, it, expect } from 'vitest';
import { AddressFormatter, ipv4ToString, ipv6ToString } from '../../src/net/address.js';
import { ip6addr } from './helpers.js';

function groups(...g: number[]): Uint8Array {
  const b = new Uint8Array(16);
  g.forEach((v, i) => {
    b[i * 2] = v >> 8;
    b[i * 2 + 1] = v & 0xff;
  });
  return b;
}

describe('IPv4 formatting', () => {
  it('prints dotted quads', () => {
    expect(ipv4ToString(new Uint8Array([10, 0, 0, 1]), 0)).toBe('10.0.0.1');
    expect(ipv4ToString(new Uint8Array([9, 255, 0, 128, 7]), 1)).toBe('255.0.128.7');
    expect(ipv4ToString(new Uint8Array([0, 0, 0, 0]), 0)).toBe('0.0.0.0');
  });
});

describe('IPv6 formatting (RFC 5952)', () => {
  const cases: [Uint8Array, string][] = [
    [groups(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), '2001:db8::1'],
    [groups(0, 0, 0, 0, 0, 0, 0, 1), '::1'],
    [groups(0, 0, 0, 0, 0, 0, 0, 0), '::'],
    [groups(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), '2001:db8::1:0:0:1'],
    [groups(0xfe80, 0, 0, 0, 0, 0, 0, 0), 'fe80::'],
    [groups(0x2001, 0x0db8, 0x00aa, 0x000b, 0x0c00, 0xd00d, 0x00e0, 0x000f), '2001:db8:aa:b:c00:d00d:e0:f'],
    // A single zero group is not compressed.
    [groups(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1), '2001:db8:0:1:1:1:1:1'],
    // Longest run wins over an earlier shorter one.
    [groups(0x2001, 0, 0, 1, 0, 0, 0, 1), '2001:0:0:1::1'],
    // Lowercase hex.
    [groups(0xabcd, 0xef01, 0xffff, 0, 0, 0, 0xa, 0xb), 'abcd:ef01:ffff::a:b'],
    [groups(1, 0, 0, 0, 0, 0, 0, 0), '1::'],
    [groups(0, 0, 1, 0, 0, 0, 0, 0), '0:0:1::'],
    [groups(1, 2, 3, 4, 5, 6, 7, 8), '1:2:3:4:5:6:7:8'],
    // IPv4-mapped in mixed notation.
    [groups(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201), '::ffff:192.0.2.1'],
  ];
  for (const [bytes, text] of cases) {
    it(text, () => {
      expect(ipv6ToString(bytes, 0)).toBe(text);
    });
  }

  it('reads at an offset', () => {
    const b = new Uint8Array(20);
    b.set(ip6addr('2001:db8::7'), 3);
    expect(ipv6ToString(b, 3)).toBe('2001:db8::7');
  });
});

describe('AddressFormatter cache', () => {
  it('returns the same text as the uncached formatters, and the same instance on a hit', () => {
    const f = new AddressFormatter();
    const a = new Uint8Array([192, 168, 1, 20]);
    const s1 = f.v4(a, 0);
    expect(s1).toBe('192.168.1.20');
    expect(f.v4(a, 0)).toBe(s1);
    const b = new Uint8Array(ip6addr('2001:db8::1:0:0:1'));
    expect(f.v6(b, 0)).toBe('2001:db8::1:0:0:1');
    expect(f.v6(b, 0)).toBe('2001:db8::1:0:0:1');
  });

  it('never confuses colliding addresses', () => {
    const f = new AddressFormatter();
    const buf = new Uint8Array(16);
    for (let i = 0; i < 5000; i++) {
      const x = (i * 2654435761) >>> 0;
      buf[0] = x >>> 24;
      buf[1] = (x >>> 16) & 0xff;
      buf[2] = (x >>> 8) & 0xff;
      buf[3] = x & 0xff;
      buf[15] = i & 0xff;
      expect(f.v4(buf, 0)).toBe(ipv4ToString(buf, 0));
      expect(f.v6(buf, 0)).toBe(ipv6ToString(buf, 0));
      // and the previous one is still right if asked again
      expect(f.v4(buf, 0)).toBe(ipv4ToString(buf, 0));
    }
  });
});
