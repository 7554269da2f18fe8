/**
 * A Segment is one TCP segment decoded out of a frame (after IP fragment
 * reassembly): what the TCP reassembly stage consumes.
 */
export interface Segment {
  /** Frame number (1-based) of the frame that completed this segment. */
  frame: number;
  /** Capture time, nanoseconds since the Unix epoch. */
  ts: bigint;
  /** 4 or 6. */
  ipVersion: 4 | 6;
  /** Source address in canonical text form (dotted quad, or RFC 5952 IPv6). */
  src: string;
  /** Destination address in canonical text form. */
  dst: string;
  srcPort: number;
  dstPort: number;
  /** Sequence number, unsigned 32-bit. */
  seq: number;
  /** Acknowledgement number, unsigned 32-bit (meaningful when flags has ACK). */
  ack: number;
  /** TCP flag bits: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80. */
  flags: number;
  /** Window field as in the header (unscaled: the scale is connection state, applied by src/tcp/). */
  window: number;
  /** Window scale shift from this segment's options, or -1 when absent (only SYNs carry it). */
  windowScale: number;
  /** TCP payload. A view into the frame's buffer: copy before keeping it. */
  payload: Buffer;
  /** True when the captured frame was cut short, so payload is shorter than the segment on the wire. */
  truncated: boolean;
  /**
   * The frame's bytes when its link is Ethernet (destination MAC at 0,
   * source at 6), else null: read only when a connection starts, so no
   * address text is made per packet. A view of a read buffer: copy what you keep.
   */
  ethernet: Buffer | null;
}

export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;
