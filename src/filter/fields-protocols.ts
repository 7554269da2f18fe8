/**
 * The protocol names: frame, ip, ipv6, tcp, tls (ssl), smtp, pop, imap and
 * imf. Bare, each asks whether the session has the protocol; with contains
 * or matches each searches the text it carried (session-text.ts): the mail
 * protocols their lines, decrypted ones included; frame, tcp and
 * tcp.payload only the lines that travelled in clear, since a packet's own
 * bytes are ciphertext once TLS starts.
 */
import type { Session } from '../session/model.js';
import { NONE, TRUE, define, type FieldType } from './field-registry.js';
import { clearLines, exchangeLines, headerLines, inClear, sessionLines } from './session-text.js';
import type { Value } from './values.js';

const PER_PACKET = 'contains / matches search the session\'s decoded lines joined, so a text split across packets matches here and not in tshark; message bodies are not kept (their header fields are)';

function protocol(name: string, description: string, has: (s: Session) => boolean, content: (s: Session) => Value[],
  exchangeContent: (s: Session, i: number) => Value[], differs = PER_PACKET, type: FieldType = 'protocol'): void {
  define({
    name, type, wireshark: true, description, differs,
    session: (s) => (has(s) ? TRUE : NONE),
    content: (s) => (has(s) ? content(s) : NONE),
    exchangeContent: (s, i) => (has(s) ? exchangeContent(s, i) : NONE),
  });
}

const always = () => true;
const clearOf = (s: Session, i: number) => (inClear(s, i) ? exchangeLines(s, i) : NONE);
const mailOf = (s: Session, i: number) => exchangeLines(s, i);

protocol('frame', 'every session (each has frames); frame contains "text" searches what the session carried in clear', always, clearLines, clearOf);
protocol('ip', 'the session is over IPv4', (s) => !s.client.ip.includes(':'), clearLines, clearOf);
protocol('ipv6', 'the session is over IPv6', (s) => s.client.ip.includes(':'), clearLines, clearOf);
protocol('tcp', 'every session (mail runs over TCP); tcp contains "text" searches what travelled in clear', always, clearLines, clearOf);
/** The session carried bytes (tcp.payload; and a mail protocol is there only then, below). */
const spoke = (s: Session): boolean => s.bytes.client + s.bytes.server > 0;
protocol('tcp.payload', 'the bytes the session carried; tcp.payload contains "text" searches what travelled in clear', spoke, clearLines, clearOf);

/**
 * TLS that was really spoken: implicit TLS, or TLS records after STARTTLS /
 * STLS (a 220 to STARTTLS followed by no TLS bytes is not TLS).
 */
const spokeTls = (s: Session): boolean => s.tls !== null && (s.tls.mode === 'implicit' || s.tls.records !== undefined);
const tlsDescription = 'the session used TLS: implicit (465, 993, 995), or TLS records after STARTTLS / STLS';
const TLS_TEXT = 'contains / matches search the decrypted lines of a decrypted session (tshark searches its own record bytes)';
const decryptedOf = (s: Session, i: number): Value[] => (s.tls?.decrypted && !inClear(s, i) ? exchangeLines(s, i) : NONE);
const decryptedLines = (s: Session): Value[] => s.exchanges.flatMap((_ex, i) => decryptedOf(s, i));
protocol('tls', tlsDescription, spokeTls, decryptedLines, decryptedOf, TLS_TEXT);
protocol('ssl', 'Wireshark\'s older name of tls', spokeTls, decryptedLines, decryptedOf, TLS_TEXT);

/**
 * A mail protocol is there when the session carried some of it: as in
 * tshark, a connection to port 25 that was refused (a SYN answered by a
 * RST) or a lone RST is TCP, not SMTP; it is still a session, found by
 * tcp.port == 25, with the outcome RESET BEFORE DATA.
 */
const MAIL_PRESENCE = `${PER_PACKET}. Present when the session carried bytes: a refused connection to a mail port is a session without it`;
protocol('smtp', 'the session is SMTP and carried some', (s) => s.protocol === 'smtp' && spoke(s), sessionLines, mailOf, MAIL_PRESENCE);
protocol('pop', 'the session is POP3 and carried some', (s) => s.protocol === 'pop3' && spoke(s), sessionLines, mailOf, MAIL_PRESENCE);
protocol('imap', 'the session is IMAP and carried some', (s) => s.protocol === 'imap' && spoke(s), sessionLines, mailOf, MAIL_PRESENCE);

/** Line-based text Wireshark hands to no other dissector: a message's lines, the data lines of POP3 multi-line replies. */
define({
  name: 'data-text-lines', type: 'protocol', wireshark: true,
  description: 'the session carried lines of text data: a message, or the data lines of a POP3 multi-line reply (LIST, UIDL, CAPA)',
  differs: 'tshark shows it where no other dissector takes the lines (often a POP3 RETR or LIST); here any message or multi-line POP3 data counts',
  session: (s) => (s.messages.length > 0 || (s.protocol === 'pop3' && s.exchanges.some((ex) => (ex.reply?.lines.length ?? 0) > 1)) ? TRUE : NONE),
});

define({
  name: 'imf', type: 'protocol', wireshark: true,
  description: 'the session carried a mail message (SMTP DATA / BDAT, POP3 RETR / TOP, IMAP FETCH / APPEND); imf contains "text" searches the header fields',
  differs: 'contains / matches search the header fields (unfolded), not the body, which sessions do not keep',
  session: (s) => (s.messages.length > 0 ? TRUE : NONE),
  exchange: (s, i) => (s.exchanges[i].bodies?.length ? TRUE : NONE),
  content: (s) => s.messages.flatMap((_m, k) => headerLines(s, k)),
  exchangeContent: (s, i) => (s.exchanges[i].bodies ?? []).flatMap((b) => headerLines(s, b.message)),
});
