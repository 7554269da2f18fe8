/** The keys, as the footer and the help screen show them. */

export interface KeyHelp {
  keys: string;
  what: string;
}

export const LIST_KEYS: readonly KeyHelp[] = [
  { keys: '↑ ↓  j k', what: 'move' },
  { keys: 'PgUp PgDn', what: 'page' },
  { keys: 'g G', what: 'first / last session' },
  { keys: 'Enter', what: 'open the session' },
  { keys: '/  Tab', what: 'edit the filter' },
  { keys: 's', what: 'sort by the next column' },
  { keys: 'S', what: 'sort by a column you choose: S, then its key (shown; n number, t time, o outcome ...); the same column again, or S S, reverses' },
  { keys: 'e', what: 'export the session or all filtered sessions' },
  { keys: 'f', what: 'findings: what an expert would point out in the capture' },
  { keys: 'o', what: 'overview: statistics of the sessions shown (as mailscope stats)' },
  { keys: 'L', what: 'explanations, statistics and exports in the next language (English, 简体中文)' },
  { keys: '?', what: 'help' },
  { keys: 'q  Ctrl-C', what: 'quit; a line with the sessions read and matched stays on the terminal' },
];

export const FILTER_KEYS: readonly KeyHelp[] = [
  { keys: 'Enter', what: 'apply the filter' },
  { keys: 'Esc', what: 'leave the filter bar (the applied filter stays)' },
  { keys: '↑ ↓', what: 'filter history' },
  { keys: 'Tab', what: 'complete a field name' },
  { keys: '← → Home End', what: 'move the caret; Ctrl-U clears' },
];

export const SORT_KEYS: readonly KeyHelp[] = [
  { keys: 'n t p c v u o x b l a', what: 'sort by number, time, protocol, client, server, user, outcome, replies (Ex), bytes, TLS, anomalies' },
  { keys: 'S', what: 'reverse the order (as does the key of the column sorted by)' },
  { keys: 'Esc', what: 'leave the order as it is' },
];

export const HELP_KEYS: readonly KeyHelp[] = [
  { keys: '↑ ↓  j k  PgUp PgDn  g G', what: 'scroll this help (the footer shows the lines in view)' },
  { keys: 'Esc  ?  q', what: 'close it' },
];

export const FINDINGS_KEYS: readonly KeyHelp[] = [
  { keys: '↑ ↓  j k  PgUp PgDn  g G', what: 'move' },
  { keys: 'Enter', what: 'open the session the finding cites' },
  { keys: 'Esc  f', what: 'back to the list' },
];

export const STATS_KEYS: readonly KeyHelp[] = [
  { keys: '↑ ↓  j k  PgUp PgDn  g G', what: 'scroll' },
  { keys: 'Esc  o', what: 'back to the list' },
];

export const DETAIL_KEYS: readonly KeyHelp[] = [
  { keys: '↑ ↓  j k  PgUp PgDn  g G', what: 'scroll' },
  { keys: 'n N', what: 'next / previous failing or matched exchange (after a search: the next / previous match)' },
  { keys: '/', what: 'search the transcript (any case); Esc clears the search' },
  { keys: 'Tab', what: 'unfold / fold message bodies' },
  { keys: 'e', what: 'export this session' },
  { keys: 'x', what: 'extract the session\'s messages and attachments to a folder' },
  { keys: 'L', what: 'explanations in the next language (English, 简体中文)' },
  { keys: 'Esc', what: 'back to the list' },
];

/**
 * The footer's short forms. When the terminal is too narrow for all of them,
 * the footer leaves out whole entries before the last two (help or back, and
 * quit: how to learn the rest and how to leave), never half an entry: the
 * entries are in the order they are kept.
 */
export const FOOTER = {
  list: [['↑↓', 'move'], ['Enter', 'open'], ['/', 'filter'], ['L', 'language'], ['s/S', 'sort'], ['e', 'export'], ['f', 'findings'], ['o', 'stats'], ['?', 'help'], ['q', 'quit']],
  sort: [['n t p c …', 'column'], ['S', 'reverse'], ['Esc', 'cancel']],
  findings: [['↑↓/jk', 'move'], ['Enter', 'open the session'], ['Esc/f', 'back'], ['q', 'quit']],
  filter: [['Enter', 'apply'], ['Esc', 'cancel'], ['↑↓', 'history'], ['Tab', 'complete']],
  detail: [['↑↓/jk', 'scroll'], ['n/N', 'next/prev failure'], ['/', 'search'], ['L', 'language'], ['Tab', 'fold'], ['e', 'export'], ['x', 'extract'], ['Esc', 'back'], ['q', 'quit']],
  export: [['Enter', 'write'], ['Esc', 'cancel']],
  extract: [['Enter', 'extract'], ['Esc', 'cancel']],
  help: [['↑↓/jk PgUp/PgDn', 'scroll'], ['Esc/?', 'close']],
  stats: [['↑↓/jk', 'scroll'], ['Esc/o', 'back'], ['q', 'quit']],
} as const;
