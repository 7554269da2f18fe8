/**
 * The filter bar, like Wireshark's: the expression on the first line, green
 * when it parses and red when it does not; on the second, the parser's
 * message under a caret at the position it names, or a hint.
 */
import { Box, Text } from 'ink';
import { escapeString } from '../util/escape.js';
import type { QuickFilter } from './quick-filters.js';
import type { FilterState } from './use-filter.js';

export interface FilterBarProps {
  filter: FilterState;
  focused: boolean;
  width: number;
  /** Matching sessions, shown once the expression is applied. */
  shown: number;
  quick: readonly QuickFilter[];
}

const LABEL = 'Filter: ';

export function FilterBar({ filter, focused, width, shown, quick }: FilterBarProps) {
  const { line, status } = filter;
  const room = Math.max(10, width - LABEL.length - 12);
  // Scroll the expression sideways so the caret stays visible.
  const offset = Math.max(0, line.cursor - room + 1);
  const visible = line.text.slice(offset, offset + room);
  const caret = line.cursor - offset;
  const background = status.kind === 'valid' ? 'green' : status.kind === 'invalid' ? 'red' : undefined;
  const tag = status.kind === 'valid' ? (line.text === filter.appliedText ? ' applied' : ' valid') : status.kind === 'invalid' ? ' invalid' : '';

  let input;
  if (focused) {
    const before = visible.slice(0, caret);
    const at = visible[caret] ?? ' ';
    const after = visible.slice(caret + 1);
    input = (
      <Text backgroundColor={background} color={background ? 'black' : undefined}>
        {before}
        <Text inverse>{at}</Text>
        {after}
      </Text>
    );
  } else {
    input = visible ? <Text backgroundColor={background} color={background ? 'black' : undefined}>{visible}</Text> : <Text dimColor>(none: / to type one)</Text>;
  }

  let second;
  if (status.kind === 'invalid') {
    const e = status.error;
    const pos = Math.max(0, Math.min(e.position - offset, room));
    const marks = '^' + '~'.repeat(Math.max(0, Math.min(e.length, room - pos) - 1));
    const hint = e.suggestions.length && !e.message.includes('did you mean') ? ` (did you mean ${e.suggestions.slice(0, 3).join(', ')}?)` : '';
    const message = escapeString(e.message) + hint;
    const at = LABEL.length + pos;
    // The message goes after the caret when it fits there, else before it when that has room.
    const after = at + marks.length + 1 + message.length <= width || message.length + 1 > at;
    second = (
      <Text color="red" wrap="truncate">
        {after ? `${' '.repeat(at)}${marks} ${message}` : `${message.padStart(at - 1)} ${marks}`}
      </Text>
    );
  } else if (focused && filter.candidates.length) {
    second = <Text dimColor wrap="truncate">{filter.candidates.join('  ')}</Text>;
  } else if (focused) {
    second = (
      <Text dimColor wrap="truncate">
        {status.kind === 'valid' ? 'valid: Enter applies' : 'type a display filter, e.g. smtp.response.code >= 400; Enter applies, Esc leaves'}
        {' · ↑↓ history · Tab completes a field'}
      </Text>
    );
  } else {
    const keys = quick.map((q) => q.key).join(' ');
    second = (
      <Text dimColor wrap="truncate">
        {filter.appliedText ? `${shown} matching · ` : ''}quick filters: {keys} (? lists them)
      </Text>
    );
  }

  return (
    <Box flexDirection="column" width={width} height={2}>
      <Text wrap="truncate">
        <Text bold color={focused ? 'cyan' : undefined}>{LABEL}</Text>
        {input}
        <Text color={background}>{tag}</Text>
      </Text>
      {second}
    </Box>
  );
}
