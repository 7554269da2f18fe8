/**
 * The filter lexer: text -> tokens with their offsets. Words (field names,
 * keywords, numbers, addresses) are one token kind; the parser decides what
 * a word means from where it stands. A character that cannot start any token
 * is a FilterError at its position.
 */
import { FilterError } from './errors.js';

export type TokenKind =
  | 'word' // smtp.response.code, and, contains, 250, 0x1f, 10.0.0.0/8, 2001:db8::1
  | 'string' // "text" (value holds the unescaped text)
  | 'op' // == != === !== ~= > >= < <=
  | 'and' | 'or' | 'not' // && || !
  | '(' | ')' | '{' | '}' | '[' | ']' | ',' | '..'
  | 'end';

export interface Token {
  kind: TokenKind;
  /** The text as written (for strings: with the quotes). */
  text: string;
  /** Strings: the unescaped value. */
  value?: string;
  /** Strings: true for r"raw" strings. */
  raw?: boolean;
  pos: number;
  len: number;
}

/** Characters of an unquoted word: field names, numbers, IPv4 / IPv6 addresses with a /prefix. */
const WORD = /[A-Za-z0-9_.:/\-]/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, len: number) => {
    tokens.push({ kind, text: text.slice(i, i + len), pos: i, len });
    i += len;
  };
  while (i < text.length) {
    const c = text[i];
    const two = text.slice(i, i + 2);
    const three = text.slice(i, i + 3);
    if (/\s/.test(c)) {
      i++;
    } else if (three === '===' || three === '!==') {
      push('op', 3);
    } else if (two === '==' || two === '!=' || two === '~=' || two === '>=' || two === '<=') {
      push('op', 2);
    } else if (c === '>' || c === '<') {
      push('op', 1);
    } else if (two === '&&') {
      push('and', 2);
    } else if (two === '||') {
      push('or', 2);
    } else if (c === '!') {
      push('not', 1);
    } else if (two === '..') {
      push('..', 2);
    } else if (c === '(' || c === ')' || c === '{' || c === '}' || c === '[' || c === ']' || c === ',') {
      push(c, 1);
    } else if (c === '"' || ((c === 'r' || c === 'R') && text[i + 1] === '"')) {
      tokens.push(readString(text, i));
      i += tokens[tokens.length - 1].len;
    } else if (WORD.test(c)) {
      let j = i;
      // A word stops before "..", so that 400..499 is three tokens.
      while (j < text.length && WORD.test(text[j]) && text.slice(j, j + 2) !== '..') j++;
      push('word', j - i);
    } else {
      throw new FilterError(unexpectedChar(text, i), text, i, 1);
    }
  }
  tokens.push({ kind: 'end', text: '', pos: text.length, len: 1 });
  return tokens;
}

function unexpectedChar(text: string, i: number): string {
  const c = text[i];
  const hint: Record<string, string> = { '=': '==', '&': '&&', '|': '||', '~': '~=', "'": '"' };
  const shown = c === "'" ? `'` : c;
  if (hint[c]) return `unexpected "${shown}": did you mean "${hint[c]}"?`;
  const code = c.codePointAt(0)!;
  return code < 0x20 || code > 0x7e ? `unexpected character U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `unexpected "${c}"`;
}

/**
 * A double-quoted string, as Wireshark reads it: \" \\ \n \r \t \a \b \f
 * \v, \xHH (one or two hex digits) and \ooo (octal) escapes; r"..." keeps
 * backslashes as written (for regular expressions).
 */
function readString(text: string, start: number): Token {
  const raw = text[start] !== '"';
  let i = start + (raw ? 2 : 1);
  let value = '';
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      return { kind: 'string', text: text.slice(start, i + 1), value, raw, pos: start, len: i + 1 - start };
    }
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) break;
    if (raw) {
      value += c + next; // r"\d" stays \d; r"\"" is a backslash and a quote, as in Wireshark
      i += 2;
      continue;
    }
    const simple: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b', f: '\f', v: '\v', "'": "'" };
    if (simple[next] !== undefined) {
      value += simple[next];
      i += 2;
    } else if (next === 'x') {
      const hex = /^[0-9A-Fa-f]{1,2}/.exec(text.slice(i + 2))?.[0];
      if (!hex) throw new FilterError('"\\x" must be followed by one or two hex digits', text, i, 2);
      value += String.fromCharCode(parseInt(hex, 16));
      i += 2 + hex.length;
    } else if (/[0-7]/.test(next)) {
      const oct = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
      const code = parseInt(oct, 8);
      if (code > 0xff) throw new FilterError(`"\\${oct}" is not a byte (octal escapes go up to \\377)`, text, i, 1 + oct.length);
      value += String.fromCharCode(code);
      i += 1 + oct.length;
    } else {
      throw new FilterError(`"\\${next}" is not a valid escape (use \\\\ for a backslash)`, text, i, 2);
    }
  }
  throw new FilterError('this string is not closed: a closing " is missing', text, start, 1);
}
