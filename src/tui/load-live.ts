/**
 * The UI's session source for a live capture (`mailscope -i IFACE`): the same
 * pipeline as a file, fed by the running capture; progress carries the
 * capture's packet, drop and rate counts once a second for the status bar.
 * Sessions still in progress come as snapshots (closed: 'open') and are
 * replaced, by id, when they change and when they end.
 */
import type { LiveCapture, LiveStats } from '../capture/live/live-capture.js';
import { defaultMachines } from '../protocols/registry.js';
import { parseDecodeAs } from '../session/identify.js';
import { readSessionsFrom } from '../session/read-sessions.js';
import type { KeyLog } from '../tls/keylog.js';
import { UI_BODY_BYTES } from './load-capture.js';
import { startLoad } from './early-load.js';
import type { LoadProgress, SessionLoader } from './use-sessions.js';
import type { Frame } from '../capture/frame.js';
import { teeCapture } from '../capture/live/packet-tee.js';

export interface LiveLoadOptions {
  iface: string;
  showSecrets: boolean;
  decodeAs: string[];
  /** Secrets to decrypt TLS with (--keylog, SSLKEYLOGFILE). */
  keylog?: KeyLog;
  /** Domains the server accepts mail for (--local-domain), for the open-relay findings. */
  localDomain?: string[];
  /** Sees every batch of packets before the pipeline (-w: the pcap writer). */
  tap?: (batch: Frame[]) => void;
}

/** How often sessions still in progress are shown again (when they changed). */
export const IN_PROGRESS_EVERY_MS = 1000;

export function liveLoader(capture: LiveCapture, options: LiveLoadOptions): SessionLoader {
  const toProgress = (s: LiveStats): LoadProgress => ({
    frames: s.packets, bytesRead: s.bytes, totalBytes: 0,
    live: { iface: options.iface, backend: s.backend, packets: s.packets, drops: s.drops, packetRate: s.packetRate },
  });
  return startLoad((feed) => {
    const onStats = (s: LiveStats): void => {
      try {
        feed.progress(toProgress(s));
      } catch {
        // The UI has quit and abandoned the load (its sink throws to stop the reader); the capture is
        // being stopped. A stats tick in between must not become an uncaught exception.
        capture.off('stats', onStats);
      }
    };
    capture.on('stats', onStats);
    return readSessionsFrom(options.tap ? teeCapture(capture, options.tap) : capture, {
      machines: defaultMachines,
      showSecrets: options.showSecrets,
      keepBodies: UI_BODY_BYTES,
      decodeAs: parseDecodeAs(options.decodeAs),
      keylog: options.keylog,
      inOrder: false,
      onSession: feed.session,
      // Sessions still going (an IMAP client idling for hours) show as they are, updated once a second.
      inProgress: { everyMs: IN_PROGRESS_EVERY_MS, onSnapshot: feed.session },
    });
  }, { localDomain: options.localDomain, progress: toProgress(capture.stats()) });
}
