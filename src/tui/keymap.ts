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
  { keys: 's  S', what: 'sort by the next column / reverse the order' },
  { keys: 'e', what: 'export the session or all filtered sessions' },
  { keys: 'f', what: 'findings: what an expert would point out in the capture' },
  { keys: 'o', what: 'overview: statistics of the sessions shown (as mailscope stats)' },
  { keys: '?', what: 'help' },
  { keys: 'q', what: 'quit' },
];

export const FILTER_KEYS: readonly KeyHelp[] = [
  { keys: 'Enter', what: 'apply the filter' },
  { keys: 'Esc', what: 'leave the filter bar (the applied filter stays)' },
  { keys: '↑ ↓', what: 'filter history' },
  { keys: 'Tab', what: 'complete a field name' },
  { keys: '← → Home End', what: 'move the caret; Ctrl-U clears' },
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

/** The footer's short forms. */
export const FOOTER = {
  list: [['↑↓/jk', 'move'], ['Enter', 'open'], ['/', 'filter'], ['s', 'sort'], ['e', 'export'], ['f', 'findings'], ['o', 'stats'], ['?', 'help'], ['q', 'quit']],
  findings: [['↑↓/jk', 'move'], ['Enter', 'open the session'], ['Esc/f', 'back'], ['q', 'quit']],
  filter: [['Enter', 'apply'], ['Esc', 'cancel'], ['↑↓', 'history'], ['Tab', 'complete']],
  detail: [['↑↓/jk', 'scroll'], ['n/N', 'next/prev failure'], ['Tab', 'fold'], ['e', 'export'], ['x', 'extract'], ['Esc', 'back'], ['q', 'quit']],
  export: [['Enter', 'write'], ['Esc', 'cancel']],
  extract: [['Enter', 'extract'], ['Esc', 'cancel']],
  help: [['Esc/?', 'close']],
  stats: [['↑↓/jk', 'scroll'], ['Esc/o', 'back'], ['q', 'quit']],
} as const;
