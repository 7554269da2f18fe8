/**
 * Which mail protocol a connection speaks: by the server's port (IANA
 * assignments; 465, 993 and 995 are TLS from the first byte), by the user's
 * --decode-as, and on any other port by the server's greeting.
 */
import type { Protocol } from './model.js';

export interface PortRule {
  protocol: Protocol;
  /** TLS from the first byte (RFC 8314 implicit TLS). */
  implicitTls: boolean;
}

export const WELL_KNOWN_PORTS: ReadonlyMap<number, PortRule> = new Map([
  [25, { protocol: 'smtp', implicitTls: false }],
  [587, { protocol: 'smtp', implicitTls: false }],
  [2525, { protocol: 'smtp', implicitTls: false }],
  [465, { protocol: 'smtp', implicitTls: true }],
  [110, { protocol: 'pop3', implicitTls: false }],
  [995, { protocol: 'pop3', implicitTls: true }],
  [143, { protocol: 'imap', implicitTls: false }],
  [993, { protocol: 'imap', implicitTls: true }],
]);

/** Parses `PORT=smtp|pop3|imap` (optionally `PORT=smtps|pop3s|imaps` for implicit TLS), as Wireshark's Decode As. */
export function parseDecodeAs(specs: readonly string[]): Map<number, PortRule> {
  const rules = new Map<number, PortRule>();
  for (const spec of specs) {
    const m = /^(\d{1,5})=(smtp|pop3|pop|imap)(s?)$/i.exec(spec.trim());
    const port = m ? Number(m[1]) : NaN;
    if (!m || port < 1 || port > 65535) {
      throw new Error(`--decode-as ${JSON.stringify(spec)}: expected PORT=smtp, PORT=pop3 or PORT=imap (add s for implicit TLS: PORT=imaps)`);
    }
    const name = m[2].toLowerCase();
    rules.set(port, { protocol: name === 'pop' ? 'pop3' : (name as Protocol), implicitTls: m[3] !== '' });
  }
  return rules;
}

/**
 * Identifies a protocol from the first bytes a server sent on a port we do
 * not know: an SMTP 220 (or 421/554 refusal) banner, a POP3 +OK, an IMAP
 * untagged OK or PREAUTH. Returns null when the bytes say nothing yet or
 * say "not mail".
 */
export function identifyByGreeting(first: Buffer): Protocol | null {
  const text = first.subarray(0, 16).toString('latin1');
  if (/^(220|421|554)[ -]/.test(text)) return 'smtp';
  if (/^\+OK( |\r|\n|$)/.test(text)) return 'pop3';
  if (/^\* (OK|PREAUTH)( |\[)/i.test(text)) return 'imap';
  return null;
}
