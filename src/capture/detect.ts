/**
 * Recognises a capture by its first bytes, never by its file name: people
 * rename files, and tcpdump -C rings end in .pcap1, .pcap2, ...
 */
export type CaptureFormat = 'pcap' | 'pcapng' | 'gzip' | 'unknown';

/** Magic numbers as read little-endian from the first four bytes. */
const PCAP_MAGICS = new Set([
  0xa1b2c3d4, 0xd4c3b2a1, // microsecond, either byte order
  0xa1b23c4d, 0x4d3cb2a1, // nanosecond
  0xa1b2cd34, 0x34cdb2a1, // Kuznetsov's modified pcap (extra fields per record)
]);
const PCAPNG_SHB = 0x0a0d0d0a; // the Section Header Block type reads the same in both byte orders

export function detectFormat(head: Buffer): CaptureFormat {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length < 4) return 'unknown';
  const le = head.readUInt32LE(0);
  if (le === PCAPNG_SHB) return 'pcapng';
  if (PCAP_MAGICS.has(le)) return 'pcap';
  return 'unknown';
}

/** A short, printable description of the first bytes, for "not a capture" messages. */
export function describeHead(head: Buffer): string {
  if (head.length === 0) return 'the file is empty';
  const hex = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return `it starts with ${hex}, which is neither pcap, pcapng nor gzip`;
}
