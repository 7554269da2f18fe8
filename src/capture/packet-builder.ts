/**
 * Builders for Ethernet II + IPv4/IPv6 + TCP frames, for tests and the
 * benchmark capture generator. Each call allocates exactly one Buffer (the
 * frame); addresses may be passed pre-parsed (parseIPv4/parseIPv6) so hot
 * loops do no string work.
 */

/** An address as text ("10.0.0.1", "2001:db8::1") or as its 4 / 16 raw bytes. */
export type IpAddress = string | Uint8Array;

export interface TcpOptionsSpec {
  /** Maximum segment size (kind 2). */
  mss?: number;
  /** Window scale shift (kind 3). */
  windowScale?: number;
  /** SACK permitted (kind 4). */
  sackPermitted?: boolean;
  /** Timestamps (kind 8): [TSval, TSecr]. */
  timestamps?: readonly [number, number];
}

export interface TcpFrameSpec {
  src: IpAddress;
  dst: IpAddress;
  srcPort: number;
  dstPort: number;
  /** Sequence number (taken modulo 2^32). */
  seq: number;
  /** Acknowledgement number (taken modulo 2^32). */
  ack: number;
  /** TCP flag bits (TcpFlag in src/net/segment.ts). */
  flags: number;
  /** Raw 16-bit window field. */
  window: number;
  payload?: Uint8Array;
  /** IPv4 identification field (default 0). Ignored for IPv6. */
  ipId?: number;
  /** IPv4 TTL / IPv6 hop limit (default 64). */
  ttl?: number;
  /** 6 bytes; default all zero. */
  srcMac?: Uint8Array;
  /** 6 bytes; default all zero. */
  dstMac?: Uint8Array;
  /** TCP options; without them the data offset is 5. */
  options?: TcpOptionsSpec;
  /** Compute the TCP checksum (default true); when false the field is 0. */
  tcpChecksum?: boolean;
}

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERNET_HEADER_LEN = 14;
export const IPV4_HEADER_LEN = 20;
export const IPV6_HEADER_LEN = 40;
export const TCP_HEADER_LEN = 20;
const IPPROTO_TCP = 6;

const EMPTY = new Uint8Array(0);

/** Parse a dotted quad into 4 bytes. Throws on malformed input. */
export function parseIPv4(text: string): Buffer {
  const parts = text.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address: ${text}`);
  const out = Buffer.allocUnsafe(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new Error(`invalid IPv4 address: ${text}`);
    out[i] = Number(p);
  }
  return out;
}

/** Parse an IPv6 address (with "::" compression and an optional dotted-quad tail) into 16 bytes. */
export function parseIPv6(text: string): Buffer {
  const bad = (): never => {
    throw new Error(`invalid IPv6 address: ${text}`);
  };
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const words: number[] = [];
  const parseGroups = (part: string): number[] => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) bad();
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) bad();
    const head = parseGroups(s.slice(0, dbl));
    const tail = parseGroups(s.slice(dbl + 2));
    if (head.length + tail.length > 7) bad();
    words.push(...head);
    for (let i = head.length + tail.length; i < 8; i++) words.push(0);
    words.push(...tail);
  } else {
    words.push(...parseGroups(s));
    if (words.length !== 8) bad();
  }
  const out = Buffer.allocUnsafe(16);
  for (let i = 0; i < 8; i++) out.writeUInt16BE(words[i], i * 2);
  return out;
}

/** Parse either family: text containing ':' is IPv6. */
export function parseIp(text: string): Buffer {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}

function toBytes(addr: IpAddress, len: 4 | 16): Uint8Array {
  const b = typeof addr === 'string' ? (len === 4 ? parseIPv4(addr) : parseIPv6(addr)) : addr;
  if (b.length !== len) throw new Error(`expected a ${len}-byte address, got ${b.length} bytes`);
  return b;
}

/** Number of option bytes encodeTcpOptions writes (always a multiple of 4). */
export function tcpOptionsLength(o: TcpOptionsSpec | undefined): number {
  if (!o) return 0;
  let n = 0;
  if (o.mss !== undefined) n += 4;
  if (o.sackPermitted || o.timestamps) n += o.timestamps ? 12 : 4;
  if (o.windowScale !== undefined) n += 4;
  return n;
}

/** Encode options Linux-style (MSS, SACK_PERM, TS, NOP, WS), NOP-padded to 4-byte words. */
function encodeTcpOptions(buf: Buffer, off: number, o: TcpOptionsSpec): number {
  const start = off;
  if (o.mss !== undefined) {
    buf[off++] = 2;
    buf[off++] = 4;
    buf.writeUInt16BE(o.mss & 0xffff, off);
    off += 2;
  }
  if (o.timestamps) {
    if (o.sackPermitted) {
      buf[off++] = 4;
      buf[off++] = 2;
    } else {
      buf[off++] = 1;
      buf[off++] = 1;
    }
    buf[off++] = 8;
    buf[off++] = 10;
    buf.writeUInt32BE(o.timestamps[0] >>> 0, off);
    buf.writeUInt32BE(o.timestamps[1] >>> 0, off + 4);
    off += 8;
  } else if (o.sackPermitted) {
    buf[off++] = 1;
    buf[off++] = 1;
    buf[off++] = 4;
    buf[off++] = 2;
  }
  if (o.windowScale !== undefined) {
    buf[off++] = 1;
    buf[off++] = 3;
    buf[off++] = 3;
    buf[off++] = o.windowScale & 0xff;
  }
  return off - start;
}

/** Unfolded 16-bit big-endian sum of buf[start, end) (an odd last byte is padded with zero). */
function sum16(buf: Uint8Array, start: number, end: number): number {
  let s = 0;
  let i = start;
  const even = end - ((end - start) & 1);
  // Sum 16-bit words; s stays far below 2^53 for any frame size.
  for (; i + 8 <= even; i += 8) {
    s += ((buf[i] << 8) | buf[i + 1]) + ((buf[i + 2] << 8) | buf[i + 3]) + ((buf[i + 4] << 8) | buf[i + 5]) + ((buf[i + 6] << 8) | buf[i + 7]);
  }
  for (; i < even; i += 2) s += (buf[i] << 8) | buf[i + 1];
  if (even !== end) s += buf[end - 1] << 8;
  return s;
}

function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/** RFC 1071 Internet checksum of buf[start, end) plus an initial (unfolded) sum. */
export function internetChecksum(buf: Uint8Array, start = 0, end = buf.length, initial = 0): number {
  return ~fold(sum16(buf, start, end) + initial) & 0xffff;
}

function writeEthernet(buf: Buffer, spec: TcpFrameSpec, etherType: number): void {
  if (spec.dstMac) buf.set(spec.dstMac.subarray(0, 6), 0);
  else buf.fill(0, 0, 6);
  if (spec.srcMac) buf.set(spec.srcMac.subarray(0, 6), 6);
  else buf.fill(0, 6, 12);
  buf.writeUInt16BE(etherType, 12);
}

/** Write the TCP header (and options) at off; the checksum field is left 0. Returns header length. */
function writeTcp(buf: Buffer, off: number, spec: TcpFrameSpec, optLen: number): number {
  const hlen = TCP_HEADER_LEN + optLen;
  buf.writeUInt16BE(spec.srcPort & 0xffff, off);
  buf.writeUInt16BE(spec.dstPort & 0xffff, off + 2);
  buf.writeUInt32BE(spec.seq >>> 0, off + 4);
  buf.writeUInt32BE(spec.ack >>> 0, off + 8);
  buf[off + 12] = (hlen / 4) << 4;
  buf[off + 13] = spec.flags & 0xff;
  buf.writeUInt16BE(spec.window & 0xffff, off + 14);
  buf.writeUInt32BE(0, off + 16); // checksum + urgent pointer
  if (optLen) encodeTcpOptions(buf, off + TCP_HEADER_LEN, spec.options!);
  return hlen;
}

/** Ethernet II / IPv4 (no options, DF set) / TCP frame. */
export function ethernetIPv4Tcp(spec: TcpFrameSpec): Buffer {
  const src = toBytes(spec.src, 4);
  const dst = toBytes(spec.dst, 4);
  const payload = spec.payload ?? EMPTY;
  const optLen = tcpOptionsLength(spec.options);
  const tcpLen = TCP_HEADER_LEN + optLen + payload.length;
  const ipLen = IPV4_HEADER_LEN + tcpLen;
  if (ipLen > 0xffff) throw new RangeError(`IPv4 packet too long: ${ipLen}`);
  const buf = Buffer.allocUnsafe(ETHERNET_HEADER_LEN + ipLen);
  writeEthernet(buf, spec, ETHERTYPE_IPV4);

  const ip = ETHERNET_HEADER_LEN;
  buf[ip] = 0x45;
  buf[ip + 1] = 0;
  buf.writeUInt16BE(ipLen, ip + 2);
  buf.writeUInt16BE((spec.ipId ?? 0) & 0xffff, ip + 4);
  buf.writeUInt16BE(0x4000, ip + 6); // DF, offset 0
  buf[ip + 8] = spec.ttl ?? 64;
  buf[ip + 9] = IPPROTO_TCP;
  buf.writeUInt16BE(0, ip + 10);
  buf.set(src, ip + 12);
  buf.set(dst, ip + 16);
  buf.writeUInt16BE(internetChecksum(buf, ip, ip + IPV4_HEADER_LEN), ip + 10);

  const tcp = ip + IPV4_HEADER_LEN;
  const hlen = writeTcp(buf, tcp, spec, optLen);
  if (payload.length) buf.set(payload, tcp + hlen);
  if (spec.tcpChecksum !== false) {
    // Pseudo-header: src, dst, zero, protocol, TCP length.
    const pseudo = sum16(buf, ip + 12, ip + 20) + IPPROTO_TCP + tcpLen;
    buf.writeUInt16BE(internetChecksum(buf, tcp, tcp + tcpLen, pseudo), tcp + 16);
  }
  return buf;
}

/** Ethernet II / IPv6 (no extension headers) / TCP frame. */
export function ethernetIPv6Tcp(spec: TcpFrameSpec): Buffer {
  const src = toBytes(spec.src, 16);
  const dst = toBytes(spec.dst, 16);
  const payload = spec.payload ?? EMPTY;
  const optLen = tcpOptionsLength(spec.options);
  const tcpLen = TCP_HEADER_LEN + optLen + payload.length;
  if (tcpLen > 0xffff) throw new RangeError(`IPv6 payload too long: ${tcpLen}`);
  const buf = Buffer.allocUnsafe(ETHERNET_HEADER_LEN + IPV6_HEADER_LEN + tcpLen);
  writeEthernet(buf, spec, ETHERTYPE_IPV6);

  const ip = ETHERNET_HEADER_LEN;
  buf.writeUInt32BE(0x60000000, ip); // version 6, traffic class 0, flow label 0
  buf.writeUInt16BE(tcpLen, ip + 4);
  buf[ip + 6] = IPPROTO_TCP;
  buf[ip + 7] = spec.ttl ?? 64;
  buf.set(src, ip + 8);
  buf.set(dst, ip + 24);

  const tcp = ip + IPV6_HEADER_LEN;
  const hlen = writeTcp(buf, tcp, spec, optLen);
  if (payload.length) buf.set(payload, tcp + hlen);
  if (spec.tcpChecksum !== false) {
    // Pseudo-header: src, dst, 32-bit length, 3 zero bytes, next header.
    const pseudo = sum16(buf, ip + 8, ip + 40) + tcpLen + IPPROTO_TCP;
    buf.writeUInt16BE(internetChecksum(buf, tcp, tcp + tcpLen, pseudo), tcp + 16);
  }
  return buf;
}

/** Pick the IPv4 or IPv6 builder from the address form (4/16 bytes, or text with ':'). */
export function ethernetTcp(spec: TcpFrameSpec): Buffer {
  const v6 = typeof spec.src === 'string' ? spec.src.includes(':') : spec.src.length === 16;
  return v6 ? ethernetIPv6Tcp(spec) : ethernetIPv4Tcp(spec);
}
