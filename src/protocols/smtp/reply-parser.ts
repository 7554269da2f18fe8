/**
 * SMTP replies (RFC 5321 4.2): one or more lines "ddd-text" ending with a
 * line "ddd text" (or bare "ddd"). The assembler collects the lines of one
 * reply and says what was wrong with it, without ever refusing it: a reply
 * that does not parse is still shown to people.
 */
import type { Reply } from '../../session/model.js';
import type { TextLine } from './line-reader.js';

export interface ReplyLine {
  code: number;
  /** '-' continues the reply; ' ' or '' (no text) ends it. */
  sep: '-' | ' ' | '';
  text: string;
}

/** "ddd", "ddd text", "ddd-text": RFC 5321 4.2. A fourth character other than SP or "-" is no reply line. */
export function parseReplyLine(line: string): ReplyLine | null {
  const m = /^([0-9]{3})(?:([ -])(.*))?$/s.exec(line);
  if (m === null) return null;
  return { code: Number(m[1]), sep: (m[2] ?? '') as ReplyLine['sep'], text: m[3] ?? '' };
}

/**
 * RFC 3463 enhanced status code "class.subject.detail" at the start of the
 * text; its class must agree with the reply's first digit (RFC 3463 3:
 * 2.X.X success, 4.X.X persistent, 5.X.X permanent failure).
 */
export function enhancedCode(code: number | undefined, text: string): string | undefined {
  const m = /^([245])\.([0-9]{1,3})\.([0-9]{1,3})(?=[ \t]|$)/.exec(text);
  if (m === null || code === undefined) return undefined;
  return Math.floor(code / 100) === Number(m[1]) ? `${m[1]}.${m[2]}.${m[3]}` : undefined;
}

export interface AssembledReply {
  reply: Reply;
  /** Why the reply is malformed (no code, codes that differ between lines, bad separator); empty when fine. */
  problems: string[];
  /** Frame of the first line, for anomalies. */
  firstFrame: number;
}

/** Collects the lines of one reply at a time. */
export class ReplyAssembler {
  private lines: string[] = [];
  private texts: string[] = [];
  private codes: number[] = [];
  private problems: string[] = [];
  private firstFrame = 0;

  /** `time` formats a capture timestamp (SessionRecorder.time). */
  constructor(private readonly time: (ts: bigint) => string) {}

  /** Whether a multi-line reply is in progress. */
  get inProgress(): boolean {
    return this.lines.length > 0;
  }

  /** Lines of a reply in progress (dropped after a gap). */
  get pendingLines(): number {
    return this.lines.length;
  }

  reset(): void {
    this.lines = [];
    this.texts = [];
    this.codes = [];
    this.problems = [];
  }

  /** Adds a line; returns the reply when this line ends it. */
  push(line: TextLine): AssembledReply | null {
    if (this.lines.length === 0) this.firstFrame = line.frame;
    this.lines.push(line.text);
    const parsed = parseReplyLine(line.text);
    if (parsed === null) {
      this.texts.push(line.text);
      this.problems.push(`line without a 3-digit reply code: ${JSON.stringify(line.text.slice(0, 80))}`);
      // A line with no code inside a multi-line reply is kept in it; alone it is a reply by itself.
      if (this.lines.length > 1) return null;
      return this.finish(line);
    }
    this.texts.push(parsed.text);
    this.codes.push(parsed.code);
    if (parsed.sep === '-') return null;
    return this.finish(line);
  }

  private finish(last: TextLine): AssembledReply {
    const problems = this.problems;
    // RFC 5321 4.2.1: every line of a multi-line reply carries the same code.
    // When they differ we report it and keep the final line's code, the one
    // that ends the reply (clients act on it).
    const code = this.codes.length > 0 ? this.codes[this.codes.length - 1] : undefined;
    // RFC 5321 4.2.1: the first digit is 2 to 5, the second 0 to 5.
    if (code !== undefined && (code < 200 || code > 599 || Math.floor(code / 10) % 10 > 5)) {
      problems.push(`impossible reply code ${code}`);
    }
    if (code !== undefined && this.codes.some((c) => c !== code)) {
      problems.push(`continuation code ${this.codes.find((c) => c !== code)} differs from final code ${code}`);
    }
    const reply: Reply = {
      ts: this.time(last.ts),
      frame: last.frame,
      lines: this.lines,
      text: this.texts.join('\n'),
    };
    if (code !== undefined) {
      reply.code = code;
      const firstCoded = parseReplyLine(this.lines[0]);
      const enhanced = enhancedCode(code, firstCoded?.text ?? '');
      if (enhanced !== undefined) reply.enhanced = enhanced;
    }
    const out: AssembledReply = { reply, problems, firstFrame: this.firstFrame };
    this.lines = [];
    this.texts = [];
    this.codes = [];
    this.problems = [];
    return out;
  }
}
