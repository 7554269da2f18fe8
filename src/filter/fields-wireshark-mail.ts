/**
 * The rest of Wireshark's smtp, pop and imap fields: whole lines, request
 * and response flags, secrets, folders, frame links and the data
 * reassembly fields, read from a session's exchanges.
 */
import type { Exchange, Session } from '../session/model.js';
import { decodeBase64 } from '../protocols/sasl.js';
import { NONE, TRUE, define, perExchange, replies, str } from './field-registry.js';
import { commandLine, exchangeLines } from './session-text.js';
import type { Value } from './values.js';

const NO_CRLF = 'without the line\'s CRLF, which tshark 4.0 keeps at the end of the value (matches "...$" differs)';

// --- SMTP ---

perExchange('smtp.req', 'boolean', true, 'the client sent a command (true on every exchange with one)',
  (ex) => (ex.command ? TRUE : NONE), 'smtp');
perExchange('smtp.rsp', 'boolean', true, 'the server sent a reply (true on every exchange with one)',
  (ex) => (ex.reply || ex.interim?.length ? TRUE : NONE), 'smtp');
perExchange('smtp.command_line', 'string', true, 'each SMTP command line, verb and arguments ("MAIL FROM:<a@example.com>")',
  (ex) => (ex.command ? [commandLine(ex.command)] : NONE), 'smtp', { differs: `${NO_CRLF}; the verb is upper case` });
perExchange('smtp.response', 'string', true, 'each SMTP reply line with its code ("250-PIPELINING", "550 5.7.1 Relaying denied")',
  (ex) => replies(ex).flatMap((r) => r.lines), 'smtp', { differs: NO_CRLF });
perExchange('smtp.message', 'string', true, 'the header fields of each message sent with DATA or BDAT, one "Name: value" each (the body is not kept)',
  (ex, s) => messageHeaders(ex, s, 'smtp.'), 'smtp', { differs: 'tshark\'s value is the message text; ours its header fields (sessions do not keep bodies)' });
perExchange('smtp.eom', 'boolean', true, 'a message sent with DATA ended with the "." line (not cut by a gap)',
  (ex, s) => (messagesOf(ex, s).some((m) => m.via === 'smtp.data' && !m.partial) ? TRUE : NONE), 'smtp');
/** Wireshark's reassembly fields, read here as "a message was carried": tshark shows them only for a message spanning several segments. */
const REASSEMBLED = { differs: 'present for every message; tshark only when it spans several segments' };
const sentWithData = (ex: Exchange, s: Session) => (messagesOf(ex, s).some((m) => m.via === 'smtp.data') ? TRUE : NONE);
const retrieved = (ex: Exchange, s: Session) => (messagesOf(ex, s).length > 0 ? TRUE : NONE);
for (const name of ['smtp.data.fragment', 'smtp.data.fragments']) {
  perExchange(name, 'boolean', true, 'a message was sent with DATA (its body is what tshark reassembles from fragments)', sentWithData, 'smtp', REASSEMBLED);
}
perExchange('smtp.data.reassembled.length', 'number', true, 'size in bytes of each message sent with DATA',
  (ex, s) => messagesOf(ex, s).filter((m) => m.via === 'smtp.data').map((m) => m.size), 'smtp',
  { differs: 'after dot-unstuffing and for single-segment messages too' });
define({
  name: 'smtp.response.code.unexpected', type: 'boolean', wireshark: true, description: 'a reply came with no command waiting for it',
  session: (s) => (s.protocol === 'smtp' && s.anomalies.some((a) => a.kind === 'reply.unexpected') ? TRUE : NONE),
  exchange: (s, i) => (s.protocol === 'smtp' && s.anomalies.some((a) => a.kind === 'reply.unexpected' && a.exchange === i) ? TRUE : NONE),
});
perExchange('smtp.auth.password', 'string', true, 'password given in SMTP AUTH PLAIN or LOGIN, decoded from base64 (a secret: needs --show-secrets)',
  (ex) => str(authPassword(ex)), 'smtp', { secret: true, differs: 'decoded; tshark 4.0 shows AUTH LOGIN\'s base64 text, and nothing for PLAIN' });
perExchange('smtp.auth.username_password', 'string', true, 'the base64 credentials of AUTH PLAIN, as sent (a secret: needs --show-secrets)',
  (ex) => (authMechanism(ex) === 'PLAIN' ? saslResponses(ex).slice(0, 1) : NONE), 'smtp', { secret: true });

// --- POP3 ---

perExchange('pop.request', 'string', true, 'each POP3 command line, verb and arguments ("USER alice"; PASS shows <redacted>)',
  (ex) => (ex.command ? [commandLine(ex.command)] : NONE), 'pop3', { differs: 'tshark 4.0 gives the line no value: only presence agrees' });
perExchange('pop.response', 'string', true, 'each POP3 status line ("+OK Logged in.")',
  (ex) => (ex.reply?.indicator ? [ex.reply.lines[0]] : NONE), 'pop3', { differs: 'tshark 4.0 gives the line no value: only presence agrees' });
perExchange('pop.response.data', 'string', true, 'each data line of a multi-line POP3 response (LIST, UIDL, CAPA; message lines are not kept)',
  (ex) => (ex.reply?.indicator && ex.reply.lines.length > 1 ? ex.reply.lines.slice(1) : NONE), 'pop3',
  { differs: 'tshark 4.0 gives the lines no value: only presence agrees; RETR and TOP lines are a message (imf), not kept' });
perExchange('pop.request.data', 'string', true, 'each client line answering a "+" continuation (SASL responses, redacted)',
  (ex) => (ex.interim ?? []).flatMap((st) => (st.response ? [st.response.text] : [])), 'pop3');
for (const name of ['pop.data.fragment', 'pop.data.fragments']) {
  perExchange(name, 'boolean', true, 'a message was retrieved (RETR, TOP)', retrieved, 'pop3', REASSEMBLED);
}
perExchange('pop.data.reassembled.length', 'number', true, 'size in bytes of each message retrieved',
  (ex, s) => messagesOf(ex, s).map((m) => m.size), 'pop3', { differs: 'after dot-unstuffing and for single-segment messages too' });

// --- IMAP ---

/** IMAP commands whose first argument is a mailbox as tshark reads them (SEARCH included, as tshark does); COPY's is its second. */
const FOLDER_FIRST = new Set(['SELECT', 'EXAMINE', 'CREATE', 'DELETE', 'RENAME', 'SUBSCRIBE', 'UNSUBSCRIBE', 'STATUS', 'APPEND', 'SEARCH']);

define({
  name: 'imap.isrequest', type: 'boolean', wireshark: true, everyPacket: true,
  description: 'on every IMAP line: true for the client\'s, false for the server\'s (imap.isrequest == 1: the client sent something)',
  session: (s) => (s.protocol !== 'imap' ? NONE : isRequestValues(s.exchanges)),
  exchange: (s, i) => (s.protocol !== 'imap' ? NONE : isRequestValues([s.exchanges[i]])),
});
perExchange('imap.request', 'string', true, 'each IMAP command line, tag included ("A1 LOGIN alice <redacted>")',
  (ex) => (ex.command ? [commandLine(ex.command)] : NONE), 'imap');
perExchange('imap.response', 'string', true, 'each tagged IMAP response line ("A1 NO [AUTHENTICATIONFAILED] Authentication failed.")',
  (ex) => (ex.reply?.tag && ex.reply.tag !== '*' ? [ex.reply.lines[ex.reply.lines.length - 1]] : NONE), 'imap');
perExchange('imap.line', 'string', true, 'every IMAP line: commands, untagged data, tagged responses, the greeting (literals summarised)',
  (_ex, s, i) => exchangeLines(s, i, false), 'imap', { differs: NO_CRLF });
perExchange('imap.tag', 'string', true, 'each request and response tag', (ex) => [...str(ex.command?.tag), ...str(ex.reply?.tag)], 'imap');
perExchange('imap.command', 'string', true, 'each command; for a tagged response, the word after its status (as tshark 4.0 reads it)',
  (ex) => [...(ex.command ? [ex.command.verb] : []), ...str(wordAfterStatus(ex))], 'imap', { caseless: true });
perExchange('imap.response.command', 'string', true, 'the word after the status of each tagged response (tshark 4.0\'s reading: "Logged" in "A1 OK Logged in")',
  (ex) => str(wordAfterStatus(ex)), 'imap');
perExchange('imap.request.folder', 'string', true, 'mailbox named by SELECT, EXAMINE, CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, STATUS, APPEND, SEARCH (first argument) and COPY (second)',
  (ex) => str(folderOf(ex)), 'imap', { differs: 'quoted names are unquoted; tshark keeps the quotes' });
perExchange('imap.request.command.uid', 'boolean', true, 'a UID command (UID FETCH, UID SEARCH, ...)',
  (ex) => (ex.command?.verb.startsWith('UID ') ? TRUE : NONE), 'imap');
perExchange('imap.request.password', 'string', true, 'password of an IMAP LOGIN command (a secret: needs --show-secrets)',
  (ex) => (ex.command?.verb === 'LOGIN' ? str(secondArgument(ex.command.args)) : NONE), 'imap', { secret: true });
perExchange('imap.response_in', 'number', true, 'frame number of the tagged response to each command',
  (ex) => (ex.command && ex.reply?.tag && ex.reply.tag !== '*' ? [ex.reply.frame] : NONE), 'imap');
perExchange('imap.response_to', 'number', true, 'frame number of the command each tagged response answers',
  (ex) => (ex.command && ex.reply?.tag && ex.reply.tag !== '*' ? [ex.command.frame] : NONE), 'imap');

// --- helpers ---

function messagesOf(ex: Exchange, s: Session): Session['messages'] {
  return ex.bodies ? ex.bodies.flatMap((b) => (s.messages[b.message] ? [s.messages[b.message]] : [])) : [];
}

function messageHeaders(ex: Exchange, s: Session, via: string): Value[] {
  return messagesOf(ex, s).filter((m) => m.via.startsWith(via)).flatMap((m) => (m.headers ?? []).map(([n, v]) => `${n}: ${v}`));
}

function authMechanism(ex: Exchange): string | null {
  return ex.command?.verb === 'AUTH' ? (ex.command.args.split(/\s+/)[0] ?? '').toUpperCase() : null;
}

/** The client's SASL responses of an AUTH exchange: the initial response, then each continuation answer. */
function saslResponses(ex: Exchange): string[] {
  const out: string[] = [];
  const initial = ex.command?.args.split(/\s+/)[1];
  if (initial) out.push(initial);
  for (const st of ex.interim ?? []) if (st.response) out.push(st.response.text);
  return out;
}

/** PLAIN's third part (RFC 4616), LOGIN's second response; null when not there or redacted. */
function authPassword(ex: Exchange): string | null {
  const mech = authMechanism(ex);
  const responses = saslResponses(ex);
  if (mech === 'PLAIN') {
    const text = responses[0] === undefined ? null : decodeBase64(responses[0]);
    const parts = text?.split('\0');
    return parts && parts.length === 3 ? parts[2] : null;
  }
  if (mech === 'LOGIN') {
    // With an initial response (AUTH LOGIN <user>) the password is the first continuation answer.
    const second = responses[1];
    return second === undefined ? null : decodeBase64(second);
  }
  return null;
}

function isRequestValues(exchanges: readonly Exchange[]): Value[] {
  let client = false;
  let server = false;
  for (const ex of exchanges) {
    if (ex.command) client = true;
    if (ex.reply || ex.untagged?.length) server = true;
  }
  return [...(client ? [true] : []), ...(server ? [false] : [])];
}

/** "Logged" of "A1 OK Logged in": the word tshark 4.0 takes as a tagged response's command. */
function wordAfterStatus(ex: Exchange): string | null {
  const r = ex.reply;
  if (!r?.tag || r.tag === '*' || !r.status) return null;
  const line = r.lines[r.lines.length - 1] ?? '';
  const words = line.split(' ');
  return words.length > 2 && words[2] !== '' ? words[2] : null;
}

/** The mailbox argument of a folder command (an atom or a quoted string, unquoted). */
function folderOf(ex: Exchange): string | null {
  if (!ex.command) return null;
  const verb = ex.command.verb.replace(/^UID /, '');
  const args = ex.command.args;
  if (FOLDER_FIRST.has(verb)) return firstArgument(args);
  if (verb === 'COPY') return secondArgument(args);
  return null;
}

/** The first IMAP argument: a quoted string (unquoted) or an atom. */
function firstArgument(args: string): string | null {
  return splitArgument(args)?.[0] ?? null;
}

function secondArgument(args: string): string | null {
  const first = splitArgument(args);
  return first ? splitArgument(first[1])?.[0] ?? null : null;
}

/** [the first argument, the rest]; null when there is none. */
function splitArgument(args: string): [string, string] | null {
  const t = args.trimStart();
  if (t === '') return null;
  const q = /^"((?:[^"\\]|\\.)*)"/.exec(t);
  if (q) return [q[1].replace(/\\(.)/g, '$1'), t.slice(q[0].length)];
  const atom = /^[^\s]+/.exec(t)!;
  return [atom[0], t.slice(atom[0].length)];
}
