/**
 * Ink hands a run of plain characters to useInput as one string (a paste, or
 * keys typed faster than they are read: "et" then Ctrl-U in one chunk). A UI
 * where every key is a command needs them one at a time; this splits such a
 * run into the keys Ink would have reported for each character alone.
 */
import type { Key } from 'ink';

const NONE: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

function isPlain(key: Key): boolean {
  return !(key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageDown || key.pageUp || key.home || key.end ||
    key.return || key.escape || key.tab || key.backspace || key.delete || key.ctrl || key.meta);
}

export function splitKeys(input: string, key: Key): [string, Key][] {
  const chars = [...input];
  if (chars.length <= 1 || !isPlain(key)) return [[input, key]];
  return chars.map((ch): [string, Key] => {
    const c = ch.codePointAt(0)!;
    if (ch === '\r' || ch === '\n') return ['', { ...NONE, return: true }];
    if (ch === '\t') return ['', { ...NONE, tab: true }];
    if (c === 0x7f) return ['', { ...NONE, delete: true }];
    if (c === 0x08) return ['', { ...NONE, backspace: true }];
    if (c === 0x1b) return ['', { ...NONE, escape: true, meta: true }];
    if (c < 0x20) return [String.fromCharCode(c + 0x60), { ...NONE, ctrl: true }];
    return [ch, { ...NONE, shift: /[A-Z]/.test(ch) }];
  });
}
