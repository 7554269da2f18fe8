/**
 * The UI over a ClickHouse store (ui --clickhouse) keeps only each session's
 * list row (about 160 bytes with the list's own, RowTable) and where the session is in the store
 * (its capture and id); whole sessions are fetched when something needs
 * them, a few at a time: the one the detail view opens, a slice of a scan
 * (a filter the SQL could not decide, the statistics, the findings, an
 * export). A filter typed in the filter bar goes to the store as SQL first
 * (store/filter-sql.ts), which answers with the ids that match, so an exact
 * filter over millions of sessions reads none of them.
 *
 * The queries wait for their answer (BlockingStore): the list, filters and
 * views stay synchronous over the SessionStore, as they are over its
 * scratch file.
 */
import { findingsHook } from '../findings/index.js';
import type { Session } from '../session/model.js';
import { BlockingStore } from '../store/blocking-store.js';
import { StoreError, type StoreOptions } from '../store/clickhouse-store.js';
import { filterToSql } from '../store/filter-sql.js';
import { qualified, SESSION_TABLE, sqlString } from '../store/schema.js';
import type { CompiledFilter } from './filter-adapter.js';
import type { SessionPredicate } from './list-model.js';
import { Column } from './row-table.js';

/**
 * JSON bytes a fetch aims at: the batch is sized by the sessions' average
 * size so far. The text is kept as it came and parsed session by session as
 * a scan reads it, so a big batch costs no long pause.
 */
const BATCH_BYTES = 8 << 20;
/** Sessions a fetch asks for at least and at most: a query costs about the same (~0.15 s over loopback) for 64 as for 4,096. */
const MIN_BATCH = 64;
const MAX_BATCH = 4096;

/** Queries sent for a batch of sessions, one a capture, whose answers are not taken yet. */
export interface PendingFetch {
  tickets: Array<[capture: number, ticket: number]>;
}

export interface StoreSessionsOptions {
  store: StoreOptions;
  /** The condition the load used (--capture, -Y's SQL): filters are asked within it. */
  where: string;
  showSecrets?: boolean;
  localDomain?: string[];
}

export class StoreSessions {
  private readonly captures: string[] = [];
  private readonly captureNo = new Map<string, number>();
  /** By UI index: which capture (its number in `captures`) and the session's id there. */
  private readonly captureOf = new Column((n) => new Uint32Array(n));
  private readonly storeIds = new Column((n) => new Uint32Array(n));
  /** First UI index of each capture (a capture's sessions are loaded together, in id order). */
  private readonly firstIndex: number[] = [];
  private count = 0;
  private reader: BlockingStore | null = null;
  private readonly findings: ((s: Session) => void) | null;
  private untranslated: string | null = null;
  /** What the store last said when a query failed, until the UI takes it (takeError) to show it. */
  private failure: string | null = null;
  /** Sessions fetched from the store so far, and the queries that did it (what the UI's work costs the store). */
  fetched = 0;
  queries = 0;
  private fetchedBytes = 0;
  /** Sessions a scan asks for at once: about BATCH_BYTES of JSON, from the sizes seen so far. */
  batch = 256;

  constructor(private readonly options: StoreSessionsOptions) {
    this.findings = findingsHook(options.localDomain);
  }

  /** Says where the session at UI index `index` is (indices come in order, from 0). */
  place(index: number, capture: string, id: number): void {
    let c = this.captureNo.get(capture);
    if (c === undefined) {
      c = this.captures.length;
      this.captures.push(capture);
      this.captureNo.set(capture, c);
      this.firstIndex.push(index);
    }
    this.captureOf.set(index, c);
    this.storeIds.set(index, id);
    this.count = index + 1;
  }

  /** The session at UI index `index`, numbered `uiId` (the UI numbers sessions on across captures). */
  get(index: number, uiId: (index: number) => number): Session {
    const s = this.fetch([index], uiId).get(index);
    if (!s) throw new StoreError(`session ${uiId(index)} is no longer in the store`);
    return s;
  }

  /** The sessions at these UI indices (the first `batch` of them), one query a capture; throws StoreError. */
  fetch(indices: readonly number[], uiId: (index: number) => number): Map<number, Session> {
    const got = new Map<number, Session>();
    for (const [at, json] of this.collect(this.request(indices))) got.set(at, this.revive(at, json, uiId));
    return got;
  }

  /** Asks for the sessions at these UI indices (the first `batch` of them) without waiting: collect() takes them. */
  request(indices: readonly number[]): PendingFetch {
    const byCapture = new Map<number, number[]>();
    for (const i of indices.slice(0, this.batch)) {
      const c = this.captureOf.get(i);
      const list = byCapture.get(c) ?? [];
      list.push(this.storeIds.get(i));
      byCapture.set(c, list);
    }
    const tickets: Array<[number, number]> = [];
    for (const [c, ids] of byCapture) {
      // Without FINAL (a third of the query's time): the copies of a session indexed again are told apart by their version here.
      tickets.push([c, this.store().send(`SELECT id, json, toUInt32(indexed_at) AS version FROM ${this.table} `
        + `WHERE capture = ${sqlString(this.captures[c])} AND id IN (${ids.join(',')})`)]);
      this.queries++;
    }
    return { tickets };
  }

  /** The JSON of the sessions a request() asked for, by UI index (parsed as they are read: revive()); throws StoreError. */
  collect(pending: PendingFetch): Map<number, string> {
    const got = new Map<number, string>();
    const versions = new Map<number, number>();
    for (const [c, ticket] of pending.tickets) {
      const rows = this.store().receive<{ id: number | string; json: string; version: number | string }>(ticket);
      for (const row of rows) {
        const at = this.indexOf(c, Number(row.id));
        if (at === undefined) continue;
        // As ReplacingMergeTree(indexed_at) keeps it: the latest version (equal ones come from the same capture, read alike).
        const version = Number(row.version);
        if ((versions.get(at) ?? -1) >= version) continue;
        versions.set(at, version);
        got.set(at, row.json);
      }
    }
    for (const json of got.values()) {
      this.fetched++;
      this.fetchedBytes += json.length;
    }
    if (this.fetched > 0) this.batch = Math.max(MIN_BATCH, Math.min(MAX_BATCH, Math.floor(BATCH_BYTES / (this.fetchedBytes / this.fetched))));
    return got;
  }

  /** A fetched session's JSON as the UI's session: numbered as the list numbers it, its findings computed with --local-domain. */
  revive(at: number, json: string, uiId: (index: number) => number): Session {
    const s = JSON.parse(json) as Session;
    s.id = uiId(at);
    this.findings?.(s);
    return s;
  }

  /**
   * The filter as the list applies it: the store answers which sessions
   * the filter's SQL selects, and only those are looked at; when the SQL
   * is exact they are not even read. A filter the SQL cannot narrow at all, or a
   * store that does not answer, is checked here on every session.
   */
  narrow(filter: CompiledFilter, text: string): SessionPredicate {
    let sql;
    try {
      sql = filterToSql(text, { secretsShown: this.options.showSecrets });
    } catch {
      return filter;
    }
    this.untranslated = sql.exact ? null : `not translated to SQL: ${[...new Set(sql.untranslated)].join('; ')}; `
      + (sql.where === '1' ? 'every session is read from the store and checked here' : 'the rest narrowed what the store gave, checked here');
    if (sql.where === '1' && !sql.exact) return filter;
    const hits = new Uint8Array(this.count);
    try {
      // One query whatever the number of captures: each capture's matching ids as one array.
      const rows = this.store().select<{ capture: string; ids: Array<number | string> }>(
        `SELECT capture, groupArray(id) AS ids FROM ${this.table} FINAL WHERE (${this.options.where}) AND (${sql.where}) GROUP BY capture`);
      for (const r of rows) {
        const c = this.captureNo.get(r.capture);
        if (c === undefined) continue;
        for (const id of r.ids) {
          const at = this.indexOf(c, Number(id));
          if (at !== undefined) hits[at] = 1;
        }
      }
    } catch (err) {
      this.failure = (err as Error).message;
      return filter;
    }
    return { matches: (s) => filter.matches(s), candidate: (i) => hits[i] === 1, exact: sql.exact };
  }

  /** What the last filter's SQL did not decide (said in the footer once), or null when it was exact. */
  takeUntranslated(): string | null {
    const u = this.untranslated;
    this.untranslated = null;
    return u;
  }

  /** Keeps a failure of the store that a scan swallowed (a filter's, which counts the session as not matching), for the footer. */
  noteFailure(err: unknown): void {
    if (err instanceof StoreError) this.failure = err.message;
  }

  /** The last failure of a query not thrown to the UI (a filter's, a scan's), once. */
  takeError(): string | null {
    const f = this.failure;
    this.failure = null;
    return f;
  }

  close(): void {
    this.reader?.close();
    this.reader = null;
  }

  private get table(): string {
    return qualified(this.options.store.database, SESSION_TABLE);
  }

  private store(): BlockingStore {
    this.reader ??= new BlockingStore(this.options.store);
    return this.reader;
  }

  /** UI index of a capture's session id: the capture's ids are in order, so a binary search of its range. */
  private indexOf(capture: number, id: number): number | undefined {
    let lo = this.firstIndex[capture];
    let hi = capture + 1 < this.firstIndex.length ? this.firstIndex[capture + 1] : this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.storeIds.get(mid);
      if (at === id) return mid;
      if (at < id) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  }
}
