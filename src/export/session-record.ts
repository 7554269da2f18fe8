/**
 * A session as the JSON outputs write it (read --format ndjson|json, capture
 * --format ndjson, the UI's NDJSON export): the session model of
 * ../shared/DESIGN.md, plus `outcome`, what the one-line view says, for a
 * script that wants the verdict and its explanation without re-deriving
 * them: the decisive failure, how many failures, and in English what it
 * means, its likely cause and fix.
 */
import { explainReply } from '../explain/index.js';
import type { Reply, Session } from '../session/model.js';
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

/**
 * Explanations by reply text: a server repeats the same few failing replies,
 * and matching the patterns is the costly part (as in the statistics).
 * Bounded, so a capture of all-different replies costs a map, not memory.
 */
const cache = new Map<string, OutcomeRecord['explanation']>();
const MAX_CACHED = 10_000;

function explained(protocol: Session['protocol'], reply: Reply, command: string | undefined): OutcomeRecord['explanation'] {
  const key = `${protocol}\n${command ?? ''}\n${reply.lines.join('\n')}`;
  let e = cache.get(key);
  if (e === undefined) {
    const x = explainReply(reply, protocol, 'en', command ? { command } : {});
    e = x ? { meaning: x.meaning, cause: x.cause, fix: x.fix, temporary: x.temporary } : null;
    if (cache.size < MAX_CACHED) cache.set(key, e);
  }
  return e;
}

export function sessionRecord(s: Session): SessionRecord {
  const o = sessionOutcome(s);
  const ex = o.exchange === null ? undefined : s.exchanges[o.exchange];
  const e = o.failed && ex?.reply ? explained(s.protocol, ex.reply, ex.command?.verb) : null;
  return {
    ...s,
    outcome: {
      label: o.label, failed: o.failed, failures: o.failures, exchange: o.exchange,
      explanation: e,
    },
  };
}
