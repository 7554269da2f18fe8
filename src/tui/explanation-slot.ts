/**
 * The place under each failing reply where its explanation goes: the same
 * two "??" lines the text transcript prints (src/explain/), shown dim.
 */
import { explainReply, formatExplanationLines, type Lang } from '../explain/index.js';
import type { Reply, Session } from '../session/model.js';

/** Lines to show under a failing reply (already safe to print: the text is the catalog's, not the capture's). */
export function explanationLines(session: Session, exchange: number, reply: Reply, lang: Lang = 'en'): string[] {
  const verb = session.exchanges[exchange]?.command?.verb;
  const e = explainReply(reply, session.protocol, lang, verb ? { command: verb } : {});
  return e ? formatExplanationLines(e) : [];
}
