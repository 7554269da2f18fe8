/**
 * Every session read so far, in id order, kept outside React state: the UI
 * holds 100,000 sessions without copying arrays on each update. Row cells are
 * computed the first time a row is needed and kept.
 */
import type { Session } from '../session/model.js';
import { rowCells, type RowCells } from './row-cells.js';

export class SessionStore {
  private readonly list: Session[] = [];
  private readonly cells: (RowCells | undefined)[] = [];

  get length(): number {
    return this.list.length;
  }

  add(sessions: readonly Session[]): void {
    for (const s of sessions) this.list.push(s);
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
