/**
 * `mailscope transcript`: a session as a person reads it. Each line is
 * prefixed C: (client) or S: (server) with its time and, on replies, the
 * latency since the command; bodies are summarised; gaps, anomalies and the
 * start of TLS appear where they happened (ordered by frame number). Under
 * each failing reply, two "??" lines say what it means and what usually fixes
 * it (src/explain/), unless explanations are switched off.
 */
import { explainReply, formatExplanationLines, type Lang } from '../explain/index.js';
import { verbAsSent, type Exchange, type MessageSummary, type Reply, type Session } from '../session/model.js';
import { escapeString } from '../util/escape.js';
import { parseIso } from '../util/time.js';
import { endpointText, describeClose } from './follow.js';
import { recipientsText } from './message-list.js';
import { formatBytes } from './session-line.js';
import { clockTimeFine, inZone } from '../util/display-zone.js';

/** One line of a transcript, before formatting: what the UI colours and the text export prints. */
export interface TranscriptLine {
  /** Frame the line belongs to (lines are ordered by it). */
  frame: number;
  /** Insertion order, to keep lines of one frame in the order they were produced. */
  order: number;
  /** Time of day (HH:MM:SS.ffffff) on the first line of a command or reply, else ''. */
  time: string;
  /** "+12.345ms" on the first line of a reply to a command, else ''. */
  latency: string;
  /** C client, S server, ! anomaly, = TLS note. */
  side: 'C' | 'S' | '!' | '=';
  /** Escaped text, safe to print. */
  text: string;
  /** Index of the exchange the line belongs to, when it belongs to one. */
  exchange?: number;
  /** The reply this line is part of (final or interim), for colouring. */
  reply?: Reply;
  /** True on the last line of an exchange's final reply: where its explanation goes. */
  replyEnd?: boolean;
  /** True for lines of a message body (transcript --bodies). */
  body?: boolean;
}
type Line = TranscriptLine;

const PROTO: Record<string, string> = { smtp: 'SMTP', pop3: 'POP3', imap: 'IMAP' };

/** The transcript's lines in the order they happened (by frame), unformatted. */
export function transcriptLines(s: Session): TranscriptLine[] {
  const lines: Line[] = [];
  let order = 0;
  let current: number | undefined;
  const push: Push = (frame, time, side, text, latency = '', extra) =>
    lines.push({ frame, order: order++, time: time ? clockTimeFine(time) : '', latency, side, text, exchange: current, ...extra });

  if (s.tls?.mode === 'implicit') push(0, s.start, '=', `TLS from the first byte: ${tlsText(s)}`);
  s.exchanges.forEach((ex, i) => {
    current = i;
    addExchange(s, ex, i, push);
  });
  current = undefined;
  for (const a of s.anomalies) push(a.frame, '', '!', `${a.kind}: ${escapeString(a.detail)}`, '', { exchange: a.exchange });

  // Within one frame, lines keep the order they were produced in, except the greeting: when the client
  // spoke first, the greeting's exchange is made after those commands', yet on the wire the 220 comes
  // before the replies that share its segment.
  const greeting = s.exchanges.findIndex((ex) => ex.command === null);
  const rank = (l: Line) => (l.side === 'S' && greeting >= 0 && l.exchange === greeting ? 0 : 1);
  lines.sort((a, b) => a.frame - b.frame || rank(a) - rank(b) || a.order - b.order);
  return lines;
}

/** The lines above the transcript: who, when, auth attempts, bytes and TCP symptoms. */
export function transcriptHeader(s: Session): string[] {
  return [
    `Session ${s.id}: ${PROTO[s.protocol]} ${endpointText(s.client)} -> ${endpointText(s.server)}, ${timeSpan(s.start, s.end)}, ` +
      `tcp.stream ${s.stream}, ${describeClose(s.closed)}`,
    ...s.auth.map((a) => `  auth: ${a.mechanism}${a.user ? ' ' + escapeString(a.user) : ''}: ${a.result}`),
    `  ${formatBytes(s.bytes.client)} from the client, ${formatBytes(s.bytes.server)} from the server; ` +
      `${s.tcp.retransmissions} retransmissions, ${s.tcp.gaps} gaps, ${s.tcp.resets} resets`,
  ];
}

export interface TranscriptOptions {
  /** Explain each failing reply under it (default true; `--no-explain` turns it off). */
  explain?: boolean;
  /** Language of the explanations (default 'en'). */
  lang?: Lang;
}

export function formatTranscript(s: Session, options: TranscriptOptions = {}): string {
  return renderTranscript(s, undefined, options);
}

/** The transcript with a two-column margin: ">" marks the lines of the given exchanges (those a --filter matched). */
export function formatTranscriptMarked(s: Session, highlight: ReadonlySet<number>, options: TranscriptOptions = {}): string {
  return renderTranscript(s, highlight, options);
}

/** Where transcript text starts: after the time (15), a space, the latency (11) and a space; "??" lines start there. */
const TEXT_INDENT = ' '.repeat(15 + 1 + 11 + 1);

function renderTranscript(s: Session, highlight: ReadonlySet<number> | undefined, options: TranscriptOptions): string {
  const head = transcriptHeader(s);
  const body: string[] = [];
  for (const l of transcriptLines(s)) {
    const time = (l.time || '').padEnd(15);
    const lat = l.latency.padStart(11);
    const prefix = l.side === '!' ? '!!' : l.side === '=' ? '==' : `${l.side}:`;
    const margin = !highlight ? '' : l.exchange !== undefined && highlight.has(l.exchange) ? '> ' : '  ';
    body.push(`${margin}${time} ${lat} ${prefix} ${l.text}`.trimEnd());
    if (options.explain !== false && l.replyEnd && l.reply) {
      // The command it answers matters to some codes ([IN-USE] after PASS is a locked mailbox).
      const verb = l.exchange !== undefined ? s.exchanges[l.exchange]?.command?.verb : undefined;
      const e = explainReply(l.reply, s.protocol, options.lang ?? 'en', verb ? { command: verb } : {});
      if (e) for (const line of formatExplanationLines(e)) body.push(`${margin}${TEXT_INDENT}${line}`);
    }
  }
  return [...head, ...body].join('\n') + '\n';
}

type Push = (frame: number, time: string, side: Line['side'], text: string, latency?: string, extra?: Partial<Line>) => void;

function addExchange(s: Session, ex: Exchange, index: number, push: Push): void {
  const cmd = ex.command;
  if (cmd) {
    const text = [cmd.tag, verbAsSent(cmd), cmd.args].filter((x) => x !== undefined && x !== '').join(' ');
    push(cmd.frame, cmd.ts, 'C', escapeString(text));
  }
  for (const step of ex.interim ?? []) {
    replyLines(step.reply, cmd?.ts, push, false);
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
      for (const line of body.split('\r\n')) push(frame, '', fromClient ? 'C' : 'S', `| ${escapeString(line)}`, '', { body: true });
      if (m.size > m.body.length) push(frame, '', fromClient ? 'C' : 'S', `| [… ${m.size - m.body.length} more bytes not shown]`, '', { body: true });
    }
  }
  if (ex.reply) replyLines(ex.reply, cmd?.ts, push, true);
  if (s.tls && s.tls.startExchange === index) push(ex.reply?.frame ?? replyFrame, '', '=', `TLS starts here: ${tlsText(s)}`);
}

function replyLines(r: Reply, commandTs: string | undefined, push: Push, final: boolean): void {
  const latency = commandTs ? formatLatency(parseIso(r.ts) - parseIso(commandTs)) : '';
  const last = r.lines.length - 1;
  r.lines.forEach((line, i) =>
    push(r.frame, i === 0 ? r.ts : '', 'S', escapeString(line), i === 0 ? latency : '', { reply: r, replyEnd: final && i === last }));
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
  if (m.to !== undefined) parts.push(`to ${escapeString(recipientsText(m.to))}`);
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

/** "2026-11-25T12:37:19.147515Z to 12:37:20.150960Z" in UTC (as the JSON has them); in another zone, "2026-11-25T13:37:19.147515 to 13:37:20.150960 +01:00". */
function timeSpan(start: string, end: string): string {
  const a = inZone(start);
  if (a.zone === 'UTC') return `${start} to ${end.slice(11)}`;
  const b = inZone(end);
  return `${a.text} to ${b.text.slice(11)} ${b.zone}`;
}
