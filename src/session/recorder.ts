/**
 * Builds one Session while a protocol machine decodes it. The machine owns
 * the protocol logic; the recorder owns the model: exchange numbering,
 * anomalies, auth attempts, messages, TLS hand-over and redaction.
 */
import type { Direction } from '../tcp/types.js';
import { append } from '../util/small-array.js';
import { formatIso } from '../util/time.js';
import type {
  Anomaly, AnomalyKind, AuthAttempt, Exchange, MessageSummary, Protocol, Session, TlsInfo,
} from './model.js';

export const REDACTED = '<redacted>';

export interface RecorderOptions {
  /** Keep passwords, SASL responses and tokens instead of "<redacted>". */
  showSecrets?: boolean;
  /** Bytes of each message body to keep for display (MessageSummary.body); 0 or absent: none. */
  keepBodies?: number;
  /** Called when a message body starts: a tap that receives its bytes as they stream (extract writes them to disk). */
  tapBody?: (session: Session) => BodyTap | null;
}

/** Receives the bytes of one message body (dot-unstuffed) as they stream, then its summary. */
export interface BodyTap {
  write(data: Buffer): void;
  /** The body ended; `summary` is the very object that becomes Session.messages[i]. */
  end(summary: MessageSummary): void;
}

/** Receives the bytes of a connection once TLS has started (set by the session builder). */
export interface TlsSink {
  start(mode: 'implicit' | 'starttls', exchange: number | null): void;
  data(dir: Direction, data: Buffer, ts: bigint, frame: number): void;
  gap(dir: Direction, length: number): void;
}

/** At most this many anomalies per session: a hostile stream cannot grow the session without bound. */
const MAX_ANOMALIES = 1000;

export class SessionRecorder {
  readonly session: Session;
  private anomaliesDropped = 0;
  /** Where bytes go once TLS has started (a subclass may be its own: set it after super()). */
  protected tlsSink: TlsSink | null;

  constructor(session: Session, protected readonly options: RecorderOptions = {}, tlsSink: TlsSink | null = null) {
    this.session = session;
    this.tlsSink = tlsSink;
  }

  get showSecrets(): boolean {
    return this.options.showSecrets ?? false;
  }

  /** Bytes of each message body machines keep for display (pass to MessageBody). */
  get bodyLimit(): number {
    return this.options.keepBodies ?? 0;
  }

  /** A tap for a message body that starts now, when one was asked for (pass to MessageBody). */
  bodyTap(): BodyTap | null {
    return this.options.tapBody?.(this.session) ?? null;
  }

  get protocol(): Protocol {
    return this.session.protocol;
  }

  time(ts: bigint): string {
    return formatIso(ts);
  }

  /**
   * Appends an exchange and returns its index. The session's arrays are
   * replaced as they grow (util/small-array.ts): read them from the session
   * each time, never keep one.
   */
  addExchange(exchange: Exchange): number {
    const s = this.session;
    s.exchanges = append(s.exchanges, exchange);
    return s.exchanges.length - 1;
  }

  get exchangeCount(): number {
    return this.session.exchanges.length;
  }

  /** Records an anomaly and returns it (its detail may be completed later), or null past the bound. */
  anomaly(kind: AnomalyKind, detail: string, frame: number, exchange?: number): Anomaly | null {
    if (this.session.anomalies.length >= MAX_ANOMALIES) {
      this.anomaliesDropped++;
      return null;
    }
    const a: Anomaly = exchange === undefined ? { kind, detail, frame } : { kind, detail, frame, exchange };
    this.session.anomalies = append(this.session.anomalies, a);
    return a;
  }

  /** Starts an authentication attempt; the machine updates its result (and user) as replies come. */
  addAuth(mechanism: string, user: string | null, exchange: number): AuthAttempt {
    const attempt: AuthAttempt = { mechanism: mechanism.toUpperCase(), user, result: 'unknown', exchange };
    this.session.auth = append(this.session.auth, attempt);
    return attempt;
  }

  /** Adds a finished message summary; links it from its exchange; returns its index. */
  addMessage(message: MessageSummary): number {
    this.session.messages = append(this.session.messages, message);
    const index = this.session.messages.length - 1;
    const ex = this.session.exchanges[message.exchange];
    if (ex) (ex.bodies ??= []).push({ message: index });
    return index;
  }

  /** A secret from the wire, or the redaction mark. */
  secret(text: string): string {
    return this.showSecrets ? text : REDACTED;
  }

  /** TLS starts (after a successful STARTTLS/STLS): from now on the machine hands bytes to tlsData. */
  startTls(exchange: number | null): void {
    this.tlsSink?.start(exchange === null ? 'implicit' : 'starttls', exchange);
  }

  tlsData(dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    this.tlsSink?.data(dir, data, ts, frame);
  }

  tlsGap(dir: Direction, length: number): void {
    this.tlsSink?.gap(dir, length);
  }

  /** TLS info as the TLS stage filled it (null before TLS). */
  get tls(): TlsInfo | null {
    return this.session.tls;
  }

  /** Anomalies not recorded because of the bound. */
  get droppedAnomalies(): number {
    return this.anomaliesDropped;
  }
}

/**
 * The counters of a session that has not ended: one frozen object shared by
 * all (the session builder writes the real ones when the connection ends, or
 * into a snapshot's copy), not two objects for each of tens of thousands of
 * live sessions.
 */
const NO_BYTES: Session['bytes'] = Object.freeze({ client: 0, server: 0 });
const NO_TCP: Session['tcp'] = Object.freeze({ retransmissions: 0, out_of_order: 0, gaps: 0, gap_bytes: 0, zero_windows: 0, resets: 0, fins: 0 });
/**
 * The empty lists of a new session, shared the same way: the recorder
 * replaces a list at its first entry (util/small-array.ts), so they are
 * never added to (frozen: whoever tried would fail loudly).
 */
const NONE = Object.freeze([]) as never[];

/** An empty session for a connection, ready for a machine to fill. */
export function newSession(init: Pick<Session, 'id' | 'stream' | 'protocol' | 'client' | 'server' | 'start'> & Partial<Pick<Session, 'eth'>>): Session {
  // Written out rather than spread: every session then has the same shape from its first property, which V8 builds faster.
  return {
    id: init.id,
    stream: init.stream,
    protocol: init.protocol,
    client: init.client,
    server: init.server,
    eth: init.eth,
    start: init.start,
    end: init.start,
    bytes: NO_BYTES,
    tls: null,
    auth: NONE,
    exchanges: NONE,
    messages: NONE,
    tcp: NO_TCP,
    anomalies: NONE,
    closed: 'end',
  };
}
