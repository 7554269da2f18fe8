/**
 * The session list's rows as columns: what every row shows and sorts by, for
 * every session read, in about 70 bytes a row (typed arrays for numbers and
 * for the codes of texts that repeat), so a million sessions fit where
 * a million session objects would not. The cells of a row are formatted from
 * it when the row is drawn.
 */
import { formatBytes } from '../export/session-line.js';
import type { Session } from '../session/model.js';
import { escapeString } from '../util/escape.js';
import { listRow, type ListRow } from './list-row.js';
import type { RowCells, Severity } from './row-cells.js';
import { clockTime } from '../util/display-zone.js';
import { Interner } from '../util/interner.js';

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
 * A column's texts coded as numbers: each distinct text is kept once, and a
 * row holds its code in a typed array. For the columns whose texts repeat
 * (clock times, protocols, servers, users, client addresses without their
 * port): 4 bytes a row instead of an 8-byte reference the garbage collector
 * visits at every full collection, a million of them per column on a flood.
 */
class Dictionary {
  private readonly codes = new Map<string, number>();
  private readonly texts: string[] = [];

  code(text: string): number {
    let code = this.codes.get(text);
    if (code === undefined) {
      code = this.texts.length;
      this.codes.set(text, code);
      this.texts.push(text);
    }
    return code;
  }

  text(code: number): string {
    return this.texts[code];
  }
}

/** "host:port" with the port as written from a number (no leading zero), the client column's usual text. */
const HOST_PORT = /^(.*):([1-9]\d{0,4}|0)$/;

/** How String(x) and String(y) order (whole numbers, no leading zeros), without making them. */
export function compareDecimalText(x: number, y: number): number {
  if (x === y) return 0;
  const dx = digitCount(x);
  const dy = digitCount(y);
  const m = Math.min(dx, dy);
  const hx = Math.floor(x / 10 ** (dx - m));
  const hy = Math.floor(y / 10 ** (dy - m));
  if (hx !== hy) return hx < hy ? -1 : 1;
  return dx < dy ? -1 : dx > dy ? 1 : 0;
}

function digitCount(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
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

const uint8s = () => new Column((n) => new Uint8Array(n));
const uint32s = () => new Column((n) => new Uint32Array(n));
const float64s = () => new Column((n) => new Float64Array(n));

export class RowTable {
  private readonly ids = uint32s();
  private readonly starts = float64s();
  private readonly severities = uint8s();
  private readonly flags = uint8s();
  private readonly exchanges = uint32s();
  private readonly bytes = float64s();
  private readonly anomalies = uint32s();
  // Codes of texts in `texts`:
  /** HH:MM:SS as the session's start text has it (kept as text: no time zone arithmetic). */
  private readonly times = uint32s();
  private readonly protos = uint32s();
  /** The client's address without its port (or its whole text when it has none), and the port plus one (0: none). */
  private readonly clientHosts = uint32s();
  private readonly clientPorts = uint32s();
  private readonly servers = uint32s();
  private readonly users = uint32s();
  /** Outcomes may be as many as the rows (a reply's text with its address): shared references, not codes. */
  private readonly outcomes: string[] = [];
  private readonly texts = new Dictionary();
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
    const texts = this.texts;
    this.times.set(i, texts.code(clockTime(r.start)));
    this.protos.set(i, texts.code(PROTO[r.protocol] ?? escapeString(r.protocol.toUpperCase())));
    // Escaped too: a row read back from a store is text from outside, like the wire.
    const client = escapeString(r.client);
    const hostPort = HOST_PORT.exec(client);
    this.clientHosts.set(i, texts.code(hostPort ? hostPort[1] : client));
    this.clientPorts.set(i, hostPort ? Number(hostPort[2]) + 1 : 0);
    this.servers.set(i, texts.code(escapeString(r.server)));
    this.users.set(i, texts.code(r.user ? escapeString(r.user) : ''));
    this.outcomes[i] = this.shared.get(escapeString(r.outcome));
  }

  /**
   * Rows a and b by client text, as comparing the two texts would order them
   * (code unit by code unit), without making them: a sort by client over a
   * million rows would otherwise make two strings for every comparison.
   */
  compareClient(a: number, b: number): number {
    const ha = this.texts.text(this.clientHosts.get(a));
    const hb = this.texts.text(this.clientHosts.get(b));
    const pa = this.clientPorts.get(a);
    const pb = this.clientPorts.get(b);
    // An empty cell sorts last in ascending order, as the list's other text columns do.
    const emptyA = ha === '' && pa === 0;
    const emptyB = hb === '' && pb === 0;
    if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
    if (ha === hb) {
      if (pa === pb) return 0;
      if (pa === 0 || pb === 0) return pa === 0 ? -1 : 1; // "host" before "host:port"
      return compareDecimalText(pa - 1, pb - 1);
    }
    const n = Math.min(ha.length, hb.length);
    for (let k = 0; k < n; k++) {
      const d = ha.charCodeAt(k) - hb.charCodeAt(k);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    // One host is the start of the other: what follows the shorter is its ":" or its end.
    const [short, long, shortPort] = ha.length < hb.length ? [ha, hb, pa] : [hb, ha, pb];
    const sign = ha.length < hb.length ? 1 : -1;
    if (shortPort === 0) return -sign;
    const next = long.charCodeAt(short.length);
    if (next !== 0x3a) return sign * (0x3a < next ? -1 : 1);
    // The longer host has a ":" there too (an IPv6 text): rare enough to compare the texts themselves.
    const x = this.client(a);
    const y = this.client(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  private client(i: number): string {
    const host = this.texts.text(this.clientHosts.get(i));
    const port = this.clientPorts.get(i);
    return port === 0 ? host : `${host}:${port - 1}`;
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
      case 'proto': return this.texts.text(this.protos.get(i));
      case 'client': return this.client(i);
      case 'server': return this.texts.text(this.servers.get(i));
      case 'user': return this.texts.text(this.users.get(i));
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
      time: this.texts.text(this.times.get(i)),
      proto: this.text(i, 'proto'),
      client: this.client(i),
      server: this.text(i, 'server'),
      user: this.text(i, 'user'),
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
