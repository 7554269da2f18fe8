/**
 * The packet decoding stage: Frame -> Segment (or null).
 *
 * Hot path: no closures, no exceptions, no allocation besides the Segment,
 * its payload view and (on a cache miss) address strings. Hostile input never
 * throws: every length is checked against the bytes present, and a bad frame
 * is counted as malformed with a one-line reason.
 */

import { LinkType, type Frame } from '../capture/frame.js';
import type { Segment } from './segment.js';
import { AddressFormatter } from './address.js';
import { FragmentReassembler, MAX_DATAGRAM, DEFAULT_FRAGMENT_LIMITS } from './fragments.js';
import { IPv4Info, parseIPv4 } from './ipv4.js';
import {
  IPv6Info,
  parseIPv6,
  walkIPv6,
  IPPROTO_AH,
  IPPROTO_DSTOPTS,
  IPPROTO_FRAGMENT,
  IPPROTO_HOPOPTS,
  IPPROTO_ROUTING,
  IPPROTO_TCP,
} from './ipv6.js';
import { LinkResult, Net, decodeLink } from './link.js';
import { DecodeStats, type DecodeNote } from './stats.js';
import { TcpError, decodeTcp } from './tcp-header.js';

export interface PacketDecoderOptions {
  /** Max bytes of IP fragment data buffered in total, each held piece charged 64 bytes extra (default 8 MiB). */
  maxFragmentBytes?: number;
  /** Max fragmented datagrams waiting for more fragments (default 4096). */
  maxPendingDatagrams?: number;
  /** Seconds of capture time after its first fragment after which a pending datagram is dropped (default 30). */
  fragmentTimeoutSeconds?: number;
  /** How many malformed-frame notes to keep (default 20). */
  maxNotes?: number;
}

/** Could the fragmentable part that starts with this IPv6 next-header value lead to TCP? */
function mayCarryTcp6(nh: number): boolean {
  return (
    nh === IPPROTO_TCP ||
    nh === IPPROTO_DSTOPTS ||
    nh === IPPROTO_ROUTING ||
    nh === IPPROTO_AH ||
    nh === IPPROTO_HOPOPTS ||
    nh === 135 ||
    nh === 139 ||
    nh === 140
  );
}

export class PacketDecoder {
  /** Counters, updated as frames are decoded. */
  readonly stats = new DecodeStats();
  /** The first few malformed frames with their reasons (at most maxNotes). */
  readonly notes: DecodeNote[] = [];

  private readonly maxNotes: number;
  private readonly addr = new AddressFormatter();
  private readonly reasm: FragmentReassembler;
  private readonly link = new LinkResult();
  private readonly ip4 = new IPv4Info();
  private readonly ip6 = new IPv6Info();
  private readonly tcpErr = new TcpError();

  constructor(options: PacketDecoderOptions = {}) {
    this.maxNotes = options.maxNotes ?? 20;
    this.reasm = new FragmentReassembler({
      maxBytes: options.maxFragmentBytes ?? DEFAULT_FRAGMENT_LIMITS.maxBytes,
      maxDatagrams: options.maxPendingDatagrams ?? DEFAULT_FRAGMENT_LIMITS.maxDatagrams,
      timeoutSeconds: options.fragmentTimeoutSeconds ?? DEFAULT_FRAGMENT_LIMITS.timeoutSeconds,
    });
  }

  /** Fragmented datagrams currently waiting for more fragments. */
  get pendingDatagrams(): number {
    return this.reasm.pendingCount;
  }

  /** Memory charged for buffered fragments: their bytes plus 64 per held piece. */
  get pendingFragmentBytes(): number {
    return this.reasm.bytes;
  }

  /** Drop every pending fragmented datagram (counted in stats.expiredDatagrams); call at the end of a capture. */
  flush(): void {
    this.reasm.flush();
    this.syncFragmentStats();
  }

  /**
   * Decode one frame. Returns the TCP segment it carries or completes, or null
   * when it carries none (non-IP, non-TCP, a fragment waiting for the rest,
   * malformed, unsupported link type); stats says which.
   */
  decode(frame: Frame): Segment | null {
    const stats = this.stats;
    stats.frames++;
    if (this.reasm.pendingCount !== 0) {
      this.reasm.expire(frame.ts);
      this.syncFragmentStats();
    }
    const buf = frame.data;
    const link = this.link;
    const net = decodeLink(frame.linkType, buf, link);
    if (net === Net.IPV4) return this.decodeIPv4(frame, buf, link.offset);
    if (net === Net.IPV6) return this.decodeIPv6(frame, buf, link.offset);
    if (net === Net.OTHER) {
      stats.nonIp++;
      return null;
    }
    if (net === Net.MALFORMED) return this.malformed(frame.index, link.reason);
    const m = stats.unsupportedLinkTypes;
    m.set(frame.linkType, (m.get(frame.linkType) ?? 0) + 1);
    return null;
  }

  private decodeIPv4(frame: Frame, buf: Buffer, off: number): Segment | null {
    const ip = this.ip4;
    if (!parseIPv4(buf, off, ip)) return this.malformed(frame.index, ip.reason);
    const stats = this.stats;
    if (ip.isFragment) {
      stats.fragments++;
      if (ip.protocol !== IPPROTO_TCP) {
        stats.nonTcp++;
        return null;
      }
      return this.fragment4(frame, buf, ip);
    }
    if (ip.protocol !== IPPROTO_TCP) {
      stats.nonTcp++;
      return null;
    }
    const h = ip.header;
    const src = this.addr.v4(buf, h + 12);
    const dst = this.addr.v4(buf, h + 16);
    return this.tcp(frame, buf, ip.payloadStart, ip.payloadEnd, ip.truncated, 4, src, dst);
  }

  private fragment4(frame: Frame, buf: Buffer, ip: IPv4Info): Segment | null {
    const len = ip.payloadEnd - ip.payloadStart;
    if (ip.truncated) {
      return this.malformed(frame.index, 'IPv4 fragment cut by the snap length, cannot reassemble');
    }
    if (ip.fragOffset + len > MAX_DATAGRAM) {
      return this.malformed(frame.index, `IPv4 fragment ends at ${ip.fragOffset + len} > ${MAX_DATAGRAM}`);
    }
    const h = ip.header;
    const key = '4' + buf.toString('latin1', h + 12, h + 20) + String.fromCharCode(ip.protocol, ip.id);
    const whole = this.reasm.add(
      key,
      frame.ts,
      ip.fragOffset,
      ip.moreFragments,
      buf.subarray(ip.payloadStart, ip.payloadEnd),
      ip.protocol,
    );
    this.syncFragmentStats();
    if (whole === null) return null;
    this.stats.reassembledDatagrams++;
    const src = this.addr.v4(buf, h + 12);
    const dst = this.addr.v4(buf, h + 16);
    return this.tcp(frame, whole, 0, whole.length, false, 4, src, dst);
  }

  private decodeIPv6(frame: Frame, buf: Buffer, off: number): Segment | null {
    const ip = this.ip6;
    if (!parseIPv6(buf, off, ip)) return this.malformed(frame.index, ip.reason);
    const stats = this.stats;
    const h = ip.header;
    if (ip.protocol === IPPROTO_TCP) {
      const src = this.addr.v6(buf, h + 8);
      const dst = this.addr.v6(buf, h + 24);
      return this.tcp(frame, buf, ip.payloadStart, ip.payloadEnd, ip.truncated, 6, src, dst);
    }
    if (ip.protocol !== IPPROTO_FRAGMENT) {
      stats.nonTcp++;
      return null;
    }
    // A fragment.
    stats.fragments++;
    if (!mayCarryTcp6(ip.fragNext)) {
      stats.nonTcp++;
      return null;
    }
    const len = ip.payloadEnd - ip.payloadStart;
    if (ip.truncated) {
      return this.malformed(frame.index, 'IPv6 fragment cut by the snap length, cannot reassemble');
    }
    if (ip.fragOffset + len > MAX_DATAGRAM) {
      return this.malformed(frame.index, `IPv6 fragment ends at ${ip.fragOffset + len} > ${MAX_DATAGRAM}`);
    }
    const id = ip.id;
    const key = '6' + buf.toString('latin1', h + 8, h + 40) + String.fromCharCode(id >>> 16, id & 0xffff);
    const whole = this.reasm.add(
      key,
      frame.ts,
      ip.fragOffset,
      ip.moreFragments,
      buf.subarray(ip.payloadStart, ip.payloadEnd),
      ip.fragNext,
    );
    this.syncFragmentStats();
    if (whole === null) return null;
    stats.reassembledDatagrams++;
    if (!walkIPv6(whole, 0, whole.length, this.reasm.lastFirstNext, ip)) {
      return this.malformed(frame.index, 'reassembled ' + ip.reason);
    }
    if (ip.protocol === IPPROTO_FRAGMENT) {
      return this.malformed(frame.index, 'reassembled IPv6 datagram holds another fragment header');
    }
    if (ip.protocol !== IPPROTO_TCP) {
      stats.nonTcp++;
      return null;
    }
    const src = this.addr.v6(buf, h + 8);
    const dst = this.addr.v6(buf, h + 24);
    return this.tcp(frame, whole, ip.payloadStart, whole.length, false, 6, src, dst);
  }

  private tcp(
    frame: Frame,
    buf: Buffer,
    off: number,
    end: number,
    truncated: boolean,
    ipVersion: 4 | 6,
    src: string,
    dst: string,
  ): Segment | null {
    const ethernet = frame.linkType === LinkType.ETHERNET && frame.data.length >= 14 ? frame.data : null;
    const seg = decodeTcp(buf, off, end, truncated, frame.index, frame.ts, ipVersion, src, dst, this.tcpErr, ethernet);
    if (seg === null) return this.malformed(frame.index, this.tcpErr.reason);
    const stats = this.stats;
    stats.segments++;
    if (truncated) stats.truncatedSegments++;
    return seg;
  }

  private malformed(frame: number, reason: string): null {
    this.stats.malformed++;
    if (this.notes.length < this.maxNotes) this.notes.push({ frame, reason });
    return null;
  }

  private syncFragmentStats(): void {
    const r = this.reasm;
    const s = this.stats;
    s.expiredDatagrams = r.expired;
    s.evictedDatagrams = r.evicted;
  }
}
