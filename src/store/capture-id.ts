/**
 * The store's name for a capture: a hash of what is in it, so that the same
 * capture indexed again (renamed, copied, on another sensor) is known, and
 * two captures are never taken for one. Hashing a whole 5 GB file would take
 * longer than reading it; its size with its first and last MiB tell
 * captures apart just as well (the first holds the start time, the last the
 * end time and the frame count that got there).
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const SAMPLE = 1 << 20;

export function captureId(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      hash.update(`${size}\n`);
      const head = Buffer.alloc(Math.min(SAMPLE, size));
      readSync(fd, head, 0, head.length, 0);
      hash.update(head);
      if (size > SAMPLE) {
        const tail = Buffer.alloc(Math.min(SAMPLE, size - SAMPLE));
        readSync(fd, tail, 0, tail.length, size - tail.length);
        hash.update(tail);
      }
    } finally {
      closeSync(fd);
    }
  }
  return hash.digest('hex').slice(0, 32);
}
