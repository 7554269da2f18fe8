/** `mailscope read FILE... [--format text|ndjson|json]` and `mailscope transcript FILE... [--session N...] [--out DIR]`. */
import { statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Output } from '../export/output.js';
import type { Lang } from '../explain/index.js';
import { formatTranscript, formatTranscriptMarked } from '../export/transcript.js';
import { findingsHook } from '../findings/index.js';
import { defaultMachines } from '../protocols/registry.js';
import { parseDecodeAs } from '../session/identify.js';
import type { Session } from '../session/model.js';
import { readSessions } from '../session/read-sessions.js';
import { loadKeyLog } from './keylog-option.js';
import { stderrProgress } from './progress.js';
import { readInParallel } from '../parallel/parallel-read.js';
import { sessionFormatter, type SessionJob } from '../parallel/session-job.js';
import { EXIT, reportRead } from './report.js';
import { compileOrReport } from './filter-option.js';
import { sessionLineWidth } from '../export/session-line.js';
import { displayZoneText } from '../util/display-zone.js';
import { storeSessions, type StoreArgs } from './store-option.js';

export interface SessionArgs extends StoreArgs {
  files: string[];
  showSecrets: boolean;
  decodeAs: string[];
  /** --keylog: an NSS key log to decrypt TLS with (else SSLKEYLOGFILE). */
  keylog?: string;
  /** A display filter (--filter / -Y): only the sessions it matches are shown. */
  filter?: string;
  /** Domains the server accepts mail for (--local-domain), for the open-relay findings. */
  localDomain?: string[];
}

export interface ReadArgs extends SessionArgs {
  format: 'text' | 'ndjson' | 'json' | 'ecs';
  /** Decode threads besides the main one (--workers); 0: none; default: cores - 1, at most 2, for big captures on 3 or more cores. */
  workers?: number;
}

export interface TranscriptArgs extends SessionArgs {
  session: number[];
  out?: string;
  /** With out: replace files already there (else they are kept, and the run fails). */
  overwrite?: boolean;
  /** Show the start of each message body, up to this many bytes (0: summaries only). */
  bodies: number;
  /** Explain each failing reply under it (default true; --no-explain). */
  explain?: boolean;
  /** Language of the explanations (--lang). */
  lang?: Lang;
}

const warn = (line: string) => process.stderr.write(line + '\n');

export async function eachSession(args: SessionArgs & { bodies?: number }, onSession: (s: Session) => void, out?: Output): Promise<number> {
  if (args.clickhouse !== undefined) {
    // From the store: the sessions as they were indexed; the caller checks its filter on each as it does reading a file.
    const findings = findingsHook(args.localDomain);
    for await (const s of storeSessions(args, warn)) {
      findings?.(s);
      onSession(s);
      const wait = out?.backpressure();
      if (wait) await wait;
    }
    return EXIT.ok;
  }
  const keylog = loadKeyLog(args.keylog, warn);
  const progress = stderrProgress('reading');
  const findings = findingsHook(args.localDomain);
  const { result } = await readSessions(args.files, {
    machines: defaultMachines,
    showSecrets: args.showSecrets,
    keepBodies: args.bodies,
    decodeAs: parseDecodeAs(args.decodeAs),
    keylog,
    onSession: findings ? (s) => (findings(s), onSession(s)) : onSession,
    onProgress: progress,
    backpressure: out ? () => out.backpressure() : undefined,
  });
  progress.done();
  return reportRead(result, warn);
}

export async function readCommand(args: ReadArgs): Promise<number> {
  const filter = compileOrReport(args.filter, args.showSecrets);
  if (!filter) return 1;
  const out = new Output(process.stdout);
  const job: SessionJob = { format: args.format, width: sessionLineWidth(process.stdout), filter: args.filter ?? '', localDomain: args.localDomain, tz: displayZoneText() };
  let count = 0;
  if (args.format === 'json') out.write('[');
  const write = (text: string | null) => {
    if (text === null) return;
    if (args.format === 'json') out.write((count ? ',\n' : '\n') + text);
    else out.write(text + '\n');
    count++;
  };
  const workers = workerCount(args);
  let code: number;
  if (workers > 0) {
    loadKeyLog(args.keylog, warn); // its errors and warnings here, once: the workers read it again quietly
    const progress = stderrProgress('reading');
    const result = await readInParallel(args.files, {
      workers,
      setup: { ...job, showSecrets: args.showSecrets, decodeAs: args.decodeAs, keylog: args.keylog },
      onOutput: write,
      onProgress: progress,
      backpressure: () => out.backpressure(),
    });
    progress.done();
    code = reportRead(result, warn);
  } else {
    const format = sessionFormatter(job);
    code = await eachSession({ ...args, localDomain: undefined }, (s) => write(format(s)), out);
  }
  if (args.format === 'json') out.write(count ? '\n]\n' : ']\n');
  if (args.format === 'text') out.write(`${count} mail session${count === 1 ? '' : 's'}\n`);
  await out.end();
  if (code === EXIT.ok && args.filter?.trim() && count === 0) return EXIT.noMatch;
  return code;
}

/** Captures smaller than this are read in one thread unless --workers asks otherwise: starting threads costs more than they save. */
const PARALLEL_FROM_BYTES = 16 << 20;
/** Decode threads a read starts at most unless --workers asks for more (see workerCount). */
const MAX_DEFAULT_WORKERS = 2;

/**
 * Decode threads besides the main one: --workers, or by default one per core
 * but the one the main thread (capture, reassembly) keeps busy, for a capture
 * big enough to gain from them. 0: everything in the main thread.
 */
function workerCount(args: ReadArgs): number {
  if (args.clickhouse !== undefined) return 0;
  if (args.workers !== undefined) return Math.max(0, Math.floor(args.workers));
  let bytes = 0;
  for (const f of args.files) {
    try {
      bytes += statSync(f).size;
    } catch {
      return 0; // the single-threaded read reports the file
    }
  }
  // On two cores a worker gains 5-15 % on the bench capture, but on floods of open connections each
  // thread holds its share of them next to the main thread's table: 100,000 half-open connections
  // peak at 288 MiB with one worker against 226 MiB without, past the 256 MiB bound, so none there.
  // The main thread's own share (reading, reassembly, shipping the bytes) is about 1.1 s of the 230 MB
  // bench capture's 2.1 s in one thread, the decoding 1.5 s of CPU: two workers, with the main thread
  // decoding when they fall behind, keep up with it (estimated from a 2-core profile: no machine here
  // has more), while each worker adds 40 to 60 MiB on a flood of open connections.
  return defaultWorkers(bytes, availableParallelism());
}

/** The decode threads a read of `bytes` of capture starts on `cores` cores when --workers does not say. */
export function defaultWorkers(bytes: number, cores: number): number {
  return bytes >= PARALLEL_FROM_BYTES && cores >= 3 ? Math.min(cores - 1, MAX_DEFAULT_WORKERS) : 0;
}

export async function transcriptCommand(args: TranscriptArgs): Promise<number> {
  const filter = compileOrReport(args.filter, args.showSecrets);
  if (!filter) return 1;
  const wanted = new Set(args.session);
  const out = new Output(process.stdout);
  const files: string[] = [];
  if (args.out) await mkdir(args.out, { recursive: true });
  const pending: Promise<void>[] = [];
  const kept: string[] = [];
  let first = true;
  let shown = 0;
  const code = await eachSession(args, (s) => {
    if (wanted.size > 0 && !wanted.has(s.id)) return;
    if (!filter.matches(s)) {
      if (wanted.has(s.id)) shown++; // asked for by number, and present: not "missing", only filtered out
      return;
    }
    shown++;
    const options = { explain: args.explain, lang: args.lang };
    const text = args.filter?.trim() ? formatTranscriptMarked(s, new Set(filter.matchingExchanges(s)), options) : formatTranscript(s, options);
    if (args.out) {
      const path = join(args.out, `session-${String(s.id).padStart(4, '0')}-${s.protocol}.txt`);
      // 'wx': never replace a file already there unless asked (as extract does).
      pending.push(writeFile(path, text, { flag: args.overwrite ? 'w' : 'wx' }).then(() => { files.push(path); }, (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
        kept.push(path);
      }));
    } else {
      out.write((first ? '' : '\n') + text);
      first = false;
    }
  });
  await Promise.all(pending);
  if (args.out) out.write(`wrote ${files.length} transcript${files.length === 1 ? '' : 's'} to ${args.out}\n`);
  await out.end();
  if (kept.length > 0) {
    warn(`mailscope: ${kept.length} transcript${kept.length === 1 ? ' was' : 's were'} not written: ${kept[0]}${kept.length > 1 ? ' and others' : ''} already exist${kept.length === 1 ? 's' : ''} (--overwrite replaces them)`);
    return code || EXIT.usage;
  }
  if (wanted.size > 0 && shown < wanted.size) {
    warn(`mailscope: ${wanted.size - shown} of the requested sessions are not in the capture (sessions are numbered from 1; see mailscope read)`);
    return code || 1;
  }
  if (code === EXIT.ok && args.filter?.trim() && shown === 0) return EXIT.noMatch;
  return code;
}
