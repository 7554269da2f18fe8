/**
 * The protocol stage's driver: listens to the TCP reassembler, decides which
 * connections are mail sessions, runs one protocol machine per session (or the
 * TLS reader for implicit TLS), and hands each finished Session on.
 *
 * TLS plaintext (when the key log has the connection's secrets) goes to a
 * second instance of the same protocol's machine, recording into the same
 * Session: after STARTTLS / STLS the protocol starts over anyway (RFC 3207
 * 4.2, RFC 2595 4, RFC 9051 6.2.1: no greeting, state reset), so a fresh
 * machine is exactly right, and the clear-text machine stays as it is.
 */
import type { ProtocolMachine } from '../protocols/machine.js';
import type { CloseReason, ConnectionInfo, Direction, StreamListener, TcpAnomaly } from '../tcp/types.js';
import { TlsDecryptingReader, type SecretSource } from '../tls/decrypting-reader.js';
import { formatIso } from '../util/time.js';
import type { PortRule } from './identify.js';
import { portRule, sniffVerdict } from './numbering.js';
import type { Protocol, Session } from './model.js';
import { SessionRecorder, newSession, type RecorderOptions, type TlsSink } from './recorder.js';

export type MachineFactory = (recorder: SessionRecorder) => ProtocolMachine;

export interface BuilderOptions extends RecorderOptions {
  machines: Partial<Record<Protocol, MachineFactory>>;
  /** Port rules from --decode-as; they take precedence over the well-known ports. */
  decodeAs?: ReadonlyMap<number, PortRule>;
  /** TLS secrets (key log, pcapng DSBs); without it TLS is read for its metadata only. */
  secrets?: SecretSource;
  /** Receives each session when its connection ends. */
  onSession: (session: Session) => void;
  /** snapshot() will be called (a live capture shows sessions in progress). */
  snapshots?: boolean;
  /**
   * The id of the session a connection starts, when another thread numbers
   * them (a parallel read: SessionNumbering). Default: numbered here, in the
   * same order.
   */
  assignId?: (conn: ConnectionInfo) => number;
}

/**
 * A connection that is a session: its recorder (it is one), its machine, and
 * the TLS sink the recorder hands bytes to after STARTTLS or on an
 * implicit-TLS port (it is that too). One object with methods rather than
 * three, or an object of closures: tens of thousands are alive at once in a
 * flood, and each object or closure costs every one of them.
 */
class Live extends SessionRecorder implements TlsSink {
  /** Something happened since the last snapshot (see snapshot()). */
  changed = true;
  machine: ProtocolMachine | null = null;
  tlsReader: TlsDecryptingReader | null = null;
  /** Bytes go to TLS from now on (implicit TLS, or after STARTTLS). */
  inTls = false;
  /** The machine fed with decrypted application data (made at the first plaintext). */
  inner: ProtocolMachine | null = null;
  /** Time and frame of the latest bytes (for gaps the TLS sink hears of without them). */
  lastTs: bigint;
  lastFrame = 0;

  constructor(
    session: Session,
    /** The reassembler's connection (its counters grow as packets come). */
    readonly conn: ConnectionInfo,
    protected override readonly options: BuilderOptions,
  ) {
    super(session, options, null);
    this.tlsSink = this;
    this.lastTs = conn.firstTs;
  }

  /** What the machine records into. */
  get recorder(): SessionRecorder {
    return this;
  }

  // TlsSink

  start(mode: 'implicit' | 'starttls', exchange: number | null): void {
    if (this.inTls) return;
    this.inTls = true;
    const recorder = this.recorder;
    this.tlsReader = new TlsDecryptingReader(this.options.secrets ?? null, {
      problem: (dir, detail) => recorder.anomaly('tls.malformed', `${dir === 0 ? 'client' : 'server'}: ${detail}`, 0),
      decryptFailed: (_dir, detail, frame) => recorder.anomaly('tls.decrypt_failed', detail, frame),
      notDecryptable: (detail, frame) => recorder.anomaly('tls.undecryptable', detail, frame),
      plaintext: (dir, data, ts, frame) => {
        if (this.inner === null) {
          // Its own recorder without a TLS sink: the Session is shared, a STARTTLS inside TLS goes nowhere.
          this.inner = this.options.machines[this.session.protocol]!(new SessionRecorder(this.session, this.options, null));
        }
        this.inner.data(dir, data, ts, frame);
      },
    });
    this.session.tls = { mode, version: null, sni: null, cipher: null, alpn: [], decrypted: false, startExchange: exchange };
  }

  data(dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    this.lastTs = ts;
    this.lastFrame = frame;
    this.tlsReader?.data(dir, data, ts, frame);
  }

  gap(dir: Direction, length: number): void {
    this.gapInTls(dir, length, this.lastTs, this.lastFrame);
  }

  /** Bytes lost inside TLS: record boundaries are gone, so is decryption of that direction; the plaintext machine hears of the gap. */
  gapInTls(dir: Direction, length: number, ts: bigint, frame: number): void {
    this.tlsReader?.gap(dir);
    this.inner?.gap(dir, length, ts, frame);
  }
}

/**
 * A connection on a mail port that has not become a session yet: nothing but
 * client bytes has happened on it (a SYN, a scanner's "EHLO x", a ClientHello
 * no server answered). Most connections of a SYN flood or a scan stay like
 * this until they expire, so they cost the connection table's entry and these
 * few fields, not a session and a protocol machine. The session's id is taken
 * now, so ids stay in connection order however late the session starts. The
 * bytes are kept as latin1 strings (a string of 8 bytes is 24 bytes; a
 * Buffer of them is a hundred and pins a slab of Node's buffer pool), the
 * first one in fields of its own.
 */
class Pending {
  /** The first client bytes, their time and frame; null before any came. */
  first: string | null = null;
  firstTs = 0n;
  firstFrame = 0;
  /** Client bytes after the first ones. */
  more: EarlyText[] | null = null;
  earlyBytes = 0;

  constructor(
    readonly id: number,
    readonly protocol: Protocol,
    readonly implicitTls: boolean,
  ) {}

  /** Keeps client bytes (copied: `data` may be a view into a read buffer). */
  hold(data: Buffer, ts: bigint, frame: number): void {
    const text = data.toString('latin1');
    if (this.first === null) {
      this.first = text;
      this.firstTs = ts;
      this.firstFrame = frame;
    } else {
      (this.more ??= []).push({ text, ts, frame });
    }
    this.earlyBytes += data.length;
  }
}

/** Client bytes a pending connection held, as latin1 text. */
interface EarlyText { text: string; ts: bigint; frame: number }

/** Client bytes held back until the connection's session starts. */
interface EarlyBytes { dir: Direction; data: Buffer; ts: bigint; frame: number }

/** Client bytes a pending connection holds before its session is started anyway. */
const PENDING_LIMIT = 4096;

/** A connection on an unknown port: waiting for the server's first bytes. */
interface Sniffing {
  sniff: true;
  /** Client bytes seen before the greeting (a session is only made if the greeting says mail). */
  early: EarlyBytes[];
  serverBytes: number;
}

type State = Live | Pending | Sniffing;

/**
 * Each connection's state is kept in its listenerState slot (a map from
 * connection ids to states would cost tens of thousands of entries in a
 * flood, and a look-up per event); the states are also kept in a map, in
 * connection order, only when snapshots are asked for.
 */
export class SessionBuilder implements StreamListener {
  /** Every connection's state, by connection id (in order of their first packet): only with options.snapshots. */
  private readonly live: Map<number, State> | null;
  private nextId = 1;

  constructor(private readonly options: BuilderOptions) {
    this.live = options.snapshots ? new Map() : null;
  }

  open(conn: ConnectionInfo): void {
    const rule = portRule(conn.server.port, this.options.decodeAs, this.options.machines);
    if (rule) {
      this.setState(conn, new Pending(this.takeId(conn), rule.protocol, rule.implicitTls));
    } else {
      this.setState(conn, { sniff: true, early: [], serverBytes: 0 });
    }
  }

  data(conn: ConnectionInfo, dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    let state = stateOf(conn);
    if (state === undefined) return;
    if (state instanceof Pending) {
      if (dir === 0 && state.earlyBytes + data.length <= PENDING_LIMIT) {
        state.hold(data, ts, frame);
        return;
      }
      state = this.materialize(conn, state);
    }
    if ('sniff' in state) {
      state = this.sniff(conn, state, dir, data, ts, frame);
      if (state === undefined || 'sniff' in state) return;
      return; // sniff() fed the machine
    }
    state.changed = true;
    this.feed(state, dir, data, ts, frame);
  }

  gap(conn: ConnectionInfo, dir: Direction, length: number, ts: bigint, frame: number): void {
    const state = this.session(conn);
    if (state === undefined) return;
    state.changed = true;
    if (state.inTls && state.machine === null) state.gapInTls(dir, length, ts, frame);
    else state.machine?.gap(dir, length, ts, frame);
  }

  anomaly(conn: ConnectionInfo, anomaly: TcpAnomaly): void {
    const state = this.session(conn);
    if (state === undefined) return;
    state.changed = true;
    state.recorder.anomaly(anomaly.kind, anomaly.detail, anomaly.frame);
  }

  close(conn: ConnectionInfo, reason: CloseReason): void {
    const state = this.session(conn);
    this.dropState(conn);
    if (state === undefined) return;
    state.tlsReader?.end(conn.lastFrame);
    state.inner?.end(conn.lastTs, conn.lastFrame);
    state.machine?.end(conn.lastTs, conn.lastFrame);
    fillConnectionFields(state.session, state, reason);
    this.options.onSession(state.session);
  }

  /**
   * Copies of the sessions still in progress that changed since the last
   * call, as decoded so far, with `closed: 'open'` (a live capture shows
   * them before their connections end). They hold what the machine has
   * recorded so far: a command the machine still holds back (waiting for
   * the reply that decides what the next bytes are) appears once decided.
   * The copies share nothing with the sessions being built.
   */
  snapshot(): Session[] {
    if (this.live === null) throw new Error('SessionBuilder.snapshot() needs the snapshots option');
    const out: Session[] = [];
    for (const state of this.live.values()) {
      if (!(state instanceof Live) || !state.changed) continue;
      state.changed = false;
      const copy = structuredClone(state.session);
      fillConnectionFields(copy, state, 'open');
      out.push(copy);
    }
    return out;
  }

  /** The connection's session, started now if it was pending; undefined when the connection is not a mail session. */
  private session(conn: ConnectionInfo): Live | undefined {
    const state = stateOf(conn);
    if (state === undefined || 'sniff' in state) return undefined;
    return state instanceof Pending ? this.materialize(conn, state) : state;
  }

  /** Starts the session of a pending connection and replays the client bytes it held. */
  private materialize(conn: ConnectionInfo, pending: Pending): Live {
    const live = this.start(conn, pending.protocol, pending.implicitTls, pending.id);
    this.setState(conn, live);
    if (pending.first !== null) this.feed(live, 0, Buffer.from(pending.first, 'latin1'), pending.firstTs, pending.firstFrame);
    if (pending.more !== null) for (const e of pending.more) this.feed(live, 0, Buffer.from(e.text, 'latin1'), e.ts, e.frame);
    return live;
  }

  private setState(conn: ConnectionInfo, state: State): void {
    conn.listenerState = state;
    this.live?.set(conn.id, state);
  }

  private dropState(conn: ConnectionInfo): void {
    conn.listenerState = undefined;
    this.live?.delete(conn.id);
  }

  private takeId(conn: ConnectionInfo): number {
    return this.options.assignId ? this.options.assignId(conn) : this.nextId++;
  }

  private start(conn: ConnectionInfo, protocol: Protocol, implicitTls: boolean, id = this.takeId(conn)): Live {
    const session = newSession({
      id,
      stream: conn.id,
      protocol,
      // The connection's own endpoints: nothing changes them, and a copy would cost two objects a session.
      client: conn.client,
      server: conn.server,
      eth: conn.eth,
      start: formatIso(conn.firstTs),
    });
    const live = new Live(session, conn, this.options);
    if (implicitTls) {
      live.recorder.startTls(null);
    } else {
      live.machine = this.options.machines[protocol]!(live.recorder);
    }
    return live;
  }

  private feed(state: Live, dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    if (state.inTls && state.machine === null) {
      state.lastTs = ts;
      state.lastFrame = frame;
      state.tlsReader?.data(dir, data, ts, frame);
    } else state.machine?.data(dir, data, ts, frame);
  }



  /** Collects the first server bytes on an unknown port; starts a session if they are a mail greeting. */
  private sniff(conn: ConnectionInfo, state: Sniffing, dir: Direction, data: Buffer, ts: bigint, frame: number): Live | Sniffing | undefined {
    const verdict = sniffVerdict(dir, data, state.serverBytes, this.options.machines);
    if (verdict === 'wait') {
      if (dir === 0) {
        if (state.early.length < 16) state.early.push({ dir, data: Buffer.from(data), ts, frame });
      } else {
        state.serverBytes += data.length;
      }
      return state;
    }
    if (verdict === 'not-mail') {
      this.dropState(conn);
      return undefined;
    }
    const live = this.start(conn, verdict.start, false);
    this.setState(conn, live);
    for (const e of state.early) this.feed(live, e.dir, e.data, e.ts, e.frame);
    this.feed(live, dir, data, ts, frame);
    return live;
  }

}

function stateOf(conn: ConnectionInfo): State | undefined {
  return conn.listenerState as State | undefined;
}

/** What the connection and the TLS reader know, written into the session: at its close, or into a snapshot. */
function fillConnectionFields(s: Session, state: Live, closed: CloseReason | 'open'): void {
  const conn = state.conn;
  s.end = formatIso(conn.lastTs);
  s.bytes = { client: conn.bytes[0], server: conn.bytes[1] };
  const t = conn.stats;
  s.tcp = { retransmissions: t.retransmissions, out_of_order: t.outOfOrder, gaps: t.gaps, gap_bytes: t.gapBytes, zero_windows: t.zeroWindows, resets: t.resets, fins: t.fins };
  s.closed = closed;
  const reader = state.tlsReader;
  if (reader && s.tls) {
    const m = reader.meta;
    Object.assign(s.tls, { version: m.version, sni: m.sni, cipher: m.cipher, alpn: [...m.alpn], decrypted: reader.decrypted });
    const w = m.wire;
    if (w.recordTypes.length > 0) s.tls.records = { versions: [...w.recordVersions], types: [...w.recordTypes] };
    if (w.handshakeTypes.length > 0) s.tls.handshake = { types: [...w.handshakeTypes], versions: [...w.helloVersions], suites: [...w.suites] };
    if (m.alerts.length > 0) s.tls.alerts = [...new Set(m.alerts.map((al) => al.description))];
  }
  // A 220 to STARTTLS (or +OK to STLS) followed by no TLS byte at all: the session never was in TLS.
  if (s.tls?.mode === 'starttls' && closed !== 'open' && !(reader && reader.meta.wire.recordTypes.length > 0) && !s.anomalies.some((a) => a.kind === 'tls.malformed')) {
    s.tls = null;
  }
}
