/**
 * For Wireshark's fields, the sessions a filter selects agree with the TCP
 * conversations tshark selects with the same expression, over the capture
 * corpus.
 *
 * How tshark is asked: one run per capture with `-z conv,tcp,EXPR` for every
 * expression (the conversations that have a packet matching EXPR), instead
 * of one `-Y EXPR -T fields -e tcp.stream` run per expression and capture
 * (~60 captures x ~90 expressions would take minutes). A conversation is its
 * pair of endpoints; ours are matched to it by client and server address and
 * port (tcp.stream is the same connection: the follow tests check that).
 * Only conversations that are sessions of ours are compared: tshark also
 * selects non-mail connections for ip.addr, tcp.port, ...
 *
 * Only single-field tests that mean "some value satisfies it" are compared:
 * tshark evaluates per packet and we per session, so they agree exactly when
 * the expression holds for a session iff it holds for one of its packets.
 * That is true of presence tests, ==, contains, matches, ordering and `in`
 * on one field, and false of !=, ===, ~=, `not`, and of && between fields
 * (`smtp.response.code == 250 && smtp.req.command == "MAIL"` holds for no
 * single packet, but for a session).
 *
 * Where tshark is wrong or means something else, KNOWN says so and why; each
 * case was checked in the capture (tshark -z follow).
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/filter/index.js';
import { defaultMachines } from '../../src/protocols/registry.js';
import type { Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';
import { corpusFiles } from '../helpers/corpus.js';
import { tshark } from '../helpers/tshark.js';

export const AGREEMENT_EXPRESSIONS = [
  'smtp', 'pop', 'imap', 'imf',
  'smtp.req.command == "EHLO"', 'smtp.req.command == "MAIL"', 'smtp.req.command == "RCPT"', 'smtp.req.command == "DATA"',
  'smtp.req.command == "QUIT"', 'smtp.req.command == "AUTH"', 'smtp.req.command == "BDAT"', 'smtp.req.command == "HELO"',
  'smtp.req.command == "RSET"', 'pop.response.indicator in {"+OK", "-ERR"}',
  'smtp.req.parameter contains "FROM:"', 'smtp.req.parameter contains "example.test"', 'smtp.req.parameter matches "(?i)^to:"',
  'smtp.response.code == 220', 'smtp.response.code == 250', 'smtp.response.code == 354', 'smtp.response.code == 334',
  'smtp.response.code == 235', 'smtp.response.code == 535', 'smtp.response.code == 550', 'smtp.response.code == 554',
  'smtp.response.code == 450', 'smtp.response.code == 552', 'smtp.response.code == 221', 'smtp.response.code == 500',
  'smtp.response.code > 200', 'smtp.response.code >= 400', 'smtp.response.code < 250', 'smtp.response.code in {400..499}',
  'smtp.response.code in {500..599}', 'smtp.response.code in {421, 450..452, 550}',
  'smtp.rsp.parameter contains "PIPELINING"', 'smtp.rsp.parameter contains "AUTH LOGIN"', 'smtp.rsp.parameter contains "Ok"',
  'smtp.rsp.parameter matches "^5\\\\.[0-9]\\\\.[0-9]"', 'smtp.rsp.parameter matches "(?i)relay"', 'smtp.rsp.parameter == "CHUNKING"',
  'pop.request.command == "USER"', 'pop.request.command == "PASS"', 'pop.request.command == "RETR"', 'pop.request.command == "STAT"',
  'pop.request.command == "LIST"', 'pop.request.command == "QUIT"', 'pop.request.command == "CAPA"', 'pop.request.command == "STLS"',
  'pop.request.command == "TOP"', 'pop.request.command == "UIDL"', 'pop.request.parameter == "alice"', 'pop.request.parameter',
  'pop.response.indicator == "+OK"', 'pop.response.indicator == "-ERR"', 'pop.response.description contains "Logged in"',
  'pop.response.description contains "octets"',
  'imap.request.command == "LOGIN"', 'imap.request.command == "CAPABILITY"', 'imap.request.command == "SELECT"',
  'imap.request.command == "FETCH"', 'imap.request.command == "LOGOUT"', 'imap.request.command == "STARTTLS"',
  'imap.request_tag', 'imap.request_tag matches "^[A-Z]+0$"', 'imap.response.status == "NO"', 'imap.response.status == "BAD"',
  'imap.response_tag matches "2$"', 'imap.request.username == "alice"', 'imap.time > 0.5', 'imap.time < 0.001',
  'ip.addr == 127.0.0.1', 'ip.addr == 127.0.0.0/8', 'ip.src == 127.0.0.1', 'ip.dst == 127.0.0.1', 'ip.addr == 10.0.0.0/8',
  'ip.addr in {192.168.0.0/16, 10.0.0.0/8}', 'ipv6.addr == ::1', 'ipv6.addr', 'ip.addr',
  'tcp.port == 25', 'tcp.port == 587', 'tcp.port == 110', 'tcp.port == 143', 'tcp.port == 993', 'tcp.port == 995', 'tcp.port == 465',
  'tcp.srcport == 25', 'tcp.dstport == 143', 'tcp.port in {110, 995}', 'tcp.port > 50000',
  'tcp.analysis.retransmission', 'tcp.analysis.zero_window', 'tcp.analysis.out_of_order', 'tcp.flags.reset == 1',
  'imf.subject contains "Test"', 'imf.from contains "alice"', 'imf.to contains "bob"',
  'tls.handshake.extensions_server_name', 'len(smtp.req.command) == 4',
  // Whole lines, flags and secrets' presence (issue 14)
  'smtp.req', 'smtp.rsp', 'smtp.command_line contains "FROM"', 'smtp.response contains "Ok"', 'smtp.response matches "^5[0-9][0-9] "',
  'smtp.eom', 'smtp.auth.username_password', 'smtp.req.parameter[0:4] == "FROM"', 'smtp.req.parameter[0:3] == 54:4f:3a',
  'pop.request', 'pop.response', 'pop.response.data',
  'imap.isrequest == 1', 'imap.isrequest == 0', 'imap.request contains "LOGIN"', 'imap.response contains "OK"', 'imap.line contains "CAPABILITY"',
  'imap.tag', 'imap.request.folder == "INBOX"', 'imap.request.folder', 'imap.request.command.uid', 'imap.response.command', 'imap.request.password',
  'imf.content.type contains "multipart"', 'imf.mime_version', 'imf.received', 'imf.received contains "Postfix"', 'imf.ext.mailer contains "swaks"',
  'imf.user_agent', 'imf.return_path', 'imf.address contains "example"', 'imf.display_name', 'imf.content.type.type', 'imf.reply_to', 'imf.references',
  'imf.in_reply_to', 'imf.content.transfer_encoding', 'imf.delivered_to',
  'frame contains "EHLO"', 'frame contains "password"', 'smtp contains "Relay"', 'smtp contains "Ok"', 'tcp.payload contains "AUTH"',
  'frame matches "(?i)login"', 'imap contains "LOGIN"', 'pop contains "USER"', 'imf contains "Subject"',
  'tcp', 'frame', 'tcp.flags.reset', 'tcp.flags.syn == 1', 'tcp.flags.fin == 1', 'tcp.analysis.flags', 'ip.version == 4', 'ip.proto == 6',
  'ipv6.nxt == 6', 'eth', 'eth.addr == 00:00:00:00:00:00', 'eth.src == c8:f7:33:4b:82:37', 'eth.dst == 4c-17-eb-64-16-49', 'eth.type == 0x0800', 'eth.type == 0x86dd',
  'ip.host == "127.0.0.1"', 'frame.protocols contains "imf"', 'frame.time >= "Nov 25, 2026 12:37:20"', 'frame.time <= "2026-11-25 12:37:20"',
  'tls.handshake.type == 1', 'tls.handshake.type == 2', 'tls.record.version == 0x0303', 'tls.record.content_type == 23', 'ssl', 'tls.record',
  'tls.handshake.ciphersuite == 0x1302', 'tls.handshake.extensions_alpn_str', 'tls.alert_message', 'tls.app_data',
  'string(tcp.port) == "25"',
];

/**
 * The expression as tshark is given it. Our command verbs are stored upper
 * case (verbs are case-insensitive: RFC 5321 2.4, RFC 1939 3, RFC 9051 9),
 * tshark keeps them as sent ("mail from:" in smtp-too-big.pcap), so the verb
 * fields are compared through tshark's upper().
 */
function forTshark(expr: string): string {
  return expr.replace(/^(smtp\.req\.command|pop\.request\.command|imap\.request\.command)(?![\w.])/, 'upper($1)');
}

/** Protocol names: tshark needs a packet it dissects as the protocol; we name the session by its port. */
const PROTOCOL_TESTS = new Set(['smtp', 'pop', 'imap']);

/** An unordered endpoint pair: "127.0.0.1:25|127.0.0.1:40490". */
function pairOf(a: string, b: string): string {
  return [a, b].sort().join('|');
}

const sessionPair = (s: Session) => pairOf(`${s.client.ip}:${s.client.port}`, `${s.server.ip}:${s.server.port}`);

/** Per expression, the endpoint pairs of the conversations tshark selects. */
function tsharkSelections(file: string, expressions: string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  // Ports 2526 / 2527: the open-relay and slow Postfix of smtp-relay-open.pcap and smtp-slow-reply.pcap.
  const text = tshark(['-r', file, '-d', 'tcp.port==2526,smtp', '-d', 'tcp.port==2527,smtp', '-q', ...expressions.flatMap((e) => ['-z', `conv,tcp,${e}`])]);
  for (const block of text.split(/^={10,}$/m)) {
    const filter = /^Filter:(.*)$/m.exec(block);
    if (!filter) continue;
    const pairs = new Set<string>();
    for (const line of block.split('\n')) {
      const m = /^(\S+)\s+<->\s+(\S+)\s/.exec(line);
      if (m) pairs.add(pairOf(m[1], m[2]));
    }
    out.set(filter[1], pairs);
  }
  return out;
}

/**
 * Where tshark differs, and why. Key: expression; value: the reason, and
 * the captures (file name ending) where the difference is expected.
 */
const SMTP_FIELDS = /^(upper\()?(smtp\.req|smtp\.eom|imf|len\(smtp)|^frame\.protocols contains "imf"/;
/** Fields that say whether a message (IMF) is there. */
const IMF_FIELDS = /^imf($|\.| )|^frame\.protocols contains "imf"/;
export const KNOWN: Array<{ files: RegExp; exprs: RegExp; why: string }> = [
  { files: /imaps-993-dsb\.pcapng$/, exprs: /./,
    why: 'tshark decrypts the TLS with the Decryption Secrets Block in the file; mailscope does not decrypt yet (tls.decrypted is false)' },
  { files: /snap96\.pcap$/, exprs: /./,
    why: 'packets cut to 96 bytes: tshark dissects the first 96 bytes of each; the reassembler reports the missing bytes as gaps (tcp.snaplen) and the machine resynchronises only on a reply it can trust' },
  { files: /bdat-cmd-(chunk-size-overflow2?|negative-chunk-size|invalid)\.pcapn?g?$|bdat-pipeline-8bitmime|bdat-gap/, exprs: SMTP_FIELDS,
    why: 'tshark loses its place at a BDAT size it cannot parse, after a gap in a chunk, and in pipelined BDAT groups (test/protocols/smtp-captures.test.ts lists each case)' },
  { files: /bdat-(0-last|example1|multipart|multipart-chunked)\.pcap$/, exprs: IMF_FIELDS,
    why: 'tshark 4.0 does not hand BDAT chunks (RFC 3030) to its IMF dissector; we summarise the message they carry' },
  { files: /(demo|pop3-success|demo-ring_00002_\d+)\.pcap(\.gz|ng)?$|demo\.pcapng$/, exprs: IMF_FIELDS,
    why: 'tshark 4.0 does not dissect the message a POP3 RETR returns as IMF in these captures; we do' },
  { files: /pop3-unknown-commands|pop3_pop3/, exprs: IMF_FIELDS,
    why: 'tshark takes the reply to AUTH / unknown commands for message data and dissects it as IMF; there is no message there (see the transcript)' },
  { files: /smtp_smtp-many-addresses/, exprs: /^imf\.subject/,
    why: 'the header block is longer than the bound of the message summary, so the Subject after the long To header is not summarised' },
  { files: /smtp-one-side-only|smtp-attachment-msg/, exprs: /^tcp\.srcport == 25$/,
    why: 'one-sided captures: only the client\'s packets are in the file, so port 25 is never a source there; tcp.srcport (like ip.src) takes either end of the session' },
  { files: /zeek\/smtp\.pcap$/, exprs: /^tcp\.analysis\.out_of_order$/,
    why: 'tshark\'s out-of-order heuristic (a segment with a lower sequence number within a time bound) flags a segment the reassembler finds in order' },
  { files: /pop3_pop3|tls_(imap|pop3|smtp)-starttls/, exprs: /^tcp\.analysis\.flags$/,
    why: 'tshark also flags duplicate ACKs, window updates, keep-alives and re-sent SYNs, which the reassembler does not analyse (mailscope fields says so)' },
  { files: /pop3_bad-list-retr-crafted/, exprs: /^pop\.response\.data$/,
    why: 'the LIST reply is crafted without its end line: tshark takes the data lines for a message (IMF); the session reads them as LIST data' },
  { files: /pop3_pop3/, exprs: /^frame contains "password"$/,
    why: 'the text is a password sent with PASS: it reads <redacted> unless --show-secrets is given' },
  { files: /demo-ring_00002_\d+\.pcap$/, exprs: /^(imap|ssl|tls\.record(\.version == 0x0303|\.content_type == 23)?|tls\.app_data)$/,
    why: 'this ring-buffer file begins inside an IMAP session whose STARTTLS is in the file before: tshark recognises TLS records by their look (so the connection is TLS, not IMAP, to it), the session (mid-stream, no STARTTLS seen) cannot know they are TLS' },
];

const hasTshark = existsSync('/usr/bin/tshark');

describe.runIf(hasTshark)('filters agree with tshark on Wireshark fields', () => {
  const filters = AGREEMENT_EXPRESSIONS.map((e) => compileFilter(e));
  const tsharkExprs = AGREEMENT_EXPRESSIONS.map(forTshark);
  for (const file of corpusFiles()) {
    it(file, async () => {
      const { sessions } = await readSessions([file], { machines: defaultMachines });
      const ourPairs = new Set(sessions.map(sessionPair));
      const theirs = tsharkSelections(file, tsharkExprs);
      const diffs: string[] = [];
      filters.forEach((f, k) => {
        const expr = AGREEMENT_EXPRESSIONS[k];
        // Implicit TLS has no clear-text packet for tshark to name (a refused connection neither: the filter says so too).
        const compared = PROTOCOL_TESTS.has(expr)
          ? new Set(sessions.filter((s) => s.tls?.mode !== 'implicit').map(sessionPair))
          : ourPairs;
        const ours = new Set(sessions.filter((s) => f.matches(s)).map(sessionPair).filter((p) => compared.has(p)));
        const tsh = new Set([...(theirs.get(tsharkExprs[k]) ?? [])].filter((p) => compared.has(p)));
        const onlyOurs = [...ours].filter((p) => !tsh.has(p));
        const onlyTheirs = [...tsh].filter((p) => !ours.has(p));
        if (onlyOurs.length + onlyTheirs.length === 0) return;
        if (KNOWN.some((k) => k.files.test(file) && k.exprs.test(expr))) return;
        diffs.push(`${expr}: only ours ${JSON.stringify(onlyOurs)}, only tshark ${JSON.stringify(onlyTheirs)}`);
      });
      // As one text, so that a failure shows every difference in full.
      expect(diffs.join('\n')).toBe('');
    }, 60_000);
  }
});

describe.runIf(hasTshark)('fields marked as Wireshark\'s exist in tshark', () => {
  it('tshark -G fields knows every one of them', async () => {
    const { listFields } = await import('../../src/filter/index.js');
    const known = new Set(tshark(['-G', 'fields']).split('\n').map((l) => l.split('\t')[2]));
    // ssl is a protocol alias of tls (tshark -Y ssl works), not a registered field.
    expect(listFields().filter((f) => f.wireshark && !known.has(f.name) && f.name !== 'ssl').map((f) => f.name)).toEqual([]);
  });
});
