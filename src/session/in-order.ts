/**
 * Hands sessions on in id order as soon as every earlier one has finished.
 * Sessions finish in the order their connections close, not in id order: a
 * long session holds back the short ones after it. Past REORDER_LIMIT held
 * back, the oldest finished ones go out of turn, so memory stays bounded.
 *
 * Both the single-threaded read and the parallel one (src/parallel/) release
 * through this, fed in the same close order, so their output is identical.
 */

/** Sessions held back waiting for an earlier one before they are released out of order anyway. */
export const REORDER_LIMIT = 10_000;

export class InOrderRelease<T> {
  private readonly waiting = new Map<number, T>();
  /** Ids already emitted ahead of their turn. */
  private readonly early = new Set<number>();
  private nextId = 1;

  constructor(private readonly emit: (item: T) => void) {}

  /** Session `id` has finished. */
  push(id: number, item: T): void {
    this.waiting.set(id, item);
    this.release();
    if (this.waiting.size > REORDER_LIMIT) {
      // A very long-lived session is holding everything back: let the oldest finished ones go.
      const ids = [...this.waiting.keys()].sort((a, b) => a - b);
      for (const early of ids.slice(0, this.waiting.size - REORDER_LIMIT / 2)) {
        this.emit(this.waiting.get(early)!);
        this.waiting.delete(early);
        this.early.add(early);
      }
    }
  }

  /** The end: whatever is still held, in id order. */
  finish(): void {
    for (const id of [...this.waiting.keys()].sort((a, b) => a - b)) this.emit(this.waiting.get(id)!);
    this.waiting.clear();
  }

  private release(): void {
    while (true) {
      const item = this.waiting.get(this.nextId);
      if (item !== undefined) {
        this.waiting.delete(this.nextId);
        this.emit(item);
      } else if (!this.early.delete(this.nextId)) {
        return;
      }
      this.nextId++;
    }
  }
}
