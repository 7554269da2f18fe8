/**
 * Makes bytes from the wire safe to print. A capture is attacker-controlled
 * input: an ESC or CSI byte in a banner must never reach the terminal, so
 * every byte outside printable ASCII is shown as an escape.
 */

const HEX = Array.from({ length: 256 }, (_, i) => `\\x${i.toString(16).padStart(2, '0')}`);

/** One table lookup per byte: printable ASCII and TAB stay, everything else becomes \xHH (CR and LF as \r, \n). */
const ESCAPED: string[] = Array.from({ length: 256 }, (_, b) => {
  if (b === 0x09 || (b >= 0x20 && b < 0x7f)) return String.fromCharCode(b);
  if (b === 0x0d) return '\\r';
  if (b === 0x0a) return '\\n';
  return HEX[b];
});

/** Escapes every byte (including CR and LF): for one-line displays. */
export function escapeBytes(data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length; i++) out += ESCAPED[data[i]];
  return out;
}

/**
 * Escapes bytes for a multi-line transcript: CRLF ends a line and is shown as
 * a line break; a bare LF is shown as `\n` followed by a line break (bare LF
 * matters in mail: it is how SMTP smuggling works); a bare CR stays `\r`.
 */
export function escapeText(data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b === 0x0d && data[i + 1] === 0x0a) {
      out += '\n';
      i++;
    } else if (b === 0x0a) {
      out += '\\n\n';
    } else {
      out += ESCAPED[b];
    }
  }
  return out;
}

/** Printable ASCII only: nothing to escape. */
const PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * Escapes a string that came from the wire (already decoded as text) for
 * one-line display: a TAB too (\\t), since on one line it would move what
 * follows to a column of the terminal's choosing.
 */
export function escapeString(text: string): string {
  // Most text is printable ASCII already: given back as it is, without building a copy.
  if (PRINTABLE.test(text)) return text;
  let out = '';
  for (const ch of text) out += escapeChar(ch);
  return out;
}

function escapeChar(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (c >= 0x20 && c < 0x7f) return ch;
  if (c === 0x09) return '\\t';
  if (c === 0x0d) return '\\r';
  if (c === 0x0a) return '\\n';
  if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0)) return HEX[c];
  if (isBidiControl(c)) return `\\u{${c.toString(16)}}`;
  return ch;
}

/**
 * escapeString, cut to at most `max` characters with "…" at the end when it
 * is longer; never inside an escape (a cut "\\x1" would read as other bytes).
 */
export function escapeShort(text: string, max: number): string {
  const full = escapeString(text);
  if (full.length <= max) return full;
  let out = '';
  for (const ch of text) {
    const piece = escapeChar(ch);
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return out + '…';
}

/** Bidirectional overrides and isolates can make text read differently from what it is (CVE-2021-42574). */
function isBidiControl(c: number): boolean {
  return c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}
