/**
 * The typed face of the optional `cap` package (0.2.1), which has no type
 * declarations of its own. Only what mailscope uses is declared, as the
 * package's README and src/binding.cc define it. It is loaded with require at
 * run time so that mailscope works without it (an optional dependency that
 * needs libpcap-dev to build).
 */
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { LinkType } from '../frame.js';

export interface CapDeviceAddress {
  addr?: string;
  netmask?: string;
  broadaddr?: string;
}

export interface CapDevice {
  name: string;
  description?: string;
  addresses: CapDeviceAddress[];
  /** 'PCAP_IF_LOOPBACK' for a loopback interface. */
  flags?: string;
}

/** One libpcap handle. open() always captures promiscuously with a 65535-byte snap length. */
export interface CapHandle extends EventEmitter {
  /**
   * Opens `device` with a BPF `filter` ('' for none), `bufSize` bytes of
   * kernel buffer, and `buffer` to receive every packet (reused for each one).
   * Returns the link type as a name ('ETHERNET', 'LINKTYPE_LINUX_SLL', ...)
   * or 'Unknown linktype N'. Throws libpcap's error text.
   */
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): boolean;
  /** 'packet' (nbytes, truncated): nbytes of `buffer` hold the packet, valid only until the handler returns. */
  on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): this;
}

export interface CapModule {
  Cap: { new (): CapHandle; deviceList(): CapDevice[]; findDevice(ip?: string): string | undefined };
}

export type CapLoad = { ok: true; cap: CapModule } | { ok: false; reason: string };

/** Loads cap, or says why it cannot be loaded (not installed, libpcap missing, built for another Node). */
export function loadCap(): CapLoad {
  try {
    const require = createRequire(import.meta.url);
    // The one untyped boundary: cap ships no declarations; CapModule above describes it.
    return { ok: true, cap: require('cap') as CapModule };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND') return { ok: false, reason: 'the cap package is not installed' };
    return { ok: false, reason: `the cap package cannot be loaded (${firstLine(e.message)})` };
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}

/** cap's link-type names (binding.cc) to LINKTYPE_* numbers; 'Unknown linktype N' gives N. */
export function capLinkType(name: string): number | null {
  switch (name) {
    case 'ETHERNET': return LinkType.ETHERNET;
    case 'NULL': return LinkType.NULL;
    case 'LINKTYPE_LINUX_SLL': return LinkType.LINUX_SLL;
    // DLT_RAW is 12 on most systems (14 on OpenBSD); both mean LINKTYPE_RAW (101) in files.
    case 'RAW': return LinkType.RAW;
    case 'IEEE802_11_RADIO': return 127;
    default: {
      const m = /^Unknown linktype (\d+)$/.exec(name);
      return m ? dltToLinkType(Number(m[1])) : null;
    }
  }
}

/** DLT_* values that differ from their LINKTYPE_* (pcap/dlt.h vs the registry). */
function dltToLinkType(dlt: number): number {
  if (dlt === 276) return LinkType.LINUX_SLL2;
  if (dlt === 12 || dlt === 14) return LinkType.RAW;
  return dlt;
}
