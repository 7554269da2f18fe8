/**
 * The filter bar, like Wireshark's: the expression on the first line, green
 * when it parses and red when it does not; on the second, the parser's
 * message under a caret at the position it names, or a hint.
 */
import { Box } from 'ink';
import { Text } from './text.js';
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

  // The part the parser complains about is underlined in the expression itself, so it is marked even when the message needs the whole line below.
  const bad = status.kind === 'invalid' ? { from: status.error.position - offset, to: status.error.position - offset + Math.max(1, status.error.length) } : null;
  let input;
  if (focused || visible) {
    const shownText = focused && caret >= visible.length ? visible + ' ' : visible;
    input = (
      <Text backgroundColor={background} color={background ? 'black' : undefined}>
        {styledRuns(shownText, focused ? caret : -1, bad).map((run, i) => (
          <Text key={i} inverse={run.caret} underline={run.bad}>{run.text}</Text>
        ))}
      </Text>
    );
  } else {
    input = <Text dimColor>(none: / to type one)</Text>;
  }

  let second;
  if (status.kind === 'invalid') {
    const e = status.error;
    const pos = Math.max(0, Math.min(e.position - offset, room));
    const marks = '^' + '~'.repeat(Math.max(0, Math.min(e.length, room - pos) - 1));
    const hint = e.suggestions.length && !e.message.includes('did you mean') ? ` (did you mean ${e.suggestions.slice(0, 3).join(', ')}?)` : '';
    const message = escapeString(e.message) + hint;
    const at = LABEL.length + pos;
    // The message goes after the caret when it fits there, else before it when that has room, else it takes the whole
    // line (the bad part is underlined above).
    const text = at + marks.length + 1 + message.length <= width
      ? `${' '.repeat(at)}${marks} ${message}`
      : message.length + 1 <= at - 1 ? `${message.padStart(at - 1)} ${marks}` : message;
    second = <Text color="red" wrap="truncate">{text}</Text>;
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

interface Run {
  text: string;
  caret: boolean;
  bad: boolean;
}

/** Splits the shown expression into runs of the same style: the caret's cell, and the cells of the parser's error. */
function styledRuns(text: string, caret: number, bad: { from: number; to: number } | null): Run[] {
  const runs: Run[] = [];
  for (let i = 0; i < text.length; i++) {
    const style = { caret: i === caret, bad: bad !== null && i >= bad.from && i < bad.to };
    const last = runs[runs.length - 1];
    if (last && last.caret === style.caret && last.bad === style.bad) last.text += text[i];
    else runs.push({ text: text[i]!, ...style });
  }
  return runs;
}
