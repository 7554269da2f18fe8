/**
 * The field registry: every name a filter can use, its type, its meaning,
 * whether Wireshark has the same field, and how to take its values from a
 * Session (all of them) and from one Exchange (for highlighting). The fields
 * are defined by topic in the fields-*.ts modules (see field-registry.ts for
 * how a field is read); their import order here is the order of
 * `mailscope fields`.
 */
import './fields-protocols.js';
import './fields-mail.js';
import './fields-wireshark-mail.js';
import './fields-message.js';
import './fields-packet.js';
import './fields-session.js';
import { registered, type FieldDef, type FieldInfo } from './field-registry.js';

export { typeName, type FieldDef, type FieldInfo, type FieldType } from './field-registry.js';

/** Every field, in registry order; the slot of a field is its index here. */
export const FIELDS: readonly FieldDef[] = registered;

const byName = new Map(registered.map((f, i) => [f.name, i]));

/** The slot of a field, or -1. */
export function fieldSlot(name: string): number {
  return byName.get(name) ?? -1;
}

export const FIELD_NAMES: readonly string[] = registered.map((f) => f.name);

export function listFields(): FieldInfo[] {
  return registered.map(({ name, type, description, wireshark, differs, secret }) => {
    const info: FieldInfo = { name, type, description, wireshark };
    if (differs) info.differs = differs;
    if (secret) info.secret = true;
    return info;
  });
}
