/**
 * What every protocol machine (smtp, pop3, imap) is to the session builder:
 * it is fed one connection's reassembled bytes, both directions in capture
 * order, and records what it understands into a SessionRecorder.
 */
import type { Direction } from '../tcp/types.js';

export interface ProtocolMachine {
  /** In-order bytes from one direction (0 client, 1 server). `data` may be a view: copy what you keep. */
  data(dir: Direction, data: Buffer, ts: bigint, frame: number): void;
  /** `length` bytes of this direction are missing: resynchronise and record that you did. */
  gap(dir: Direction, length: number, ts: bigint, frame: number): void;
  /** The connection is over: flush what is pending (commands without replies, partial bodies). */
  end(ts: bigint, frame: number): void;
}
