/**
 * One session in detail: the lines from detail-lines.ts, scrolled. Client
 * lines are cyan, server lines plain, failing replies red (yellow for 4xx),
 * and the exchanges the filter matched carry a yellow bar in the gutter.
 */
import { Box, Text } from 'ink';
import { cellWidth } from './cells.js';
import type { DetailKind, DetailLine } from './detail-lines.js';

export interface DetailViewProps {
  lines: readonly DetailLine[];
  /** First line shown. */
  top: number;
  height: number;
  width: number;
}

const STYLE: Record<DetailKind, { color?: string; bold?: boolean; dim?: boolean; italic?: boolean }> = {
  title: { bold: true },
  info: {},
  good: { color: 'green' },
  bad: { color: 'red', bold: true },
  heading: { bold: true },
  client: { color: 'cyan' },
  server: {},
  warn: { color: 'yellow', bold: true },
  error: { color: 'red', bold: true },
  tls: { color: 'green' },
  anomaly: { color: 'magenta' },
  explain: { dim: true, italic: true },
  body: { dim: true },
  fold: { dim: true, italic: true },
  blank: {},
};

export function DetailView({ lines, top, height, width }: DetailViewProps) {
  const shown = lines.slice(top, top + height);
  const more = lines.length > height ? ` ${Math.min(lines.length, top + height)}/${lines.length}` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((l, i) => {
        const s = STYLE[l.kind];
        return (
          <Text key={top + i} wrap="truncate">
            <Text color="yellow">{l.matched ? '▌' : ' '}</Text>
            <Text color={s.color} bold={s.bold} dimColor={s.dim} italic={s.italic}>
              {' '}{l.text}
            </Text>
            {i === 0 && more ? <Text dimColor>{' '.repeat(Math.max(1, width - cellWidth(l.text) - 2 - more.length))}{more}</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}
