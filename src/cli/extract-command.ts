/**
 * `mailscope extract FILE... --out DIR [--filter EXPR] [--overwrite]`: each
 * message as DIR/session-0005-msg-1.eml (the bytes as carried, dot-unstuffed),
 * its attachments decoded as files, and DIR/manifest.ndjson describing them.
 *
 * Message bytes are never held in memory: while the capture is read, each
 * body streams into a temporary file in DIR (a BodyTap); when its session
 * ends and the filter selects it, the file is renamed and read back once,
 * through the MIME walker, to write the attachments. Names from the wire go
 * through sanitizeName and NameClaims: nothing is written outside DIR, and
 * no existing file is replaced unless --overwrite.
 *
 * What is written is bounded (WriteBudget): each file to --max-file-mb
 * (default 100 MiB), the whole run to --max-total-mb (default 1 GiB), so a
 * small capture (a COMPRESS=DEFLATE stream, a forged BDAT) cannot fill the
 * disk. A file that reaches a cap is cut there and marked truncated in the
 * manifest; once the run's cap is reached, the files left are listed as
 * skipped and not written.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { selectedMessages } from '../export/message-list.js';
import { Output } from '../export/output.js';
import { NameClaims, closeQuietly } from '../export/safe-name.js';
import { findingsHook } from '../findings/index.js';
import { defaultMachines } from '../protocols/registry.js';
import { MimeWalker, type PartSink } from '../protocols/mime.js';
import { parseDecodeAs } from '../session/identify.js';
import { isAttachment, type MessagePart, type MessageSummary, type Session } from '../session/model.js';
import type { BodyTap } from '../session/recorder.js';
import { readSessions } from '../session/read-sessions.js';
import type { CompiledFilter } from '../filter/index.js';
import type { KeyLog } from '../tls/keylog.js';
import { compileOrReport } from './filter-option.js';
import { loadKeyLog } from './keylog-option.js';
import { stderrProgress } from './progress.js';
import { reportRead } from './report.js';
import type { SessionArgs } from './read-command.js';
import { jsonText } from '../export/json-line.js';

export interface ExtractArgs extends SessionArgs {
  out: string;
  overwrite: boolean;
  /** --max-file-mb, --max-total-mb: MiB, 0 for no cap (defaults DEFAULT_MAX_FILE_MB, DEFAULT_MAX_TOTAL_MB). */
  maxFileMb?: number;
  maxTotalMb?: number;
}

/**
 * The default caps, in MiB. Per file 100 MiB: more than any real message
 * (servers refuse far less: 25 to 50 MB at the big providers, 150 MB at
 * most), and mailscope records what it carried (size, SHA-256) whole anyway.
 * Per run 1 GiB: room for every message of a capture of several hundred MB,
 * and a bound on what one run puts on the disk. Both are raised with the
 * flags (0: no cap).
 */
export const DEFAULT_MAX_FILE_MB = 100;
export const DEFAULT_MAX_TOTAL_MB = 1024;
const MIB = 1024 * 1024;

/** One line of manifest.ndjson. */
export interface ManifestEntry {
  session: number;
  /** 1-based message number in its session. */
  message: number;
  /** null for the message itself; else the 1-based index of the MIME part in MessageSummary.parts. */
  part: number | null;
  /** File name inside DIR; null when the file was skipped (not written). */
  path: string | null;
  /** Name as sent (decoded), for attachments. */
  name?: string;
  size: number;
  sha256: string;
  /** Attachments: MD5 of the decoded bytes (what antivirus and sandbox services are searched by). */
  md5?: string;
  contentType: string;
  partial: boolean;
  /** The file was cut at a cap: it holds the first `written` bytes (size and sha256 are still of the whole). */
  truncated?: true;
  /** The run's cap was reached before this file: it was not written. */
  skipped?: true;
  /** Bytes in the file, when truncated. */
  written?: number;
  /** Which cap, when truncated or skipped. */
  why?: string;
}

/** Why a file was cut: the per-file or the per-run cap. */
type Cap = 'file' | 'run';

/** What the files of one run may still write: each file to perFile bytes, all of them together to total bytes. */
export class WriteBudget {
  /** Bytes written (and reserved by temporary files) so far. */
  used = 0;

  constructor(readonly perFile: number, readonly total: number) {}

  /** How many of `n` more bytes a file that holds `written` may take, and the cap that stops the rest (null: none). */
  take(written: number, n: number): { bytes: number; cap: Cap | null } {
    const byFile = this.perFile - written;
    const byRun = this.total - this.used;
    const bytes = Math.max(0, Math.min(n, byFile, byRun));
    this.used += bytes;
    return { bytes, cap: bytes === n ? null : byFile <= byRun ? 'file' : 'run' };
  }

  /** Bytes of a deleted temporary file come back. */
  give(bytes: number): void {
    this.used -= bytes;
  }

  get exhausted(): boolean {
    return this.used >= this.total;
  }

  /** The cap in words, for the manifest and stderr. */
  describe(cap: Cap): string {
    return cap === 'file'
      ? `the per-file cap of ${mib(this.perFile)} was reached (--max-file-mb raises it)`
      : `the per-run cap of ${mib(this.total)} was reached (--max-total-mb raises it)`;
  }
}

const mib = (bytes: number) => (bytes >= MIB ? `${Number((bytes / MIB).toFixed(3))} MiB` : `${bytes} bytes`);

/** Bytes from a --max-*-mb value (0: no cap), or null when it is not a number >= 0. */
export function capBytes(mb: number | undefined, fallback: number): number | null {
  const v = mb ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return null;
  return v === 0 ? Infinity : Math.floor(v * MIB);
}

/** Small writes (a line at a time) are gathered before they reach the disk. */
const WRITE_BLOCK = 64 * 1024;

/** Streams one body into a temporary file in DIR, as far as the budget lets it. */
class FileTap implements BodyTap {
  private fd: number | null;
  private block = Buffer.allocUnsafe(WRITE_BLOCK);
  private used = 0;
  /** Bytes taken into the file. */
  written = 0;
  /** The cap that cut the file, once one did. */
  cut: Cap | null = null;

  constructor(readonly path: string, private readonly budget: WriteBudget, private readonly done: (tap: FileTap, summary: MessageSummary) => void) {
    this.fd = openSync(path, 'wx');
  }

  write(data: Buffer): void {
    if (this.fd === null || this.cut !== null) return;
    const { bytes, cap } = this.budget.take(this.written, data.length);
    this.written += bytes;
    if (cap !== null) {
      this.cut = cap;
      data = data.subarray(0, bytes);
    }
    if (this.used + data.length > WRITE_BLOCK) this.flush();
    if (data.length >= WRITE_BLOCK) {
      writeSync(this.fd, data);
      return;
    }
    data.copy(this.block, this.used);
    this.used += data.length;
  }

  private flush(): void {
    if (this.fd !== null && this.used > 0) writeSync(this.fd, this.block, 0, this.used);
    this.used = 0;
  }

  end(summary: MessageSummary): void {
    this.close();
    this.done(this, summary);
  }

  close(): void {
    if (this.fd === null) return;
    this.flush();
    closeSync(this.fd);
    this.fd = null;
  }
}

const warn = (line: string) => process.stderr.write(line + '\n');

export async function extractCommand(args: ExtractArgs): Promise<number> {
  const maxFileBytes = capBytes(args.maxFileMb, DEFAULT_MAX_FILE_MB);
  const maxTotalBytes = capBytes(args.maxTotalMb, DEFAULT_MAX_TOTAL_MB);
  if (maxFileBytes === null || maxTotalBytes === null) {
    warn(`mailscope: --max-file-mb and --max-total-mb take a number of MiB, 0 for no cap (got ${maxFileBytes === null ? args.maxFileMb : args.maxTotalMb})`);
    return 1;
  }
  const filter = compileOrReport(args.filter, args.showSecrets);
  if (!filter) return 1;
  const r = await extractMessages({
    files: args.files, out: args.out, overwrite: args.overwrite, filter, showSecrets: args.showSecrets, decodeAs: args.decodeAs, localDomain: args.localDomain,
    loadKeys: () => loadKeyLog(args.keylog, warn), warn, progress: stderrProgress('reading'), maxFileBytes, maxTotalBytes,
  });
  if (!r) return 1;
  const out = new Output(process.stdout);
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  let line = `wrote ${n(r.messages, 'message')} and ${n(r.attachments, 'attachment')} to ${args.out} (${join(args.out, 'manifest.ndjson')})`;
  if (r.truncated > 0) line += `; ${n(r.truncated, 'file')} truncated`;
  if (r.skipped > 0) line += `; ${n(r.skipped, 'file')} skipped, not written: ${r.skippedWhy}`;
  out.write(line + '\n');
  await out.end();
  return r.code;
}

export interface ExtractOptions {
  files: string[];
  out: string;
  overwrite: boolean;
  /** Which messages: those selectedMessages picks with this filter. */
  filter: CompiledFilter;
  showSecrets: boolean;
  decodeAs: string[];
  /** --local-domain, for finding.* fields in the filter. */
  localDomain?: string[];
  /** Loads the TLS secrets (called once the folder is known to be usable). */
  loadKeys?: () => KeyLog | undefined;
  /** Warnings, one line each (without the newline). */
  warn: (line: string) => void;
  progress?: ((p: { frames: number; bytesRead: number; totalBytes: number }) => void) & { done(): void };
  /** Caps in bytes (Infinity: none); by default DEFAULT_MAX_FILE_MB and DEFAULT_MAX_TOTAL_MB. */
  maxFileBytes?: number;
  maxTotalBytes?: number;
}

export interface ExtractResult {
  /** The read's exit code (reportRead). */
  code: number;
  messages: number;
  attachments: number;
  /** Path of manifest.ndjson. */
  manifest: string;
  /** Files cut at a cap, and files not written because the run's cap was reached (all in the manifest). */
  truncated: number;
  skipped: number;
  /** Why files were skipped, when some were. */
  skippedWhy?: string;
}

/**
 * The work behind `mailscope extract` (also used by the UI's x): reads the
 * files and writes the selected messages, their attachments and the manifest
 * into `out`. Null (after a warning) when DIR already holds a manifest and
 * overwrite was not asked.
 */
export async function extractMessages(o: ExtractOptions): Promise<ExtractResult | null> {
  const { filter, warn } = o;
  mkdirSync(o.out, { recursive: true });
  const claims = new NameClaims(o.out, o.overwrite);
  const manifestPath = claims.inside('manifest.ndjson');
  if (existsSync(manifestPath) && !o.overwrite) {
    warn(`mailscope: ${manifestPath} exists: extract into an empty folder, or give --overwrite`);
    return null;
  }
  if (existsSync(manifestPath)) unlinkSync(manifestPath);
  const manifest = openSync(manifestPath, 'wx');
  const open = new Set<FileTap>();
  const ended = new Map<MessageSummary, FileTap>();
  const budget = new WriteBudget(o.maxFileBytes ?? DEFAULT_MAX_FILE_MB * MIB, o.maxTotalBytes ?? DEFAULT_MAX_TOTAL_MB * MIB);
  let temp = 0;
  let messages = 0;
  let attachments = 0;
  let truncated = 0;
  let skipped = 0;
  const tapBody = (): BodyTap => {
    const tap = new FileTap(claims.inside(`.mailscope-${process.pid}-${++temp}.tmp`), budget, (t, summary) => {
      open.delete(t);
      ended.set(summary, t);
    });
    open.add(tap);
    return tap;
  };
  const entry = (e: ManifestEntry) => {
    if (e.truncated) {
      truncated++;
      warn(`mailscope: ${join(o.out, e.path!)} truncated at ${e.written} of ${e.size} bytes: ${e.why}`);
    }
    if (e.skipped) skipped++;
    writeSync(manifest, jsonText(e) + '\n');
  };
  const cut = (cap: Cap | null, written: number) => (cap === null ? {} : { truncated: true as const, written, why: budget.describe(cap) });
  const skip = { path: null, skipped: true as const, why: budget.describe('run') };
  /** Attachments an .eml cut at a cap no longer holds. */
  let orphans = 0;

  const findings = findingsHook(o.localDomain);
  const onSession = (s: Session) => {
    findings?.(s);
    const wanted = new Set(selectedMessages(s, filter));
    s.messages.forEach((m, i) => {
      const tap = ended.get(m);
      if (!tap) return;
      ended.delete(m);
      if (!wanted.has(i)) {
        unlinkSync(tap.path);
        budget.give(tap.written);
        return;
      }
      const message = { session: s.id, message: i + 1 };
      if (tap.written === 0 && tap.cut === 'run' && m.size > 0) {
        // Nothing of it fitted: not written, and neither are its attachments.
        unlinkSync(tap.path);
        entry({ ...message, part: null, ...skip, size: m.size, sha256: m.sha256, contentType: 'message/rfc822', partial: m.partial });
        for (const a of m.attachments ?? []) {
          entry({ ...message, part: a.part + 1, ...skip, name: a.name, size: a.size, sha256: a.sha256, md5: a.md5, contentType: a.type, partial: a.partial ?? false });
        }
        return;
      }
      const stem = `session-${String(s.id).padStart(4, '0')}-msg-${i + 1}`;
      const eml = claims.open(`${stem}.eml`, `${stem}.eml`);
      closeSync(eml.fd);
      renameSync(tap.path, eml.path);
      messages++;
      entry({
        ...message, part: null, path: eml.name, size: m.size, sha256: m.sha256, contentType: 'message/rfc822', partial: m.partial, ...cut(tap.cut, tap.written),
      });
      const seen = new Set<number>();
      attachments += writeAttachments(eml.path, claims, budget, (part, index, file) => {
        seen.add(index);
        if (file === null) {
          // Not written: say what the capture carried (the walk of a cut .eml may have seen only its start).
          const whole = m.attachments?.find((a) => a.part === index);
          const what = whole ?? { name: part.name, size: part.size, sha256: part.sha256, md5: part.md5, type: part.type, partial: part.partial };
          entry({ ...message, part: index + 1, ...skip, name: what.name, size: what.size, sha256: what.sha256, md5: what.md5, contentType: what.type, partial: what.partial ?? false });
          return;
        }
        entry({
          ...message, part: index + 1, path: file.name, ...cut(file.cut, file.written),
          name: part.name ?? undefined, size: part.size, sha256: part.sha256, md5: part.md5, contentType: part.type, partial: part.partial ?? false,
        });
      }, `${stem}-part-`, m.partial || tap.cut !== null);
      if (tap.cut === null) return;
      // Attachments past the point where the .eml was cut cannot be decoded from it: listed, not written.
      for (const a of m.attachments ?? []) {
        if (seen.has(a.part)) continue;
        orphans++;
        entry({
          ...message, part: a.part + 1, path: null, skipped: true, why: `its message's .eml was truncated: ${budget.describe(tap.cut)}`,
          name: a.name, size: a.size, sha256: a.sha256, md5: a.md5, contentType: a.type, partial: a.partial ?? false,
        });
      }
    });
  };

  const keylog = o.loadKeys?.();
  const progress = o.progress;
  let code: number;
  try {
    const { result } = await readSessions(o.files, {
      machines: defaultMachines, showSecrets: o.showSecrets, decodeAs: parseDecodeAs(o.decodeAs), keylog, onSession, onProgress: progress, tapBody,
    });
    progress?.done();
    code = reportRead(result, warn);
  } finally {
    for (const tap of open) tap.close();
    for (const tap of [...open, ...ended.values()]) if (existsSync(tap.path)) unlinkSync(tap.path);
    closeQuietly(manifest);
  }
  const byRun = skipped - orphans;
  const why = [
    ...(byRun > 0 ? [`${orphans > 0 ? `${byRun}: ` : ''}${budget.describe('run')}`] : []),
    ...(orphans > 0 ? [`${orphans} attachment${orphans === 1 ? '' : 's'} past the end of a truncated .eml`] : []),
  ].join('; ');
  if (skipped > 0) warn(`mailscope: ${skipped} file${skipped === 1 ? '' : 's'} not written, listed as skipped in ${manifestPath}: ${why}`);
  return { code, messages, attachments, manifest: manifestPath, truncated, skipped, ...(skipped > 0 ? { skippedWhy: why } : {}) };
}

/** An attachment's file: its name in DIR, the bytes in it, and the cap that cut it (null: whole). */
interface AttachmentFile {
  name: string;
  written: number;
  cut: Cap | null;
}

/** For each attachment, once its part is complete: the file it went to, or null when the run's cap left no room for it. */
type OnAttachment = (part: MessagePart, index: number, file: AttachmentFile | null) => void;

/** Reads an .eml back through the MIME walker, writing each attachment's decoded bytes to its own file (within the budget); returns how many files. */
function writeAttachments(emlPath: string, claims: NameClaims, budget: WriteBudget, onAttachment: OnAttachment, fallbackStem: string, partial: boolean): number {
  const written: { index: number; file: AttachmentFile | null }[] = [];
  const walker = new MimeWalker((part, index): PartSink | null => {
    if (!isAttachment(part)) return null;
    if (budget.exhausted) {
      written.push({ index, file: null });
      return null;
    }
    const opened = claims.open(part.name ?? '', `${fallbackStem}${index + 1}.bin`);
    const file: AttachmentFile = { name: opened.name, written: 0, cut: null };
    written.push({ index, file });
    let fd: number | null = opened.fd;
    return {
      write: (data) => {
        if (fd === null || file.cut !== null) return;
        const { bytes, cap } = budget.take(file.written, data.length);
        file.written += bytes;
        if (cap !== null) file.cut = cap;
        if (bytes > 0) writeSync(fd, bytes === data.length ? data : data.subarray(0, bytes));
      },
      end: () => {
        if (fd !== null) closeSync(fd);
        fd = null;
      },
    };
  });
  const fd = openSync(emlPath, 'r');
  const chunk = Buffer.allocUnsafe(1 << 20);
  try {
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) walker.write(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  const parts = walker.finish(partial);
  for (const w of written) onAttachment(parts[w.index]!, w.index, w.file);
  return written.filter((w) => w.file !== null).length;
}
