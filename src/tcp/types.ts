/**
 * The TCP reassembly stage's output: per connection, per direction, ordered
 * bytes, explicit gaps where bytes never arrived, and the symptoms an engineer
 * checks first. Later stages see only these events.
 */

/** 0: client to server; 1: server to client. */
export type Direction = 0 | 1;
export const CLIENT: Direction = 0;
export const SERVER: Direction = 1;

export interface Endpoint {
  ip: string;
  port: number;
}

/** The Ethernet (MAC) addresses of the two ends, as "00:1a:2b:3c:4d:5e", from the connection's first frame. */
export interface EthernetPair {
  client: string;
  server: string;
}

/** How the client and server of a connection were told apart. */
export type RoleEvidence =
  /** The SYN (or SYN-ACK) was seen. */
  | 'syn'
  /** No handshake seen; one side uses a well-known server port. */
  | 'port'
  /** Neither: the first sender is taken as the client. */
  | 'first-sender';

/** Counters that match Wireshark's tcp.analysis flags where one exists. */
export interface TcpStats {
  /** Segments carrying only bytes already seen (tcp.analysis.retransmission). */
  retransmissions: number;
  /** Segments that arrived after a later one and filled a hole (tcp.analysis.out_of_order). */
  outOfOrder: number;
  /** Holes the capture never filled: explicit gap events (tcp.analysis.lost_segment, as a whole gap). */
  gaps: number;
  /** Bytes in those holes. */
  gapBytes: number;
  /** Segments advertising a zero window (tcp.analysis.zero_window). */
  zeroWindows: number;
  /** Segments with RST. */
  resets: number;
  /** Segments with FIN, re-sent ones included (tcp.flags.fin; a re-sent FIN is also a retransmission). */
  fins: number;
}

export type TcpAnomalyKind =
  /** Bytes that never arrived; the stream carries on after them. */
  | 'tcp.gap'
  /** A retransmission or overlapping segment carried different bytes for the same sequence numbers; the first copy is kept. */
  | 'tcp.overlap_conflict'
  /** The out-of-order buffer reached its bound, so the missing bytes before it were given up as a gap. */
  | 'tcp.buffer_limit'
  /** The connection was picked up without its handshake. */
  | 'tcp.midstream'
  /** Payload was cut by the capture's snap length. */
  | 'tcp.snaplen'
  /** The connection table was full: this, the least recently active connection, was closed early. */
  | 'tcp.evicted';

export interface TcpAnomaly {
  kind: TcpAnomalyKind;
  /** One line, for people. */
  detail: string;
  /** Frame number where it was noticed. */
  frame: number;
  direction?: Direction;
}

/** Why a connection's stream ended. */
export type CloseReason = 'fin' | 'rst' | 'end' | 'reused' | 'idle' | 'evicted';

/** What the reassembler tells the stage after it. */
export interface StreamListener {
  /** A new connection (first packet seen). */
  open?(conn: ConnectionInfo): void;
  /**
   * In-order bytes of one direction. `data` may be a view into a capture read
   * buffer: copy what you keep. `ts` and `frame` are those of the segment that
   * carried these bytes.
   */
  data(conn: ConnectionInfo, dir: Direction, data: Buffer, ts: bigint, frame: number): void;
  /** `length` bytes of this direction never arrived; data after it continues the stream. */
  gap(conn: ConnectionInfo, dir: Direction, length: number, ts: bigint, frame: number): void;
  /** The connection is over; no more events for it. */
  close(conn: ConnectionInfo, reason: CloseReason): void;
  anomaly?(conn: ConnectionInfo, anomaly: TcpAnomaly): void;
}

/** What later stages may read about a connection. */
export interface ConnectionInfo {
  /** 0-based, in order of first packet: the same number tshark gives as tcp.stream. */
  readonly id: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly ipVersion: 4 | 6;
  /** The MAC addresses, when the link is Ethernet; else undefined. */
  readonly eth: EthernetPair | undefined;
  readonly roleEvidence: RoleEvidence;
  readonly firstTs: bigint;
  readonly lastTs: bigint;
  readonly firstFrame: number;
  readonly lastFrame: number;
  /** Segments seen, both directions. */
  readonly packets: number;
  /** Stream bytes delivered per direction (excludes gaps and retransmissions). */
  readonly bytes: readonly [number, number];
  readonly stats: Readonly<TcpStats>;
  /**
   * A slot for the listener's own state of this connection, undefined until
   * it sets one; the TCP stage never reads it. (A map from connection ids
   * to states costs tens of thousands of entries in a flood, and a look-up
   * per event.)
   */
  listenerState: unknown;
}
