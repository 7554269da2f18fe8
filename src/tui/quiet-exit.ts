/**
 * Ink hides the cursor through cli-cursor, whose restore-cursor writes
 * ESC[?25h ("show the cursor") to stderr as the process exits, whether or not
 * stderr is a terminal. With `2>errors.log` that escape lands in the file as a
 * stray sequence. run-ui shows the cursor itself on stdout as it leaves the
 * alternate screen, so when stderr is not a terminal that one write is
 * dropped; everything else written to stderr goes through unchanged.
 */
const SHOW_CURSOR = '\x1b[?25h';

export function dropExitCursorOnRedirectedStderr(stderr: NodeJS.WriteStream = process.stderr): void {
  if (stderr.isTTY) return;
  const write = stderr.write.bind(stderr);
  // The signature of write is overloaded; this wrapper passes every form on as it came.
  stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => (chunk === SHOW_CURSOR ? true : write(chunk, ...rest))) as typeof stderr.write;
}
