/**
 * The list of TCP connections in a capture, as `mailscope follow FILE` prints
 * it without --stream: one line each, numbered as tshark numbers streams.
 */
import type { CloseReason, ConnectionInfo, StreamListener, TcpStats } from '../tcp/types.js';
import { formatIso, formatSeconds } from '../util/time.js';
import { endpointText } from './follow.js';
import { isoInZone } from '../util/display-zone.js';

export interface StreamSummary {
  id: number;
  client: string;
  server: string;
  start: string;
  duration: string;
  packets: number;
  clientBytes: number;
  serverBytes: number;
  closedBy: CloseReason;
  roleEvidence: string;
  tcp: TcpStats;
}

/** Collects one small summary per connection as it closes; streams are held only as summaries. */
export class StreamCollector implements StreamListener {
  readonly streams: StreamSummary[] = [];

  data(): void {}
  gap(): void {}

  close(conn: ConnectionInfo, reason: CloseReason): void {
    this.streams.push({
      id: conn.id,
      client: endpointText(conn.client),
      server: endpointText(conn.server),
      start: formatIso(conn.firstTs),
      duration: formatSeconds(conn.lastTs - conn.firstTs),
      packets: conn.packets,
      clientBytes: conn.bytes[0],
      serverBytes: conn.bytes[1],
      closedBy: reason,
      roleEvidence: conn.roleEvidence,
      tcp: { ...conn.stats },
    });
  }

  /** Summaries in stream-number order. */
  sorted(): StreamSummary[] {
    return [...this.streams].sort((a, b) => a.id - b.id);
  }
}

export function formatStreamTable(streams: StreamSummary[]): string {
  const header = ['stream', 'client', 'server', 'start', 'seconds', 'packets', 'client bytes', 'server bytes', 'end', 'symptoms'];
  const rows = streams.map((s) => [
    String(s.id), s.client, s.server, isoInZone(s.start), s.duration, String(s.packets), String(s.clientBytes), String(s.serverBytes),
    s.closedBy, symptoms(s),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = new Set([0, 4, 5, 6, 7]);
  const line = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

function symptoms(s: StreamSummary): string {
  const t = s.tcp;
  const parts: string[] = [];
  if (s.roleEvidence !== 'syn') parts.push('no handshake');
  if (t.retransmissions) parts.push(`${t.retransmissions} retrans`);
  if (t.outOfOrder) parts.push(`${t.outOfOrder} out-of-order`);
  if (t.gaps) parts.push(`${t.gaps} gaps/${t.gapBytes}B`);
  if (t.zeroWindows) parts.push(`${t.zeroWindows} zero-win`);
  if (t.resets) parts.push(`${t.resets} rst`);
  return parts.join(', ');
}
