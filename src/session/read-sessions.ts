/**
 * Reads capture files all the way to sessions: capture -> packets -> TCP
 * reassembly -> protocol machines. Sessions are handed on in id order as
 * soon as every earlier one has finished (a small reorder buffer), so output
 * streams while memory stays bounded.
 */
import { openCapture, type CaptureInput } from '../capture/open-capture.js';
import { SECRETS_TLS_KEYLOG } from '../capture/pcapng-parser.js';
import type { SecretSource } from '../tls/decrypting-reader.js';
import { KeyLog } from '../tls/keylog.js';
import { readStreams, type ReadStreamsOptions, type ReadStreamsResult } from '../pipeline/read-streams.js';
import { SessionBuilder, type MachineFactory } from './builder.js';
import type { PortRule } from './identify.js';
import type { Protocol, Session } from './model.js';
import type { RecorderOptions } from './recorder.js';
import { InOrderRelease } from './in-order.js';

export interface ReadSessionsOptions {
  showSecrets?: boolean;
  /** Bytes of each message body to keep for display (transcript --bodies). */
  keepBodies?: number;
  /** A tap for each message body's bytes (mailscope extract). */
  tapBody?: RecorderOptions['tapBody'];
  machines: Partial<Record<Protocol, MachineFactory>>;
  decodeAs?: ReadonlyMap<number, PortRule>;
  /** TLS secrets (--keylog, SSLKEYLOGFILE); pcapng Decryption Secrets Blocks are added to them as they are read. */
  keylog?: KeyLog;
  /** Called with each session in id order; without it, sessions are collected and returned. */
  onSession?: (session: Session) => void;
  onProgress?: ReadStreamsOptions['onProgress'];
  backpressure?: ReadStreamsOptions['backpressure'];
  /**
   * false: hand each session on as soon as it ends, not in id order (the UI
   * sorts them itself and shows the first rows sooner). Default true.
   */
  inOrder?: boolean;
  /**
   * Live capture: every `everyMs`, copies of the sessions still in progress
   * that changed since the last time (closed: 'open'); the finished session
   * follows with the same id when its connection ends.
   */
  inProgress?: { everyMs: number; onSnapshot: (session: Session) => void };
}

export async function readSessions(paths: string[], options: ReadSessionsOptions): Promise<{ sessions: Session[]; result: ReadStreamsResult }> {
  return readSessionsFrom(await openCapture(paths), options);
}

/** As readSessions, from a capture source already open: files (openCapture) or a live interface (LiveCapture). */
export async function readSessionsFrom(input: CaptureInput, options: ReadSessionsOptions): Promise<{ sessions: Session[]; result: ReadStreamsResult }> {
  const sessions: Session[] = [];
  const emit = options.onSession ?? ((s: Session) => sessions.push(s));
  const inOrder = new InOrderRelease<Session>(emit);
  const builder = new SessionBuilder({
    machines: options.machines,
    secrets: secretSource(input, options.keylog ?? new KeyLog()),
    decodeAs: options.decodeAs,
    showSecrets: options.showSecrets,
    keepBodies: options.keepBodies,
    tapBody: options.tapBody,
    onSession: (s) => (options.inOrder === false ? emit(s) : inOrder.push(s.id, s)),
    snapshots: options.inProgress !== undefined,
  });
  const snapshots = options.inProgress;
  const timer = snapshots ? setInterval(() => builder.snapshot().forEach(snapshots.onSnapshot), snapshots.everyMs) : null;
  let result: ReadStreamsResult;
  try {
    result = await readStreams(input, builder, { onProgress: options.onProgress, backpressure: options.backpressure });
  } finally {
    if (timer) clearInterval(timer);
  }
  inOrder.finish();
  return { sessions, result };
}

/**
 * The key log plus the capture's Decryption Secrets Blocks. The blocks arrive
 * while the capture is read, so they are taken in at each look-up (a
 * connection looks up its secrets at its ServerHello): a DSB earlier in the
 * file than the handshake works; one written after the handshake is too late
 * for this single pass.
 */
function secretSource(input: CaptureInput, keylog: KeyLog): SecretSource {
  let taken = 0;
  const absorb = () => {
    for (; taken < input.secrets.length; taken++) {
      const s = input.secrets[taken];
      if (s.type === SECRETS_TLS_KEYLOG) keylog.add(s.data.toString('latin1'));
    }
  };
  return {
    lookup: (random) => {
      absorb();
      return keylog.lookup(random);
    },
    hasAny: () => {
      absorb();
      return keylog.size > 0;
    },
  };
}
