/**
 * The detail view's content as a flat list of screen lines, built once per
 * (session, width, filter, folding) and then scrolled by index: the session's
 * facts (auth, TLS, TCP symptoms), then the transcript from
 * export/transcript.ts with each line tagged for colour, the exchanges that
 * matched the filter marked, an explanation slot under each failing reply,
 * and message bodies folded.
 */
import { describeClose, endpointText } from '../export/follow.js';
import { recipientsText } from '../export/message-list.js';
import { formatBytes } from '../export/session-line.js';
import { transcriptLines, type TranscriptLine } from '../export/transcript.js';
import { isAttachment, type Session } from '../session/model.js';
import { findingsFor } from '../findings/index.js';
import { escapeString } from '../util/escape.js';
import type { Lang } from '../explain/index.js';
import { explanationLines } from './explanation-slot.js';
import { replySeverity } from './row-cells.js';
import { wrapCells } from './cells.js';
import { inZone } from '../util/display-zone.js';

export type DetailKind =
  | 'title' | 'info' | 'good' | 'bad' | 'heading'
  | 'client' | 'server' | 'warn' | 'error' | 'tls' | 'anomaly' | 'explain' | 'body' | 'fold' | 'blank';

export interface DetailLine {
  /** Safe to print; at most the width asked for. */
  text: string;
  kind: DetailKind;
  /** Part of an exchange the filter matched. */
  matched: boolean;
  /** Exchange index, when the line belongs to one. */
  exchange?: number;
}

export interface DetailOptions {
  /** Width of the text area in cells (the gutter is not included). */
  width: number;
  /** Exchanges the applied filter matched (highlighted). */
  matched: ReadonlySet<number>;
  /** Show message bodies whole instead of folded. */
  unfold: boolean;
  /** Language of the explanations under failing replies (default English). */
  lang?: Lang;
}

/** Column where transcript text starts (after time, latency and the C:/S: prefix). */
const TEXT_COL = 12 + 1 + 10 + 1 + 2 + 1;

/** Body lines shown before a fold. */
export const FOLDED_BODY_LINES = 4;

const PROTO: Record<string, string> = { smtp: 'SMTP', pop3: 'POP3', imap: 'IMAP' };

export function buildDetailLines(s: Session, options: DetailOptions): DetailLine[] {
  const width = Math.max(20, options.width);
  const out: DetailLine[] = [];
  const add = (text: string, kind: DetailKind, matched = false, exchange?: number, indent = 0) => {
    for (const piece of wrapCells(text, width, indent)) out.push({ text: piece, kind, matched, exchange });
  };

  add(`Session ${s.id}  ${PROTO[s.protocol]}  ${endpointText(s.client)} -> ${endpointText(s.server)}  tcp.stream ${s.stream}`, 'title');
  // What an expert would point out first (src/findings), most severe first.
  for (const f of findingsFor(s)) {
    const at = f.evidence.find((e) => e.session === s.id)?.exchanges ?? [];
    add(`finding ${f.severity.toUpperCase()} ${f.kind}: ${escapeString(f.why)}${at.length ? ` [ex ${at.slice(0, 4).join(',')}]` : ''}`,
      f.severity === 'high' || f.severity === 'medium' ? 'bad' : f.severity === 'low' ? 'anomaly' : 'info', false, undefined, 2);
  }
  add(`${inZone(s.start).text.replace('T', ' ')} to ${inZone(s.end).text.slice(11)} ${inZone(s.end).zone}, ${describeClose(s.closed)}; ` +
    `${formatBytes(s.bytes.client)} from the client, ${formatBytes(s.bytes.server)} from the server, ${s.exchanges.length} exchanges`, 'info', false, undefined, 2);
  for (const a of s.auth) {
    add(`auth ${a.mechanism}${a.user ? ' ' + escapeString(a.user) : ''}: ${a.result}`, a.result === 'failure' ? 'bad' : a.result === 'success' ? 'good' : 'info',
      options.matched.has(a.exchange), a.exchange, 2);
  }
  if (s.tls) {
    const t = s.tls;
    const bits = [t.mode === 'implicit' ? 'implicit TLS' : 'STARTTLS', t.version ?? 'version not seen'];
    if (t.sni) bits.push(`SNI ${escapeString(t.sni)}`);
    if (t.cipher) bits.push(t.cipher);
    if (t.alpn.length) bits.push(`ALPN ${t.alpn.map(escapeString).join(',')}`);
    bits.push(t.decrypted ? 'decrypted' : 'encrypted (no key)');
    add(`TLS: ${bits.join(', ')}`, 'tls', false, undefined, 2);
  }
  const tcp = s.tcp;
  const symptoms = [
    `${tcp.retransmissions} retransmissions`, `${tcp.out_of_order} out of order`,
    `${tcp.gaps} gaps${tcp.gaps ? ` (${formatBytes(tcp.gap_bytes)} missing)` : ''}`, `${tcp.zero_windows} zero windows`, `${tcp.resets} resets`,
  ];
  const troubled = tcp.retransmissions + tcp.out_of_order + tcp.gaps + tcp.zero_windows + tcp.resets > 0;
  add(`TCP: ${symptoms.join(', ')}`, troubled ? 'anomaly' : 'info', false, undefined, 2);
  if (s.anomalies.length) add(`${s.anomalies.length} anomal${s.anomalies.length === 1 ? 'y' : 'ies'} (marked !! in the transcript)`, 'anomaly', false, undefined, 2);
  // The messages carried, and their attachments (x extracts them).
  if (s.messages.length) {
    add(`${s.messages.length} message${s.messages.length === 1 ? '' : 's'} (x extracts them with their attachments)`, 'heading', false, undefined, 2);
    s.messages.forEach((m, i) => {
      const bits = [`  message ${i + 1}`, m.via, formatBytes(m.size)];
      if (m.partial) bits.push('partial');
      const from = m.from ?? m.mailFrom;
      if (from !== undefined) bits.push(`from ${escapeString(from)}`);
      const list = m.to ?? m.rcptTo;
      const to = list ? recipientsText(list) : undefined;
      if (to !== undefined) bits.push(`to ${escapeString(to)}`);
      const subject = m.subjectDecoded ?? m.subject;
      if (subject !== undefined) bits.push(`subject "${escapeString(subject)}"`);
      add(bits.join('  '), 'info', options.matched.has(m.exchange), m.exchange, 4);
      (m.parts ?? []).forEach((p, j) => {
        if (!isAttachment(p) && p.name === undefined) return;
        const name = p.name !== undefined ? `"${escapeString(p.name)}"` : '(no name)';
        add(`    part ${j + 1}  ${name}  ${escapeString(p.type)}  ${formatBytes(p.size)}${p.partial ? '  partial' : ''}  sha256 ${p.sha256}`,
          'info', options.matched.has(m.exchange), m.exchange, 6);
      });
      if (m.partsDropped) add(`    ${m.partsDropped} more parts not listed`, 'anomaly', false, m.exchange, 6);
    });
  }
  add('', 'blank');

  let bodyRun = 0;
  let folded = 0;
  const flushFold = (matched: boolean, exchange?: number) => {
    if (folded > 0) add(`${' '.repeat(TEXT_COL)}… ${folded} more line${folded === 1 ? '' : 's'} of the message folded (Tab shows them)`, 'fold', matched, exchange);
    folded = 0;
  };
  let last: TranscriptLine | undefined;
  for (const l of transcriptLines(s)) {
    const matched = l.exchange !== undefined && options.matched.has(l.exchange);
    if (l.body) {
      bodyRun++;
      if (!options.unfold && bodyRun > FOLDED_BODY_LINES) {
        folded++;
        last = l;
        continue;
      }
    } else {
      if (last?.body) flushFold(last.exchange !== undefined && options.matched.has(last.exchange), last.exchange);
      bodyRun = 0;
    }
    last = l;
    const prefix = l.side === '!' ? '!!' : l.side === '=' ? '==' : `${l.side}:`;
    const text = `${l.time.slice(0, 12).padEnd(12)} ${l.latency.padStart(10)} ${prefix} ${l.text}`;
    add(text, lineKind(l), matched, l.exchange, TEXT_COL);
    if (l.replyEnd && l.reply && l.exchange !== undefined && replySeverity(l.reply) !== 'ok') {
      for (const e of explanationLines(s, l.exchange, l.reply, options.lang)) add(`${' '.repeat(TEXT_COL)}${e}`, 'explain', matched, l.exchange, TEXT_COL);
    }
  }
  if (last?.body) flushFold(last.exchange !== undefined && options.matched.has(last.exchange), last.exchange);
  return out;
}

function lineKind(l: TranscriptLine): DetailKind {
  if (l.side === '!') return 'anomaly';
  if (l.side === '=') return 'tls';
  if (l.body) return 'body';
  if (l.side === 'C') return 'client';
  const sev = replySeverity(l.reply);
  return sev === 'error' ? 'error' : sev === 'warn' ? 'warn' : 'server';
}

