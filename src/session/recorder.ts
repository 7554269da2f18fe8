/**
 * Builds one Session while a protocol machine decodes it. The machine owns
 * the protocol logic; the recorder owns the model: exchange numbering,
 * anomalies, auth attempts, messages, TLS hand-over and redaction.
 */
import type { Direction } from '../tcp/types.js';
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
  readonly showSecrets: boolean;
  /** Bytes of each message body machines keep for display (pass to MessageBody). */
  readonly bodyLimit: number;
  private anomaliesDropped = 0;
  private readonly tapBody: RecorderOptions['tapBody'];

  /** A tap for a message body that starts now, when one was asked for (pass to MessageBody). */
  bodyTap(): BodyTap | null {
    return this.tapBody?.(this.session) ?? null;
  }

  constructor(session: Session, options: RecorderOptions = {}, private readonly tlsSink: TlsSink | null = null) {
    this.session = session;
    this.showSecrets = options.showSecrets ?? false;
    this.bodyLimit = options.keepBodies ?? 0;
    this.tapBody = options.tapBody;
  }

  get protocol(): Protocol {
    return this.session.protocol;
  }

  time(ts: bigint): string {
    return formatIso(ts);
  }

  /** Appends an exchange and returns its index. */
  addExchange(exchange: Exchange): number {
    this.session.exchanges.push(exchange);
    return this.session.exchanges.length - 1;
  }

  get exchangeCount(): number {
    return this.session.exchanges.length;
  }

  anomaly(kind: AnomalyKind, detail: string, frame: number, exchange?: number): void {
    if (this.session.anomalies.length >= MAX_ANOMALIES) {
      this.anomaliesDropped++;
      return;
    }
    const a: Anomaly = { kind, detail, frame };
    if (exchange !== undefined) a.exchange = exchange;
    this.session.anomalies.push(a);
  }

  /** Starts an authentication attempt; the machine updates its result (and user) as replies come. */
  addAuth(mechanism: string, user: string | null, exchange: number): AuthAttempt {
    const attempt: AuthAttempt = { mechanism: mechanism.toUpperCase(), user, result: 'unknown', exchange };
    this.session.auth.push(attempt);
    return attempt;
  }

  /** Adds a finished message summary; links it from its exchange; returns its index. */
  addMessage(message: MessageSummary): number {
    this.session.messages.push(message);
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

/** An empty session for a connection, ready for a machine to fill. */
export function newSession(init: Pick<Session, 'id' | 'stream' | 'protocol' | 'client' | 'server' | 'start'>): Session {
  // Written out rather than spread: every session then has the same shape from its first property, which V8 builds faster.
  return {
    id: init.id,
    stream: init.stream,
    protocol: init.protocol,
    client: init.client,
    server: init.server,
    start: init.start,
    end: init.start,
    bytes: { client: 0, server: 0 },
    tls: null,
    auth: [],
    exchanges: [],
    messages: [],
    tcp: { retransmissions: 0, out_of_order: 0, gaps: 0, gap_bytes: 0, zero_windows: 0, resets: 0 },
    anomalies: [],
    closed: 'end',
  };
}
