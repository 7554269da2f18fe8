/**
 * Whether a run of stream bytes ends a line with a bare LF (no CR before
 * it), for the one `line.bare_lf` note a direction gets: the SMTP DATA
 * reader and the POP3 line framer look at whole runs of body bytes at once.
 * `before` is the byte just ahead of the run (an LF at a line's start: -1 or
 * LF, never CR).
 */
const CR = 0x0d;
const LF = 0x0a;

export function hasBareLf(run: Buffer, before: number): boolean {
  for (let i = run.indexOf(LF); i >= 0; i = run.indexOf(LF, i + 1)) {
    if ((i > 0 ? run[i - 1] : before) !== CR) return true;
  }
  return false;
}
