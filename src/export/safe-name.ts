/**
 * File names from the wire made safe to create: an attachment may be called
 * "../../etc/passwd", "CON", "a\x1b[2J.txt" or be 10,000 characters long.
 * The result has no path separators, no "..", no control characters, is no
 * Windows device name, and is at most MAX_NAME_BYTES of UTF-8.
 */
import { closeSync, existsSync, openSync, unlinkSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';

/** Bytes of UTF-8 a name may take (most file systems allow 255). */
export const MAX_NAME_BYTES = 120;

/** Windows reserved device names (with any extension): CON, PRN, AUX, NUL, COM0-9, LPT0-9. */
const DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** A safe file name for `raw`, or `fallback` when nothing usable is left. */
export function sanitizeName(raw: string, fallback: string): string {
  // Only the last path component counts, as browsers do with downloads ("../../etc/passwd" -> "passwd").
  const last = raw.split(/[/\\]/).filter((seg) => seg !== '' && seg !== '.' && seg !== '..').pop() ?? '';
  let name = last
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '_') // control and bidi characters
    .replace(/[/\\:*?"<>|]/g, '_') // separators, and what Windows forbids
    .replace(/\.{2,}/g, '.')
    .replace(/^[\s.]+|[\s.]+$/g, ''); // no hidden files, no trailing dot or space (Windows)
  if (name === '' || name === '_') name = fallback;
  const dot = name.lastIndexOf('.');
  if (DEVICE.test(dot > 0 ? name.slice(0, dot) : name) || DEVICE.test(name.split('.')[0]!)) name = '_' + name;
  return truncate(name);
}

/** Cuts a name to MAX_NAME_BYTES of UTF-8, keeping a short extension and whole characters. */
function truncate(name: string): string {
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const room = MAX_NAME_BYTES - Buffer.byteLength(ext);
  let stem = (ext ? name.slice(0, dot) : name).slice(0, room); // at least one byte per UTF-16 unit: a cheap first cut
  while (Buffer.byteLength(stem) > room) stem = [...stem].slice(0, -1).join('');
  if (/[\ud800-\udbff]$/.test(stem)) stem = stem.slice(0, -1); // a surrogate pair cut in half
  return stem + ext;
}

/**
 * Hands out paths inside one folder: a name already given out in this run,
 * or a file already on disk (unless `overwrite`), gets a number ("a-2.pdf").
 * Every path is checked to resolve to a direct child of the folder.
 */
export class NameClaims {
  private readonly used = new Set<string>();
  readonly dir: string;

  constructor(dir: string, private readonly overwrite: boolean) {
    this.dir = resolve(dir);
  }

  /** Opens a new file for writing under a safe, unused name; returns its path and descriptor. */
  open(raw: string, fallback: string): { path: string; name: string; fd: number } {
    const safe = sanitizeName(raw, fallback);
    const dot = safe.lastIndexOf('.');
    const stem = dot > 0 ? safe.slice(0, dot) : safe;
    const ext = dot > 0 ? safe.slice(dot) : '';
    for (let n = 1; ; n++) {
      const name = n === 1 ? safe : `${stem}-${n}${ext}`;
      const key = name.toLowerCase(); // case-insensitive file systems
      if (this.used.has(key)) continue;
      const path = this.inside(name);
      if (existsSync(path)) {
        if (!this.overwrite) continue;
        unlinkSync(path); // not opened through: it may be a symbolic link pointing elsewhere
      }
      let fd: number;
      try {
        fd = openSync(path, 'wx'); // never through an existing file or link
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      this.used.add(key);
      return { path, name, fd };
    }
  }

  /** The path of `name` in the folder; throws if it would land anywhere else. */
  inside(name: string): string {
    const path = resolve(this.dir, name);
    if (dirname(path) !== this.dir || basename(path) !== name || name.includes(sep)) throw new Error(`refusing to write outside ${this.dir}: ${JSON.stringify(name)}`);
    return path;
  }
}

/** Closes a descriptor, ignoring errors (cleanup paths). */
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
