/**
 * Every session read so far, in the order they came, kept outside React
 * state, in memory bounded by design:
 *
 * - every session's row (what the list shows and sorts by) in a RowTable,
 *   about 100 bytes each;
 * - whole sessions in memory until their JSON reaches `residentBytes`
 *   (8 MiB by default: every session of an ordinary capture, some thousands); past that, a
 *   session goes to a scratch file as JSON with its findings and is read
 *   back when something needs it whole (the detail view, a filter, stats,
 *   an export). The last sessions read back are kept, so the one open in the
 *   detail view stays the same object.
 *
 * A session whose id is already here (a live session in progress, then
 * finished) replaces the earlier one in its place.
 *
 * Over a ClickHouse store (`remote`), only the rows come in (addRow), and
 * whole sessions are fetched from the store when needed (store-sessions.ts):
 * nothing is kept in memory or in the scratch file but the rows.
 */
import { attachFindings, findingsFor, rememberFindings, type Finding } from '../findings/index.js';
import type { Session } from '../session/model.js';
import type { RowCells } from './row-cells.js';
import type { ListRow } from './list-row.js';
import { Column, RowTable } from './row-table.js';
import { SpillFile } from './spill-file.js';
import type { PendingFetch, StoreSessions } from './store-sessions.js';

/** JSON bytes of whole sessions kept in memory before the rest go to the scratch file. */
export const RESIDENT_BYTES = 8 << 20;
/** Sessions read back from the scratch file that stay parsed (the detail view's, mostly). */
const RECENT_SESSIONS = 64;
/** Row cells formatted for drawing that are kept (a screen's worth, many times over). */
const CELL_CACHE = 1024;

export interface StoreOptions {
  /** JSON bytes of whole sessions kept in memory (0: every session goes to the scratch file). */
  residentBytes?: number;
  /** Where the scratch file is made (the system's temporary folder by default). */
  scratchDir?: string;
  /** Called with each session as it is added, while it is still whole in memory (the findings list takes them so). */
  onAdd?: (session: Session) => void;
  /** The sessions are in a ClickHouse store: rows are added, sessions fetched from there. */
  remote?: StoreSessions;
}

export class SessionStore {
  readonly rows = new RowTable();
  private count = 0;
  /** Whole sessions in memory, by index; undefined for those in the scratch file. */
  private readonly resident: (Session | undefined)[] = [];
  /** JSON size of each session (resident or not), and where a spilled one is. */
  private readonly sizes = new Column((n) => new Uint32Array(n));
  private readonly offsets = new Column((n) => new Float64Array(n));
  private residentUsed = 0;
  private readonly residentLimit: number;
  private spill: SpillFile | null = null;
  private readonly scratchDir?: string;
  private readonly onAdd?: (session: Session) => void;
  private readonly recent = new Map<number, Session>();
  private readonly cellCache = new Map<number, RowCells>();
  /** Index + 1 by session id (ids are dense: numbered as connections open). */
  private readonly indexById = new Column((n) => new Uint32Array(n));
  private openCount = 0;
  /** Capture-level findings, given to each session they cite, also when it is read back. */
  private captureFindings: readonly Finding[] = [];
  private readonly cited = new Set<number>();
  /** Grows with every change, for views that cache what they derive from the store. */
  version = 0;
  readonly remote?: StoreSessions;

  constructor(options: StoreOptions = {}) {
    this.residentLimit = options.residentBytes ?? RESIDENT_BYTES;
    this.scratchDir = options.scratchDir;
    this.onAdd = options.onAdd;
    this.remote = options.remote;
  }

  get length(): number {
    return this.count;
  }

  /** Sessions still in progress (live snapshots). */
  get open(): number {
    return this.openCount;
  }

  /** Sessions kept in the scratch file, and its size in bytes. */
  get spilled(): { sessions: number; bytes: number } {
    let sessions = 0;
    for (let i = 0; i < this.count; i++) if (this.resident[i] === undefined) sessions++;
    return { sessions, bytes: this.spill?.size ?? 0 };
  }

  /** Adds sessions; returns the indices of those that replaced an earlier version (same id). */
  add(sessions: readonly Session[]): number[] {
    const replaced: number[] = [];
    for (const s of sessions) {
      if (s.closed === 'open') this.openCount++;
      let at = this.indexOf(s.id);
      if (at === undefined) {
        at = this.count++;
        this.indexById.set(s.id, at + 1);
      } else {
        if (this.rows.isOpen(at)) this.openCount--;
        replaced.push(at);
      }
      this.rows.set(at, s);
      this.cellCache.delete(at);
      this.place(at, s);
      this.onAdd?.(s);
    }
    if (sessions.length) this.version++;
    return replaced;
  }

  /** Adds the row of a session kept in the ClickHouse store (where its capture and id say), numbered `row.id`. */
  addRow(row: ListRow, capture: string, storeId: number): void {
    if (!this.remote) throw new Error('session store: rows without a ClickHouse store');
    const at = this.count++;
    this.indexById.set(row.id, at + 1);
    this.rows.setRow(at, row);
    this.remote.place(at, capture, storeId);
    this.version++;
  }

  /**
   * The JSON of the sessions requestMany() asked a ClickHouse store for, by
   * index; revive() makes each a session as the scan reaches it. A store that
   * does not answer gives none: the scan then asks for each, and is told.
   */
  takeMany(sent: PendingFetch): Map<number, string> {
    try {
      return this.remote!.collect(sent);
    } catch (err) {
      this.remote!.noteFailure(err);
      return new Map();
    }
  }

  /** A session fetched by takeMany(), as at() would give it. */
  revive(index: number, json: string): Session {
    return this.withCaptureFindings(this.remote!.revive(index, json, this.uiId));
  }

  /** Asks a ClickHouse store for these sessions without waiting (null: nothing to ask), for takeMany() later. */
  requestMany(indices: readonly number[]): PendingFetch | null {
    const wanted = indices.filter((i) => this.resident[i] === undefined && !this.recent.has(i));
    if (!this.remote || wanted.length === 0) return null;
    try {
      return this.remote.request(wanted);
    } catch (err) {
      this.remote.noteFailure(err);
      return null;
    }
  }

  /** How many sessions a scan should ask requestMany() for at once (0: nothing to fetch, the sessions are here). */
  get fetchBatch(): number {
    return this.remote?.batch ?? 0;
  }

  private readonly uiId = (index: number): number => this.rows.id(index);

  /** Store index of session `id`. */
  indexOf(id: number): number | undefined {
    const at = this.indexById.get(id);
    return at ? at - 1 : undefined;
  }

  /** The current version of session `id` (kept parsed while it is in use). */
  byId(id: number): Session | undefined {
    const at = this.indexOf(id);
    return at === undefined ? undefined : this.at(at);
  }

  /** The whole session at `index`, kept parsed for the next call (the detail view, an export). */
  at(index: number): Session {
    const held = this.resident[index] ?? this.recent.get(index);
    if (held) return held;
    const s = this.load(index);
    if (this.recent.size >= RECENT_SESSIONS) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(index, s);
    return s;
  }

  /** The whole session at `index` for one look (filters, statistics): not kept, so a scan of every session does not push out the one in use. */
  peek(index: number): Session {
    return this.resident[index] ?? this.recent.get(index) ?? this.load(index);
  }

  cellsAt(index: number): RowCells {
    let c = this.cellCache.get(index);
    if (c === undefined) {
      if (this.cellCache.size >= CELL_CACHE) this.cellCache.clear();
      c = this.rows.cells(index);
      this.cellCache.set(index, c);
    }
    return c;
  }

  /** Gives capture-level findings to the sessions they cite, now and whenever one is read back. */
  attachCaptureFindings(findings: readonly Finding[]): void {
    this.captureFindings = findings;
    this.cited.clear();
    for (const f of findings) if (f.scope === 'capture') for (const e of f.evidence) this.cited.add(e.session);
    const held: Session[] = [];
    for (const id of this.cited) {
      const at = this.indexOf(id);
      const s = at === undefined ? undefined : this.resident[at] ?? this.recent.get(at);
      if (s) held.push(s);
    }
    attachFindings(held, findings);
  }

  /** Frees the scratch file (and the store's reader). */
  close(): void {
    this.spill?.close();
    this.spill = null;
    this.remote?.close();
  }

  /** Keeps the session in memory while the budget allows, else writes it to the scratch file. */
  private place(at: number, s: Session): void {
    const before = this.resident[at];
    if (before) this.residentUsed -= this.sizes.get(at);
    this.recent.delete(at);
    const json = JSON.stringify(s);
    this.sizes.set(at, json.length);
    if (this.residentUsed + json.length <= this.residentLimit) {
      this.resident[at] = s;
      this.residentUsed += json.length;
      return;
    }
    this.resident[at] = undefined;
    // The session's findings go with it: they may have been computed with --local-domain.
    const record = Buffer.from(`${json}\n${JSON.stringify(findingsFor(s))}`);
    this.spill ??= new SpillFile(this.scratchDir);
    this.offsets.set(at, this.spill.append(record));
    this.sizes.set(at, record.length);
  }

  private load(index: number): Session {
    if (this.remote) return this.withCaptureFindings(this.remote.get(index, this.uiId));
    if (!this.spill) throw new Error(`session store: no session at ${index}`);
    const text = this.spill.read(this.offsets.get(index), this.sizes.get(index)).toString('utf8');
    const cut = text.indexOf('\n');
    const s = JSON.parse(text.slice(0, cut)) as Session;
    rememberFindings(s, JSON.parse(text.slice(cut + 1)) as Finding[]);
    return this.withCaptureFindings(s);
  }

  /** A session read back gets the capture-level findings that cite it. */
  private withCaptureFindings(s: Session): Session {
    if (this.cited.has(s.id)) attachFindings([s], this.captureFindings);
    return s;
  }
}

/**
 * A scan's reads (a filter's, the statistics', the findings', an export's),
 * fetched a batch ahead from a ClickHouse store: before each position,
 * `before` asks for the next batch once the last one is used up, and `peek`
 * reads from it. Each scan has its own batch, so two at once do not undo
 * each other's. For a file's sessions it only passes peek on to the store.
 */
export class ScanAhead {
  private until = 0;
  /** The current batch's JSON, by store index. */
  private batch = new Map<number, string>();
  /** The next batch, asked for already: its positions and the queries sent. */
  private next: { from: number; to: number; sent: PendingFetch | null } | null = null;

  constructor(private readonly store: SessionStore) {}

  /** Before reading position `at` of the scan; `indices(from, to)` gives the store indices of positions [from, to). */
  before(at: number, indices: (from: number, to: number) => readonly number[]): void {
    const size = this.store.fetchBatch;
    if (size === 0 || at < this.until) return;
    const next = this.next?.from === at ? this.next : null;
    this.until = next ? next.to : at + size;
    const sent = next ? next.sent : this.store.requestMany(indices(at, this.until));
    // The batch after is asked for before this one is taken, so the store prepares it while this one is read.
    const after = this.store.fetchBatch;
    this.next = { from: this.until, to: this.until + after, sent: this.store.requestMany(indices(this.until, this.until + after)) };
    this.batch = sent ? this.store.takeMany(sent) : new Map();
  }

  /** The whole session at `index`, for one look (see SessionStore.peek). */
  peek(index: number): Session {
    const json = this.batch.get(index);
    return json === undefined ? this.store.peek(index) : this.store.revive(index, json);
  }
}
