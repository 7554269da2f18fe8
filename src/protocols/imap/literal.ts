/**
 * IMAP literals (RFC 9051 4.3, RFC 7888 LITERAL+, RFC 3516 literal8): the
 * marker that ends a line, the bounds we hold it to, and how a command or
 * response that contains literals is turned back into one readable string.
 */
import { wireText } from '../../util/wire-text.js';

/** A literal announced at the end of a line: `{N}`, `{N+}`, `~{N}` or `~{N+}`. */
export interface LiteralMarker {
  /** Octets that follow the CRLF. */
  size: number;
  /** `{N}` from a client waits for the server's `+` (RFC 9051 7.5); `{N+}` does not (RFC 7888). */
  sync: boolean;
  /** `~{N}`: literal8, may carry NUL (RFC 3516 / RFC 9051 4.3.1). */
  binary: boolean;
  /** Index in the line where the marker starts (the text before it is the line's own text). */
  start: number;
}

/**
 * Literal sizes above this are refused: real messages are far smaller, and a
 * forged size must not make us count (or wait for) gigabytes. nodemailer's
 * IMAP framer caps the digit count for the same reason.
 */
export const MAX_LITERAL_SIZE = 1024 * 1024 * 1024;
/** More digits than this cannot be a sane size (10 digits already exceed the bound). */
const MAX_LITERAL_DIGITS = 10;
/** Literal contents kept to show in args / untagged text; larger ones are summarised as `{N bytes}`. */
export const MAX_KEPT_LITERAL = 256;

export type MarkerResult = { marker: LiteralMarker } | { bad: string } | null;

/** The literal marker at the end of a line, a reason it is unusable, or null when there is none. */
export function parseLiteralMarker(line: string): MarkerResult {
  if (!line.endsWith('}')) return null;
  const m = /(~?)\{([0-9]+)(\+?)\}$/.exec(line);
  if (m === null) return null;
  const digits = m[2];
  if (digits.length > MAX_LITERAL_DIGITS || Number(digits) > MAX_LITERAL_SIZE) {
    const shown = digits.length > 24 ? `${digits.slice(0, 12)}…(${digits.length} digits)` : digits;
    return { bad: `literal size ${shown} is beyond the ${MAX_LITERAL_SIZE}-byte bound` };
  }
  return { marker: { size: Number(digits), sync: m[3] === '', binary: m[1] === '~', start: m.index } };
}

/** A literal inside a command or response, as far as we kept it. */
export interface LiteralPart {
  size: number;
  /** The contents when small and not a message (else null: summarised). */
  data: Buffer | null;
  /** Streamed into a MessageBody. */
  message: boolean;
  /** Octets lost in gaps. */
  missing: number;
}

/** A command or response: its line texts (markers removed) and the literals between them. */
export type Part = string | LiteralPart;

/**
 * One literal as text. A small printable literal is shown as the quoted
 * string it is equivalent to (RFC 9051 4.3: both are a "string"), so
 * `LOGIN {5}` + `alice` reads `LOGIN "alice"`; anything else is summarised.
 */
export function renderLiteral(part: LiteralPart): string {
  if (part.data !== null && part.missing === 0 && part.data.length === part.size && isPrintable(part.data)) {
    return `"${wireText(part.data).replace(/["\\]/g, '\\$&')}"`;
  }
  return part.missing > 0 ? `{${part.size} bytes, ${part.missing} missing}` : `{${part.size} bytes}`;
}

function isPrintable(data: Buffer): boolean {
  for (const b of data) if (b < 0x20 || b === 0x7f) return false;
  return true;
}

/** All parts as one string, at most `max` characters (then cut with "…"). */
export function renderParts(parts: Part[], max: number): string {
  let out = '';
  for (const p of parts) {
    out += typeof p === 'string' ? p : renderLiteral(p);
    if (out.length > max) return out.slice(0, max) + '…';
  }
  return out;
}

/** An argument of a command: how it is shown, and its value when we know it. */
export interface Arg {
  display: string;
  /** Unquoted value (null for a literal we did not keep). */
  value: string | null;
}

/**
 * Splits command arguments into atoms, quoted strings and literals (RFC 9051
 * 4.1-4.3): enough for LOGIN and AUTHENTICATE, whose arguments we must
 * redact or decode. Parenthesised lists are not needed there.
 */
export function splitArgs(parts: Part[]): Arg[] {
  const args: Arg[] = [];
  for (const p of parts) {
    if (typeof p !== 'string') {
      args.push({ display: renderLiteral(p), value: p.data !== null && p.missing === 0 ? wireText(p.data) : null });
      continue;
    }
    let i = 0;
    while (i < p.length) {
      if (p[i] === ' ') {
        i++;
        continue;
      }
      if (p[i] === '"') {
        let value = '';
        let j = i + 1;
        for (; j < p.length && p[j] !== '"'; j++) {
          if (p[j] === '\\' && j + 1 < p.length) j++;
          value += p[j];
        }
        args.push({ display: p.slice(i, j + 1), value });
        i = j + 1;
        continue;
      }
      let j = i;
      while (j < p.length && p[j] !== ' ') j++;
      args.push({ display: p.slice(i, j), value: p.slice(i, j) });
      i = j;
    }
  }
  return args;
}
