/**
 * TCP reassembly: finds each segment's connection, decides who is the client,
 * and feeds the connection's half streams. Connections are numbered in order
 * of their first packet, as tshark's tcp.stream, and a SYN with a new initial
 * sequence number on a used 4-tuple starts a new connection (port reuse).
 *
 * Memory is bounded: out-of-order bytes per direction (maxBufferedBytes), and
 * the connection table's budget (connection-table.ts): closed connections
 * leave at once, quiet ones after a timeout in capture time, and past a cap
 * the least recently active are evicted.
 */
import type { Segment } from '../net/segment.js';
import { TcpFlag } from '../net/segment.js';
import { Connection, type ConnectionContext } from './connection.js';
import { ConnectionTable, connectionKey, DEFAULT_LIMITS, type Expiry, type TableCounters, type TableLimits } from './connection-table.js';
import type { ConnectionInfo, Endpoint, RoleEvidence, StreamListener } from './types.js';

export interface ReassemblerOptions {
  /** Out-of-order bytes held per direction before the hole is given up as a gap. Default 4 MiB. */
  maxBufferedBytes?: number;
  /** Ports that identify the server when no handshake was seen (the mail ports by default). */
  serverPorts?: ReadonlySet<number>;
  /** Connection-table limits (timeouts in capture time, the cap); defaults in connection-table.ts. 0 turns a timeout off. */
  limits?: Partial<TableLimits>;
}

export const MAIL_PORTS: ReadonlySet<number> = new Set([25, 465, 587, 2525, 110, 995, 143, 993]);

/** Server endpoints and MAC addresses remembered for sharing before the memory of them starts over. */
const SHARED_MAX = 8192;

/** Slots of the shared-address cache (a power of two). */
const ADDRESS_SLOTS = 8192;

/** Capture time between two looks for connections past their timeout. */
const EXPIRE_EVERY_NS = 1_000_000_000n;

export class Reassembler {
  private readonly table: ConnectionTable;
  /** What its connections share: the listener and the bound. */
  private readonly context: ConnectionContext;
  private readonly serverPorts: ReadonlySet<number>;
  private nextId = 0;
  private lastExpiry = 0n;
  /** end(): the connections left to close, in id order, and how far closing has come. */
  private ending: (Connection | null)[] | null = null;
  private endAt = 0;
  /** The connection of the previous packet. */
  private last: Connection | null = null;
  /** Addresses shared by connections, one slot each by a hash of the text (see address). */
  private readonly addresses: (string | undefined)[] = new Array<string | undefined>(ADDRESS_SLOTS).fill(undefined);
  /** Server endpoints shared by connections (see endpoint). */
  private readonly servers = new Map<string, Endpoint>();
  /** MAC address texts by their 48-bit value (see mac). */
  private readonly macs = new Map<number, string>();

  constructor(private readonly listener: StreamListener, options: ReassemblerOptions = {}) {
    this.context = { listener, maxBuffered: options.maxBufferedBytes ?? 4 * 1024 * 1024 };
    this.serverPorts = options.serverPorts ?? MAIL_PORTS;
    this.table = new ConnectionTable({ ...DEFAULT_LIMITS, ...options.limits }, (conn, why) => this.expire(conn, why));
  }

  /** Connections seen so far (0-based ids are dense: this is also the next id). */
  get connectionCount(): number {
    return this.nextId;
  }

  /** Connections currently in memory. */
  get liveConnections(): number {
    return this.table.size;
  }

  get limits(): Readonly<TableLimits> {
    return this.table.limits;
  }

  /** What the table let go of early (timeouts, the cap), and its high-water mark. */
  get tableCounters(): Readonly<TableCounters> {
    return this.table.counters;
  }

  push(seg: Segment): void {
    const now = seg.ts;
    if (now - this.lastExpiry >= EXPIRE_EVERY_NS || now < this.lastExpiry) {
      this.lastExpiry = now;
      this.table.expire(now);
    }
    // Packets come in runs of one connection (a burst of data, its ACKs): the last one is checked first,
    // by its endpoints, without hashing them. Else each connection is in the table under one key, a hash
    // of its 4-tuple the same from both directions: one hash and one lookup a packet.
    let conn = this.last !== null && this.last.tracked && this.last.hasEndpoints(seg) ? this.last : undefined;
    let key = -1;
    if (conn === undefined) {
      key = connectionKey(seg.src, seg.srcPort, seg.dst, seg.dstPort);
      conn = this.table.get(key, seg);
    }
    const isSyn = (seg.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN;
    if (conn !== undefined && isSyn && this.startsNewConnection(conn.clientIsn, conn, seg)) {
      // An ended connection waiting for its last packets was over: it closes as it ended. An open one was cut off by the reuse.
      const ended = conn.closed;
      conn.close('reused');
      this.table.release(conn, now, ended);
      conn = undefined;
    }
    if (conn === undefined) {
      if (key === -1) key = connectionKey(seg.src, seg.srcPort, seg.dst, seg.dstPort);
      const stone = this.table.tombstone(key, seg);
      // A late packet of a connection that has closed (its last ACK, a repeated FIN or RST): nothing new in it.
      if (stone !== undefined && !(isSyn && this.startsNewConnection(stone.clientIsn, null, seg))) return;
      conn = this.create(seg);
      this.table.add(conn, key);
    }
    this.last = conn;
    const wasOver = conn.closed;
    conn.segment(seg, conn.directionOf(seg));
    const rst = (seg.flags & TcpFlag.RST) !== 0;
    if (!conn.closed && (rst || conn.finished)) conn.end(rst ? 'rst' : 'fin');
    // An ended connection lingers for its last packets, unless nothing more can come: the last ACK, or a RST after the FINs.
    // (After a RST, the client may still re-send its SYN to a port that refused it.)
    if (conn.closed && (!this.table.lingers || conn.fullyClosed || (rst && wasOver && conn.endedBy === 'fin'))) {
      conn.close('end');
      this.table.release(conn, now, true);
    } else {
      this.table.touched(conn);
    }
  }

  /** End of capture: closes every connection still open (in order of their first packet), releasing what it holds. */
  end(): void {
    while (!this.endSome(Infinity));
  }

  /**
   * end() a piece at a time: closes up to `count` of the connections still
   * open and says whether all are closed. Tens of thousands may be open at
   * the end of a flood; between pieces the caller lets its output drain.
   */
  endSome(count: number): boolean {
    this.ending ??= [...this.table.all()].sort((a, b) => a.id - b.id);
    const left = this.ending;
    const stop = Math.min(left.length, this.endAt + count);
    for (; this.endAt < stop; this.endAt++) {
      const conn = left[this.endAt];
      left[this.endAt] = null;
      conn!.close('end');
      this.table.release(conn!, conn!.lastTs, false);
    }
    return this.endAt >= left.length;
  }

  /**
   * A client SYN with a different initial sequence number, on a connection
   * (open, or closed: conn null) that has closed or already had one.
   */
  private startsNewConnection(clientIsn: number, conn: Connection | null, seg: Segment): boolean {
    if (clientIsn === seg.seq) return false;
    return conn === null || conn.closed || clientIsn !== -1 || conn.halfFinished(0) || conn.halfFinished(1);
  }

  private create(seg: Segment): Connection {
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
    const client: Endpoint = clientIsSrc ? { ip: this.address(seg.src), port: seg.srcPort } : { ip: this.address(seg.dst), port: seg.dstPort };
    const server = clientIsSrc ? this.endpoint(seg.dst, seg.dstPort) : this.endpoint(seg.src, seg.srcPort);
    const conn = new Connection(this.nextId++, client, server, seg.ipVersion, evidence, seg, this.context);
    if (seg.ethernet) {
      const dst = this.mac(seg.ethernet, 0);
      const src = this.mac(seg.ethernet, 6);
      conn.eth = clientIsSrc ? { client: src, server: dst } : { client: dst, server: src };
    }
    this.listener.open?.(conn);
    return conn;
  }

  /**
   * One string for an address seen again (the decoder makes a new one each
   * packet): a flood's connections come from a few thousand hosts. A
   * direct-mapped cache, as the decoder's own (net/address.ts): an address
   * takes the slot its text hashes to, in place of whatever was there. A Map
   * cleared when full cost most of a microsecond per new address in a flood
   * of them (growing it again after every 8,192), and only which string
   * instance is kept depends on it, never a value.
   */
  private address(ip: string): string {
    let h = 0x811c9dc5;
    for (let i = 0; i < ip.length; i++) h = Math.imul(h ^ ip.charCodeAt(i), 0x01000193);
    const slot = (h ^ (h >>> 15)) & (ADDRESS_SLOTS - 1);
    const known = this.addresses[slot];
    if (known === ip) return known;
    this.addresses[slot] = ip;
    return ip;
  }

  /**
   * The MAC address at `at` of a frame, as text ("00:1a:2b:3c:4d:5e"), one
   * string for each address seen again: a capture has few of them (the
   * router's, the server's), and a flood's connections would otherwise
   * each keep their own. Bounded as `address`.
   */
  private mac(frame: Buffer, at: number): string {
    const key = frame.readUIntBE(at, 6);
    const known = this.macs.get(key);
    if (known !== undefined) return known;
    if (this.macs.size >= SHARED_MAX) this.macs.clear();
    const text = macText(frame, at);
    this.macs.set(key, text);
    return text;
  }

  /**
   * One Endpoint object for a server's address and port, shared by its
   * connections (and their sessions: nothing changes an endpoint). Bounded
   * as `address`.
   */
  private endpoint(ip: string, port: number): Endpoint {
    const key = `${port} ${ip}`;
    const known = this.servers.get(key);
    if (known !== undefined) return known;
    if (this.servers.size >= SHARED_MAX) this.servers.clear();
    const e: Endpoint = { ip: this.address(ip), port };
    this.servers.set(key, e);
    return e;
  }

  /** The table let go of a connection: past its timeout, or to make room, or done lingering after its end. */
  private expire(conn: Connection, why: Expiry): void {
    if (why === 'ended') {
      conn.close('end');
      this.table.release(conn, conn.lastTs, true);
      return;
    }
    if (why === 'evicted') {
      const { maxConnections } = this.table.limits;
      this.listener.anomaly?.(conn, {
        kind: 'tcp.evicted',
        detail: `closed early to make room: ${maxConnections} connections were open at once (the least recently active goes first)`,
        frame: conn.lastFrame,
      });
    }
    conn.close(why);
    this.table.release(conn, conn.lastTs, false);
  }
}

/** Six bytes at `at` as a MAC address: "00:1a:2b:3c:4d:5e" (one flat string). */
function macText(frame: Buffer, at: number): string {
  const parts: string[] = [];
  for (let i = at; i < at + 6; i++) parts.push(frame[i].toString(16).padStart(2, '0'));
  return parts.join(':');
}

export type { ConnectionInfo };
