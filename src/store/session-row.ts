/**
 * A session as a row of the store's `sessions` table (schema.ts): the
 * listing columns, every filter field's values (columns.ts), the whole
 * session as JSON, and the UI list's row of it.
 */
import { sessionOutcome } from '../export/outcome.js';
import type { Session } from '../session/model.js';
import { listRow } from '../tui/list-row.js';
import { parseIso } from '../util/time.js';
import { fieldColumns } from './columns.js';

/** Which capture a session came from, as the store names it. */
export interface CaptureRef {
  /** Content hash (capture-id.ts), or a live sensor's run id. */
  capture: string;
  /** For people: the file name(s), or "eth0 on mx1". */
  name: string;
  /** Seconds since 1970 of the capture's first session: captures are listed in time order. */
  start: number;
}

const seconds = (iso: string): number => Number(parseIso(iso)) / 1e9;

export function sessionRow(s: Session, capture: CaptureRef, indexedAt: number): Record<string, unknown> {
  const outcome = sessionOutcome(s);
  const startEpoch = seconds(s.start);
  const row: Record<string, unknown> = {
    capture: capture.capture,
    capture_name: capture.name,
    capture_start: capture.start,
    id: s.id,
    stream: s.stream,
    protocol: s.protocol,
    start: Math.floor(startEpoch),
    start_epoch: startEpoch,
    end_epoch: seconds(s.end),
    client_ip: s.client.ip,
    client_port: s.client.port,
    server_ip: s.server.ip,
    server_port: s.server.port,
    outcome: outcome.label,
    failed: outcome.failed ? 1 : 0,
    json: JSON.stringify(s),
    row: JSON.stringify(listRow(s)),
    indexed_at: indexedAt,
  };
  fieldColumns(s, row);
  return row;
}
