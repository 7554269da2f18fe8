/**
 * What every capture-reading command says on stderr after its output: damage,
 * unsupported link types, malformed frames. One line each, never a stack trace.
 */
import { CaptureError } from '../capture/errors.js';
import type { ReadStreamsResult } from '../pipeline/read-streams.js';

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** Bad arguments (yargs also exits 1 on a usage error). */
  usage: 1,
  /** The input cannot be read at all: missing file, not a capture, unsupported format or link type. */
  unreadable: 2,
  /** The capture is damaged: the output holds everything read before the damage. */
  damaged: 3,
  /** A display filter was given and no session matched it (grep's "nothing found", kept apart from errors). */
  noMatch: 4,
} as const;

const LINK_NAMES: Record<number, string> = {
  0: 'BSD loopback', 1: 'Ethernet', 101: 'raw IP', 105: 'IEEE 802.11', 108: 'OpenBSD loopback', 113: 'Linux cooked v1',
  127: '802.11 radiotap', 147: 'user 0', 220: 'USB', 228: 'raw IPv4', 229: 'raw IPv6', 276: 'Linux cooked v2',
};

export function linkTypeName(linkType: number): string {
  return LINK_NAMES[linkType] ? `${linkType} (${LINK_NAMES[linkType]})` : String(linkType);
}

/** Writes the warnings for a finished read and returns the exit code they imply. */
export function reportRead(result: ReadStreamsResult, write: (line: string) => void): number {
  let code: number = EXIT.ok;
  for (const [linkType, count] of result.decode.unsupportedLinkTypes) {
    write(`mailscope: link type ${linkTypeName(linkType)} is not supported: ${count} frame${count === 1 ? '' : 's'} skipped ` +
      `(supported: Ethernet, Linux cooked v1/v2, raw IP, BSD loopback)`);
    if (result.decode.segments === 0) code = EXIT.unreadable;
  }
  if (result.decode.malformed > 0) {
    const first = result.notes[0];
    write(`mailscope: ${result.decode.malformed} malformed frame${result.decode.malformed === 1 ? '' : 's'} skipped` +
      (first ? ` (first: frame ${first.frame}: ${first.reason})` : ''));
  }
  const table = result.table;
  if (table.evicted > 0) {
    write(`mailscope: ${table.evicted} connection${table.evicted === 1 ? ' was' : 's were'} closed early because ${table.limit} were open at once ` +
      `(least recently active first; each carries a tcp.evicted anomaly; --max-connections raises the limit)`);
  }
  for (const damage of result.damage) {
    write(`mailscope: ${damage.message}; everything before it was read`);
    code = EXIT.damaged;
  }
  return code;
}

/** A one-line message for an error that stopped a command. */
export function describeFatal(err: unknown): string {
  if (err instanceof CaptureError) return `mailscope: ${err.message}`;
  return `mailscope: ${(err as Error)?.message ?? String(err)}`;
}
