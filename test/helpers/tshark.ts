/** tshark as a second opinion: present on CI (.ci/run installs it); tests that need it say so with runIf. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const hasTshark = existsSync('/usr/bin/tshark');

export function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
}

export interface TsharkStream {
  /** Node 0 of tshark's follow output, as "ip:port" (brackets for IPv6). */
  node0: string;
  node1: string;
  /** Bytes sent by node 0 and node 1. */
  bytes: [Buffer, Buffer];
}

/** Every stream's bytes, per node, from `tshark -z follow,tcp,raw,N` (one tshark run for all streams). */
export function tsharkFollow(file: string, streamIds: number[]): Map<number, TsharkStream> {
  const out = new Map<number, TsharkStream>();
  for (let i = 0; i < streamIds.length; i += 200) {
    const ids = streamIds.slice(i, i + 200);
    const args = ['-r', file, '-q', ...ids.flatMap((id) => ['-z', `follow,tcp,raw,${id}`])];
    const text = tshark(args);
    for (const block of text.split(/^=+$/m)) {
      const filter = /^Filter: tcp\.stream eq (\d+)$/m.exec(block);
      if (!filter) continue;
      const node0 = /^Node 0: (.*)$/m.exec(block)?.[1] ?? '';
      const node1 = /^Node 1: (.*)$/m.exec(block)?.[1] ?? '';
      const parts: [string[], string[]] = [[], []];
      for (const line of block.split('\n')) {
        if (/^\t[0-9a-f]+$/.test(line)) parts[1].push(line.slice(1));
        else if (/^[0-9a-f]+$/.test(line)) parts[0].push(line);
      }
      out.set(Number(filter[1]), { node0, node1, bytes: [Buffer.from(parts[0].join(''), 'hex'), Buffer.from(parts[1].join(''), 'hex')] });
    }
  }
  return out;
}

/** Streams where tshark itself saw missing data (its follow output cannot be compared there). */
export function tsharkLossyStreams(file: string): Set<number> {
  const text = tshark(['-r', file, '-Y', 'tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment', '-T', 'fields', '-e', 'tcp.stream']);
  return new Set(text.split('\n').filter(Boolean).map(Number));
}
