/** The packet decoding stage: Frame -> Segment. */
export { PacketDecoder, type PacketDecoderOptions } from './decoder.js';
export { DecodeStats, type DecodeNote } from './stats.js';
export { AddressFormatter, ipv4ToString, ipv6ToString } from './address.js';
export { FragmentReassembler, DEFAULT_FRAGMENT_LIMITS, MAX_DATAGRAM, type FragmentLimits } from './fragments.js';
export { decodeLink, LinkResult, Net } from './link.js';
export { parseIPv4, IPv4Info } from './ipv4.js';
export { parseIPv6, walkIPv6, IPv6Info } from './ipv6.js';
export { decodeTcp, tcpWindowScale, TcpError } from './tcp-header.js';
export { TcpFlag, type Segment } from './segment.js';
