/**
 * A session as the JSON outputs write it (read --format ndjson|json, capture
 * --format ndjson, the UI's NDJSON export): the session model of
 * ../shared/DESIGN.md, plus `outcome`, what the one-line view says, for a
 * script that wants the verdict and its explanation without re-deriving
 * them: the decisive failure, how many failures, and in English what it
 * means, its likely cause and fix.
 */
import { explainReply } from '../explain/index.js';
import type { Session } from '../session/model.js';
import { sessionOutcome } from './outcome.js';

export interface OutcomeRecord {
  label: string;
  failed: boolean;
  failures: number;
  /** Index of the exchange the label is about (the decisive failure, an unanswered command), or null. */
  exchange: number | null;
  /** The decisive failure explained; null when nothing failed. */
  explanation: { meaning: string; cause: string; fix: string; temporary: boolean } | null;
}

export type SessionRecord = Session & { outcome: OutcomeRecord };

export function sessionRecord(s: Session): SessionRecord {
  const o = sessionOutcome(s);
  const ex = o.exchange === null ? undefined : s.exchanges[o.exchange];
  const e = o.failed && ex?.reply ? explainReply(ex.reply, s.protocol, 'en', ex.command ? { command: ex.command.verb } : {}) : null;
  return {
    ...s,
    outcome: {
      label: o.label, failed: o.failed, failures: o.failures, exchange: o.exchange,
      explanation: e ? { meaning: e.meaning, cause: e.cause, fix: e.fix, temporary: e.temporary } : null,
    },
  };
}
