/**
 * One TCP connection: its two half streams, who is client and server, and its
 * symptom counters. Turns half-stream releases into listener events.
 *
 * Tens of thousands are alive at once in a flood, so a connection is one
 * object of fields: flags in bits, what all connections of a reassembler
 * share (the listener, the bound) in one object, the symptom counters in an
 * object made at the first symptom (`stats` and `bytes` are made when asked
 * for), and a half stream is made when its direction first carries a SYN,
 * data or a FIN (a scanner's connection often has only one).
 */
import type { Segment } from '../net/segment.js';
import { TcpFlag } from '../net/segment.js';
import { HalfStream, rel, type HalfStreamSink } from './half-stream.js';
import type {
  CloseReason, ConnectionInfo, Direction, Endpoint, EthernetPair, RoleEvidence, StreamListener, TcpStats,
} from './types.js';

/** The segment is between these two endpoints, in either direction. */
export function between(seg: Segment, c: Endpoint, s: Endpoint): boolean {
  if (seg.srcPort === c.port) return seg.dstPort === s.port && seg.src === c.ip && seg.dst === s.ip;
  return seg.srcPort === s.port && seg.dstPort === c.port && seg.src === s.ip && seg.dst === c.ip;
}

/** What every connection of one reassembler shares. */
export interface ConnectionContext {
  readonly listener: StreamListener;
  /** Out-of-order bytes held per direction before the hole is given up as a gap. */
  readonly maxBuffered: number;
}

/** `bits`: who spoke, what was noted, and the connection table's flags. */
const CLIENT_SPOKE = 1;
const SERVER_SPOKE = 2;
const MIDSTREAM_NOTED = 4;
/** The client's ISN is known. */
const HAS_ISN = 8;
const CLOSED = 16;
const TRACKED = 32;
const IN_ESTABLISHED = 64;
/** In the table's list of connections that have ended and linger for their last packets. */
const IN_CLOSING = 128;
/** The listener has been told the connection closed. */
const ANNOUNCED = 256;
/** The other side has acknowledged this direction's FIN (client's: 512, server's: 1024). */
const FIN_ACKED_0 = 512;
const FIN_ACKED_1 = 1024;
/** The client has sent payload. */
const CLIENT_DATA = 2048;

const NO_STATS: Readonly<TcpStats> = Object.freeze({ retransmissions: 0, outOfOrder: 0, gaps: 0, gapBytes: 0, zeroWindows: 0, resets: 0, fins: 0 });

export class Connection implements ConnectionInfo, HalfStreamSink {
  firstTs: bigint;
  lastTs: bigint;
  firstFrame: number;
  lastFrame: number;
  packets = 0;
  private bits = 0;
  /** The client's initial sequence number (signed 32-bit), once HAS_ISN. */
  private isn = 0;
  private h0: HalfStream | null = null;
  private h1: HalfStream | null = null;
  private bytes0 = 0;
  private bytes1 = 0;
  /** The symptom counters, once there is one to count. */
  private counters: TcpStats | null = null;
  /** Why it ended, once CLOSED (told to the listener when it is released). */
  private reason: CloseReason = 'end';

  /** ConnectionInfo: the listener's slot. */
  listenerState: unknown = undefined;
  /** ConnectionInfo: the MAC addresses (Ethernet links). */
  eth: EthernetPair | undefined = undefined;

  // Bookkeeping of the connection table (connection-table.ts): the key it is filed under, and its place in an activity list.
  key = -1;
  prevActive: Connection | null = null;
  nextActive: Connection | null = null;

  constructor(
    readonly id: number,
    readonly client: Endpoint,
    readonly server: Endpoint,
    readonly ipVersion: 4 | 6,
    readonly roleEvidence: RoleEvidence,
    first: Segment,
    private readonly context: ConnectionContext,
  ) {
    this.firstTs = this.lastTs = first.ts;
    this.firstFrame = this.lastFrame = first.frame;
  }

  /** HalfStreamSink: the reassembler's bound. */
  get maxBuffered(): number {
    return this.context.maxBuffered;
  }

  private get listener(): StreamListener {
    return this.context.listener;
  }

  /** The connection has ended; later packets are counted, not read. */
  get closed(): boolean {
    return (this.bits & CLOSED) !== 0;
  }

  /**
   * It ended with both FINs, and each has been acknowledged (the last ACK
   * arrived): nothing more is to come, it need not linger.
   */
  get fullyClosed(): boolean {
    return this.reason === 'fin' && (this.bits & (FIN_ACKED_0 | FIN_ACKED_1)) === (FIN_ACKED_0 | FIN_ACKED_1);
  }

  /** Why it ended (meaningful once closed). */
  get endedBy(): CloseReason {
    return this.reason;
  }

  /** In the table's list of ended connections lingering for their last packets. */
  get inClosing(): boolean {
    return (this.bits & IN_CLOSING) !== 0;
  }

  set inClosing(on: boolean) {
    this.bits = on ? this.bits | IN_CLOSING : this.bits & ~IN_CLOSING;
  }

  /** Filed in the connection table. */
  get tracked(): boolean {
    return (this.bits & TRACKED) !== 0;
  }

  set tracked(on: boolean) {
    this.bits = on ? this.bits | TRACKED : this.bits & ~TRACKED;
  }

  /** In the table's list of established connections (else of attempts). */
  get inEstablished(): boolean {
    return (this.bits & IN_ESTABLISHED) !== 0;
  }

  set inEstablished(on: boolean) {
    this.bits = on ? this.bits | IN_ESTABLISHED : this.bits & ~IN_ESTABLISHED;
  }

  private get count(): TcpStats {
    return (this.counters ??= { retransmissions: 0, outOfOrder: 0, gaps: 0, gapBytes: 0, zeroWindows: 0, resets: 0, fins: 0 });
  }

  /** Initial sequence number of the client's SYN, to tell a retransmitted SYN from a new connection; -1 when not seen. */
  get clientIsn(): number {
    return this.bits & HAS_ISN ? this.isn >>> 0 : -1;
  }

  /** The symptom counters (a copy). */
  get stats(): TcpStats {
    return { ...(this.counters ?? NO_STATS) };
  }

  /** Stream bytes delivered per direction. */
  get bytes(): [number, number] {
    return [this.bytes0, this.bytes1];
  }

  /** Direction of a segment in this connection. */
  directionOf(seg: Segment): Direction {
    return seg.srcPort === this.client.port && seg.src === this.client.ip ? 0 : 1;
  }

  /** The segment is of this connection, in either direction. */
  hasEndpoints(seg: Segment): boolean {
    return between(seg, this.client, this.server);
  }

  /**
   * A conversation, not a mere attempt: both sides have sent packets and the
   * client has sent data. In SMTP, POP3 and IMAP the server speaks first, so
   * a client that took the handshake (and the greeting) and never said a
   * word is still an attempt: a scanner, a half-open flood, a slowloris.
   * The table keeps attempts apart (a shorter timeout, evicted first).
   */
  get established(): boolean {
    return (this.bits & (CLIENT_SPOKE | SERVER_SPOKE | CLIENT_DATA)) === (CLIENT_SPOKE | SERVER_SPOKE | CLIENT_DATA);
  }

  /** One direction has seen its FIN and released everything before it. */
  halfFinished(dir: Direction): boolean {
    return (dir === 0 ? this.h0 : this.h1)?.finished ?? false;
  }

  segment(seg: Segment, dir: Direction): void {
    this.packets++;
    this.bits |= dir === 0 ? CLIENT_SPOKE : SERVER_SPOKE;
    this.lastTs = seg.ts;
    this.lastFrame = seg.frame;
    const flags = seg.flags;
    if (flags & TcpFlag.ACK) this.noteFinAck(dir, seg.ack);
    // Late packets of an ended connection (the last ACK, a RST after the FINs, a re-sent SYN that was refused) belong to it but carry no new stream.
    if (this.closed) {
      this.lateSegment(seg, dir);
      return;
    }

    if (flags & TcpFlag.RST) this.count.resets++;
    else if (seg.window === 0 && !(flags & (TcpFlag.SYN | TcpFlag.FIN))) this.count.zeroWindows++;

    let seq = seg.seq;
    let half = dir === 0 ? this.h0 : this.h1;
    if (flags & TcpFlag.SYN) {
      if (dir === 0 && !(this.bits & HAS_ISN)) {
        this.isn = seq | 0;
        this.bits |= HAS_ISN;
      }
      half ??= this.half(dir);
      if (half.started && rel(seq + 1, half.nextSeq) === 0) this.count.retransmissions++;
      half.syn(seq);
      if (seg.windowScale >= 0) half.windowScale = seg.windowScale;
      seq = (seq + 1) >>> 0; // data on a SYN (TCP Fast Open) starts after it
    }

    if (seg.payload.length > 0) {
      if (dir === 0) this.bits |= CLIENT_DATA;
      half ??= this.half(dir);
      if (!half.started && !(this.bits & MIDSTREAM_NOTED) && this.roleEvidence !== 'syn') {
        this.bits |= MIDSTREAM_NOTED;
        this.listener.anomaly?.(this, { kind: 'tcp.midstream', detail: 'connection picked up without its handshake', frame: seg.frame, direction: dir });
      }
      if (seg.truncated) {
        this.listener.anomaly?.(this, { kind: 'tcp.snaplen', detail: 'payload cut by the capture snap length', frame: seg.frame, direction: dir });
      }
      const arrival = half.segment(seq, seg.payload, seg.ts, seg.frame);
      if (arrival === 'retransmission') this.count.retransmissions++;
      else if (arrival === 'out-of-order') this.count.outOfOrder++;
    }

    if (flags & TcpFlag.FIN) {
      const h = half ?? this.half(dir);
      const finSeq = (seq + seg.payload.length) >>> 0;
      // A data segment re-sent with its FIN was counted above.
      this.countFin(h, finSeq, seg.payload.length === 0);
      h.fin(finSeq, seg.frame, seg.ts);
    }
    // The other direction's half stream only cares once it has started.
    if (flags & TcpFlag.ACK) (dir === 0 ? this.h1 : this.h0)?.acked(seg.ack, seg.ts, seg.frame);
  }

  /** Both directions have seen their FIN and released everything before it. */
  get finished(): boolean {
    return this.halfFinished(0) && this.halfFinished(1);
  }

  /**
   * The stream is over (both FINs, a RST): what is held is released and no
   * more bytes are read, but the listener is told only at close(), so that
   * packets still to come (the last ACK, a RST after the FINs, the client's
   * re-sent SYNs to a port that refused it) are counted in the connection,
   * as tshark's tcp.stream has them.
   */
  end(reason: CloseReason): void {
    if (this.closed) return;
    this.h0?.flush(this.lastTs, this.lastFrame);
    this.h1?.flush(this.lastTs, this.lastFrame);
    this.bits |= CLOSED;
    this.reason = reason;
  }

  /** The connection is over: the listener is told, with the reason it ended for (`reason` if it had not). */
  close(reason: CloseReason): void {
    this.end(reason);
    if (this.bits & ANNOUNCED) return;
    this.bits |= ANNOUNCED;
    this.listener.close(this, this.reason);
  }

  /** Counts what a packet after the end shows: a reset, a re-sent SYN or FIN. */
  private lateSegment(seg: Segment, dir: Direction): void {
    const flags = seg.flags;
    if (flags & TcpFlag.RST) this.count.resets++;
    if (flags & TcpFlag.SYN && dir === 0 && this.bits & HAS_ISN && (seg.seq | 0) === this.isn) this.count.retransmissions++;
    if (flags & TcpFlag.FIN) this.countFin(dir === 0 ? this.h0 : this.h1, (seg.seq + seg.payload.length) >>> 0, true);
  }

  /** A FIN (tcp.fins); the same FIN again is a retransmission, as tshark says. */
  private countFin(half: HalfStream | null, finSeq: number, mayRepeat: boolean): void {
    this.count.fins++;
    if (mayRepeat && half !== null && half.hasFin && half.finAt(finSeq)) this.count.retransmissions++;
  }

  /** An ACK from `dir` may acknowledge the other direction's FIN. */
  private noteFinAck(dir: Direction, ack: number): void {
    const other = dir === 0 ? this.h1 : this.h0;
    if (other !== null && other.hasFin && other.finAckedBy(ack)) this.bits |= dir === 0 ? FIN_ACKED_1 : FIN_ACKED_0;
  }

  /** The half stream of a direction, made now if it was not yet. */
  private half(dir: Direction): HalfStream {
    if (dir === 0) return (this.h0 ??= new HalfStream(0, this));
    return (this.h1 ??= new HalfStream(1, this));
  }

  // HalfStreamSink

  deliver(dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    if (dir === 0) this.bytes0 += data.length;
    else this.bytes1 += data.length;
    this.listener.data(this, dir, data, ts, frame);
  }

  gap(dir: Direction, length: number, ts: bigint, frame: number): void {
    const count = this.count;
    count.gaps++;
    count.gapBytes += length;
    this.listener.anomaly?.(this, { kind: 'tcp.gap', detail: `${length} bytes missing from the ${dir === 0 ? 'client' : 'server'}`, frame, direction: dir });
    this.listener.gap(this, dir, length, ts, frame);
  }

  overflow(dir: Direction, held: number, frame: number): void {
    this.listener.anomaly?.(this, {
      kind: 'tcp.buffer_limit',
      detail: `${held} bytes waited behind a hole from the ${dir === 0 ? 'client' : 'server'}: the hole is given up as a gap`,
      frame, direction: dir,
    });
  }

  conflict(dir: Direction, seq: number, length: number, frame: number): void {
    this.listener.anomaly?.(this, {
      kind: 'tcp.overlap_conflict',
      detail: `${length} bytes at seq ${seq} arrived again with different content; the first copy was kept`,
      frame, direction: dir,
    });
  }
}
