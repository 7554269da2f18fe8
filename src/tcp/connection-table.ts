/**
 * The reassembler's connection table, with a memory budget that holds by
 * design, whatever the capture: a busy MX sees a million short connections a
 * day, SYN floods and scanners among them.
 *
 * - Look-up is one hash-map probe per packet (each connection is filed under
 *   both directions' keys), so time stays linear in packets however many
 *   connections are open.
 * - A connection that closes (FIN both ways, RST) leaves the table at once;
 *   a tombstone of a few dozen bytes stays for CLOSED_LINGER of capture
 *   time, so a late ACK or a retransmitted FIN still belongs to it instead of
 *   opening a new connection (tshark's tcp.stream numbering depends on it).
 * - Connections are kept in two lists ordered by their last packet: attempts
 *   (only one side has spoken yet: SYN floods, scans, one-sided captures)
 *   and established ones. Each list has its own inactivity timeout in capture
 *   time, like Suricata's "new" and "established" flow timeouts; the oldest
 *   are at the head, so expiring is O(1) a packet.
 * - Past `maxConnections` the least recently active connection is closed
 *   ("evicted"), attempts before established ones, and counted.
 */
import type { Connection } from './connection.js';

export interface TableLimits {
  /** Seconds of capture time without a packet after which an established connection is closed as idle. */
  idleTimeoutSec: number;
  /** The same for a connection only one side has spoken on (SYN flood, scan, one-sided capture). */
  attemptTimeoutSec: number;
  /** Connections tracked at once; past it the least recently active one is evicted. */
  maxConnections: number;
}

/**
 * Defaults, documented in the README. 3600 s: an IMAP IDLE client re-issues
 * IDLE every 29 minutes at most (RFC 2177), so a live but quiet session is
 * never cut; 60 s for attempts, as Suricata's "new" timeout. 50,000
 * connections is far more than a large MX has open at once (Postfix's
 * default is 100 smtpd processes); at about 2 KiB an attempt and 6 KiB an
 * established session (measured, bench/flood-bench.ts) the table stays
 * within 100-300 MB however the capture floods it.
 */
export const DEFAULT_LIMITS: TableLimits = { idleTimeoutSec: 3600, attemptTimeoutSec: 60, maxConnections: 50_000 };

/** Seconds of capture time a closed connection's tombstone stays. */
const CLOSED_LINGER_SEC = 120;
/**
 * Tombstones kept at most (oldest dropped first): about 200 bytes each, 20 MB
 * at most. A late packet comes within milliseconds of the close; 100,000
 * covers three seconds of a flood of 30,000 connections a second.
 */
const MAX_TOMBSTONES = 100_000;

/** What is left of a closed connection: enough to recognise its late packets and a reused port. */
export interface Tombstone {
  /** The client's initial sequence number (-1 when its SYN was not seen). */
  clientIsn: number;
  closedAt: bigint;
  /** The keys it is filed under (a newer connection on the same ports may have taken them since). */
  keys: readonly [string, string];
}

export type Expiry = 'idle' | 'evicted';

/** Why the table let go of connections, for the read summary. */
export interface TableCounters {
  /** Closed after their inactivity timeout. */
  expired: number;
  /** Closed because the table was full. */
  evicted: number;
  /** Most connections tracked at once. */
  peak: number;
}

/** An intrusive doubly linked list of connections, least recently active first. */
class ActivityList {
  head: Connection | null = null;
  tail: Connection | null = null;
  size = 0;

  append(c: Connection): void {
    c.prevActive = this.tail;
    c.nextActive = null;
    if (this.tail) this.tail.nextActive = c;
    else this.head = c;
    this.tail = c;
    this.size++;
  }

  remove(c: Connection): void {
    if (c.prevActive) c.prevActive.nextActive = c.nextActive;
    else this.head = c.nextActive;
    if (c.nextActive) c.nextActive.prevActive = c.prevActive;
    else this.tail = c.prevActive;
    c.prevActive = c.nextActive = null;
    this.size--;
  }
}

export class ConnectionTable {
  readonly counters: TableCounters = { expired: 0, evicted: 0, peak: 0 };
  private readonly open = new Map<string, Connection>();
  private readonly tombstones = new Map<string, Tombstone>();
  /**
   * Tombstones oldest first, from stoneHead on. A queue of its own, not the
   * Map's insertion order: taking the first key of a Map that has had
   * hundreds of thousands of deletions at its front walks over their holes
   * (a million-connection capture took minutes), and re-setting a key keeps
   * its old place.
   */
  private stoneQueue: (Tombstone | undefined)[] = [];
  private stoneHead = 0;
  private readonly attempts = new ActivityList();
  private readonly established = new ActivityList();
  private readonly idleNs: bigint;
  private readonly attemptNs: bigint;
  private readonly lingerNs = BigInt(CLOSED_LINGER_SEC) * 1_000_000_000n;

  constructor(readonly limits: TableLimits, private readonly onExpire: (conn: Connection, why: Expiry) => void) {
    this.idleNs = seconds(limits.idleTimeoutSec);
    this.attemptNs = seconds(limits.attemptTimeoutSec);
  }

  /** Connections tracked now. */
  get size(): number {
    return this.attempts.size + this.established.size;
  }

  get(key: string): Connection | undefined {
    return this.open.get(key);
  }

  tombstone(key: string): Tombstone | undefined {
    return this.tombstones.get(key);
  }

  /** Files a new connection under both its keys; makes room first when the table is full. */
  add(conn: Connection, key: string, reverseKey: string): void {
    while (this.size >= this.limits.maxConnections) {
      const victim = this.attempts.head ?? this.established.head;
      if (victim === null) break;
      this.counters.evicted++;
      this.onExpire(victim, 'evicted');
    }
    conn.tracked = true;
    this.open.set(key, conn);
    this.open.set(reverseKey, conn);
    this.tombstones.delete(key);
    this.tombstones.delete(reverseKey);
    this.attempts.append(conn);
    if (this.size > this.counters.peak) this.counters.peak = this.size;
  }

  /** The connection just had a packet: it moves to the end of its list (established once both sides spoke). */
  touched(conn: Connection): void {
    const list = conn.bothSpoke ? this.established : this.attempts;
    if (conn.bothSpoke && !conn.inEstablished) {
      this.attempts.remove(conn);
      conn.inEstablished = true;
    } else if (list.tail === conn) {
      return;
    } else {
      list.remove(conn);
    }
    list.append(conn);
  }

  /**
   * The connection is over: it leaves the table. One that ended (FIN, RST)
   * leaves a tombstone for its late packets; one the table let go of
   * (timeout, cap) does not, so a packet after it starts a new connection,
   * picked up mid-stream, as Zeek does: nothing sent later is lost.
   */
  release(conn: Connection, now: bigint, ended: boolean): void {
    if (!conn.tracked) return;
    conn.tracked = false;
    // The keys are made again rather than kept: two strings a connection is a tenth of what an attempt costs.
    const keys = [directionKey(conn.client.ip, conn.client.port, conn.server.ip, conn.server.port), directionKey(conn.server.ip, conn.server.port, conn.client.ip, conn.client.port)];
    (conn.inEstablished ? this.established : this.attempts).remove(conn);
    for (const key of keys) if (this.open.get(key) === conn) this.open.delete(key);
    if (!ended) return;
    const stone: Tombstone = { clientIsn: conn.clientIsn, closedAt: now, keys: [keys[0], keys[1]] };
    this.tombstones.set(keys[0], stone);
    this.tombstones.set(keys[1], stone);
    this.stoneQueue.push(stone);
    while (this.stoneQueue.length - this.stoneHead > MAX_TOMBSTONES) this.dropOldestTombstone();
  }

  /** Closes what has been quiet too long by capture time `now`, and forgets old tombstones. */
  expire(now: bigint): void {
    this.expireList(this.attempts, now, this.attemptNs);
    this.expireList(this.established, now, this.idleNs);
    while (this.stoneHead < this.stoneQueue.length && now - this.stoneQueue[this.stoneHead]!.closedAt > this.lingerNs) {
      this.dropOldestTombstone();
    }
  }

  /** Every connection still tracked, oldest activity first (end of capture). */
  *all(): IterableIterator<Connection> {
    for (const list of [this.attempts, this.established]) {
      for (let c = list.head; c !== null; c = c.nextActive) yield c;
    }
  }

  private expireList(list: ActivityList, now: bigint, timeoutNs: bigint): void {
    if (timeoutNs <= 0n) return;
    for (let c = list.head; c !== null && now - c.lastTs > timeoutNs; c = list.head) {
      this.counters.expired++;
      this.onExpire(c, 'idle');
      if (list.head === c) list.remove(c); // onExpire must release it; never loop on one that stayed
    }
  }

  private dropOldestTombstone(): void {
    const stone = this.stoneQueue[this.stoneHead];
    this.stoneQueue[this.stoneHead++] = undefined;
    if (stone === undefined) return;
    for (const key of stone.keys) if (this.tombstones.get(key) === stone) this.tombstones.delete(key);
    if (this.stoneHead >= 1 << 16 && this.stoneHead * 2 >= this.stoneQueue.length) {
      this.stoneQueue = this.stoneQueue.slice(this.stoneHead);
      this.stoneHead = 0;
    }
  }
}

/** Key of one direction of a connection: the table files each connection under both. */
export function directionKey(src: string, srcPort: number, dst: string, dstPort: number): string {
  return `${src}/${srcPort}>${dst}/${dstPort}`;
}

function seconds(s: number): bigint {
  return BigInt(Math.round(s * 1e9));
}
