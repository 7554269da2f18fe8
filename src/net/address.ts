/**
 * Address formatting for the decoding hot path: IPv4 dotted quad and IPv6 in
 * RFC 5952 canonical form, built without regexes, with a small direct-mapped
 * cache per formatter so a busy flow's addresses are formatted once and the
 * same string instance is handed out again (cheap map keys downstream).
 */

const DEC: string[] = [];
for (let i = 0; i < 256; i++) DEC.push(String(i));

/** Format 4 bytes at buf[off..off+4) as a dotted quad (no cache, no bounds check). */
export function ipv4ToString(buf: Uint8Array, off: number): string {
  // join() makes one flat string; '+' would make a tree of seven cons strings, and
  // every connection keeps its addresses (a flood of a million connections keeps them all).
  return [DEC[buf[off]], DEC[buf[off + 1]], DEC[buf[off + 2]], DEC[buf[off + 3]]].join('.');
}

/**
 * Format 16 bytes at buf[off..off+16) in RFC 5952 canonical form: lowercase
 * hex, no leading zeros, the longest run of two or more all-zero groups
 * replaced by "::" (the first such run on a tie), and IPv4-mapped addresses
 * (::ffff:0:0/96) in mixed notation ::ffff:a.b.c.d. No cache, no bounds check.
 */
export function ipv6ToString(buf: Uint8Array, off: number): string {
  // Longest zero run (length >= 2), first on a tie.
  let bestStart = -1;
  let bestLen = 1;
  let runStart = -1;
  for (let g = 0; g < 8; g++) {
    const p = off + g * 2;
    if (buf[p] === 0 && buf[p + 1] === 0) {
      if (runStart < 0) runStart = g;
      const len = g - runStart + 1;
      if (len > bestLen) {
        bestLen = len;
        bestStart = runStart;
      }
    } else {
      runStart = -1;
    }
  }
  // IPv4-mapped: 0:0:0:0:0:ffff:a.b.c.d
  if (bestStart === 0 && bestLen === 5 && buf[off + 10] === 0xff && buf[off + 11] === 0xff) {
    return '::ffff:' + ipv4ToString(buf, off + 12);
  }
  const parts: string[] = [];
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      parts.push('::');
      g += bestLen - 1;
      continue;
    }
    if (parts.length !== 0 && g !== bestStart + bestLen) parts.push(':');
    const p = off + g * 2;
    parts.push(((buf[p] << 8) | buf[p + 1]).toString(16));
  }
  return parts.join(''); // one flat string, as in ipv4ToString
}

const V4_SLOTS = 256;
const V6_SLOTS = 256;

/**
 * Cached formatter for one decoder. Direct-mapped: each address hashes to one
 * slot, a hit costs a hash, one or four integer compares and no allocation.
 */
export class AddressFormatter {
  private readonly v4Keys = new Int32Array(V4_SLOTS);
  private readonly v4Vals: (string | undefined)[] = new Array<string | undefined>(V4_SLOTS).fill(undefined);
  private readonly v6Keys = new Int32Array(V6_SLOTS * 4);
  private readonly v6Vals: (string | undefined)[] = new Array<string | undefined>(V6_SLOTS).fill(undefined);

  /** Dotted quad of buf[off..off+4). The caller guarantees the 4 bytes exist. */
  v4(buf: Uint8Array, off: number): string {
    const k = (buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3];
    const slot = (k ^ (k >>> 8) ^ (k >>> 16) ^ (k >>> 24)) & (V4_SLOTS - 1);
    const hit = this.v4Vals[slot];
    if (hit !== undefined && this.v4Keys[slot] === k) return hit;
    const s = ipv4ToString(buf, off);
    this.v4Keys[slot] = k;
    this.v4Vals[slot] = s;
    return s;
  }

  /** RFC 5952 text of buf[off..off+16). The caller guarantees the 16 bytes exist. */
  v6(buf: Uint8Array, off: number): string {
    const a = (buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3];
    const b = (buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7];
    const c = (buf[off + 8] << 24) | (buf[off + 9] << 16) | (buf[off + 10] << 8) | buf[off + 11];
    const d = (buf[off + 12] << 24) | (buf[off + 13] << 16) | (buf[off + 14] << 8) | buf[off + 15];
    let h = a ^ b ^ c ^ d;
    h ^= h >>> 16;
    h ^= h >>> 8;
    const slot = h & (V6_SLOTS - 1);
    const hit = this.v6Vals[slot];
    const keys = this.v6Keys;
    const kb = slot * 4;
    if (hit !== undefined && keys[kb] === a && keys[kb + 1] === b && keys[kb + 2] === c && keys[kb + 3] === d) {
      return hit;
    }
    const s = ipv6ToString(buf, off);
    keys[kb] = a;
    keys[kb + 1] = b;
    keys[kb + 2] = c;
    keys[kb + 3] = d;
    this.v6Vals[slot] = s;
    return s;
  }
}
