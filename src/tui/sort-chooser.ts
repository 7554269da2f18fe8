/**
 * The sort chooser (S in the list): one key picks the column to sort by,
 * instead of pressing s until it comes round. Picking the column already
 * sorted by, or S again, reverses the order, so S S does what S alone did
 * before the chooser. Only the columns on screen are offered: a sort mark on
 * a column that is not shown would tell nothing.
 */
import type { Column } from './columns.js';
import type { SortOrder } from './list-model.js';

export type SortChoice = { kind: 'sort'; order: SortOrder } | { kind: 'cancel' } | { kind: 'none' };

export function sortChoice(input: string, escape: boolean, columns: readonly Column[], current: SortOrder): SortChoice {
  if (escape) return { kind: 'cancel' };
  if (input === 'S') return { kind: 'sort', order: { ...current, descending: !current.descending } };
  const column = columns.find((c) => c.sortKey === input);
  if (!column) return { kind: 'none' };
  if (column.key === current.column) return { kind: 'sort', order: { ...current, descending: !current.descending } };
  return { kind: 'sort', order: { column: column.key, descending: false } };
}
