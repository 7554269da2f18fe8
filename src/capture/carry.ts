/**
 * Carries the unparsed tail of one chunk over to the next, for the push
 * parsers. The tail is joined to new data only once enough bytes for the
 * parser's next step have arrived, so a long record spread over many chunks is
 * copied once, not once per chunk (the quadratic trap pcap-parser falls into
 * behind a corrupt record length).
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
   * Adds a chunk. Returns the joined buffer (held bytes + chunk) once the
   * parser's need is met, else null and keeps the chunk.
   */
  add(chunk: Buffer): Buffer | null {
    if (this.length === 0) return chunk;
    this.parts.push(chunk);
    this.length += chunk.length;
    if (this.length < this.needed) return null;
    const joined = Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    return joined;
  }
}
