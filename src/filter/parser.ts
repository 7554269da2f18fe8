/**
 * The filter parser: tokens -> AST, with Wireshark 4's precedence (not binds
 * tightest, then and, then or; and / or associate to the left) and every node
 * carrying its place in the expression for error messages.
 *
 *   expr    := or
 *   or      := and (("||" | "or") and)*
 *   and     := unary (("&&" | "and") unary)*
 *   unary   := ("!" | "not") unary | "(" expr ")" | test
 *   test    := operand [ relop operand | "contains" operand | "matches" operand | ["not"] "in" set ]
 *   operand := (field | function "(" operand ")") [slice] | literal
 *   slice   := "[" range ("," range)* "]"   range := i:j | i-j | i | :j | i:   (Wireshark's byte ranges)
 *   set     := "{" item ([","] item)* "}"     item := value [".." value]
 *
 * Words are not resolved here (a word may be a field or a literal such as
 * 10.0.0.0/8 or 0x1f): typecheck.ts does that.
 */
import { FilterError } from './errors.js';
import { tokenize, type Token } from './lexer.js';

export type CompareOp = '==' | '!=' | '===' | '~=' | '>' | '>=' | '<' | '<=' | 'contains' | 'matches';

export interface Span {
  pos: number;
  len: number;
}

/** A word (field name or unquoted literal), a quoted string, or a function call. */
export type Operand =
  | ({ kind: 'word'; text: string } & Span)
  | ({ kind: 'string'; value: string; raw: boolean } & Span)
  | ({ kind: 'call'; name: string; arg: Operand; nameSpan: Span } & Span)
  | ({ kind: 'slice'; base: Operand; ranges: SliceRange[] } & Span);

/**
 * One range of a slice, as Wireshark writes them: [i:j] j characters from i,
 * [i-j] from i to j inclusive, [i] one, [:j] the first j, [i:] from i to the
 * end; a negative start counts from the end.
 */
export interface SliceRange {
  start: number;
  /** Characters taken; undefined: to the end. */
  length?: number;
}

export interface SetItem extends Span {
  from: Operand;
  /** The upper end of a range "400..499". */
  to?: Operand;
}

export type Node =
  | ({ kind: 'or' | 'and'; left: Node; right: Node } & Span)
  | ({ kind: 'not'; operand: Node } & Span)
  | ({ kind: 'exists'; operand: Operand } & Span)
  | ({ kind: 'compare'; op: CompareOp; opSpan: Span; opText: string; left: Operand; right: Operand } & Span)
  | ({ kind: 'in'; negated: boolean; opSpan: Span; left: Operand; items: SetItem[] } & Span);

/** Keyword spellings of the comparison operators (Wireshark 4). */
const WORD_OPS: Record<string, CompareOp> = {
  eq: '==', any_eq: '==', ne: '!=', all_ne: '!=', all_eq: '===', any_ne: '~=',
  gt: '>', ge: '>=', lt: '<', le: '<=', contains: 'contains', matches: 'matches',
};
const SYMBOL_OPS: Record<string, CompareOp> = {
  '==': '==', '!=': '!=', '===': '===', '~=': '~=', '!==': '~=', '>': '>', '>=': '>=', '<': '<', '<=': '<=',
};
const KEYWORDS = new Set(['and', 'or', 'not', 'in', ...Object.keys(WORD_OPS)]);

export function isKeyword(word: string): boolean {
  return KEYWORDS.has(word.toLowerCase());
}

export function parse(text: string): Node {
  return new Parser(text, tokenize(text)).parseAll();
}

class Parser {
  private i = 0;
  constructor(private readonly text: string, private readonly tokens: Token[]) {}

  parseAll(): Node {
    const node = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'end') {
      if (t.kind === ')') throw this.error(t, 'unexpected ")": there is no "(" to close');
      throw this.error(t, `unexpected ${describe(t)}: expected "and", "or" or the end of the filter`);
    }
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private isWord(t: Token, ...words: string[]): boolean {
    return t.kind === 'word' && words.includes(t.text.toLowerCase());
  }
  private error(t: Token, message: string): FilterError {
    return new FilterError(message, this.text, t.pos, t.len);
  }

  private parseOr(): Node {
    let left = this.parseAnd();
    while (this.peek().kind === 'or' || this.isWord(this.peek(), 'or')) {
      const op = this.next();
      const right = this.parseAnd(op);
      left = { kind: 'or', left, right, ...cover(left, right) };
    }
    return left;
  }

  private parseAnd(after?: Token): Node {
    let left = this.parseUnary(after);
    while (this.peek().kind === 'and' || this.isWord(this.peek(), 'and')) {
      const op = this.next();
      const right = this.parseUnary(op);
      left = { kind: 'and', left, right, ...cover(left, right) };
    }
    return left;
  }

  /** `after`: the operator before this operand, named when the operand is missing. */
  private parseUnary(after?: Token): Node {
    const t = this.peek();
    if (t.kind === 'not' || this.isWord(t, 'not')) {
      this.next();
      const operand = this.parseUnary(t);
      return { kind: 'not', operand, pos: t.pos, len: operand.pos + operand.len - t.pos };
    }
    if (t.kind === '(') {
      this.next();
      const inner = this.parseOr();
      const close = this.peek();
      if (close.kind !== ')') {
        throw this.error(close, `unexpected ${describe(close)}: expected ")" to close the "(" at column ${t.pos + 1}`);
      }
      this.next();
      return inner;
    }
    return this.parseTest(after);
  }

  private parseTest(after?: Token): Node {
    const first = this.peek();
    if (!startsOperand(first)) {
      const what = after ? `expected a test after "${after.text}"` : 'expected a field, "!" or "("';
      if (first.kind === 'end' && !after) throw this.error(first, 'the filter is empty');
      throw this.error(first, `unexpected ${describe(first)}: ${what}`);
    }
    const left = this.parseOperand();
    const t = this.peek();
    let op: CompareOp | undefined;
    if (t.kind === 'op') op = SYMBOL_OPS[t.text];
    else if (t.kind === 'word') op = WORD_OPS[t.text.toLowerCase()];
    if (op) {
      this.next();
      const r = this.peek();
      if (!startsOperand(r)) throw this.error(r, `unexpected ${describe(r)}: expected a value after "${t.text}"`);
      const right = this.parseOperand();
      return { kind: 'compare', op, opText: t.text, opSpan: span(t), left, right, ...cover(left, right) };
    }
    if (this.isWord(t, 'in') || (this.isWord(t, 'not') && this.isWord(this.peek(1), 'in'))) {
      const negated = !this.isWord(t, 'in');
      this.next();
      const inTok = negated ? this.next() : t;
      const { items, end } = this.parseSet(inTok);
      return { kind: 'in', negated, opSpan: { pos: t.pos, len: inTok.pos + inTok.len - t.pos }, left, items, pos: left.pos, len: end - left.pos };
    }
    return { kind: 'exists', operand: left, pos: left.pos, len: left.len };
  }

  private parseOperand(): Operand {
    const base = this.parsePlainOperand();
    if (this.peek().kind !== '[' || base.kind === 'string') return base;
    const open = this.next();
    const ranges: SliceRange[] = [];
    while (true) {
      const t = this.next();
      const range = t.kind === 'word' ? parseRange(t.text) : null;
      if (!range) throw this.error(t, `unexpected ${describe(t)}: expected a range such as 0:4, 2-5, 3, :4 or 4: inside "[" ]"`);
      ranges.push(range);
      const sep = this.next();
      if (sep.kind === ']') return { kind: 'slice', base, ranges, pos: base.pos, len: sep.pos + 1 - base.pos };
      if (sep.kind !== ',') throw this.error(sep, `unexpected ${describe(sep)}: expected "," or "]" to close the "[" at column ${open.pos + 1}`);
    }
  }

  private parsePlainOperand(): Operand {
    const t = this.next();
    if (t.kind === 'string') return { kind: 'string', value: t.value!, raw: !!t.raw, pos: t.pos, len: t.len };
    // t is a word (startsOperand checked it)
    if (this.peek().kind === '(') {
      this.next();
      const a = this.peek();
      if (!startsOperand(a)) throw this.error(a, `unexpected ${describe(a)}: expected a field inside ${t.text}()`);
      const arg = this.parseOperand();
      const close = this.peek();
      if (close.kind === ',') throw this.error(close, `${t.text}() takes one argument`);
      if (close.kind !== ')') throw this.error(close, `unexpected ${describe(close)}: expected ")" after the argument of ${t.text}()`);
      this.next();
      return { kind: 'call', name: t.text, arg, nameSpan: span(t), pos: t.pos, len: close.pos + 1 - t.pos };
    }
    return { kind: 'word', text: t.text, pos: t.pos, len: t.len };
  }

  private parseSet(inTok: Token): { items: SetItem[]; end: number } {
    const open = this.next();
    if (open.kind !== '{') throw this.error(open, `unexpected ${describe(open)}: expected "{" after "${inTok.text}"`);
    const items: SetItem[] = [];
    while (true) {
      let t = this.peek();
      if (t.kind === '}') {
        if (items.length === 0) throw this.error(t, 'a set needs at least one value: {a b ...}');
        this.next();
        return { items, end: t.pos + 1 };
      }
      if (t.kind === ',' && items.length > 0) {
        this.next();
        t = this.peek();
      }
      if (!startsOperand(t) || isKeyword(t.text)) {
        throw this.error(t, `unexpected ${describe(t)}: expected a value or "}" in the set`);
      }
      const from = this.parseOperand();
      if (this.peek().kind === '..') {
        const dots = this.next();
        const r = this.peek();
        if (!startsOperand(r)) throw this.error(r, `unexpected ${describe(r)}: expected the end of the range after ".."`);
        void dots;
        const to = this.parseOperand();
        items.push({ from, to, pos: from.pos, len: to.pos + to.len - from.pos });
      } else {
        items.push({ from, pos: from.pos, len: from.len });
      }
    }
  }
}

/** "0:4", "2-5", "3", ":4", "4:", "-3:" -> a range; null for anything else. */
function parseRange(text: string): SliceRange | null {
  let m = /^(-?\d+)?:(\d+)?$/.exec(text);
  if (m) {
    if (m[1] === undefined && m[2] === undefined) return null;
    const start = m[1] === undefined ? 0 : Number(m[1]);
    return m[2] === undefined ? { start } : { start, length: Number(m[2]) };
  }
  m = /^(\d+)-(\d+)$/.exec(text);
  if (m) {
    const start = Number(m[1]);
    const end = Number(m[2]);
    return end >= start ? { start, length: end - start + 1 } : null;
  }
  m = /^-?\d+$/.exec(text);
  return m ? { start: Number(text), length: 1 } : null;
}

function startsOperand(t: Token): boolean {
  return t.kind === 'string' || (t.kind === 'word' && !['and', 'or', 'not', 'in', ...Object.keys(WORD_OPS)].includes(t.text.toLowerCase()));
}

function span(t: Token): Span {
  return { pos: t.pos, len: t.len };
}

function cover(a: Span, b: Span): Span {
  return { pos: a.pos, len: b.pos + b.len - a.pos };
}

/** How a token is named in messages: "=", "the end of the filter". */
function describe(t: Token): string {
  if (t.kind === 'end') return 'end of the filter';
  return `"${t.text}"`;
}
