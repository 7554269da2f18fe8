/**
 * A display filter as a SQL condition over the store's field columns
 * (columns.ts): the same engine's checked tree (filter/typecheck.ts), turned
 * into arrayExists / arrayAll over each field's values, with Wireshark 4's
 * meaning of each operator (== any equal, != none equal, === all equal,
 * ~= some not equal), exactly as filter/evaluate.ts reads it.
 *
 * What has no exact SQL form (functions but count(), slices, `matches` (RE2 is not
 * JavaScript's regular expressions), contains on a protocol's text, text
 * ordering (bytes in SQL, UTF-16 units here), a field compared with a field,
 * a field the store has no column for) becomes TRUE where that only widens
 * the result: the condition then selects candidates, a superset, and the
 * caller runs the whole filter in process on them. `exact` says whether it
 * needs to; `untranslated` names the parts, so the user can be told.
 */
import { FIELDS } from '../filter/fields.js';
import { parse } from '../filter/parser.js';
import { typecheck, type CheckOptions, type Checked, type Expr, type SetMember } from '../filter/typecheck.js';
import type { Cidr, Value } from '../filter/values.js';
import { encodeIp, encodeValue, storedField } from './columns.js';
import { ident, sqlString } from './schema.js';

export interface SqlFilter {
  /** A condition for WHERE: exact, or a superset of the sessions that match. */
  where: string;
  /** The condition selects exactly the matching sessions. */
  exact: boolean;
  /** The parts of the filter the condition does not decide, as written. */
  untranslated: string[];
}

interface Part {
  sql: string;
  exact: boolean;
}

const ALL: Part = { sql: '1', exact: false };

/** Translates a filter (throws FilterError as compileFilter does). An empty filter is TRUE, exactly. */
export function filterToSql(expression: string, options: CheckOptions = {}): SqlFilter {
  if (expression.trim() === '') return { where: '1', exact: true, untranslated: [] };
  const { tree } = typecheck(expression, parse(expression), options);
  const untranslated: string[] = [];
  const part = translate(tree, (what) => untranslated.push(what));
  return { where: part.sql, exact: part.exact, untranslated };
}

function translate(node: Checked, skip: (what: string) => void): Part {
  switch (node.kind) {
    case 'and': {
      const a = translate(node.left, skip);
      const b = translate(node.right, skip);
      return { sql: `(${a.sql} AND ${b.sql})`, exact: a.exact && b.exact };
    }
    case 'or': {
      const a = translate(node.left, skip);
      const b = translate(node.right, skip);
      return { sql: `(${a.sql} OR ${b.sql})`, exact: a.exact && b.exact };
    }
    case 'not': {
      // The negation of a superset is not a superset of the negation: only an exact part can be negated.
      const a = translate(node.operand, skip);
      return a.exact ? { sql: `NOT ${a.sql}`, exact: true } : ALL;
    }
    case 'exists': {
      const col = columnFor(node.expr, skip);
      return col ? { sql: `notEmpty(${col})`, exact: true } : ALL;
    }
    case 'flag': {
      const col = columnFor(node.expr, skip);
      return col ? { sql: `has(${col}, 1)`, exact: true } : ALL;
    }
    case 'matches':
      skip(`${exprText(node.left)} matches (a JavaScript regular expression)`);
      return ALL;
    case 'in': {
      const col = columnFor(node.left, skip);
      if (!col || node.left.kind !== 'field') return ALL;
      const type = node.left.type;
      const test = node.members.map((m) => memberTest(m, type)).join(' OR ');
      const any = `arrayExists(x -> ${test}, ${col})`;
      return { sql: node.negated ? `(notEmpty(${col}) AND NOT ${any})` : any, exact: true };
    }
    case 'compare':
      return comparison(node, skip);
  }
}

function comparison(node: Extract<Checked, { kind: 'compare' }>, skip: (what: string) => void): Part {
  const { op, left, right } = node;
  const counted = countOf(node);
  if (counted) return counted;
  const col = columnFor(left, skip);
  if (!col || left.kind !== 'field') return ALL;
  let pred: string;
  if (right.kind === 'cidr') {
    pred = cidrTest('x', right.value);
  } else if (right.kind === 'const') {
    const ordering = op === '>' || op === '>=' || op === '<' || op === '<=';
    if (ordering && (left.type === 'string' || left.type === 'ether')) {
      skip(`${left.text} ${op} (text order)`);
      return ALL;
    }
    const c = literal(left.type, right.value);
    switch (op) {
      case '==': case '!=': case '===': case '~=': pred = `x = ${c}`; break;
      case 'contains': pred = `position(x, ${c}) > 0`; break;
      default:
        pred = `x ${op} ${c}`;
        // Addresses of different families do not compare: the text "4:..." would sort before "6:...".
        if (typeof right.value === 'object') pred = `(substring(x, 1, 2) = '${right.value.family}:' AND ${pred})`;
    }
  } else {
    skip(`${left.text} ${op} ${exprText(right)}`);
    return ALL;
  }
  const any = `arrayExists(x -> ${pred}, ${col})`;
  switch (op) {
    case '!=': return { sql: `(notEmpty(${col}) AND NOT ${any})`, exact: true };
    case '===': return { sql: `(notEmpty(${col}) AND arrayAll(x -> ${pred}, ${col}))`, exact: true };
    case '~=': return { sql: `(notEmpty(${col}) AND NOT arrayAll(x -> ${pred}, ${col}))`, exact: true };
    default: return { sql: any, exact: true };
  }
}

/** count(field) OP number: the length of the field's column (one value, so every operator reads plainly). */
function countOf(node: Extract<Checked, { kind: 'compare' }>): Part | null {
  const { op, left, right } = node;
  if (left.kind !== 'call' || left.fn !== 'count' || left.arg.kind !== 'field' || right.kind !== 'const' || typeof right.value !== 'number') return null;
  const stored = storedField(left.arg.slot);
  const sqlOp = op === '==' || op === '===' ? '=' : op === '!=' || op === '~=' ? '!=' : op === 'contains' ? null : op;
  if (!stored || sqlOp === null) return null;
  return { sql: `length(${ident(stored.column)}) ${sqlOp} ${num(right.value)}`, exact: true };
}

/** The column of a plain field the store keeps, or null (and the part is named as untranslated). */
function columnFor(e: Expr, skip: (what: string) => void): string | null {
  if (e.kind !== 'field') {
    skip(exprText(e));
    return null;
  }
  const stored = storedField(e.slot);
  if (!stored) {
    skip(`${e.text} (${FIELDS[e.slot].secret ? 'a secret: not stored' : 'not stored'})`);
    return null;
  }
  return ident(stored.column);
}

function memberTest(m: SetMember, type: Expr['type']): string {
  if (m.kind === 'range') return `(x >= ${num(m.lo)} AND x <= ${num(m.hi)})`;
  if (m.kind === 'cidr') return cidrTest('x', m.value);
  return `x = ${literal(type, m.value)}`;
}

/** Membership of a network: the stored hex text between the network's first and last address. */
function cidrTest(x: string, c: Cidr): string {
  const bits = c.family === 4 ? 32 : 128;
  const host = (1n << BigInt(bits - c.prefix)) - 1n;
  const lo = encodeIp({ family: c.family, n: c.net });
  const hi = encodeIp({ family: c.family, n: c.net | host });
  return `(${x} >= ${sqlString(lo)} AND ${x} <= ${sqlString(hi)})`;
}

function literal(type: Expr['type'], v: Value): string {
  const e = encodeValue(type, v);
  return typeof e === 'number' ? num(e) : sqlString(e);
}

/** A number as SQL: JavaScript's shortest round-trip text, which ClickHouse reads back exactly. */
function num(n: number): string {
  return String(n);
}

function exprText(e: Expr): string {
  return 'text' in e ? e.text : 'a value';
}
