/**
 * The text of a session as its protocol carried it, line by line: what
 * `smtp contains "Relay"`, `frame matches "..."` and the whole-line fields
 * (smtp.command_line, imap.line) search. Sessions keep decoded lines, not
 * packets: a command is its tag, verb and arguments as recorded (secrets
 * "<redacted>" unless shown), a reply its lines, a message its header
 * fields; message bodies and TLS ciphertext are not kept.
 */
import { verbAsSent, type Command, type Exchange, type Session } from '../session/model.js';

/** A command as one line, its verb as sent: "A1 LOGIN alice <redacted>", "mail FROM:<a@b>". */
export function commandLine(c: Command): string {
  const head = c.tag ? `${c.tag} ${verbAsSent(c)}` : verbAsSent(c);
  return c.args === '' ? head : `${head} ${c.args}`;
}

/** Every line of exchange i in the order it crossed the wire: command, continuations and their answers, untagged data, the reply. */
export function exchangeLines(s: Session, i: number, withHeaders = true): string[] {
  const ex: Exchange = s.exchanges[i];
  const out: string[] = [];
  if (ex.command) out.push(commandLine(ex.command));
  for (const step of ex.interim ?? []) {
    out.push(...step.reply.lines);
    if (step.response) out.push(step.response.text);
  }
  if (ex.untagged) out.push(...ex.untagged);
  if (ex.reply) out.push(...ex.reply.lines);
  if (withHeaders && ex.bodies) {
    for (const b of ex.bodies) out.push(...headerLines(s, b.message));
  }
  return out;
}

/** The header fields of message m, one "Name: value" line each. */
export function headerLines(s: Session, m: number): string[] {
  const msg = s.messages[m];
  return msg?.headers ? msg.headers.map(([name, value]) => `${name}: ${value}`) : [];
}

/** The lines of the whole session. */
export function sessionLines(s: Session): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.exchanges.length; i++) out.push(...exchangeLines(s, i));
  return out;
}

/**
 * Whether exchange i travelled in clear. What a packet's own bytes hold
 * (frame contains, tcp.payload contains) is ciphertext once TLS started,
 * decrypted or not.
 */
export function inClear(s: Session, i: number): boolean {
  if (!s.tls) return true;
  if (s.tls.mode === 'implicit') return false;
  return s.tls.startExchange === null || i <= s.tls.startExchange;
}

/** The lines of the session that travelled in clear. */
export function clearLines(s: Session): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.exchanges.length; i++) if (inClear(s, i)) out.push(...exchangeLines(s, i));
  return out;
}
