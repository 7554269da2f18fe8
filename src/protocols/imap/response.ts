/**
 * Server responses (RFC 9051 7): status responses `tag OK|NO|BAD ...`,
 * untagged `* ...` data and status, and continuation requests `+ ...`, with
 * the bracketed response code (RFC 9051 7.1, RFC 5530) split out.
 */
import type { Reply } from '../../session/model.js';

export type Status = NonNullable<Reply['status']>;

const STATUSES = new Set(['OK', 'NO', 'BAD', 'BYE', 'PREAUTH']);

export interface StatusLine {
  tag: string;
  status: Status;
  /** The response code's atom ("AUTHENTICATIONFAILED", "CAPABILITY"), when there is one. */
  code?: string;
  /** The human-readable text after the code. */
  text: string;
}

/** `tag STATUS [CODE args] text`, or null when the line is not a status response. */
export function parseStatusLine(line: string): StatusLine | null {
  const m = /^(\S+) ([A-Za-z]+)(?: (.*))?$/.exec(line);
  if (m === null) return null;
  const status = m[2].toUpperCase();
  if (!STATUSES.has(status)) return null;
  const { code, text } = splitCode(m[3] ?? '');
  const out: StatusLine = { tag: m[1], status: status as Status, text };
  if (code !== undefined) out.code = code;
  return out;
}

/** `[CODE args] text` -> the code's atom and the text (RFC 9051 7.1 resp-text-code). */
export function splitCode(rest: string): { code?: string; text: string } {
  if (!rest.startsWith('[')) return { text: rest };
  const close = rest.indexOf(']');
  if (close < 0) return { text: rest };
  const inner = rest.slice(1, close);
  const atom = inner.split(' ', 1)[0].toUpperCase();
  const text = rest.slice(close + 1).replace(/^ /, '');
  return atom === '' ? { text } : { code: atom, text };
}

/** A Reply for a status line (greeting, tagged completion, BYE). */
export function statusReply(line: string, parsed: StatusLine, ts: string, frame: number): Reply {
  const reply: Reply = { ts, frame, lines: [line], text: parsed.text, tag: parsed.tag, status: parsed.status };
  if (parsed.code !== undefined) reply.code = parsed.code;
  return reply;
}

/** A Reply for a continuation request `+ text` (RFC 9051 7.5). */
export function continuationReply(line: string, ts: string, frame: number): Reply {
  const { code, text } = splitCode(line.replace(/^\+ ?/, ''));
  const reply: Reply = { ts, frame, lines: [line], text, tag: '+' };
  if (code !== undefined) reply.code = code;
  return reply;
}

/** Untagged response names a server sends (RFC 9051 7.2-7.4 and common extensions). */
const UNTAGGED = new Set([
  'OK', 'NO', 'BAD', 'BYE', 'PREAUTH', 'CAPABILITY', 'ENABLED', 'FLAGS', 'LIST', 'LSUB', 'STATUS', 'SEARCH',
  'ESEARCH', 'NAMESPACE', 'ID', 'SORT', 'THREAD', 'QUOTA', 'QUOTAROOT', 'ACL', 'LISTRIGHTS', 'MYRIGHTS',
  'METADATA', 'VANISHED', 'XLIST', 'LANGUAGE', 'COMPARATOR', 'CONVERTED', 'GENURLAUTH', 'URLFETCH',
]);
const UNTAGGED_NUMBERED = new Set(['EXISTS', 'RECENT', 'EXPUNGE', 'FETCH']);

/**
 * Whether a server line after a gap looks like the start of a response we can
 * trust: a continuation, a known untagged response, or a status response for
 * a tag we are waiting for. Message text in a lost literal rarely looks so.
 */
export function looksLikeResponse(line: string, tags: ReadonlySet<string>): boolean {
  if (line === '+' || line.startsWith('+ ')) return true;
  if (line.startsWith('* ')) {
    const words = line.slice(2).split(' ', 2);
    if (UNTAGGED.has(words[0].toUpperCase())) return true;
    return /^\d+$/.test(words[0]) && words.length > 1 && UNTAGGED_NUMBERED.has(words[1].toUpperCase());
  }
  const s = parseStatusLine(line);
  return s !== null && tags.has(s.tag) && (s.status === 'OK' || s.status === 'NO' || s.status === 'BAD');
}

/** `* 12 FETCH (...`: the literal after BODY[...], BINARY[...] or RFC822[.HEADER|.TEXT] is (part of) a message. */
export function isMessageLiteral(firstLine: string, textBeforeMarker: string): boolean {
  if (!/^\* \d+ FETCH /i.test(firstLine)) return false;
  return /(?:BODY|BINARY)\[[^\]]*\](?:<\d+>)? ?$/i.test(textBeforeMarker)
    || /(?:^|[ (])RFC822(?:\.HEADER|\.TEXT)? ?$/i.test(textBeforeMarker);
}
