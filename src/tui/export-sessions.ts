/**
 * Export from the UI: sessions as text transcripts (as `mailscope transcript`
 * prints them) or NDJSON (as `mailscope read --format ndjson` prints them),
 * written to a file the user names.
 */
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { formatBytes } from '../export/session-line.js';
import { formatTranscript, formatTranscriptMarked } from '../export/transcript.js';
import type { Lang } from '../explain/index.js';
import type { Session } from '../session/model.js';

export type ExportFormat = 'text' | 'ndjson';

export interface ExportResult {
  /** Absolute path written. */
  path: string;
  sessions: number;
  bytes: number;
  format: ExportFormat;
}

/** Exchanges to mark in a text transcript (those the filter matched), per session. */
export type Highlight = (session: Session) => ReadonlySet<number> | undefined;

/** `lang`: the language of the explanations under failing replies, as the detail view shows them. */
export function exportText(sessions: readonly Session[], format: ExportFormat, highlight?: Highlight, lang: Lang = 'en'): string {
  if (format === 'ndjson') return sessions.map((s) => JSON.stringify(s) + '\n').join('');
  return sessions
    .map((s) => {
      const marked = highlight?.(s);
      return marked && marked.size ? formatTranscriptMarked(s, marked, { lang }) : formatTranscript(s, { lang });
    })
    .join('\n');
}

/** `~/x` and relative paths, resolved the way a shell user expects. */
export function resolveExportPath(path: string, cwd = process.cwd()): string {
  const p = path.trim();
  if (p === '~' || p.startsWith('~/')) return resolve(homedir(), p.slice(2));
  return resolve(cwd, p);
}

/** A file name to offer: session-0005.txt, or sessions-42.ndjson for several. */
export function defaultExportName(sessions: readonly Session[], format: ExportFormat): string {
  const ext = format === 'ndjson' ? 'ndjson' : 'txt';
  if (sessions.length === 1) return `session-${String(sessions[0].id).padStart(4, '0')}-${sessions[0].protocol}.${ext}`;
  return `sessions-${sessions.length}.${ext}`;
}

/** Writes the file; refuses to replace an existing one unless `overwrite` (the error has code EEXIST). */
export async function exportSessions(
  sessions: readonly Session[], format: ExportFormat, path: string, overwrite = false, highlight?: Highlight, lang: Lang = 'en',
): Promise<ExportResult> {
  const full = resolveExportPath(path);
  const text = exportText(sessions, format, highlight, lang);
  await writeFile(full, text, { flag: overwrite ? 'w' : 'wx' });
  return { path: full, sessions: sessions.length, bytes: Buffer.byteLength(text), format };
}

/** "wrote 1 session (3.2 kB, text transcript) to /tmp/x.txt" */
export function describeExport(r: ExportResult): string {
  const what = r.format === 'ndjson' ? 'NDJSON' : `text transcript${r.sessions === 1 ? '' : 's'}`;
  return `wrote ${r.sessions} session${r.sessions === 1 ? '' : 's'} (${formatBytes(r.bytes)}, ${what}) to ${r.path}`;
}
