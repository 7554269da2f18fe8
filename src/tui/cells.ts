/**
 * Text measured in terminal cells, not UTF-16 code units: a CJK character or
 * an emoji takes two cells, a combining mark none. Subjects decoded from
 * RFC 2047, SMTPUTF8 addresses and the Chinese explanations are all wider
 * than their length, and a row that overflows by one cell makes the terminal
 * wrap it and shifts the whole screen. Widths come from string-width, the
 * same package (and version) Ink measures with, so our padding and Ink's
 * layout agree. Text here is already escaped (no control characters).
 */
import stringWidth from 'string-width';

const graphemes = new Intl.Segmenter();

/** Cells taken by `text`; ASCII, the common case, costs nothing to measure. */
export function cellWidth(text: string): number {
  return isPrintableAscii(text) ? text.length : stringWidth(text);
}

function isPrintableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** The longest prefix of `text` that fits in `cells` (never cuts a character or a grapheme in two). */
export function sliceCells(text: string, cells: number): string {
  if (isPrintableAscii(text)) return text.slice(0, Math.max(0, cells));
  let used = 0;
  let end = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > cells) break;
    used += w;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

/** Fits text into exactly `size` cells: cut with an ellipsis, padded on the side given. */
export function fitCells(text: string, size: number, align: 'left' | 'right' = 'left'): string {
  const width = cellWidth(text);
  if (width > size) {
    if (size <= 1) return padCells(sliceCells(text, size), size, align);
    return padCells(sliceCells(text, size - 1) + '…', size, align);
  }
  return padCells(text, size, align, width);
}

function padCells(text: string, size: number, align: 'left' | 'right', width = cellWidth(text)): string {
  const pad = ' '.repeat(Math.max(0, size - width));
  return align === 'right' ? pad + text : text + pad;
}

/**
 * Cuts a line into pieces of at most `width` cells; pieces after the first
 * are indented by `indent`. A piece ends after the last space that fits, so
 * words stay whole, unless that would leave the piece less than half full (a
 * long address or base64 line is then cut where the room ends). The space
 * at a break stays at the end of its piece (or, when the room ends right
 * before it, is dropped), so no piece after the first starts with a space.
 */
export function wrapCells(text: string, width: number, indent = 0): string[] {
  if (cellWidth(text) <= width) return [text];
  const pad = ' '.repeat(Math.max(0, Math.min(indent, width - 10)));
  const pieces: string[] = [];
  let rest = text;
  let room = width;
  while (rest.length > 0) {
    let piece = sliceCells(rest, room);
    if (piece.length === 0) piece = String.fromCodePoint(rest.codePointAt(0)!); // one character wider than the room: show it anyway
    else if (piece.length < rest.length && rest[piece.length] !== ' ') {
      const space = piece.lastIndexOf(' ');
      // Past the first piece's indent: the columns before the transcript text (time, latency) are not words to wrap at.
      const floor = pieces.length === 0 ? indent : 0;
      if (space >= floor && cellWidth(piece.slice(0, space + 1)) * 2 >= room) piece = piece.slice(0, space + 1);
    }
    pieces.push((pieces.length > 0 ? pad : '') + piece);
    rest = rest.slice(piece.length);
    if (rest.startsWith(' ') && !piece.endsWith(' ') && rest.trim() !== '') rest = rest.slice(1);
    room = width - pad.length;
  }
  return pieces;
}
