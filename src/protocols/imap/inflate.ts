/**
 * A raw DEFLATE decompressor that is synchronous and keeps its state across
 * chunks, for COMPRESS=DEFLATE (RFC 4978 3: both directions are one raw
 * DEFLATE stream each, flushed with Z_SYNC_FLUSH after every command and
 * response).
 *
 * Why not the public API: zlib.inflateRawSync() starts a new stream per call
 * (the 32 KiB window is lost between chunks), and createInflateRaw() only
 * answers asynchronously, while a protocol machine must decode each chunk
 * before the next event. So we drive the stream's native handle the way
 * Node's own zlibBufferSync does (writeSync + _writeState), guarded: if the
 * handle is not there, the caller records a compress.error.
 */
import zlib from 'node:zlib';

interface NativeHandle {
  writeSync(flush: number, input: Buffer, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void;
}

/** The most one inflate() call returns. */
export const INFLATE_MAX = 64 * 1024;

export class SyncInflater {
  private readonly stream: zlib.InflateRaw;
  private readonly handle: NativeHandle | null;
  private readonly state: Uint32Array | null;
  private failed: string | null = null;
  /**
   * Two output buffers, used in turn: a flood inflates gigabytes, and a
   * fresh buffer per call leaves the allocator holding tens of megabytes of
   * freed ones. The one returned last stays intact through the next call,
   * long enough for the framer, which copies the bytes it still waits on when
   * the next chunk comes.
   */
  private readonly out: [Buffer | null, Buffer | null] = [null, null];
  private turn = 0;
  /** Input bytes the last inflate() call used (all of them unless its `max` stopped it). */
  consumed = 0;

  constructor() {
    this.stream = zlib.createInflateRaw();
    // The native handle reports errors by destroying the stream; the event comes later and must not crash us.
    this.stream.on('error', () => {});
    const internals = this.stream as unknown as { _handle?: NativeHandle; _writeState?: Uint32Array };
    this.handle = typeof internals._handle?.writeSync === 'function' ? internals._handle : null;
    this.state = internals._writeState instanceof Uint32Array ? internals._writeState : null;
    if (this.handle === null || this.state === null) this.failed = 'this Node.js has no synchronous streaming inflate';
  }

  /**
   * Decompresses one chunk, at most `max` bytes of it (at most INFLATE_MAX):
   * zlib stops as soon as they are there, so the work is bounded by what is
   * returned, and `consumed` tells how much of the input was used. Call
   * again (with the rest of the input, or none) while the whole `max` came:
   * zlib may hold more. Throws an Error naming the problem when the data
   * does not inflate. The bytes returned are a view that stays valid until
   * the call after the next one: copy what must live longer.
   */
  inflate(input: Buffer, max = INFLATE_MAX): Buffer {
    if (this.failed !== null) throw new Error(this.failed);
    const room = Math.min(max, INFLATE_MAX);
    this.consumed = 0;
    if (room <= 0) return Buffer.alloc(0);
    let buf = this.out[this.turn];
    if (buf === null || buf.length < room) {
      // Grown to what is asked, so ordinary traffic (a segment at a time) keeps small buffers.
      buf = Buffer.allocUnsafe(Math.min(INFLATE_MAX, Math.max(room, 4096, buf === null ? 0 : 2 * buf.length)));
      this.out[this.turn] = buf;
    }
    this.handle!.writeSync(zlib.constants.Z_SYNC_FLUSH, input, 0, input.length, buf, 0, room);
    if (this.stream.destroyed) {
      this.failed = 'invalid DEFLATE data';
      throw new Error(this.failed);
    }
    const have = room - this.state![0];
    this.consumed = input.length - this.state![1];
    if (have === 0) return buf.subarray(0, 0);
    this.turn ^= 1;
    return buf.subarray(0, have);
  }

  close(): void {
    this.stream.destroy();
  }
}
