/** The statistics view (o): `mailscope stats` of the sessions the list shows (the applied filter's), scrollable. */
import { Box } from 'ink';
import { Text } from './text.js';

export interface StatsViewProps {
  lines: readonly string[];
  top: number;
  height: number;
  width: number;
  /** The applied filter, named in the title ('' for none). */
  filter: string;
}

export function StatsView({ lines, top, height, width, filter }: StatsViewProps) {
  const shown = lines.slice(top, top + height - 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">Statistics{filter ? ` of the sessions matching ${filter}` : ''}{lines.length > height - 1 ? `  ${Math.min(lines.length, top + height - 1)}/${lines.length}` : ''}</Text>
      {shown.map((l, i) => (
        <Text key={top + i} wrap="truncate" bold={/^[A-Z]/.test(l)}>{l || ' '}</Text>
      ))}
    </Box>
  );
}
