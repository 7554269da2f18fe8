/**
 * --clickhouse URL[,URL...] [--database D] [--cluster NAME] [--capture C]:
 * sessions from the store instead of a capture file. The display filter is
 * translated to SQL (store/filter-sql.ts); whatever part of it has no exact
 * translation narrows nothing and is said so on stderr, and every command
 * still checks the whole filter on each session it gets, as it does reading
 * a file, so the results are the same.
 */
import { ClickHouseStore, type StoreOptions } from '../store/clickhouse-store.js';
import { filterToSql } from '../store/filter-sql.js';
import { sqlString } from '../store/schema.js';
import type { Session } from '../session/model.js';

export interface StoreArgs {
  /** --clickhouse: the HTTP URL of a node (with --cluster, of each node, comma-separated). */
  clickhouse?: string;
  database?: string;
  cluster?: string;
  /** --capture: only this capture's sessions (its id, a prefix of it, or its name). */
  capture?: string;
}

export const DEFAULT_DATABASE = 'mailscope';

/**
 * Sessions the UI lists from a store at most, by default: a bound on its
 * memory (about 160 bytes a row: 1,000,000 rows take some 160 MiB) that a
 * store of months of sessions would otherwise pass. Past it the status bar
 * says how many there are, and -Y, --capture or `ui --limit` give the rest.
 */
export const STORE_UI_LIMIT = 1_000_000;

export function storeOptions(args: StoreArgs): StoreOptions {
  const urls = (args.clickhouse ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  return { urls, database: args.database ?? DEFAULT_DATABASE, cluster: args.cluster ?? null };
}

/** The sessions of the store the filter may match (the caller checks it on each), in capture and session order. */
export async function* storeSessions(args: StoreArgs & { filter?: string; showSecrets?: boolean }, warn: (line: string) => void): AsyncGenerator<Session> {
  const where = storeWhere(args, warn);
  const store = await ClickHouseStore.open(storeOptions(args));
  try {
    yield* store.sessions(where);
  } finally {
    await store.close();
  }
}

/**
 * The SQL condition for the sessions the filter may match, within --capture.
 * What the filter's SQL does not decide is said with `warn`.
 */
export function storeWhere(args: StoreArgs & { filter?: string; showSecrets?: boolean }, warn: (line: string) => void): string {
  const sql = filterToSql(args.filter ?? '', { secretsShown: args.showSecrets });
  if (!sql.exact) {
    const parts = [...new Set(sql.untranslated)];
    warn(`mailscope: not translated to SQL: ${parts.join('; ')}; ${sql.where === '1' ? 'every session in the store is read and the filter checked here' : 'the rest narrows the sessions read, and the whole filter is checked here on them'}`);
  }
  if (!args.capture) return sql.where;
  const c = sqlString(args.capture);
  return `(${sql.where}) AND (capture = ${c} OR capture_name = ${c} OR startsWith(capture, ${c}))`;
}
