/** Small byte-array builders for the packet-decoding tests. */

import type { Frame } from '../../src/capture/frame.js';

export type Bytes = number[] | Uint8Array | Buffer;

export function cat(...parts: Bytes[]): Buffer {
  return Buffer.concat(parts.map((p) => Buffer.from(p as Uint8Array)));
}

export function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

export function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

let nextIndex = 1;

export function frame(linkType: number, data: Bytes, opts: { index?: number; ts?: bigint; origLen?: number } = {}): Frame {
  const buf = Buffer.from(data as Uint8Array);
  return {
    index: opts.index ?? nextIndex++,
    ts: opts.ts ?? 1_000_000_000n,
    linkType,
    data: buf,
    origLen: opts.origLen ?? buf.length,
  };
}

export function ip4addr(s: string): number[] {
  return s.split('.').map(Number);
}

/** Full or ::-compressed IPv6 text to 16 bytes (test-side only). */
export function ip6addr(s: string): number[] {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out: number[] = [];
  for (const g of groups) out.push(...u16(parseInt(g, 16)));
  return out;
}

export interface TcpOpts {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  window?: number;
  options?: number[];
  payload?: Bytes;
  /** Override the data-offset field (in 32-bit words). */
  dataOffsetWords?: number;
}

export function tcp(o: TcpOpts = {}): Buffer {
  const options = o.options ?? [];
  while (options.length % 4 !== 0) options.push(0);
  const words = o.dataOffsetWords ?? 5 + options.length / 4;
  const hdr = [
    ...u16(o.sport ?? 1234),
    ...u16(o.dport ?? 25),
    ...u32(o.seq ?? 1000),
    ...u32(o.ack ?? 0),
    (words << 4) & 0xf0,
    o.flags ?? 0x18,
    ...u16(o.window ?? 8192),
    0, 0, // checksum
    0, 0, // urgent
    ...options,
  ];
  return cat(hdr, o.payload ?? []);
}

export interface Ip4Opts {
  src?: string;
  dst?: string;
  proto?: number;
  id?: number;
  mf?: boolean;
  df?: boolean;
  /** Fragment offset in bytes (multiple of 8). */
  fragOffset?: number;
  options?: number[];
  /** Override the total-length field. */
  totalLength?: number;
  /** Override the IHL field (32-bit words). */
  ihl?: number;
  ttl?: number;
}

export function ipv4(payload: Bytes, o: Ip4Opts = {}): Buffer {
  const options = o.options ?? [];
  while (options.length % 4 !== 0) options.push(0);
  const hlen = 20 + options.length;
  const p = Buffer.from(payload as Uint8Array);
  const flags = (o.mf ? 0x2000 : 0) | (o.df ? 0x4000 : 0) | ((o.fragOffset ?? 0) >> 3);
  const hdr = [
    0x40 | ((o.ihl ?? hlen / 4) & 0x0f),
    0,
    ...u16(o.totalLength ?? hlen + p.length),
    ...u16(o.id ?? 0x1234),
    ...u16(flags),
    o.ttl ?? 64,
    o.proto ?? 6,
    0, 0, // checksum (not validated)
    ...ip4addr(o.src ?? '10.0.0.1'),
    ...ip4addr(o.dst ?? '10.0.0.2'),
    ...options,
  ];
  return cat(hdr, p);
}

export interface Ip6Opts {
  src?: string;
  dst?: string;
  /** Next header of the fixed header. */
  nh?: number;
  /** Override the payload-length field. */
  payloadLength?: number;
}

export function ipv6(payload: Bytes, o: Ip6Opts = {}): Buffer {
  const p = Buffer.from(payload as Uint8Array);
  const hdr = [
    0x60, 0, 0, 0,
    ...u16(o.payloadLength ?? p.length),
    o.nh ?? 6,
    64,
    ...ip6addr(o.src ?? '2001:db8::1'),
    ...ip6addr(o.dst ?? '2001:db8::2'),
  ];
  return cat(hdr, p);
}

/** Generic IPv6 extension header (hop-by-hop, routing, destination options): padded to 8n bytes with PadN. */
export function ext6(nh: number, body: number[] = []): Buffer {
  const total = Math.max(8, Math.ceil((2 + body.length) / 8) * 8);
  const pad = total - 2 - body.length;
  const padding = pad === 0 ? [] : pad === 1 ? [0] : [1, pad - 2, ...Array(pad - 2).fill(0)];
  return cat([nh, total / 8 - 1, ...body, ...padding]);
}

export function frag6(nh: number, offset: number, more: boolean, id: number): Buffer {
  return cat([nh, 0, ...u16(offset | (more ? 1 : 0)), ...u32(id)]);
}

export function eth(type: number, payload: Bytes, vlans: { tpid: number; vid: number }[] = []): Buffer {
  const tags: number[] = [];
  for (const v of vlans) tags.push(...u16(v.tpid), ...u16(v.vid));
  return cat(
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
    tags,
    u16(type),
    payload,
  );
}

export function sll(protocol: number, payload: Bytes): Buffer {
  return cat([0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0], u16(protocol), payload);
}

export function sll2(protocol: number, payload: Bytes): Buffer {
  return cat(u16(protocol), [0, 0], u32(2), [0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0], payload);
}
