/**
 * The reassembler's connection table, with a memory budget that holds by
 * design, whatever the capture: a busy MX sees a million short connections a
 * day, SYN floods and scanners among them.
 *
 * - Look-up is one hash-map probe per packet, so time stays linear in
 *   packets however many connections are open. The key is a number, a hash
 *   of the 4-tuple that is the same from both directions (connectionKey): no
 *   key string is made per packet or kept per connection. The rare
 *   4-tuples that share a key share its entry, an array, and every look-up
 *   checks the endpoints.
 * - A connection that ends (FIN both ways, RST) stays a little while, in a
 *   third list, for its last packets: those tshark still counts in its
 *   tcp.stream (a RST after the FINs, the client's re-sent SYNs to a port
 *   that refused it). It leaves when the last ACK comes (both FINs
 *   acknowledged), or after `closeLingerSec` of capture time without a
 *   packet; a full table lets these go first, quietly (they are over).
 *   Then a tombstone of a few dozen bytes stays for CLOSED_LINGER of capture
 *   time, so a later packet still belongs to it instead of opening a new
 *   connection (tshark's tcp.stream numbering depends on it).
 * - Open connections are kept in two lists ordered by their last packet:
 *   attempts (only one side has spoken yet, or the client has sent no data:
 *   SYN floods, scans, a client that took the greeting and went quiet,
 *   one-sided captures) and established ones. Each list (the ended ones'
 *   too) has its own inactivity timeout in capture time, like Suricata's
 *   "new", "established" and "closed" flow timeouts; the oldest are at the
 *   head, so expiring is O(1) a packet.
 * - Past `maxConnections` the least recently active connection is closed
 *   ("evicted"), attempts before established ones, and counted.
 */
import type { Segment } from '../net/segment.js';
import { between, type Connection } from './connection.js';
import type { Endpoint } from './types.js';

export interface TableLimits {
  /** Seconds of capture time without a packet after which an established connection is closed as idle. */
  idleTimeoutSec: number;
  /** The same for a connection only one side has spoken on (SYN flood, scan, one-sided capture). */
  attemptTimeoutSec: number;
  /** Connections tracked at once; past it the least recently active one is evicted. */
  maxConnections: number;
  /**
   * Seconds of capture time an ended connection (RST, or FINs whose last ACK
   * has not come) waits for more packets before it is closed. 0 closes it at
   * once (live capture, where capture time stands still while no packet comes).
   */
  closeLingerSec: number;
}

/**
 * Defaults, documented in the README. 3600 s: an IMAP IDLE client re-issues
 * IDLE every 29 minutes at most (RFC 2177), so a live but quiet session is
 * never cut; 60 s for attempts, as Suricata's "new" timeout. 50,000
 * connections is far more than a large MX has open at once (Postfix's
 * default is 100 smtpd processes); at about 2 KiB an attempt and 6 KiB an
 * established session (measured, bench/flood-bench.ts) the table stays
 * within 100-300 MB however the capture floods it.
 *
 * 3 s of lingering after the end covers a client's first two re-sent SYNs
 * to a port that refused it (Linux waits 1 s, then 2 s more).
 */
export const DEFAULT_LIMITS: TableLimits = { idleTimeoutSec: 3600, attemptTimeoutSec: 60, maxConnections: 50_000, closeLingerSec: 3 };

/** Seconds of capture time a closed connection's tombstone stays. */
const CLOSED_LINGER_SEC = 120;
/**
 * Tombstones kept at most (oldest dropped first): about 150 bytes each with
 * their key and table entry, 15 MB at most. A late packet comes within
 * milliseconds of the close; 100,000 covers three seconds of a flood of
 * 30,000 connections a second.
 */
const MAX_TOMBSTONES = 100_000;

/** What is left of a closed connection: enough to recognise its late packets and a reused port. */
export class Tombstone {
  /** The client's initial sequence number, signed 32-bit (Smi-sized), when known. */
  private readonly isn: number;
  private readonly isnKnown: boolean;

  constructor(
    clientIsn: number,
    readonly closedAt: bigint,
    /** The key it is filed under, and its endpoints (the connection's, shared). */
    readonly key: number,
    readonly client: Endpoint,
    readonly server: Endpoint,
  ) {
    this.isn = clientIsn | 0;
    this.isnKnown = clientIsn !== -1;
  }

  /** The client's initial sequence number (-1 when its SYN was not seen). */
  get clientIsn(): number {
    return this.isnKnown ? this.isn >>> 0 : -1;
  }
}

/** Why the table let go of a connection: quiet too long, room needed, or an ended one done lingering. */
export type Expiry = 'idle' | 'evicted' | 'ended';

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
  private readonly open = new Buckets<Connection>();
  private readonly tombstones = new Buckets<Tombstone>();
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
  /** Ended connections waiting for their last packets. */
  private readonly closing = new ActivityList();
  private readonly idleNs: bigint;
  private readonly closingNs: bigint;
  private readonly attemptNs: bigint;
  private readonly lingerNs = BigInt(CLOSED_LINGER_SEC) * 1_000_000_000n;

  constructor(readonly limits: TableLimits, private readonly onExpire: (conn: Connection, why: Expiry) => void) {
    this.idleNs = seconds(limits.idleTimeoutSec);
    this.attemptNs = seconds(limits.attemptTimeoutSec);
    this.closingNs = seconds(limits.closeLingerSec);
  }

  /** Connections tracked now. */
  get size(): number {
    return this.attempts.size + this.established.size + this.closing.size;
  }

  /** Ended connections may wait for their last packets (closeLingerSec > 0). */
  get lingers(): boolean {
    return this.closingNs > 0n;
  }

  /** The open connection of a segment (`key`: connectionKey of its 4-tuple). */
  get(key: number, seg: Segment): Connection | undefined {
    return this.open.find(key, seg, connectionOf);
  }

  tombstone(key: number, seg: Segment): Tombstone | undefined {
    return this.tombstones.find(key, seg, stoneOf);
  }

  /**
   * Files a new connection under its key (connectionKey; the connection
   * keeps it for its release) in place of what that 4-tuple had; makes room
   * first when the table is full.
   */
  add(conn: Connection, key: number): void {
    while (this.size >= this.limits.maxConnections) {
      const ended = this.closing.head;
      if (ended !== null) {
        this.onExpire(ended, 'ended');
        continue;
      }
      const victim = this.attempts.head ?? this.established.head;
      if (victim === null) break;
      this.counters.evicted++;
      this.onExpire(victim, 'evicted');
    }
    conn.tracked = true;
    conn.key = key;
    const c = conn.client;
    const s = conn.server;
    this.open.removeWhere(key, c, s, sameTupleConnection);
    this.open.add(key, conn);
    this.tombstones.removeWhere(key, c, s, sameTupleStone);
    this.attempts.append(conn);
    if (this.size > this.counters.peak) this.counters.peak = this.size;
  }

  /**
   * The connection just had a packet: it moves to the end of its list
   * (established once the client has sent data; closing once it has ended).
   */
  touched(conn: Connection): void {
    if (conn.closed) {
      if (!conn.inClosing) {
        this.listOf(conn).remove(conn);
        conn.inClosing = true;
      } else {
        this.closing.remove(conn);
      }
      this.closing.append(conn);
      return;
    }
    const list = conn.established ? this.established : this.attempts;
    if (conn.established && !conn.inEstablished) {
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
    const key = conn.key;
    this.listOf(conn).remove(conn);
    this.open.remove(key, conn);
    if (!ended) return;
    const stone = new Tombstone(conn.clientIsn, now, key, conn.client, conn.server);
    this.tombstones.removeWhere(key, stone.client, stone.server, sameTupleStone);
    this.tombstones.add(key, stone);
    this.stoneQueue.push(stone);
    while (this.stoneQueue.length - this.stoneHead > MAX_TOMBSTONES) this.dropOldestTombstone();
  }

  /** Closes what has been quiet too long by capture time `now`, and forgets old tombstones. */
  expire(now: bigint): void {
    this.expireList(this.closing, now, this.closingNs, 'ended');
    this.expireList(this.attempts, now, this.attemptNs, 'idle');
    this.expireList(this.established, now, this.idleNs, 'idle');
    while (this.stoneHead < this.stoneQueue.length && now - this.stoneQueue[this.stoneHead]!.closedAt > this.lingerNs) {
      this.dropOldestTombstone();
    }
  }

  /** Every connection still tracked, oldest activity first (end of capture). */
  *all(): IterableIterator<Connection> {
    for (const list of [this.attempts, this.established, this.closing]) {
      for (let c = list.head; c !== null; c = c.nextActive) yield c;
    }
  }

  private listOf(conn: Connection): ActivityList {
    if (conn.inClosing) return this.closing;
    return conn.inEstablished ? this.established : this.attempts;
  }

  private expireList(list: ActivityList, now: bigint, timeoutNs: bigint, why: Expiry): void {
    if (timeoutNs <= 0n) return;
    for (let c = list.head; c !== null && now - c.lastTs > timeoutNs; c = list.head) {
      if (why === 'idle') this.counters.expired++;
      this.onExpire(c, why);
      if (list.head === c) list.remove(c); // onExpire must release it; never loop on one that stayed
    }
  }

  private dropOldestTombstone(): void {
    const stone = this.stoneQueue[this.stoneHead];
    this.stoneQueue[this.stoneHead++] = undefined;
    if (stone === undefined) return;
    this.tombstones.remove(stone.key, stone);
    if (this.stoneHead >= 1 << 16 && this.stoneHead * 2 >= this.stoneQueue.length) {
      this.stoneQueue = this.stoneQueue.slice(this.stoneHead);
      this.stoneHead = 0;
    }
  }
}

/**
 * A map from connection keys to entries, where the rare key two 4-tuples
 * share holds an array of them. Look-ups check the entry's endpoints with a
 * plain function (no closure a packet).
 */
class Buckets<T extends object> {
  private readonly map = new Map<number, T | T[]>();

  find(key: number, seg: Segment, matches: (item: T, seg: Segment) => boolean): T | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) return matches(v, seg) ? v : undefined;
    for (const item of v) if (matches(item, seg)) return item;
    return undefined;
  }

  add(key: number, item: T): void {
    const v = this.map.get(key);
    if (v === undefined) this.map.set(key, item);
    else if (Array.isArray(v)) v.push(item);
    else this.map.set(key, [v, item]);
  }

  remove(key: number, item: T): void {
    const v = this.map.get(key);
    if (v === item) {
      this.map.delete(key);
    } else if (Array.isArray(v)) {
      const at = v.indexOf(item);
      if (at !== -1) this.settle(key, v, at);
    }
  }

  /** Removes what is filed for the 4-tuple of (c, s). */
  removeWhere(key: number, c: Endpoint, s: Endpoint, same: (item: T, c: Endpoint, s: Endpoint) => boolean): void {
    const v = this.map.get(key);
    if (v === undefined) return;
    if (!Array.isArray(v)) {
      if (same(v, c, s)) this.map.delete(key);
      return;
    }
    const at = v.findIndex((item) => same(item, c, s));
    if (at !== -1) this.settle(key, v, at);
  }

  private settle(key: number, v: T[], at: number): void {
    v.splice(at, 1);
    if (v.length === 1) this.map.set(key, v[0]);
    else if (v.length === 0) this.map.delete(key);
  }
}

/** The same 4-tuple, either way round. */
function sameTuple(c1: Endpoint, s1: Endpoint, c2: Endpoint, s2: Endpoint): boolean {
  const eq = (a: Endpoint, b: Endpoint) => a.port === b.port && a.ip === b.ip;
  return (eq(c1, c2) && eq(s1, s2)) || (eq(c1, s2) && eq(s1, c2));
}

const connectionOf = (conn: Connection, seg: Segment): boolean => conn.hasEndpoints(seg);
const stoneOf = (stone: Tombstone, seg: Segment): boolean => between(seg, stone.client, stone.server);
const sameTupleConnection = (conn: Connection, c: Endpoint, s: Endpoint): boolean => sameTuple(conn.client, conn.server, c, s);
const sameTupleStone = (stone: Tombstone, c: Endpoint, s: Endpoint): boolean => sameTuple(stone.client, stone.server, c, s);

/** Hash of one endpoint (FNV-1a over the address, then the port). */
function endpointHash(ip: string, port: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < ip.length; i++) h = Math.imul(h ^ ip.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ port, 0x01000193);
}

/**
 * Key of a connection: a hash of its 4-tuple, the same from both directions
 * (the two endpoints' hashes in order), a small integer (31 bits) that V8
 * keeps unboxed. Different 4-tuples may share one: entries are checked.
 */
export function connectionKey(src: string, srcPort: number, dst: string, dstPort: number): number {
  const a = endpointHash(src, srcPort);
  const b = endpointHash(dst, dstPort);
  let h = a < b ? Math.imul(a, 0x9e3779b1) ^ b : Math.imul(b, 0x9e3779b1) ^ a;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return (h ^ (h >>> 13)) & 0x3fffffff;
}

function seconds(s: number): bigint {
  return BigInt(Math.round(s * 1e9));
}
