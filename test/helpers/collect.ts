/** Runs the real pipeline over capture files and keeps every stream's bytes, for end-to-end assertions. */
import { openCapture } from '../../src/capture/open-capture.js';
import { readStreams, type ReadStreamsResult } from '../../src/pipeline/read-streams.js';
import type { CloseReason, ConnectionInfo, Direction, StreamListener, TcpAnomaly } from '../../src/tcp/types.js';

export interface CollectedStream {
  conn: ConnectionInfo;
  /** Bytes per direction, gaps left out. */
  bytes: [Buffer, Buffer];
  gaps: { dir: Direction; length: number }[];
  anomalies: TcpAnomaly[];
  closedBy?: CloseReason;
  /** Order of data/gap events as (dir, kind, length). */
  events: { dir: Direction; kind: 'data' | 'gap'; length: number; frame: number }[];
}

export class Collector implements StreamListener {
  readonly streams = new Map<number, CollectedStream>();
  private parts = new Map<number, [Buffer[], Buffer[]]>();

  open(conn: ConnectionInfo): void {
    this.streams.set(conn.id, { conn, bytes: [Buffer.alloc(0), Buffer.alloc(0)], gaps: [], anomalies: [], events: [] });
    this.parts.set(conn.id, [[], []]);
  }
  data(conn: ConnectionInfo, dir: Direction, data: Buffer, _ts: bigint, frame: number): void {
    this.parts.get(conn.id)![dir].push(Buffer.from(data));
    this.streams.get(conn.id)!.events.push({ dir, kind: 'data', length: data.length, frame });
  }
  gap(conn: ConnectionInfo, dir: Direction, length: number, _ts: bigint, frame: number): void {
    const s = this.streams.get(conn.id)!;
    s.gaps.push({ dir, length });
    s.events.push({ dir, kind: 'gap', length, frame });
  }
  anomaly(conn: ConnectionInfo, anomaly: TcpAnomaly): void {
    this.streams.get(conn.id)!.anomalies.push(anomaly);
  }
  close(conn: ConnectionInfo, reason: CloseReason): void {
    const s = this.streams.get(conn.id)!;
    const [c, sv] = this.parts.get(conn.id)!;
    s.bytes = [Buffer.concat(c), Buffer.concat(sv)];
    s.closedBy = reason;
  }
}

export async function collect(paths: string[]): Promise<{ streams: Map<number, CollectedStream>; result: ReadStreamsResult }> {
  const collector = new Collector();
  const result = await readStreams(await openCapture(paths), collector);
  return { streams: collector.streams, result };
}
