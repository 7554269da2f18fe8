/**
 * "Follow TCP Stream" for one connection, like Wireshark's: both directions
 * interleaved in the order they were captured (ascii), a hex dump (hex), or
 * the exact bytes of one direction (bin). Gaps are shown where bytes never
 * arrived. Output is written as events arrive, so memory stays flat however
 * long the stream is.
 */
import type { CloseReason, ConnectionInfo, Direction, StreamListener, TcpAnomaly } from '../tcp/types.js';
import { escapeText } from '../util/escape.js';
import { formatClock, formatIso } from '../util/time.js';
import type { Output } from './output.js';
import { isoInZone } from '../util/display-zone.js';

export type FollowFormat = 'ascii' | 'hex' | 'bin';
export type FollowDirection = 'both' | 'client' | 'server';

const SIDE = ['client', 'server'] as const;

export function endpointText(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

export class FollowPrinter implements StreamListener {
  /** Set when the stream was found. */
  found: ConnectionInfo | null = null;
  /** Gaps met, for the caller (bin mode reports them on stderr). */
  readonly gaps: { dir: Direction; length: number; frame: number; offset: number }[] = [];
  private lastDir: Direction | -1 = -1;
  private atLineStart = true;
  private readonly offsets = [0, 0];
  private closeReason: CloseReason | null = null;

  constructor(
    private readonly streamId: number,
    private readonly format: FollowFormat,
    private readonly direction: FollowDirection,
    private readonly out: Output,
  ) {}

  private wants(dir: Direction): boolean {
    return this.direction === 'both' || SIDE[dir] === this.direction;
  }

  open(conn: ConnectionInfo): void {
    if (conn.id !== this.streamId) return;
    this.found = conn;
    if (this.format === 'bin') return;
    this.out.write(
      `=== TCP stream ${conn.id}: client ${endpointText(conn.client)}  server ${endpointText(conn.server)}` +
      `  (first packet frame ${conn.firstFrame}, ${isoInZone(formatIso(conn.firstTs))}) ===\n`);
  }

  data(conn: ConnectionInfo, dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    if (conn.id !== this.streamId || !this.wants(dir)) return;
    const offset = this.offsets[dir];
    this.offsets[dir] += data.length;
    if (this.format === 'bin') {
      this.out.write(Buffer.from(data));
      return;
    }
    if (dir !== this.lastDir) {
      this.endLine();
      this.out.write(`${dir === 0 ? '>>>' : '<<<'} ${SIDE[dir]}, frame ${frame}, ${formatClock(ts)}\n`);
      this.lastDir = dir;
    }
    if (this.format === 'hex') {
      this.out.write(hexDump(data, offset));
      return;
    }
    const text = escapeText(data);
    this.out.write(text);
    this.atLineStart = text.endsWith('\n');
  }

  gap(conn: ConnectionInfo, dir: Direction, length: number, _ts: bigint, frame: number): void {
    if (conn.id !== this.streamId || !this.wants(dir)) return;
    this.gaps.push({ dir, length, frame, offset: this.offsets[dir] });
    if (this.format === 'bin') return;
    this.endLine();
    this.out.write(`[gap: ${length} bytes from the ${SIDE[dir]} missing from the capture, noticed at frame ${frame}]\n`);
    this.lastDir = -1;
  }

  anomaly(conn: ConnectionInfo, anomaly: TcpAnomaly): void {
    if (conn.id !== this.streamId || this.format === 'bin' || anomaly.kind === 'tcp.gap') return;
    if (anomaly.direction !== undefined && !this.wants(anomaly.direction)) return;
    this.endLine();
    this.out.write(`[${anomaly.kind}: ${anomaly.detail}, frame ${anomaly.frame}]\n`);
    this.lastDir = -1;
  }

  close(conn: ConnectionInfo, reason: CloseReason): void {
    if (conn.id !== this.streamId) return;
    this.closeReason = reason;
    if (this.format === 'bin') return;
    this.endLine();
    const s = conn.stats;
    this.out.write(
      `=== end of stream ${conn.id} (${describeClose(reason)}): client sent ${conn.bytes[0]} bytes, server ${conn.bytes[1]} bytes; ` +
      `${s.retransmissions} retransmissions, ${s.outOfOrder} out of order, ${s.gaps} gaps (${s.gapBytes} bytes), ` +
      `${s.zeroWindows} zero windows, ${s.resets} resets ===\n`);
  }

  get closedBy(): CloseReason | null {
    return this.closeReason;
  }

  private endLine(): void {
    if (!this.atLineStart) {
      this.out.write('\n');
      this.atLineStart = true;
    }
  }
}

/** How a connection ended, in words; 'open' is a live session's snapshot (Session.closed). */
export function describeClose(reason: CloseReason | 'open'): string {
  switch (reason) {
    case 'fin': return 'closed with FIN';
    case 'rst': return 'reset';
    case 'end': return 'still open at the end of the capture';
    case 'reused': return 'its ports were reused by a new connection';
    case 'idle': return 'idle too long';
    case 'evicted': return 'closed early: too many connections were open at once';
    case 'open': return 'still in progress (live)';
  }
}

const HEXBYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** 16 bytes a line: offset in this direction's stream, hex, and the printable ASCII. */
export function hexDump(data: Buffer, startOffset: number): string {
  let out = '';
  for (let i = 0; i < data.length; i += 16) {
    const row = data.subarray(i, i + 16);
    let hex = '';
    let ascii = '';
    for (let j = 0; j < 16; j++) {
      if (j < row.length) {
        hex += HEXBYTE[row[j]] + ' ';
        ascii += row[j] >= 0x20 && row[j] < 0x7f ? String.fromCharCode(row[j]) : '.';
      } else hex += '   ';
      if (j === 7) hex += ' ';
    }
    out += `${(startOffset + i).toString(16).padStart(8, '0')}  ${hex} ${ascii}\n`;
  }
  return out;
}
