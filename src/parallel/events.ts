/**
 * The connection events a parallel read ships from the main thread (capture,
 * decoding, reassembly) to a worker thread (protocol machines, output), in
 * batches: a flat list of operands, structured-cloned, and the stream bytes
 * in one ArrayBuffer that is transferred, not copied.
 *
 * Each event is an opcode and its operands, in this order:
 *   OPEN    connId sessionId(-1: sniffed) clientIp clientPort serverIp serverPort ipVersion roleEvidence firstTs firstFrame
 *   NUMBER  connId sessionId                  (a sniffed connection's greeting starts its session)
 *   DATA    connId dir ts frame offset length (the bytes are data[offset, offset + length))
 *   GAP     connId dir length ts frame
 *   ANOMALY connId kind detail frame direction(-1: none)
 *   CLOSE   connId reason lastTs lastFrame packets clientBytes serverBytes retransmissions outOfOrder gaps gapBytes zeroWindows resets fins
 *   KEYLOG  text                              (TLS secrets read from the capture: a pcapng DSB)
 */
export const OPEN = 0;
export const NUMBER = 1;
export const DATA = 2;
export const GAP = 3;
export const ANOMALY = 4;
export const CLOSE = 5;
export const KEYLOG = 6;

export type Operand = number | string | bigint;

/** One batch for one worker. */
export interface EventBatch {
  ops: Operand[];
  data: ArrayBuffer;
  /** Bytes of `data` in use. */
  length: number;
}

/** Collects the events for one worker until they are sent. */
export class BatchWriter {
  ops: Operand[] = [];
  private data = Buffer.allocUnsafeSlow(1 << 16);
  private length = 0;

  /** Appends stream bytes and returns their offset in this batch. */
  bytes(chunk: Buffer): number {
    if (this.length + chunk.length > this.data.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(this.data.length * 2, this.length + chunk.length));
      this.data.copy(bigger, 0, 0, this.length);
      this.data = bigger;
    }
    chunk.copy(this.data, this.length);
    const at = this.length;
    this.length += chunk.length;
    return at;
  }

  /** Bytes and operands waiting: a rough size, to decide when to send. */
  get size(): number {
    return this.length + this.ops.length * 8;
  }

  get empty(): boolean {
    return this.ops.length === 0;
  }

  /** The batch so far; the writer starts a new one (the old buffer is transferred away). */
  take(): EventBatch {
    const batch: EventBatch = { ops: this.ops, data: this.data.buffer as ArrayBuffer, length: this.length };
    this.ops = [];
    this.data = Buffer.allocUnsafeSlow(Math.max(1 << 16, Math.min(this.data.length, 1 << 20)));
    this.length = 0;
    return batch;
  }
}
