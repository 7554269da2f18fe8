/** The top line: what is open, how many sessions, how many match, and the load's progress while it runs. */
import { Box } from 'ink';
import { Text } from './text.js';
import { formatBytes } from '../export/session-line.js';
import { fitCells } from './cells.js';
import { ProgressBar } from './ProgressBar.js';
import type { LoadState } from './use-sessions.js';

export interface StatusBarProps {
  title: string;
  load: LoadState;
  /** Sessions matching the applied filter. */
  shown: number;
  filtered: boolean;
  /** While a filter is still being applied: the fraction of sessions looked at. */
  scanned?: number;
  width: number;
}

export function StatusBar({ title, load, shown, filtered, scanned, width }: StatusBarProps) {
  const matching = scanned === undefined ? `, ${shown} match` : `, ${shown} match so far (filtering: ${Math.floor(scanned * 100)}%)`;
  const count = `${load.sessions} session${load.sessions === 1 ? '' : 's'}` + (load.open ? ` (${load.open} in progress)` : '') + (filtered ? matching : '');
  if (load.phase === 'loading' && load.progress.live) {
    const l = load.progress.live;
    const drops = l.drops === null ? 'drops n/a' : `${l.drops.toLocaleString('en-US')} dropped`;
    const detail = ` ${count} · ${l.packets.toLocaleString('en-US')} packets · ${drops} · ${Math.round(l.packetRate).toLocaleString('en-US')} pkt/s (${l.backend})`;
    return (
      <Box width={width}>
        <Text wrap="truncate">
          <Text bold>{fitCells(`mailscope live on ${l.iface}`, Math.max(12, width - detail.length - 'capturing'.length - 2))} </Text>
          <Text color="green">capturing</Text>
          <Text>{detail}</Text>
        </Text>
      </Box>
    );
  }
  if (load.phase === 'loading') {
    const p = load.progress;
    const from = p.store;
    // From a store, the bar counts sessions (there are no frames or bytes to read).
    const goal = from?.total === undefined ? 0 : Math.min(from.total, from.limit);
    const fraction = from ? (goal > 0 ? load.sessions / goal : 0) : p.totalBytes > 0 ? p.bytesRead / p.totalBytes : 0;
    const detail = from
      ? ` ${count}${from.total === undefined ? '' : ` of ${from.total.toLocaleString('en-US')} in the store`}`
      : ` ${count} · ${p.frames.toLocaleString('en-US')} frames · ${formatBytes(p.bytesRead)} of ${formatBytes(p.totalBytes)}`;
    // The counts matter more than the bar, the bar more than the file name: the name gives way first.
    const barWidth = Math.max(8, Math.min(30, width - detail.length - 'mailscope  loading  100%'.length - title.length));
    const head = fitCells(`mailscope ${title}`, Math.max(12, width - barWidth - detail.length - ' loading  100%'.length - 1));
    return (
      <Box width={width}>
        <Text wrap="truncate">
          <Text bold>{head} </Text>
          <Text color="yellow">loading </Text>
          <ProgressBar fraction={fraction} width={barWidth} />
          <Text>{detail}</Text>
        </Text>
      </Box>
    );
  }
  const end = load.phase === 'failed' ? `  ${load.error ?? 'read failed'}` : load.warnings.length ? `  ${load.warnings[0]}` : '';
  return (
    <Box width={width}>
      <Text wrap="truncate">
        <Text bold>mailscope {title}</Text>
        <Text> · {count}</Text>
        {end ? <Text color="red">{end}</Text> : null}
      </Text>
    </Box>
  );
}
