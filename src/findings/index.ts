/**
 * The findings runner. `sessionFindings(session)` gives what one session
 * shows on its own; `FindingsAccumulator` sees sessions as they stream
 * (add) and adds what only the whole capture shows (finish). The display
 * filter reads findings through `findingsFor`, which computes and caches
 * them per session; `attachFindings` adds capture-level ones to the sessions
 * they cite (the UI does this when the load is done).
 */
import type { Session } from '../session/model.js';
import { cleartextCredentials, failedLogins } from './auth.js';
import { CaptureFindings, GUESSING_THRESHOLD } from './capture.js';
import { slowReplies } from './latency.js';
import { severityRank, type Finding, type FindingOptions } from './model.js';
import { policyRejections } from './policy.js';
import { relayFindings } from './relay.js';
import { invalidReplies, outOfSequence, pipeliningNotOffered } from './sequence.js';
import { tcpTrouble } from './tcp.js';
import { starttlsNotUsed, starttlsRefused, tlsRequiredNotUsed } from './tls.js';

export * from './model.js';
export { GUESSING_THRESHOLD } from './capture.js';
export { SLOW_FACTOR, SLOW_MIN_SECONDS } from './latency.js';

/** Every rule over one session, in the order a person should read them: TCP first. */
const RULES: ReadonlyArray<(s: Session, o: FindingOptions) => Finding[]> = [
  tcpTrouble,
  failedLogins,
  cleartextCredentials,
  starttlsRefused,
  tlsRequiredNotUsed,
  starttlsNotUsed,
  relayFindings,
  policyRejections,
  invalidReplies,
  outOfSequence,
  pipeliningNotOffered,
  (s) => slowReplies(s),
];

/** What one session shows on its own, most severe first (stable within a severity). */
export function sessionFindings(s: Session, options: FindingOptions = {}): Finding[] {
  const out: Finding[] = [];
  for (const rule of RULES) {
    try {
      out.push(...rule(s, options));
    } catch {
      // A rule that trips over an odd session must not stop the others (or the read).
    }
  }
  return sortFindings(out);
}

export function sortFindings(list: Finding[]): Finding[] {
  return list
    .map((f, i) => [f, i] as const)
    .sort((a, b) => severityRank(a[0].severity) - severityRank(b[0].severity) || a[1] - b[1])
    .map(([f]) => f);
}

/** Sees the sessions of a capture one by one; holds only bounded per-client and per-server state. */
export class FindingsAccumulator {
  private readonly capture: CaptureFindings;

  constructor(private readonly options: FindingOptions = {}) {
    this.capture = new CaptureFindings(options.guessingThreshold ?? GUESSING_THRESHOLD);
  }

  /** The session's own findings (also cached for the filter); feeds the capture-level state. */
  add(s: Session): Finding[] {
    const own = this.compute(s);
    this.feed(s);
    return own;
  }

  /** The session's own findings with this accumulator's options, cached for the filter; the capture-level state is not touched. */
  compute(s: Session): Finding[] {
    const own = sessionFindings(s, this.options);
    cache.set(s, own);
    return own;
  }

  /** Counts the session towards the capture-level findings (after compute, or on its own). */
  feed(s: Session): void {
    this.capture.add(s);
  }

  /** Capture-level findings, after the last session. */
  finish(): Finding[] {
    return sortFindings(this.capture.finish());
  }
}

const cache = new WeakMap<Session, Finding[]>();

/**
 * --local-domain on the commands that show sessions (read, transcript, the
 * UI): a hook that computes each session's findings with those domains as it
 * arrives, so the cache, and with it the finding.* filter fields and the
 * detail view, use them. Null when no domain was given (findingsFor computes
 * with the defaults when first asked).
 */
export function findingsHook(localDomains: readonly string[] | undefined): ((s: Session) => void) | null {
  if (!localDomains?.length) return null;
  const acc = new FindingsAccumulator({ localDomains });
  return (s) => void acc.compute(s);
}

/** A session's findings: its own (computed once, default options unless add() ran with others) and any attached. */
export function findingsFor(s: Session): Finding[] {
  let f = cache.get(s);
  if (!f) {
    f = sessionFindings(s);
    cache.set(s, f);
  }
  return f;
}

/**
 * Puts back the findings a session had when it was set aside (the UI keeps
 * sessions past its memory budget as JSON on disk): the copy read back gets
 * them instead of findings recomputed with other options.
 */
export function rememberFindings(s: Session, findings: Finding[]): void {
  cache.set(s, findings);
}

/** Adds capture-level findings to each session they cite (among `sessions`), so filters and the detail view see them. */
export function attachFindings(sessions: Iterable<Session>, findings: readonly Finding[]): void {
  const byId = new Map<number, Finding[]>();
  for (const f of findings) {
    if (f.scope !== 'capture') continue;
    for (const e of f.evidence) {
      const list = byId.get(e.session) ?? [];
      if (!list.includes(f)) list.push(f);
      byId.set(e.session, list);
    }
  }
  if (byId.size === 0) return;
  for (const s of sessions) {
    const extra = byId.get(s.id);
    if (!extra) continue;
    const own = findingsFor(s).filter((f) => f.scope === 'session');
    cache.set(s, sortFindings([...own, ...extra]));
  }
}

/** The exchanges of session `id` a finding cites. */
export function exchangesOf(f: Finding, id: number): number[] {
  return f.evidence.find((e) => e.session === id)?.exchanges ?? [];
}
