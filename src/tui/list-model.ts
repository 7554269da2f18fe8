/**
 * What the session list shows, without React: which sessions match the
 * filter, in which order, which one is selected and which slice of them is on
 * screen. Sessions arriving during a load are filtered as they come (only the
 * new ones), and merged into the current sort order; a new version of a
 * session (live capture) is filtered and placed again (refresh).
 */
import type { Session } from '../session/model.js';
import type { ColumnKey } from './columns.js';
import { ScanAhead, type SessionStore } from './session-store.js';

/** The part of a compiled filter the list needs. */
export interface SessionPredicate {
  matches(session: Session): boolean;
  /** The store indices that may match (a ClickHouse store's SQL answer): the others are not read. */
  candidate?(index: number): boolean;
  /** Every candidate matches: they need not be read either. */
  exact?: boolean;
}

export interface SortOrder {
  column: ColumnKey;
  descending: boolean;
}

const SEVERITY_RANK = { error: 0, warn: 1, ok: 2 } as const;

type Compare = (a: number, b: number) => number;

function comparator(store: SessionStore, sort: SortOrder): Compare {
  const rows = store.rows;
  const text = (key: 'proto' | 'client' | 'server' | 'user' | 'outcome' | 'tls') => (a: number, b: number) => {
    const x = rows.text(a, key);
    const y = rows.text(b, key);
    // Empty cells (no user, no TLS) sort last in ascending order.
    if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const by: Record<ColumnKey, Compare> = {
    id: (a, b) => rows.id(a) - rows.id(b),
    time: (a, b) => rows.start(a) - rows.start(b),
    proto: text('proto'),
    client: (a, b) => rows.compareClient(a, b),
    server: text('server'),
    user: text('user'),
    // Failures first (red, then yellow), then by label.
    outcome: (a, b) => SEVERITY_RANK[rows.severity(a)] - SEVERITY_RANK[rows.severity(b)] || text('outcome')(a, b),
    ex: (a, b) => rows.exCount(a) - rows.exCount(b),
    bytes: (a, b) => rows.byteCount(a) - rows.byteCount(b),
    tls: text('tls'),
    anomalies: (a, b) => rows.anomalyCount(b) - rows.anomalyCount(a),
  };
  const primary = by[sort.column];
  const sign = sort.descending ? -1 : 1;
  // Ties keep session order, whatever the direction.
  return (a, b) => sign * primary(a, b) || rows.id(a) - rows.id(b);
}

export class ListModel {
  /** Store indices of the matching sessions, in display order. */
  private rows: number[] = [];
  /** How many store entries have been looked at by the filter. */
  private scanned = 0;
  private predicate: SessionPredicate | null = null;
  private order: SortOrder = { column: 'id', descending: false };
  private cursorRow = 0;
  private topRow = 0;
  /** The session selected when a filter was applied, to select again once the scan reaches it (unless the cursor moved). */
  private wanted: number | undefined;

  /** The filter's reads, fetched a batch ahead from a ClickHouse store (made again with each filter). */
  private ahead: ScanAhead;

  constructor(private readonly store: SessionStore) {
    this.ahead = new ScanAhead(store);
  }

  get length(): number {
    return this.rows.length;
  }

  get sort(): SortOrder {
    return this.order;
  }

  get cursor(): number {
    return this.cursorRow;
  }

  get top(): number {
    return this.topRow;
  }

  /** Store index of the row at `row`. */
  indexAt(row: number): number {
    return this.rows[row];
  }

  /** Store indices of every matching session, in display order. */
  allIndices(): readonly number[] {
    return this.rows;
  }

  selected(): Session | undefined {
    return this.rows.length ? this.store.at(this.rows[this.cursorRow]) : undefined;
  }

  /** Sessions of the store not yet looked at by the filter (a filter over a big store is applied in slices). */
  get behind(): number {
    return this.store.length - this.scanned;
  }

  /**
   * Takes in the sessions added to the store since the last call, or the
   * rest of a filter's scan, until `deadline` (performance.now()); returns
   * how many matched. The clock is read every 256 sessions.
   */
  sync(deadline = Infinity): number {
    const from = this.scanned;
    const to = this.store.length;
    if (from === to) return 0;
    const fresh: number[] = [];
    let i = from;
    while (i < to) {
      if (this.needsReading()) this.ahead.before(i, (a, b) => this.toRead(a, Math.min(b, to)));
      if (this.test(i)) fresh.push(i);
      i++;
      if ((i & 255) === 0 && performance.now() >= deadline) break;
    }
    this.scanned = i;
    if (fresh.length === 0) {
      if (this.behind === 0) this.wanted = undefined;
      return 0;
    }
    const byId = this.order.column === 'id' && !this.order.descending;
    // Sessions come in the order they end; in session order the common case is still an append.
    if (byId && this.inIdOrder(fresh)) {
      for (const i of fresh) this.rows.push(i);
      if (this.wanted !== undefined) this.reselect(this.wanted);
    } else {
      const keep = this.wanted ?? this.selectedIndex();
      const cmp = comparator(this.store, this.order);
      mergeInto(this.rows, fresh.sort(cmp), cmp);
      this.reselect(keep);
    }
    if (this.behind === 0) this.wanted = undefined;
    return fresh.length;
  }

  /** Takes in new versions of sessions already in the store (at these indices): they may now match or not, and sort elsewhere. */
  refresh(indices: readonly number[]): void {
    if (indices.length === 0) return;
    const keep = this.selectedIndex();
    const changed = new Set(indices);
    const cmp = comparator(this.store, this.order);
    const stay = this.rows.filter((i) => !changed.has(i));
    const back = [...changed].filter((i) => i < this.scanned && this.test(i)).sort(cmp);
    this.rows = merge(stay, back, cmp);
    this.reselect(keep);
  }

  /**
   * Applies a new filter (null: everything) to all sessions, keeping the
   * selected session when it still matches. With a deadline, what is not
   * scanned by then is left to later sync() calls (see `behind`), so keys
   * stay responsive over a million sessions.
   */
  setFilter(predicate: SessionPredicate | null, deadline = Infinity): void {
    const keep = this.wanted ?? this.selectedIndex();
    this.predicate = predicate;
    this.scanned = 0;
    this.ahead = new ScanAhead(this.store);
    this.rows = [];
    this.wanted = keep;
    this.sync(deadline);
  }

  setSort(order: SortOrder): void {
    const keep = this.selectedIndex();
    this.order = order;
    this.rows.sort(comparator(this.store, order));
    this.reselect(keep);
  }

  /** Moves the cursor by `delta` rows (clamped). */
  move(delta: number): void {
    this.wanted = undefined;
    this.cursorRow = clamp(this.cursorRow + delta, 0, this.rows.length - 1);
  }

  home(): void {
    this.wanted = undefined;
    this.cursorRow = 0;
  }

  end(): void {
    this.wanted = undefined;
    this.cursorRow = Math.max(0, this.rows.length - 1);
  }

  /** The rows to draw in a viewport of `height` rows: scrolls just enough to keep the cursor visible. */
  window(height: number): { start: number; end: number } {
    const h = Math.max(1, height);
    if (this.cursorRow < this.topRow) this.topRow = this.cursorRow;
    if (this.cursorRow >= this.topRow + h) this.topRow = this.cursorRow - h + 1;
    this.topRow = clamp(this.topRow, 0, Math.max(0, this.rows.length - h));
    return { start: this.topRow, end: Math.min(this.rows.length, this.topRow + h) };
  }

  /** True when `fresh` (store indices) all come after the last row, in session-id order. */
  private inIdOrder(fresh: number[]): boolean {
    let last = this.rows.length ? this.store.rows.id(this.rows[this.rows.length - 1]) : -Infinity;
    for (const i of fresh) {
      const id = this.store.rows.id(i);
      if (id < last) return false;
      last = id;
    }
    return true;
  }

  private test(index: number): boolean {
    const p = this.predicate;
    if (p === null) return true;
    if (p.candidate) {
      if (!p.candidate(index)) return false;
      if (p.exact) return true;
    }
    try {
      return p.matches(this.ahead.peek(index));
    } catch (err) {
      // A filter that fails on a session does not match it; a ClickHouse store that did not answer is said in the footer.
      this.store.remote?.noteFailure(err);
      return false;
    }
  }

  /** The filter reads sessions (it is not answered by the store's SQL alone). */
  private needsReading(): boolean {
    return this.predicate !== null && !(this.predicate.exact && this.predicate.candidate);
  }

  /** The store indices of [from, to) the filter will read. */
  private toRead(from: number, to: number): number[] {
    const p = this.predicate;
    const out: number[] = [];
    for (let i = from; i < to; i++) if (!p?.candidate || p.candidate(i)) out.push(i);
    return out;
  }

  private selectedIndex(): number | undefined {
    return this.rows.length ? this.rows[this.cursorRow] : undefined;
  }

  private reselect(index: number | undefined): void {
    const row = index === undefined ? -1 : this.rows.indexOf(index);
    if (row >= 0) this.wanted = undefined;
    this.cursorRow = row >= 0 ? row : clamp(this.cursorRow, 0, Math.max(0, this.rows.length - 1));
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return n < lo ? lo : n > hi ? hi : n;
}

/**
 * Merges sorted `fresh` into sorted `rows` in place. Only the part of `rows`
 * after where the first fresh row goes is rewritten: sessions arrive nearly
 * in order, so taking in a batch costs the batch, not the whole list.
 */
function mergeInto(rows: number[], fresh: number[], cmp: Compare): void {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(rows[mid], fresh[0]) <= 0) lo = mid + 1;
    else hi = mid;
  }
  const tail = rows.splice(lo);
  let i = 0;
  let j = 0;
  while (i < tail.length && j < fresh.length) rows.push(cmp(tail[i], fresh[j]) <= 0 ? tail[i++] : fresh[j++]);
  while (i < tail.length) rows.push(tail[i++]);
  while (j < fresh.length) rows.push(fresh[j++]);
}

/** Merges two sorted arrays. */
function merge(a: number[], b: number[], cmp: Compare): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = cmp(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
