/** Findings as text: the `findings` command's output and the UI's findings list share these. */
import { escapeString } from '../util/escape.js';
import { SEVERITIES, type Evidence, type Finding } from './model.js';

/** Text: a summary line, then one block per severity, one line per finding: kind, evidence, why. */
export function formatFindingsText(findings: readonly Finding[], sessions: number): string {
  const by = SEVERITIES.map((sev) => findings.filter((f) => f.severity === sev));
  const counts = SEVERITIES.map((sev, i) => (by[i].length ? `${by[i].length} ${sev}` : '')).filter(Boolean);
  let text = `${findings.length} finding${findings.length === 1 ? '' : 's'} in ${sessions} mail session${sessions === 1 ? '' : 's'}${counts.length ? ` (${counts.join(', ')})` : ''}\n`;
  SEVERITIES.forEach((sev, i) => {
    if (by[i].length === 0) return;
    text += `\n${sev.toUpperCase()}\n`;
    const ordered = [...by[i]].sort((a, b) => (a.evidence[0]?.session ?? 0) - (b.evidence[0]?.session ?? 0));
    // A why is built safe (context.ts safe()); escaping again costs nothing and keeps wire text from ever reaching the terminal raw.
    for (const f of ordered) text += `  ${f.kind.padEnd(22)} ${evidenceText(f.evidence).padEnd(16)} ${escapeString(f.why)}\n`;
  });
  return text;
}

/** "session 4 ex 2", "session 5 ex 2,3", "sessions 1-12" (exchanges are 0-based, as in read --format ndjson). */
export function evidenceText(evidence: readonly Evidence[]): string {
  if (evidence.length === 1) {
    const e = evidence[0];
    return `session ${e.session}${e.exchanges.length ? ` ex ${e.exchanges.slice(0, 4).join(',')}${e.exchanges.length > 4 ? ',…' : ''}` : ''}`;
  }
  const ids = [...new Set(evidence.map((e) => e.session))].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j] + 1) j++;
    ranges.push(j > i ? `${ids[i]}-${ids[j]}` : String(ids[i]));
    i = j;
  }
  return `sessions ${ranges.join(',')}`;
}
