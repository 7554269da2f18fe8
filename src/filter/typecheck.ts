/**
 * Type checking: resolves every word of the AST (a field, or a literal read
 * by the type of the other side, as Wireshark does: 10.0.0.0/8 next to
 * ip.addr is a network, MAIL next to smtp.req.command is a string), checks
 * that each operator suits its operands, compiles regular expressions, and
 * reports every problem as a FilterError before anything is evaluated.
 */
import { FilterError, closestNames, orList } from './errors.js';
import { FIELDS, FIELD_NAMES, fieldSlot, typeName, type FieldType } from './fields.js';
import type { CompareOp, Node, Operand, SetItem, SliceRange, Span } from './parser.js';
import { parseCidr, parseIp, type Cidr, type Value } from './values.js';
import { offsetSecondsAt } from '../util/display-zone.js';

/** Wireshark 4.0's display-filter functions. */
export type FunctionName = 'len' | 'lower' | 'upper' | 'count' | 'string' | 'max' | 'min' | 'abs';

/** A resolved operand: a field, a protocol's text, a function of one, a slice, or a constant. */
export type Expr =
  /** caseless: values and the constants compared with them are taken in lower case. */
  | { kind: 'field'; slot: number; type: FieldType; text: string; caseless: boolean }
  /** The text a protocol carried (frame contains "x", smtp matches "..."). */
  | { kind: 'content'; slot: number; type: 'string'; text: string }
  | { kind: 'call'; fn: FunctionName; arg: Expr; type: FieldType; text: string }
  | { kind: 'slice'; arg: Expr; ranges: SliceRange[]; type: 'string'; text: string }
  | { kind: 'const'; value: Value; type: FieldType }
  | { kind: 'cidr'; value: Cidr; type: FieldType };

export type SetMember = { kind: 'value'; value: Value } | { kind: 'range'; lo: number; hi: number } | { kind: 'cidr'; value: Cidr };

export type Checked =
  | { kind: 'and' | 'or'; left: Checked; right: Checked }
  | { kind: 'not'; operand: Checked }
  /** A bare field: present. */
  | { kind: 'exists'; expr: Expr }
  /** A bare boolean field of ours: some value true (auth.failed, tcp.analysis.retransmission). */
  | { kind: 'flag'; expr: Expr }
  /** caseless: both sides are compared in lower case (the left's values are lowered by its getter). */
  | { kind: 'compare'; op: Exclude<CompareOp, 'matches'>; left: Expr; right: Expr }
  | { kind: 'matches'; left: Expr; regex: RegExp }
  | { kind: 'in'; negated: boolean; left: Expr; members: SetMember[] };

/** What each function takes and gives: 'string' / 'number' arguments, 'any' a field of any type. */
const FUNCTIONS: Record<FunctionName, { result: FieldType | 'same'; takes: 'string' | 'number' | 'any' }> = {
  len: { result: 'number', takes: 'string' },
  lower: { result: 'string', takes: 'string' },
  upper: { result: 'string', takes: 'string' },
  count: { result: 'number', takes: 'any' },
  string: { result: 'string', takes: 'any' },
  max: { result: 'same', takes: 'number' },
  min: { result: 'same', takes: 'number' },
  abs: { result: 'same', takes: 'number' },
};
const FUNCTION_LIST = 'len, count, lower, upper, string, max, min and abs';

export interface CheckOptions {
  /** Secrets are in the sessions (--show-secrets): comparisons on secret fields can match. */
  secretsShown?: boolean;
}

export interface CheckResult {
  tree: Checked;
  /** Slots of the fields the filter reads. */
  slots: Set<number>;
}

export function typecheck(text: string, node: Node, options: CheckOptions = {}): CheckResult {
  const c = new Checker(text, options.secretsShown ?? false);
  return { tree: c.node(node), slots: c.slots };
}

/** A literal as it will be described in messages: "a string", "the number 25". */
function literalKind(e: Expr): string {
  if (e.kind === 'cidr') return 'a network range';
  return typeName(e.type);
}

class Checker {
  readonly slots = new Set<number>();
  constructor(private readonly text: string, private readonly secretsShown: boolean) {}

  private fail(message: string, at: Span, suggestions: string[] = []): never {
    throw new FilterError(message, this.text, at.pos, at.len, suggestions);
  }
  private src(at: Span): string {
    return this.text.slice(at.pos, at.pos + at.len);
  }

  node(n: Node): Checked {
    switch (n.kind) {
      case 'and': case 'or':
        return { kind: n.kind, left: this.node(n.left), right: this.node(n.right) };
      case 'not':
        return { kind: 'not', operand: this.node(n.operand) };
      case 'exists': {
        const expr = this.subject(n.operand, null);
        // tcp.flags.syn is on every TCP packet: bare, it is a presence test (Wireshark); == 1 asks for the flag.
        if (expr.type === 'boolean' && !(expr.kind === 'field' && FIELDS[expr.slot].everyPacket)) return { kind: 'flag', expr };
        return { kind: 'exists', expr };
      }
      case 'compare':
        return this.compare(n);
      case 'in':
        return this.membership(n);
    }
  }

  /** The left side of a test, or the argument of a function: a field or a function call, never a literal. */
  private subject(o: Operand, op: string | null): Expr {
    if (o.kind === 'string') {
      this.fail(op ? `the left side of "${op}" must be a field, not the string ${this.src(o)}` : `${this.src(o)} is a value, not a test: compare a field with it, e.g. smtp.req.command == ${this.src(o)}`, o);
    }
    if (o.kind === 'call') return this.call(o);
    if (o.kind === 'slice') return this.slice(o);
    const slot = fieldSlot(o.text);
    if (slot >= 0) return this.field(slot, o.text);
    if (looksLikeValue(o.text)) {
      this.fail(op ? `the left side of "${op}" must be a field, not the value ${o.text}` : `${o.text} is a value, not a test: compare a field with it, e.g. smtp.response.code == ${o.text}`, o);
    }
    this.unknownField(o.text, o);
  }

  private unknownField(name: string, at: Span): never {
    const suggestions = closestNames(name, FIELD_NAMES);
    const hint = suggestions.length ? ` (did you mean ${orList(suggestions)}?)` : ' (mailscope fields lists them)';
    this.fail(`"${name}" is not a valid field${hint}`, at, suggestions);
  }

  private field(slot: number, name: string): Expr {
    this.slots.add(slot);
    return { kind: 'field', slot, type: FIELDS[slot].type, text: name, caseless: FIELDS[slot].caseless ?? false };
  }

  /** smtp.req.parameter[0:4]: characters of a text field (Wireshark slices bytes; our text is as the wire had it). */
  private slice(o: Extract<Operand, { kind: 'slice' }>): Expr {
    const arg = this.subject(o.base, null);
    if (arg.type !== 'string') this.fail(`a slice ("[...]") takes text; ${this.src(o.base)} is ${typeName(arg.type)}`, o.base);
    return { kind: 'slice', arg, ranges: o.ranges, type: 'string', text: this.src(o) };
  }

  /** A comparison of a secret's value cannot match while secrets are hidden: say so, rather than match nothing. */
  private checkSecret(left: Expr, at: Span): void {
    if (this.secretsShown) return;
    let e = left;
    while (e.kind === 'call' || e.kind === 'slice') e = e.arg;
    if (e.kind !== 'field' || !FIELDS[e.slot].secret) return;
    this.fail(`${e.text} is hidden: secrets read as "<redacted>" unless --show-secrets is given, so this test could never match; ` +
      `test its presence (${e.text}) or add --show-secrets`, at);
  }

  private call(o: Extract<Operand, { kind: 'call' }>): Expr {
    const fn = o.name.toLowerCase() as FunctionName;
    const def = FUNCTIONS[fn];
    if (!def) this.fail(`"${o.name}" is not a function (the functions are ${FUNCTION_LIST})`, o.nameSpan);
    if (o.arg.kind === 'string' || (o.arg.kind === 'word' && fieldSlot(o.arg.text) < 0 && looksLikeValue(o.arg.text))) {
      this.fail(`${fn}() takes a field, not a value`, o.arg);
    }
    const arg = this.subject(o.arg, null);
    if (fn === 'count' && arg.kind !== 'field') this.fail('count() takes a field', o.arg);
    if (arg.type === 'protocol' && fn !== 'count') this.fail(`${fn}() takes a field; ${this.src(o.arg)} is a protocol`, o.arg);
    if (def.takes === 'string' && arg.type !== 'string') {
      this.fail(`${fn}() takes a string; ${this.src(o.arg)} is ${typeName(arg.type)}`, o.arg);
    }
    if (def.takes === 'number' && arg.type !== 'number' && arg.type !== 'time') {
      this.fail(`${fn}() takes a number; ${this.src(o.arg)} is ${typeName(arg.type)}`, o.arg);
    }
    return { kind: 'call', fn, arg, type: def.result === 'same' ? arg.type : def.result, text: this.src(o) };
  }

  /** The right side of a comparison, read by the type of the left side. */
  private value(o: Operand, want: FieldType, left: Expr, opText: string): Expr {
    if (o.kind === 'call') return this.call(o);
    if (o.kind === 'slice') return this.slice(o);
    const lowered = left.kind === 'field' && left.caseless;
    if (o.kind === 'string') {
      if (want === 'string') return { kind: 'const', value: lowered ? o.value.toLowerCase() : o.value, type: 'string' };
      if (want === 'ether') return this.ether(o.value, o, opText, left);
      if (want === 'time') {
        const t = parseTime(o.value);
        if (t === null) this.fail(`${this.src(o)} is not a time: write it as "2026-11-25 12:37:20" or "Nov 25, 2026 12:37:20" (UTC; seconds and a fraction optional), or add an offset such as +01:00`, o);
        return { kind: 'const', value: t, type: 'time' };
      }
      this.mismatch(opText, left, 'a string', o);
    }
    const word = o.text;
    const slot = fieldSlot(word);
    if (slot >= 0) return this.field(slot, word);
    switch (want) {
      case 'string': {
        // Bytes written in hex, as Wireshark takes them: frame contains 0d:0a:2e, smtp.req.parameter[0:4] == 46:52:4f:4d.
        const bytes = parseHexBytes(word);
        if (bytes !== null) return { kind: 'const', value: lowered ? bytes.toLowerCase() : bytes, type: 'string' };
        // Wireshark reads an unquoted word that is not a field as a string: smtp.req.command == MAIL.
        return { kind: 'const', value: lowered ? word.toLowerCase() : word, type: 'string' };
      }
      case 'number': {
        const n = parseNumber(word);
        if (n !== null) return { kind: 'const', value: n, type: 'number' };
        break;
      }
      case 'boolean': {
        const b = parseBoolean(word);
        if (b !== null) return { kind: 'const', value: b, type: 'boolean' };
        break;
      }
      case 'ipv4': case 'ipv6': case 'address': {
        const family = want === 'ipv4' ? 4 : want === 'ipv6' ? 6 : 0;
        const ip = parseIp(word);
        const cidr = ip ? null : parseCidr(word);
        const got = ip ?? cidr;
        if (got) {
          if (family && got.family !== family) this.mismatch(opText, left, got.family === 4 ? 'an IPv4 address' : 'an IPv6 address', o);
          return ip ? { kind: 'const', value: ip, type: ip.family === 4 ? 'ipv4' : 'ipv6' } : { kind: 'cidr', value: cidr!, type: cidr!.family === 4 ? 'ipv4' : 'ipv6' };
        }
        break;
      }
      case 'time': {
        // Seconds since 1970, as Wireshark's frame.time_epoch takes them.
        const n = parseNumber(word);
        if (n !== null) return { kind: 'const', value: n, type: 'time' };
        break;
      }
      case 'ether':
        return this.ether(word, o, opText, left);
      case 'protocol':
        break;
    }
    // Not a field, and not a value of the wanted type.
    if (want !== 'number' && parseNumber(word) !== null) this.mismatch(opText, left, 'a number', o);
    if (want !== 'ipv4' && want !== 'ipv6' && want !== 'address' && (parseIp(word) || parseCidr(word))) {
      this.mismatch(opText, left, parseIp(word) ? (parseIp(word)!.family === 4 ? 'an IPv4 address' : 'an IPv6 address') : 'a network range', o);
    }
    const suggestions = closestNames(word, FIELD_NAMES);
    const hint = suggestions.length ? ` (did you mean ${orList(suggestions)}?)` : '';
    this.fail(`"${word}" is neither a field nor ${typeName(want)}${hint}`, o, suggestions);
  }

  /** An Ethernet address as Wireshark writes it (00:1a:2b:3c:4d:5e, 00-1a-..., 001a.2b3c.4d5e), as the text the fields hold. */
  private ether(word: string, o: Span, opText: string, left: Expr): Expr {
    const hex = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/i.test(word) ? word.replace(/[:-]/g, '')
      : /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(word) ? word.replace(/\./g, '') : null;
    if (hex === null) this.mismatch(opText, left, `"${word}" (write an Ethernet address as 00:1a:2b:3c:4d:5e)`, o);
    return { kind: 'const', value: hex.toLowerCase().replace(/(..)(?!$)/g, '$1:'), type: 'ether' };
  }

  private mismatch(opText: string, left: Expr, what: string, at: Span): never {
    this.fail(`"${opText}" cannot compare ${describeExpr(left)} with ${what}`, at);
  }

  private compare(n: Extract<Node, { kind: 'compare' }>): Checked {
    const opText = n.opText;
    let left = this.subject(n.left, opText);
    if (left.type === 'protocol' && (n.op === 'contains' || n.op === 'matches') && left.kind === 'field' && FIELDS[left.slot].content) {
      left = { kind: 'content', slot: left.slot, type: 'string', text: left.text };
    }
    const lt = left.type;
    if (lt !== 'protocol') this.checkSecret(left, n.opSpan);
    if (lt === 'protocol') {
      this.fail(`${describeExpr(left).replace(' (a protocol)', '')} is a protocol: it can only be tested for presence ("${left.kind === 'field' ? left.text : ''}" or "!${left.kind === 'field' ? left.text : ''}")`, n.left);
    }
    if (n.op === 'matches') {
      if (lt !== 'string') this.fail(`"${opText}" cannot compare ${describeExpr(left)} with a regular expression`, n.opSpan);
      if (n.right.kind !== 'string') this.fail(`"${opText}" needs a regular expression in double quotes, e.g. "^5\\\\.7\\\\."`, n.right);
      const caseless = left.kind === 'field' && left.caseless;
      return { kind: 'matches', left, regex: this.regex(n.right.value, n.right, caseless) };
    }
    if (n.op === 'contains' && lt !== 'string') {
      const right = n.right.kind === 'string' ? 'a string' : rightDescription(n.right, lt);
      this.fail(`"${opText}" cannot compare ${describeExpr(left)} with ${right}`, n.opSpan);
    }
    if ((n.op === '>' || n.op === '>=' || n.op === '<' || n.op === '<=') && lt === 'boolean') {
      this.fail(`"${opText}" cannot order ${describeExpr(left)}: a boolean is only equal or not equal`, n.opSpan);
    }
    const right = this.value(n.right, lt, left, opText);
    if (right.kind === 'field' || right.kind === 'call') {
      if (!compatible(lt, right.type)) this.fail(`"${opText}" cannot compare ${describeExpr(left)} with ${describeExpr(right)}`, n.right);
    }
    if (right.kind === 'cidr' && n.op !== '==' && n.op !== '!=' && n.op !== '===' && n.op !== '~=') {
      this.fail(`"${opText}" cannot compare ${describeExpr(left)} with a network range: use == or in`, n.right);
    }
    return { kind: 'compare', op: n.op, left, right };
  }

  private membership(n: Extract<Node, { kind: 'in' }>): Checked {
    const opText = n.negated ? 'not in' : 'in';
    const left = this.subject(n.left, opText);
    if (left.type === 'protocol') this.fail(`${this.src(n.left)} is a protocol: it can only be tested for presence`, n.left);
    this.checkSecret(left, n.opSpan);
    const members = n.items.map((item) => this.member(item, left, opText));
    return { kind: 'in', negated: n.negated, left, members };
  }

  private member(item: SetItem, left: Expr, opText: string): SetMember {
    const one = (o: Operand): Expr => {
      const e = this.value(o, left.type, left, opText);
      if (e.kind === 'field' || e.kind === 'call') this.fail('a set holds values, not fields', o);
      return e;
    };
    const from = one(item.from);
    if (!item.to) return from.kind === 'cidr' ? { kind: 'cidr', value: from.value } : { kind: 'value', value: (from as { value: Value }).value };
    if (left.type !== 'number') this.fail(`a range ("..") needs numbers; ${describeExpr(left)} is not a number`, item);
    const to = one(item.to);
    const lo = (from as { value: number }).value;
    const hi = (to as { value: number }).value;
    if (lo > hi) this.fail(`the range ${this.src(item)} is empty: its start is above its end`, item);
    return { kind: 'range', lo, hi };
  }

  /**
   * A Wireshark (PCRE2) regular expression as a JavaScript RegExp. "(?i)" at
   * the start becomes the i flag (JavaScript in Node 20 has no inline flags);
   * any other inline flag group is refused rather than misread.
   */
  private regex(source: string, at: Span, caseless = false): RegExp {
    let body = source;
    let flags = caseless ? 'i' : '';
    const lead = /^\(\?([imsx]+)\)/.exec(body);
    if (lead) {
      for (const f of lead[1]) {
        if (f === 'i' || f === 's' || f === 'm') flags += flags.includes(f) ? '' : f;
        else this.fail(`the inline flag "(?${f})" is not supported (supported at the start: (?i), (?s), (?m))`, at);
      }
      body = body.slice(lead[0].length);
    }
    const inline = /\(\?[a-zA-Z-]+[:)]/.exec(body);
    if (inline) this.fail(`inline flags such as "${inline[0]}" are supported only at the start of the expression`, at);
    try {
      return new RegExp(body, flags);
    } catch (err) {
      const msg = String((err as Error).message).replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
      return this.fail(`invalid regular expression: ${msg}`, at);
    }
  }
}

function compatible(a: FieldType, b: FieldType): boolean {
  if (a === b) return true;
  const ip = (t: FieldType) => t === 'ipv4' || t === 'ipv6' || t === 'address';
  return ip(a) && ip(b) && (a === 'address' || b === 'address');
}

function describeExpr(e: Expr): string {
  if (e.kind === 'field' || e.kind === 'call' || e.kind === 'slice' || e.kind === 'content') return `${e.text} (${typeName(e.type)})`;
  return literalKind(e);
}

/** How the right side is named in a message about an operator that does not suit the left side. */
function rightDescription(o: Operand, _left: FieldType): string {
  if (o.kind === 'call') return 'a function';
  if (o.kind === 'slice') return 'a slice';
  if (o.kind === 'string') return 'a string';
  if (fieldSlot(o.text) >= 0) return `${o.text} (${typeName(FIELDS[fieldSlot(o.text)].type)})`;
  if (parseNumber(o.text) !== null) return 'a number';
  const ip = parseIp(o.text);
  if (ip) return ip.family === 4 ? 'an IPv4 address' : 'an IPv6 address';
  return 'a string';
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A time in quotes, in the --tz zone (UTC by default) unless a zone is given, in the forms Wireshark
 * takes and shows: "2026-11-25 12:37:20", "2026-11-25T12:37:20.5Z",
 * "2026-11-25 13:37 +01:00", "Nov 25, 2026 12:37:20.123456789" (frame.time
 * as tshark prints it; "UTC" may follow), or a day alone ("2026-11-25",
 * "Nov 25, 2026": its midnight). Seconds since 1970, or null.
 */
export function parseTime(text: string): number | null {
  const iso = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?\s*$/i.exec(text);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone = ''] = iso;
    return toSeconds(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec), frac, zone);
  }
  // Wireshark's own form: "Nov 25, 2026 12:37:20.123456789" (month names in English, as tshark prints them).
  const ws = /^\s*([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$/.exec(text);
  if (ws) {
    const month = MONTHS.indexOf(ws[1].toLowerCase()) + 1;
    if (month === 0) return null;
    const [, , d, y, h = '0', mi = '0', sec = '0', frac = '', zone = ''] = ws;
    return toSeconds(Number(y), month, Number(d), Number(h), Number(mi), Number(sec), frac, zone);
  }
  return null;
}

function toSeconds(y: number, mo: number, d: number, h: number, mi: number, sec: number, frac: string, zone: string): number | null {
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || sec > 60) return null;
  let offset = 0;
  // No zone written: the zone times are shown in (--tz; UTC by default), at that instant.
  if (zone === '') offset = offsetSecondsAt(ms / 1000);
  else if (!/^(Z|UTC|GMT)$/i.test(zone)) {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 3600 + Number(z[3]) * 60);
  }
  // In nanoseconds first, as session.start is (parseIso), so that equal times give equal numbers.
  const fracNs = frac ? BigInt((frac.slice(1) + '000000000').slice(0, 9)) : 0n;
  return Number(BigInt(ms) * 1_000_000n + fracNs - BigInt(offset) * 1_000_000_000n) / 1e9;
}

/** "0d:0a", "46.52.4f", "46-52": bytes in hex as Wireshark writes them (two or more), as latin1 text; null otherwise. */
function parseHexBytes(word: string): string | null {
  if (!/^[0-9a-f]{2}(?:([:.-])[0-9a-f]{2})(?:\1[0-9a-f]{2})*$/i.test(word)) return null;
  return String.fromCharCode(...word.split(/[:.-]/).map((h) => parseInt(h, 16)));
}

/** 250, 0xfa, 1.5 (durations); null for anything else. */
export function parseNumber(word: string): number | null {
  if (/^-?\d+$/.test(word)) return Number(word);
  if (/^0x[0-9a-f]+$/i.test(word)) return parseInt(word.slice(2), 16);
  if (/^-?\d+\.\d+$/.test(word)) return Number(word);
  return null;
}

function parseBoolean(word: string): boolean | null {
  const w = word.toLowerCase();
  if (w === 'true' || w === '1') return true;
  if (w === 'false' || w === '0') return false;
  return null;
}

function looksLikeValue(word: string): boolean {
  return parseNumber(word) !== null || parseIp(word) !== null || parseCidr(word) !== null;
}
