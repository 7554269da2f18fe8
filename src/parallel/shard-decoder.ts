/**
 * One shard of a parallel read's decoding: the protocol stage and the output
 * formatting for the connections the main thread routes to it, fed the
 * connection events of src/parallel/events.ts. It runs the same
 * SessionBuilder as a single-threaded read, with the session ids the main
 * thread handed out, and answers each batch with the output of the sessions
 * that finished in it. A worker thread runs one (decode-worker.ts); the main
 * thread runs one too, for the connections it keeps for itself.
 */
import { loadKeyLog } from '../cli/keylog-option.js';
import { defaultMachines } from '../protocols/registry.js';
import { SessionBuilder } from '../session/builder.js';
import { parseDecodeAs } from '../session/identify.js';
import { KeyLog } from '../tls/keylog.js';
import { Interner } from '../util/interner.js';
import type { CloseReason, ConnectionInfo, Direction, Endpoint, EthernetPair, RoleEvidence, TcpAnomalyKind, TcpStats } from '../tcp/types.js';
import { ANOMALY, CLOSE, DATA, GAP, KEYLOG, NUMBER, OPEN, type EventBatch } from './events.js';
import { sessionFormatter, type SessionJob } from './session-job.js';

export interface WorkerSetup extends SessionJob {
  showSecrets: boolean;
  decodeAs: string[];
  /** --keylog as given (the worker reads the file itself; SSLKEYLOGFILE is in its environment too). */
  keylog?: string;
}

/** A worker's answer to one batch: [sessionId, text | null, ...] of the sessions that finished in it. */
export interface WorkerResult {
  done: (number | string | null)[];
}

/** Counters of a connection before its CLOSE brings the real ones: shared, as a flood has tens of thousands open. */
const NO_BYTES: readonly [number, number] = Object.freeze([0, 0] as [number, number]);
const NO_STATS: Readonly<TcpStats> = Object.freeze({ retransmissions: 0, outOfOrder: 0, gaps: 0, gapBytes: 0, zeroWindows: 0, resets: 0, fins: 0 });

/** The main thread's connection, as far as the builder looks at it. */
class RemoteConnection implements ConnectionInfo {
  lastTs: bigint;
  lastFrame: number;
  packets = 0;
  bytes: readonly [number, number] = NO_BYTES;
  stats: Readonly<TcpStats> = NO_STATS;
  sessionId = -1;
  listenerState: unknown = undefined;
  eth: EthernetPair | undefined = undefined;

  constructor(
    readonly id: number,
    readonly client: Endpoint,
    readonly server: Endpoint,
    readonly ipVersion: 4 | 6,
    readonly roleEvidence: RoleEvidence,
    readonly firstTs: bigint,
    readonly firstFrame: number,
  ) {
    this.lastTs = firstTs;
    this.lastFrame = firstFrame;
  }
}

export class ShardDecoder {
  private done: (number | string | null)[] = [];
  private readonly conns = new Map<number, RemoteConnection>();
  /**
   * IP and MAC address texts, one copy each: every batch arrives as new
   * strings, and the server's address and the MACs are the same on most of a
   * flood's connections (a worker's heap held 7 strings per open connection).
   */
  private readonly texts = new Interner(4096);
  private readonly keylog: KeyLog;
  private readonly builder: SessionBuilder;

  constructor(setup: WorkerSetup) {
    const keylog = (this.keylog = loadKeyLog(setup.keylog, () => {}) ?? new KeyLog());
    const format = sessionFormatter(setup);
    this.builder = new SessionBuilder({
      machines: defaultMachines,
      decodeAs: parseDecodeAs(setup.decodeAs),
      showSecrets: setup.showSecrets,
      secrets: { lookup: (random) => keylog.lookup(random), hasAny: () => keylog.size > 0 },
      assignId: (conn) => (conn as RemoteConnection).sessionId,
      onSession: (s) => this.done.push(s.id, format(s)),
    });
  }

  /** Applies a batch's events; returns [sessionId, text | null, ...] of the sessions that finished in it. */
  apply(batch: EventBatch): (number | string | null)[] {
    const { builder, conns, keylog } = this;
  const ops = batch.ops;
  const data = Buffer.from(batch.data, 0, batch.length);
  for (let i = 0; i < ops.length;) {
    const op = ops[i++] as number;
    const conn = op === KEYLOG ? undefined : conns.get(ops[i] as number);
    switch (op) {
      case OPEN: {
        const c = new RemoteConnection(
          ops[i] as number,
          { ip: this.texts.get(ops[i + 2] as string), port: ops[i + 3] as number },
          { ip: this.texts.get(ops[i + 4] as string), port: ops[i + 5] as number },
          ops[i + 6] as 4 | 6, ops[i + 7] as RoleEvidence, ops[i + 8] as bigint, ops[i + 9] as number,
        );
        c.sessionId = ops[i + 1] as number;
        if (ops[i + 10] !== '') c.eth = { client: this.texts.get(ops[i + 10] as string), server: this.texts.get(ops[i + 11] as string) };
        conns.set(c.id, c);
        builder.open(c);
        i += 12;
        break;
      }
      case NUMBER:
        conn!.sessionId = ops[i + 1] as number;
        i += 2;
        break;
      case DATA: {
        const off = ops[i + 4] as number;
        const chunk = data.subarray(off, off + (ops[i + 5] as number));
        builder.data(conn!, ops[i + 1] as Direction, chunk, ops[i + 2] as bigint, ops[i + 3] as number);
        i += 6;
        break;
      }
      case GAP:
        builder.gap(conn!, ops[i + 1] as Direction, ops[i + 2] as number, ops[i + 3] as bigint, ops[i + 4] as number);
        i += 5;
        break;
      case ANOMALY: {
        const direction = ops[i + 4] as number;
        builder.anomaly(conn!, {
          kind: ops[i + 1] as TcpAnomalyKind, detail: ops[i + 2] as string, frame: ops[i + 3] as number,
          ...(direction >= 0 ? { direction: direction as Direction } : {}),
        });
        i += 5;
        break;
      }
      case CLOSE: {
        const c = conn!;
        c.lastTs = ops[i + 2] as bigint;
        c.lastFrame = ops[i + 3] as number;
        c.packets = ops[i + 4] as number;
        c.bytes = [ops[i + 5] as number, ops[i + 6] as number];
        c.stats = {
          retransmissions: ops[i + 7] as number, outOfOrder: ops[i + 8] as number, gaps: ops[i + 9] as number,
          gapBytes: ops[i + 10] as number, zeroWindows: ops[i + 11] as number, resets: ops[i + 12] as number, fins: ops[i + 13] as number,
        };
        conns.delete(c.id);
        builder.close(c, ops[i + 1] as CloseReason);
        i += 14;
        break;
      }
      case KEYLOG:
        keylog.add(ops[i] as string);
        i += 1;
        break;
      default:
        throw new Error(`parallel read: unknown event ${op}`);
    }
  }
    const done = this.done;
    this.done = [];
    return done;
  }
}
