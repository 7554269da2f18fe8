/**
 * IP fragment reassembly (IPv4 and IPv6) with bounded memory.
 *
 * Overlaps are resolved one consistent way: the first arrival wins. A byte
 * already held is never replaced; a later fragment only fills the gaps. A
 * last fragment (MF clear) fixes the datagram length, unless data already held
 * lies beyond the end it claims, in which case the claim is ignored (the
 * earlier data wins) and the datagram will only leave by timeout or eviction.
 *
 * Limits: total bytes buffered, number of pending datagrams, and a timeout in
 * capture time after the first fragment. When a limit is hit the oldest
 * pending datagram is dropped first.
 */

export interface FragmentLimits {
  /** Max bytes of fragment data buffered over all pending datagrams (each held piece also costs PIECE_OVERHEAD). */
  maxBytes: number;
  /** Max datagrams waiting for more fragments. */
  maxDatagrams: number;
  /** Seconds of capture time after the first fragment after which a pending datagram is dropped. */
  timeoutSeconds: number;
}

export const DEFAULT_FRAGMENT_LIMITS: Readonly<FragmentLimits> = {
  maxBytes: 8 * 1024 * 1024,
  maxDatagrams: 4096,
  timeoutSeconds: 30,
};

/** Largest reassembled payload: IPv4 total length and IPv6 payload length are 16 bits. */
export const MAX_DATAGRAM = 65535;

class Piece {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly data: Buffer,
  ) {}
}

class Pending {
  /** Held ranges, sorted by start, never overlapping. */
  pieces: Piece[] = [];
  /** Payload bytes held. */
  bytes = 0;
  /** Memory charged to the budget: payload plus a fixed overhead per piece. */
  cost = 0;
  /** Datagram payload length, -1 until the last fragment arrived. */
  total = -1;
  /** Next-header value from the offset-0 fragment (IPv6), -1 until it arrived. */
  firstNext = -1;
  constructor(
    readonly key: string,
    readonly deadline: bigint,
  ) {}
}

/**
 * Bookkeeping charged per held piece on top of its bytes, so that a flood of
 * tiny fragments cannot hold far more memory than maxBytes says.
 */
export const PIECE_OVERHEAD = 64;

const NO_DEADLINE = (1n << 127n) - 1n;

export class FragmentReassembler {
  private readonly limits: FragmentLimits;
  private readonly timeoutNs: bigint;
  private readonly pending = new Map<string, Pending>();
  private nextDeadline = NO_DEADLINE;
  /** Memory currently charged: fragment bytes buffered plus PIECE_OVERHEAD per held piece. */
  bytes = 0;
  /** Datagrams completed. */
  completed = 0;
  /** Pending datagrams dropped because their timeout passed. */
  expired = 0;
  /** Pending datagrams dropped to stay within maxBytes / maxDatagrams. */
  evicted = 0;
  /** After add() returned a datagram: the next-header value of its offset-0 fragment. */
  lastFirstNext = -1;

  constructor(limits: Partial<FragmentLimits> = {}) {
    this.limits = { ...DEFAULT_FRAGMENT_LIMITS, ...limits };
    const t = this.limits.timeoutSeconds;
    this.timeoutNs = BigInt(Math.max(0, Math.round((Number.isFinite(t) ? t : 0) * 1e9)));
  }

  /** Datagrams currently waiting for more fragments. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Drop pending datagrams whose timeout has passed at capture time now (ns). Cheap when none is due. */
  expire(now: bigint): void {
    if (now <= this.nextDeadline) return;
    let next = NO_DEADLINE;
    for (const [key, p] of this.pending) {
      if (now > p.deadline) {
        this.drop(key, p);
        this.expired++;
      } else if (p.deadline < next) {
        next = p.deadline;
      }
    }
    this.nextDeadline = next;
  }

  /** Drop everything pending (counted as expired), e.g. at the end of a capture. */
  flush(): void {
    for (const [key, p] of this.pending) {
      this.drop(key, p);
      this.expired++;
    }
    this.nextDeadline = NO_DEADLINE;
  }

  /**
   * Add one fragment: data holds bytes [offset, offset + data.length) of the
   * datagram payload (it is copied). more is the MF flag; firstNext the
   * IPv6 fragment header's next-header value (ignored unless offset is 0).
   * Returns the reassembled payload when this fragment completes the
   * datagram (then lastFirstNext is set), else null. The caller has checked
   * offset + data.length <= MAX_DATAGRAM.
   */
  add(key: string, now: bigint, offset: number, more: boolean, data: Buffer, firstNext: number): Buffer | null {
    let p = this.pending.get(key);
    if (p === undefined) {
      if (this.pending.size >= this.limits.maxDatagrams) {
        if (!this.evictOldest()) return null; // maxDatagrams <= 0: nothing can be held
      }
      const deadline = now + this.timeoutNs;
      p = new Pending(key, deadline);
      this.pending.set(key, p);
      if (deadline < this.nextDeadline) this.nextDeadline = deadline;
    }

    const start = offset;
    let end = offset + data.length;
    if (!more && p.total < 0) {
      const last = p.pieces.length > 0 ? p.pieces[p.pieces.length - 1].end : 0;
      if (last <= end) p.total = end; // else: earlier data lies beyond the claimed end; earlier wins
    }
    if (p.total >= 0 && end > p.total) end = p.total;
    if (offset === 0 && p.firstNext < 0) p.firstNext = firstNext;

    // Insert the parts of [start, end) not already held, starting at the
    // first held piece that ends after start (binary search).
    const pieces = p.pieces;
    let cursor = start;
    let added = 0;
    let newPieces = 0;
    let lo = 0;
    let hi = pieces.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pieces[mid].end <= start) lo = mid + 1;
      else hi = mid;
    }
    let i = lo;
    for (; i < pieces.length && cursor < end; i++) {
      const q = pieces[i];
      if (q.end <= cursor) continue;
      if (q.start >= end) break;
      if (q.start > cursor) {
        pieces.splice(i, 0, this.piece(data, offset, cursor, q.start));
        added += q.start - cursor;
        newPieces++;
        i++;
      }
      if (q.end > cursor) cursor = q.end;
    }
    if (cursor < end) {
      pieces.splice(i, 0, this.piece(data, offset, cursor, end));
      added += end - cursor;
      newPieces++;
    }
    p.bytes += added;
    const cost = added + newPieces * PIECE_OVERHEAD;
    p.cost += cost;
    this.bytes += cost;

    if (p.total >= 0 && p.bytes === p.total && p.firstNext !== -1) {
      // Complete: pieces are disjoint, within [0, total) and sum to total.
      const out = Buffer.allocUnsafe(p.total);
      for (const q of pieces) q.data.copy(out, q.start);
      this.pending.delete(key);
      this.bytes -= p.cost;
      this.completed++;
      this.lastFirstNext = p.firstNext;
      return out;
    }

    // Stay within the byte budget, oldest first (possibly this very datagram).
    while (this.bytes > this.limits.maxBytes && this.pending.size > 0) {
      this.evictOldest();
    }
    return null;
  }

  private piece(data: Buffer, dataOffset: number, from: number, to: number): Piece {
    const copy = Buffer.allocUnsafe(to - from);
    data.copy(copy, 0, from - dataOffset, to - dataOffset);
    return new Piece(from, to, copy);
  }

  private evictOldest(): boolean {
    for (const [key, p] of this.pending) {
      this.drop(key, p);
      this.evicted++;
      return true;
    }
    return false;
  }

  private drop(key: string, p: Pending): void {
    this.pending.delete(key);
    this.bytes -= p.cost;
  }
}
