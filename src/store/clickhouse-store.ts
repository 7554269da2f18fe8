/**
 * The session store in ClickHouse, through the official client
 * (@clickhouse/client). What ClickHouse 18.16 (Debian's) needs of it,
 * found by trying each against the real server:
 * - inserts name their format (JSONEachRow): the client's default
 *   (JSONCompactEachRow) is not known to 18.16;
 * - no query parameters ({x:Type}): literals are written by schema.ts's
 *   quoting;
 * - errors arrive as text ("Code: 60, e.displayText() = DB::Exception: ...")
 *   the client does not parse: describeError reads them;
 * - a query that fails while its rows stream answers 200 and stops short:
 *   wait_end_of_query makes the server finish first, so the failure is an error.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Session } from '../session/model.js';
import { CAPTURE_TABLE, SESSION_TABLE, createStatements, qualified, sessionColumns, sqlString, ident, CAPTURE_COLUMNS, type TableNames } from './schema.js';

export interface StoreOptions {
  /** The nodes' HTTP URLs; queries and inserts go to the first, tables are made on each. */
  urls: string[];
  database: string;
  /** The cluster (remote_servers) to spread sessions over; null for one node. */
  cluster: string | null;
  /** Session ids a query reads at a time (see sessions()). */
  pageSize?: number;
}

/** Session ids read a page at a time: a page is a few granules of the (capture, id) key. */
const PAGE_SIZE = 10_000;

/** A session's list row as the store keeps it (listRows()). */
export interface StoredListRow {
  capture: string;
  id: number;
  /** JSON of its ListRow; '' for a session indexed before the store kept them. */
  row: string;
  /** The session's JSON when `row` is ''. */
  json: string;
}

/** A capture already in the store. */
export interface StoredCapture {
  capture: string;
  name: string;
  sessions: number;
}

export class StoreError extends Error {}

/** Reads ClickHouse's error text, and says what a failed connection means. */
export function describeError(err: unknown, url: string): string {
  const e = err as NodeJS.ErrnoException & { message?: string };
  const message = String(e?.message ?? err);
  if (e?.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) return `cannot reach ClickHouse at ${url}: connection refused (is clickhouse-server running there?)`;
  if (e?.code === 'ENOTFOUND') return `cannot reach ClickHouse at ${url}: unknown host`;
  const code = /Code: (\d+)/.exec(message);
  const text = /DB::Exception: ([^\n]*?)(?:, Stack trace|\s*$)/m.exec(message)?.[1] ?? message.split('\n')[0];
  return code ? `ClickHouse at ${url} said (code ${code[1]}): ${text}` : `ClickHouse at ${url}: ${text}`;
}

/**
 * The client library, loaded when a store is first opened: it takes some 25 ms
 * to import, which every run that reads a capture file would otherwise pay.
 */
type ClientModule = typeof import('@clickhouse/client');
let clientModule: Promise<ClientModule> | null = null;
const loadClient = (): Promise<ClientModule> => (clientModule ??= import('@clickhouse/client'));

export class ClickHouseStore {
  private readonly clients: ClickHouseClient[];

  private constructor(readonly options: StoreOptions, { createClient, ClickHouseLogLevel }: ClientModule) {
    this.clients = options.urls.map((url) => createClient({
      url,
      // A ping, a DDL or an insert batch takes well under this; a big query's rows stream.
      request_timeout: 300_000,
      clickhouse_settings: { wait_end_of_query: 1 },
      // Quiet: its advice on long queries (progress headers) is for load balancers, and every failure reaches us as an error we describe.
      log: { level: ClickHouseLogLevel.OFF },
    }));
  }

  /** Connects (pings every node) and makes the tables where they are missing. */
  static async open(options: StoreOptions): Promise<ClickHouseStore> {
    const store = new ClickHouseStore(options, await loadClient());
    try {
      await store.prepare();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  /** For a reader of tables made already (the UI's blocking queries): no DDL, so a table gone stays gone and says so. */
  static async reader(options: StoreOptions): Promise<ClickHouseStore> {
    return new ClickHouseStore(options, await loadClient());
  }

  private get tables(): TableNames {
    return { database: this.options.database, cluster: this.options.cluster };
  }

  /** `db`.`sessions`: the table to read and insert (Distributed with a cluster). */
  get sessionTable(): string {
    return qualified(this.options.database, SESSION_TABLE);
  }

  get captureTable(): string {
    return qualified(this.options.database, CAPTURE_TABLE);
  }

  private async run<T>(node: number, what: (c: ClickHouseClient) => Promise<T>): Promise<T> {
    try {
      return await what(this.clients[node]);
    } catch (err) {
      throw new StoreError(describeError(err, this.options.urls[node]));
    }
  }

  private async prepare(): Promise<void> {
    if (this.options.cluster) await this.checkCluster(this.options.cluster);
    // Without ZooKeeper 18.16 has no ON CLUSTER: each node gets its tables by its own URL.
    const nodes = this.options.cluster ? this.clients.length : 1;
    for (let n = 0; n < nodes; n++) {
      for (const query of createStatements(this.tables)) await this.run(n, (c) => c.command({ query }));
      await this.addMissingColumns(n);
    }
  }

  /** The cluster must be defined, and every one of its nodes listed, or some shard would have no tables. */
  private async checkCluster(cluster: string): Promise<void> {
    const rows = await this.select<{ n: string | number }>(`SELECT count() AS n FROM system.clusters WHERE cluster = ${sqlString(cluster)}`);
    const hosts = Number(rows[0]?.n ?? 0);
    if (hosts === 0) throw new StoreError(`ClickHouse at ${this.options.urls[0]} has no cluster "${cluster}" in its remote_servers`);
    if (hosts !== this.clients.length) {
      throw new StoreError(`cluster "${cluster}" has ${hosts} nodes; give the HTTP URL of each, comma-separated (--clickhouse http://a:8123,http://b:8123): `
        + 'ClickHouse without ZooKeeper cannot create the tables on the others');
    }
  }

  /** Fields added to mailscope after the tables were made get their columns (ALTER, as 18.16 has no ADD COLUMN IF NOT EXISTS). */
  private async addMissingColumns(node: number): Promise<void> {
    const db = this.options.database;
    const local = this.options.cluster ? `${SESSION_TABLE}_local` : SESSION_TABLE;
    for (const table of this.options.cluster ? [local, SESSION_TABLE] : [local]) {
      const have = new Set((await this.select<{ name: string }>(
        `SELECT name FROM system.columns WHERE database = ${sqlString(db)} AND table = ${sqlString(table)}`, node)).map((r) => r.name));
      for (const [name, type] of sessionColumns()) {
        if (!have.has(name)) await this.run(node, (c) => c.command({ query: `ALTER TABLE ${qualified(db, table)} ADD COLUMN ${ident(name)} ${type}` }));
      }
    }
  }

  async select<T>(query: string, node = 0): Promise<T[]> {
    return this.run(node, async (c) => (await c.query({ query, format: 'JSONEachRow' })).json<T>());
  }

  /** How many sessions a WHERE condition selects. */
  async count(where: string): Promise<number> {
    const rows = await this.select<{ n: number | string }>(`SELECT count() AS n FROM ${this.sessionTable} FINAL WHERE ${where}`);
    return Number(rows[0]?.n ?? 0);
  }

  /** The capture if it was indexed whole before. */
  async storedCapture(capture: string): Promise<StoredCapture | null> {
    const rows = await this.select<{ capture: string; name: string; sessions: number | string }>(
      `SELECT capture, name, sessions FROM ${this.captureTable} FINAL WHERE capture = ${sqlString(capture)} LIMIT 1`);
    return rows.length ? { capture: rows[0].capture, name: rows[0].name, sessions: Number(rows[0].sessions) } : null;
  }

  async insertSessions(rows: Array<Record<string, unknown>>): Promise<void> {
    await this.insert(this.sessionTable, rows);
  }

  async insertCapture(row: Record<string, unknown>): Promise<void> {
    for (const [name] of CAPTURE_COLUMNS) if (!(name in row)) throw new Error(`capture row without ${name}`);
    await this.insert(this.captureTable, [row]);
  }

  private async insert(table: string, values: Array<Record<string, unknown>>): Promise<void> {
    await this.run(0, (c) => c.insert({
      table, values, format: 'JSONEachRow',
      // Through a Distributed table: written to the shards before the insert returns, so a query right after sees them.
      clickhouse_settings: this.options.cluster ? { insert_distributed_sync: 1 } : {},
    }));
  }

  /**
   * The sessions a WHERE condition selects, in capture order then session
   * order, as their JSON says. Read a page at a time: first which captures
   * have any and their range of ids (one pass over the key and the filter's
   * columns), then each capture by ranges of ids, which the table's key
   * (capture, id) finds without reading the rest. So the first sessions
   * come after one small query however big the store is, no query holds
   * more than a page, and no ORDER BY ... LIMIT reads the store again for
   * each page (18.16 cannot read in key order).
   */
  async *sessions(where: string): AsyncGenerator<Session> {
    for await (const page of this.pages<{ json: string }>(where, 'json')) for (const row of page.rows) yield JSON.parse(row.json) as Session;
  }

  /**
   * What the UI's list needs of the sessions a WHERE condition selects, in
   * the order of sessions(): each one's capture, id and list row (tui/list-row.ts), not its JSON.
   * A session indexed before the store kept list rows comes with its JSON instead.
   */
  async *listRows(where: string): AsyncGenerator<StoredListRow> {
    for await (const page of this.pages<{ id: number | string; row: string }>(where, 'id, row')) {
      const older = page.rows.filter((r) => r.row === '').map((r) => Number(r.id));
      // Asked for apart, and only when there are any: the JSON column is big, and `if(row = '', json, '')` would read it for every row.
      const json = older.length === 0 ? new Map<number, string>() : new Map((await this.select<{ id: number | string; json: string }>(
        `SELECT id, json FROM ${this.sessionTable} FINAL WHERE capture = ${sqlString(page.capture)} AND id IN (${older.join(',')})`)).map((r) => [Number(r.id), r.json]));
      for (const r of page.rows) {
        const id = Number(r.id);
        yield { capture: page.capture, id, row: r.row, json: r.row === '' ? json.get(id) ?? '' : '' };
      }
    }
  }

  /** The `columns` of the rows a condition selects, by capture then id, a page of ids at a time (see sessions()). */
  private async *pages<T>(where: string, columns: string): AsyncGenerator<{ capture: string; rows: T[] }> {
    const page = this.options.pageSize ?? PAGE_SIZE;
    const captures = await this.select<{ capture: string; first: number | string; last: number | string }>(
      `SELECT capture, min(capture_start) AS start, min(id) AS first, max(id) AS last FROM ${this.sessionTable} WHERE ${where} GROUP BY capture ORDER BY start, capture`);
    for (const c of captures) {
      for (let from = Number(c.first); from <= Number(c.last); from += page) {
        const rows = await this.select<T>(`SELECT ${columns} FROM ${this.sessionTable} FINAL `
          + `WHERE capture = ${sqlString(c.capture)} AND id >= ${from} AND id < ${from + page} AND (${where}) ORDER BY id`);
        if (rows.length) yield { capture: c.capture, rows };
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }
}
