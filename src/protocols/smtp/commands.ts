/**
 * SMTP command lines (RFC 5321 4.1): a verb, then (after one space) its
 * parameters. The table says which verbs exist, so that anything else is
 * kept but flagged, and how each one bears on the machine's state.
 */

/** How a command changes what the client sends next, decided by its reply. */
export type CommandKind =
  /** Nothing special: one line, one reply. */
  | 'simple'
  /** DATA: after 354 the message follows (RFC 5321 4.1.1.4). */
  | 'data'
  /** BDAT: the chunk follows the command line at once (RFC 3030 2). */
  | 'bdat'
  /** AUTH: 334 challenges each take one client line (RFC 4954 4). */
  | 'auth'
  /** STARTTLS: after 220 the connection is TLS (RFC 3207 4). */
  | 'starttls'
  /** MAIL: starts a mail transaction (RFC 5321 4.1.1.2). */
  | 'mail'
  /** RCPT: adds a recipient (RFC 5321 4.1.1.3). */
  | 'rcpt'
  /** HELO / EHLO / RSET: clear the transaction (RFC 5321 4.1.1.1, 4.1.1.5). */
  | 'reset';

/** Verbs defined by RFC 5321 and its extensions, plus common vendor ones. */
const COMMANDS: Record<string, CommandKind> = {
  HELO: 'reset', EHLO: 'reset', LHLO: 'reset', RSET: 'reset',
  MAIL: 'mail', RCPT: 'rcpt', DATA: 'data', BDAT: 'bdat',
  AUTH: 'auth', STARTTLS: 'starttls',
  VRFY: 'simple', EXPN: 'simple', HELP: 'simple', NOOP: 'simple', QUIT: 'simple',
  // RFC 1985 ETRN, RFC 2645 ATRN, RFC 4468 BURL, RFC 821 TURN/SEND/SOML/SAML.
  ETRN: 'simple', ATRN: 'simple', TURN: 'simple', BURL: 'simple',
  SEND: 'simple', SOML: 'simple', SAML: 'simple',
  // Postfix XCLIENT / XFORWARD, Sendmail VERB / ONEX, Exchange extensions.
  XCLIENT: 'simple', XFORWARD: 'simple', VERB: 'simple', ONEX: 'simple',
  XEXCH50: 'simple', 'X-EXPS': 'simple', 'X-LINK2STATE': 'simple', XUSR: 'simple',
  XTRN: 'simple', XQUE: 'simple',
};

export interface CommandLine {
  /** The verb in upper case ("" for an empty line). */
  verb: string;
  /** The verb as written. */
  word: string;
  /** The rest of the line after the separating space, as sent. */
  args: string;
  /** The table's entry, or null for a verb nobody defined. */
  kind: CommandKind | null;
}

export function parseCommand(line: string): CommandLine {
  const space = line.indexOf(' ');
  const word = space < 0 ? line : line.slice(0, space);
  const verb = word.toUpperCase();
  const args = space < 0 ? '' : line.slice(space + 1);
  return { verb, word, args, kind: Object.hasOwn(COMMANDS, verb) ? COMMANDS[verb] : null };
}

/** Whether a line (after a gap) reads as a command we know, to resume on it. */
export function looksLikeCommand(line: string): boolean {
  return parseCommand(line).kind !== null;
}

/**
 * The address of "FROM:<a@b> SIZE=1" / "TO:<a@b>" (RFC 5321 4.1.2), also
 * tolerating a space after the colon and a missing angle bracket pair.
 * Returns "" for the null reverse-path "<>".
 */
export function pathAddress(args: string): string | undefined {
  const colon = args.indexOf(':');
  if (colon < 0) return undefined;
  const rest = args.slice(colon + 1).trimStart();
  if (rest.startsWith('<')) {
    const close = rest.indexOf('>');
    return close < 0 ? rest.slice(1) : rest.slice(1, close);
  }
  const m = /^\S+/.exec(rest);
  return m === null ? undefined : m[0];
}

/**
 * "BDAT <size> [LAST]" (RFC 3030 2). Returns null when the size is not a
 * decimal number a stream could carry (negative, not digits, beyond 2^53),
 * or the rest is not "LAST": such a command is kept but no chunk is read.
 */
export function parseBdat(args: string): { size: number; last: boolean } | null {
  const m = /^([0-9]{1,16})(?:[ \t]+(LAST))?[ \t]*$/i.exec(args);
  if (m === null) return null;
  const size = Number(m[1]);
  if (!Number.isSafeInteger(size)) return null;
  return { size, last: m[2] !== undefined };
}
