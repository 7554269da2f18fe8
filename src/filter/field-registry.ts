/**
 * How a filter field is defined, and the constructors the field modules
 * (fields-mail.ts, fields-message.ts, fields-packet.ts, fields-session.ts)
 * register their fields with. fields.ts gathers them into the registry.
 *
 * Wireshark's fields are per packet; ours are per session. A session's
 * values are the union of what its packets would show, so `==` over a
 * session means "some packet of it would match" for a single field.
 * Exchange-level fields (commands, replies, auth attempts, messages,
 * anomalies tied to an exchange) also give the values of one exchange;
 * session-level fields (addresses, TLS, TCP counters) give the same values
 * for every exchange.
 */
import { parseIso } from '../util/time.js';
import type { Exchange, MessageSummary, Reply, Session } from '../session/model.js';
import type { Value } from './values.js';

/**
 * number: integers (and seconds with a fraction); string: text as decoded from the wire;
 * boolean: true / false; ipv4, ipv6: addresses of that family; address: either family;
 * protocol: tested for presence, and with contains / matches on its text (smtp contains "Relay");
 * time: an absolute time, held as seconds since 1970 (UTC), written in filters as "2026-11-25 12:37:20".
 */
export type FieldType = 'number' | 'string' | 'boolean' | 'ipv4' | 'ipv6' | 'address' | 'ether' | 'protocol' | 'time';

export interface FieldInfo {
  name: string;
  type: FieldType;
  description: string;
  /** Same name and meaning as Wireshark's field. */
  wireshark: boolean;
  /** Where a session-wide reading of a Wireshark field differs from tshark's per-packet one. */
  differs?: string;
  /** The values are secrets: "<redacted>" unless the user asked for them (--show-secrets). */
  secret?: boolean;
  /** Text compared without regard to case (command verbs, which RFC 5321 2.4, RFC 1939 and RFC 9051 make case-insensitive). */
  caseless?: boolean;
  /**
   * A boolean field Wireshark puts on every packet (tcp.flags.syn): bare, it
   * only asks whether the protocol is there; `== 1` asks for the flag. Our own
   * boolean fields are flags: bare, they ask "is it true?".
   */
  everyPacket?: boolean;
}

export interface FieldDef extends FieldInfo {
  /** Every value of the field in the session. */
  session(s: Session): Value[];
  /** The values in exchange i alone; absent for session-level fields. */
  exchange?(s: Session, i: number): Value[];
  /** Protocols: the text that `contains` and `matches` search (one value per line or block). */
  content?(s: Session): Value[];
  /** Protocols: that text in exchange i alone. */
  exchangeContent?(s: Session, i: number): Value[];
}

export const NONE: Value[] = [];
export const TRUE: Value[] = [true];
export const FALSE: Value[] = [false];

type PerExchange = (ex: Exchange, s: Session, i: number) => Value[];
type Extra = Partial<Pick<FieldInfo, 'differs' | 'secret' | 'caseless' | 'everyPacket'>>;

/** The registered fields, in registration order (fields.ts imports the modules in a fixed order). */
export const registered: FieldDef[] = [];

export function define(def: FieldDef): void {
  registered.push(def);
}

export function session(name: string, type: FieldType, wireshark: boolean, description: string, get: (s: Session) => Value[], extra: Extra = {}): void {
  registered.push({ name, type, wireshark, description, session: get, ...extra });
}

/** A field whose values come from exchanges: the session's values are every exchange's, in order. */
export function perExchange(name: string, type: FieldType, wireshark: boolean, description: string, get: PerExchange, only?: Session['protocol'], extra: Extra = {}): void {
  const ex = only
    ? (s: Session, i: number) => (s.protocol === only ? get(s.exchanges[i], s, i) : NONE)
    : (s: Session, i: number) => get(s.exchanges[i], s, i);
  registered.push({
    name, type, wireshark, description, ...extra,
    session: (s) => {
      if (only && s.protocol !== only) return NONE;
      const out: Value[] = [];
      for (let i = 0; i < s.exchanges.length; i++) {
        const v = get(s.exchanges[i], s, i);
        for (let k = 0; k < v.length; k++) out.push(v[k]);
      }
      return out;
    },
    exchange: ex,
  });
}

/** A yes/no flag over exchanges: the session has one value, true when any exchange has it. */
export function flag(name: string, description: string, test: (ex: Exchange, s: Session, i: number) => boolean): void {
  registered.push({
    name, type: 'boolean', wireshark: false, description,
    session: (s) => (s.exchanges.some((e, i) => test(e, s, i)) ? TRUE : FALSE),
    exchange: (s, i) => (test(s.exchanges[i], s, i) ? TRUE : FALSE),
  });
}

/** A field of each message: the session's values are every message's; an exchange's, those of the messages it carried. */
export function perMessage(name: string, type: FieldType, wireshark: boolean, description: string, get: (m: MessageSummary) => Value[], extra: Extra = {}): void {
  registered.push({
    name, type, wireshark, description, ...extra,
    session: (s) => s.messages.flatMap(get),
    exchange: (s, i) => (s.messages.length === 0 ? NONE : s.messages.filter((m) => m.exchange === i).flatMap(get)),
  });
}

// --- helpers over the model ---

/** The interim replies (334, 354, "+ ") and the final reply of an exchange, in order. */
export function replies(ex: Exchange): Reply[] {
  if (!ex.interim || ex.interim.length === 0) return ex.reply ? [ex.reply] : [];
  const out = ex.interim.map((st) => st.reply);
  if (ex.reply) out.push(ex.reply);
  return out;
}

export const str = (v: string | null | undefined): Value[] => (v === null || v === undefined ? NONE : [v]);
export const secondsBetween = (from: string, to: string): number => Number(parseIso(to) - parseIso(from)) / 1e9;
export const epochSeconds = (iso: string): number => Number(parseIso(iso)) / 1e9;

/** "a number", "an IPv4 address": how a type is named in messages. */
export function typeName(t: FieldType): string {
  switch (t) {
    case 'number': return 'a number';
    case 'string': return 'a string';
    case 'boolean': return 'a boolean';
    case 'ipv4': return 'an IPv4 address';
    case 'ipv6': return 'an IPv6 address';
    case 'address': return 'an IP address';
    case 'ether': return 'an Ethernet address';
    case 'protocol': return 'a protocol';
    case 'time': return 'a time';
  }
}
