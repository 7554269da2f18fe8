/**
 * Classic pcap (libpcap "tcpdump") file writer.
 *
 * Layout (https://www.tcpdump.org/manpages/pcap-savefile.5.html):
 *   global header, 24 bytes: magic, version 2.4, thiszone 0, sigfigs 0, snaplen, network
 *   per record, 16 bytes:    ts_sec, ts_usec (or ts_nsec), incl_len, orig_len; then incl_len bytes
 *
 * The writer copies records into a large batch buffer and hands the stream one
 * buffer per batch, which is much faster than two small writes per packet.
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

/** Magic for microsecond timestamps. */
export const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
/** Magic for nanosecond timestamps. */
export const PCAP_MAGIC_NANO = 0xa1b23c4d;
export const PCAP_GLOBAL_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;
export const PCAP_DEFAULT_SNAPLEN = 262144;

export interface PcapWriterOptions {
  /** LINKTYPE_* value written as the header's network field (see LinkType in frame.ts). */
  linkType: number;
  /** Snap length written in the header; longer packets are cut to it. Default 262144. */
  snapLen?: number;
  /** Nanosecond timestamps (magic 0xa1b23c4d) instead of microseconds. Default false. */
  nanosecond?: boolean;
  /** Write all header fields big-endian. Default false (little-endian, as on x86). */
  bigEndian?: boolean;
}

export interface PcapWriterStreamOptions extends PcapWriterOptions {
  /** Size of the batch buffer in bytes. Default 1 MiB. */
  batchSize?: number;
}

export interface PcapRecord {
  /** Nanoseconds since the Unix epoch. */
  ts: bigint;
  data: Buffer;
  /** Length on the wire; defaults to data.length. */
  origLen?: number;
}

const NS_PER_S = 1_000_000_000n;
const MAX_U32 = 0xffffffff;

function resolve(opts: PcapWriterOptions): Required<PcapWriterOptions> {
  const snapLen = opts.snapLen ?? PCAP_DEFAULT_SNAPLEN;
  if (!Number.isInteger(opts.linkType) || opts.linkType < 0 || opts.linkType > MAX_U32) {
    throw new RangeError(`invalid link type: ${opts.linkType}`);
  }
  if (!Number.isInteger(snapLen) || snapLen <= 0 || snapLen > MAX_U32) {
    throw new RangeError(`invalid snap length: ${snapLen}`);
  }
  return {
    linkType: opts.linkType,
    snapLen,
    nanosecond: opts.nanosecond ?? false,
    bigEndian: opts.bigEndian ?? false,
  };
}

function writeU32(buf: Buffer, value: number, offset: number, bigEndian: boolean): void {
  if (bigEndian) buf.writeUInt32BE(value, offset);
  else buf.writeUInt32LE(value, offset);
}

/** Write the 24-byte global header at offset. */
function writeGlobalHeader(buf: Buffer, offset: number, o: Required<PcapWriterOptions>): void {
  const be = o.bigEndian;
  writeU32(buf, o.nanosecond ? PCAP_MAGIC_NANO : PCAP_MAGIC_MICRO, offset, be);
  if (be) {
    buf.writeUInt16BE(2, offset + 4);
    buf.writeUInt16BE(4, offset + 6);
  } else {
    buf.writeUInt16LE(2, offset + 4);
    buf.writeUInt16LE(4, offset + 6);
  }
  writeU32(buf, 0, offset + 8, be); // thiszone
  writeU32(buf, 0, offset + 12, be); // sigfigs
  writeU32(buf, o.snapLen, offset + 16, be);
  writeU32(buf, o.linkType, offset + 20, be);
}

/** Build the 24-byte global header on its own. */
export function pcapGlobalHeader(opts: PcapWriterOptions): Buffer {
  const buf = Buffer.alloc(PCAP_GLOBAL_HEADER_LEN);
  writeGlobalHeader(buf, 0, resolve(opts));
  return buf;
}

/**
 * Write a record header plus the (possibly snapped) data at offset; returns the
 * number of bytes written. The caller makes sure there is room.
 */
function writeRecord(
  buf: Buffer,
  offset: number,
  o: Required<PcapWriterOptions>,
  ts: bigint,
  data: Uint8Array,
  inclLen: number,
  origLen: number,
): number {
  if (ts < 0n) throw new RangeError(`negative timestamp: ${ts}`);
  const sec = ts / NS_PER_S;
  if (sec > 0xffffffffn) throw new RangeError(`timestamp beyond 2106: ${ts}`);
  const ns = Number(ts - sec * NS_PER_S);
  const frac = o.nanosecond ? ns : Math.floor(ns / 1000);
  const be = o.bigEndian;
  writeU32(buf, Number(sec), offset, be);
  writeU32(buf, frac, offset + 4, be);
  writeU32(buf, inclLen, offset + 8, be);
  writeU32(buf, origLen, offset + 12, be);
  if (inclLen === data.length) buf.set(data, offset + PCAP_RECORD_HEADER_LEN);
  else buf.set(data.subarray(0, inclLen), offset + PCAP_RECORD_HEADER_LEN);
  return PCAP_RECORD_HEADER_LEN + inclLen;
}

function lengths(o: Required<PcapWriterOptions>, data: Uint8Array, origLen: number | undefined): [number, number] {
  const inclLen = Math.min(data.length, o.snapLen);
  const orig = origLen ?? data.length;
  if (!Number.isInteger(orig) || orig < data.length || orig > MAX_U32) {
    throw new RangeError(`invalid original length ${orig} for ${data.length} captured bytes`);
  }
  return [inclLen, orig];
}

/** Build a whole pcap file in memory (for tests and small fixtures). */
export function buildPcap(records: readonly PcapRecord[], opts: PcapWriterOptions): Buffer {
  const o = resolve(opts);
  let total = PCAP_GLOBAL_HEADER_LEN;
  for (const r of records) total += PCAP_RECORD_HEADER_LEN + Math.min(r.data.length, o.snapLen);
  const buf = Buffer.allocUnsafe(total);
  writeGlobalHeader(buf, 0, o);
  let off = PCAP_GLOBAL_HEADER_LEN;
  for (const r of records) {
    const [incl, orig] = lengths(o, r.data, r.origLen);
    off += writeRecord(buf, off, o, r.ts, r.data, incl, orig);
  }
  return buf;
}

/**
 * Streams a classic pcap file to a Writable (or a file path).
 *
 * `write` never blocks: it copies the record into the current batch and, when
 * the batch is full, hands it to the stream. Its result is the stream's
 * backpressure flag; when it is false, `await drain()` before writing more.
 * `close` flushes the last batch, ends the stream and waits for it to finish.
 */
export class PcapWriter {
  readonly options: Readonly<Required<PcapWriterOptions>>;
  private readonly stream: Writable;
  private readonly ownsStream: boolean;
  private readonly batchSize: number;
  private batch: Buffer;
  private used = 0;
  private error: Error | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  private records = 0;
  private bytes = 0;

  constructor(target: Writable | string, opts: PcapWriterStreamOptions) {
    this.options = resolve(opts);
    this.batchSize = Math.max(opts.batchSize ?? 1 << 20, 4096);
    if (typeof target === 'string') {
      this.stream = createWriteStream(target, { highWaterMark: 4 << 20 });
      this.ownsStream = true;
    } else {
      this.stream = target;
      this.ownsStream = false;
    }
    this.stream.on('error', (err: Error) => {
      this.error ??= err;
    });
    this.batch = Buffer.allocUnsafe(this.batchSize);
    writeGlobalHeader(this.batch, 0, this.options);
    this.used = PCAP_GLOBAL_HEADER_LEN;
    this.bytes = PCAP_GLOBAL_HEADER_LEN;
  }

  /** Records written so far. */
  get recordCount(): number {
    return this.records;
  }

  /** File bytes produced so far (header included), whether or not flushed yet. */
  get byteCount(): number {
    return this.bytes;
  }

  /**
   * Append one record. `ts` is nanoseconds since the epoch (cut to microseconds
   * unless the writer is in nanosecond mode). Returns false when the stream
   * wants the caller to wait for `drain()`.
   */
  write(ts: bigint, data: Buffer, origLen: number = data.length): boolean {
    if (this.error) throw this.error;
    if (this.closed) throw new Error('PcapWriter: write after close');
    const o = this.options;
    const [incl, orig] = lengths(o, data, origLen);
    const need = PCAP_RECORD_HEADER_LEN + incl;
    if (this.used + need > this.batch.length) {
      this.flush();
      if (need > this.batch.length) {
        // Larger than a whole batch: give it its own buffer.
        const big = Buffer.allocUnsafe(need);
        writeRecord(big, 0, o, ts, data, incl, orig);
        this.stream.write(big);
        this.records++;
        this.bytes += need;
        return !this.stream.writableNeedDrain;
      }
    }
    this.used += writeRecord(this.batch, this.used, o, ts, data, incl, orig);
    this.records++;
    this.bytes += need;
    return !this.stream.writableNeedDrain;
  }

  /** Hand the current batch to the stream now (normally done when it fills up, and by close). */
  flush(): void {
    if (this.used === 0) return;
    // The stream keeps a reference to the buffer until it is written, so start a fresh one.
    const out = this.used === this.batch.length ? this.batch : this.batch.subarray(0, this.used);
    this.stream.write(out);
    this.batch = Buffer.allocUnsafe(this.batchSize);
    this.used = 0;
  }

  /** Resolves once the stream no longer signals backpressure. */
  drain(): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    if (!this.stream.writableNeedDrain) return Promise.resolve();
    return new Promise<void>((resolveP, rejectP) => {
      const onDrain = (): void => {
        this.stream.off('error', onError);
        resolveP();
      };
      const onError = (err: Error): void => {
        this.stream.off('drain', onDrain);
        rejectP(err);
      };
      this.stream.once('drain', onDrain);
      this.stream.once('error', onError);
    });
  }

  /** Flush, end the stream and wait until everything is written (and a file we opened is closed). */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = new Promise<void>((resolveP, rejectP) => {
      if (this.error) {
        rejectP(this.error);
        return;
      }
      this.flush();
      this.closed = true;
      const s = this.stream;
      const doneEvent = this.ownsStream ? 'close' : 'finish';
      const onDone = (): void => {
        s.off('error', onError);
        if (this.error) rejectP(this.error);
        else resolveP();
      };
      const onError = (err: Error): void => {
        s.off(doneEvent, onDone);
        rejectP(err);
      };
      s.once(doneEvent, onDone);
      s.once('error', onError);
      s.end();
    });
    return this.closing;
  }
}
