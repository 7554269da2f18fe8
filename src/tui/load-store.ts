/**
 * The UI's session source over a ClickHouse store (ui --clickhouse): the
 * list rows of the sessions the store holds (with --capture, one
 * capture's; with -Y, the ones the filter's SQL form selects), and a
 * StoreSessions that fetches whole sessions from the store when the UI
 * needs them. So the UI holds about 100 bytes a session however big the
 * store is, and nothing goes to its scratch file.
 * What the SQL translation of -Y could not decide is told to `warn` (said on
 * stderr once the UI has closed).
 * Sessions are numbered 1, 2, ... in capture order then session order (each
 * capture numbers its own from 1).
 */
import { STORE_UI_LIMIT, storeOptions, storeWhere, type StoreArgs } from '../cli/store-option.js';
import { checkFilter } from '../filter/index.js';
import type { Session } from '../session/model.js';
import { ClickHouseStore } from '../store/clickhouse-store.js';
import { listRow, type ListRow } from './list-row.js';
import { StoreSessions } from './store-sessions.js';
import type { LoadProgress, LoadSink, LoadSummary, SessionLoader } from './use-sessions.js';

export interface StoreLoadOptions extends StoreArgs {
  filter?: string;
  showSecrets?: boolean;
  localDomain?: string[];
  /** At most this many sessions (STORE_UI_LIMIT by default). */
  limit?: number;
}



export interface StoreSource {
  loader: SessionLoader;
  /** Where the UI fetches whole sessions (its SessionStore's `remote`). */
  sessions: StoreSessions;
}

/** The read starts at once, as a file's does (early-load.ts): rows that come before the UI attaches wait for it. */
export function storeSource(options: StoreLoadOptions, warn: (line: string) => void): StoreSource {
  // A filter that does not compile narrows nothing: the UI's filter bar shows its error, as it does over a file.
  const filter = checkFilter(options.filter ?? '', { secretsShown: options.showSecrets }) === null ? options.filter : undefined;
  const where = storeWhere({ ...options, filter }, warn);
  const store = storeOptions(options);
  const sessions = new StoreSessions({ store, where, showSecrets: options.showSecrets, localDomain: options.localDomain });
  let sink: LoadSink | undefined;
  const early: Array<[ListRow, string, number]> = [];
  let progress: LoadProgress | undefined;
  const take = (row: ListRow, capture: string, id: number) => {
    if (!sink) early.push([row, capture, id]);
    else if (sink.onRow) sink.onRow(row, capture, id);
    else throw new Error('the UI takes no store rows');
  };
  const done: Promise<LoadSummary> = (async () => {
    const reader = await ClickHouseStore.open(store);
    try {
      let n = 0;
      const limit = options.limit ?? STORE_UI_LIMIT;
      // Asked beside the rows, for the progress bar: a count over the whole store may take a while.
      let total: number | undefined;
      const counted = reader.count(where).then((k) => (total = k), () => undefined);
      progress = { frames: 0, bytesRead: 0, totalBytes: 0, store: { limit } };
      sink?.onProgress(progress);
      for await (const r of reader.listRows(where)) {
        if (n === limit) {
          await counted;
          if (total === undefined) total = await reader.count(where);
          const fmt = (k: number) => k.toLocaleString('en-US');
          return { warnings: [`showing the first ${fmt(limit)} of ${fmt(total)} sessions in the store: narrow them with -Y or --capture, or raise --limit`], code: 0 };
        }
        const row = r.row ? JSON.parse(r.row) as ListRow : listRow(JSON.parse(r.json) as Session);
        // Ids are per capture, and the UI's list holds one session an id: they are numbered on across the captures.
        row.id = ++n;
        take(row, r.capture, r.id);
        // Progress in sessions: the store's size is not known up front. The UI's onProgress throws once it has quit: that stops the read.
        if (n % 500 === 0) {
          progress = { frames: n, bytesRead: 0, totalBytes: 0, store: { total, limit } };
          sink?.onProgress(progress);
        }
      }
      await counted;
      return { warnings: [], code: 0 };
    } finally {
      await reader.close();
    }
  })();
  // Until the UI attaches, a failure is kept for it, not reported as unhandled.
  done.catch(() => undefined);
  const loader: SessionLoader = (s) => {
    sink = s;
    if (progress) s.onProgress(progress);
    for (const [row, capture, id] of early.splice(0)) take(row, capture, id);
    return done;
  };
  return { loader, sessions };
}
