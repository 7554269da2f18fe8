/**
 * The place under each failing reply where its explanation goes. The
 * explanation engine is a later issue; until then the slot says so, and the
 * detail view already reserves its line(s), so filling it in changes this
 * file only.
 */
import type { Reply, Session } from '../session/model.js';

/** Lines to show under a failing reply (already safe to print). */
export function explanationLines(_session: Session, _exchange: number, _reply: Reply): string[] {
  return ['explanation: (coming)'];
}
