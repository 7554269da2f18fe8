/**
 * cap reports only the captured length of a packet, not its length on the
 * wire. For IP packets the IP header says it: this recovers the original
 * length of a packet that the snap length cut, so Frame.origLen (and the
 * orig_len field written to pcap) stays true. Anything else keeps the
 * captured length.
 */
import { LinkType } from '../frame.js';

/** Bytes before the IP header for each link type we can see through. */
function ipOffset(linkType: number, data: Buffer): number | null {
  switch (linkType) {
    case LinkType.ETHERNET: {
      let off = 12;
      // 802.1Q / 802.1ad tags.
      while (data.length >= off + 2) {
        const type = data.readUInt16BE(off);
        if (type === 0x8100 || type === 0x88a8) { off += 4; continue; }
        return type === 0x0800 || type === 0x86dd ? off + 2 : null;
      }
      return null;
    }
    case LinkType.LINUX_SLL: return 16;
    case LinkType.LINUX_SLL2: return 20;
    case LinkType.RAW: case LinkType.IPV4: case LinkType.IPV6: return 0;
    case LinkType.NULL: case LinkType.LOOP: return 4;
    default: return null;
  }
}

/** The packet's length on the wire, at least `data.length`. */
export function originalLength(linkType: number, data: Buffer): number {
  const off = ipOffset(linkType, data);
  if (off === null || data.length < off + 6) return data.length;
  const version = data[off] >> 4;
  let ipLen = 0;
  if (version === 4) ipLen = data.readUInt16BE(off + 2);
  else if (version === 6) ipLen = 40 + data.readUInt16BE(off + 4);
  // A zero IPv4 total length means TSO/GSO on the capturing host: the length is unknown.
  return ipLen > 0 ? Math.max(data.length, off + ipLen) : data.length;
}
