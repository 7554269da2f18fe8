/**
 * Fields below the mail protocol: TLS, IP addresses and TCP, by Wireshark's
 * names where it has them, read once per session.
 */
import type { Session } from '../session/model.js';
import { FALSE, NONE, TRUE, session, str } from './field-registry.js';
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
session('tls.decrypted', 'boolean', false, 'the TLS part was decrypted (a key log was given)', (s) => (s.tls ? [s.tls.decrypted] : NONE));

// --- addresses and TCP ---

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
session('tcp.flags.reset', 'boolean', true, 'the connection saw a RST (write tcp.flags.reset == 1 as in Wireshark, or just tcp.flags.reset)', (s) => tcpFlag(s.tcp.resets));

