/**
 * The reading pipeline's memory limits as the command line set them
 * (--max-connections, --idle-timeout); every read uses them unless its caller
 * passes its own. One place, so that every command (read, transcript, stats,
 * the UI, capture) keeps the same budget.
 */
import { DEFAULT_LIMITS, type TableLimits } from '../tcp/connection-table.js';

let current: TableLimits = { ...DEFAULT_LIMITS };

export function tableLimits(): TableLimits {
  return current;
}

export function setTableLimits(limits: Partial<TableLimits>): void {
  current = { ...current, ...limits };
}
