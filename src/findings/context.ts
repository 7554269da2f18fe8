/** Facts about a session that several finding rules need: TLS state, capabilities offered, the server's own domains. */
import { escapeString } from '../util/escape.js';
import { isFailure } from '../export/outcome.js';
import type { Exchange, Reply, Session } from '../session/model.js';
import { parseIso } from '../util/time.js';

/** Was exchange i protected by TLS (implicit TLS, or after a successful STARTTLS / STLS)? */
export function tlsAt(s: Session, i: number): boolean {
  if (!s.tls) return false;
  if (s.tls.mode === 'implicit') return true;
  return s.tls.startExchange !== null && i > s.tls.startExchange;
}

/** The exchange index where the session switched to TLS, or -1 (never; implicit TLS is 0). */
export function tlsStart(s: Session): number {
  if (!s.tls) return -1;
  return s.tls.mode === 'implicit' ? 0 : s.tls.startExchange ?? -1;
}

/** Capability words a reply announces, upper case: SMTP EHLO lines, POP3 CAPA lines, IMAP CAPABILITY. */
export function capabilitiesIn(s: Session, ex: Exchange): string[] {
  const out: string[] = [];
  const r = ex.reply;
  if (s.protocol === 'smtp') {
    const verb = ex.command?.verb;
    if ((verb === 'EHLO' || verb === 'LHLO') && r && r.code === 250) {
      for (const line of r.lines.slice(1)) out.push(line.slice(4).trim().split(/\s+/)[0].toUpperCase());
    }
  } else if (s.protocol === 'pop3') {
    if (ex.command?.verb === 'CAPA' && r?.indicator === '+OK') {
      for (const line of r.lines.slice(1)) if (line !== '.') out.push(line.trim().split(/\s+/)[0].toUpperCase());
    }
  } else {
    const texts = [...(r ? r.lines : []), ...(ex.untagged ?? [])];
    for (const t of texts) {
      const m = /\[CAPABILITY ([^\]]*)\]/i.exec(t) ?? /^\* CAPABILITY (.*)$/i.exec(t);
      if (m) for (const w of m[1].trim().split(/\s+/)) out.push(w.toUpperCase());
    }
  }
  return out;
}

/** Indexes of the exchanges (before TLS) that offered a capability. */
export function offeredAt(s: Session, capability: string): number[] {
  const out: number[] = [];
  const end = tlsStart(s);
  s.exchanges.forEach((ex, i) => {
    if (end >= 0 && i > end) return;
    if (capabilitiesIn(s, ex).includes(capability)) out.push(i);
  });
  return out;
}

/** Host names the server gives for itself: the first word of the SMTP greeting and of the EHLO / HELO reply. */
export function serverHostNames(s: Session): string[] {
  if (s.protocol !== 'smtp') return [];
  const names = new Set<string>();
  for (const ex of s.exchanges) {
    const r = ex.reply;
    if (!r || typeof r.code !== 'number') continue;
    const isGreeting = ex.command === null && r.code === 220;
    const isHello = (ex.command?.verb === 'EHLO' || ex.command?.verb === 'HELO') && r.code === 250;
    if (!isGreeting && !isHello) continue;
    const first = (r.lines[0] ?? '').slice(4).trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(first) && /[a-z]/.test(first)) names.add(first);
  }
  return [...names];
}

/**
 * The domains the server is taken to accept mail for: --local-domain, plus
 * each host name it gives itself and that name's parent domain when it has
 * three labels or more ("mail.example.test" -> "example.test").
 */
export function localDomains(s: Session, given: readonly string[] = []): Set<string> {
  const out = new Set(given.map((d) => d.toLowerCase().replace(/^@/, '').replace(/\.$/, '')));
  for (const host of serverHostNames(s)) {
    out.add(host);
    const labels = host.split('.');
    if (labels.length >= 3) out.add(labels.slice(1).join('.'));
  }
  return out;
}

/** The path of "FROM:<a@b>" / "TO:<a@b>" without brackets; null when there is none. */
export function pathArg(args: string, keyword: 'FROM' | 'TO'): string | null {
  const m = new RegExp(`^${keyword}:\\s*(?:<([^>]*)>|(\\S+))`, 'i').exec(args);
  return m ? m[1] ?? m[2] ?? null : null;
}

/** The mailbox a path names, without an RFC 5321 source route ("@a,@b:user@c" -> "user@c"). */
export function mailboxOf(path: string): string {
  const m = /^@[^:]*:(.*)$/.exec(path);
  return m ? m[1] : path;
}

/** The domain of a mailbox, lower case: after the last @ outside quotes; "" when none. */
export function domainOf(mailbox: string): string {
  const at = mailbox.lastIndexOf('@');
  if (at < 0) return '';
  const domain = mailbox.slice(at + 1).toLowerCase();
  // An @ inside a quoted local part ("a@b"@c) is not the separator; lastIndexOf already skips it.
  return domain;
}

/** Is the domain the server's own: one of the local domains, a subdomain of one, or an IP literal of the server? */
export function isLocalDomain(domain: string, local: ReadonlySet<string>, s: Session): boolean {
  if (domain === '') return true; // "postmaster" alone (RFC 5321 4.1.1.3) is always local
  const literal = /^\[(?:ipv6:)?([^\]]+)\]$/i.exec(domain);
  if (literal) return literal[1].toLowerCase() === s.server.ip.toLowerCase();
  for (const d of local) if (domain === d || domain.endsWith('.' + d)) return true;
  return false;
}

/** Index of the first successful authentication, or Infinity. */
export function authenticatedFrom(s: Session): number {
  let first = Infinity;
  for (const a of s.auth) if (a.result === 'success') first = Math.min(first, a.exchange);
  return first;
}

/** The exchange where an attempt that started at `start` failed (POP3: the PASS after USER), or -1. */
export function failedAt(s: Session, start: number): number {
  for (let i = start; i < s.exchanges.length && i <= start + 3; i++) if (isFailure(s.exchanges[i].reply)) return i;
  return -1;
}

/** A short label of a reply for a why: "554 5.7.1", "-ERR [AUTH]", "NO [AUTHENTICATIONFAILED]" (a code from the wire escaped, as every why must be safe to print). */
export function shortReply(r: Reply | null | undefined): string {
  if (!r) return 'no reply';
  if (typeof r.code === 'number') return r.enhanced ? `${r.code} ${safe(r.enhanced, 20)}` : String(r.code);
  if (r.indicator) return r.code ? `${r.indicator} [${safe(r.code, 40)}]` : r.indicator;
  return r.code ? `${safe(r.status ?? '?', 10)} [${safe(r.code, 40)}]` : safe(r.status ?? '?', 10);
}

/** Nanoseconds of an ISO time from the model. */
export const ns = (iso: string): bigint => parseIso(iso);

/** Seconds between two model times. */
export const seconds = (from: string, to: string): number => Number(ns(to) - ns(from)) / 1e9;

/** "3.0 s", "12 ms", "0.3 ms". */
export function formatDuration(sec: number): string {
  if (sec >= 10) return `${sec.toFixed(0)} s`;
  if (sec >= 1) return `${sec.toFixed(1)} s`;
  const ms = sec * 1000;
  return ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

/** Escapes wire text as every output does (C0 and C1 controls, bidi overrides) so a why stays one safe line. */
export function safe(text: string, max = 80): string {
  const t = escapeString(text);
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

export const plural = (n: number, one: string, many = one + 's'): string => `${n} ${n === 1 ? one : many}`;
