/**
 * Client commands (RFC 9051 6): the tag / verb split, the verbs we know, and
 * how a command's arguments are shown (with LOGIN's password and
 * AUTHENTICATE's initial response redacted).
 */
import { renderParts, splitArgs, type Part } from './literal.js';

/** RFC 9051 6, RFC 3501 6, and the extensions mail clients use. */
const VERBS = new Set([
  // any state (RFC 9051 6.1) and not authenticated (6.2)
  'CAPABILITY', 'NOOP', 'LOGOUT', 'STARTTLS', 'AUTHENTICATE', 'LOGIN',
  // authenticated (6.3)
  'ENABLE', 'SELECT', 'EXAMINE', 'CREATE', 'DELETE', 'RENAME', 'SUBSCRIBE', 'UNSUBSCRIBE', 'LIST', 'LSUB',
  'NAMESPACE', 'STATUS', 'APPEND', 'IDLE',
  // selected (6.4)
  'CHECK', 'CLOSE', 'UNSELECT', 'EXPUNGE', 'SEARCH', 'FETCH', 'STORE', 'COPY', 'MOVE', 'UID',
  // extensions
  'ID', 'COMPRESS', 'GETQUOTA', 'GETQUOTAROOT', 'SETQUOTA', 'GETACL', 'SETACL', 'DELETEACL', 'LISTRIGHTS',
  'MYRIGHTS', 'SORT', 'THREAD', 'GETMETADATA', 'SETMETADATA', 'NOTIFY', 'UNAUTHENTICATE', 'REPLACE',
  'XLIST', 'ESEARCH', 'URLFETCH', 'GENURLAUTH', 'RESETKEY', 'LANGUAGE', 'COMPARATOR', 'CONVERT', 'CANCELUPDATE',
]);

/** Commands that may follow UID (RFC 9051 6.4.9, RFC 4315 UID EXPUNGE, RFC 5256 SORT / THREAD). */
const UID_VERBS = new Set(['FETCH', 'STORE', 'COPY', 'MOVE', 'SEARCH', 'EXPUNGE', 'SORT', 'THREAD', 'REPLACE']);

export interface CommandStart {
  tag: string;
  /** Upper case; "UID FETCH" for UID commands; "" when the line has only a tag. */
  verb: string;
  /** The verb as written ("uid fetch"). */
  word: string;
  /** The rest of the first line after the verb (literal marker included). */
  rest: string;
}

/** `tag SP verb [SP args]`. */
export function parseCommandStart(line: string): CommandStart {
  const sp = line.indexOf(' ');
  if (sp < 0) return { tag: line, verb: '', word: '', rest: '' };
  const tag = line.slice(0, sp);
  let after = line.slice(sp + 1);
  let word = firstWord(after);
  after = after.slice(word.length).replace(/^ /, '');
  let verb = word.toUpperCase();
  if (verb === 'UID') {
    const sub = firstWord(after);
    if (sub !== '') {
      verb = `UID ${sub.toUpperCase()}`;
      word = `${word} ${sub}`;
      after = after.slice(sub.length).replace(/^ /, '');
    }
  }
  return { tag, verb, word, rest: after };
}

function firstWord(s: string): string {
  const sp = s.indexOf(' ');
  return sp < 0 ? s : s.slice(0, sp);
}

/** Whether we know the verb (X-prefixed verbs are the RFC 9051 "x-command" extension space). */
export function isKnownVerb(verb: string): boolean {
  if (verb.startsWith('UID ')) return UID_VERBS.has(verb.slice(4));
  return VERBS.has(verb) || (verb.length > 1 && verb.startsWith('X'));
}

/** Whether a literal in this command, at this point, is a message (APPEND's append-data, RFC 9051 6.3.12). */
export function isAppendMessage(verb: string, partsBefore: Part[]): boolean {
  if (verb !== 'APPEND' && verb !== 'REPLACE' && verb !== 'UID REPLACE') return false;
  // The first argument is the mailbox (or, for REPLACE, the message number): a literal there is a name.
  const args = splitArgs(partsBefore);
  return args.length >= (verb === 'APPEND' ? 1 : 2);
}

/** The arguments as shown: secrets through `secret`. */
export function renderArgs(verb: string, parts: Part[], secret: (s: string) => string, max: number): string {
  if (verb === 'LOGIN') {
    // RFC 9051 6.2.3: LOGIN userid password.
    const args = splitArgs(parts);
    if (args.length <= 1) return args.map((a) => a.display).join(' ');
    return `${args[0].display} ${secret(args.slice(1).map((a) => a.display).join(' '))}`;
  }
  if (verb === 'AUTHENTICATE') {
    // RFC 9051 6.2.2 / RFC 4959: AUTHENTICATE mechanism [initial-response].
    const args = splitArgs(parts);
    if (args.length <= 1) return args.map((a) => a.display).join(' ');
    return `${args[0].display} ${secret(args.slice(1).map((a) => a.display).join(' '))}`;
  }
  return renderParts(parts, max);
}
