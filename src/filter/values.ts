/**
 * Runtime values of filter fields and literals, and how they compare.
 * Numbers, strings and booleans are plain JavaScript values; IP addresses
 * are {family, n} with the address as a bigint, so that equality, ordering
 * and CIDR membership are arithmetic.
 */
import { isIPv6 } from 'node:net';

export interface Ip {
  family: 4 | 6;
  n: bigint;
}

export type Value = number | string | boolean | Ip;

/** A CIDR range literal: 10.0.0.0/8, 2001:db8::/32. */
export interface Cidr {
  family: 4 | 6;
  /** The network address with the host bits cleared. */
  net: bigint;
  prefix: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIpv4(text: string): Ip | null {
  const m = V4.exec(text);
  if (!m) return null;
  let n = 0n;
  for (let k = 1; k <= 4; k++) {
    const b = Number(m[k]);
    if (b > 255) return null;
    n = (n << 8n) | BigInt(b);
  }
  return { family: 4, n };
}

export function parseIpv6(text: string): Ip | null {
  if (!text.includes(':') || !isIPv6(text)) return null;
  let s = text;
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two hex groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const v4 = parseIpv4(tail[1]);
    if (!v4) return null;
    const hi = Number(v4.n >> 16n).toString(16);
    const lo = Number(v4.n & 0xffffn).toString(16);
    s = s.slice(0, tail.index) + `${hi}:${lo}`;
  }
  const [head, rest] = s.split('::');
  const h = head ? head.split(':') : [];
  const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest === undefined ? h : [...h, ...new Array<string>(8 - h.length - r.length).fill('0'), ...r];
  if (groups.length !== 8) return null;
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(parseInt(g, 16));
  return { family: 6, n };
}

export function parseIp(text: string): Ip | null {
  return parseIpv4(text) ?? parseIpv6(text);
}

/** "10.0.0.0/8" -> a range; null when the text is not an address with a valid prefix. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(text.slice(0, slash));
  const p = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(p)) return null;
  const prefix = Number(p);
  const bits = ip.family === 4 ? 32 : 128;
  if (prefix > bits) return null;
  return { family: ip.family, net: ip.n & mask(bits, prefix), prefix };
}

function mask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

export function inCidr(ip: Ip, c: Cidr): boolean {
  if (ip.family !== c.family) return false;
  const bits = ip.family === 4 ? 32 : 128;
  return (ip.n & mask(bits, c.prefix)) === c.net;
}

export function isIp(v: Value): v is Ip {
  return typeof v === 'object';
}

/** Equality across every value kind (addresses by family and number). */
export function equal(a: Value, b: Value): boolean {
  if (typeof a === 'object' && typeof b === 'object') return a.family === b.family && a.n === b.n;
  return a === b;
}

/** Ordering: -1, 0, 1; NaN when the two cannot be ordered (different address families). */
export function order(a: Value, b: Value): number {
  if (typeof a === 'object' && typeof b === 'object') {
    if (a.family !== b.family) return NaN;
    return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export function formatIp(ip: Ip): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip.n >> s) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((ip.n >> s) & 0xffffn).toString(16));
  return groups.join(':');
}
