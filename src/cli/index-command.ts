/**
 * `mailscope index FILE... --clickhouse URL [--database D] [--cluster NAME]`:
 * every session of a capture into the store, in batches, with progress. The
 * same capture indexed again adds nothing (it is known by its content:
 * store/capture-id.ts); --reindex reads it again, and the store keeps one
 * row per session (ReplacingMergeTree, read with FINAL). The files named are
 * one capture, merged by time as `read` merges them; --each makes every
 * file a capture of its own, so a sensor's rotated files can be indexed as
 * they come, each known on its own.
 */
import { basename } from 'node:path';
import { openCapture } from '../capture/open-capture.js';
import { findingsHook } from '../findings/index.js';
import { defaultMachines } from '../protocols/registry.js';
import { parseDecodeAs } from '../session/identify.js';
import { readSessionsFrom } from '../session/read-sessions.js';
import { captureId } from '../store/capture-id.js';
import { ClickHouseStore } from '../store/clickhouse-store.js';
import { SessionSink } from '../store/session-sink.js';
import type { KeyLog } from '../tls/keylog.js';
import { loadKeyLog } from './keylog-option.js';
import { stderrProgress } from './progress.js';
import type { SessionArgs } from './read-command.js';
import { EXIT, reportRead } from './report.js';
import { storeOptions, type StoreArgs } from './store-option.js';

export interface IndexArgs extends SessionArgs, StoreArgs {
  /** Index a capture again even if the store has it. */
  reindex?: boolean;
  /** Each file a capture of its own (rotated files indexed as they come), not all of them merged into one. */
  each?: boolean;
}

const warn = (line: string) => process.stderr.write(line + '\n');

export async function indexCommand(args: IndexArgs): Promise<number> {
  const options = storeOptions(args);
  if (options.urls.length === 0) {
    warn('mailscope: index needs --clickhouse URL (the HTTP interface of a ClickHouse server, e.g. http://127.0.0.1:8123)');
    return EXIT.usage;
  }
  // Every file is known (and each folder expanded) before anything is stored.
  const all = await openCapture(args.files);
  const captures = args.each ? all.files.map((f) => [f]) : [args.files];
  const keylog = loadKeyLog(args.keylog, warn);
  const store = await ClickHouseStore.open(options);
  try {
    let code: number = EXIT.ok;
    for (const paths of captures) code = Math.max(code, await indexCapture(store, paths, args, keylog));
    return code;
  } finally {
    await store.close();
  }
}

/** One capture (its files merged by time, as read merges them) into the store. */
async function indexCapture(store: ClickHouseStore, paths: string[], args: IndexArgs, keylog: KeyLog | undefined): Promise<number> {
  const input = await openCapture(paths);
  const id = captureId(input.files);
  const name = input.files.map((f) => basename(f)).join(', ');
  const known = await store.storedCapture(id);
  if (known && !args.reindex) {
    process.stdout.write(`${name}: already in ${store.sessionTable} (${known.sessions} session${known.sessions === 1 ? '' : 's'}, capture ${id.slice(0, 12)}); --reindex reads it again\n`);
    return EXIT.ok;
  }
  const sink = new SessionSink(store, { capture: id, name, start: 0 }, { onError: (message, n) => warn(`mailscope: ${n} sessions not stored: ${message}`) });
  const findings = findingsHook(args.localDomain);
  const progress = stderrProgress(`indexing ${name}`);
  const { result } = await readSessionsFrom(input, {
    machines: defaultMachines,
    showSecrets: args.showSecrets,
    decodeAs: parseDecodeAs(args.decodeAs),
    keylog,
    onSession: (s) => {
      findings?.(s);
      sink.add(s);
    },
    onProgress: progress,
    backpressure: () => sink.backpressure() ?? null,
  });
  const counters = await sink.finish();
  progress.done();
  const code = reportRead(result, warn);
  if (counters.failedBatches > 0) {
    warn(`mailscope: ${name}: ${counters.dropped} of ${counters.inserted + counters.dropped} sessions could not be stored; the capture is not marked as indexed`);
    return EXIT.usage;
  }
  await sink.recordCapture(input.files);
  const { cluster, urls } = store.options;
  const where = cluster ? ` (cluster ${cluster}, ${urls.length} nodes)` : '';
  process.stdout.write(`${name}: ${counters.inserted} session${counters.inserted === 1 ? '' : 's'} into ${store.sessionTable}${where}, capture ${id.slice(0, 12)}\n`);
  return code;
}
