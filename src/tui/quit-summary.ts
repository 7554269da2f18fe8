/**
 * The line printed on stdout once the UI is gone, so the shell keeps a record
 * of what was looked at (the alternate screen takes the UI with it):
 * "21 sessions read from captures/demo.pcap; 5 matched smtp.response.code >= 500".
 */
import type { LoadState } from './use-sessions.js';

/** What the list showed as the user quit. */
export interface QuitView {
  /** Sessions the list showed (those matching the applied filter). */
  shown: number;
  /** The applied filter's text ('' for none). */
  filter: string;
  /** Whether the filter had looked at every session read (a big store is filtered in slices). */
  complete: boolean;
}

const sessions = (n: number) => `${n} session${n === 1 ? '' : 's'}`;

/** `title`: the files read (as the top line shows them); ignored for a live capture, which names its interface. */
export function quitSummary(title: string, load: LoadState, view: QuitView): string {
  const live = load.progress.live;
  let read: string;
  if (live) {
    const drops = live.drops === null ? '' : `, ${live.drops} dropped`;
    const open = load.open ? ` (${load.open} still open)` : '';
    read = `${sessions(load.sessions)}${open} captured on ${live.iface} (${live.packets} packets${drops})`;
  } else {
    read = `${sessions(load.sessions)} read from ${title}${load.phase === 'loading' ? ' (quit before the end of the file)' : ''}`;
  }
  if (!view.filter) return `${read}; no filter applied`;
  return `${read}; ${view.shown}${view.complete ? '' : ' so far'} matched ${view.filter}`;
}
