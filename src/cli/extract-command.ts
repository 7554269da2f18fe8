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

export interface ExtractArgs extends SessionArgs {
  out: string;
  overwrite: boolean;
}

/** One line of manifest.ndjson. */
export interface ManifestEntry {
  session: number;
  /** 1-based message number in its session. */
  message: number;
  /** null for the message itself; else the 1-based index of the MIME part in MessageSummary.parts. */
  part: number | null;
  /** File name inside DIR. */
  path: string;
  /** Name as sent (decoded), for attachments. */
  name?: string;
  size: number;
  sha256: string;
  contentType: string;
  partial: boolean;
}

/** Small writes (a line at a time) are gathered before they reach the disk. */
const WRITE_BLOCK = 64 * 1024;

/** Streams one body into a temporary file in DIR. */
class FileTap implements BodyTap {
  private fd: number | null;
  private block = Buffer.allocUnsafe(WRITE_BLOCK);
  private used = 0;

  constructor(readonly path: string, private readonly done: (tap: FileTap, summary: MessageSummary) => void) {
    this.fd = openSync(path, 'wx');
  }

  write(data: Buffer): void {
    if (this.fd === null) return;
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
  const filter = compileOrReport(args.filter);
  if (!filter) return 1;
  const r = await extractMessages({
    files: args.files, out: args.out, overwrite: args.overwrite, filter, showSecrets: args.showSecrets, decodeAs: args.decodeAs, localDomain: args.localDomain,
    loadKeys: () => loadKeyLog(args.keylog, warn), warn, progress: stderrProgress('reading'),
  });
  if (!r) return 1;
  const out = new Output(process.stdout);
  out.write(`wrote ${r.messages} message${r.messages === 1 ? '' : 's'} and ${r.attachments} attachment${r.attachments === 1 ? '' : 's'} to ${args.out} (${join(args.out, 'manifest.ndjson')})\n`);
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
}

export interface ExtractResult {
  /** The read's exit code (reportRead). */
  code: number;
  messages: number;
  attachments: number;
  /** Path of manifest.ndjson. */
  manifest: string;
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
  let temp = 0;
  let messages = 0;
  let attachments = 0;
  const tapBody = (): BodyTap => {
    const tap = new FileTap(claims.inside(`.mailscope-${process.pid}-${++temp}.tmp`), (t, summary) => {
      open.delete(t);
      ended.set(summary, t);
    });
    open.add(tap);
    return tap;
  };
  const entry = (e: ManifestEntry) => writeSync(manifest, JSON.stringify(e) + '\n');

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
        return;
      }
      const stem = `session-${String(s.id).padStart(4, '0')}-msg-${i + 1}`;
      const eml = claims.open(`${stem}.eml`, `${stem}.eml`);
      closeSync(eml.fd);
      renameSync(tap.path, eml.path);
      messages++;
      entry({ session: s.id, message: i + 1, part: null, path: eml.name, size: m.size, sha256: m.sha256, contentType: 'message/rfc822', partial: m.partial });
      attachments += writeAttachments(eml.path, claims, (part, index, name, size, sha256) => entry({
        session: s.id, message: i + 1, part: index + 1, path: name, name: part.name ?? undefined, size, sha256, contentType: part.type, partial: part.partial ?? false,
      }), `${stem}-part-`, m.partial);
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
  return { code, messages, attachments, manifest: manifestPath };
}

type OnAttachment = (part: MessagePart, index: number, name: string, size: number, sha256: string) => void;

/** Reads an .eml back through the MIME walker, writing each attachment's decoded bytes to its own file; returns how many. */
function writeAttachments(emlPath: string, claims: NameClaims, onAttachment: OnAttachment, fallbackStem: string, partial: boolean): number {
  const written: { index: number; name: string }[] = [];
  const walker = new MimeWalker((part, index): PartSink | null => {
    if (!isAttachment(part)) return null;
    const file = claims.open(part.name ?? '', `${fallbackStem}${index + 1}.bin`);
    written.push({ index, name: file.name });
    let fd: number | null = file.fd;
    return {
      write: (data) => {
        if (fd !== null) writeSync(fd, data);
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
  for (const w of written) {
    const p = parts[w.index]!;
    onAttachment(p, w.index, w.name, p.size, p.sha256);
  }
  return written.length;
}
