/**
 * SMTP replies (RFC 5321 4.2): one or more lines "ddd-text" ending with a
 * line "ddd text" (or bare "ddd"). The assembler collects the lines of one
 * reply and says what was wrong with it, without ever refusing it: a reply
 * that does not parse is still shown to people.
 */
import type { Reply } from '../../session/model.js';
import { append } from '../../util/small-array.js';
import type { TextLine } from './line-reader.js';

export interface ReplyLine {
  code: number;
  /** '-' continues the reply; ' ' or '' (no text) ends it. */
  sep: '-' | ' ' | '';
  text: string;
}

/**
 * "ddd", "ddd text", "ddd-text": RFC 5321 4.2. A fourth character other than SP or "-" is no reply line.
 * Read by character codes, not a regular expression: every reply line of a flood passes here, twice,
 * and a match array with its three captured strings for each was a good part of what it allocated.
 */
export function parseReplyLine(line: string): ReplyLine | null {
  if (line.length < 3) return null;
  const d0 = digitAt(line, 0);
  const d1 = digitAt(line, 1);
  const d2 = digitAt(line, 2);
  if (d0 < 0 || d1 < 0 || d2 < 0) return null;
  const code = d0 * 100 + d1 * 10 + d2;
  if (line.length === 3) return { code, sep: '', text: '' };
  const sep = line.charCodeAt(3);
  if (sep !== 0x20 /* SP */ && sep !== 0x2d /* - */) return null;
  return { code, sep: sep === 0x20 ? ' ' : '-', text: line.slice(4) };
}

/** The decimal digit at `i`, or -1. */
function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/**
 * RFC 3463 enhanced status code "class.subject.detail" at the start of the
 * text; its class must agree with the reply's first digit (RFC 3463 3:
 * 2.X.X success, 4.X.X persistent, 5.X.X permanent failure). As the
 * expression /^([245])\.([0-9]{1,3})\.([0-9]{1,3})(?=[ \t]|$)/ would
 * match it, by character codes (see parseReplyLine): a fourth digit in
 * either number, or anything but a space or a tab after the detail, is no
 * code.
 */
export function enhancedCode(code: number | undefined, text: string): string | undefined {
  const cls = text.charCodeAt(0) - 48;
  if ((cls !== 2 && cls !== 4 && cls !== 5) || text.charCodeAt(1) !== 0x2e /* . */) return undefined;
  const subjectEnd = digitsEnd(text, 2);
  if (subjectEnd < 0 || text.charCodeAt(subjectEnd) !== 0x2e) return undefined;
  const detailEnd = digitsEnd(text, subjectEnd + 1);
  if (detailEnd < 0) return undefined;
  const after = text.charCodeAt(detailEnd); // NaN at the end of the text
  if (detailEnd < text.length && after !== 0x20 && after !== 0x09) return undefined;
  if (code === undefined) return undefined;
  return Math.floor(code / 100) === cls ? text.slice(0, detailEnd) : undefined;
}

/** Where a run of one to three digits starting at `from` ends, or -1 when there is none or a fourth follows. */
function digitsEnd(text: string, from: number): number {
  let i = from;
  while (i < from + 3 && digitAt(text, i) >= 0) i++;
  if (i === from || digitAt(text, i) >= 0) return -1;
  return i;
}

export interface AssembledReply {
  reply: Reply;
  /** Why the reply is malformed (no code, codes that differ between lines, bad separator); empty when fine. */
  problems: string[];
  /** Frame of the first line, for anomalies. */
  firstFrame: number;
}

/** What the assembler asks the time of a timestamp of (SessionRecorder). */
export interface Clock {
  time(ts: bigint): string;
}

/** The problems of a reply that has none (shared; never added to). */
const NO_PROBLEMS: string[] = Object.freeze([]) as unknown as string[];

/**
 * Collects the lines of one reply at a time. Between replies it holds no
 * arrays (a machine has one assembler, tens of thousands of machines are
 * alive in a flood), and a reply's lines are an array of their exact number.
 */
export class ReplyAssembler {
  /** Lines of the reply in progress; null between replies. */
  private lines: string[] | null = null;
  /** Their text after the code (or the whole line when it has none). */
  private texts: string[] | null = null;
  private codes: number[] | null = null;
  private problems: string[] = NO_PROBLEMS;
  private firstFrame = 0;

  /** `clock` formats a capture timestamp (the SessionRecorder). */
  constructor(private readonly clock: Clock) {}

  /** Whether a multi-line reply is in progress. */
  get inProgress(): boolean {
    return this.lines !== null;
  }

  /** Lines of a reply in progress (dropped after a gap). */
  get pendingLines(): number {
    return this.lines?.length ?? 0;
  }

  reset(): void {
    this.lines = null;
    this.texts = null;
    this.codes = null;
    this.problems = NO_PROBLEMS;
  }

  /** Adds a line; returns the reply when this line ends it. */
  push(line: TextLine): AssembledReply | null {
    if (this.lines === null) {
      this.firstFrame = line.frame;
      this.lines = [line.text];
      this.texts = [];
      this.codes = [];
    } else {
      this.lines = append(this.lines, line.text);
    }
    const parsed = parseReplyLine(line.text);
    if (parsed === null) {
      this.texts!.push(line.text);
      this.problem(`line without a 3-digit reply code: ${JSON.stringify(line.text.slice(0, 80))}`);
      // A line with no code inside a multi-line reply is kept in it; alone it is a reply by itself.
      if (this.lines.length > 1) return null;
      return this.finish(line);
    }
    this.texts!.push(parsed.text);
    this.codes!.push(parsed.code);
    if (parsed.sep === '-') return null;
    return this.finish(line);
  }

  private problem(text: string): void {
    if (this.problems === NO_PROBLEMS) this.problems = [text];
    else this.problems.push(text);
  }

  private finish(last: TextLine): AssembledReply {
    const lines = this.lines!;
    const texts = this.texts!;
    const codes = this.codes!;
    // RFC 5321 4.2.1: every line of a multi-line reply carries the same code.
    // When they differ we report it and keep the final line's code, the one
    // that ends the reply (clients act on it).
    const code = codes.length > 0 ? codes[codes.length - 1] : undefined;
    // RFC 5321 4.2.1: the first digit is 2 to 5, the second 0 to 5.
    if (code !== undefined && (code < 200 || code > 599 || Math.floor(code / 10) % 10 > 5)) {
      this.problem(`impossible reply code ${code}`);
    }
    if (code !== undefined && codes.some((c) => c !== code)) {
      this.problem(`continuation code ${codes.find((c) => c !== code)} differs from final code ${code}`);
    }
    const ts = this.clock.time(last.ts);
    const frame = last.frame;
    const text = texts.length === 1 ? texts[0] : texts.join('\n');
    // Made with all its properties at once (in the order they are printed): adding code and enhanced
    // afterwards would give every reply a second object for them.
    let reply: Reply;
    if (code === undefined) {
      reply = { ts, frame, lines, text };
    } else {
      const firstCoded = parseReplyLine(lines[0]);
      const enhanced = enhancedCode(code, firstCoded?.text ?? '');
      reply = enhanced === undefined ? { ts, frame, lines, text, code } : { ts, frame, lines, text, code, enhanced };
    }
    const out: AssembledReply = { reply, problems: this.problems, firstFrame: this.firstFrame };
    this.reset();
    return out;
  }
}
