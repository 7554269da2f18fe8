/**
 * The POP3 command table: which verbs exist (RFC 1939, 2449, 2595, 5034,
 * 6856), which of them are answered by a multi-line reply when the server
 * says +OK, and which of their arguments are secrets.
 */
import type { SessionRecorder } from '../../session/recorder.js';

/** What follows a +OK status line: nothing, lines for Reply.lines, or a message for MessageBody. */
export type BodyKind = 'listing' | 'message' | null;

export interface CommandSpec {
  /** The multi-line body a +OK brings, decided by the command and its arguments. -ERR is always one line. */
  body(args: string): BodyKind;
  /** The arguments as recorded, secrets replaced. */
  redact?(args: string, recorder: SessionRecorder): string;
  /** MessageSummary.via for message bodies. */
  via?: string;
}

const single: CommandSpec = { body: () => null };
/** LIST, UIDL (RFC 1939 section 5) and LANG (RFC 6856 section 3): a listing without an argument, one line with one. */
const listingWithoutArgument: CommandSpec = { body: (args) => (args.trim() === '' ? 'listing' : null) };

export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map<string, CommandSpec>([
  // RFC 1939 section 7: the password is the whole rest of the line (it may hold spaces).
  ['USER', single],
  ['PASS', { body: () => null, redact: (args, r) => (args === '' ? args : r.secret(args)) }],
  // RFC 1939 section 7: APOP name digest; the name is kept, the digest redacted.
  ['APOP', { body: () => null, redact: redactApop }],
  // RFC 5034 section 4: AUTH mechanism [initial-response]; without a mechanism (RFC 1734 practice) the server lists them.
  ['AUTH', { body: (args) => (args.trim() === '' ? 'listing' : null), redact: redactAuth }],
  ['STLS', single], // RFC 2595 section 4
  ['CAPA', { body: () => 'listing' }], // RFC 2449 section 5
  ['STAT', single],
  ['LIST', listingWithoutArgument],
  ['UIDL', listingWithoutArgument],
  ['RETR', { body: () => 'message', via: 'pop3.retr' }],
  ['TOP', { body: () => 'message', via: 'pop3.top' }],
  ['DELE', single],
  ['NOOP', single],
  ['RSET', single],
  ['QUIT', single],
  ['LAST', single], // RFC 1460, removed by RFC 1725 but still answered by some servers
  ['UTF8', single], // RFC 6856 section 2
  ['LANG', listingWithoutArgument],
]);

/** Splits a command line into its verb (upper case; `word` as written) and the rest (RFC 1939 section 3: keyword SP arguments). */
export function splitCommand(line: string): { verb: string; word: string; args: string } {
  const sp = line.indexOf(' ');
  const word = sp < 0 ? line : line.slice(0, sp);
  return { verb: word.toUpperCase(), word, args: sp < 0 ? '' : line.slice(sp + 1) };
}

function redactApop(args: string, recorder: SessionRecorder): string {
  const sp = args.lastIndexOf(' ');
  if (sp < 0) return args === '' ? args : recorder.secret(args);
  return `${args.slice(0, sp)} ${recorder.secret(args.slice(sp + 1))}`;
}

/** AUTH arguments as mechanism and initial response ("=" is an empty one, RFC 5034 section 4). */
export function splitAuth(args: string): { mechanism: string; initial: string | null } {
  const trimmed = args.trim();
  const sp = trimmed.indexOf(' ');
  if (sp < 0) return { mechanism: trimmed.toUpperCase(), initial: null };
  return { mechanism: trimmed.slice(0, sp).toUpperCase(), initial: trimmed.slice(sp + 1).trim() };
}

function redactAuth(args: string, recorder: SessionRecorder): string {
  const sp = args.indexOf(' ');
  if (sp < 0) return args;
  const initial = args.slice(sp + 1);
  if (initial.trim() === '' || initial.trim() === '=') return args;
  return `${args.slice(0, sp)} ${recorder.secret(initial)}`;
}
