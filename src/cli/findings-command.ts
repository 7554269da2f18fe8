/**
 * `mailscope findings FILE... [--format text|ndjson] [--filter EXPR] [--local-domain D...]`:
 * what an expert would point out, per session and for the whole capture.
 * NDJSON streams each session's findings as the session ends and the
 * capture-level ones (password guessing, replies slow for their server) at
 * the end; text is grouped by severity, so it is printed at the end.
 */
import { Output } from '../export/output.js';
import { formatFindingsText } from '../findings/format.js';
import { FindingsAccumulator, type Finding } from '../findings/index.js';
import { defaultMachines } from '../protocols/registry.js';
import { parseDecodeAs } from '../session/identify.js';
import { readSessions } from '../session/read-sessions.js';
import { loadKeyLog } from './keylog-option.js';
import { stderrProgress } from './progress.js';
import { reportRead } from './report.js';
import { compileOrReport } from './filter-option.js';
import { jsonText } from '../export/json-line.js';
import type { ReadStreamsResult } from '../pipeline/read-streams.js';
import type { Session } from '../session/model.js';
import { storeSessions, type StoreArgs } from './store-option.js';

export interface FindingsArgs extends StoreArgs {
  files: string[];
  format: 'text' | 'ndjson';
  filter?: string;
  localDomain: string[];
  decodeAs: string[];
  /** --keylog: an NSS key log to decrypt TLS with (else SSLKEYLOGFILE). */
  keylog?: string;
  /** Failed logins from one client that make password guessing (default 10). */
  threshold?: number;
}

const warn = (line: string) => process.stderr.write(line + '\n');

export async function findingsCommand(args: FindingsArgs): Promise<number> {
  const filter = compileOrReport(args.filter);
  if (!filter) return 1;
  const out = new Output(process.stdout);
  const acc = new FindingsAccumulator({ localDomains: args.localDomain, guessingThreshold: args.threshold });
  const all: Finding[] = [];
  let sessions = 0;
  const onSession = (s: Session): void => {
    const own = acc.compute(s);
    if (!filter.matches(s)) return;
    acc.feed(s);
    sessions++;
    if (args.format === 'ndjson') for (const f of own) out.write(jsonText(f) + '\n');
    else all.push(...own);
  };
  let result: ReadStreamsResult | null = null;
  if (args.clickhouse !== undefined) {
    // Every session of the store (or of --capture), unfiltered: each one is looked at, as reading a file looks at each.
    for await (const s of storeSessions({ ...args, filter: '' }, warn)) onSession(s);
  } else {
    const progress = stderrProgress('reading');
    result = (await readSessions(args.files, {
      machines: defaultMachines,
      decodeAs: parseDecodeAs(args.decodeAs),
      keylog: loadKeyLog(args.keylog, warn),
      onProgress: progress,
      onSession,
    })).result;
    progress.done();
  }
  const capture = acc.finish();
  if (args.format === 'ndjson') for (const f of capture) out.write(jsonText(f) + '\n');
  else out.write(formatFindingsText([...capture, ...all], sessions));
  await out.end();
  return result ? reportRead(result, warn) : 0;
}
