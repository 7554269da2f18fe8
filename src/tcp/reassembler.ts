/**
 * TCP reassembly: finds each segment's connection, decides who is the client,
 * and feeds the connection's half streams. Connections are numbered in order
 * of their first packet, as tshark's tcp.stream, and a SYN with a new initial
 * sequence number on a used 4-tuple starts a new connection (port reuse).
 *
 * Memory is bounded: out-of-order bytes per direction (maxBufferedBytes), and
 * finished or idle connections are dropped from the table as capture time
 * passes.
 */
import type { Segment } from '../net/segment.js';
import { TcpFlag } from '../net/segment.js';
import { Connection } from './connection.js';
import type { ConnectionInfo, Endpoint, RoleEvidence, StreamListener } from './types.js';

export interface ReassemblerOptions {
  /** Out-of-order bytes held per direction before the hole is given up as a gap. Default 4 MiB. */
  maxBufferedBytes?: number;
  /** Ports that identify the server when no handshake was seen (the mail ports by default). */
  serverPorts?: ReadonlySet<number>;
  /** Seconds of capture time after which a connection with no packets is closed as idle. 0 = never. Default 0. */
  idleTimeoutSec?: number;
}

export const MAIL_PORTS: ReadonlySet<number> = new Set([25, 465, 587, 2525, 110, 995, 143, 993]);

/** Seconds a closed connection stays in the table, so late packets (a last ACK, a retransmitted FIN) still find it. */
const CLOSED_LINGER_SEC = 120n;
/** How often (in segments) the table is swept for closed and idle connections. */
const SWEEP_EVERY = 1 << 16;

export class Reassembler {
  private readonly table = new Map<string, Connection>();
  private readonly maxBuffered: number;
  private readonly serverPorts: ReadonlySet<number>;
  private readonly idleNs: bigint;
  private nextId = 0;
  private sinceSweep = 0;
  private now = 0n;

  constructor(private readonly listener: StreamListener, options: ReassemblerOptions = {}) {
    this.maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.serverPorts = options.serverPorts ?? MAIL_PORTS;
    this.idleNs = BigInt(Math.round((options.idleTimeoutSec ?? 0) * 1e9));
  }

  /** Connections seen so far (0-based ids are dense: this is also the next id). */
  get connectionCount(): number {
    return this.nextId;
  }

  /** Connections currently in memory. */
  get liveConnections(): number {
    return this.live;
  }

  push(seg: Segment): void {
    this.now = seg.ts;
    // Each connection is in the table under both directions' keys: one key build and one lookup a packet.
    const key = directionKey(seg.src, seg.srcPort, seg.dst, seg.dstPort);
    let conn = this.table.get(key);
    const isSyn = (seg.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN;
    if (conn !== undefined && isSyn && this.startsNewConnection(conn, seg)) {
      conn.close('reused');
      conn = undefined;
    }
    if (conn === undefined) {
      conn = this.create(seg);
      this.table.set(key, conn);
      this.table.set(directionKey(seg.dst, seg.dstPort, seg.src, seg.srcPort), conn);
    }
    conn.segment(seg, conn.directionOf(seg));
    if (!conn.closed && (seg.flags & TcpFlag.RST || conn.finished)) conn.close(seg.flags & TcpFlag.RST ? 'rst' : 'fin');
    if (++this.sinceSweep >= SWEEP_EVERY) this.sweep();
  }

  /** End of capture: closes every connection still open, releasing what it holds. */
  end(): void {
    for (const conn of this.table.values()) conn.close('end');
    this.table.clear();
  }

  /** Connections currently in memory (each is in the table twice). */
  private get live(): number {
    return this.table.size / 2;
  }

  /** A client SYN with a different initial sequence number, on a connection that has closed or already had one. */
  private startsNewConnection(conn: Connection, seg: Segment): boolean {
    if (conn.clientIsn === seg.seq) return false;
    return conn.closed || conn.clientIsn !== -1 || conn.halves[0].finished || conn.halves[1].finished;
  }

  private create(seg: Segment): Connection {
    const src: Endpoint = { ip: seg.src, port: seg.srcPort };
    const dst: Endpoint = { ip: seg.dst, port: seg.dstPort };
    let clientIsSrc: boolean;
    let evidence: RoleEvidence;
    const syn = seg.flags & TcpFlag.SYN;
    if (syn) {
      evidence = 'syn';
      clientIsSrc = !(seg.flags & TcpFlag.ACK);
    } else if (this.serverPorts.has(seg.dstPort) !== this.serverPorts.has(seg.srcPort)) {
      evidence = 'port';
      clientIsSrc = this.serverPorts.has(seg.dstPort);
    } else {
      evidence = 'first-sender';
      clientIsSrc = true;
    }
    const [client, server] = clientIsSrc ? [src, dst] : [dst, src];
    const conn = new Connection(this.nextId++, client, server, seg.ipVersion, evidence, seg, this.listener, this.maxBuffered);
    this.listener.open?.(conn);
    return conn;
  }

  private sweep(): void {
    this.sinceSweep = 0;
    const lingerNs = CLOSED_LINGER_SEC * 1_000_000_000n;
    for (const [key, conn] of this.table) {
      const idle = this.now - conn.lastTs;
      if (conn.closed) {
        if (idle > lingerNs) this.table.delete(key);
      } else if (this.idleNs > 0n && idle > this.idleNs) {
        conn.close('idle');
        this.table.delete(key);
      }
    }
  }
}

/** Key of one direction of a connection. */
function directionKey(src: string, srcPort: number, dst: string, dstPort: number): string {
  return `${src}/${srcPort}>${dst}/${dstPort}`;
}

export type { ConnectionInfo };
