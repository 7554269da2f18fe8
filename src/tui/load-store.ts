/**
 * The UI's session source over a ClickHouse store (ui --clickhouse): the
 * sessions the store holds (with --capture, one capture's; with -Y, the
 * ones the filter's SQL form selects), streamed into the UI's own session
 * store, which keeps every row and spills whole sessions to its scratch
 * file past its bound, so memory stays bounded however big the store is.
 * What the SQL translation could not decide is told to `warn` (said on
 * stderr once the UI has closed).
 * Sessions are numbered 1, 2, ... in capture order then session order (each
 * capture numbers its own from 1).
 */
import { storeSessions, type StoreArgs } from '../cli/store-option.js';
import { checkFilter } from '../filter/index.js';
import { startLoad } from './early-load.js';
import type { SessionLoader } from './use-sessions.js';

export interface StoreLoadOptions extends StoreArgs {
  filter?: string;
  showSecrets?: boolean;
  localDomain?: string[];
}

export function storeLoader(options: StoreLoadOptions, warn: (line: string) => void): SessionLoader {
  return startLoad(async (feed) => {
    let n = 0;
    // A filter that does not compile narrows nothing: the UI's filter bar shows its error, as it does over a file.
    const filter = checkFilter(options.filter ?? '', { secretsShown: options.showSecrets }) === null ? options.filter : undefined;
    for await (const s of storeSessions({ ...options, filter }, warn)) {
      // Ids are per capture, and the UI's list holds one session an id: they are numbered on across the captures.
      s.id = n + 1;
      feed.session(s);
      // Progress in sessions: the store's size is not known up front.
      if (++n % 500 === 0) feed.progress({ frames: n, bytesRead: 0, totalBytes: 0 });
    }
    return {};
  }, { localDomain: options.localDomain });
}
