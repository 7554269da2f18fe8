/**
 * `mailscope transcript`: a session as a person reads it. Each line is
 * prefixed C: (client) or S: (server) with its time and, on replies, the
 * latency since the command; bodies are summarised; gaps, anomalies and the
 * start of TLS appear where they happened (ordered by frame number).
 */
import type { Exchange, MessageSummary, Reply, Session } from '../session/model.js';
import { escapeString } from '../util/escape.js';
import { parseIso } from '../util/time.js';
import { endpointText, describeClose } from './follow.js';
import { formatBytes } from './session-line.js';

interface Line {
  frame: number;
  order: number;
  time: string;
  latency: string;
  side: 'C' | 'S' | '!' | '=';
  text: string;
}

const PROTO: Record<string, string> = { smtp: 'SMTP', pop3: 'POP3', imap: 'IMAP' };

export function formatTranscript(s: Session): string {
  const lines: Line[] = [];
  let order = 0;
  const push = (frame: number, time: string, side: Line['side'], text: string, latency = '') =>
    lines.push({ frame, order: order++, time: time ? time.slice(11, 26) : '', latency, side, text });

  if (s.tls?.mode === 'implicit') push(0, s.start, '=', `TLS from the first byte: ${tlsText(s)}`);
  s.exchanges.forEach((ex, i) => addExchange(s, ex, i, push));
  for (const a of s.anomalies) push(a.frame, '', '!', `${a.kind}: ${a.detail}`);

  lines.sort((a, b) => a.frame - b.frame || a.order - b.order);
  const head = [
    `Session ${s.id}: ${PROTO[s.protocol]} ${endpointText(s.client)} -> ${endpointText(s.server)}, ${s.start} to ${s.end.slice(11)}, ` +
      `tcp.stream ${s.stream}, ${describeClose(s.closed as never)}`,
    ...s.auth.map((a) => `  auth: ${a.mechanism}${a.user ? ' ' + escapeString(a.user) : ''}: ${a.result}`),
    `  ${formatBytes(s.bytes.client)} from the client, ${formatBytes(s.bytes.server)} from the server; ` +
      `${s.tcp.retransmissions} retransmissions, ${s.tcp.gaps} gaps, ${s.tcp.resets} resets`,
  ];
  const body = lines.map((l) => {
    const time = (l.time || '').padEnd(15);
    const lat = l.latency.padStart(11);
    const prefix = l.side === '!' ? '!!' : l.side === '=' ? '==' : `${l.side}:`;
    return `${time} ${lat} ${prefix} ${l.text}`.trimEnd();
  });
  return [...head, ...body].join('\n') + '\n';
}

type Push = (frame: number, time: string, side: Line['side'], text: string, latency?: string) => void;

function addExchange(s: Session, ex: Exchange, index: number, push: Push): void {
  const cmd = ex.command;
  if (cmd) {
    const text = [cmd.tag, cmd.verb, cmd.args].filter((x) => x !== undefined && x !== '').join(' ');
    push(cmd.frame, cmd.ts, 'C', escapeString(text));
  }
  for (const step of ex.interim ?? []) {
    replyLines(step.reply, cmd?.ts, push);
    if (step.response) push(step.response.frame, step.response.ts, 'C', escapeString(step.response.text));
  }
  const replyFrame = ex.reply?.frame ?? cmd?.frame ?? 0;
  for (const u of ex.untagged ?? []) push(replyFrame, '', 'S', escapeString(u));
  for (const ref of ex.bodies ?? []) {
    const m = s.messages[ref.message];
    if (!m) continue;
    // A message the client sends follows the go-ahead (354, "+") when there was one; one the server sends precedes its final reply.
    const fromClient = m.via.startsWith('smtp') || m.via === 'imap.append';
    const lastInterim = ex.interim?.[ex.interim.length - 1];
    const frame = fromClient ? lastInterim?.reply.frame ?? cmd?.frame ?? replyFrame : replyFrame;
    push(frame, '', fromClient ? 'C' : 'S', messageText(m));
    if (m.body !== undefined) {
      // The kept start of the message, a line at a time, escaped like everything from the wire.
      const body = m.body.endsWith('\r\n') ? m.body.slice(0, -2) : m.body;
      for (const line of body.split('\r\n')) push(frame, '', fromClient ? 'C' : 'S', `| ${escapeString(line)}`);
      if (m.size > m.body.length) push(frame, '', fromClient ? 'C' : 'S', `| [… ${m.size - m.body.length} more bytes not shown]`);
    }
  }
  if (ex.reply) replyLines(ex.reply, cmd?.ts, push);
  if (s.tls && s.tls.startExchange === index) push(ex.reply?.frame ?? replyFrame, '', '=', `TLS starts here: ${tlsText(s)}`);
}

function replyLines(r: Reply, commandTs: string | undefined, push: Push): void {
  const latency = commandTs ? formatLatency(parseIso(r.ts) - parseIso(commandTs)) : '';
  r.lines.forEach((line, i) => push(r.frame, i === 0 ? r.ts : '', 'S', escapeString(line), i === 0 ? latency : ''));
}

function formatLatency(ns: bigint): string {
  const ms = Number(ns) / 1e6;
  if (ms < 0) return '';
  return ms < 1000 ? `+${ms.toFixed(3)}ms` : `+${(ms / 1000).toFixed(3)}s`;
}

function messageText(m: MessageSummary): string {
  const parts = [`[message, ${formatBytes(m.size)}${m.partial ? ', PARTIAL' : ''}`];
  if (m.subject !== undefined) parts.push(`subject "${escapeString(m.subject)}"`);
  if (m.from !== undefined) parts.push(`from ${escapeString(m.from)}`);
  if (m.to !== undefined) parts.push(`to ${escapeString(m.to)}`);
  parts.push(`sha256 ${m.sha256.slice(0, 16)}…]`);
  return parts.join(', ');
}

function tlsText(s: Session): string {
  const t = s.tls!;
  const bits = [t.version ?? 'version not seen'];
  if (t.sni) bits.push(`SNI ${escapeString(t.sni)}`);
  if (t.cipher) bits.push(t.cipher);
  bits.push(t.decrypted ? 'decrypted' : 'encrypted: no key for this connection');
  return bits.join(', ');
}
