/**
 * The UI's session source: readSessions over the capture files. It starts
 * reading as soon as it is created and keeps what it read until the UI
 * attaches; sessions come as they end, not in id order, so the first rows
 * show sooner (the list sorts them). What `read` would warn about is collected for the status line.
 */
import { reportRead } from '../cli/report.js';
import { findingsHook } from '../findings/index.js';
import { defaultMachines } from '../protocols/registry.js';
import { parseDecodeAs } from '../session/identify.js';
import type { Session } from '../session/model.js';
import { readSessions } from '../session/read-sessions.js';
import type { KeyLog } from '../tls/keylog.js';
import type { LoadProgress, LoadSink, LoadSummary, SessionLoader } from './use-sessions.js';

export interface CaptureLoadOptions {
  files: string[];
  showSecrets: boolean;
  decodeAs: string[];
  /** Secrets to decrypt TLS with (--keylog, SSLKEYLOGFILE), loaded by the command line. */
  keylog?: KeyLog;
  /** Bytes of each message body kept for the detail view. */
  keepBodies?: number;
  /** Domains the server accepts mail for (--local-domain), for the open-relay findings. */
  localDomain?: string[];
}

/** Bytes of each message body kept by default: enough to see the headers, bounded for 100,000 sessions. */
export const UI_BODY_BYTES = 2048;

export function captureLoader(options: CaptureLoadOptions): SessionLoader {
  let sink: LoadSink | undefined;
  const early: Session[] = [];
  let progress: LoadProgress | undefined;
  const findings = findingsHook(options.localDomain);
  const done: Promise<LoadSummary> = readSessions(options.files, {
    machines: defaultMachines,
    showSecrets: options.showSecrets,
    keepBodies: options.keepBodies ?? UI_BODY_BYTES,
    decodeAs: parseDecodeAs(options.decodeAs),
    keylog: options.keylog,
    inOrder: false,
    onSession: (s) => {
      findings?.(s);
      if (sink) sink.onSession(s);
      else early.push(s);
    },
    onProgress: (p) => (sink ? sink.onProgress(p) : (progress = p)),
  }).then(({ result }) => {
    const warnings: string[] = [];
    const code = reportRead(result, (line) => warnings.push(line));
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
