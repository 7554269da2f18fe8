/** The POP3 machine's state: pending commands and what the server is sending. */
import type { AuthAttempt, Reply } from '../../session/model.js';
import type { BodyKind } from './commands.js';
import type { MessageReader } from './message-reader.js';
import type { SaslSession } from './sasl-session.js';

/** A command sent and not yet answered. */
export interface Pending {
  /** Its index in the session's exchanges. */
  exchange: number;
  verb: string;
  /** What a +OK to it brings after the status line. */
  body: BodyKind;
  /** MessageSummary.via for message bodies. */
  via: string;
  auth?: AuthAttempt;
  /** AUTH with a mechanism: the SASL exchange in progress. */
  sasl?: SaslSession;
  /** A "+ " continuation came: the client's next line is a SASL response. */
  awaitingResponse: boolean;
  /** The hold on the client's bytes was given up (too many waited). */
  released: boolean;
  /** The server had sent nothing when the command came (one-sided capture): nothing is held. */
  oneSided: boolean;
  /** One-sided AUTH: the client's SASL responses are over. */
  saslOver: boolean;
  /** Sent while other commands still waited for their replies (pipelining, or replies lost in a gap). */
  sentAhead: boolean;
}

/** Server lines are status lines (and "+ " continuations). */
export interface LineMode {
  kind: 'line';
}

/** Inside a CAPA / LIST / UIDL / AUTH listing: lines go to the reply. */
export interface ListingMode {
  kind: 'listing';
  pending: Pending;
  reply: Reply;
  /** Lines past the bound, counted only. */
  omitted: number;
}

/** Inside a RETR / TOP body: lines go to the message. */
export interface MessageMode {
  kind: 'message';
  pending: Pending;
  reader: MessageReader;
  /** RETR's "+OK n octets", when the server said it. */
  announced: number | null;
}

/** After a gap inside a body: discarding up to its end. */
export interface SkipBodyMode {
  kind: 'skip-body';
  pending: Pending;
  announced: number | null;
  /** Body bytes as travelled, the gap included. */
  wireBytes: number;
  /** Bytes discarded since the gap. */
  skipped: number;
  lineStart: boolean;
  /** Exchanges from this index on were sent after the gap. */
  commandMark: number;
}

export type ServerMode = LineMode | ListingMode | MessageMode | SkipBodyMode;
