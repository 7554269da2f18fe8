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
import { jsonText } from './json-line.js';
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

/** The record's `outcome`: the verdict of sessionOutcome, and the decisive failure explained. */
export function outcomeRecord(s: Session): OutcomeRecord {
  const o = sessionOutcome(s);
  const ex = o.exchange === null ? undefined : s.exchanges[o.exchange];
  const e = o.failed && ex?.reply ? explained(s.protocol, ex.reply, ex.command?.verb) : null;
  return { label: o.label, failed: o.failed, failures: o.failures, exchange: o.exchange, explanation: e };
}

export function sessionRecord(s: Session): SessionRecord {
  return { ...s, outcome: outcomeRecord(s) };
}

/**
 * jsonText(sessionRecord(s)), byte for byte, without the copy: the spread
 * keeps the session's members in their order and adds `outcome` last, so
 * the record's text is the session's with the outcome appended as its last
 * member. Copying a session's sixteen members and adding one more cost more
 * (microseconds: V8 finds no ready-made shape for the copy) than writing its
 * JSON, and a flood of tiny sessions is a million of them. A session that
 * does not fit that reasoning (an `outcome` of its own, a toJSON, no members)
 * takes the long way.
 */
export function sessionRecordJson(s: Session): string {
  const outcome = outcomeRecord(s);
  if (Object.hasOwn(s, 'outcome') || typeof (s as { toJSON?: unknown }).toJSON === 'function') return jsonText({ ...s, outcome });
  const body = jsonText(s);
  if (body.length <= 2) return jsonText({ ...s, outcome });
  return `${body.slice(0, -1)},"outcome":${outcomeJson(outcome)}}`;
}

/** JSON of an OutcomeRecord as outcomeRecord builds it (its members in that order; numbers are integers). */
function outcomeJson(o: OutcomeRecord): string {
  const explanation = o.explanation === null ? 'null' : jsonText(o.explanation);
  return `{"label":${labelJson(o.label)},"failed":${o.failed},"failures":${o.failures},"exchange":${o.exchange ?? 'null'},"explanation":${explanation}}`;
}

/** Labels repeat ("OK", "NO REPLY", the same failing reply): their JSON, remembered up to a bound. */
const labels = new Map<string, string>();

function labelJson(label: string): string {
  let text = labels.get(label);
  if (text === undefined) {
    text = jsonText(label);
    if (labels.size < MAX_CACHED) labels.set(label, text);
  }
  return text;
}
