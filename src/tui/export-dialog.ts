/**
 * The export dialog's steps and keys, without React: what (the selected
 * session or all filtered ones), how (text or NDJSON), where (a path, offered
 * with a default name), and whether to replace a file that exists.
 */
import type { Key } from 'ink';
import type { Session } from '../session/model.js';
import { defaultExportName, ExportExists, sessionsOf, type ExportFormat, type SessionSource } from './export-sessions.js';
import { describeWriteError } from './write-error.js';
import { editLine, lineOf, type LineState } from './internal/line-editor.js';

export type ExportStep =
  | { kind: 'scope' }
  | { kind: 'format'; sessions: SessionSource }
  | { kind: 'path'; sessions: SessionSource; format: ExportFormat; line: LineState; error?: string }
  /** `question`: what would be replaced ("/x exists: replace it?"). */
  | { kind: 'overwrite'; sessions: SessionSource; format: ExportFormat; line: LineState; question: string }
  | { kind: 'writing'; sessions: SessionSource; format: ExportFormat; line: LineState }
  /** x in the detail view: the folder to extract the session's messages and attachments into. */
  | { kind: 'folder'; sessions: SessionSource; line: LineState; error?: string }
  | { kind: 'extracting'; sessions: SessionSource; line: LineState };

export interface ExportContext {
  /** The selected (or open) session. */
  selected: Session | undefined;
  filteredCount: number;
  filtered(): SessionSource;
}

export type ExportAction = { kind: 'cancel' } | { kind: 'write'; overwrite: boolean } | { kind: 'extract' };

/** The folder x offers for a session's messages. */
export function defaultExtractFolder(session: Session): string {
  return `session-${String(session.id).padStart(4, '0')}-messages`;
}

/** The first step of x: the folder, offered with a default name. */
export function firstExtractStep(session: Session): ExportStep {
  return { kind: 'folder', sessions: sessionsOf([session]), line: lineOf(defaultExtractFolder(session)) };
}

/** The first step: straight to the format when there is only one session to export. */
export function firstExportStep(ctx: ExportContext, onlySelected: boolean): ExportStep {
  if ((onlySelected || ctx.filteredCount <= 1) && ctx.selected) return { kind: 'format', sessions: sessionsOf([ctx.selected]) };
  return { kind: 'scope' };
}

/**
 * Where a failed write leaves the dialog: asking before replacing what exists
 * (a file, or files in a folder), else back at the path with the reason as a
 * sentence.
 */
export function afterWriteError(step: Extract<ExportStep, { kind: 'writing' }>, err: unknown): ExportStep {
  const { sessions, format, line } = step;
  if (err instanceof ExportExists) {
    const question = err.target.kind === 'file'
      ? `${err.target.path} exists: replace it? y / n`
      : `${err.existing === 1 ? '1 of the files exists' : `${err.existing} of the files exist`} in ${err.target.path}/: replace ${err.existing === 1 ? 'it' : 'them'}? y / n`;
    return { kind: 'overwrite', sessions, format, line, question };
  }
  return { kind: 'path', sessions, format, line, error: describeWriteError(err, line.text) };
}

export function exportKey(step: ExportStep, input: string, key: Partial<Key>, ctx: ExportContext): { step: ExportStep; action?: ExportAction } {
  if (key.escape) return { step, action: { kind: 'cancel' } };
  switch (step.kind) {
    case 'scope':
      if ((input === 's' || input === '1') && ctx.selected) return { step: { kind: 'format', sessions: sessionsOf([ctx.selected]) } };
      if (input === 'a' && ctx.filteredCount > 0) return { step: { kind: 'format', sessions: ctx.filtered() } };
      return { step };
    case 'format': {
      const format: ExportFormat | null = input === 't' ? 'text' : input === 'n' ? 'ndjson' : null;
      if (!format) return { step };
      return { step: { kind: 'path', sessions: step.sessions, format, line: lineOf(defaultExportName(step.sessions, format)) } };
    }
    case 'path': {
      if (key.return) {
        if (step.line.text.trim() === '') return { step };
        return { step: { kind: 'writing', sessions: step.sessions, format: step.format, line: step.line }, action: { kind: 'write', overwrite: false } };
      }
      const line = editLine(step.line, input, key);
      return { step: line ? { ...step, line, error: undefined } : step };
    }
    case 'overwrite':
      if (input === 'y') return { step: { ...step, kind: 'writing' }, action: { kind: 'write', overwrite: true } };
      if (input === 'n') return { step: { kind: 'path', sessions: step.sessions, format: step.format, line: step.line } };
      return { step };
    case 'folder': {
      if (key.return) {
        if (step.line.text.trim() === '') return { step };
        return { step: { kind: 'extracting', sessions: step.sessions, line: step.line }, action: { kind: 'extract' } };
      }
      const line = editLine(step.line, input, key);
      return { step: line ? { ...step, line, error: undefined } : step };
    }
    case 'writing':
    case 'extracting':
      return { step };
  }
}
