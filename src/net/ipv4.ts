/**
 * IPv4 header decoding. Checksums are deliberately not validated: with
 * checksum offloading, captures taken on the sending host carry wrong ones.
 */

/** Scratch result of parseIPv4, reused for every frame by one decoder. */
export class IPv4Info {
  /** Offset of the IPv4 header (addresses are at +12 and +16). */
  header = 0;
  /** Upper-layer protocol number (6 = TCP). */
  protocol = 0;
  /** Offset of the first payload byte. */
  payloadStart = 0;
  /** Offset just past the last payload byte actually captured. */
  payloadEnd = 0;
  /** The frame holds less than the total length says (snap length), payloadEnd is cut. */
  truncated = false;
  /** This packet is a fragment (MF set or a non-zero fragment offset). */
  isFragment = false;
  /** Fragment offset in bytes. */
  fragOffset = 0;
  /** More-fragments flag. */
  moreFragments = false;
  /** Identification field. */
  id = 0;
  /** One-line reason when parseIPv4 returned false. */
  reason = '';
}

/**
 * Parse the IPv4 header at buf[off..]. Returns false (with out.reason) when
 * the header is malformed. The total length is trusted over the frame length:
 * link-layer padding after it is ignored, and a frame shorter than it (snap
 * length) yields what there is with out.truncated set. A total length of 0
 * (TCP segmentation offload on the capturing host) means "the rest of the frame".
 */
export function parseIPv4(buf: Buffer, off: number, out: IPv4Info): boolean {
  const avail = buf.length - off;
  if (avail < 20) {
    out.reason = `IPv4 header truncated (${avail < 0 ? 0 : avail} of 20 bytes)`;
    return false;
  }
  const vihl = buf[off];
  const version = vihl >> 4;
  if (version !== 4) {
    out.reason = `IPv4 version field is ${version}`;
    return false;
  }
  const hlen = (vihl & 0x0f) << 2;
  if (hlen < 20) {
    out.reason = `IPv4 header length ${hlen} < 20 (IHL ${vihl & 0x0f})`;
    return false;
  }
  if (hlen > avail) {
    out.reason = `IPv4 header truncated (header length ${hlen}, ${avail} bytes captured)`;
    return false;
  }
  let total = (buf[off + 2] << 8) | buf[off + 3];
  if (total === 0) {
    total = avail; // TSO: the NIC fills the length in later
  } else if (total < hlen) {
    out.reason = `IPv4 total length ${total} < header length ${hlen}`;
    return false;
  }
  out.header = off;
  out.protocol = buf[off + 9];
  out.payloadStart = off + hlen;
  if (total > avail) {
    out.payloadEnd = buf.length;
    out.truncated = true;
  } else {
    out.payloadEnd = off + total;
    out.truncated = false;
  }
  const ff = (buf[off + 6] << 8) | buf[off + 7];
  const fragOffset = (ff & 0x1fff) << 3;
  const more = (ff & 0x2000) !== 0;
  out.isFragment = more || fragOffset !== 0;
  out.fragOffset = fragOffset;
  out.moreFragments = more;
  out.id = (buf[off + 4] << 8) | buf[off + 5];
  return true;
}
