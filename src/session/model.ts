/**
 * The session model: what protocol decoding produces and every consumer
 * (filters, UI, exports) reads. `mailscope read --format ndjson` prints one
 * Session per line exactly as typed here; it is a public contract, described
 * by schema/session.schema.json and checked against real output in tests.
 *
 * Times are ISO 8601 strings in UTC (microseconds, or nanoseconds when the
 * capture has them). Text from the wire is kept as decoded (latin1 for bytes
 * that are not UTF-8) and is escaped only when shown.
 */

export type Protocol = 'smtp' | 'pop3' | 'imap';

/** How a session's connection ended (the TCP layer's reasons), or 'open': a live snapshot of one still going. */
export type SessionClose = 'fin' | 'rst' | 'end' | 'reused' | 'idle' | 'evicted' | 'open';

export interface Endpoint {
  ip: string;
  port: number;
}

export interface TlsInfo {
  /** implicit: TLS from the first byte (465, 993, 995); starttls: upgraded by STARTTLS / STLS. */
  mode: 'implicit' | 'starttls';
  /** Negotiated version ("TLS 1.3", "TLS 1.2", ...), from the ServerHello; null when not seen. */
  version: string | null;
  /** Server name from the ClientHello's SNI extension. */
  sni: string | null;
  /** Negotiated cipher suite (IANA name), from the ServerHello. */
  cipher: string | null;
  /** ALPN protocols offered by the client. */
  alpn: string[];
  /** Whether the protected bytes were decrypted with a key log's secrets (--keylog, SSLKEYLOGFILE, a pcapng DSB). */
  decrypted: boolean;
  /** Index of the exchange after which TLS started (STARTTLS), or null for implicit TLS. */
  startExchange: number | null;
  /** Record versions and content types seen (0x0303; 22 handshake, 23 application data); absent when no TLS record was seen. */
  records?: { versions: number[]; types: number[] };
  /** Clear-text handshake: message types (1 ClientHello, 2 ServerHello, ...), hello versions, cipher suites offered and chosen. */
  handshake?: { types: number[]; versions: number[]; suites: number[] };
  /** Descriptions of the alerts seen in clear (RFC 8446 6: 40 handshake_failure, 42 bad_certificate, ...). */
  alerts?: number[];
}

export type AuthResult = 'success' | 'failure' | 'aborted' | 'unknown';

export interface AuthAttempt {
  /** SASL mechanism in upper case, or "USER" / "APOP" (POP3), "LOGIN" (IMAP LOGIN command). */
  mechanism: string;
  /** User name when the protocol reveals it (decoded from SASL where possible); null when hidden. */
  user: string | null;
  result: AuthResult;
  /** Index (0-based) in exchanges of the command that started the attempt. */
  exchange: number;
}

export interface Command {
  ts: string;
  frame: number;
  /** IMAP only: the command tag. */
  tag?: string;
  /** Command verb in upper case: SMTP "MAIL", POP3 "RETR", IMAP "FETCH" (with UID: "UID FETCH"). */
  verb: string;
  /** The rest of the line; secrets replaced by "<redacted>" unless secrets are shown. */
  args: string;
  /**
   * The verb as the client wrote it, when that differs from `verb` ("ehlo",
   * an unknown word such as "Z2FsdW50"): what transcripts and text searches show.
   */
  sent?: string;
}

/** The verb as it crossed the wire. */
export function verbAsSent(c: Command): string {
  return c.sent ?? c.verb;
}

export interface Reply {
  ts: string;
  frame: number;
  /** Every line of the reply as sent, without CRLF (secrets redacted). */
  lines: string[];
  /** The reply text: for SMTP the text after the code of every line, joined by newlines; else the text after the status. */
  text: string;
  /** SMTP: the three-digit reply code. POP3 and IMAP: the response code in brackets ("AUTH", "AUTHENTICATIONFAILED"), or absent. */
  code?: number | string;
  /** SMTP: the RFC 3463 enhanced status code, when the reply carries one. */
  enhanced?: string;
  /** POP3: "+OK" or "-ERR". */
  indicator?: '+OK' | '-ERR';
  /** IMAP: the tag of a tagged response ("*" for untagged greetings and BYE). */
  tag?: string;
  /** IMAP: OK, NO, BAD, BYE or PREAUTH. */
  status?: 'OK' | 'NO' | 'BAD' | 'BYE' | 'PREAUTH';
}

/** A continuation step inside one command: SMTP 334 / 354, POP3 "+ ", IMAP "+ ", and the client's answer. */
export interface Interim {
  reply: Reply;
  /** The client's continuation line (SASL response, redacted), absent for 354 / literal continuations. */
  response?: { ts: string; frame: number; text: string };
}

/** A message body carried by the exchange (DATA, BDAT, RETR, TOP, FETCH, APPEND). */
export interface BodyRef {
  /** Index in Session.messages. */
  message: number;
}

export interface Exchange {
  /** null for a greeting, or for a reply nothing asked for. */
  command: Command | null;
  /** The final reply; null when none was seen (capture ended, gap, one-sided capture). */
  reply: Reply | null;
  /** Intermediate replies and the client's answers, in order. */
  interim?: Interim[];
  /** IMAP: untagged response lines the command produced (literals summarised). */
  untagged?: string[];
  /** Message bodies this exchange carried. */
  bodies?: BodyRef[];
}

export interface MessageSummary {
  /** Index (0-based) of the exchange that carried it. */
  exchange: number;
  /** How it travelled: "smtp.data", "smtp.bdat", "pop3.retr", "pop3.top", "imap.fetch", "imap.append". */
  via: string;
  /** Size in bytes after dot-unstuffing (as the message is, not as it travelled). */
  size: number;
  /** SHA-256 of those bytes, hex. */
  sha256: string;
  /** True when a TCP gap or a bound cut the message. */
  partial: boolean;
  /** Envelope (SMTP): MAIL FROM and accepted RCPT TO addresses. */
  mailFrom?: string;
  rcptTo?: string[];
  /** From the header (raw header values, unfolded). */
  from?: string;
  /** The To header's addresses, each as written ("Bob" <bob@example.net>). */
  to?: string[];
  subject?: string;
  date?: string;
  messageId?: string;
  /** The Cc header's addresses, each as written. */
  cc?: string[];
  /** Subject with RFC 2047 encoded words decoded; present only when it differs from subject. */
  subjectDecoded?: string;
  /** Number of Received header fields (the relay chain, RFC 5321 4.4). */
  received?: number;
  /**
   * Every header field in order: [name as written, value unfolded and
   * trimmed], from the first 64 KiB of the header (and past it, the fields
   * named above: see headersCut).
   */
  headers?: Array<[string, string]>;
  /** The header was longer than 64 KiB: past it, up to 1 MiB, From, To, Cc, Subject, Date and Message-ID were kept (up to 64 KiB), and other fields up to 16 KiB. */
  headersCut?: boolean;
  /** The MIME leaf parts in order (multipart containers are not listed); absent when the header was not seen. */
  parts?: MessagePart[];
  /** The parts that are attachments (see isAttachment), in order: the list ../shared/DESIGN.md names. */
  attachments?: Attachment[];
  /** Parts beyond the bound (1,000): counted, not listed. */
  partsDropped?: number;
  /** MIME problems seen (garbage in base64, a boundary never closed, ...), one line each, at most 10. */
  mimeProblems?: string[];
  /** The first bytes of the message as latin1 text; present only when asked for (transcript --bodies). */
  body?: string;
}

/** One MIME leaf part of a message (RFC 2045 / 2046). */
export interface MessagePart {
  /** Content-Type, lower case, without parameters ("text/plain" when none). */
  type: string;
  /** Content-Transfer-Encoding as written, lower case ("7bit" when none). */
  encoding: string;
  /** Content-Disposition value ("attachment", "inline"), when given. */
  disposition?: string;
  /** File name (Content-Disposition filename or Content-Type name), RFC 2231 / 2047 decoded; as sent, not sanitised. */
  name?: string;
  /** Decoded size in bytes. */
  size: number;
  /** SHA-256 of the decoded bytes, hex. */
  sha256: string;
  /** MD5 of the decoded bytes, hex: attachments only (antivirus and sandbox services are searched by it). */
  md5?: string;
  /** True when the message was cut inside this part. */
  partial?: boolean;
}

/** An attachment of a message: a MIME part with a file name or an attachment disposition. */
export interface Attachment {
  /** 0-based index of the part in MessageSummary.parts. */
  part: number;
  /** File name as sent (RFC 2231 / 2047 decoded), when given. */
  name?: string;
  /** Content-Type, lower case. */
  type: string;
  /** Decoded size in bytes. */
  size: number;
  /** SHA-256 of the decoded bytes, hex. */
  sha256: string;
  /** MD5 of the decoded bytes, hex. */
  md5?: string;
  partial?: boolean;
}

/** Whether a part is an attachment: a disposition of "attachment", or a file name. */
export function isAttachment(p: MessagePart): boolean {
  return p.disposition === 'attachment' || p.name !== undefined;
}

export interface TcpSummary {
  retransmissions: number;
  out_of_order: number;
  gaps: number;
  gap_bytes: number;
  zero_windows: number;
  resets: number;
  /** Segments with FIN (tcp.flags.fin), re-sent ones included. */
  fins: number;
}

export type AnomalyKind =
  // TCP (src/tcp)
  | 'tcp.gap' | 'tcp.overlap_conflict' | 'tcp.buffer_limit' | 'tcp.midstream' | 'tcp.snaplen' | 'tcp.evicted'
  // shared by the protocol machines
  /** A line longer than the bound (RFC 5321 4.5.3.1.4: 512 octets for commands; we allow more, then cut). */
  | 'line.too_long'
  /** A line ended by a bare LF or bare CR instead of CRLF (RFC 5321 2.3.8). */
  | 'line.bare_lf'
  /** A command verb the protocol does not define. */
  | 'command.unknown'
  /** A reply that does not parse (no code, bad status, ...). */
  | 'reply.malformed'
  /** A reply with no command waiting for it. */
  | 'reply.unexpected'
  /** A multi-line reply longer than the bound: the lines past it were counted, not kept. */
  | 'reply.truncated'
  /** A command that never got a reply before the connection ended. */
  | 'reply.missing'
  /** The decoder lost its place after a gap and found it again. */
  | 'stream.resync'
  /** A message body was cut by a gap or a size bound. */
  | 'message.partial'
  /** A literal or chunk size beyond the bound or impossible. */
  | 'literal.bad_size'
  /** The session did not look like the protocol its port suggests. */
  | 'protocol.mismatch'
  /** COMPRESS=DEFLATE data that did not inflate. */
  | 'compress.error'
  /** A COMPRESS=DEFLATE direction inflated to its bound (64 MiB, or 32 times its compressed bytes): not inflated further, the rest counted. */
  | 'compress.limit'
  /** TLS records that could not be parsed. */
  | 'tls.malformed'
  /** A protected TLS record did not authenticate with the key log's secret (RFC 8446 5.2, RFC 5246 6.2.3): decryption stopped for that direction. */
  | 'tls.decrypt_failed'
  /** A key log was given but this connection cannot be decrypted (no handshake in the capture, unsupported version or suite). */
  | 'tls.undecryptable';

export interface Anomaly {
  kind: AnomalyKind;
  /** One line for people. */
  detail: string;
  /** Frame number where it was noticed. */
  frame: number;
  /** Index of the exchange it concerns, when there is one. */
  exchange?: number;
}

export interface Session {
  /** 1-based, in order of the first packet. */
  id: number;
  /** tshark's tcp.stream number of the connection. */
  stream: number;
  protocol: Protocol;
  client: Endpoint;
  server: Endpoint;
  /** MAC addresses of the two ends, from the first frame, when the link is Ethernet (absent otherwise). */
  eth?: { client: string; server: string };
  start: string;
  end: string;
  /** Stream bytes each way (after reassembly). */
  bytes: { client: number; server: number };
  tls: TlsInfo | null;
  auth: AuthAttempt[];
  exchanges: Exchange[];
  messages: MessageSummary[];
  tcp: TcpSummary;
  anomalies: Anomaly[];
  /**
   * How the connection ended: fin, rst, end (capture ended), reused, idle; or
   * open: a snapshot of a session still in progress (live capture in the UI,
   * replaced by the finished session when its connection ends).
   */
  closed: SessionClose;
}
