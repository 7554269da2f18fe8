/**
 * Capture-level findings: state kept across sessions as they stream by, in
 * bounded memory, turned into findings at the end.
 *
 * - password-guessing: failed logins per client address. At the end, a
 *   client with at least `threshold` (default 10) failed logins is reported;
 *   high when a login from it succeeded after failures (a guess may have
 *   worked), medium otherwise. At most MAX_CLIENTS addresses are tracked and
 *   MAX_EVIDENCE sessions kept per address (the counts stay exact).
 * - slow-reply against the server's median: latencies per server (ip:port)
 *   in a log-scale histogram (the median to within 5 %), and the slowest
 *   MAX_SLOW candidates above 1 s; at the end those more than 10 times the
 *   server's median, not already reported against their own session.
 */
import type { Session } from '../session/model.js';
import { failedAt, formatDuration, plural, safe } from './context.js';
import { isSlow, latencies, median, slowFinding, slowReplies, type Latency } from './latency.js';
import type { Evidence, Finding } from './model.js';

export const GUESSING_THRESHOLD = 10;
const MAX_CLIENTS = 100_000;
const MAX_EVIDENCE = 50;
const MAX_USERS = 20;
const MAX_SERVERS = 10_000;
const MAX_SLOW = 20;

interface ClientFailures {
  failures: number;
  sessions: number;
  users: Set<string>;
  evidence: Evidence[];
  /** A successful login after at least one failure: the session and exchange. */
  success?: Evidence;
}

/** Latencies of one server, as counts in buckets of 5 % width. */
class LatencyHistogram {
  private readonly buckets = new Map<number, number>();
  total = 0;
  sessions = 0;
  add(sec: number): void {
    const b = sec <= 1e-6 ? -1_000 : Math.floor(Math.log(sec) / Math.log(1.05));
    this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1);
    this.total++;
  }
  median(): number {
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const k of keys) {
      seen += this.buckets.get(k)!;
      if (seen * 2 >= this.total) return k === -1_000 ? 0 : Math.pow(1.05, k + 0.5);
    }
    return 0;
  }
}

interface ServerState {
  hist: LatencyHistogram;
  /** The slowest replies over 1 s, not yet reported against their session. */
  slow: { session: number; latency: Latency }[];
}

export class CaptureFindings {
  private readonly clients = new Map<string, ClientFailures>();
  private readonly servers = new Map<string, ServerState>();

  constructor(private readonly threshold = GUESSING_THRESHOLD) {}

  add(s: Session): void {
    this.addLogins(s);
    this.addLatencies(s);
  }

  private addLogins(s: Session): void {
    if (s.auth.length === 0) return;
    let c = this.clients.get(s.client.ip);
    const failed = s.auth.filter((a) => a.result === 'failure');
    if (!c) {
      if (failed.length === 0 || this.clients.size >= MAX_CLIENTS) return;
      c = { failures: 0, sessions: 0, users: new Set(), evidence: [] };
      this.clients.set(s.client.ip, c);
    }
    if (failed.length > 0) {
      c.failures += failed.length;
      c.sessions++;
      for (const a of failed) if (a.user !== null && c.users.size < MAX_USERS) c.users.add(a.user);
      if (c.evidence.length < MAX_EVIDENCE) c.evidence.push({ session: s.id, exchanges: failed.map((a) => Math.max(a.exchange, failedAt(s, a.exchange))) });
    }
    const ok = s.auth.find((a) => a.result === 'success');
    if (ok && c.failures > 0 && !c.success) c.success = { session: s.id, exchanges: [ok.exchange] };
  }

  private addLatencies(s: Session): void {
    const lat = latencies(s);
    if (lat.length === 0) return;
    const key = `${s.server.ip}|${s.server.port}`;
    let st = this.servers.get(key);
    if (!st) {
      if (this.servers.size >= MAX_SERVERS) return;
      st = { hist: new LatencyHistogram(), slow: [] };
      this.servers.set(key, st);
    }
    st.hist.sessions++;
    const reported = new Set(slowReplies(s, lat).map((f) => f.evidence[0].exchanges[0]));
    for (const l of lat) {
      st.hist.add(l.seconds);
      if (l.seconds > 1 && !reported.has(l.exchange)) {
        st.slow.push({ session: s.id, latency: l });
        if (st.slow.length > MAX_SLOW) {
          st.slow.sort((a, b) => b.latency.seconds - a.latency.seconds);
          st.slow.length = MAX_SLOW;
        }
      }
    }
  }

  /** The capture-level findings, after the last session. */
  finish(): Finding[] {
    const out: Finding[] = [];
    for (const [ip, c] of this.clients) {
      if (c.failures < this.threshold) continue;
      const users = [...c.users].map((u) => safe(u, 30));
      const evidence = c.success ? [...c.evidence, c.success] : c.evidence;
      out.push({
        kind: 'password-guessing', severity: c.success ? 'high' : 'medium', scope: 'capture', count: c.failures,
        why: `${plural(c.failures, 'failed login')} from ${ip} in ${plural(c.sessions, 'session')}` +
          `${users.length ? ` for ${plural(users.length, 'user')} (${users.slice(0, 5).join(', ')}${users.length > 5 ? ', …' : ''})` : ''}` +
          ` (threshold ${this.threshold})${c.success ? `; then a login succeeded in session ${c.success.session}` : ''}`,
        evidence,
      });
    }
    for (const [key, st] of this.servers) {
      if (st.hist.total < 5 || st.hist.sessions < 2) continue;
      const med = st.hist.median();
      const [ip, port] = key.split('|');
      for (const { session, latency } of st.slow.sort((a, b) => a.session - b.session || a.latency.exchange - b.latency.exchange)) {
        if (isSlow(latency.seconds, med)) {
          out.push(slowFinding(session, latency, 'capture', `the median of server ${ip.includes(':') ? `[${ip}]` : ip}:${port} is ${formatDuration(med)} over ${plural(st.hist.total, 'reply', 'replies')}`));
        }
      }
    }
    return out;
  }
}

export { median };
