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
import { WELL_KNOWN_PORTS, identifyByGreeting, type PortRule } from './identify.js';
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
}

/** Server bytes looked at before giving up on recognising a greeting on an unknown port. */
const SNIFF_LIMIT = 64;

interface Live {
  session: Session;
  /** The reassembler's connection (its counters grow as packets come). */
  conn: ConnectionInfo;
  /** Something happened since the last snapshot (see snapshot()). */
  changed: boolean;
  recorder: SessionRecorder;
  machine: ProtocolMachine | null;
  tls: TlsDecryptingReader | null;
  /** Bytes go to TLS from now on (implicit TLS, or after STARTTLS). */
  inTls: boolean;
  /** The machine fed with decrypted application data (made at the first plaintext). */
  inner: ProtocolMachine | null;
  /** Time and frame of the latest bytes (for gaps the TLS sink hears of without them). */
  lastTs: bigint;
  lastFrame: number;
}

/** A connection on an unknown port: waiting for the server's first bytes. */
interface Sniffing {
  sniff: true;
  /** Client bytes seen before the greeting (a session is only made if the greeting says mail). */
  early: { dir: Direction; data: Buffer; ts: bigint; frame: number }[];
  serverBytes: number;
}

export class SessionBuilder implements StreamListener {
  private readonly live = new Map<number, Live | Sniffing>();
  private nextId = 1;

  constructor(private readonly options: BuilderOptions) {}

  open(conn: ConnectionInfo): void {
    const rule = this.options.decodeAs?.get(conn.server.port) ?? WELL_KNOWN_PORTS.get(conn.server.port);
    if (rule && this.options.machines[rule.protocol]) {
      this.live.set(conn.id, this.start(conn, rule.protocol, rule.implicitTls));
    } else {
      this.live.set(conn.id, { sniff: true, early: [], serverBytes: 0 });
    }
  }

  data(conn: ConnectionInfo, dir: Direction, data: Buffer, ts: bigint, frame: number): void {
    let state = this.live.get(conn.id);
    if (state === undefined) return;
    if ('sniff' in state) {
      state = this.sniff(conn, state, dir, data, ts, frame);
      if (state === undefined || 'sniff' in state) return;
      return; // sniff() fed the machine
    }
    state.changed = true;
    this.feed(state, dir, data, ts, frame);
  }

  gap(conn: ConnectionInfo, dir: Direction, length: number, ts: bigint, frame: number): void {
    const state = this.live.get(conn.id);
    if (state === undefined || 'sniff' in state) return;
    state.changed = true;
    if (state.inTls && state.machine === null) this.tlsGap(state, dir, length, ts, frame);
    else state.machine?.gap(dir, length, ts, frame);
  }

  anomaly(conn: ConnectionInfo, anomaly: TcpAnomaly): void {
    const state = this.live.get(conn.id);
    if (state === undefined || 'sniff' in state) return;
    state.changed = true;
    state.recorder.anomaly(anomaly.kind, anomaly.detail, anomaly.frame);
  }

  close(conn: ConnectionInfo, reason: CloseReason): void {
    const state = this.live.get(conn.id);
    this.live.delete(conn.id);
    if (state === undefined || 'sniff' in state) return;
    state.tls?.end(conn.lastFrame);
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
    const out: Session[] = [];
    for (const state of this.live.values()) {
      if ('sniff' in state || !state.changed) continue;
      state.changed = false;
      const copy = structuredClone(state.session);
      fillConnectionFields(copy, state, 'open');
      out.push(copy);
    }
    return out;
  }

  private start(conn: ConnectionInfo, protocol: Protocol, implicitTls: boolean): Live {
    const session = newSession({
      id: this.nextId++,
      stream: conn.id,
      protocol,
      client: { ...conn.client },
      server: { ...conn.server },
      start: formatIso(conn.firstTs),
    });
    const live: Live = {
      session, conn, changed: true, recorder: undefined as unknown as SessionRecorder, machine: null, tls: null, inTls: false, inner: null, lastTs: conn.firstTs, lastFrame: 0,
    };
    const sink: TlsSink = {
      start: (mode, exchange) => {
        if (live.inTls) return;
        live.inTls = true;
        live.tls = new TlsDecryptingReader(this.options.secrets ?? null, {
          problem: (dir, detail) => live.recorder.anomaly('tls.malformed', `${dir === 0 ? 'client' : 'server'}: ${detail}`, 0),
          decryptFailed: (_dir, detail, frame) => live.recorder.anomaly('tls.decrypt_failed', detail, frame),
          notDecryptable: (detail, frame) => live.recorder.anomaly('tls.undecryptable', detail, frame),
          plaintext: (dir, data, ts, frame) => {
            if (live.inner === null) {
              // Its own recorder without a TLS sink: the Session is shared, a STARTTLS inside TLS goes nowhere.
              live.inner = this.options.machines[protocol]!(new SessionRecorder(session, this.options, null));
            }
            live.inner.data(dir, data, ts, frame);
          },
        });
        session.tls = { mode, version: null, sni: null, cipher: null, alpn: [], decrypted: false, startExchange: exchange };
      },
      data: (dir, data, ts, frame) => {
        live.lastTs = ts;
        live.lastFrame = frame;
        live.tls?.data(dir, data, ts, frame);
      },
      gap: (dir, length) => this.tlsGap(live, dir, length, live.lastTs, live.lastFrame),
    };
    live.recorder = new SessionRecorder(session, this.options, sink);
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
      state.tls?.data(dir, data, ts, frame);
    } else state.machine?.data(dir, data, ts, frame);
  }

  /** Bytes lost inside TLS: record boundaries are gone, so is decryption of that direction; the plaintext machine hears of the gap. */
  private tlsGap(state: Live, dir: Direction, length: number, ts: bigint, frame: number): void {
    state.tls?.gap(dir);
    state.inner?.gap(dir, length, ts, frame);
  }

  /** Collects the first server bytes on an unknown port; starts a session if they are a mail greeting. */
  private sniff(conn: ConnectionInfo, state: Sniffing, dir: Direction, data: Buffer, ts: bigint, frame: number): Live | Sniffing | undefined {
    if (dir === 0) {
      if (state.early.length < 16) state.early.push({ dir, data: Buffer.from(data), ts, frame });
      return state;
    }
    const protocol = identifyByGreeting(data);
    if (protocol === null || !this.options.machines[protocol]) {
      state.serverBytes += data.length;
      if (state.serverBytes >= SNIFF_LIMIT || protocol === null) this.live.delete(conn.id); // not mail
      return undefined;
    }
    const live = this.start(conn, protocol, false);
    this.live.set(conn.id, live);
    for (const e of state.early) this.feed(live, e.dir, e.data, e.ts, e.frame);
    this.feed(live, dir, data, ts, frame);
    return live;
  }
}

/** What the connection and the TLS reader know, written into the session: at its close, or into a snapshot. */
function fillConnectionFields(s: Session, state: Live, closed: CloseReason | 'open'): void {
  const conn = state.conn;
  s.end = formatIso(conn.lastTs);
  s.bytes = { client: conn.bytes[0], server: conn.bytes[1] };
  const t = conn.stats;
  s.tcp = { retransmissions: t.retransmissions, out_of_order: t.outOfOrder, gaps: t.gaps, gap_bytes: t.gapBytes, zero_windows: t.zeroWindows, resets: t.resets };
  s.closed = closed;
  if (state.tls && s.tls) {
    const m = state.tls.meta;
    Object.assign(s.tls, { version: m.version, sni: m.sni, cipher: m.cipher, alpn: [...m.alpn], decrypted: state.tls.decrypted });
  }
}
