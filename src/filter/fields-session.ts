/**
 * Fields of the session as a whole (mailscope's own: what Wireshark cannot
 * say about a conversation), its anomalies and its findings.
 */
import { exchangesOf, findingsFor } from '../findings/index.js';
import { parseIso } from '../util/time.js';
import { NONE, define, epochSeconds, session, type FieldType } from './field-registry.js';
import type { Value } from './values.js';

// --- the session as a whole ---

session('session.id', 'number', false, 'session number, as mailscope read numbers them (from 1)', (s) => [s.id]);
session('session.protocol', 'string', false, '"smtp", "pop3" or "imap"', (s) => [s.protocol]);
session('session.start', 'time', false, 'time of the session\'s first packet; compare with a UTC time in quotes: session.start >= "2026-11-25 12:37:20"',
  (s) => [epochSeconds(s.start)]);
session('session.end', 'time', false, 'time of the session\'s last packet (UTC, as session.start)', (s) => [epochSeconds(s.end)]);
session('session.duration', 'number', false, 'seconds from the first to the last packet (with a fraction: session.duration > 0.5)',
  (s) => [Number(parseIso(s.end) - parseIso(s.start)) / 1e9]);
session('session.bytes', 'number', false, 'stream bytes both ways (after reassembly)', (s) => [s.bytes.client + s.bytes.server]);
session('session.bytes.client', 'number', false, 'stream bytes from the client', (s) => [s.bytes.client]);
session('session.bytes.server', 'number', false, 'stream bytes from the server', (s) => [s.bytes.server]);
session('session.exchanges', 'number', false, 'number of exchanges (command and reply pairs, the greeting included)', (s) => [s.exchanges.length]);
session('session.closed', 'string', false, 'how the connection ended: "fin", "rst", "end" (capture ended), "reused", "idle" (quiet past the timeout), "evicted" (the connection table was full)', (s) => [s.closed]);
define({
  name: 'anomaly.kind', type: 'string', wireshark: false,
  description: 'kind of each anomaly ("tcp.gap", "reply.missing", "line.bare_lf", ...: see the session schema)',
  session: (s) => s.anomalies.map((a) => a.kind),
  exchange: (s, i) => (s.anomalies.length === 0 ? NONE : s.anomalies.filter((a) => a.exchange === i).map((a) => a.kind)),
});
define({
  name: 'anomaly.detail', type: 'string', wireshark: false, description: 'the one-line description of each anomaly',
  session: (s) => s.anomalies.map((a) => a.detail),
  exchange: (s, i) => (s.anomalies.length === 0 ? NONE : s.anomalies.filter((a) => a.exchange === i).map((a) => a.detail)),
});

// --- findings (src/findings: what an expert would point out) ---

/** A per-finding field: the session's values are every finding's; an exchange's are those of the findings that cite it. */
function perFinding(name: string, type: FieldType, description: string, get: (f: ReturnType<typeof findingsFor>[number]) => Value[]): void {
  define({
    name, type, wireshark: false, description,
    session: (s) => findingsFor(s).flatMap(get),
    exchange: (s, i) => findingsFor(s).filter((f) => exchangesOf(f, s.id).includes(i)).flatMap(get),
  });
}
perFinding('finding.kind', 'string',
  'kind of each finding: "failed-login", "password-guessing", "cleartext-credentials", "starttls-not-used", "starttls-refused", ' +
  '"tls-required-not-used", "open-relay", "relay-test", "invalid-reply", "out-of-sequence", "pipelining-not-offered", "slow-reply", "tcp-trouble", ' +
  '"sender-reputation", "sender-authentication", "greylisted" ' +
  '(password-guessing and server-slow replies are capture-level: only in the UI once the capture is read, and in mailscope findings)',
  (f) => [f.kind]);
perFinding('finding.severity', 'string', 'severity of each finding: "info", "low", "medium" or "high"', (f) => [f.severity]);
perFinding('finding.why', 'string', 'the one-line reason of each finding', (f) => [f.why]);
session('finding.count', 'number', false, 'number of findings in the session (0 when none)', (s) => [findingsFor(s).length]);

