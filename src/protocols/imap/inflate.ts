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

const OUT_CHUNK = 16 * 1024;

export class SyncInflater {
  private readonly stream: zlib.InflateRaw;
  private readonly handle: NativeHandle | null;
  private readonly state: Uint32Array | null;
  private failed: string | null = null;

  constructor() {
    this.stream = zlib.createInflateRaw();
    // The native handle reports errors by destroying the stream; the event comes later and must not crash us.
    this.stream.on('error', () => {});
    const internals = this.stream as unknown as { _handle?: NativeHandle; _writeState?: Uint32Array };
    this.handle = typeof internals._handle?.writeSync === 'function' ? internals._handle : null;
    this.state = internals._writeState instanceof Uint32Array ? internals._writeState : null;
    if (this.handle === null || this.state === null) this.failed = 'this Node.js has no synchronous streaming inflate';
  }

  /** Decompresses one chunk; throws an Error naming the problem when the data does not inflate. */
  inflate(input: Buffer): Buffer {
    if (this.failed !== null) throw new Error(this.failed);
    const out: Buffer[] = [];
    let inOff = 0;
    let inLen = input.length;
    for (;;) {
      const buf = Buffer.allocUnsafe(OUT_CHUNK);
      this.handle!.writeSync(zlib.constants.Z_SYNC_FLUSH, input, inOff, inLen, buf, 0, OUT_CHUNK);
      if (this.stream.destroyed) {
        this.failed = 'invalid DEFLATE data';
        throw new Error(this.failed);
      }
      const availOut = this.state![0];
      const availIn = this.state![1];
      const have = OUT_CHUNK - availOut;
      if (have > 0) out.push(buf.subarray(0, have));
      inOff += inLen - availIn;
      inLen = availIn;
      // Output space left over means zlib took all it could from this input.
      if (availOut !== 0) break;
    }
    return out.length === 1 ? out[0] : Buffer.concat(out);
  }

  close(): void {
    this.stream.destroy();
  }
}
