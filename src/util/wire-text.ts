/**
 * Bytes from the wire as text: UTF-8 when they are valid UTF-8 (SMTPUTF8
 * addresses, RFC 6532 headers, IMAP4rev2 mailbox names and the like), else
 * latin1, which maps every byte to one character so nothing is lost. Plain
 * ASCII, the common case, reads the same either way. Escaping for display is
 * escape.ts's job; this only decodes.
 */
import { isUtf8 } from 'node:buffer';

export function wireText(bytes: Buffer): string {
  // Most lines are short and ASCII: a loop over their bytes answers sooner than the native check.
  if (bytes.length <= 64) {
    let i = 0;
    while (i < bytes.length && bytes[i] < 0x80) i++;
    if (i === bytes.length) return bytes.toString('latin1');
  }
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}
