/**
 * mailscope read on IMAP COMPRESS=DEFLATE captures made by bench/flood.ts
 * (real zlib streams in a pcap, through capture reading, TCP reassembly and
 * the IMAP machine): one below the inflate bound, decoded whole, and one
 * that inflates to 100 MB from 290 KB, stopped at 64 MiB with one
 * compress.limit anomaly.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_LINE, generateFlood } from '../../bench/flood.js';
import { INFLATE_LIMIT } from '../../src/protocols/imap/machine.js';
import type { Session } from '../../src/session/model.js';

const dir = mkdtempSync(join(tmpdir(), 'mailscope-compress-'));
const small = join(dir, 'compress-10mb.pcap');
const bomb = join(dir, 'compress-100mb.pcap');

beforeAll(async () => {
  await generateFlood({ out: small, kind: 'compress', sessions: 1, seed: 1, inflatedBytes: 10_000_000 });
  await generateFlood({ out: bomb, kind: 'compress', sessions: 1, seed: 1, inflatedBytes: 100_000_000 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(file: string): Session {
  const r = spawnSync(process.execPath, ['bin/mailscope.js', 'read', file, '--format', 'ndjson'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as Session;
}

describe('read on IMAP COMPRESS=DEFLATE floods', () => {
  it('decodes a stream below the bound whole: the FETCH flood counted, the session to its LOGOUT', () => {
    const s = read(small);
    expect(s.anomalies).toEqual([]);
    expect(s.auth.map((a) => [a.user, a.result])).toEqual([['alice', 'success']]);
    expect(s.exchanges.map((e) => `${e.command?.verb ?? '-'} ${e.reply?.status ?? '-'}`))
      .toEqual(['- OK', 'CAPABILITY OK', 'LOGIN OK', 'COMPRESS OK', 'SELECT OK', 'FETCH OK', 'LOGOUT OK']);
    const lines = Math.ceil(10_000_000 / COMPRESS_LINE.length);
    expect(s.exchanges[5].untagged![999]).toBe(`… ${lines - 999} more untagged responses not kept`);
    expect(s.exchanges[6].untagged).toEqual(['* BYE Logging out']);
  });

  it('stops a bomb at the bound: one compress.limit, what came before it decoded', () => {
    const s = read(bomb);
    expect(s.anomalies.map((a) => a.kind)).toEqual(['compress.limit']);
    expect(s.anomalies[0].detail).toMatch(new RegExp(`^server COMPRESS=DEFLATE stream reached the inflate bound at ${INFLATE_LIMIT} bytes .*; \\d+ compressed bytes after it not decoded$`));
    expect(s.exchanges.map((e) => `${e.command?.verb ?? '-'} ${e.reply?.status ?? '-'}`))
      .toEqual(['- OK', 'CAPABILITY OK', 'LOGIN OK', 'COMPRESS OK', 'SELECT OK', 'FETCH -', 'LOGOUT -']);
    // The SELECT's four untagged lines and the flood's first ones came before the bound.
    const before = INFLATE_LIMIT - (s.exchanges[4].untagged!.join('\r\n').length + 2 + 'a4 OK [READ-WRITE] Select completed.\r\n'.length);
    expect(s.exchanges[5].untagged![999]).toBe(`… ${Math.floor(before / COMPRESS_LINE.length) - 999} more untagged responses not kept`);
  });
});
