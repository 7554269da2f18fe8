/**
 * Export from the UI: sessions as text transcripts (as `mailscope transcript`
 * prints them) or NDJSON (as `mailscope read --format ndjson` prints them),
 * written to a file the user names.
 */
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { formatBytes } from '../export/session-line.js';
import { formatTranscript, formatTranscriptMarked } from '../export/transcript.js';
import type { Lang } from '../explain/index.js';
import type { Session } from '../session/model.js';
import { jsonText } from '../export/json-line.js';
import { sessionRecord } from '../export/session-record.js';

export type ExportFormat = 'text' | 'ndjson';

/**
 * The sessions to export, fetched one at a time: the UI keeps most of a big
 * capture's sessions in its scratch file, and an export of a million of them
 * must not hold them all at once.
 */
export interface SessionSource {
  readonly length: number;
  get(index: number): Session;
}

export function sessionsOf(list: readonly Session[]): SessionSource {
  return { length: list.length, get: (i) => list[i] };
}

/** Bytes gathered before each write to the file. */
const WRITE_CHUNK = 1 << 20;

export interface ExportResult {
  /** Absolute path written. */
  path: string;
  sessions: number;
  bytes: number;
  format: ExportFormat;
}

/** Exchanges to mark in a text transcript (those the filter matched), per session. */
export type Highlight = (session: Session) => ReadonlySet<number> | undefined;

/** One session as exported; `first`: no blank line before it (text transcripts are separated by one). */
function exportOne(s: Session, first: boolean, format: ExportFormat, highlight?: Highlight, lang: Lang = 'en'): string {
  if (format === 'ndjson') return jsonText(sessionRecord(s)) + '\n';
  const marked = highlight?.(s);
  const text = marked && marked.size ? formatTranscriptMarked(s, marked, { lang }) : formatTranscript(s, { lang });
  return first ? text : '\n' + text;
}

/** `lang`: the language of the explanations under failing replies, as the detail view shows them. */
export function exportText(sessions: readonly Session[], format: ExportFormat, highlight?: Highlight, lang: Lang = 'en'): string {
  return sessions.map((s, i) => exportOne(s, i === 0, format, highlight, lang)).join('');
}

/** `~/x` and relative paths, resolved the way a shell user expects. */
export function resolveExportPath(path: string, cwd = process.cwd()): string {
  const p = path.trim();
  if (p === '~' || p.startsWith('~/')) return resolve(homedir(), p.slice(2));
  return resolve(cwd, p);
}

/** A file name to offer: session-0005.txt, or sessions-42.ndjson for several. */
export function defaultExportName(sessions: SessionSource, format: ExportFormat): string {
  const ext = format === 'ndjson' ? 'ndjson' : 'txt';
  if (sessions.length === 1) {
    const s = sessions.get(0);
    return `session-${String(s.id).padStart(4, '0')}-${s.protocol}.${ext}`;
  }
  return `sessions-${sessions.length}.${ext}`;
}

/** Writes the file, a megabyte at a time; refuses to replace an existing one unless `overwrite` (the error has code EEXIST). */
export async function exportSessions(
  sessions: SessionSource, format: ExportFormat, path: string, overwrite = false, highlight?: Highlight, lang: Lang = 'en',
): Promise<ExportResult> {
  const full = resolveExportPath(path);
  const file = await open(full, overwrite ? 'w' : 'wx');
  let bytes = 0;
  try {
    let chunk: string[] = [];
    let chunkLength = 0;
    const flush = async () => {
      const data = Buffer.from(chunk.join(''));
      chunk = [];
      chunkLength = 0;
      await file.write(data);
      bytes += data.length;
    };
    for (let i = 0; i < sessions.length; i++) {
      const text = exportOne(sessions.get(i), i === 0, format, highlight, lang);
      chunk.push(text);
      chunkLength += text.length;
      if (chunkLength >= WRITE_CHUNK) await flush();
    }
    await flush();
  } finally {
    await file.close();
  }
  return { path: full, sessions: sessions.length, bytes, format };
}

/** "wrote 1 session (3.2 kB, text transcript) to /tmp/x.txt" */
export function describeExport(r: ExportResult): string {
  const what = r.format === 'ndjson' ? 'NDJSON' : `text transcript${r.sessions === 1 ? '' : 's'}`;
  return `wrote ${r.sessions} session${r.sessions === 1 ? '' : 's'} (${formatBytes(r.bytes)}, ${what}) to ${r.path}`;
}
