/** `mailscope stats` as people read it: a summary line, then the failing replies, logins, messages, clients, servers and anomalies. */
import { escapeShort, escapeString } from '../util/escape.js';

/** Widest reply label and command shown in the failure table (the JSON output has them whole). */
const LABEL_WIDTH = 40;
const COMMAND_WIDTH = 24;
import { formatBytes } from './session-line.js';
import type { CaptureStats } from './stats.js';
import { dateTime } from '../util/display-zone.js';

/** Rows shown per table; the rest are counted. */
const ROWS = 10;
const PROTO = { smtp: 'SMTP', pop3: 'POP3', imap: 'IMAP' } as const;

export function formatStatsText(st: CaptureStats): string {
  const out: string[] = [];
  const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;
  const protocols = (['smtp', 'imap', 'pop3'] as const).filter((p) => st.protocols[p] > 0).map((p) => `${st.protocols[p]} ${PROTO[p]}`);
  const span = st.first && st.last ? ` from ${dateTime(st.first).replace(/ \S+$/, '')} to ${dateTime(st.last).slice(11)}` : '';
  out.push(`${plural(st.sessions, 'mail session')}${span}${protocols.length ? ': ' + protocols.join(', ') : ''}`);
  if (st.sessions === 0) return out.join('\n') + '\n';
  const tls = st.tls.sessions ? `; ${st.tls.sessions} in TLS (${st.tls.implicit} implicit, ${st.tls.starttls} STARTTLS; ${st.tls.decrypted} decrypted)` : '; none in TLS';
  out.push(`  ${plural(st.failedSessions, 'session')} with a failing reply or login${tls}`);

  out.push('', st.failures.length ? 'Failing replies, most frequent first' : 'No failing replies');
  // Codes come from the wire too (an IMAP response code is whatever the server put in brackets): escaped like all wire text.
  // A command is whatever the client sent (binary junk too): shown at most COMMAND_WIDTH wide.
  const shown = st.failures.slice(0, ROWS).map((g) => ({ ...g, label: escapeShort(g.label, LABEL_WIDTH), command: escapeShort(g.command, COMMAND_WIDTH) }));
  if (shown.length) {
    const labelWidth = Math.max(5, ...shown.map((g) => g.label.length));
    const cmdWidth = Math.max(2, ...shown.map((g) => g.command.length));
    out.push(`  ${'count'.padStart(5)}  proto  ${'reply'.padEnd(labelWidth)}  ${'to'.padEnd(cmdWidth)}  meaning (sessions)`);
    for (const g of shown) {
      const sessions = g.sessions.join(', ') + (g.count > g.sessions.length && g.sessions.length === 10 ? ', …' : '');
      out.push(`  ${String(g.count).padStart(5)}  ${PROTO[g.protocol]}   ${g.label.padEnd(labelWidth)}  ${g.command.padEnd(cmdWidth)}  ${g.meaning}${g.temporary ? ' (temporary)' : ''} (${sessions})`);
    }
    if (st.failures.length > ROWS) out.push(`  … and ${plural(st.failures.length - ROWS, 'more kind')} (--format json lists all)`);
  }

  out.push('', `Logins: ${plural(st.auth.attempts, 'attempt')}, ${st.auth.succeeded} succeeded, ${st.auth.failed} failed`);
  for (const u of st.auth.users.slice(0, ROWS)) out.push(`  ${escapeString(u.user).padEnd(30)} ${String(u.succeeded).padStart(5)} ok ${String(u.failed).padStart(5)} failed`);
  if (st.auth.users.length > ROWS) out.push(`  … and ${plural(st.auth.users.length - ROWS, 'more user')}`);

  const m = st.messages;
  out.push('', `Messages: ${m.count}${m.count ? `, ${formatBytes(m.bytes)} in all, ${plural(m.attachments, 'attachment')}${m.partial ? `, ${m.partial} partial` : ''}` : ''}`);

  out.push('', 'Clients (sessions, of which failed)');
  for (const c of st.clients.slice(0, ROWS)) out.push(`  ${c.address.padEnd(40)} ${String(c.sessions).padStart(6)} ${String(c.failed).padStart(6)}`);
  if (st.clients.length > ROWS) out.push(`  … and ${plural(st.clients.length - ROWS, 'more client')}`);
  out.push('', 'Servers (sessions)');
  for (const s of st.servers.slice(0, ROWS)) out.push(`  ${`${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port} ${PROTO[s.protocol]}`.padEnd(40)} ${String(s.sessions).padStart(6)}`);
  if (st.servers.length > ROWS) out.push(`  … and ${plural(st.servers.length - ROWS, 'more server')}`);

  const kinds = Object.entries(st.findings.kinds).sort((a, b) => b[1] - a[1]);
  const sev = (['high', 'medium', 'low', 'info'] as const).filter((k) => st.findings.severities[k] > 0).map((k) => `${st.findings.severities[k]} ${k}`);
  out.push('', kinds.length ? `Findings (mailscope findings, f in the UI): ${sev.join(', ')}: ${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}` : 'Findings: none');
  const anomalies = Object.entries(st.anomalies).sort((a, b) => b[1] - a[1]);
  out.push('', anomalies.length ? `Anomalies: ${anomalies.map(([k, n]) => `${k} ${n}`).join(', ')}` : 'Anomalies: none');
  return out.join('\n') + '\n';
}
