/**
 * Findings: what an expert would point out in a capture, each with a
 * severity, a one-line why and the evidence (sessions and exchanges).
 * Per-session findings are computed from one session alone (so display
 * filters can use them); capture-level ones (password guessing, replies slow
 * for that server) come from an accumulator that sees every session.
 */

export type Severity = 'info' | 'low' | 'medium' | 'high';

/** Most severe first: the order of `findings` text output. */
export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info'];

export type FindingKind =
  | 'failed-login'
  | 'password-guessing'
  | 'cleartext-credentials'
  | 'starttls-not-used'
  | 'starttls-refused'
  | 'tls-required-not-used'
  | 'open-relay'
  | 'relay-test'
  | 'invalid-reply'
  | 'out-of-sequence'
  | 'pipelining-not-offered'
  | 'slow-reply'
  | 'tcp-trouble'
  | 'sender-reputation'
  | 'sender-authentication'
  | 'greylisted';

export const FINDING_KINDS: readonly FindingKind[] = [
  'failed-login', 'password-guessing', 'cleartext-credentials', 'starttls-not-used', 'starttls-refused',
  'tls-required-not-used', 'open-relay', 'relay-test', 'invalid-reply', 'out-of-sequence',
  'pipelining-not-offered', 'slow-reply', 'tcp-trouble', 'sender-reputation', 'sender-authentication', 'greylisted',
];

/** Where a finding shows: a session and the 0-based indexes of its exchanges (empty: the session as a whole). */
export interface Evidence {
  session: number;
  exchanges: number[];
}

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** One line for people, with the numbers that matter. */
  why: string;
  /** The sessions (and exchanges) that show it; for capture-level findings possibly many sessions. */
  evidence: Evidence[];
  /** How many times it happened (failed logins, slow replies, relay tests), when that is more than a yes. */
  count?: number;
  /** session: seen in one session alone; capture: seen across sessions. */
  scope: 'session' | 'capture';
}

export interface FindingOptions {
  /** Domains the server accepts mail for (--local-domain), added to those inferred from its greeting and EHLO. */
  localDomains?: readonly string[];
  /** Failed logins from one client address, across sessions, that make a password-guessing finding (default 10). */
  guessingThreshold?: number;
}

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);
