/**
 * A parallel read (worker threads) prints exactly what a single-threaded one
 * prints: same sessions, same ids, same order, same bytes, on the real
 * captures and on floods that make the connection table evict.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFlood } from '../../bench/flood.js';
import { corpusFiles } from '../helpers/corpus.js';

/** `localAt`: MAILSCOPE_LOCAL_AT, how far behind a worker is when the main thread decodes a new connection itself (0: always). */
function read(workers: number, args: string[], localAt?: number) {
  const env = { ...process.env, MAILSCOPE_LOCAL_AT: localAt === undefined ? '' : String(localAt) };
  const r = spawnSync(process.execPath, ['bin/mailscope.js', 'read', '--workers', String(workers), ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectSameOutput(...args: string[]) {
  return expectSame(0, ...args);
}

function expectSame(code: number, ...args: string[]) {
  const one = read(0, args);
  expect(one.code, one.stderr).toBe(code);
  // The workers alone (a worker never far enough behind on these small captures), the main thread's shard alone, and both.
  for (const [workers, localAt] of [[1, undefined], [3, undefined], [1, 0], [2, 1]] as const) {
    const many = read(workers, args, localAt);
    const run = `--workers ${workers}${localAt === undefined ? '' : ` with MAILSCOPE_LOCAL_AT=${localAt}`}`;
    expect(many.code, many.stderr).toBe(code);
    expect(many.stderr, run).toBe(one.stderr);
    expect(many.stdout === one.stdout, `${run} differs from --workers 0`).toBe(true);
  }
  return one;
}

const dir = mkdtempSync(join(tmpdir(), 'mailscope-parallel-'));
const tiny = join(dir, 'tiny.pcap');
const halfOpen = join(dir, 'half-open.pcap');

beforeAll(async () => {
  await generateFlood({ kind: 'tiny', out: tiny, sessions: 4000, seed: 7 });
  await generateFlood({ kind: 'half-open', out: halfOpen, sessions: 3000, seed: 7 });
});

describe('read --workers N is byte-identical to --workers 0', () => {
  it('on every capture of the corpus, read together, as NDJSON', () => {
    const one = expectSameOutput(...corpusFiles(), '--format', 'ndjson');
    expect(one.stdout.split('\n').length).toBeGreaterThan(50);
  });

  it('on the demo with its key log (TLS decrypted in the workers), as text lines and filtered JSON', () => {
    const text = expectSameOutput('captures/demo.pcap', '--keylog', 'captures/demo.keys');
    expect(text.stdout).toMatch(/21 mail sessions\n$/);
    const json = expectSameOutput('captures/demo.pcap', '--keylog', 'captures/demo.keys', '-f', 'json', '-Y', 'smtp.response.code >= 400 || imap.response.status == "NO"');
    expect(JSON.parse(json.stdout).length).toBeGreaterThan(2);
  });

  it('with a port decoded by its greeting (--decode-as) and by sniffing', () => {
    expectSameOutput('captures/smtp-delivery.pcap', 'captures/pop3-success.pcap', '--decode-as', '25=pop3', '-f', 'ndjson');
  });

  it('on damaged captures: the same sessions before the damage, the same message, the same exit status', () => {
    const damaged = corpusFiles(['captures/damaged']);
    expect(damaged.length).toBeGreaterThan(3);
    for (const file of damaged) {
      const one = read(0, [file, '-f', 'ndjson']);
      expectSame(one.code ?? -1, file, '-f', 'ndjson');
    }
  });

  it('on floods that make the table evict (sessions closed early, counted, in the same order)', () => {
    const one = expectSameOutput(tiny, halfOpen, '--max-connections', '300', '-f', 'ndjson');
    const sessions = one.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; closed: string });
    expect(sessions.length).toBeGreaterThanOrEqual(7000); // evicted connections that speak again come back as new, mid-stream ones
    expect(sessions.filter((s) => s.closed === 'evicted').length).toBeGreaterThan(1000);
    expect(one.stderr).toMatch(/closed early because 300 were open at once/);
  });
});
