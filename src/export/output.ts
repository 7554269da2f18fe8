/**
 * Buffered writing to stdout (or any stream) that copes with a closed pipe:
 * `mailscope follow ... | head` must end quietly, not with EPIPE.
 */
import type { Writable } from 'node:stream';

export class Output {
  private parts: (string | Buffer)[] = [];
  private size = 0;
  private closed = false;

  constructor(private readonly stream: Writable, private readonly flushAt = 1 << 16) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') this.closed = true;
      else throw err;
    });
  }

  /** True once the reader went away; producers may stop early. */
  get gone(): boolean {
    return this.closed;
  }

  write(chunk: string | Buffer): void {
    if (this.closed) return;
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size >= this.flushAt) this.flush();
  }

  flush(): void {
    if (this.closed || this.parts.length === 0) return;
    const allText = this.parts.every((p) => typeof p === 'string');
    this.stream.write(allText ? this.parts.join('') : Buffer.concat(this.parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));
    this.parts = [];
    this.size = 0;
  }

  /**
   * Null while the stream keeps up; else a promise that settles once it has
   * drained. A reader awaits it between batches of frames: without it, a slow
   * consumer (a pipe into grep, a terminal) makes the stream queue every
   * line in memory, since decoding never yields to let it drain.
   */
  backpressure(): Promise<void> | null {
    if (this.closed || !this.stream.writableNeedDrain) return null;
    return new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.once('drain', done);
      this.stream.once('close', done);
    });
  }

  /** Flushes and waits until the stream has taken everything. */
  async end(): Promise<void> {
    this.flush();
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      if (this.stream.writableNeedDrain) this.stream.once('drain', () => resolve());
      else resolve();
    });
  }
}
