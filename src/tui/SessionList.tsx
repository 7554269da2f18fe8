/**
 * The session list: a header and only the rows that fit on screen (the list
 * model picks the window), so 100,000 sessions cost what 20 do.
 */
import { Box } from 'ink';
import { Text } from './text.js';
import { fitCells } from './cells.js';
import type { PlacedColumn } from './columns.js';
import type { ListModel } from './list-model.js';
import type { SessionStore } from './session-store.js';
import { SessionRow } from './SessionRow.js';

export interface SessionListProps {
  store: SessionStore;
  model: ListModel;
  columns: readonly PlacedColumn[];
  /** Rows for sessions (the header is extra). */
  height: number;
  width: number;
  /** What to say when no session is shown. */
  empty: string;
}

export function SessionList({ store, model, columns, height, width, empty }: SessionListProps) {
  const { start, end } = model.window(height);
  const sort = model.sort;
  const header = columns
    .map((c, i) => {
      const mark = c.key === sort.column ? (sort.descending ? '▼' : '▲') : '';
      // The sort mark always shows: the title gives way to it in a narrow column.
      const title = c.title.length + mark.length > c.size ? c.title.slice(0, c.size - mark.length) : c.title;
      return (i ? ' ' : '') + fitCells(title + mark, c.size, c.align);
    })
    .join('');
  const rows = [];
  for (let r = start; r < end; r++) {
    const index = model.indexAt(r);
    rows.push(<SessionRow key={index} cells={store.cellsAt(index)} columns={columns} selected={r === model.cursor} />);
  }
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <Text bold underline wrap="truncate">{header}</Text>
      {rows.length ? rows : <Text dimColor>{empty}</Text>}
    </Box>
  );
}
