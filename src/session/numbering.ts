/**
 * Which connections become sessions, and in what order they are numbered.
 * The session builder decides with these functions, and so does the main
 * thread of a parallel read (src/parallel/), which hands out the session ids
 * before the connections' bytes reach the worker threads: one rule, so the
 * ids, and the output, are the same with any number of threads.
 *
 * A connection on a port with a rule (--decode-as, the well-known mail
 * ports) is numbered when it opens. One on another port is numbered when
 * the server's first bytes are a mail greeting; it is given up as not mail
 * when they say so, or after SNIFF_LIMIT bytes that say nothing.
 */
import type { Direction } from '../tcp/types.js';
import { WELL_KNOWN_PORTS, identifyByGreeting, type PortRule } from './identify.js';
import type { Protocol } from './model.js';

/** Server bytes looked at before giving up on recognising a greeting on an unknown port. */
export const SNIFF_LIMIT = 64;

/** The rule for a connection to this server port when it has a machine to decode it; else undefined (sniff). */
export function portRule(
  serverPort: number,
  decodeAs: ReadonlyMap<number, PortRule> | undefined,
  machines: Partial<Record<Protocol, unknown>>,
): PortRule | undefined {
  const rule = decodeAs?.get(serverPort) ?? WELL_KNOWN_PORTS.get(serverPort);
  return rule && machines[rule.protocol] ? rule : undefined;
}

/** What the bytes of a connection being sniffed say: start a session of this protocol, keep looking, or not mail. */
export type SniffVerdict = { start: Protocol } | 'wait' | 'not-mail';

/** Judges bytes on a connection being sniffed; `serverBytes` is what the server sent before them. */
export function sniffVerdict(dir: Direction, data: Buffer, serverBytes: number, machines: Partial<Record<Protocol, unknown>>): SniffVerdict {
  if (dir === 0) return 'wait';
  const protocol = identifyByGreeting(data);
  if (protocol !== null && machines[protocol]) return { start: protocol };
  if (protocol === null || serverBytes + data.length >= SNIFF_LIMIT) return 'not-mail';
  return 'wait';
}

/**
 * The numbering alone, for a thread that does not build the sessions: feed
 * it the connection events in capture order; it says which id each session
 * gets, as the SessionBuilder would give it.
 */
export class SessionNumbering {
  private nextId = 1;
  /** Connections being sniffed: the server bytes seen so far. */
  private readonly sniffing = new Map<number, number>();

  constructor(
    private readonly machines: Partial<Record<Protocol, unknown>>,
    private readonly decodeAs?: ReadonlyMap<number, PortRule>,
  ) {}

  /** A connection opens: its session's id when its port has a rule, else null (it is sniffed). */
  open(connId: number, serverPort: number): number | null {
    if (portRule(serverPort, this.decodeAs, this.machines)) return this.nextId++;
    this.sniffing.set(connId, 0);
    return null;
  }

  /**
   * Bytes on a connection: the id of the session they start (a greeting on a
   * sniffed connection), 'not-mail' when they show the connection is none, else null.
   */
  data(connId: number, dir: Direction, data: Buffer): number | 'not-mail' | null {
    const seen = this.sniffing.get(connId);
    if (seen === undefined) return null;
    const verdict = sniffVerdict(dir, data, seen, this.machines);
    if (verdict === 'wait') {
      if (dir === 1) this.sniffing.set(connId, seen + data.length);
      return null;
    }
    this.sniffing.delete(connId);
    return verdict === 'not-mail' ? verdict : this.nextId++;
  }

  close(connId: number): void {
    this.sniffing.delete(connId);
  }
}
