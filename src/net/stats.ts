/**
 * Counters kept by the packet decoder, for the CLI's summary.
 *
 * Every frame lands in exactly one of: segments, nonIp, nonTcp, malformed,
 * unsupportedLinkTypes, or "fragment held for reassembly" (counted only in
 * fragments). fragments counts every frame that carried an IP fragment,
 * including the one that completed a datagram (which is also in segments).
 */
export class DecodeStats {
  /** Frames given to decode(). */
  frames = 0;
  /** TCP segments returned. */
  segments = 0;
  /** Segments returned with truncated set (cut by the snap length). */
  truncatedSegments = 0;
  /** Frames carrying something other than IPv4/IPv6 (ARP, LLDP, ...). */
  nonIp = 0;
  /** IP packets (or reassembled datagrams, or fragments of them) that are not TCP: UDP, ICMP, ESP, ... */
  nonTcp = 0;
  /** Frames carrying an IP fragment. */
  fragments = 0;
  /** Fragmented datagrams completed. */
  reassembledDatagrams = 0;
  /** Pending fragmented datagrams dropped because the reassembly timeout passed. */
  expiredDatagrams = 0;
  /** Pending fragmented datagrams dropped to stay within the memory limits. */
  evictedDatagrams = 0;
  /** Frames (or reassembled datagrams) that could not be decoded; see notes for reasons. */
  malformed = 0;
  /** Frames of a link type the decoder does not handle: link type -> frame count. */
  readonly unsupportedLinkTypes = new Map<number, number>();
}

/** One malformed-frame detail for the CLI. */
export interface DecodeNote {
  /** Frame number (1-based). */
  frame: number;
  /** One-line reason, e.g. "IPv4 header length 16 < 20 (IHL 4)". */
  reason: string;
}
