/** A one-line progress display on stderr, only when stderr is a terminal (never in pipes or logs). */
import { formatBytes } from '../export/session-line.js';

export function stderrProgress(label: string): ((p: { frames: number; bytesRead: number; totalBytes: number }) => void) & { done(): void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let shown = false;
  const update = (p: { frames: number; bytesRead: number; totalBytes: number }) => {
    if (!tty) return;
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    shown = true;
    const pct = p.totalBytes > 0 ? Math.min(100, Math.floor((p.bytesRead / p.totalBytes) * 100)) : 0;
    process.stderr.write(`\r\x1b[K${label}: ${pct}% of ${formatBytes(p.totalBytes)}, ${p.frames} frames`);
  };
  return Object.assign(update, {
    done() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  });
}
