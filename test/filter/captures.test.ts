/**
 * Filters against real sessions: the 21 sessions of captures/demo.pcap
 * (Postfix, Dovecot: see `mailscope read captures/demo.pcap`), each
 * expression with the exact session ids it selects. Every expression the
 * issue names is here (the first eleven).
 *
 * demo.pcap: 1-3 deliveries; 4 AUTH PLAIN ok (587); 5 AUTH LOGIN 535; 6 relay
 * denied 554; 7 unknown user 550; 8 greylisted 450; 9 too big 552 (lower-case
 * verbs); 10 pipelining, 550 for one RCPT; 11 STARTTLS; 12 SMTPS 465; 13 over
 * IPv6; 14 IMAP ok; 15 IMAP LOGIN NO; 16 IMAP STARTTLS; 17 IMAPS; 18 POP3 ok;
 * 19 POP3 -ERR [AUTH]; 20 POP3 STLS; 21 POP3S.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/filter/index.js';
import { defaultMachines } from '../../src/protocols/registry.js';
import type { Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';

const TABLE: Array<[string, number[]]> = [
  ["smtp.response.code > 200", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]],
  ["smtp.response.code == 451", []],
  ["smtp.rsp.parameter contains \"AUTH LOGIN\"", []],
  ["imap.request.command == \"LOGIN\"", [14, 15]],
  ["imap.response.status == \"NO\"", [15]],
  ["pop.response.indicator == \"-ERR\"", [19]],
  ["pop.request.command == \"USER\"", [18, 19]],
  ["auth.failed", [5, 15, 19]],
  ["smtp.response.code in {400..599}", [5, 6, 7, 8, 9, 10]],
  ["!tls && auth.user", [4, 5, 14, 15, 18, 19]],
  ["ip.addr == 10.0.0.0/8", []],
  ["smtp", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["pop", [18, 19, 20, 21]],
  ["imap", [14, 15, 16, 17]],
  ["tls", [11, 12, 16, 17, 20, 21]],
  ["imf", [1, 2, 3, 4, 10, 13, 14, 18]],
  ["!smtp", [14, 15, 16, 17, 18, 19, 20, 21]],
  ["not imap and not pop", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]],
  ["smtp || pop", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 18, 19, 20, 21]],
  ["smtp.response.code == 250", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]],
  ["smtp.response.code eq 554", [6]],
  ["smtp.response.code != 250", []],
  ["smtp.response.code ne 220", []],
  ["smtp.response.code >= 400", [5, 6, 7, 8, 9, 10]],
  ["smtp.response.code ge 500", [5, 6, 7, 9, 10]],
  ["smtp.response.code < 220", []],
  ["smtp.response.code lt 221", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]],
  ["smtp.response.code le 220", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]],
  ["smtp.response.code gt 500", [5, 6, 7, 9, 10]],
  ["smtp.response.code === 250", []],
  ["smtp.response.code ~= 250", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]],
  ["smtp.response.code !== 250", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]],
  ["smtp.response.code in {450 550}", [7, 8, 10]],
  ["smtp.response.code in {450, 552, 554}", [6, 8, 9]],
  ["smtp.response.code not in {220 221 250 354}", []],
  ["smtp.response.code == 0xfa", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]],
  ["smtp.response.code == 235", [4]],
  ["smtp.response.code == 334", [5]],
  ["smtp.response.code == 535", [5]],
  ["smtp.response.enhanced == \"5.7.1\"", [6]],
  ["smtp.response.enhanced matches \"^5\\\\.\"", [5, 6, 7, 9, 10]],
  ["smtp.response.enhanced contains \"4.7\"", [8]],
  ["smtp.req.command == \"MAIL\"", [1, 2, 3, 4, 6, 7, 8, 9, 10, 13]],
  ["smtp.req.command == MAIL", [1, 2, 3, 4, 6, 7, 8, 9, 10, 13]],
  // Verbs are case-insensitive (RFC 5321 2.4): "mail" finds MAIL, as Wireshark finds a "mail from:" sent in lower case.
  ["smtp.req.command == \"mail\"", [1, 2, 3, 4, 6, 7, 8, 9, 10, 13]],
  ["smtp.req.command in {\"mail\", \"Rcpt\"}", [1, 2, 3, 4, 6, 7, 8, 9, 10, 13]],
  ["smtp.req.command matches \"^st\"", [11]],
  ["smtp.req.command contains \"ls\"", [11]],
  ["lower(smtp.req.command) == \"auth\"", [4, 5]],
  ["upper(smtp.req.parameter) contains \"LOGIN\"", [5]],
  ["smtp.req.command == \"STARTTLS\"", [11]],
  ["smtp.req.command == \"AUTH\"", [4, 5]],
  ["smtp.req.parameter contains \"SIZE=\"", []],
  ["smtp.req.parameter matches \"(?i)from:<alice@\"", [4, 6]],
  ["smtp.rsp.parameter contains \"Relay access denied\"", [6]],
  ["smtp.rsp.parameter == \"PIPELINING\"", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]],
  ["smtp.rsp.parameter matches \"(?i)user unknown\"", [7, 10]],
  ["smtp.rsp.parameter matches \"greylist\"", [8]],
  ["smtp.auth.username == \"alice\"", [4, 5]],
  ["smtp.mail.from == \"alice@example.test\"", [4, 6]],
  ["smtp.mail.from contains \"outside\"", [1, 2, 3, 7, 10, 13]],
  ["smtp.rcpt.to == \"nobody@example.test\"", [7, 10]],
  ["smtp.rcpt.domain == \"elsewhere.example\"", [6]],
  ["smtp.rcpt.domain != \"example.test\"", [6]],
  ["count(smtp.rcpt.to) > 1", [10]],
  ["count(smtp.rcpt.to) == 0", [5, 9, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21]],
  ["len(smtp.req.parameter) > 30", [9]],
  ["smtp.greeting contains \"ESMTP\"", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]],
  ["pop.request.command == \"RETR\"", [18]],
  ["pop.request.command == \"STLS\"", [20]],
  ["pop.request.parameter == \"alice\"", [18, 19]],
  ["pop.response.indicator == \"+OK\"", [18, 19, 20]],
  ["pop.response.description contains \"Logged in\"", [18]],
  ["pop.response.code == \"AUTH\"", [19]],
  ["imap.request.command == \"STARTTLS\"", [16]],
  ["imap.request.command == \"FETCH\"", [14]],
  ["imap.request_tag == \"FAHI1\"", [14]],
  ["imap.request_tag matches \"^KCLL\"", [15]],
  ["imap.response.status == \"OK\"", [14, 15, 16]],
  ["imap.response.status == \"BAD\"", []],
  ["imap.response_tag == \"*\"", [14, 15, 16]],
  ["imap.response.code == \"AUTHENTICATIONFAILED\"", [15]],
  ["imap.request.username == \"alice\"", [14, 15]],
  ["command.verb == \"QUIT\"", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 18, 19]],
  ["command.verb == \"LOGOUT\"", [14, 15]],
  ["command.args contains \"alice\"", [1, 2, 3, 4, 6, 8, 10, 13, 14, 15, 18, 19]],
  ["reply.class == 4", [8, 15]],
  ["reply.class == 5", [5, 6, 7, 9, 10, 19]],
  ["reply.class >= 4", [5, 6, 7, 8, 9, 10, 15, 19]],
  ["reply.class == 3", [1, 2, 3, 4, 5, 10, 13]],
  ["reply.failed", [5, 6, 7, 8, 9, 10, 15, 19]],
  ["!reply.failed", [1, 2, 3, 4, 11, 12, 13, 14, 16, 17, 18, 20, 21]],
  ["reply.failed == false", [1, 2, 3, 4, 11, 12, 13, 14, 16, 17, 18, 20, 21]],
  ["reply.text contains \"Authentication failed\"", [15, 19]],
  ["auth.mechanism == \"PLAIN\"", [4]],
  ["auth.mechanism == \"LOGIN\"", [5, 14, 15]],
  ["auth.mechanism == \"USER\"", [18, 19]],
  ["auth.user == \"alice\"", [4, 5, 14, 15, 18, 19]],
  ["auth.result == \"success\"", [4, 14, 18]],
  ["auth.result == \"failure\"", [5, 15, 19]],
  ["auth.failed == true", [5, 15, 19]],
  ["auth.failed == 0", [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 20, 21]],
  ["!auth.failed && auth.user", [4, 14, 18]],
  ["message.size > 500", [14, 18]],
  ["message.size", [1, 2, 3, 4, 10, 13, 14, 18]],
  ["message.via == \"pop3.retr\"", [18]],
  ["message.partial", []],
  ["imf.subject contains \"Test message\"", [1, 2, 3, 14, 18]],
  ["imf.from == \"alice@example.test\"", [4]],
  ["imf.to contains \"bob\"", [4, 10]],
  ["tls.version == \"TLS 1.3\"", [11, 12, 16, 17, 20, 21]],
  ["tls.version", [11, 12, 16, 17, 20, 21]],
  ["tls.mode == \"implicit\"", [12, 17, 21]],
  ["tls.mode == \"starttls\"", [11, 16, 20]],
  ["tls.decrypted", []],
  ["tls.cipher contains \"AES\"", [11, 12, 16, 17, 20, 21]],
  ["tls.sni", []],
  ["ip.addr == 127.0.0.1", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21]],
  ["ip.src == 127.0.0.1", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21]],
  ["ip.dst == 127.0.0.0/8", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21]],
  ["ip.addr != 127.0.0.1", []],
  ["ipv6.addr == ::1", [13]],
  ["ipv6.addr == ::/0", [13]],
  ["ipv6.addr", [13]],
  ["client.ip == ::1", [13]],
  ["server.ip == 127.0.0.1", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21]],
  ["tcp.port == 587", [4, 5, 11]],
  ["tcp.port in {110 995}", [18, 19, 20, 21]],
  ["tcp.srcport == 993", [17]],
  ["tcp.dstport == 465", [12]],
  ["client.port > 50000", [4, 5, 11, 13, 14, 15, 21]],
  ["server.port == 25 && !tls", [1, 2, 3, 6, 7, 8, 9, 10, 13]],
  ["tcp.stream == 5", [6]],
  ["tcp.stream in {0..2}", [1, 2, 3]],
  ["tcp.analysis.retransmission", []],
  ["!tcp.analysis.lost_segment", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]],
  ["tcp.flags.reset == 1", [11, 12, 16, 17]],
  ["session.id == 7", [7]],
  ["session.id in {1..3 21}", [1, 2, 3, 21]],
  ["session.protocol == \"pop3\"", [18, 19, 20, 21]],
  ["session.duration > 1", [5, 15, 16, 19]],
  ["session.duration < 0.01", [2, 3, 6, 7, 8, 10, 11, 13]],
  ["session.bytes > 5000", [16, 17]],
  ["session.bytes.client < 100", [5, 7, 8, 9, 15, 18, 19]],
  ["session.exchanges >= 9", [10, 14, 18]],
  ["session.closed == \"fin\"", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 15, 18, 19, 20, 21]],
  ["anomaly.kind", []],
  ["!anomaly.kind", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21]],
  ["smtp.response.code == 250 && smtp.req.command == \"MAIL\"", [1, 2, 3, 4, 6, 7, 8, 9, 10, 13]],
  ["smtp.response.code >= 400 and smtp.req.command == \"RCPT\"", [6, 7, 8, 10]],
  ["(smtp.response.code == 550 || smtp.response.code == 554) && !auth.user", [6, 7, 10]],
  ["not (smtp or imap)", [18, 19, 20, 21]],
  ["smtp && auth.failed || pop && auth.failed", [5, 19]],
  ["smtp and not tls and server.port == 587", [4, 5]],
  ["!(tcp.port == 25)", [4, 5, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21]],
  // Latency: Dovecot delays a failed login by a second on purpose (SMTP AUTH LOGIN in session 5 is
  // slow only at its final 535; its first answer, the 334 challenge, came at once).
  ["reply.latency > 0.9", [15, 19]],
  ["imap.time > 0.9", [15]],
  // Times: "the user says it failed around 12:38" (UTC unless an offset is given; seconds since 1970 work too).
  ["session.start >= \"2026-11-25 12:38\" && auth.failed", [15, 19]],
  ["session.start < \"2026-11-25T12:37:16.151159Z\"", [1, 2, 3]],
  ["session.start <= \"2026-11-25 12:37:16.151159\"", [1, 2, 3, 4]],
  ["session.end > \"2026-11-25 13:38:20 +01:00\"", [19, 20, 21]],
  ["session.start in {\"2026-11-25 12:37:22.900638\"}", [6]],
  ["session.start > 1795610000 && session.start < \"2026-11-25 12:37:14\"", [1, 2, 3]],
];

let demo: Session[] = [];
beforeAll(async () => {
  demo = (await readSessions(['captures/demo.pcap'], { machines: defaultMachines })).sessions;
});

describe('filters on captures/demo.pcap', () => {
  it('has the 21 sessions the table is written for', () => {
    expect(demo.map((s) => s.id)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });
  it(`the table has at least 100 expressions (${TABLE.length})`, () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(100);
  });
  for (const [expr, ids] of TABLE) {
    it(expr, () => {
      const f = compileFilter(expr);
      expect(demo.filter((s) => f.matches(s)).map((s) => s.id)).toEqual(ids);
    });
  }
});

describe('which exchanges matched', () => {
  const at = (id: number) => demo.find((s) => s.id === id)!;
  it('marks the failing RCPT of the relay-denied session', () => {
    expect(compileFilter('smtp.response.code >= 400').matchingExchanges(at(6))).toEqual([3]);
  });
  it('marks USER and the failing PASS of a POP3 login', () => {
    expect(compileFilter('auth.failed').matchingExchanges(at(19))).toEqual([1, 2]);
  });
  it('needs both parts in the same exchange', () => {
    // The session matches (a 250 somewhere, a MAIL somewhere); the exchange that is both is MAIL's.
    expect(compileFilter('smtp.response.code == 250 && smtp.req.command == "MAIL"').matchingExchanges(at(1))).toEqual([2]);
  });
  it('takes session-level fields from the session', () => {
    expect(compileFilter('tcp.port == 587 && smtp.req.command == "AUTH"').matchingExchanges(at(5))).toEqual([2]);
  });
  it('marks nothing for a filter of session-level fields only', () => {
    expect(compileFilter('tcp.port == 587').matchingExchanges(at(5))).toEqual([]);
  });
  it('marks the IMAP LOGIN that got NO', () => {
    expect(compileFilter('imap.response.status == "NO"').matchingExchanges(at(15))).toEqual([2]);
  });
  it('an empty filter matches every session and marks nothing', () => {
    const f = compileFilter('   ');
    expect(demo.every((s) => f.matches(s))).toBe(true);
    expect(f.matchingExchanges(at(1))).toEqual([]);
  });
});

describe('filters on other captures', () => {
  const ids = async (file: string, expr: string) => {
    const { sessions } = await readSessions([file], { machines: defaultMachines });
    const f = compileFilter(expr);
    return sessions.filter((s) => f.matches(s)).map((s) => s.id);
  };
  it('Zeek pop3_pop3: failed SASL PLAIN', async () => {
    expect(await ids('../shared/captures/zeek/pop3_pop3.pcap', 'auth.failed && auth.mechanism == "PLAIN"')).toEqual([4]);
  });
  it('Zeek pop3_pop3: connections refused before any exchange', async () => {
    expect(await ids('../shared/captures/zeek/pop3_pop3.pcap', 'session.exchanges == 0 && session.closed == "rst"')).toEqual([1, 2]);
  });
  it('Zeek smtp.pcap: a public address range', async () => {
    expect(await ids('../shared/captures/zeek/smtp.pcap', 'ip.addr == 74.53.140.0/24 && imf')).toEqual([1]);
  });
  it('IPv6 capture: ipv6.addr, not ip.addr', async () => {
    expect(await ids('captures/smtp-ipv6.pcap', 'ipv6.addr == ::1 && !ip.addr')).toEqual([1]);
  });
});
