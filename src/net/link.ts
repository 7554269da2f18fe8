/**
 * Link-layer decoding: find where the network-layer packet starts in a frame
 * and whether it is IPv4, IPv6, something else, malformed, or a link type we
 * do not know.
 */

import { LinkType } from '../capture/frame.js';

/** Outcome of link decoding (the return value of decodeLink). */
export const Net = {
  /** An IPv4 packet starts at LinkResult.offset. */
  IPV4: 4,
  /** An IPv6 packet starts at LinkResult.offset. */
  IPV6: 6,
  /** A well-formed frame carrying something other than IP (ARP, LLDP, ...). */
  OTHER: 0,
  /** The link header is cut short or inconsistent; LinkResult.reason says why. */
  MALFORMED: -1,
  /** A link type this decoder does not handle. */
  UNSUPPORTED: -2,
} as const;

/** Scratch result, reused for every frame by one decoder. */
export class LinkResult {
  /** Offset of the network-layer header in the frame's data. */
  offset = 0;
  /** One-line reason when decodeLink returned Net.MALFORMED. */
  reason = '';
}

const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const ETH_VLAN = 0x8100; // 802.1Q
const ETH_QINQ = 0x88a8; // 802.1ad
const ETH_QINQ_OLD = 0x9100; // pre-standard Q-in-Q

/** BSD address families for IPv6: NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30. */
function isAfInet6(v: number): boolean {
  return v === 24 || v === 28 || v === 30;
}

/**
 * Dispatch on an EtherType found at buf[typeOff..typeOff+2), walking any
 * number of VLAN tags (each 4 bytes: TCI then the next EtherType).
 */
function etherType(buf: Buffer, typeOff: number, what: string, out: LinkResult): number {
  const n = buf.length;
  let p = typeOff;
  for (;;) {
    const type = (buf[p] << 8) | buf[p + 1];
    p += 2;
    if (type === ETH_IPV4) {
      out.offset = p;
      return Net.IPV4;
    }
    if (type === ETH_IPV6) {
      out.offset = p;
      return Net.IPV6;
    }
    if (type === ETH_VLAN || type === ETH_QINQ || type === ETH_QINQ_OLD) {
      // p is at the TCI; the inner EtherType follows it.
      if (p + 4 > n) {
        out.reason = `${what} VLAN tag truncated (${n} bytes)`;
        return Net.MALFORMED;
      }
      p += 2;
      continue;
    }
    return Net.OTHER;
  }
}

/**
 * Decode the link header of one frame. Returns a Net value; for IPV4/IPV6
 * out.offset is where the IP header starts, for MALFORMED out.reason is set.
 */
export function decodeLink(linkType: number, buf: Buffer, out: LinkResult): number {
  const n = buf.length;
  switch (linkType) {
    case LinkType.ETHERNET:
      if (n < 14) {
        out.reason = `Ethernet header truncated (${n} bytes)`;
        return Net.MALFORMED;
      }
      return etherType(buf, 12, 'Ethernet', out);

    case LinkType.LINUX_SLL:
      if (n < 16) {
        out.reason = `Linux cooked v1 header truncated (${n} bytes)`;
        return Net.MALFORMED;
      }
      if (((buf[14] << 8) | buf[15]) < 0x0600) return Net.OTHER; // ARPHRD-specific protocol value, not an EtherType
      return etherType(buf, 14, 'Linux cooked v1', out);

    case LinkType.LINUX_SLL2:
      if (n < 20) {
        out.reason = `Linux cooked v2 header truncated (${n} bytes)`;
        return Net.MALFORMED;
      }
      {
        const type = (buf[0] << 8) | buf[1];
        if (type === ETH_IPV4) {
          out.offset = 20;
          return Net.IPV4;
        }
        if (type === ETH_IPV6) {
          out.offset = 20;
          return Net.IPV6;
        }
        if (type === ETH_VLAN || type === ETH_QINQ || type === ETH_QINQ_OLD) {
          // Tag (TCI + inner type) sits at the start of the payload.
          if (n < 24) {
            out.reason = `Linux cooked v2 VLAN tag truncated (${n} bytes)`;
            return Net.MALFORMED;
          }
          const r = etherType(buf, 22, 'Linux cooked v2', out);
          return r;
        }
        return Net.OTHER;
      }

    case LinkType.RAW:
      if (n < 1) {
        out.reason = 'raw IP frame is empty';
        return Net.MALFORMED;
      }
      out.offset = 0;
      {
        const v = buf[0] >> 4;
        if (v === 4) return Net.IPV4;
        if (v === 6) return Net.IPV6;
        out.reason = `raw IP version ${v} is neither 4 nor 6`;
        return Net.MALFORMED;
      }

    case LinkType.IPV4:
      out.offset = 0;
      return Net.IPV4;

    case LinkType.IPV6:
      out.offset = 0;
      return Net.IPV6;

    case LinkType.NULL:
    case LinkType.LOOP: {
      if (n < 4) {
        out.reason = `${linkType === LinkType.NULL ? 'BSD NULL' : 'BSD LOOP'} header truncated (${n} bytes)`;
        return Net.MALFORMED;
      }
      out.offset = 4;
      const be = ((buf[0] << 24) | (buf[1] << 16) | (buf[2] << 8) | buf[3]) >>> 0;
      if (be === 2) return Net.IPV4;
      if (isAfInet6(be)) return Net.IPV6;
      if (linkType === LinkType.NULL) {
        // Host byte order of the capturing machine: accept little-endian too.
        const le = ((buf[3] << 24) | (buf[2] << 16) | (buf[1] << 8) | buf[0]) >>> 0;
        if (le === 2) return Net.IPV4;
        if (isAfInet6(le)) return Net.IPV6;
      }
      return Net.OTHER;
    }

    default:
      return Net.UNSUPPORTED;
  }
}
