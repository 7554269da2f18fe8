/**
 * A Frame is one captured packet as the capture source hands it on: the bytes
 * as recorded (possibly cut at the snap length), with the time and the link
 * type needed to decode them. Everything after the capture stage starts here.
 */
export interface Frame {
  /** 1-based frame number across the whole (possibly merged) capture, as Wireshark numbers frames. */
  index: number;
  /** Capture time in nanoseconds since the Unix epoch; bigint so ordering is never lossy. */
  ts: bigint;
  /** LINKTYPE_* value from the tcpdump.org registry (1 = Ethernet, 113 = Linux SLL, ...). */
  linkType: number;
  /** The captured bytes. May be a view into a larger read buffer: copy before keeping it. */
  data: Buffer;
  /** Length of the packet on the wire; larger than data.length when the snap length cut it. */
  origLen: number;
}

/** Well-known link types (https://www.tcpdump.org/linktypes.html). */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;
