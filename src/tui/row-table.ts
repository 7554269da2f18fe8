/**
 * The session list's rows as columns: what every row shows and sorts by, for
 * every session read, in about 100 bytes a row (typed arrays for numbers,
 * shared strings for the texts that repeat), so a million sessions fit where
 * a million session objects would not. The cells of a row are formatted from
 * it when the row is drawn.
 */
import { formatBytes } from '../export/session-line.js';
import type { Session } from '../session/model.js';
import { escapeString } from '../util/escape.js';
import { listRow, type ListRow } from './list-row.js';
import type { RowCells, Severity } from './row-cells.js';
import { clockTime } from '../util/display-zone.js';

type NumberArray = Uint8Array | Uint32Array | Float64Array;

/** A typed array that grows by doubling. */
export class Column<A extends NumberArray> {
  private data: A;

  constructor(private readonly make: (length: number) => A) {
    this.data = make(1024);
  }

  get(i: number): number {
    return this.data[i];
  }

  set(i: number, value: number): void {
    if (i >= this.data.length) {
      const bigger = this.make(Math.max(this.data.length * 2, i + 1));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[i] = value;
  }
}

/**
 * Gives the same string object for equal texts (server addresses, outcome
 * labels and users repeat across thousands of rows). Bounded: when full it
 * starts again, which only costs sharing, never correctness.
 */
class Interner {
  private readonly seen = new Map<string, string>();

  constructor(private readonly max = 65_536) {}

  get(text: string): string {
    const known = this.seen.get(text);
    if (known !== undefined) return known;
    if (this.seen.size >= this.max) this.seen.clear();
    this.seen.set(text, text);
    return text;
  }
}

const PROTO: Record<string, string> = { smtp: 'SMTP', pop3: 'POP3', imap: 'IMAP' };
const SEVERITIES: readonly Severity[] = ['ok', 'warn', 'error'];
const TLS_FLAG = 1;
const OPEN_FLAG = 2;

/**
 * Seconds since 1970 of an ISO 8601 UTC time with up to nanoseconds: sorts as
 * the text does (to the microsecond; ties go to the session number).
 */
export function startSeconds(iso: string): number {
  const whole = Date.parse(iso.slice(0, 19) + 'Z') / 1000;
  const dot = iso.indexOf('.', 19);
  if (dot < 0) return whole;
  let end = dot + 1;
  while (end < iso.length && iso.charCodeAt(end) >= 48 && iso.charCodeAt(end) <= 57) end++;
  return whole + Number('0' + iso.slice(dot, end));
}

export class RowTable {
  private readonly ids = new Column((n) => new Uint32Array(n));
  private readonly starts = new Column((n) => new Float64Array(n));
  private readonly severities = new Column((n) => new Uint8Array(n));
  private readonly flags = new Column((n) => new Uint8Array(n));
  private readonly exchanges = new Column((n) => new Uint32Array(n));
  private readonly bytes = new Column((n) => new Float64Array(n));
  private readonly anomalies = new Column((n) => new Uint32Array(n));
  /** HH:MM:SS as the session's start text has it (kept as text: no time zone arithmetic). */
  private readonly times: string[] = [];
  private readonly protos: string[] = [];
  private readonly clients: string[] = [];
  private readonly servers: string[] = [];
  private readonly users: string[] = [];
  private readonly outcomes: string[] = [];
  private readonly shared = new Interner();

  /** Sets row `i` from the session (a new row, or a new version of one). */
  set(i: number, s: Session): void {
    this.setRow(i, listRow(s));
  }

  /** Sets row `i` from what the list needs of a session (kept so by the ClickHouse store). */
  setRow(i: number, r: ListRow): void {
    this.ids.set(i, r.id);
    this.starts.set(i, startSeconds(r.start));
    this.severities.set(i, SEVERITIES.indexOf(r.severity));
    this.flags.set(i, (r.tls ? TLS_FLAG : 0) | (r.open ? OPEN_FLAG : 0));
    this.exchanges.set(i, r.exchanges);
    this.bytes.set(i, r.bytes);
    this.anomalies.set(i, r.anomalies);
    this.times[i] = this.shared.get(clockTime(r.start));
    this.protos[i] = PROTO[r.protocol] ?? this.shared.get(escapeString(r.protocol.toUpperCase()));
    // Escaped too: a row read back from a store is text from outside, like the wire.
    this.clients[i] = escapeString(r.client);
    this.servers[i] = this.shared.get(escapeString(r.server));
    this.users[i] = r.user ? this.shared.get(escapeString(r.user)) : '';
    this.outcomes[i] = this.shared.get(escapeString(r.outcome));
  }

  id(i: number): number {
    return this.ids.get(i);
  }

  start(i: number): number {
    return this.starts.get(i);
  }

  isOpen(i: number): boolean {
    return (this.flags.get(i) & OPEN_FLAG) !== 0;
  }

  severity(i: number): Severity {
    return SEVERITIES[this.severities.get(i)];
  }

  exCount(i: number): number {
    return this.exchanges.get(i);
  }

  byteCount(i: number): number {
    return this.bytes.get(i);
  }

  anomalyCount(i: number): number {
    return this.anomalies.get(i);
  }

  /** A text column, as shown (escaped). */
  text(i: number, key: 'proto' | 'client' | 'server' | 'user' | 'outcome' | 'tls'): string {
    switch (key) {
      case 'proto': return this.protos[i];
      case 'client': return this.clients[i];
      case 'server': return this.servers[i];
      case 'user': return this.users[i];
      case 'outcome': return this.outcomes[i];
      case 'tls': return this.flags.get(i) & TLS_FLAG ? 'TLS' : '';
    }
  }

  /** Row `i` formatted for drawing. */
  cells(i: number): RowCells {
    const exCount = this.exCount(i);
    const byteCount = this.byteCount(i);
    const anomalyCount = this.anomalyCount(i);
    return {
      id: String(this.id(i)),
      time: this.times[i],
      proto: this.protos[i],
      client: this.clients[i],
      server: this.servers[i],
      user: this.users[i],
      outcome: this.outcomes[i],
      severity: this.severity(i),
      ex: String(exCount),
      bytes: formatBytes(byteCount),
      tls: this.text(i, 'tls'),
      anomalies: anomalyCount ? `!${anomalyCount}` : '',
      exCount,
      byteCount,
      anomalyCount,
    };
  }
}
