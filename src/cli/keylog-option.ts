/**
 * `--keylog FILE`, or the SSLKEYLOGFILE environment variable when no flag is
 * given: the NSS key log that lets mailscope decrypt TLS sessions.
 */
import { readFileSync } from 'node:fs';
import { CaptureError } from '../capture/errors.js';
import { KeyLog } from '../tls/keylog.js';

/**
 * The key log to use, or undefined. A --keylog file that cannot be read is
 * an error (exit status 2); an SSLKEYLOGFILE that cannot be read only warns,
 * since the variable is often set for browsers and may name a file not made yet.
 */
export function loadKeyLog(flag: string | undefined, warn: (line: string) => void = (l) => process.stderr.write(l + '\n')): KeyLog | undefined {
  const fromEnv = flag === undefined || flag === '';
  const path = fromEnv ? process.env.SSLKEYLOGFILE : flag;
  if (path === undefined || path === '') return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? String(err);
    if (fromEnv) {
      warn(`mailscope: SSLKEYLOGFILE=${path} cannot be read (${why}); TLS is not decrypted`);
      return undefined;
    }
    throw new CaptureError('io', path, `key log file (${why})`);
  }
  const keylog = new KeyLog();
  keylog.add(text);
  if (keylog.badLines > 0) warn(`mailscope: ${path}: ${keylog.badLines} line${keylog.badLines === 1 ? '' : 's'} of the key log not understood, skipped`);
  if (keylog.size === 0) warn(`mailscope: ${path}: no TLS secrets in the key log (NSS format: CLIENT_RANDOM, CLIENT_TRAFFIC_SECRET_0, ...)`);
  return keylog;
}
