/** One row of the session list: the cells laid out by the columns in force, the outcome coloured by severity. */
import { Text } from './text.js';
import { memo } from 'react';
import { fitCells } from './cells.js';
import type { PlacedColumn } from './columns.js';
import type { RowCells } from './row-cells.js';

export interface SessionRowProps {
  cells: RowCells;
  columns: readonly PlacedColumn[];
  selected: boolean;
}

const OUTCOME_COLOUR = { error: 'red', warn: 'yellow', ok: undefined } as const;

export const SessionRow = memo(function SessionRow({ cells, columns, selected }: SessionRowProps) {
  const parts = columns.map((c, i) => {
    const text = (i ? ' ' : '') + fitCells(cells[c.key], c.size, c.align);
    if (c.key === 'outcome') return <Text key={c.key} color={OUTCOME_COLOUR[cells.severity]} bold={cells.severity !== 'ok'}>{text}</Text>;
    if (c.key === 'anomalies' && cells.anomalyCount) return <Text key={c.key} color="magenta">{text}</Text>;
    if (c.key === 'tls' && cells.tls) return <Text key={c.key} color="green">{text}</Text>;
    return <Text key={c.key}>{text}</Text>;
  });
  return <Text wrap="truncate" inverse={selected}>{parts}</Text>;
});
