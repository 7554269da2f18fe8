/**
 * The store's tables. One row a session in `sessions`: the columns the
 * listing and ordering need, one array column per filter field
 * (columns.ts), and the whole session as JSON (the public contract,
 * schema/session.schema.json) for everything else. One row a capture in
 * `captures`: what was indexed, so that indexing the same capture again
 * adds nothing.
 *
 * Written for ClickHouse 18.16 (Debian's), the oldest server we support: no
 * DateTime64 (times are Float64 seconds beside a DateTime), no ON CLUSTER
 * without ZooKeeper (the tables are made on every node by its own URL), no
 * IF NOT EXISTS for columns (system.columns is asked first).
 *
 * Both tables are ReplacingMergeTree, keyed by (capture, id): a capture whose
 * indexing was cut short and is indexed again leaves one row per session
 * once merged, and queries read with FINAL. With a cluster, each node holds a
 * local table (sessions_local) and a Distributed one over them (sessions),
 * sharded by a hash of the capture and the session, so a session's copies
 * always land on one shard, where FINAL sees them together.
 */
import { STORED_FIELDS } from './columns.js';

export const SESSION_TABLE = 'sessions';
export const CAPTURE_TABLE = 'captures';

/** Columns of `sessions` besides the field columns: name and ClickHouse type. */
export const SESSION_COLUMNS: ReadonlyArray<[string, string]> = [
  ['capture', 'String'],
  ['capture_name', 'String'],
  /** The capture's first session's start: captures are listed in time order. */
  ['capture_start', 'Float64'],
  ['id', 'UInt32'],
  ['stream', 'UInt32'],
  ['protocol', 'String'],
  ['start', 'DateTime'],
  ['start_epoch', 'Float64'],
  ['end_epoch', 'Float64'],
  ['client_ip', 'String'],
  ['client_port', 'UInt16'],
  ['server_ip', 'String'],
  ['server_port', 'UInt16'],
  ['outcome', 'String'],
  ['failed', 'UInt8'],
  ['json', 'String'],
  /** What the UI's list shows of the session (tui/list-row.ts), so it lists the store without reading `json`. */
  ['row', 'String'],
  ['indexed_at', 'DateTime'],
];

export const CAPTURE_COLUMNS: ReadonlyArray<[string, string]> = [
  ['capture', 'String'],
  ['name', 'String'],
  ['files', 'Array(String)'],
  ['sessions', 'UInt32'],
  ['first_start', 'Float64'],
  ['sensor', 'String'],
  ['indexed_at', 'DateTime'],
];

export function sessionColumns(): Array<[string, string]> {
  return [...SESSION_COLUMNS, ...STORED_FIELDS.map((f): [string, string] => [f.column, f.sqlType])];
}

export interface TableNames {
  database: string;
  /** Cluster name (remote_servers) for Distributed tables; null: one node. */
  cluster: string | null;
}

/** `db`.`name`, quoted. */
export function qualified(db: string, name: string): string {
  return `${ident(db)}.${ident(name)}`;
}

/** A string literal: quotes and backslashes escaped, as ClickHouse reads them. */
export function sqlString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** An identifier in back quotes. */
export function ident(name: string): string {
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

/**
 * The statements that make one node's tables: the MergeTree table (named
 * `<table>_local` with a cluster, else `<table>`), and with a cluster the
 * Distributed table over every shard's local one.
 */
export function createStatements(t: TableNames): string[] {
  const db = t.database;
  const out = [`CREATE DATABASE IF NOT EXISTS ${ident(db)}`];
  const tables: Array<{ name: string; columns: Array<[string, string]>; engine: string; shardKey: string }> = [
    {
      name: SESSION_TABLE, columns: sessionColumns(),
      engine: 'ReplacingMergeTree(indexed_at) PARTITION BY toYYYYMM(start) ORDER BY (capture, id)',
      shardKey: 'cityHash64(capture, id)',
    },
    { name: CAPTURE_TABLE, columns: [...CAPTURE_COLUMNS], engine: 'ReplacingMergeTree(indexed_at) ORDER BY capture', shardKey: 'cityHash64(capture)' },
  ];
  for (const table of tables) {
    const local = t.cluster ? `${table.name}_local` : table.name;
    const cols = table.columns.map(([n, ty]) => `${ident(n)} ${ty}`).join(', ');
    out.push(`CREATE TABLE IF NOT EXISTS ${qualified(db, local)} (${cols}) ENGINE = ${table.engine}`);
    if (t.cluster) {
      out.push(`CREATE TABLE IF NOT EXISTS ${qualified(db, table.name)} AS ${qualified(db, local)} `
        + `ENGINE = Distributed(${sqlString(t.cluster)}, ${sqlString(db)}, ${sqlString(local)}, ${table.shardKey})`);
    }
  }
  return out;
}
