/**
 * Drives one protocol machine with a hand-written conversation, the way the
 * session builder does with a real connection: ordered events from both
 * directions, gaps, and the end. The TLS stage is replaced by a recorder of
 * what would have been handed to it (the real one is tested on captures).
 */
import type { ProtocolMachine } from '../../src/protocols/machine.js';
import type { Protocol, Session } from '../../src/session/model.js';
import { SessionRecorder, newSession, type RecorderOptions, type TlsSink } from '../../src/session/recorder.js';
import type { Direction } from '../../src/tcp/types.js';

/** ['C', bytes]: client sends; ['S', bytes]: server sends; ['gap', 'C'|'S', n]: n bytes lost. */
export type Step = ['C' | 'S', string | Buffer] | ['gap', 'C' | 'S', number];

export interface HarnessResult {
  session: Session;
  /** What reached the TLS stage: how it started and the bytes per direction. */
  tls: { mode: string | null; exchange: number | null; bytes: [Buffer, Buffer] };
}

export function runMachine(
  protocol: Protocol,
  create: (recorder: SessionRecorder) => ProtocolMachine,
  steps: Step[],
  options: RecorderOptions = {},
): HarnessResult {
  const tls: HarnessResult['tls'] = { mode: null, exchange: null, bytes: [Buffer.alloc(0), Buffer.alloc(0)] };
  const sink: TlsSink = {
    start(mode, exchange) { tls.mode = mode; tls.exchange = exchange; },
    data(dir, data) { tls.bytes[dir] = Buffer.concat([tls.bytes[dir], data]); },
    gap() {},
  };
  const session = newSession({
    id: 1, stream: 0, protocol,
    client: { ip: '192.0.2.10', port: 50000 }, server: { ip: '192.0.2.25', port: 25 },
    start: '2024-05-01T10:00:00.000000Z',
  });
  const recorder = new SessionRecorder(session, options, sink);
  const machine = create(recorder);
  let frame = 0;
  const base = 1_714_557_600_000_000_000n;
  for (const step of steps) {
    frame++;
    const ts = base + BigInt(frame) * 1_000_000n; // 1 ms apart
    if (step[0] === 'gap') {
      machine.gap(step[1] === 'C' ? 0 : 1, step[2], ts, frame);
      continue;
    }
    const dir: Direction = step[0] === 'C' ? 0 : 1;
    const data = typeof step[1] === 'string' ? Buffer.from(step[1], 'latin1') : step[1];
    machine.data(dir, data, ts, frame);
  }
  frame++;
  machine.end(base + BigInt(frame) * 1_000_000n, frame);
  return { session, tls };
}

/** Splits a string into pieces of n bytes: the same conversation, many TCP segments. */
export function chop(text: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += n) out.push(text.slice(i, i + n));
  return out;
}
