/**
 * TCP header decoding into a Segment.
 */

import type { Segment } from './segment.js';

/** Scratch for the reason of a failed decodeTcp, reused by one decoder. */
export class TcpError {
  reason = '';
}

/**
 * Window-scale shift from the TCP options in buf[p..end), or -1 when absent.
 * A malformed option list stops the scan (what was found so far stands).
 */
export function tcpWindowScale(buf: Buffer, p: number, end: number): number {
  while (p < end) {
    const kind = buf[p];
    if (kind === 0) return -1; // end of option list
    if (kind === 1) {
      p++; // NOP
      continue;
    }
    if (p + 1 >= end) return -1;
    const len = buf[p + 1];
    if (len < 2 || p + len > end) return -1;
    if (kind === 3) return len === 3 ? buf[p + 2] : -1;
    p += len;
  }
  return -1;
}

/** The payload of every segment that carries none (most of a mail conversation's: handshake, ACKs, FINs). */
const NO_PAYLOAD = Buffer.alloc(0);

/**
 * Decode the TCP segment in buf[off..end). Returns the Segment, whose payload
 * is a view (no copy) of buf, or null with err.reason when the header is
 * malformed or cut short. truncated says the IP layer had fewer bytes than it
 * announced (snap length); it is copied into the Segment.
 */
export function decodeTcp(
  buf: Buffer,
  off: number,
  end: number,
  truncated: boolean,
  frame: number,
  ts: bigint,
  ipVersion: 4 | 6,
  src: string,
  dst: string,
  err: TcpError,
  ethernet: Buffer | null = null,
): Segment | null {
  const len = end - off;
  if (len < 20) {
    err.reason = `TCP header truncated (${len < 0 ? 0 : len} of 20 bytes${truncated ? ', cut by snap length' : ''})`;
    return null;
  }
  const hlen = (buf[off + 12] >> 4) << 2;
  if (hlen < 20) {
    err.reason = `TCP data offset ${hlen} < 20`;
    return null;
  }
  if (hlen > len) {
    err.reason = truncated
      ? `TCP header truncated (data offset ${hlen}, ${len} bytes captured)`
      : `TCP data offset ${hlen} past end of segment (${len} bytes)`;
    return null;
  }
  return {
    frame,
    ts,
    ipVersion,
    src,
    dst,
    srcPort: (buf[off] << 8) | buf[off + 1],
    dstPort: (buf[off + 2] << 8) | buf[off + 3],
    seq: ((buf[off + 4] << 24) | (buf[off + 5] << 16) | (buf[off + 6] << 8) | buf[off + 7]) >>> 0,
    ack: ((buf[off + 8] << 24) | (buf[off + 9] << 16) | (buf[off + 10] << 8) | buf[off + 11]) >>> 0,
    flags: buf[off + 13],
    window: (buf[off + 14] << 8) | buf[off + 15],
    windowScale: hlen > 20 ? tcpWindowScale(buf, off + 20, off + hlen) : -1,
    payload: end > off + hlen ? buf.subarray(off + hlen, end) : NO_PAYLOAD,
    truncated,
    ethernet,
  };
}
