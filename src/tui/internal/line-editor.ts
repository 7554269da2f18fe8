/** A one-line text editor's state and its edits, as pure functions (the filter bar and the export path use it). */

export interface LineState {
  text: string;
  cursor: number;
}

export interface EditKey {
  leftArrow?: boolean;
  rightArrow?: boolean;
  home?: boolean;
  end?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

export function lineOf(text: string): LineState {
  return { text, cursor: text.length };
}

/**
 * Applies one key to the line; returns null when the key is not an edit.
 * Terminals send DEL (0x7f) for Backspace, which Ink reports as `delete`:
 * both erase the character before the caret, as in a shell.
 */
export function editLine(s: LineState, input: string, key: EditKey): LineState | null {
  const { text, cursor } = s;
  if (key.leftArrow) return { text, cursor: Math.max(0, cursor - 1) };
  if (key.rightArrow) return { text, cursor: Math.min(text.length, cursor + 1) };
  if (key.home || (key.ctrl && input === 'a')) return { text, cursor: 0 };
  if (key.end || (key.ctrl && input === 'e')) return { text, cursor: text.length };
  if (key.backspace || key.delete) {
    if (cursor === 0) return s;
    return { text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1 };
  }
  if (key.ctrl && input === 'd') return { text: text.slice(0, cursor) + text.slice(cursor + 1), cursor };
  if (key.ctrl && input === 'u') return { text: text.slice(cursor), cursor: 0 };
  if (key.ctrl && input === 'k') return { text: text.slice(0, cursor), cursor };
  if (key.ctrl && input === 'w') {
    let start = cursor;
    while (start > 0 && text[start - 1] === ' ') start--;
    while (start > 0 && text[start - 1] !== ' ') start--;
    return { text: text.slice(0, start) + text.slice(cursor), cursor: start };
  }
  if (key.ctrl || key.meta || input === '') return null;
  // Typed or pasted text: printable characters only (a paste may carry newlines or escapes).
  const clean = input.replace(/[\x00-\x1f\x7f]/g, '');
  if (clean === '') return null;
  return { text: text.slice(0, cursor) + clean + text.slice(cursor), cursor: cursor + clean.length };
}
