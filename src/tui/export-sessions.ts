/**
 * Export from the UI: sessions as text transcripts (as `mailscope transcript`
 * prints them) or NDJSON (as `mailscope read --format ndjson` prints them),
 * written to a file the user names, or to a folder (a path ending in "/", or
 * one that is a folder): one file per session there.
 */
import { mkdir, open, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
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
  /** Absolute path written: the file, or the folder the files went into. */
  path: string;
  /** Set for an export to a folder: the files written in it (one per session). */
  files?: number;
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

/** Where an export goes: a file, or a folder to hold one file per session (`create`: it does not exist yet). */
export type ExportTarget = { kind: 'file'; path: string } | { kind: 'folder'; path: string; create: boolean };

/**
 * A path ending in "/" means a folder (made when missing), as does a path
 * naming a folder that exists; anything else is a file. `resolve` drops the
 * trailing slash, so it is looked at in the text as typed.
 */
export async function exportTarget(path: string, cwd = process.cwd()): Promise<ExportTarget> {
  const full = resolveExportPath(path, cwd);
  const slash = /[/\\]$/.test(path.trim());
  const found = await stat(full).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (found?.isDirectory()) return { kind: 'folder', path: full, create: false };
  if (slash) {
    if (found) throw Object.assign(new Error(`${full} is a file`), { code: 'ENOTFOLDER', path: `${full}/` });
    return { kind: 'folder', path: full, create: true };
  }
  return { kind: 'file', path: full };
}

/** A file (or files, in a folder) that exists and would be replaced; code EEXIST, as open's own. */
export class ExportExists extends Error {
  readonly code = 'EEXIST';

  constructor(readonly target: ExportTarget, readonly existing: number) {
    super(target.kind === 'file' ? `${target.path} exists` : `${existing} of the files exist in ${target.path}`);
  }
}

/**
 * Writes the sessions to the file or folder `path` names (see exportTarget);
 * refuses to replace an existing file unless `overwrite` (throws ExportExists).
 */
export async function exportSessions(
  sessions: SessionSource, format: ExportFormat, path: string, overwrite = false, highlight?: Highlight, lang: Lang = 'en',
): Promise<ExportResult> {
  const target = await exportTarget(path);
  if (target.kind === 'file') {
    const bytes = await writeSessions(sessions, format, target, overwrite, highlight, lang);
    return { path: target.path, sessions: sessions.length, bytes, format };
  }
  if (target.create) await mkdir(target.path, { recursive: true });
  const fileOf = (i: number) => join(target.path, defaultExportName(sessionsOf([sessions.get(i)]), format));
  // Asked once for the whole folder, before anything is written, so a "no" leaves it as it was.
  if (!overwrite && !target.create) {
    let existing = 0;
    for (let i = 0; i < sessions.length; i++) if (await exists(fileOf(i))) existing++;
    if (existing > 0) throw new ExportExists(target, existing);
  }
  let bytes = 0;
  for (let i = 0; i < sessions.length; i++) {
    bytes += await writeSessions(sessionsOf([sessions.get(i)]), format, { kind: 'file', path: fileOf(i) }, overwrite, highlight, lang);
  }
  return { path: target.path, files: sessions.length, sessions: sessions.length, bytes, format };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Writes one file, a megabyte at a time; the bytes written. */
async function writeSessions(
  sessions: SessionSource, format: ExportFormat, target: ExportTarget & { kind: 'file' }, overwrite: boolean, highlight?: Highlight, lang: Lang = 'en',
): Promise<number> {
  let file;
  try {
    file = await open(target.path, overwrite ? 'w' : 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ExportExists(target, 1);
    throw err;
  }
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
  return bytes;
}

/** "wrote 1 session (3.2 kB, text transcript) to /tmp/x.txt", "wrote 3 sessions (…) to 3 files in /tmp/out/" */
export function describeExport(r: ExportResult): string {
  const what = r.format === 'ndjson' ? 'NDJSON' : `text transcript${r.sessions === 1 ? '' : 's'}`;
  const where = r.files !== undefined ? `${r.files} file${r.files === 1 ? '' : 's'} in ${r.path}/` : r.path;
  return `wrote ${r.sessions} session${r.sessions === 1 ? '' : 's'} (${formatBytes(r.bytes)}, ${what}) to ${where}`;
}
