/**
 * `mailscope stats`: the capture at a glance, as Wireshark's Statistics menu
 * gives it for other protocols: sessions per protocol, clients and servers,
 * TLS, logins per user, messages, and the failing replies grouped by what
 * they mean (most frequent first, with the sessions that got them), the
 * findings by kind, so the
 * question "what went wrong here, and how often" has one answer. Built
 * session by session in bounded memory: the tables are capped, and each
 * group keeps only its first few session numbers.
 */
import { explainReply, type Lang } from '../explain/index.js';
import { findingsFor, type Severity } from '../findings/index.js';
import type { Protocol, Reply, Session } from '../session/model.js';
import { parseIso } from '../util/time.js';
import { isFailure, replyLabel } from './outcome.js';

/** Distinct keys kept per table (clients, servers, users, reply groups); more are counted as "others". */
const MAX_KEYS = 10_000;
/** Session numbers kept per failing-reply group. */
const MAX_SESSIONS_PER_GROUP = 10;

export interface FailureGroup {
  protocol: Protocol;
  /** The reply's codes ("550 5.1.1", "-ERR [AUTH]", "NO [AUTHENTICATIONFAILED]"). */
  label: string;
  /** The command it answered ("RCPT", "AUTH", ...; "greeting" when none). */
  command: string;
  /** What the explanations catalog says it means. */
  meaning: string;
  temporary: boolean;
  count: number;
  /** The first sessions that got it (at most 10). */
  sessions: number[];
}

export interface CaptureStats {
  sessions: number;
  protocols: Record<Protocol, number>;
  first: string | null;
  last: string | null;
  clients: { address: string; sessions: number; failed: number }[];
  servers: { address: string; port: number; protocol: Protocol; sessions: number }[];
  tls: { sessions: number; decrypted: number; implicit: number; starttls: number };
  auth: { attempts: number; succeeded: number; failed: number; users: { user: string; succeeded: number; failed: number }[] };
  messages: { count: number; bytes: number; partial: number; attachments: number };
  /** Sessions with at least one failing reply. */
  failedSessions: number;
  failures: FailureGroup[];
  anomalies: Record<string, number>;
  /** Each session's own findings by kind, and by severity (capture-level ones such as password guessing: mailscope findings). */
  findings: { kinds: Record<string, number>; severities: Record<Severity, number> };
}

interface Counter<T> {
  map: Map<string, T>;
  dropped: number;
}

const counter = <T>(): Counter<T> => ({ map: new Map(), dropped: 0 });

function bump<T>(c: Counter<T>, key: string, make: () => T, update: (v: T) => void): void {
  let v = c.map.get(key);
  if (v === undefined) {
    if (c.map.size >= MAX_KEYS) {
      c.dropped++;
      return;
    }
    v = make();
    c.map.set(key, v);
  }
  update(v);
}

export class StatsAccumulator {
  private sessions = 0;
  private readonly protocols: Record<Protocol, number> = { smtp: 0, pop3: 0, imap: 0 };
  private first: bigint | null = null;
  private last: bigint | null = null;
  private firstIso: string | null = null;
  private lastIso: string | null = null;
  private readonly clients = counter<{ sessions: number; failed: number }>();
  private readonly servers = counter<{ address: string; port: number; protocol: Protocol; sessions: number }>();
  private readonly users = counter<{ succeeded: number; failed: number }>();
  private readonly groups = counter<FailureGroup>();
  private readonly tls = { sessions: 0, decrypted: 0, implicit: 0, starttls: 0 };
  private readonly auth = { attempts: 0, succeeded: 0, failed: 0 };
  private readonly messages = { count: 0, bytes: 0, partial: 0, attachments: 0 };
  private failedSessions = 0;
  private readonly anomalies: Record<string, number> = {};
  private readonly findingKinds: Record<string, number> = {};
  private readonly severities: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };

  constructor(private readonly lang: Lang = 'en') {}

  add(s: Session): void {
    this.sessions++;
    this.protocols[s.protocol]++;
    const start = parseIso(s.start);
    const end = parseIso(s.end);
    if (this.first === null || start < this.first) [this.first, this.firstIso] = [start, s.start];
    if (this.last === null || end > this.last) [this.last, this.lastIso] = [end, s.end];
    const failed = s.exchanges.some((e) => isFailure(e.reply)) || s.auth.some((a) => a.result === 'failure');
    if (failed) this.failedSessions++;
    bump(this.clients, s.client.ip, () => ({ sessions: 0, failed: 0 }), (c) => {
      c.sessions++;
      if (failed) c.failed++;
    });
    bump(this.servers, `${s.server.ip} ${s.server.port}`, () => ({ address: s.server.ip, port: s.server.port, protocol: s.protocol, sessions: 0 }), (c) => c.sessions++);
    if (s.tls) {
      this.tls.sessions++;
      if (s.tls.decrypted) this.tls.decrypted++;
      if (s.tls.mode === 'implicit') this.tls.implicit++;
      else this.tls.starttls++;
    }
    for (const a of s.auth) {
      this.auth.attempts++;
      if (a.result === 'success') this.auth.succeeded++;
      if (a.result === 'failure') this.auth.failed++;
      bump(this.users, a.user ?? '(unknown)', () => ({ succeeded: 0, failed: 0 }), (u) => {
        if (a.result === 'success') u.succeeded++;
        if (a.result === 'failure') u.failed++;
      });
    }
    for (const m of s.messages) {
      this.messages.count++;
      this.messages.bytes += m.size;
      if (m.partial) this.messages.partial++;
      this.messages.attachments += m.attachments?.length ?? 0;
    }
    for (const a of s.anomalies) this.anomalies[a.kind] = (this.anomalies[a.kind] ?? 0) + 1;
    for (const f of findingsFor(s)) {
      if (f.scope !== 'session') continue;
      this.findingKinds[f.kind] = (this.findingKinds[f.kind] ?? 0) + 1;
      this.severities[f.severity]++;
    }
    for (const ex of s.exchanges) {
      if (ex.reply && isFailure(ex.reply)) this.addFailure(s, ex.command?.verb ?? 'greeting', ex.reply);
    }
  }

  /** Explanations by reply text: servers repeat the same few failing replies, and matching the patterns is the costly part. */
  private readonly explained = new Map<string, { pattern: string; meaning: string; temporary: boolean }>();

  private explain(protocol: Protocol, reply: Reply, command: string): { pattern: string; meaning: string; temporary: boolean } {
    const key = `${protocol}\n${command}\n${reply.lines.join('\n')}`;
    let e = this.explained.get(key);
    if (e === undefined) {
      const x = explainReply(reply, protocol, this.lang, command === 'greeting' ? {} : { command });
      e = { pattern: x?.pattern ?? '', meaning: x?.meaning ?? '', temporary: x?.temporary ?? false };
      if (this.explained.size < MAX_KEYS) this.explained.set(key, e);
    }
    return e;
  }

  private addFailure(s: Session, command: string, reply: Reply): void {
    const label = replyLabel(reply);
    const e = this.explain(s.protocol, reply, command);
    // The same codes can mean different things (550 5.7.1 relay denied, or a DNSBL listing): the recognised text splits them.
    const key = `${s.protocol} ${command} ${label} ${e.pattern}`;
    bump(this.groups, key, () => ({
      protocol: s.protocol, label, command, meaning: e.meaning, temporary: e.temporary, count: 0, sessions: [],
    }), (g) => {
      g.count++;
      if (g.sessions.length < MAX_SESSIONS_PER_GROUP && g.sessions[g.sessions.length - 1] !== s.id) g.sessions.push(s.id);
    });
  }

  result(): CaptureStats {
    const byCount = <T extends { sessions: number }>(a: T, b: T) => b.sessions - a.sessions;
    return {
      sessions: this.sessions,
      protocols: { ...this.protocols },
      first: this.firstIso,
      last: this.lastIso,
      clients: [...this.clients.map].map(([address, c]) => ({ address, ...c })).sort(byCount),
      servers: [...this.servers.map.values()].sort(byCount),
      tls: { ...this.tls },
      // Users with failed logins first (what an analyst looks for), then by attempts.
      auth: { ...this.auth, users: [...this.users.map].map(([user, u]) => ({ user, ...u })).sort((a, b) => b.failed - a.failed || b.failed + b.succeeded - a.failed - a.succeeded) },
      messages: { ...this.messages },
      failedSessions: this.failedSessions,
      failures: [...this.groups.map.values()].sort((a, b) => b.count - a.count),
      anomalies: { ...this.anomalies },
      findings: { kinds: { ...this.findingKinds }, severities: { ...this.severities } },
    };
  }
}
