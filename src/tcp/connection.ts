/**
 * One TCP connection: its two half streams, who is client and server, and its
 * symptom counters. Turns half-stream releases into listener events.
 */
import type { Segment } from '../net/segment.js';
import { TcpFlag } from '../net/segment.js';
import { HalfStream, rel, type HalfStreamSink } from './half-stream.js';
import type {
  CloseReason, ConnectionInfo, Direction, Endpoint, RoleEvidence, StreamListener, TcpStats,
} from './types.js';

export class Connection implements ConnectionInfo, HalfStreamSink {
  readonly halves: [HalfStream, HalfStream];
  readonly stats: TcpStats = { retransmissions: 0, outOfOrder: 0, gaps: 0, gapBytes: 0, zeroWindows: 0, resets: 0 };
  readonly bytes: [number, number] = [0, 0];
  firstTs: bigint;
  lastTs: bigint;
  firstFrame: number;
  lastFrame: number;
  packets = 0;
  /** Initial sequence number of the client's SYN, to tell a retransmitted SYN from a new connection. */
  clientIsn = -1;
  closed = false;
  /** Bit 0: the client sent a packet; bit 1: the server did. */
  private spoke = 0;
  private midstreamNoted = false;

  // Bookkeeping of the connection table (connection-table.ts): whether it is filed there, and its place in an activity list.
  tracked = false;
  prevActive: Connection | null = null;
  nextActive: Connection | null = null;
  inEstablished = false;

  constructor(
    readonly id: number,
    readonly client: Endpoint,
    readonly server: Endpoint,
    readonly ipVersion: 4 | 6,
    readonly roleEvidence: RoleEvidence,
    first: Segment,
    private readonly listener: StreamListener,
    maxBuffered: number,
  ) {
    this.firstTs = this.lastTs = first.ts;
    this.firstFrame = this.lastFrame = first.frame;
    this.halves = [new HalfStream(0, this, maxBuffered), new HalfStream(1, this, maxBuffered)];
  }

  /** Direction of a segment in this connection. */
  directionOf(seg: Segment): Direction {
    return seg.srcPort === this.client.port && seg.src === this.client.ip ? 0 : 1;
  }

  /** The segment is of this connection, in either direction. */
  hasEndpoints(seg: Segment): boolean {
    const c = this.client;
    const s = this.server;
    if (seg.srcPort === c.port) return seg.dstPort === s.port && seg.src === c.ip && seg.dst === s.ip;
    return seg.srcPort === s.port && seg.dstPort === c.port && seg.src === s.ip && seg.dst === c.ip;
  }

  /** Both sides have sent at least one packet (a SYN-ACK counts): not a mere attempt. */
  get bothSpoke(): boolean {
    return this.spoke === 3;
  }

  segment(seg: Segment, dir: Direction): void {
    this.packets++;
    this.spoke |= 1 << dir;
    this.lastTs = seg.ts;
    this.lastFrame = seg.frame;
    // Late packets of a closed connection (the last ACK, a repeated RST) belong to it but carry no new stream.
    if (this.closed) return;
    const half = this.halves[dir];
    const other = this.halves[dir ^ 1];
    const flags = seg.flags;

    if (flags & TcpFlag.RST) this.stats.resets++;
    else if (seg.window === 0 && !(flags & (TcpFlag.SYN | TcpFlag.FIN))) this.stats.zeroWindows++;

    let seq = seg.seq;
    if (flags & TcpFlag.SYN) {
      if (dir === 0 && this.clientIsn === -1) this.clientIsn = seq;
      if (half.nextSeq !== -1 && rel(seq + 1, half.nextSeq) === 0) this.stats.retransmissions++;
      half.syn(seq);
      if (seg.windowScale >= 0) half.windowScale = seg.windowScale;
      seq = (seq + 1) >>> 0; // data on a SYN (TCP Fast Open) starts after it
    }

    if (seg.payload.length > 0) {
      if (half.nextSeq === -1 && !this.midstreamNoted && this.roleEvidence !== 'syn') {
        this.midstreamNoted = true;
        this.listener.anomaly?.(this, { kind: 'tcp.midstream', detail: 'connection picked up without its handshake', frame: seg.frame, direction: dir });
      }
      if (seg.truncated) {
        this.listener.anomaly?.(this, { kind: 'tcp.snaplen', detail: 'payload cut by the capture snap length', frame: seg.frame, direction: dir });
      }
      const arrival = half.segment(seq, seg.payload, seg.ts, seg.frame);
      if (arrival === 'retransmission') this.stats.retransmissions++;
      else if (arrival === 'out-of-order') this.stats.outOfOrder++;
    }

    if (flags & TcpFlag.FIN) half.fin((seq + seg.payload.length) >>> 0, seg.frame, seg.ts);
    if (flags & TcpFlag.ACK) other.acked(seg.ack, seg.ts, seg.frame);
  }

  /** Both directions have seen their FIN and released everything before it. */
  get finished(): boolean {
    return this.halves[0].finished && this.halves[1].finished;
  }

  close(reason: CloseReason): void {
    if (this.closed) return;
    this.halves[0].flush(this.lastTs, this.lastFrame);
    this.halves[1].flush(this.lastTs, this.lastFrame);
    this.closed = true;
    this.listener.close(this, reason);
  }

  // HalfStreamSink

  deliver(dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    this.bytes[dir] += data.length;
    this.listener.data(this, dir, data, ts, frame);
  }

  gap(dir: Direction, length: number, ts: bigint, frame: number): void {
    this.stats.gaps++;
    this.stats.gapBytes += length;
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
