/**
 * Wires the first three stages together: capture source -> packet decoding ->
 * TCP reassembly, and hands the stream events to a listener. Every command that
 * reads a capture goes through here, so they all see the same bytes.
 */
import type { CaptureInput } from '../capture/open-capture.js';
import type { CaptureError } from '../capture/errors.js';
import { PacketDecoder, type PacketDecoderOptions } from '../net/decoder.js';
import type { DecodeNote, DecodeStats } from '../net/stats.js';
import { Reassembler, type ReassemblerOptions } from '../tcp/reassembler.js';
import type { TableCounters } from '../tcp/connection-table.js';
import { tableLimits } from './limits.js';
import type { StreamListener } from '../tcp/types.js';

export interface ReadStreamsOptions {
  decoder?: PacketDecoderOptions;
  reassembly?: ReassemblerOptions;
  /** Called before each batch of frames is decoded (the capture's secrets read so far are in input.secrets). */
  beforeBatch?: () => void;
  /** Called after each batch of frames, for progress displays. */
  onProgress?: (progress: { frames: number; bytesRead: number; totalBytes: number }) => void;
  /** Asked after each batch of frames: a promise to wait for before reading on (a slow consumer downstream). */
  backpressure?: () => Promise<void> | null;
}

export interface ReadStreamsResult {
  frames: number;
  /** Captured bytes (sum of frame lengths). */
  capturedBytes: number;
  connections: number;
  /** What the connection table let go of early (timeouts, the cap), its high-water mark and its cap. */
  table: TableCounters & { limit: number };
  decode: DecodeStats;
  notes: DecodeNote[];
  /** Damage met while reading: everything before it was decoded. */
  damage: CaptureError[];
}

/** Connections closed at the end of the capture between two looks at the output's backpressure. */
const END_PIECE = 1000;

export async function readStreams(input: CaptureInput, listener: StreamListener, options: ReadStreamsOptions = {}): Promise<ReadStreamsResult> {
  const decoder = new PacketDecoder(options.decoder);
  const limits = { ...tableLimits(), ...(input.live ? { closeLingerSec: 0 } : {}), ...options.reassembly?.limits };
  const reassembler = new Reassembler(listener, { ...options.reassembly, limits });
  let frames = 0;
  let capturedBytes = 0;
  for await (const batch of input.batches()) {
    options.beforeBatch?.();
    for (const frame of batch) {
      frames++;
      capturedBytes += frame.data.length;
      const segment = decoder.decode(frame);
      if (segment !== null) reassembler.push(segment);
    }
    options.onProgress?.({ frames, bytesRead: input.bytesRead, totalBytes: input.totalBytes });
    const wait = options.backpressure?.();
    if (wait) await wait;
  }
  // Connections still open are closed in pieces, letting the output drain between them.
  while (!reassembler.endSome(END_PIECE)) {
    const wait = options.backpressure?.();
    if (wait) await wait;
  }
  return {
    frames,
    capturedBytes,
    connections: reassembler.connectionCount,
    table: { ...reassembler.tableCounters, limit: reassembler.limits.maxConnections },
    decode: decoder.stats,
    notes: decoder.notes,
    damage: input.damage,
  };
}
