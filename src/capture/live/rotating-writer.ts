/**
 * --write FILE [--rotate-mb N]: saves the captured frames, unchanged, as
 * classic pcap (nanosecond timestamps, which tshark and Wireshark read).
 * Without rotation it writes exactly FILE. With rotation the files are
 * FILE's name with a 5-digit sequence number before the extension
 * (capture-00001.pcap, capture-00002.pcap, ...): they sort in capture order,
 * and `mailscope read` of their folder merges them back into one capture.
 * A new file starts before a record that would take the current one past
 * the limit (a file always holds at least one record).
 */
import { basename, dirname, extname, join } from 'node:path';
import type { Frame } from '../frame.js';
import { PCAP_GLOBAL_HEADER_LEN, PCAP_RECORD_HEADER_LEN, PcapWriter } from '../pcap-writer.js';

export interface RotatingWriterOptions {
  /** The path given to --write. */
  path: string;
  /** Start a new file past this many bytes; 0 or undefined: one file. */
  rotateBytes?: number;
  linkType: number;
  snapLen: number;
  /** Opens a writer for a path (tests substitute an in-memory one). */
  open?: (path: string, linkType: number, snapLen: number) => PcapWriter;
}

/** The name of the n-th file (from 1) of a rotation of `path`. */
export function rotatedName(path: string, n: number): string {
  const ext = extname(path);
  const stem = basename(path, ext);
  return join(dirname(path), `${stem}-${String(n).padStart(5, '0')}${ext || '.pcap'}`);
}

export class RotatingPcapWriter {
  private writer: PcapWriter | null = null;
  private size = 0;
  private sequence = 0;
  private readonly closing: Promise<void>[] = [];
  /** Every file written, in order. */
  readonly files: string[] = [];
  private frames = 0;

  constructor(private readonly options: RotatingWriterOptions) {
    this.openNext();
  }

  get frameCount(): number {
    return this.frames;
  }

  write(frame: Frame): void {
    const rotate = this.options.rotateBytes ?? 0;
    const recordSize = PCAP_RECORD_HEADER_LEN + Math.min(frame.data.length, this.options.snapLen);
    if (rotate > 0 && this.size > PCAP_GLOBAL_HEADER_LEN && this.size + recordSize > rotate) {
      this.closing.push(this.writer!.close());
      this.openNext();
    }
    this.writer!.write(frame.ts, frame.data, frame.origLen);
    this.size += recordSize;
    this.frames++;
  }

  /** Hands buffered records to the file system (call after each batch so a crash loses little). */
  flush(): void {
    this.writer?.flush();
  }

  /** Flushes and closes every file. */
  async close(): Promise<void> {
    if (this.writer) this.closing.push(this.writer.close());
    this.writer = null;
    await Promise.all(this.closing);
  }

  private openNext(): void {
    this.sequence++;
    const rotate = (this.options.rotateBytes ?? 0) > 0;
    const path = rotate ? rotatedName(this.options.path, this.sequence) : this.options.path;
    const open = this.options.open ?? ((p, linkType, snapLen) => new PcapWriter(p, { linkType, snapLen, nanosecond: true }));
    this.writer = open(path, this.options.linkType, this.options.snapLen);
    this.files.push(path);
    this.size = PCAP_GLOBAL_HEADER_LEN;
  }
}
