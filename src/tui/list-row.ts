/**
 * What one row of the session list needs of a session, and nothing more: the
 * RowTable keeps it in columns, and the ClickHouse store keeps it beside
 * each session (the `row` column), so the UI over a store lists millions of
 * sessions without reading their whole JSON (see store-sessions.ts).
 * Texts are as the session has them; RowTable escapes them for the screen.
 */
import { endpointText } from '../export/follow.js';
import { sessionOutcome, sessionUser } from '../export/outcome.js';
import type { Session } from '../session/model.js';
import { sessionSeverity, type Severity } from './row-cells.js';

export interface ListRow {
  id: number;
  /** ISO 8601 UTC, as the session's `start`. */
  start: string;
  protocol: string;
  /** address:port of each side ([v6]:port). */
  client: string;
  server: string;
  /** User of the last authentication attempt, or ''. */
  user: string;
  /** What went wrong, or OK. */
  outcome: string;
  severity: Severity;
  tls: boolean;
  /** A live session still in progress. */
  open: boolean;
  exchanges: number;
  /** Bytes both ways. */
  bytes: number;
  anomalies: number;
}

export function listRow(s: Session): ListRow {
  const outcome = sessionOutcome(s);
  return {
    id: s.id,
    start: s.start,
    protocol: s.protocol,
    client: endpointText(s.client),
    server: endpointText(s.server),
    user: sessionUser(s) ?? '',
    outcome: outcome.label,
    severity: outcome.failed ? sessionSeverity(s, outcome) : 'ok',
    tls: Boolean(s.tls),
    open: s.closed === 'open',
    exchanges: s.exchanges.length,
    bytes: s.bytes.client + s.bytes.server,
    anomalies: s.anomalies.length,
  };
}
