/**
 * The UI's session source: readSessions over the capture files. It starts
 * reading as soon as it is created and keeps what it read until the UI
 * attaches; sessions come as they end, not in id order, so the first rows
 * show sooner (the list sorts them). What `read` would warn about is collected for the status line.
 */
import { defaultMachines } from '../protocols/registry.js';
import { parseDecodeAs } from '../session/identify.js';
import { readSessions } from '../session/read-sessions.js';
import type { KeyLog } from '../tls/keylog.js';
import { startLoad } from './early-load.js';
import type { SessionLoader } from './use-sessions.js';

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
  return startLoad((feed) => readSessions(options.files, {
    machines: defaultMachines,
    showSecrets: options.showSecrets,
    keepBodies: options.keepBodies ?? UI_BODY_BYTES,
    decodeAs: parseDecodeAs(options.decodeAs),
    keylog: options.keylog,
    inOrder: false,
    onSession: feed.session,
    onProgress: feed.progress,
  }), { localDomain: options.localDomain });
}
