/**
 * The filter fields a session store keeps as columns: for each field of the
 * display-filter registry, the values the filter engine itself reads from a
 * session (FieldDef.session), so that a filter translated to SQL compares
 * exactly what the in-process filter compares. One array column per field
 * ("f_smtp__response__code" for smtp.response.code): most fields have
 * several values a session (one per reply, per message...).
 *
 * Left out: secret fields (the store keeps sessions as read, secrets
 * redacted unless the indexer was given --show-secrets; a filter on one runs
 * in process). Values are encoded for SQL as filter-sql.ts expects them:
 * numbers and times as Float64 (ClickHouse parses the shortest round-trip
 * text JavaScript writes exactly: checked over 20,000 values), booleans and
 * protocol presence as UInt8, addresses as "4:" / "6:" and the address in
 * fixed-width hex (so that text order is address order within a family),
 * Ethernet addresses and strings as text; fields compared without regard to
 * case are stored lower-cased, as the engine lowers them.
 */
import { FIELDS, type FieldDef, type FieldType } from '../filter/fields.js';
import type { Session } from '../session/model.js';
import type { Ip, Value } from '../filter/values.js';

export interface StoredField {
  /** The filter field's name (smtp.response.code). */
  name: string;
  /** Its slot in the registry. */
  slot: number;
  type: FieldType;
  column: string;
  /** ClickHouse type of the column. */
  sqlType: string;
}

/** The column of a field: "f_" and the name with dots as "__" and dashes as "_". */
export function columnOf(name: string): string {
  return `f_${name.replace(/\./g, '__').replace(/-/g, '_')}`;
}

function sqlTypeOf(type: FieldType): string {
  switch (type) {
    case 'number': case 'time': return 'Array(Float64)';
    case 'boolean': case 'protocol': return 'Array(UInt8)';
    default: return 'Array(String)';
  }
}

/** Every stored field, in registry order. */
export const STORED_FIELDS: readonly StoredField[] = FIELDS.flatMap((def, slot) => (def.secret
  ? []
  : [{ name: def.name, slot, type: def.type, column: columnOf(def.name), sqlType: sqlTypeOf(def.type) }]));

const bySlot = new Map(STORED_FIELDS.map((f) => [f.slot, f]));

export function storedField(slot: number): StoredField | undefined {
  return bySlot.get(slot);
}

/** An address as stored: family, then the address in fixed-width hex. */
export function encodeIp(ip: Ip): string {
  return `${ip.family}:${ip.n.toString(16).padStart(ip.family === 4 ? 8 : 32, '0')}`;
}

/** A value as its column holds it. */
export function encodeValue(type: FieldType, v: Value): number | string {
  if (typeof v === 'object') return encodeIp(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (type === 'protocol') return 1;
  return v;
}

/**
 * The columns of every stored field for one session. A field the session
 * does not have is left out of the row: JSONEachRow fills a missing column
 * with its type's empty value, the empty array, and most of the 239 fields
 * are empty in most sessions (a row is a fifth of the size).
 */
export function fieldColumns(s: Session, into: Record<string, unknown>): void {
  for (const f of STORED_FIELDS) {
    const def: FieldDef = FIELDS[f.slot];
    const values = def.session(s);
    if (values.length === 0) continue;
    into[f.column] = values.map((v) => {
      const e = encodeValue(f.type, v);
      return def.caseless && typeof e === 'string' ? e.toLowerCase() : e;
    });
  }
}
