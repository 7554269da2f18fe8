/**
 * Collects a message body as it streams past: size, SHA-256 and the header
 * block (up to a bound), never the whole message. The bytes stay in the
 * capture; later stages (extraction) read them again when asked.
 */
import { createHash, type Hash } from 'node:crypto';
import { isAttachment, type Attachment, type MessagePart, type MessageSummary } from '../session/model.js';
import type { BodyTap } from '../session/recorder.js';
import { splitAddressList } from './address-list.js';
import { MimeWalker } from './mime.js';
import { decodeWords } from './mime-words.js';
import { wireText } from '../util/wire-text.js';

/** Header bytes kept for the summary; RFC 5322 headers are rarely larger, and abuse is bounded. */
export const MAX_HEADER_BYTES = 64 * 1024;
/**
 * Past MAX_HEADER_BYTES the header is still read, this far, for the fields
 * the summary names (From, To, Cc, Subject, Date, Message-ID), so that a
 * long Received chain or a spammer's padding cannot hide them.
 */
export const MAX_HEADER_SCAN = 1024 * 1024;
/** Longest field kept from past the bound (folded lines included). */
const MAX_LATE_FIELD = 4096;
/** The fields always kept from past the bound. */
const LATE_FIELD = /^(from|to|cc|subject|date|message-id)[ \t]*:/i;
/** Other fields past the bound are kept while they add up to no more than this (MIME-Version, Content-Type, ...). */
const MAX_LATE_OTHERS = 16 * 1024;
/** The summary's fields past the bound are kept while they add up to no more than this (600 To fields of one address: yes). */
const MAX_LATE_SUMMARY = 64 * 1024;

/**
 * Small writes (a body arrives a line at a time) are gathered into blocks of
 * this size before hashing and MIME walking: one hash update per line costs
 * more than the hashing itself, and one gathering copy serves both.
 */
const BLOCK = 64 * 1024;

export class MessageBody {
  private hash: Hash = createHash('sha256');
  private block: Buffer | null = null;
  private blockLength = 0;
  private size = 0;
  private header: Buffer[] = [];
  private headerBytes = 0;
  private headerDone = false;
  /** Last bytes seen, to find the blank line that ends the header across writes. */
  private tail = '';
  /** The first bytes of the message, kept only when asked for (transcript --bodies). */
  private kept: Buffer[] = [];
  private keptBytes = 0;
  /** The MIME structure, walked as the bytes pass. */
  private mime = new MimeWalker();
  /** Past the kept bytes: header bytes scanned, the line being read, and the summary fields found. */
  private late: { scanned: number; line: string; fields: string[]; inField: 'summary' | 'other' | null; others: number; summary: number } | null = null;

  /** `keep`: how many leading bytes of the message to keep for display (0: none). */
  /** `tap`: receives the bytes as they pass, then the summary (mailscope extract). */
  constructor(readonly via: string, readonly exchange: number, private readonly keep = 0, private readonly tap: BodyTap | null = null) {}

  get bytes(): number {
    return this.size;
  }

  /** Adds message bytes (already dot-unstuffed, CRLF line endings as sent). */
  write(data: Buffer): void {
    if (data.length === 0) return;
    this.gather(data);
    this.size += data.length;
    this.tap?.write(data);
    if (this.keptBytes < this.keep) {
      const piece = data.subarray(0, this.keep - this.keptBytes);
      this.kept.push(Buffer.from(piece));
      this.keptBytes += piece.length;
    }
    if (this.headerDone) return;
    if (this.late) {
      this.scanLate(data);
      return;
    }
    const room = MAX_HEADER_BYTES - this.headerBytes;
    const piece = data.subarray(0, Math.max(0, room));
    const text = this.tail + piece.toString('latin1');
    const end = findHeaderEnd(text, this.headerBytes === 0);
    if (end >= 0) {
      const keep = end - this.tail.length;
      if (keep > 0) this.header.push(Buffer.from(piece.subarray(0, keep)));
      this.headerBytes += Math.max(0, keep);
      this.headerDone = true;
      return;
    }
    this.header.push(Buffer.from(piece));
    this.headerBytes += piece.length;
    this.tail = text.slice(-3);
    if (this.headerBytes >= MAX_HEADER_BYTES) {
      // The kept part may end inside a line: that line's rest is not a field start, so it is skipped.
      this.late = { scanned: 0, line: '', fields: [], inField: null, others: 0, summary: 0 };
      this.scanLate(data.subarray(piece.length));
    }
  }

  /** Reads header lines past the kept bytes, keeping the fields the summary names and, up to a bound, the others. */
  private scanLate(data: Buffer): void {
    const late = this.late!;
    const take = data.subarray(0, Math.max(0, MAX_HEADER_SCAN - late.scanned));
    late.scanned += take.length;
    let start = 0;
    for (let nl = take.indexOf(10); nl >= 0 || start < take.length; nl = take.indexOf(10, start)) {
      if (nl < 0) {
        // A line continued in the next write: keep only what a field could use.
        if (late.line.length < MAX_LATE_FIELD) late.line += take.subarray(start, start + MAX_LATE_FIELD).toString('latin1');
        break;
      }
      const line = (late.line + take.subarray(start, Math.min(nl, start + MAX_LATE_FIELD)).toString('latin1')).replace(/\r$/, '');
      late.line = '';
      start = nl + 1;
      if (line === '') {
        this.headerDone = true;
        return;
      }
      if (line[0] === ' ' || line[0] === '\t') {
        const last = late.fields.length - 1;
        if (late.inField === null || late.fields[last].length + line.length > MAX_LATE_FIELD) continue;
        if (late.inField === 'other' && late.others + line.length > MAX_LATE_OTHERS) continue;
        if (late.inField === 'summary' && late.summary + line.length > MAX_LATE_SUMMARY) continue;
        if (late.inField === 'other') late.others += line.length;
        else late.summary += line.length;
        late.fields[last] += '\r\n' + line;
      } else if (LATE_FIELD.test(line) && late.summary + line.length <= MAX_LATE_SUMMARY) {
        late.inField = 'summary';
        late.summary += line.length;
        late.fields.push(line);
      } else if (line.includes(':') && late.others + line.length <= MAX_LATE_OTHERS) {
        late.inField = 'other';
        late.others += line.length;
        late.fields.push(line);
      } else {
        late.inField = null;
      }
    }
    if (late.scanned >= MAX_HEADER_SCAN) this.headerDone = true;
  }

  private gather(data: Buffer): void {
    if (data.length >= BLOCK / 4) {
      this.flushBlock();
      this.consume(data);
      return;
    }
    if (this.block === null) this.block = Buffer.allocUnsafe(BLOCK);
    if (this.blockLength + data.length > BLOCK) this.flushBlock();
    data.copy(this.block, this.blockLength);
    this.blockLength += data.length;
  }

  private flushBlock(): void {
    if (this.block !== null && this.blockLength > 0) this.consume(this.block.subarray(0, this.blockLength));
    this.blockLength = 0;
  }

  /** The MIME walker copies whatever it keeps past the call, so the block can be reused. */
  private consume(block: Buffer): void {
    this.hash.update(block);
    this.mime.write(block);
  }

  /** The summary; `partial` when a gap or bound cut the message. */
  finish(partial: boolean, envelope: { mailFrom?: string; rcptTo?: string[] } = {}): MessageSummary {
    this.flushBlock();
    this.block = null;
    // RFC 6532 allows UTF-8 in header fields; the header's end was found on bytes (latin1) above.
    let headerText = wireText(Buffer.concat(this.header));
    if (this.late) {
      // The kept part ends where the bound fell: the summary fields found past it follow on lines of their own.
      const cut = headerText.lastIndexOf('\n');
      headerText = (cut >= 0 ? headerText.slice(0, cut + 1) : '') + this.late.fields.map((f) => wireText(Buffer.from(f, 'latin1')) + '\r\n').join('');
    }
    const list = headerFields(headerText);
    const fields = firstOfEach(list);
    const summary: MessageSummary = {
      exchange: this.exchange,
      via: this.via,
      size: this.size,
      sha256: this.hash.digest('hex'),
      partial,
    };
    if (this.keep > 0) summary.body = Buffer.concat(this.kept).toString('latin1');
    if (envelope.mailFrom !== undefined) summary.mailFrom = envelope.mailFrom;
    if (envelope.rcptTo !== undefined) summary.rcptTo = envelope.rcptTo;
    for (const [key, name] of [['from', 'from'], ['subject', 'subject'], ['date', 'date'], ['messageId', 'message-id']] as const) {
      const v = fields.get(name);
      if (v !== undefined) summary[key] = v;
    }
    // RFC 5322 allows one To and one Cc; a message with several gets the addresses of all of them.
    const addresses = (name: string) => list.filter(([n]) => n.toLowerCase() === name).flatMap(([, v]) => splitAddressList(v));
    if (fields.has('to')) summary.to = addresses('to');
    if (fields.has('cc')) summary.cc = addresses('cc');
    if (summary.subject !== undefined) {
      const decoded = decodeWords(summary.subject);
      if (decoded !== summary.subject) summary.subjectDecoded = decoded;
    }
    const received = list.filter(([name]) => name.toLowerCase() === 'received').length;
    if (received > 0) summary.received = received;
    if (list.length > 0) summary.headers = list;
    if (this.late) summary.headersCut = true;
    if (this.size > 0) {
      summary.parts = this.mime.finish(partial);
      const attachments = attachmentsOf(summary.parts);
      if (attachments.length > 0) summary.attachments = attachments;
      if (this.mime.partsDropped > 0) summary.partsDropped = this.mime.partsDropped;
      if (this.mime.problems.length > 0) summary.mimeProblems = this.mime.problems.slice(0, 10);
    }
    this.tap?.end(summary);
    return summary;
  }
}

/** The attachments among the parts, with their part index. */
function attachmentsOf(parts: readonly MessagePart[]): Attachment[] {
  const out: Attachment[] = [];
  parts.forEach((p, part) => {
    if (!isAttachment(p)) return;
    const a: Attachment = { part, type: p.type, size: p.size, sha256: p.sha256 };
    if (p.md5 !== undefined) a.md5 = p.md5;
    if (p.name !== undefined) a.name = p.name;
    if (p.partial) a.partial = true;
    out.push(a);
  });
  return out;
}

/**
 * Index just past the blank line ending the header (CRLFCRLF or LFLF), or
 * -1. `atStart`: text is the message's first bytes, where a lone CRLF means
 * no header at all (later, a CRLF at the start is the end of the line before).
 */
function findHeaderEnd(text: string, atStart: boolean): number {
  const a = text.indexOf('\r\n\r\n');
  const b = text.indexOf('\n\n');
  if (a >= 0 && (b < 0 || a <= b)) return a + 4;
  if (b >= 0) return b + 2;
  if (atStart && text.startsWith('\r\n')) return 2; // no header at all
  return -1;
}

/** First occurrence of each header field, unfolded (RFC 5322 2.2.3), names in lower case. */
export function parseHeader(text: string): Map<string, string> {
  return firstOfEach(headerFields(text));
}

function firstOfEach(list: ReadonlyArray<[string, string]>): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [name, value] of list) {
    const key = name.toLowerCase();
    if (!fields.has(key)) fields.set(key, value);
  }
  return fields;
}

/** Every header field in order, [name as written, value unfolded (RFC 5322 2.2.3) and trimmed]. */
export function headerFields(text: string): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  const lines = text.split(/\r?\n/);
  let name = '';
  let value = '';
  const flush = () => {
    if (name) fields.push([name, value.trim()]);
  };
  for (const line of lines) {
    if (line === '') break;
    if ((line[0] === ' ' || line[0] === '\t') && name) {
      value += ' ' + line.trim();
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon <= 0) {
      name = '';
      continue;
    }
    name = line.slice(0, colon).trim();
    value = line.slice(colon + 1);
  }
  flush();
  return fields;
}
