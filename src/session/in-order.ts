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
  private readonly early = new IdBits();
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
        this.early.add(early, this.nextId);
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
      } else if (!this.early.take(this.nextId)) {
        return;
      }
      this.nextId++;
    }
  }
}

/**
 * A set of ids as bits from a base that moves up: ids are taken in
 * increasing order (the next one due), so a long-lived session holding back
 * hundreds of thousands of ids released early costs a bit each, not the 30
 * bytes or so of a Set's entry.
 */
class IdBits {
  private base = 0;
  private words = new Uint32Array(64);

  /**
   * Adds `id`. `floor` is the next id due: no id below it is added or taken
   * again, and all of those are already taken. Only the words wholly below
   * it may be dropped: a word with no bit set may still be for ids of
   * sessions that have not finished yet, which may be added later.
   */
  add(id: number, floor: number): void {
    let at = id - this.base;
    if (at < 0) throw new RangeError(`id ${id} is below ${this.base}`);
    if (at >= this.words.length * 32) {
      // Drop the words wholly below the floor, then grow if need be.
      const first = Math.min(this.words.length, Math.max(0, Math.floor((floor - this.base) / 32)));
      const keep = this.words.subarray(first);
      this.base += first * 32;
      at = id - this.base;
      let size = this.words.length;
      while (at >= size * 32) size *= 2;
      const words = new Uint32Array(size);
      words.set(keep);
      this.words = words;
    }
    this.words[at >>> 5] |= 1 << (at & 31);
  }

  /** Whether `id` was in the set; it is not any more. */
  take(id: number): boolean {
    const at = id - this.base;
    if (at < 0 || at >= this.words.length * 32) return false;
    const bit = 1 << (at & 31);
    const w = this.words[at >>> 5];
    if ((w & bit) === 0) return false;
    this.words[at >>> 5] = w & ~bit;
    return true;
  }
}
