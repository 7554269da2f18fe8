/**
 * IPv6 header and extension-header decoding.
 */

/** Scratch result of parseIPv6 / walkIPv6, reused for every frame by one decoder. */
export class IPv6Info {
  /** Offset of the IPv6 header (addresses are at +8 and +24). */
  header = 0;
  /**
   * Where the extension-header walk stopped: the upper-layer protocol
   * (6 = TCP, 17 = UDP, 50 = ESP, 59 = no next header, ...), or 44 when a
   * fragment header was met (see the frag* fields).
   */
  protocol = 0;
  /** Offset of the upper-layer header, or of the fragment data after a fragment header. */
  payloadStart = 0;
  /** Offset just past the last payload byte actually captured. */
  payloadEnd = 0;
  /** The frame holds less than the payload length says (snap length). */
  truncated = false;
  /** Fragment offset in bytes (when protocol is 44). */
  fragOffset = 0;
  /** More-fragments flag (when protocol is 44). */
  moreFragments = false;
  /** Fragment identification (when protocol is 44). */
  id = 0;
  /** Next-header value from the fragment header: the first header of the fragmentable part. */
  fragNext = 0;
  /** One-line reason when parsing returned false. */
  reason = '';
}

export const IPPROTO_HOPOPTS = 0;
export const IPPROTO_TCP = 6;
export const IPPROTO_ROUTING = 43;
export const IPPROTO_FRAGMENT = 44;
export const IPPROTO_ESP = 50;
export const IPPROTO_AH = 51;
export const IPPROTO_NONE = 59;
export const IPPROTO_DSTOPTS = 60;

/**
 * Parse the fixed IPv6 header at buf[off..] and walk its extension headers.
 * Returns false (with out.reason) when malformed. A payload length of 0
 * (jumbogram, or segmentation offload on the capturing host) means "the rest
 * of the frame".
 */
export function parseIPv6(buf: Buffer, off: number, out: IPv6Info): boolean {
  const avail = buf.length - off;
  if (avail < 40) {
    out.reason = `IPv6 header truncated (${avail < 0 ? 0 : avail} of 40 bytes)`;
    return false;
  }
  const version = buf[off] >> 4;
  if (version !== 6) {
    out.reason = `IPv6 version field is ${version}`;
    return false;
  }
  let plen = (buf[off + 4] << 8) | buf[off + 5];
  if (plen === 0) plen = avail - 40;
  out.header = off;
  let end = off + 40 + plen;
  if (end > buf.length) {
    end = buf.length;
    out.truncated = true;
  } else {
    out.truncated = false;
  }
  out.payloadEnd = end;
  return walkIPv6(buf, off + 40, end, buf[off + 6], out);
}

/**
 * Walk IPv6 extension headers in buf[p..end) starting with next-header value
 * nh, stopping at the upper-layer protocol or at a fragment header (atomic
 * fragments, offset 0 without MF, are stepped over). Sets out.protocol and
 * out.payloadStart (and the frag* fields for 44). Returns false with
 * out.reason when an extension header does not fit.
 */
export function walkIPv6(buf: Buffer, p: number, end: number, nh: number, out: IPv6Info): boolean {
  for (;;) {
    switch (nh) {
      case IPPROTO_HOPOPTS:
      case IPPROTO_ROUTING:
      case IPPROTO_DSTOPTS:
      case 135: // Mobility
      case 139: // HIP
      case 140: {
        // Shim6
        if (p + 2 > end) {
          out.reason = `IPv6 extension header ${nh} truncated`;
          return false;
        }
        const len = (buf[p + 1] + 1) << 3;
        if (p + len > end) {
          out.reason = `IPv6 extension header ${nh} length ${len} past end of packet`;
          return false;
        }
        nh = buf[p];
        p += len;
        continue;
      }
      case IPPROTO_AH: {
        if (p + 2 > end) {
          out.reason = 'IPv6 AH header truncated';
          return false;
        }
        const len = (buf[p + 1] + 2) << 2;
        if (p + len > end) {
          out.reason = `IPv6 AH length ${len} past end of packet`;
          return false;
        }
        nh = buf[p];
        p += len;
        continue;
      }
      case IPPROTO_FRAGMENT: {
        if (p + 8 > end) {
          out.reason = 'IPv6 fragment header truncated';
          return false;
        }
        const fo = (buf[p + 2] << 8) | buf[p + 3];
        const fragOffset = fo & 0xfff8;
        const more = (fo & 1) !== 0;
        if (fragOffset === 0 && !more) {
          // Atomic fragment (RFC 6946): a whole packet, just step over.
          nh = buf[p];
          p += 8;
          continue;
        }
        out.protocol = IPPROTO_FRAGMENT;
        out.fragNext = buf[p];
        out.fragOffset = fragOffset;
        out.moreFragments = more;
        out.id = ((buf[p + 4] << 24) | (buf[p + 5] << 16) | (buf[p + 6] << 8) | buf[p + 7]) >>> 0;
        out.payloadStart = p + 8;
        return true;
      }
      default:
        // TCP, UDP, ICMPv6, ESP (50), no next header (59), anything else: stop.
        out.protocol = nh;
        out.payloadStart = p;
        return true;
    }
  }
}
