/**
 * Streams one capture file as batches of frames: detects the format by
 * content, decompresses gzip on the fly, and turns damage into a recorded
 * CaptureError after yielding every frame read before it.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { CaptureError } from './errors.js';
import { describeHead, detectFormat, type CaptureFormat } from './detect.js';
import type { Frame } from './frame.js';
import { PcapParser } from './pcap-parser.js';
import { PcapngParser, type CaptureSecrets } from './pcapng-parser.js';

/**
 * Read size: large enough that per-chunk overhead vanishes, small enough that
 * one batch of frames dies young (1 MiB batches of a tiny-session flood, 13,000
 * frames, outlived the young generation and filled the old one with garbage).
 */
const CHUNK = 1 << 18;

export interface FileReadOptions {
  /** Called with each Decryption Secrets Block found in a pcapng file. */
  onSecrets?: (secrets: CaptureSecrets) => void;
  /** Called with the number of (compressed) file bytes read so far, for progress displays. */
  onProgress?: (bytesRead: number) => void;
  /** Damage found part-way (truncation, corruption) is reported here; reading stops at it. */
  onDamage: (error: CaptureError) => void;
}

/** Reads the first bytes of a file to tell its format. Throws CaptureError('io') when it cannot be opened. */
export async function sniffFile(path: string): Promise<{ format: CaptureFormat; head: Buffer }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new CaptureError('io', path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message));
  }
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    const slice = head.subarray(0, bytesRead);
    return { format: detectFormat(slice), head: slice };
  } catch (err) {
    throw new CaptureError('io', path, String((err as Error).message));
  } finally {
    await handle.close();
  }
}

/** The decompressed byte stream of a file, whatever its compression. */
async function openBytes(path: string, format: CaptureFormat): Promise<Readable> {
  const raw = createReadStream(path, { highWaterMark: CHUNK });
  if (format !== 'gzip') return raw;
  const gunzip = createGunzip({ chunkSize: CHUNK });
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}

/**
 * Yields the file's frames in batches (one per chunk read). Frame.index is the
 * frame number within this file. Throws CaptureError before the first batch
 * when the file cannot be read at all or is not a capture.
 */
export async function* readCaptureFile(path: string, options: FileReadOptions): AsyncGenerator<Frame[]> {
  const sniffed = await sniffFile(path);
  if (sniffed.format === 'unknown') throw new CaptureError('not-a-capture', path, describeHead(sniffed.head));
  const bytes = await openBytes(path, sniffed.format);
  const raw = sniffed.format === 'gzip' ? null : bytes;
  let parser: PcapParser | PcapngParser | null = null;
  let firstChunk = true;
  let read = 0;
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      if (parser === null) {
        // For gzip the format is only known after decompression.
        const format = detectFormat(chunk);
        if (format === 'pcap') parser = new PcapParser(path);
        else if (format === 'pcapng') parser = new PcapngParser(path, options.onSecrets);
        else if (firstChunk) throw new CaptureError('not-a-capture', path, `decompressed, ${describeHead(chunk)}`);
        else break;
        firstChunk = false;
      }
      const out: Frame[] = [];
      let damage: unknown = null;
      try {
        parser.push(chunk, out);
      } catch (err) {
        damage = err;
      }
      read = raw ? (raw as unknown as { bytesRead: number }).bytesRead : read + chunk.length;
      options.onProgress?.(read);
      if (out.length > 0) yield out;
      if (damage) {
        if (damage instanceof CaptureError && damage.isDamage) {
          options.onDamage(damage);
          return;
        }
        throw damage;
      }
    }
  } catch (err) {
    if (err instanceof CaptureError) throw err;
    // zlib reports a cut-off gzip stream as "unexpected end of file".
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') {
      options.onDamage(new CaptureError(code === 'Z_BUF_ERROR' ? 'truncated' : 'corrupt', path,
        `compressed data ${code === 'Z_BUF_ERROR' ? 'ends early' : 'is damaged'} (${(err as Error).message})`));
      return;
    }
    throw new CaptureError('io', path, String((err as Error).message));
  } finally {
    bytes.destroy();
  }
  if (parser === null) {
    options.onDamage(new CaptureError('truncated', path, 'the file is empty', 0));
    return;
  }
  try {
    parser.end();
  } catch (err) {
    if (err instanceof CaptureError) options.onDamage(err);
    else throw err;
  }
}
