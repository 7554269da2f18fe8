/**
 * What both session sources of the UI (files and a live capture) share: the
 * read starts at once, before the UI attaches, so nothing waits for React
 * and Ink to load; sessions and progress that arrive before then are kept
 * and handed over when it attaches; each session's findings are computed
 * with --local-domain as it arrives; and the end of the read becomes the
 * warnings and exit code `read` would give.
 */
import type { ReadStreamsResult } from '../pipeline/read-streams.js';
import { reportRead } from '../cli/report.js';
import { findingsHook } from '../findings/index.js';
import type { Session } from '../session/model.js';
import type { LoadProgress, LoadSink, LoadSummary, SessionLoader } from './use-sessions.js';

/** Where a read hands its sessions and progress. */
export interface LoadFeed {
  session(s: Session): void;
  progress(p: LoadProgress): void;
}

export function startLoad(
  /** The read; its result (absent for a store, which has no packets to report on) gives the warnings and exit code. */
  read: (feed: LoadFeed) => Promise<{ result?: ReadStreamsResult }>,
  options: { localDomain?: string[]; progress?: LoadProgress } = {},
): SessionLoader {
  let sink: LoadSink | undefined;
  const early: Session[] = [];
  let progress = options.progress;
  const findings = findingsHook(options.localDomain);
  const feed: LoadFeed = {
    session: (s) => {
      findings?.(s);
      if (sink) sink.onSession(s);
      else early.push(s);
    },
    // The UI's onProgress throws once it has quit: that stops the read.
    progress: (p) => {
      progress = p;
      sink?.onProgress(p);
    },
  };
  const done: Promise<LoadSummary> = read(feed).then(({ result }) => {
    const warnings: string[] = [];
    const code = result ? reportRead(result, (line) => warnings.push(line)) : 0;
    return { warnings, code };
  });
  // Until the UI attaches, a failure is kept for it, not reported as unhandled.
  done.catch(() => undefined);
  return (s) => {
    sink = s;
    if (progress) s.onProgress(progress);
    for (const session of early.splice(0)) s.onSession(session);
    return done;
  };
}
