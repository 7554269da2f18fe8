/**
 * The findings view's content: every finding of the sessions read so far
 * (each session's own, taken as the session arrives) and, once the load is
 * done, the capture-level ones (password guessing, replies slow for their
 * server), which are then also given to the sessions they cite so the detail
 * view and the filter see them. Sessions are taken as they are added to the
 * store, so the list never needs them back from the store's scratch file.
 * Over a ClickHouse store, where only rows are added, the sessions are read
 * from the store when the view is first opened, in slices (scan()).
 */
import { findingsFor, FindingsAccumulator, sortFindings, type Finding } from '../findings/index.js';
import type { Session } from '../session/model.js';
import { ScanAhead, type SessionStore } from './session-store.js';

/** While a capture loads, the list is rebuilt at most this often (milliseconds). */
const REBUILD_MS = 1000;

export class FindingsList {
  /** Each session's own findings, by session id (only sessions that have some). */
  private readonly own = new Map<number, Finding[]>();
  private readonly acc = new FindingsAccumulator();
  private changed = true;
  private builtDone = false;
  private builtAt = -Infinity;
  private list: Finding[] = [];
  cursor = 0;
  top = 0;
  /** Over a ClickHouse store: how many of the store's sessions scan() has taken. */
  private scanned = 0;
  private ahead: ScanAhead | null = null;

  /** Takes a session as it is added to the store (a newer version of a live one replaces its findings). */
  take(s: Session): void {
    const own = findingsFor(s).filter((f) => f.scope === 'session');
    if (own.length) this.own.set(s.id, own);
    else this.own.delete(s.id);
    // Capture-level state counts each session once: its final version.
    if (s.closed !== 'open') this.acc.feed(s);
    this.changed = true;
  }

  /** Sessions of a ClickHouse store not yet taken (none for a file's, whose sessions are taken as they come). */
  behind(store: SessionStore): number {
    return store.remote ? store.length - this.scanned : 0;
  }

  /** Takes sessions of a ClickHouse store, fetched a slice at a time, until `deadline` (performance.now()). */
  scan(store: SessionStore, deadline: number): void {
    const n = store.length;
    while (this.scanned < n) {
      this.ahead ??= new ScanAhead(store);
      this.ahead.before(this.scanned, (from, to) => Array.from({ length: Math.min(to, n) - from }, (_v, k) => from + k));
      let s;
      try {
        s = this.ahead.peek(this.scanned);
      } catch {
        // The store did not answer (said in the footer): the findings are those of the sessions read so far.
        this.scanned = n;
        break;
      }
      this.scanned++;
      this.take(s);
      if ((this.scanned & 127) === 0 && performance.now() >= deadline) break;
    }
  }

  /** The findings, most severe first, then by session. */
  rows(store: SessionStore, done: boolean): readonly Finding[] {
    const now = performance.now();
    if (done === this.builtDone && (!this.changed || (!done && now - this.builtAt < REBUILD_MS))) return this.list;
    this.changed = false;
    this.builtDone = done;
    this.builtAt = now;
    const capture = this.acc.finish();
    if (done) store.attachCaptureFindings(capture);
    const own = [...this.own.keys()].sort((a, b) => a - b).flatMap((id) => this.own.get(id)!);
    this.list = sortFindings([...capture, ...own]);
    this.cursor = Math.min(this.cursor, Math.max(0, this.list.length - 1));
    return this.list;
  }

  move(delta: number, height: number): void {
    this.cursor = Math.max(0, Math.min(this.list.length - 1, this.cursor + delta));
    if (this.cursor < this.top) this.top = this.cursor;
    if (this.cursor >= this.top + height) this.top = this.cursor - height + 1;
  }

  selected(): Finding | undefined {
    return this.list[this.cursor];
  }
}
