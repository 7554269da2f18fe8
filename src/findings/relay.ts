/**
 * Open relay and the classic relay tests (RFC 5321 sections 3.6, 7.1;
 * RFC 2505). A RCPT to a domain that is not the server's, accepted (2xx)
 * before any successful authentication, is relaying; the tricks that try to
 * smuggle a remote address past a naive check are reported with the answer.
 */
import type { Session } from '../session/model.js';
import { authenticatedFrom, domainOf, isLocalDomain, localDomains, mailboxOf, pathArg, safe, shortReply } from './context.js';
import type { Finding, FindingOptions } from './model.js';

export type RelayTrick = 'percent-hack' | 'quoted-local-part' | 'source-route' | 'ip-literal' | 'bang-path' | 'null-sender';

const TRICK_NAMES: Record<RelayTrick, string> = {
  'percent-hack': 'percent hack user%remote@local',
  'quoted-local-part': 'quoted "user@remote"@local',
  'source-route': 'source route @local:user@remote',
  'ip-literal': 'IP-literal domain user@[address]',
  'bang-path': 'UUCP bang path remote!user@local',
  'null-sender': 'null sender <> to an outside domain',
};

/** The trick a RCPT path uses, if any (null sender is decided per transaction). */
export function relayTrick(path: string): RelayTrick | null {
  if (/^@[^:]+:/.test(path)) return 'source-route';
  const mailbox = mailboxOf(path);
  const at = mailbox.lastIndexOf('@');
  const local = at < 0 ? mailbox : mailbox.slice(0, at);
  if (/^".*@.*"$/.test(local)) return 'quoted-local-part';
  if (local.includes('%')) return 'percent-hack';
  if (local.includes('!')) return 'bang-path';
  if (/^\[.*\]$/.test(domainOf(mailbox))) return 'ip-literal';
  return null;
}

const accepted = (code: unknown) => typeof code === 'number' && code >= 200 && code < 300;

export function relayFindings(s: Session, options: FindingOptions = {}): Finding[] {
  if (s.protocol !== 'smtp') return [];
  const local = localDomains(s, options.localDomains);
  const known = local.size > 0;
  const authed = authenticatedFrom(s);
  const out: Finding[] = [];
  const relayed: number[] = [];
  const relayedTo: string[] = [];
  let nullSender = -1;
  s.exchanges.forEach((ex, i) => {
    const verb = ex.command?.verb;
    if (verb === 'MAIL') {
      const from = pathArg(ex.command!.args, 'FROM');
      nullSender = from === '' && accepted(ex.reply?.code) ? i : -1;
      return;
    }
    if (verb === 'RSET' || verb === 'HELO' || verb === 'EHLO') nullSender = -1;
    if (verb !== 'RCPT') return;
    const path = pathArg(ex.command!.args, 'TO');
    if (path === null) return;
    const domain = domainOf(mailboxOf(path));
    const outside = !isLocalDomain(domain, local, s);
    const ok = accepted(ex.reply?.code);
    const answer = ex.reply ? `${ok ? 'accepted' : 'refused'} (${shortReply(ex.reply)})` : 'no reply seen';
    let trick = relayTrick(path);
    if (!trick && nullSender >= 0 && outside && known) trick = 'null-sender';
    if (trick) {
      // Accepted tricks that still name an outside domain relay for sure; the others (user%remote@local) depend on the server's rewriting.
      const severity = !ex.reply ? 'low' : !ok ? 'info' : outside ? 'high' : 'medium';
      out.push({
        kind: 'relay-test', severity, scope: 'session',
        why: `relay test, ${TRICK_NAMES[trick]}: RCPT TO:<${safe(path, 60)}> ${answer}`,
        evidence: [{ session: s.id, exchanges: trick === 'null-sender' ? [nullSender, i] : [i] }],
      });
    }
    if (outside && ok && i < authed) {
      relayed.push(i);
      relayedTo.push(domain);
    }
  });
  if (relayed.length > 0) {
    const domains = [...new Set(relayedTo)];
    const list = domains.slice(0, 3).map((d) => safe(d, 40)).join(', ') + (domains.length > 3 ? ', …' : '');
    out.unshift({
      kind: 'open-relay', severity: known ? 'high' : 'low', scope: 'session', count: relayed.length,
      why: known
        ? `accepted ${relayed.length === 1 ? 'a RCPT' : `${relayed.length} RCPTs`} to ${list} without authentication; the server's domains: ${[...local].slice(0, 3).join(', ')}`
        : `accepted RCPT to ${list} without authentication, and the server's own domains are unknown (its greeting names no domain): give them with --local-domain`,
      evidence: [{ session: s.id, exchanges: relayed }],
    });
  }
  return out;
}
