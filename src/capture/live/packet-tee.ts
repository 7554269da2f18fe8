/**
 * Saving a live capture's packets while they are decoded (capture -w, ui -w):
 * a CaptureInput that shows every batch to a sink before the pipeline gets
 * it, and a pcap writer that opens at the first frame, when the link type is
 * known at the latest.
 */
import type { Frame } from '../frame.js';
import type { CaptureInput } from '../open-capture.js';
import type { LiveCapture } from './live-capture.js';
import { RotatingPcapWriter } from './rotating-writer.js';

/** A CaptureInput that shows every batch to `sink` before the pipeline gets it. */
export function teeCapture(input: LiveCapture, sink: (batch: Frame[]) => void): CaptureInput {
  return {
    files: input.files,
    get totalBytes() { return input.totalBytes; },
    get bytesRead() { return input.bytesRead; },
    damage: input.damage,
    secrets: input.secrets,
    live: input.live,
    async *batches() {
      for await (const batch of input.batches()) {
        sink(batch);
        yield batch;
      }
    },
  };
}

/** Opens the rotating writer at the first frame (the link type is known then at the latest). */
export class LazyPcapWriter {
  private writer: RotatingPcapWriter | null = null;
  constructor(private readonly path: string, private readonly rotateBytes: number, private readonly snapLen: number, private readonly linkType: number | null) {}

  writeBatch(batch: Frame[]): void {
    for (const frame of batch) this.open(frame.linkType).write(frame);
    this.writer?.flush();
  }

  /** Closes every file; a capture that saw no packet still leaves a valid empty pcap. */
  async close(): Promise<string[]> {
    const w = this.open(this.linkType ?? 1);
    await w.close();
    return w.files;
  }

  private open(linkType: number): RotatingPcapWriter {
    this.writer ??= new RotatingPcapWriter({ path: this.path, rotateBytes: this.rotateBytes, linkType, snapLen: this.snapLen });
    return this.writer;
  }
}

