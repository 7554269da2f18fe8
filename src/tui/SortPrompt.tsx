/** The sort chooser (S), drawn in the filter bar's two lines: each column's key, the current one marked ▲ or ▼. */
import { Box } from 'ink';
import type { PlacedColumn } from './columns.js';
import type { SortOrder } from './list-model.js';
import { Text } from './text.js';

export interface SortPromptProps {
  columns: readonly PlacedColumn[];
  sort: SortOrder;
  width: number;
}

export function SortPrompt({ columns, sort, width }: SortPromptProps) {
  return (
    <Box flexDirection="column" width={width} height={2}>
      <Text wrap="truncate">
        Sort by:
        {columns.map((c) => (
          <Text key={c.key}>
            {'  '}<Text bold color="cyan">{c.sortKey}</Text> {c.name}{c.key === sort.column ? (sort.descending ? '▼' : '▲') : ''}
          </Text>
        ))}
      </Text>
      <Text dimColor wrap="truncate">the column sorted by again, or S, reverses the order · Esc cancels</Text>
    </Box>
  );
}
