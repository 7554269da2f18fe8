/**
 * Fields below the mail protocol: TLS, IP addresses and TCP, by Wireshark's
 * names where it has them, read once per session.
 */
import type { Session } from '../session/model.js';
import { parseIso } from '../util/time.js';
import { FALSE, NONE, TRUE, define, epochSeconds, session, str } from './field-registry.js';
import { parseIp, type Value } from './values.js';

const ipOf = (ip: string, family: 4 | 6): Value[] => {
  const v = parseIp(ip);
  return v && v.family === family ? [v] : NONE;
};
const bothIps = (s: Session, family: 4 | 6): Value[] => [...ipOf(s.client.ip, family), ...ipOf(s.server.ip, family)];

// --- TLS ---

const tlsStr = (get: (t: NonNullable<Session['tls']>) => string | null) => (s: Session) => (s.tls ? str(get(s.tls)) : NONE);
session('tls.sni', 'string', false, 'server name the client asked for (ClientHello SNI)', tlsStr((t) => t.sni));
session('tls.handshake.extensions_server_name', 'string', true, 'the same as tls.sni, by Wireshark\'s name', tlsStr((t) => t.sni));
session('tls.version', 'string', false, 'negotiated TLS version ("TLS 1.3", "TLS 1.2")', tlsStr((t) => t.version));
session('tls.cipher', 'string', false, 'negotiated cipher suite, IANA name ("TLS_AES_256_GCM_SHA384")', tlsStr((t) => t.cipher));
session('tls.mode', 'string', false, '"implicit" (TLS from the first byte: 465, 993, 995) or "starttls" (STARTTLS / STLS)', tlsStr((t) => t.mode));
session('tls.alpn', 'string', false, 'each ALPN protocol the client offered', (s) => (s.tls ? s.tls.alpn : NONE));
const records = (s: Session) => s.tls?.records;
const hs = (s: Session) => s.tls?.handshake;
session('tls.record', 'protocol', true, 'TLS records were seen', (s) => (records(s) ? TRUE : NONE));
session('tls.record.version', 'number', true, 'version field of the TLS records (0x0301 TLS 1.0 ... 0x0303 TLS 1.2, which TLS 1.3 records also carry)',
  (s) => records(s)?.versions ?? NONE);
/**
 * TLS 1.3 protects records under the outer type 23 (RFC 8446 5.2), which
 * Wireshark shows as tls.record.opaque_type: their content type is the
 * inner one, known only when decrypting.
 */
const opaque = (s: Session) => s.tls?.version === 'TLS 1.3' && !s.tls.decrypted;
session('tls.record.content_type', 'number', true, 'content type of the TLS records: 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data (TLS 1.2; a TLS 1.3 protected record has tls.record.opaque_type)',
  (s) => (records(s)?.types ?? NONE).filter((t) => !(t === 23 && opaque(s))));
session('tls.record.opaque_type', 'number', true, 'outer type of TLS 1.3 protected records: 23', (s) => (opaque(s) && records(s)?.types.includes(23) ? [23] : NONE));
session('tls.handshake', 'protocol', true, 'a TLS handshake message was seen in clear', (s) => (hs(s) ? TRUE : NONE));
session('tls.handshake.type', 'number', true, 'type of each handshake message seen in clear: 1 ClientHello, 2 ServerHello, 11 Certificate, 12 ServerKeyExchange, 14 ServerHelloDone, 16 ClientKeyExchange',
  (s) => hs(s)?.types ?? NONE, { differs: 'TLS 1.3 encrypts all but the hellos: tshark shows the rest only when decrypting' });
session('tls.handshake.version', 'number', true, 'version field of the ClientHello and ServerHello (0x0303 in TLS 1.3 too: see tls.version)',
  (s) => hs(s)?.versions ?? NONE);
session('tls.handshake.ciphersuite', 'number', true, 'each cipher suite the client offered and the one the server chose (0x1302 TLS_AES_256_GCM_SHA384)',
  (s) => hs(s)?.suites ?? NONE);
session('tls.handshake.extensions_alpn_str', 'string', true, 'each ALPN protocol the client offered (the same as tls.alpn)', (s) => (s.tls ? s.tls.alpn : NONE));
session('tls.alert_message', 'protocol', true, 'an alert record was seen (an encrypted TLS 1.2 alert too; see tls.alert_message.desc for the clear ones)',
  (s) => (s.tls?.alerts || records(s)?.types.includes(21) ? TRUE : NONE));
session('tls.alert_message.desc', 'number', true, 'description of each alert seen in clear (40 handshake_failure, 42 bad_certificate, 48 unknown_ca, 70 protocol_version)',
  (s) => s.tls?.alerts ?? NONE);
session('tls.app_data', 'protocol', true, 'application data records were seen', (s) => (records(s)?.types.includes(23) ? TRUE : NONE));
session('tls.decrypted', 'boolean', false, 'the TLS part was decrypted (a key log was given)', (s) => (s.tls ? [s.tls.decrypted] : NONE));

// --- addresses and TCP ---

/** The MAC addresses of both ends (the connection's first frame), on an Ethernet link. */
const macs = (s: Session): Value[] => (s.eth ? [s.eth.client, s.eth.server] : NONE);
const EITHER_MAC = 'the MAC addresses of the session\'s first frame, either end (like ip.src); a session through a router sees the router\'s MAC, as each packet does';
session('eth', 'protocol', true, 'the capture\'s link is Ethernet (the session has MAC addresses)', (s) => (s.eth ? TRUE : NONE));
session('eth.addr', 'ether', true, 'MAC address of either end (eth.addr == 00:1a:2b:3c:4d:5e)', macs, { differs: EITHER_MAC });
session('eth.src', 'ether', true, 'source MAC of some packet: either end of the session (see ip.src)', macs, { differs: EITHER_MAC });
session('eth.dst', 'ether', true, 'destination MAC of some packet: either end of the session (see ip.src)', macs, { differs: EITHER_MAC });
session('eth.type', 'number', true, 'EtherType of the IP packets: 0x0800 (IPv4) or 0x86dd (IPv6); 802.1Q-tagged frames read as their inner type',
  (s) => (s.eth ? [s.client.ip.includes(':') ? 0x86dd : 0x0800] : NONE),
  { differs: 'tshark gives a VLAN-tagged frame\'s eth.type as 0x8100; here it is the type of the IP packet inside' });

session('ip.addr', 'ipv4', true, 'IPv4 address of either end', (s) => bothIps(s, 4));
session('ip.src', 'ipv4', true, 'IPv4 source address of some packet: both ends of a session send packets, so this matches either end (use client.ip / server.ip for one side)', (s) => bothIps(s, 4));
session('ip.dst', 'ipv4', true, 'IPv4 destination address of some packet: like ip.src, either end of the session', (s) => bothIps(s, 4));
session('ipv6.addr', 'ipv6', true, 'IPv6 address of either end', (s) => bothIps(s, 6));
session('ipv6.src', 'ipv6', true, 'IPv6 source address of some packet: either end of the session (see ip.src)', (s) => bothIps(s, 6));
session('ipv6.dst', 'ipv6', true, 'IPv6 destination address of some packet: either end of the session (see ip.src)', (s) => bothIps(s, 6));
session('tcp.port', 'number', true, 'TCP port of either end', (s) => [s.client.port, s.server.port]);
session('tcp.srcport', 'number', true, 'TCP source port of some packet: either end of the session (see ip.src)', (s) => [s.client.port, s.server.port]);
session('tcp.dstport', 'number', true, 'TCP destination port of some packet: either end of the session (see ip.src)', (s) => [s.client.port, s.server.port]);
session('tcp.stream', 'number', true, 'tshark\'s TCP stream index of the connection (mailscope follow -s N)', (s) => [s.stream]);
session('client.ip', 'address', false, 'IP address (v4 or v6) of the client, the side that opened the connection', (s) => ipOf(s.client.ip, 4).concat(ipOf(s.client.ip, 6)));
session('client.port', 'number', false, 'TCP port of the client', (s) => [s.client.port]);
session('server.ip', 'address', false, 'IP address (v4 or v6) of the server', (s) => ipOf(s.server.ip, 4).concat(ipOf(s.server.ip, 6)));
session('server.port', 'number', false, 'TCP port of the server (25, 587, 110, 143, ...)', (s) => [s.server.port]);
const tcpFlag = (n: number): Value[] => (n > 0 ? TRUE : FALSE);
session('tcp.analysis.retransmission', 'boolean', true, 'some segment of the session was retransmitted', (s) => tcpFlag(s.tcp.retransmissions));
session('tcp.analysis.out_of_order', 'boolean', true, 'some segment arrived out of order', (s) => tcpFlag(s.tcp.out_of_order));
session('tcp.analysis.lost_segment', 'boolean', true, 'bytes of the session are missing from the capture (a gap)', (s) => tcpFlag(s.tcp.gaps));
session('tcp.analysis.zero_window', 'boolean', true, 'an end advertised a zero receive window', (s) => tcpFlag(s.tcp.zero_windows));
define({
  name: 'tcp.analysis.flags', type: 'boolean', wireshark: true,
  description: 'TCP trouble of some kind: a retransmission, an out-of-order segment, a lost segment or a zero window',
  differs: 'duplicate ACKs, keep-alives and window updates, which tshark also flags, are not tracked',
  session: (s) => tcpFlag(s.tcp.retransmissions + s.tcp.out_of_order + s.tcp.gaps + s.tcp.zero_windows),
});

/**
 * The TCP flags, which Wireshark puts on every TCP packet: the session's
 * values are [false] when no packet had the flag, [false, true] when some
 * did, so that bare `tcp.flags.syn` is true of every session and
 * `tcp.flags.syn == 1` asks for the flag, as in Wireshark.
 */
function tcpFlagField(name: string, description: string, seen: (s: Session) => boolean, differs?: string): void {
  define({
    name, type: 'boolean', wireshark: true, everyPacket: true, description, ...(differs ? { differs } : {}),
    session: (s) => (seen(s) ? FALSE_TRUE : FALSE),
  });
}
const FALSE_TRUE: Value[] = [false, true];
const handshakeSeen = (s: Session) => !s.anomalies.some((a) => a.kind === 'tcp.midstream');
tcpFlagField('tcp.flags.syn', 'a SYN was seen (the connection\'s start is in the capture): tcp.flags.syn == 1', handshakeSeen,
  'from the reassembly: the session\'s start was seen; re-sent SYNs are not counted');
tcpFlagField('tcp.flags.fin', 'some segment carried a FIN: tcp.flags.fin == 1', (s) => s.tcp.fins > 0);
tcpFlagField('tcp.flags.reset', 'the connection saw a RST: tcp.flags.reset == 1 (bare, tcp.flags.reset is on every TCP packet, as in Wireshark)', (s) => s.tcp.resets > 0);
tcpFlagField('tcp.flags.push', 'some segment carried data (PSH): tcp.flags.push == 1', (s) => s.bytes.client + s.bytes.server > 0,
  'from the stream: any data counts, PSH bits themselves are not kept');
define({
  name: 'tcp.flags.ack', type: 'boolean', wireshark: true, everyPacket: true,
  description: 'ACK flag: every packet after the first SYN has it (tcp.flags.ack == 0 finds sessions whose first SYN was seen)',
  session: (s) => (handshakeSeen(s) ? FALSE_TRUE : TRUE),
});
session('tcp.time_relative', 'number', true, 'seconds since the connection\'s first packet: 0 and the session\'s duration',
  (s) => [0, Number(parseIso(s.end) - parseIso(s.start)) / 1e9], { differs: 'only the first and last packets\' times are kept' });

// --- frame ---

const FIRST_LAST = 'only the first and last packets of the session are known: frame.time >= T holds when the last one is at or after T, <= T when the first is at or before it, and == only at those two';
session('frame.time', 'time', true, 'time of the session\'s packets (UTC): frame.time >= "Nov 25, 2026 12:37:20" or "2026-11-25 12:37:20"',
  (s) => [epochSeconds(s.start), epochSeconds(s.end)], { differs: FIRST_LAST });
session('frame.time_epoch', 'number', true, 'time of the session\'s packets in seconds since 1970 (first and last)',
  (s) => [epochSeconds(s.start), epochSeconds(s.end)], { differs: FIRST_LAST });
session('frame.number', 'number', true, 'number of each frame that carried a command, a reply or an anomaly of the session (from 1, as tshark numbers them)',
  (s) => framesOf(s), { differs: 'frames that carried no command or reply (handshake, ACKs) are not kept' });
session('frame.protocols', 'string', true, 'the protocol stack of the session, "ip:tcp:smtp" ("ipv6:tcp:tls:imap:imf" ...): frame.protocols contains "imf"',
  (s) => [protocolsOf(s)], { differs: 'no link layer (not kept): use contains, not ==' });

function framesOf(s: Session): Value[] {
  const out = new Set<number>();
  for (const ex of s.exchanges) {
    if (ex.command) out.add(ex.command.frame);
    for (const st of ex.interim ?? []) {
      out.add(st.reply.frame);
      if (st.response) out.add(st.response.frame);
    }
    if (ex.reply) out.add(ex.reply.frame);
  }
  for (const a of s.anomalies) if (a.frame > 0) out.add(a.frame);
  return [...out].sort((a, b) => a - b);
}

function protocolsOf(s: Session): string {
  const parts = [s.client.ip.includes(':') ? 'ipv6' : 'ip', 'tcp'];
  if (s.tls && (s.tls.mode === 'implicit' || s.tls.records)) parts.push('tls');
  parts.push(s.protocol === 'pop3' ? 'pop' : s.protocol);
  if (s.messages.length > 0) parts.push('imf');
  return parts.join(':');
}

// --- IP ---

session('ip.version', 'number', true, 'IP version of the session: 4 or 6', (s) => [s.client.ip.includes(':') ? 6 : 4]);
session('ip.proto', 'number', true, 'IPv4 protocol number: 6 (TCP) for every IPv4 session', (s) => (s.client.ip.includes(':') ? NONE : [6]));
session('ipv6.nxt', 'number', true, 'IPv6 next header: 6 (TCP) for every IPv6 session', (s) => (s.client.ip.includes(':') ? [6] : NONE),
  { differs: 'extension headers are not kept: always 6' });
session('ip.host', 'string', true, 'IPv4 address of either end, as text ("192.0.2.1"; names are not resolved)', (s) => hostsOf(s, 4));
session('ip.src_host', 'string', true, 'IPv4 address of either end as text (see ip.src)', (s) => hostsOf(s, 4));
session('ip.dst_host', 'string', true, 'IPv4 address of either end as text (see ip.src)', (s) => hostsOf(s, 4));
session('ipv6.host', 'string', true, 'IPv6 address of either end, as text', (s) => hostsOf(s, 6));

function hostsOf(s: Session, family: 4 | 6): Value[] {
  return [s.client.ip, s.server.ip].filter((ip) => ip.includes(':') === (family === 6));
}

