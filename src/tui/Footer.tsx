/** The bottom line: the main keys of the current screen, or a notice (what an export wrote) until the next key. */
import { Box } from 'ink';
import { cellWidth } from './cells.js';
import { FOOTER } from './keymap.js';
import { Text } from './text.js';

/** The screens of the UI; the export dialog's footer reads `extract` while it asks for a folder. */
export type Screen = Exclude<keyof typeof FOOTER, 'extract'>;

export interface FooterProps {
  screen: keyof typeof FOOTER;
  width: number;
  notice?: { text: string; error?: boolean };
  /** Said after the keys, dimmed: where a scrolling screen is ("lines 1–22 of 80"). */
  position?: string;
}

type Entry = readonly [key: string, what: string];

const entryWidth = ([k, what]: Entry) => cellWidth(k) + 1 + cellWidth(what);

/** The entries that fit in `room` (two spaces between): whole entries are left out before the last two. */
export function fitEntries(entries: readonly Entry[], room: number): Entry[] {
  const kept = [...entries];
  const total = () => kept.reduce((n, e, i) => n + entryWidth(e) + (i ? 2 : 0), 0);
  while (total() > room && kept.length > 2) kept.splice(kept.length - 3, 1);
  return kept;
}

export function Footer({ screen, width, notice, position }: FooterProps) {
  if (notice) {
    return (
      <Box width={width}>
        <Text wrap="truncate" color={notice.error ? 'red' : 'green'}>{notice.text}</Text>
      </Box>
    );
  }
  const tail = position ? `  ${position}` : '';
  const entries = fitEntries(FOOTER[screen], width - cellWidth(tail));
  return (
    <Box width={width}>
      <Text wrap="truncate">
        {entries.map(([k, what], i) => (
          <Text key={k}>
            {i ? '  ' : ''}
            <Text bold color="cyan">{k}</Text> {what}
          </Text>
        ))}
        {tail ? <Text dimColor>{tail}</Text> : null}
      </Text>
    </Box>
  );
}
