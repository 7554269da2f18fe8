/** The help screen (?): every key, the quick filters with the expressions they fill in, and the colours. */
import { Box } from 'ink';
import { Text } from './text.js';
import { DETAIL_KEYS, FILTER_KEYS, FINDINGS_KEYS, HELP_KEYS, LIST_KEYS, SORT_KEYS, STATS_KEYS, type KeyHelp } from './keymap.js';
import type { QuickFilter } from './quick-filters.js';

export interface HelpScreenProps {
  quick: readonly QuickFilter[];
  width: number;
  height: number;
  /** First line shown (the help scrolls on small terminals). */
  top: number;
}

function section(title: string, keys: readonly KeyHelp[]): [string, string, string][] {
  return [['h', title, ''], ...keys.map((k): [string, string, string] => ['k', k.keys, k.what]), ['b', '', '']];
}

export function helpLines(quick: readonly QuickFilter[]): [kind: string, a: string, b: string][] {
  return [
    ...section('Session list', LIST_KEYS),
    ['h', 'Quick filters (in the list; each fills in the filter bar)', ''],
    ...quick.map((q): [string, string, string] => ['q', q.key, q.expression ? `${q.label}:  ${q.expression}` : q.label]),
    ['b', '', ''],
    ...section('Sort chooser (S)', SORT_KEYS),
    ...section('Filter bar', FILTER_KEYS),
    ...section('Session detail', DETAIL_KEYS),
    ...section('Findings (f)', FINDINGS_KEYS),
    ...section('Statistics (o)', STATS_KEYS),
    ...section('This help (?)', HELP_KEYS),
    ['h', 'Colours', ''],
    ['c', 'red', '5xx, -ERR, NO, BAD and failed authentication'],
    ['c', 'yellow', '4xx (temporary failure); a yellow bar marks exchanges the filter matched'],
    ['c', 'cyan', 'client lines (C:); server lines (S:) are plain'],
    ['c', 'magenta', 'anomalies and TCP symptoms (gaps, resets, retransmissions)'],
  ];
}

/** Where the help is scrolled to, for the footer: "lines 1–22 of 80" (nothing when it all fits). */
export function helpPosition(total: number, top: number, height: number): string | undefined {
  if (total <= height) return undefined;
  return `lines ${top + 1}–${Math.min(total, top + height)} of ${total}`;
}

export function HelpScreen({ quick, width, height, top }: HelpScreenProps) {
  const lines = helpLines(quick).slice(top, top + height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.map(([kind, a, b], i) => {
        if (kind === 'h') return <Text key={i} bold underline wrap="truncate">{a}</Text>;
        if (kind === 'b') return <Text key={i}> </Text>;
        return (
          <Text key={i} wrap="truncate">
            {'  '}<Text bold color="cyan">{a.padEnd(kind === 'q' ? 4 : 26)}</Text> {b}
          </Text>
        );
      })}
    </Box>
  );
}
