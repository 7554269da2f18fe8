/**
 * How much of Wireshark's vocabulary a mail analyst can paste: every field
 * tshark registers for smtp, pop, imap and imf (less the fragment-reassembly
 * internals and the X.400 headers, which mean nothing for a session), and
 * the frame, eth, ip, tcp and tls names such analysts filter mail traffic
 * with. The ratio accepted is the measure (>= 85%); the names not
 * accepted are listed, each with why, so that a change is a visible decision.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFilter } from '../../src/filter/index.js';
import { tshark } from '../helpers/tshark.js';

/** Below the mail protocols: names from Wireshark's display-filter reference and cookbook filters for mail. */
const PACKET_NAMES = [
  'frame', 'frame.time', 'frame.time_epoch', 'frame.time_relative', 'frame.time_delta', 'frame.number', 'frame.len', 'frame.cap_len', 'frame.protocols',
  'eth', 'eth.addr', 'eth.src', 'eth.dst', 'eth.type',
  'ip', 'ip.addr', 'ip.src', 'ip.dst', 'ip.host', 'ip.src_host', 'ip.dst_host', 'ip.version', 'ip.proto', 'ip.ttl', 'ip.len', 'ip.id', 'ip.flags.df',
  'ipv6', 'ipv6.addr', 'ipv6.src', 'ipv6.dst', 'ipv6.host', 'ipv6.nxt',
  'tcp', 'tcp.port', 'tcp.srcport', 'tcp.dstport', 'tcp.stream', 'tcp.len', 'tcp.seq', 'tcp.ack', 'tcp.payload', 'tcp.window_size', 'tcp.time_relative',
  'tcp.flags.syn', 'tcp.flags.ack', 'tcp.flags.fin', 'tcp.flags.reset', 'tcp.flags.push',
  'tcp.analysis.flags', 'tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission', 'tcp.analysis.out_of_order', 'tcp.analysis.lost_segment',
  'tcp.analysis.zero_window', 'tcp.analysis.duplicate_ack', 'tcp.analysis.keep_alive', 'tcp.analysis.window_update', 'tcp.analysis.ack_rtt',
  'tls', 'ssl', 'tls.record', 'tls.record.version', 'tls.record.content_type', 'tls.handshake', 'tls.handshake.type', 'tls.handshake.version',
  'tls.handshake.ciphersuite', 'tls.handshake.extensions_server_name', 'tls.handshake.extensions_alpn_str', 'tls.alert_message', 'tls.alert_message.desc',
  'tls.app_data',
];

/** Names not accepted, and why: each is a decision, not an oversight. */
const NOT_ACCEPTED: Record<string, string> = {
  'frame.time_relative': 'seconds since the capture\'s first packet: a session does not know when the capture began (tcp.time_relative does)',
  'frame.time_delta': 'per packet; sessions keep commands and replies, not every packet',
  'frame.len': 'per packet lengths are not kept (session.bytes counts the stream)',
  'frame.cap_len': 'per packet lengths are not kept',
  'ip.ttl': 'per packet IP header fields are not kept',
  'ip.len': 'per packet IP header fields are not kept',
  'ip.id': 'per packet IP header fields are not kept',
  'ip.flags.df': 'per packet IP header fields are not kept',
  'tcp.len': 'per segment lengths are not kept (session.bytes.client / .server)',
  'tcp.seq': 'sequence numbers are not kept',
  'tcp.ack': 'acknowledgement numbers are not kept',
  'tcp.window_size': 'windows are not kept (tcp.analysis.zero_window is)',
  'tcp.analysis.fast_retransmission': 'not told apart from other retransmissions (tcp.analysis.retransmission)',
  'tcp.analysis.duplicate_ack': 'ACKs without data are not analysed',
  'tcp.analysis.keep_alive': 'ACKs without data are not analysed',
  'tcp.analysis.window_update': 'windows are not kept',
  'tcp.analysis.ack_rtt': 'ACK timing is not kept (reply.latency is the mail-level delay)',
  'smtp.base64_decode': 'a Wireshark preference marker, not data',
};

/** Fragment-reassembly internals and X.400 headers: not names an analyst filters sessions with. */
const OUT_OF_SCOPE = /\.data\.fragment\.|\.data\.reassembled\.in$|\.fragment\.count$|x400|^imf\.siolabel|^imf\.unknown_param$|tot_len\.invalid$/;

describe.runIf(existsSync('/usr/bin/tshark'))('Wireshark names a mail analyst uses', () => {
  const registered = tshark(['-G', 'fields']).split('\n').map((l) => l.split('\t'))
    .filter((c) => c[0] === 'F' && ['smtp', 'pop', 'imap', 'imf'].includes(c[4])).map((c) => c[2]);
  const mailNames = [...registered, 'smtp', 'pop', 'imap', 'imf', 'data-text-lines'].filter((n) => !OUT_OF_SCOPE.test(n));
  const names = [...new Set([...mailNames, ...PACKET_NAMES])];
  const accepted = names.filter((n) => checkFilter(n, { secretsShown: true }) === null);

  it('accepts at least 85% of them', () => {
    expect(names.length).toBeGreaterThan(180);
    expect(accepted.length / names.length).toBeGreaterThanOrEqual(0.85);
  });

  it('refuses only the names listed with a reason', () => {
    const refused = names.filter((n) => !accepted.includes(n));
    expect(refused.filter((n) => !NOT_ACCEPTED[n])).toEqual([]);
    expect(Object.keys(NOT_ACCEPTED).filter((n) => NOT_ACCEPTED[n] && accepted.includes(n))).toEqual([]);
  });
});
