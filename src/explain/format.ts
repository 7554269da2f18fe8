/**
 * Explanations as text: two compact lines for transcripts and the UI, and
 * the full layered form `mailscope explain` prints.
 */
import { LABELS } from './catalog.js';
import type { Explanation } from './types.js';

/** Marks explanation lines in transcripts, as !! marks anomalies. */
export const EXPLAIN_MARK = '??';

/** Two lines to show under a failing reply: "?? meaning — cause" and "   fix: ...". */
export function formatExplanationLines(e: Explanation): string[] {
  const l = LABELS[e.lang];
  return [`${EXPLAIN_MARK} ${e.meaning} — ${e.cause}`, `${' '.repeat(EXPLAIN_MARK.length)} ${l.fix}${l.colon}${e.fix}`];
}

/** Everything the catalog says about the reply, most specific first, for `mailscope explain`. */
export function formatExplanation(e: Explanation): string {
  const l = LABELS[e.lang];
  const kind = !e.failure ? l.success : e.temporary ? l.temporary : l.permanent;
  const out = [`${e.label} (${e.protocol.toUpperCase()})${l.colon}${kind}`];
  out.push(`  ${l.meaning}${l.colon}${e.meaning}`, `  ${l.cause}${l.colon}${e.cause}`, `  ${l.fix}${l.colon}${e.fix}`);
  // Codes read left to right as they are written: 550, then 5.x.x, x.7.x, x.7.1.
  const order: Record<string, number> = { smtp: 0, status: 0, pop3: 1, imap: 1, class: 1, subject: 2, detail: 3 };
  const codes = e.parts.filter((p) => p.kind !== 'pattern').sort((a, b) => order[a.kind] - order[b.kind]);
  const width = Math.max(0, ...codes.map((p) => p.key.length));
  if (e.pattern) out.push(`  ${l.matched}${l.colon}${e.pattern}`);
  if (codes.length) {
    out.push(`  ${l.codes}${l.colon.trim()}`);
    for (const p of codes) out.push(`    ${p.key.padEnd(width)}  ${p.meaning}`);
  }
  return out.join('\n') + '\n';
}
