/**
 * A reply line typed by a person (`mailscope explain "550 5.7.1 ..."`) turned
 * into the same Reply the decoders produce, its protocol told by its shape:
 *   SMTP  "550 5.7.1 text", "550-5.7.1 text" (RFC 5321 4.2, RFC 2034 for the enhanced code)
 *   POP3  "+OK ...", "-ERR [AUTH] text" (RFC 1939, RFC 2449 section 8 for the code)
 *   IMAP  "a1 NO [AUTHENTICATIONFAILED] text", "* BYE ...", or "NO [...] ..." without a tag (RFC 9051 7.1)
 * Several lines (a pasted multi-line SMTP reply) are read as one reply.
 */
import type { Protocol, Reply } from '../session/model.js';

export interface ParsedReply {
  protocol: Protocol;
  reply: Reply;
}

const SMTP_LINE = /^([2-5]\d\d)(?:([ -])(.*))?$/;
const ENHANCED = /^([245]\.\d{1,3}\.\d{1,3})(?=\s|$)/;
const POP3_LINE = /^(\+OK|-ERR)(?:\s+(.*))?$/i;
const IMAP_LINE = /^(?:(\S+)\s+)?(OK|NO|BAD|BYE|PREAUTH)(?:\s+(.*))?$/i;
const BRACKET_CODE = /^\[([^\]]*)\]/;

/** The reply a typed line stands for, or null when it has none of the three shapes. */
export function parseReplyLine(input: string): ParsedReply | null {
  const lines = input.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return null;
  const first = lines[0];
  const base = { ts: '', frame: 0, lines };

  const smtp = SMTP_LINE.exec(first);
  if (smtp && lines.every((l) => SMTP_LINE.test(l))) {
    const texts = lines.map((l) => SMTP_LINE.exec(l)![3] ?? '');
    const enhanced = ENHANCED.exec(texts[texts.length - 1])?.[1] ?? ENHANCED.exec(texts[0])?.[1];
    const reply: Reply = { ...base, code: Number(smtp[1]), text: texts.join('\n') };
    if (enhanced) reply.enhanced = enhanced;
    return { protocol: 'smtp', reply };
  }

  const pop = POP3_LINE.exec(first);
  if (pop) {
    const text = [pop[2] ?? '', ...lines.slice(1)].join('\n');
    const reply: Reply = { ...base, indicator: pop[1].toUpperCase() as '+OK' | '-ERR', text };
    const code = bracketCode(text);
    if (code) reply.code = code;
    return { protocol: 'pop3', reply };
  }

  const imap = IMAP_LINE.exec(first);
  if (imap) {
    const text = [imap[3] ?? '', ...lines.slice(1)].join('\n');
    const reply: Reply = { ...base, status: imap[2].toUpperCase() as Reply['status'], text };
    if (imap[1]) reply.tag = imap[1];
    const code = bracketCode(text);
    if (code) reply.code = code;
    return { protocol: 'imap', reply };
  }
  return null;
}

/** The atom of a bracketed response code: "[BADCHARSET (UTF-8)]" gives "BADCHARSET". */
export function bracketCode(text: string): string | undefined {
  const m = BRACKET_CODE.exec(text);
  if (!m) return undefined;
  const atom = m[1].trim().split(/\s+/)[0];
  return atom ? atom.toUpperCase() : undefined;
}
