/**
 * One session in detail: the lines from detail-lines.ts, scrolled. Client
 * lines are cyan, server lines plain, failing replies red (yellow for 4xx),
 * and the exchanges the filter matched carry a yellow bar in the gutter;
 * the text of a search ("/") is shown inverse where it occurs.
 */
import { Box } from 'ink';
import { Text } from './text.js';
import { cellWidth } from './cells.js';
import type { DetailKind, DetailLine } from './detail-lines.js';

export interface DetailViewProps {
  lines: readonly DetailLine[];
  /** First line shown. */
  top: number;
  height: number;
  width: number;
  /** Text to mark wherever it occurs, in any case ('' for none). */
  search?: string;
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

/** The text cut around each occurrence of `search` (any case): [plain, found, plain, found, ..., plain]. */
export function splitAtMatches(text: string, search: string): string[] {
  if (!search) return [text];
  // Lower-casing keeps indices for all but a few letters (İ); for those, search as typed.
  const folded = text.toLowerCase();
  const same = folded.length === text.length;
  const lower = same ? folded : text;
  const q = same ? search.toLowerCase() : search;
  const out: string[] = [];
  let from = 0;
  for (let at = lower.indexOf(q); at >= 0; at = lower.indexOf(q, at + q.length)) {
    out.push(text.slice(from, at), text.slice(at, at + q.length));
    from = at + q.length;
  }
  out.push(text.slice(from));
  return out;
}

export function DetailView({ lines, top, height, width, search = '' }: DetailViewProps) {
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
              {' '}{splitAtMatches(l.text, search).map((piece, j) => (j % 2 ? <Text key={j} inverse>{piece}</Text> : piece))}
            </Text>
            {i === 0 && more ? <Text dimColor>{' '.repeat(Math.max(1, width - cellWidth(l.text) - 2 - more.length))}{more}</Text> : null}
          </Text>
        );
      })}
    </Box>
  );
}
