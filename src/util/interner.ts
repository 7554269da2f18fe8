/**
 * Gives the same string object for equal texts, so that texts that repeat
 * across thousands of objects (addresses, labels, users) are kept once.
 * Bounded: when full it starts again, which only costs sharing, never
 * correctness.
 */
export class Interner {
  private readonly seen = new Map<string, string>();

  constructor(private readonly max = 65_536) {}

  get(text: string): string {
    const known = this.seen.get(text);
    if (known !== undefined) return known;
    if (this.seen.size >= this.max) this.seen.clear();
    this.seen.set(text, text);
    return text;
  }
}
