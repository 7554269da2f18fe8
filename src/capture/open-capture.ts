/**
 * Opens what the user named as one capture: a file, several files, or a
 * folder of them (a `tcpdump -C` / `-G` ring). Several files are merged in
 * timestamp order as they stream, like mergecap: files are ordered by their
 * first timestamp and each is opened only when the merge reaches that time,
 * so a ring of hundreds of files keeps one or two open at once.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeHead } from './detect.js';
import { CaptureError } from './errors.js';
import type { Frame } from './frame.js';
import type { CaptureSecrets } from './pcapng-parser.js';
import { readCaptureFile, sniffFile } from './read-file.js';

export interface CaptureInput {
  /** The files that make up the capture, in the order they were named (folders expanded). */
  readonly files: string[];
  /** Total size in bytes of those files on disk, for progress displays. */
  readonly totalBytes: number;
  /** File bytes read so far (compressed size for gzip files). */
  readonly bytesRead: number;
  /** Damage met while reading; each file stops at its first damage, the others go on. */
  readonly damage: CaptureError[];
  /** Secrets from pcapng Decryption Secrets Blocks, in the order met. */
  readonly secrets: CaptureSecrets[];
  /** Batches of frames in timestamp order, numbered from 1 across all files. */
  batches(): AsyncGenerator<Frame[]>;
  /**
   * Packets arrive as they happen (an interface): capture time stands still
   * while none comes, so nothing may wait on it (an ended connection closes at once).
   */
  readonly live?: boolean;
}

/**
 * Resolves the named paths (expanding folders to the capture files in them,
 * by content, in name order) and checks that each is a capture. Throws
 * CaptureError for a path that is missing or not a capture.
 */
export async function openCapture(paths: string[]): Promise<CaptureInput> {
  const files: string[] = [];
  let totalBytes = 0;
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new CaptureError('io', path, 'no such file or folder');
    }
    if (info.isDirectory()) {
      const names = (await readdir(path)).sort();
      for (const name of names) {
        const full = join(path, name);
        const s = await stat(full).catch(() => null);
        if (!s?.isFile()) continue;
        if ((await sniffFile(full)).format === 'unknown') continue;
        files.push(full);
        totalBytes += s.size;
      }
    } else {
      const sniffed = await sniffFile(path);
      if (sniffed.format === 'unknown') {
        throw new CaptureError('not-a-capture', path, describeHead(sniffed.head));
      }
      files.push(path);
      totalBytes += info.size;
    }
  }
  if (files.length === 0) throw new CaptureError('io', paths.join(', '), 'no capture files found');
  return new MergedCapture(files, totalBytes);
}

class MergedCapture implements CaptureInput {
  readonly damage: CaptureError[] = [];
  readonly secrets: CaptureSecrets[] = [];
  private readonly readPerFile: number[];

  constructor(readonly files: string[], readonly totalBytes: number) {
    this.readPerFile = files.map(() => 0);
  }

  get bytesRead(): number {
    let sum = 0;
    for (const n of this.readPerFile) sum += n;
    return sum;
  }

  private read(i: number): AsyncGenerator<Frame[]> {
    return readCaptureFile(this.files[i], {
      onDamage: (e) => this.damage.push(e),
      onSecrets: (s) => this.secrets.push(s),
      onProgress: (n) => { this.readPerFile[i] = n; },
    });
  }

  async *batches(): AsyncGenerator<Frame[]> {
    if (this.files.length === 1) {
      yield* this.read(0);
      return;
    }
    yield* this.merge();
  }

  private async *merge(): AsyncGenerator<Frame[]> {
    // Order files by their first timestamp; a file that cannot be probed sorts last.
    const starts = await Promise.all(this.files.map((f) => firstTimestamp(f)));
    const order = this.files.map((_, i) => i).sort((a, b) => compareTs(starts[a], starts[b]) || a - b);
    const pending = order.map((i) => ({ file: i, start: starts[i] }));
    const active: Cursor[] = [];
    let next = 1;

    while (true) {
      // Open every file whose first packet is not later than the earliest packet in hand.
      while (pending.length > 0 && (active.length === 0 || compareTs(pending[0].start, minHead(active)) <= 0)) {
        const cursor = new Cursor(this.read(pending.shift()!.file));
        if (await cursor.fill()) active.push(cursor);
      }
      if (active.length === 0) return;
      // Emit from the earliest cursor until another file (open or not yet) has something earlier.
      let best = 0;
      for (let i = 1; i < active.length; i++) if (active[i].head < active[best].head) best = i;
      let bound: bigint | null = pending.length > 0 ? pending[0].start : null;
      for (let i = 0; i < active.length; i++) {
        if (i !== best && (bound === null || active[i].head < bound)) bound = active[i].head;
      }
      const cursor = active[best];
      const out: Frame[] = [];
      const batch = cursor.batch;
      let j = cursor.pos;
      while (j < batch.length && (bound === null || batch[j].ts <= bound)) {
        const frame = batch[j++];
        frame.index = next++;
        out.push(frame);
      }
      cursor.pos = j;
      // Always make progress: a frame equal to the bound from the earliest file goes first.
      if (out.length === 0) {
        const frame = batch[cursor.pos++];
        frame.index = next++;
        out.push(frame);
      }
      yield out;
      if (cursor.pos >= cursor.batch.length && !(await cursor.fill())) active.splice(best, 1);
    }
  }
}

/** One open file in a merge: its current batch and position in it. */
class Cursor {
  batch: Frame[] = [];
  pos = 0;
  constructor(private readonly source: AsyncGenerator<Frame[]>) {}

  get head(): bigint {
    return this.batch[this.pos].ts;
  }

  /** Loads the next non-empty batch; false at the end of the file. */
  async fill(): Promise<boolean> {
    while (true) {
      const r = await this.source.next();
      if (r.done) return false;
      if (r.value.length > 0) {
        this.batch = r.value;
        this.pos = 0;
        return true;
      }
    }
  }
}

function minHead(active: Cursor[]): bigint {
  let m = active[0].head;
  for (const c of active) if (c.head < m) m = c.head;
  return m;
}

/** null (no packet found) sorts after every timestamp. */
function compareTs(a: bigint | null, b: bigint | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Timestamp of a file's first packet, read with the real parser from its first chunks; null if none. */
async function firstTimestamp(path: string): Promise<bigint | null> {
  const reader = readCaptureFile(path, { onDamage: () => undefined });
  try {
    const first = await reader.next();
    return !first.done && first.value.length > 0 ? first.value[0].ts : null;
  } catch {
    return null;
  } finally {
    await reader.return(undefined);
  }
}
