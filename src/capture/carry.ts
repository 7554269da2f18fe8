/**
 * Carries the unparsed tail of one chunk over to the next, for the push
 * parsers. When a record straddles two chunks, only that record's bytes are
 * joined (the held tail plus just the missing bytes of the new chunk); the
 * rest of the chunk is parsed in place. So nothing is copied twice, and a long
 * record spread over many chunks is joined once, not once per chunk (the
 * quadratic trap pcap-parser falls into behind a corrupt record length).
 */
export class Carry {
  private parts: Buffer[] = [];
  private length = 0;
  private needed = 0;

  /** Bytes held over from earlier chunks. */
  get held(): number {
    return this.length;
  }

  /** Keeps `rest` until at least `needed` bytes (counting rest) are available. */
  hold(rest: Buffer, needed: number): void {
    this.parts = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    this.needed = needed;
  }

  /**
   * Runs `parse` over a chunk: first over the held unit completed by the
   * chunk's first bytes (if any), then over the rest of the chunk in place.
   * `parse` holds what it cannot use yet (hold()); `failed` stops the loop.
   */
  feed(chunk: Buffer, parse: (buf: Buffer) => void, failed: () => boolean): void {
    let input = chunk;
    while (!failed()) {
      const next = this.take(input);
      if (next === null) return;
      parse(next.buf);
      if (next.rest.length === 0) return;
      input = next.rest;
    }
  }

  /**
   * Takes a new chunk. Returns the buffer to parse next and what remains of
   * the chunk after it, or null while the held unit is still incomplete.
   */
  take(chunk: Buffer): { buf: Buffer; rest: Buffer } | null {
    if (this.length === 0) return { buf: chunk, rest: EMPTY };
    const missing = this.needed - this.length;
    if (chunk.length < missing) {
      this.parts.push(chunk);
      this.length += chunk.length;
      return null;
    }
    this.parts.push(chunk.subarray(0, missing));
    const buf = Buffer.concat(this.parts, this.needed);
    this.parts = [];
    this.length = 0;
    return { buf, rest: chunk.subarray(missing) };
  }
}

const EMPTY = Buffer.alloc(0);
