/** The bottom line while searching the detail view: the text being typed (as less's "/"), or what n / N now do. */
import { Box } from 'ink';
import { Text } from './text.js';
import type { LineState } from './internal/line-editor.js';

export interface SearchLineProps {
  line: LineState;
  editing: boolean;
  /** How many lines hold the text (shown once the search is applied). */
  matches: number;
  width: number;
}

export function SearchLine({ line, editing, matches, width }: SearchLineProps) {
  const { text, cursor } = line;
  if (editing) {
    return (
      <Box width={width}>
        <Text wrap="truncate">
          <Text bold color="cyan">/</Text>{text.slice(0, cursor)}<Text inverse>{text[cursor] ?? ' '}</Text>{text.slice(cursor + 1)}
          <Text dimColor>   Enter find · Esc cancel</Text>
        </Text>
      </Box>
    );
  }
  return (
    <Box width={width}>
      <Text wrap="truncate">
        <Text color={matches ? 'green' : 'red'}>{matches ? `${matches} line${matches === 1 ? '' : 's'} with "${text}"` : `"${text}" not found`}</Text>
        <Text>  </Text><Text bold color="cyan">n/N</Text> next/prev match  <Text bold color="cyan">/</Text> new search  <Text bold color="cyan">Esc</Text> clear
      </Text>
    </Box>
  );
}
