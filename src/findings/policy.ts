/**
 * Refusals that are about the sender, not the message or the mailbox: the
 * client's address or host name (a DNSBL listing, a dynamic IP, no reverse
 * DNS, a bad HELO name), the sender domain's authentication (SPF, DKIM,
 * DMARC), and greylisting. These are what a mail administrator looks for
 * first when outgoing mail bounces, and they are recognised with the same
 * reply-text patterns the explanations use (src/explain/catalog.ts), so a
 * finding and the explanation under its reply always agree.
 */
import { isFailure } from '../export/outcome.js';
import { matchPattern } from '../explain/index.js';
import type { Session } from '../session/model.js';
import { safe, shortReply } from './context.js';
import type { Finding, FindingKind } from './model.js';

/** Explanation patterns (by id) and the finding each one makes. */
const KIND_OF_PATTERN: Record<string, FindingKind> = {
  'dnsbl': 'sender-reputation',
  'dynamic-ip': 'sender-reputation',
  'reverse-dns': 'sender-reputation',
  'helo-rejected': 'sender-reputation',
  'spf': 'sender-authentication',
  'dmarc': 'sender-authentication',
  'sender-unauthenticated': 'sender-authentication',
  'greylisting': 'greylisted',
  'policy-rejected': 'sender-authentication',
  'ip-reputation': 'sender-reputation',
  'complaints-deferred': 'sender-reputation',
  'relay-denied-no-rdns': 'sender-reputation',
};

const WHAT: Record<string, string> = {
  'dnsbl': 'the client\'s address is on a blocklist',
  'dynamic-ip': 'the client sends from a dynamic or residential address',
  'reverse-dns': 'the client\'s address has no valid reverse DNS',
  'helo-rejected': 'the client\'s HELO name was refused',
  'spf': 'the sender domain\'s SPF check failed',
  'dmarc': 'the sender domain\'s DMARC policy rejected the message',
  'sender-unauthenticated': 'the message failed sender authentication (SPF / DKIM)',
  'greylisting': 'greylisting deferred the message (a correct client retries in minutes)',
  'policy-rejected': 'the provider refused the message by policy, usually for failed SPF / DKIM / DMARC',
  'ip-reputation': 'the provider\'s own reputation system refused the client\'s address',
  'complaints-deferred': 'the provider deferred the mail for user complaints or unusual traffic from the address',
  'relay-denied-no-rdns': 'relaying was refused and the client\'s address has no valid reverse DNS',
};

/**
 * sender-reputation (high on a permanent refusal, medium on a temporary one),
 * sender-authentication (the same), greylisted (info): one finding per kind
 * and session, citing every reply of that kind.
 */
export function policyRejections(s: Session): Finding[] {
  if (s.protocol !== 'smtp') return [];
  const byKind = new Map<FindingKind, { exchanges: number[]; first: { pattern: string; reply: string; text: string }; permanent: boolean }>();
  s.exchanges.forEach((ex, i) => {
    const r = ex.reply;
    if (!r || !isFailure(r)) return;
    const pattern = matchPattern(r, s.protocol, ex.command?.verb);
    const kind = pattern ? KIND_OF_PATTERN[pattern.id] : undefined;
    if (!pattern || !kind) return;
    const permanent = typeof r.code === 'number' && r.code >= 500;
    const seen = byKind.get(kind);
    if (seen) {
      seen.exchanges.push(i);
      seen.permanent ||= permanent;
      return;
    }
    // The reply's first line without its enhanced code and the address Postfix puts first ("<a@b>: Sender address rejected: ...").
    const text = (r.text.split('\n')[0] ?? '').replace(/^\d\.\d{1,3}\.\d{1,3}\s*/, '').replace(/^<[^>]*>:\s*/, '');
    byKind.set(kind, { exchanges: [i], first: { pattern: pattern.id, reply: `${shortReply(r)} to ${ex.command?.verb ?? 'the greeting'}`, text }, permanent });
  });
  return [...byKind].map(([kind, f]) => ({
    kind,
    severity: kind === 'greylisted' ? 'info' : f.permanent ? 'high' : 'medium',
    scope: 'session',
    why: `${WHAT[f.first.pattern]}: ${f.first.reply}: ${safe(f.first.text, 120)}`,
    evidence: [{ session: s.id, exchanges: f.exchanges }],
    ...(f.exchanges.length > 1 ? { count: f.exchanges.length } : {}),
  }));
}
