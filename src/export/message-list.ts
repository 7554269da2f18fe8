/**
 * The messages of sessions as `mailscope messages` prints them: one record
 * per message (NDJSON) or one line per message (text), with its attachments.
 */
import { escapeString } from '../util/escape.js';
import type { MessageSummary, Session } from '../session/model.js';
import type { CompiledFilter } from '../filter/index.js';
import { queueIdOf } from '../protocols/smtp/queue-id.js';

export interface AttachmentRecord {
  name: string | null;
  type: string;
  size: number;
  sha256: string;
  md5: string | null;
}

/** One message as `messages --format ndjson` prints it. */
export interface MessageRecord {
  /** Session number (as mailscope read numbers them). */
  session: number;
  /** 1-based number of the message in its session. */
  message: number;
  exchange: number;
  via: string;
  mailFrom: string | null;
  rcptTo: string[];
  from: string | null;
  /** The To and Cc headers' addresses, each as written ([] when the header is missing). */
  to: string[];
  cc: string[];
  /** Subject, RFC 2047 decoded. */
  subject: string | null;
  date: string | null;
  messageId: string | null;
  size: number;
  sha256: string;
  partial: boolean;
  /** The queue ID the server gave it (Postfix "queued as", Exim id=, ...), or null. */
  queueId: string | null;
  attachments: AttachmentRecord[];
}

/** The messages of a session a filter selects: those on matching exchanges, or all of them when the filter matched the session as a whole. */
export function selectedMessages(s: Session, filter: CompiledFilter): number[] {
  if (!filter.matches(s)) return [];
  const all = s.messages.map((_m, i) => i);
  if (filter.text.trim() === '') return all;
  const exchanges = new Set(filter.matchingExchanges(s));
  const some = all.filter((i) => exchanges.has(s.messages[i]!.exchange));
  return some.length > 0 ? some : all;
}

export function messageRecord(s: Session, index: number): MessageRecord {
  const m: MessageSummary = s.messages[index]!;
  return {
    session: s.id, message: index + 1, exchange: m.exchange, via: m.via,
    mailFrom: m.mailFrom ?? null, rcptTo: m.rcptTo ?? [],
    from: m.from ?? null, to: m.to ?? [], cc: m.cc ?? [],
    subject: m.subjectDecoded ?? m.subject ?? null, date: m.date ?? null, messageId: m.messageId ?? null,
    size: m.size, sha256: m.sha256, partial: m.partial, queueId: queueIdOfMessage(s, m),
    attachments: (m.attachments ?? []).map((a) => ({ name: a.name ?? null, type: a.type, size: a.size, sha256: a.sha256, md5: a.md5 ?? null })),
  };
}

/** The queue ID the server gave the message (SMTP: from its 250 to the end of DATA / BDAT LAST), or null. */
function queueIdOfMessage(s: Session, m: MessageSummary): string | null {
  if (s.protocol !== 'smtp') return null;
  const reply = s.exchanges[m.exchange]?.reply;
  return reply?.code === 250 ? queueIdOf(reply.text) : null;
}

/** Recipients for people: the first few, then how many more (a message to 600 addresses stays one line; NDJSON has them all). */
export function recipientsText(addresses: readonly string[], shown = 3): string {
  if (addresses.length <= shown + 1) return addresses.join(', ');
  return `${addresses.slice(0, shown).join(', ')} and ${addresses.length - shown} more`;
}

/** One line for people: session/message, via, From -> To, subject, size, hash; then one indented line per attachment. */
export function formatMessageLine(r: MessageRecord): string {
  const who = `${escapeString(r.from ?? r.mailFrom ?? '-')} -> ${escapeString(recipientsText(r.to.length ? r.to : r.rcptTo) || '-')}`;
  const head = `#${r.session}.${r.message} ${r.via} ${who} "${escapeString(r.subject ?? '')}" ${r.size} B sha256:${r.sha256.slice(0, 16)}` +
    `${r.queueId ? ` queued ${escapeString(r.queueId)}` : ''}${r.partial ? ' PARTIAL' : ''}`;
  const lines = [head];
  for (const a of r.attachments) lines.push(`    attachment ${escapeString(a.name ?? '(no name)')} ${a.type} ${a.size} B sha256:${a.sha256}${a.md5 ? ` md5:${a.md5}` : ''}`);
  return lines.join('\n');
}
