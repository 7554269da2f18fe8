/**
 * The filter bar's history: applied expressions, newest last, without
 * repeats; up and down walk it like a shell's history, and the draft being
 * typed is kept while walking.
 */
export class FilterHistory {
  private readonly items: string[] = [];
  /** Position while walking: items.length means "the draft". */
  private pos = 0;
  private draft = '';

  constructor(private readonly limit = 100) {}

  get entries(): readonly string[] {
    return this.items;
  }

  /** Records an applied expression (blank ones are not kept). */
  add(expression: string): void {
    const e = expression.trim();
    if (e !== '') {
      const at = this.items.indexOf(e);
      if (at >= 0) this.items.splice(at, 1);
      this.items.push(e);
      if (this.items.length > this.limit) this.items.shift();
    }
    this.reset();
  }

  /** Starts a new walk (after typing). */
  reset(): void {
    this.pos = this.items.length;
  }

  /** The older entry, or undefined at the oldest. `current` is kept as the draft when leaving it. */
  older(current: string): string | undefined {
    if (this.pos === 0) return undefined;
    if (this.pos === this.items.length) this.draft = current;
    this.pos--;
    return this.items[this.pos];
  }

  /** The newer entry, or the draft when walking past the newest; undefined when not walking. */
  newer(): string | undefined {
    if (this.pos >= this.items.length) return undefined;
    this.pos++;
    return this.pos === this.items.length ? this.draft : this.items[this.pos];
  }
}
