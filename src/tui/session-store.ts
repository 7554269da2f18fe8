/**
 * Every session read so far, in the order they came, kept outside React
 * state: the UI holds 100,000 sessions without copying arrays on each update.
 * Row cells are computed the first time a row is needed and kept. A session
 * whose id is already here (a live session in progress, then finished)
 * replaces the earlier one in its place.
 */
import type { Session } from '../session/model.js';
import { rowCells, type RowCells } from './row-cells.js';

export class SessionStore {
  private readonly list: Session[] = [];
  private readonly cells: (RowCells | undefined)[] = [];
  private readonly indexById = new Map<number, number>();
  private openCount = 0;
  /** Grows with every change, for views that cache what they derive from the store. */
  version = 0;

  get length(): number {
    return this.list.length;
  }

  /** Sessions still in progress (live snapshots). */
  get open(): number {
    return this.openCount;
  }

  /** Adds sessions; returns the indices of those that replaced an earlier version (same id). */
  add(sessions: readonly Session[]): number[] {
    const replaced: number[] = [];
    for (const s of sessions) {
      if (s.closed === 'open') this.openCount++;
      const at = this.indexById.get(s.id);
      if (at === undefined) {
        this.indexById.set(s.id, this.list.length);
        this.list.push(s);
        continue;
      }
      if (this.list[at]!.closed === 'open') this.openCount--;
      this.list[at] = s;
      this.cells[at] = undefined;
      replaced.push(at);
    }
    if (sessions.length) this.version++;
    return replaced;
  }

  /** The current version of session `id`. */
  byId(id: number): Session | undefined {
    const at = this.indexById.get(id);
    return at === undefined ? undefined : this.list[at];
  }

  at(index: number): Session {
    return this.list[index];
  }

  cellsAt(index: number): RowCells {
    let c = this.cells[index];
    if (c === undefined) {
      c = rowCells(this.list[index]);
      this.cells[index] = c;
    }
    return c;
  }

  /** The sessions at these store indices, in that order. */
  pick(indices: readonly number[]): Session[] {
    return indices.map((i) => this.list[i]);
  }
}
