/**
 * An append-only scratch file for what the UI cannot keep in memory (the
 * sessions past its resident budget): records go in as bytes and come back
 * by offset. The file is unlinked as soon as it is open, so nothing is left
 * behind however the process ends; it lives as long as the descriptor.
 *
 * Writes are gathered in memory and written 1 MiB at a time. Reads go
 * through a read-ahead window, because the list reads records in the order
 * they were written (a filter scans every session): one read(2) per window,
 * not one per record.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WRITE_CHUNK = 1 << 20;
const READ_AHEAD = 1 << 20;

export class SpillFile {
  private fd: number;
  /** Bytes written to the file; records past this are still in `pending`. */
  private flushed = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The read-ahead buffer, and the part of it the last read filled (file bytes from windowAt). */
  private buffer = Buffer.alloc(0);
  private window = Buffer.alloc(0);
  private windowAt = 0;

  constructor(dir = tmpdir()) {
    const folder = mkdtempSync(join(dir, 'mailscope-ui-'));
    const path = join(folder, 'sessions.spill');
    this.fd = openSync(path, 'w+', 0o600);
    // Gone from the file system at once: the descriptor keeps the data, the OS frees it on exit.
    try {
      unlinkSync(path);
      rmdirSync(folder);
    } catch {
      // A system that cannot unlink an open file keeps it until close().
    }
  }

  /** Bytes held (written or pending). */
  get size(): number {
    return this.flushed + this.pendingBytes;
  }

  /** Appends a record; returns its offset. */
  append(record: Buffer): number {
    const at = this.size;
    this.pending.push(record);
    this.pendingBytes += record.length;
    if (this.pendingBytes >= WRITE_CHUNK) this.flush();
    return at;
  }

  /** The record at `offset`, `length` bytes long (a view: copy it to keep it past the next read). */
  read(offset: number, length: number): Buffer {
    if (offset + length > this.flushed) this.flush();
    if (offset < this.windowAt || offset + length > this.windowAt + this.window.length) {
      const size = Math.max(length, READ_AHEAD);
      if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(size);
      const got = readSync(this.fd, this.buffer, 0, size, offset);
      this.windowAt = offset;
      this.window = this.buffer.subarray(0, got);
      if (got < length) throw new Error(`scratch file: record at ${offset} cut short (${got} of ${length} bytes)`);
    }
    const from = offset - this.windowAt;
    return this.window.subarray(from, from + length);
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    let done = 0;
    while (done < data.length) done += writeSync(this.fd, data, done, data.length - done, this.flushed + done);
    this.flushed += data.length;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
