/**
 * The explanation of one reply: every layer the catalog knows about, most
 * specific first (a recognised reply text, then the enhanced detail, subject
 * and class, or the POP3 / IMAP response code, then the basic code or status),
 * and the best meaning, cause and fix among them.
 */
import { isFailure, replyLabel } from '../export/outcome.js';
import type { Protocol, Reply } from '../session/model.js';
import { ENHANCED_CLASSES, ENHANCED_DETAILS, ENHANCED_SUBJECTS, IMAP_CODES, PATTERNS, POP3_CODES, SMTP_CODES, STATUSES } from './catalog.js';
import { parseReplyLine } from './parse-line.js';
import type { Entry, Explanation, ExplanationPart, Lang, PatternEntry } from './types.js';

export interface ExplainOptions {
  /** Explain replies that are not failures too (250, +OK, OK): `mailscope explain` does. */
  all?: boolean;
  /** The verb of the command the reply answers ("PASS", "LOGIN", "RCPT"), when known: some codes mean more after a login. */
  command?: string;
}

const ENHANCED_CODE = /^([245])\.(\d{1,3})\.(\d{1,3})$/;

/** POP3 codes that clear by themselves (RFC 2449, RFC 3206), and IMAP ones (RFC 5530). */
const TEMPORARY_CODES = new Set(['SYS/TEMP', 'IN-USE', 'LOGIN-DELAY', 'UNAVAILABLE', 'INUSE', 'EXPUNGEISSUED']);

/** True for a reply worth explaining: a failure, or an IMAP BYE (the server hanging up). */
export function needsExplanation(reply: Reply): boolean {
  return isFailure(reply) || reply.status === 'BYE';
}

/** The explanation of a reply, or null when it is not a failure (unless `all`). */
export function explainReply(reply: Reply, protocol: Protocol, lang: Lang = 'en', options: ExplainOptions = {}): Explanation | null {
  const failure = needsExplanation(reply);
  if (!failure && !options.all) return null;
  const parts: ExplanationPart[] = [];
  const pattern = failure ? matchPattern(reply, protocol, options.command) : null;
  if (pattern) parts.push(part('pattern', pattern.id, pattern, lang));
  parts.push(...(protocol === 'smtp' ? smtpParts(reply, lang) : codeParts(reply, protocol, lang)));
  const best = bestPart(parts) ?? part('status', '?', STATUSES[protocol === 'pop3' ? 'pop3 -ERR' : 'imap NO'], lang);
  return {
    protocol,
    lang,
    label: replyLabel(reply),
    failure,
    temporary: failure && isTemporary(reply),
    pattern: pattern?.id ?? null,
    meaning: best.meaning,
    cause: best.cause,
    fix: best.fix,
    parts,
  };
}

/** The explanation of a reply line typed by a person, or null when the line is not a reply. */
export function explainText(line: string, lang: Lang = 'en'): Explanation | null {
  const parsed = parseReplyLine(line);
  return parsed ? explainReply(parsed.reply, parsed.protocol, lang, { all: true }) : null;
}

/**
 * The first pattern, in catalog order, that matches the reply's lines or its
 * flattened text (or, for POP3 / IMAP, its response code after the command
 * given), leaving out those its response code rules out.
 */
export function matchPattern(reply: Reply, protocol: Protocol, command?: string): PatternEntry | null {
  const raw = reply.lines.join('\n');
  const flat = reply.text.replace(/\s*\n\s*(?:[245]\.\d{1,3}\.\d{1,3}\s+)?/g, ' ');
  const code = protocol === 'smtp' ? '' : responseCode(reply);
  const verb = command?.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
  for (const p of PATTERNS) {
    if (p.protocols && !p.protocols.includes(protocol)) continue;
    if (code && p.onlyWithCodes && !p.onlyWithCodes.includes(code) && !p.onlyWithCodes.includes(code.split('/')[0])) continue;
    if (code && verb && p.byCode && p.byCode.codes.includes(code) && p.byCode.commands.includes(verb)) return p;
    if (p.match.some((re) => re.test(raw) || re.test(flat))) return p;
  }
  return null;
}

/** The POP3 / IMAP response code of a reply in upper case ("IN-USE", "SYS/TEMP"), or "". */
function responseCode(reply: Reply): string {
  return typeof reply.code === 'string' ? reply.code.trim().split(/\s+/)[0].toUpperCase() : '';
}

/**
 * The part that says the most: the recognised text, then an enhanced detail
 * (but not an "other or undefined" x.y.0 one), the POP3 / IMAP code, the
 * basic code, and last the enhanced subject and class.
 */
function bestPart(parts: ExplanationPart[]): ExplanationPart | undefined {
  const rank = (p: ExplanationPart): number => {
    if (p.kind === 'pattern') return 0;
    if (p.kind === 'detail') return p.key.endsWith('.0') ? 3 : 1;
    if (p.kind === 'pop3' || p.kind === 'imap') return 1;
    if (p.kind === 'smtp') return 2;
    return p.kind === 'status' ? 2 : 4;
  };
  return [...parts].sort((a, b) => rank(a) - rank(b))[0];
}

function smtpParts(reply: Reply, lang: Lang): ExplanationPart[] {
  const out: ExplanationPart[] = [];
  const m = reply.enhanced ? ENHANCED_CODE.exec(reply.enhanced) : null;
  if (m) {
    const [, cls, subject, detail] = m;
    const d = ENHANCED_DETAILS[`${subject}.${detail}`];
    if (d) out.push(part('detail', `x.${subject}.${detail}`, d, lang));
    const s = ENHANCED_SUBJECTS[subject];
    if (s) out.push(part('subject', `x.${subject}.x`, s, lang));
    out.push(part('class', `${cls}.x.x`, ENHANCED_CLASSES[cls], lang));
  }
  const code = typeof reply.code === 'number' ? String(reply.code) : '';
  const basic = SMTP_CODES[code];
  if (basic) out.push(part('smtp', code, basic, lang));
  else if (ENHANCED_CLASSES[code[0]]) out.push(part('smtp', `${code[0]}xx`, ENHANCED_CLASSES[code[0]], lang)); // an unregistered code still has its class
  return out;
}

function codeParts(reply: Reply, protocol: Protocol, lang: Lang): ExplanationPart[] {
  const out: ExplanationPart[] = [];
  const code = responseCode(reply);
  const table = protocol === 'pop3' ? POP3_CODES : IMAP_CODES;
  // RFC 3206: SYS/TEMP is a kind of SYS; an unknown "SYS/OTHER" is still SYS.
  const entry = table[code] ?? table[code.split('/')[0]];
  if (code && entry) out.push(part(protocol, code, entry, lang));
  const status = protocol === 'pop3' ? reply.indicator : reply.status;
  const generic = STATUSES[`${protocol} ${status}`];
  if (generic) out.push(part('status', status!, generic, lang));
  return out;
}

function isTemporary(reply: Reply): boolean {
  if (typeof reply.code === 'number') return reply.code >= 400 && reply.code < 500 || reply.enhanced?.startsWith('4.') === true;
  return TEMPORARY_CODES.has(responseCode(reply));
}

function part(kind: ExplanationPart['kind'], key: string, entry: Entry, lang: Lang): ExplanationPart {
  const t = entry[lang] ?? entry.en;
  return { kind, key, meaning: t.meaning, cause: t.cause, fix: t.fix };
}
