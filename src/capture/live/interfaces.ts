/**
 * --list-interfaces: the interfaces libpcap can open, with their addresses.
 * From cap's deviceList when cap loads, else `tcpdump -D`, else the
 * operating system's list (which lacks pseudo-interfaces such as `any`).
 */
import { execFile } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';
import type { CapModule } from './cap-binding.js';

export interface InterfaceInfo {
  name: string;
  description?: string;
  addresses: string[];
  loopback: boolean;
}

export type InterfaceSource = 'cap' | 'tcpdump' | 'os';

export async function listInterfaces(cap: CapModule | null, tcpdump: string | null): Promise<{ source: InterfaceSource; interfaces: InterfaceInfo[] }> {
  if (cap) {
    return {
      source: 'cap',
      interfaces: cap.Cap.deviceList().map((d) => ({
        name: d.name,
        description: d.description,
        addresses: d.addresses.map((a) => a.addr).filter((a): a is string => typeof a === 'string'),
        loopback: d.flags === 'PCAP_IF_LOOPBACK',
      })),
    };
  }
  if (tcpdump) {
    try {
      const { stdout } = await promisify(execFile)(tcpdump, ['-D'], { timeout: 10_000 });
      return { source: 'tcpdump', interfaces: parseTcpdumpList(stdout) };
    } catch {
      // fall through to the OS list
    }
  }
  const os = networkInterfaces();
  return {
    source: 'os',
    interfaces: Object.entries(os).map(([name, addrs]) => ({
      name,
      addresses: (addrs ?? []).map((a) => a.address),
      loopback: (addrs ?? []).some((a) => a.internal),
    })),
  };
}

/** `1.eth0 [Up, Running, Connected]` / `2.any (Pseudo-device that captures on all interfaces) [Up, Running]`. */
export function parseTcpdumpList(text: string): InterfaceInfo[] {
  const out: InterfaceInfo[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+\.(\S+)(?: \(([^)]*)\))?(?: \[([^\]]*)\])?/.exec(line.trim());
    if (!m) continue;
    out.push({ name: m[1], description: m[2], addresses: [], loopback: /Loopback/i.test(m[3] ?? '') });
  }
  return out;
}
