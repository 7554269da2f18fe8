/**
 * Evaluation: a type-checked tree becomes a tree of closures, built once per
 * filter. Field values are taken lazily, the first time a test needs them,
 * and kept for the rest of that session (or exchange); regular expressions
 * were compiled by the type checker. Comparisons follow Wireshark 4: a test
 * on a field that has no value is false, `==` holds when any value matches,
 * `!=` when none does, `===` when all do, `~=` when any does not.
 */
import type { Session } from '../session/model.js';
import { FIELDS } from './fields.js';
import type { SliceRange } from './parser.js';
import type { Checked, Expr, SetMember } from './typecheck.js';
import { equal, formatIp, inCidr, order, type Cidr, type Ip, type Value } from './values.js';

/** One evaluation: a session, optionally narrowed to one exchange, and the values read so far. */
export class EvalContext {
  private readonly cache: Array<Value[] | undefined>;
  private contentCache?: Array<Value[] | undefined>;
  constructor(readonly session: Session, readonly exchange: number = -1, shared?: Array<Value[] | undefined>) {
    // Session-level values can be shared between the exchanges of one session.
    this.cache = new Array(FIELDS.length);
    this.shared = shared;
  }
  private readonly shared?: Array<Value[] | undefined>;

  get(slot: number): Value[] {
    let v = this.cache[slot];
    if (v === undefined) {
      const def = FIELDS[slot];
      if (this.exchange >= 0 && def.exchange) {
        v = def.exchange(this.session, this.exchange);
      } else if (this.shared) {
        v = this.shared[slot] ?? (this.shared[slot] = def.session(this.session));
      } else {
        v = def.session(this.session);
      }
      this.cache[slot] = v;
    }
    return v;
  }

  /** The text of a protocol (for contains / matches on it): the exchange's alone when narrowed to one. */
  content(slot: number): Value[] {
    this.contentCache ??= new Array(FIELDS.length);
    let v = this.contentCache[slot];
    if (v === undefined) {
      const def = FIELDS[slot];
      v = this.exchange >= 0 && def.exchangeContent ? def.exchangeContent(this.session, this.exchange) : def.content!(this.session);
      this.contentCache[slot] = v;
    }
    return v;
  }
}

export type Test = (ctx: EvalContext) => boolean;
type Getter = (ctx: EvalContext) => Value[];

type Operand = { kind: 'values'; get: Getter } | { kind: 'cidr'; cidr: Cidr };

export function compileTree(node: Checked): Test {
  switch (node.kind) {
    case 'and': {
      const a = compileTree(node.left);
      const b = compileTree(node.right);
      return (c) => a(c) && b(c);
    }
    case 'or': {
      const a = compileTree(node.left);
      const b = compileTree(node.right);
      return (c) => a(c) || b(c);
    }
    case 'not': {
      const a = compileTree(node.operand);
      return (c) => !a(c);
    }
    case 'exists': {
      const get = getter(node.expr);
      return (c) => get(c).length > 0;
    }
    case 'flag': {
      // A boolean field of ours is a flag: bare, it asks "is it true?" (auth.failed, tcp.analysis.retransmission).
      const get = getter(node.expr);
      return (c) => get(c).includes(true);
    }
    case 'matches': {
      const get = getter(node.left);
      const re = node.regex;
      return (c) => {
        const vs = get(c);
        for (let i = 0; i < vs.length; i++) if (re.test(vs[i] as string)) return true;
        return false;
      };
    }
    case 'in':
      return membership(getter(node.left), node.members, node.negated);
    case 'compare':
      return comparison(node.op, getter(node.left), operand(node.right));
  }
}

function getter(e: Expr): Getter {
  switch (e.kind) {
    case 'field': {
      const slot = e.slot;
      if (e.caseless) return (c) => c.get(slot).map((v) => (v as string).toLowerCase());
      return (c) => c.get(slot);
    }
    case 'content': {
      const slot = e.slot;
      return (c) => c.content(slot);
    }
    case 'slice': {
      const arg = getter(e.arg);
      const ranges = e.ranges;
      return (c) => {
        const out: Value[] = [];
        for (const v of arg(c)) {
          const cut = sliceOf(v as string, ranges);
          if (cut !== null) out.push(cut);
        }
        return out;
      };
    }
    case 'const': {
      const one = [e.value];
      return () => one;
    }
    case 'cidr':
      throw new Error('a network range is not a value'); // typecheck keeps ranges to the right of comparisons
    case 'call': {
      const arg = getter(e.arg);
      switch (e.fn) {
        case 'count': return (c) => [arg(c).length];
        case 'len': return (c) => arg(c).map((v) => (v as string).length);
        case 'lower': return (c) => arg(c).map((v) => (v as string).toLowerCase());
        case 'upper': return (c) => arg(c).map((v) => (v as string).toUpperCase());
        case 'string': return (c) => arg(c).map(stringOf);
        case 'max': return (c) => extreme(arg(c), 1);
        case 'min': return (c) => extreme(arg(c), -1);
        case 'abs': return (c) => arg(c).map((v) => Math.abs(v as number));
      }
    }
  }
}

/**
 * The characters a slice takes from a text, or null when a range starts
 * past its end (Wireshark: the field has no such bytes, so the test is false).
 */
function sliceOf(text: string, ranges: readonly SliceRange[]): string | null {
  let out = '';
  for (const r of ranges) {
    const start = r.start < 0 ? text.length + r.start : r.start;
    if (start < 0 || start >= text.length) return null;
    const end = r.length === undefined ? text.length : start + r.length;
    if (end > text.length) return null;
    out += text.slice(start, end);
  }
  return out;
}

/** string(): a value as Wireshark writes it (addresses in their usual form). */
function stringOf(v: Value): string {
  if (typeof v === 'object') return formatIp(v);
  return String(v);
}

/** max() / min(): one value, the largest (sign 1) or smallest (-1); none of none. */
function extreme(vs: Value[], sign: 1 | -1): Value[] {
  if (vs.length === 0) return vs;
  let best = vs[0] as number;
  for (let i = 1; i < vs.length; i++) if (((vs[i] as number) - best) * sign > 0) best = vs[i] as number;
  return [best];
}

function operand(e: Expr): Operand {
  return e.kind === 'cidr' ? { kind: 'cidr', cidr: e.value } : { kind: 'values', get: getter(e) };
}

type Pred = (a: Value, b: Value) => boolean;

const PREDICATES: Record<string, Pred> = {
  '==': equal,
  '!=': equal, // negated below
  '===': equal,
  '~=': equal, // negated below
  '>': (a, b) => order(a, b) > 0,
  '>=': (a, b) => order(a, b) >= 0,
  '<': (a, b) => order(a, b) < 0,
  '<=': (a, b) => order(a, b) <= 0,
  contains: (a, b) => (a as string).includes(b as string),
};

function comparison(op: string, left: Getter, right: Operand): Test {
  const pred: Pred = right.kind === 'cidr' ? ((cidr) => (a: Value) => inCidr(a as Ip, cidr))(right.cidr) : PREDICATES[op];
  const rget: Getter = right.kind === 'cidr' ? (() => [0]) : right.get;
  switch (op) {
    case '!=': // all not equal: present, and no pair equal
      return (c) => {
        const l = left(c);
        const r = rget(c);
        return l.length > 0 && r.length > 0 && !anyPair(l, r, pred);
      };
    case '===': // all equal
      return (c) => {
        const l = left(c);
        const r = rget(c);
        return l.length > 0 && r.length > 0 && allPairs(l, r, pred);
      };
    case '~=': // any not equal
      return (c) => {
        const l = left(c);
        const r = rget(c);
        return l.length > 0 && r.length > 0 && !allPairs(l, r, pred);
      };
    default:
      return (c) => anyPair(left(c), rget(c), pred);
  }
}

function anyPair(l: Value[], r: Value[], pred: Pred): boolean {
  for (let i = 0; i < l.length; i++) for (let j = 0; j < r.length; j++) if (pred(l[i], r[j])) return true;
  return false;
}

function allPairs(l: Value[], r: Value[], pred: Pred): boolean {
  for (let i = 0; i < l.length; i++) for (let j = 0; j < r.length; j++) if (!pred(l[i], r[j])) return false;
  return true;
}

function membership(left: Getter, members: SetMember[], negated: boolean): Test {
  const inSet = (v: Value): boolean => {
    for (const m of members) {
      if (m.kind === 'value' ? equal(v, m.value) : m.kind === 'range' ? (v as number) >= m.lo && (v as number) <= m.hi : inCidr(v as Ip, m.value)) return true;
    }
    return false;
  };
  if (negated) {
    return (c) => {
      const vs = left(c);
      return vs.length > 0 && !vs.some(inSet);
    };
  }
  return (c) => left(c).some(inSet);
}
