/**
 * The session list's columns and how they fit a terminal width: columns of
 * low priority are dropped until the outcome (the column that matters most)
 * has room; the outcome then takes whatever width is left.
 */
import type { RowCells } from './row-cells.js';

export type ColumnKey = 'id' | 'time' | 'proto' | 'client' | 'server' | 'user' | 'outcome' | 'ex' | 'bytes' | 'tls' | 'anomalies';

export interface Column {
  key: ColumnKey;
  /** Header text. */
  title: string;
  /** Width when shown (the outcome's is its minimum). */
  width: number;
  align: 'left' | 'right';
  /** Lower numbers are dropped first when the terminal is narrow. */
  priority: number;
  /** Name in the help screen and the sort indicator. */
  name: string;
  /** The key that picks it in the sort chooser (S); a letter of its name where one is free. */
  sortKey: string;
}

/** In display order. */
export const COLUMNS: readonly Column[] = [
  { key: 'id', title: '#', width: 6, align: 'right', priority: 100, name: 'number', sortKey: 'n' },
  { key: 'time', title: 'Time', width: 8, align: 'left', priority: 50, name: 'time', sortKey: 't' },
  { key: 'proto', title: 'Proto', width: 5, align: 'left', priority: 90, name: 'protocol', sortKey: 'p' },
  { key: 'client', title: 'Client', width: 20, align: 'left', priority: 80, name: 'client', sortKey: 'c' },
  { key: 'server', title: 'Server', width: 21, align: 'left', priority: 30, name: 'server', sortKey: 'v' },
  { key: 'user', title: 'User', width: 12, align: 'left', priority: 70, name: 'user', sortKey: 'u' },
  { key: 'outcome', title: 'Outcome', width: 24, align: 'left', priority: 100, name: 'outcome', sortKey: 'o' },
  { key: 'ex', title: 'Ex', width: 4, align: 'right', priority: 20, name: 'replies', sortKey: 'x' },
  { key: 'bytes', title: 'Bytes', width: 8, align: 'right', priority: 10, name: 'bytes', sortKey: 'b' },
  { key: 'tls', title: 'TLS', width: 3, align: 'left', priority: 60, name: 'TLS', sortKey: 'l' },
  { key: 'anomalies', title: 'Anom', width: 4, align: 'left', priority: 60, name: 'anomalies', sortKey: 'a' },
];

export interface PlacedColumn extends Column {
  /** Width given at this terminal width. */
  size: number;
}

/** The columns that fit in `width`, with their sizes; one space separates columns. */
export function layoutColumns(width: number): PlacedColumn[] {
  let shown = [...COLUMNS];
  const need = (cols: readonly Column[]) => cols.reduce((n, c) => n + c.width, 0) + cols.length - 1;
  const byPriority = [...COLUMNS].sort((a, b) => a.priority - b.priority);
  for (const drop of byPriority) {
    if (need(shown) <= width || drop.priority >= 100) break;
    shown = shown.filter((c) => c !== drop);
  }
  const spare = Math.max(0, width - need(shown));
  return shown.map((c) => ({ ...c, size: c.key === 'outcome' ? Math.max(1, c.width + spare) : c.width }));
}


export function cellText(cells: RowCells, key: ColumnKey): string {
  return cells[key];
}
