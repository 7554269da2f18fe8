import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCapture, parseGenerateArgs, Rng, type GenerateResult } from '../../bench/generate.js';

const TSHARK = '/usr/bin/tshark';
const MIB = 1 << 20;
const dir = mkdtempSync(join(tmpdir(), 'mailscope-generate-'));
const fileA = join(dir, 'seed1-a.pcap');
const fileB = join(dir, 'seed1-b.pcap');
const fileC = join(dir, 'seed2.pcap');
let resA: GenerateResult;
let resB: GenerateResult;
let resC: GenerateResult;

beforeAll(async () => {
  resA = await generateCapture({ out: fileA, megabytes: 2, seed: 1 });
  resB = await generateCapture({ out: fileB, megabytes: 2, seed: 1 });
  resC = await generateCapture({ out: fileC, megabytes: 2, seed: 2 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tshark(args: string[]): string {
  return execFileSync(TSHARK, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 << 20 });
}

function count(file: string, filter: string, extra: string[] = []): number {
  const out = tshark(['-r', file, ...extra, '-Y', filter, '-T', 'fields', '-e', 'frame.number']);
  return out.split('\n').filter((l) => l.trim() !== '').length;
}

/** Frame timestamps (µs) and TCP ports of a little-endian microsecond Ethernet pcap. */
function scan(buf: Buffer): { frames: number; times: number[]; linkType: number } {
  expect(buf.readUInt32LE(0)).toBe(0xa1b2c3d4);
  const times: number[] = [];
  let off = 24;
  while (off < buf.length) {
    times.push(buf.readUInt32LE(off) * 1e6 + buf.readUInt32LE(off + 4));
    off += 16 + buf.readUInt32LE(off + 8);
  }
  expect(off).toBe(buf.length);
  return { frames: times.length, times, linkType: buf.readUInt32LE(20) };
}

describe('generateCapture', () => {
  it('is byte-identical for the same seed and differs for another', () => {
    const a = readFileSync(fileA);
    const b = readFileSync(fileB);
    const c = readFileSync(fileC);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    expect(resA.frames).toBe(resB.frames);
    expect(resA.connections).toBe(resB.connections);
    expect(resA.bytes).toBe(a.length);
    expect(resC.bytes).toBe(c.length);
  });

  it('hits the requested size and writes strictly increasing timestamps', () => {
    const buf = readFileSync(fileA);
    expect(buf.length).toBeGreaterThan(2 * MIB * 0.9);
    expect(buf.length).toBeLessThan(2 * MIB * 1.1);
    const { frames, times, linkType } = scan(buf);
    expect(linkType).toBe(1);
    expect(frames).toBe(resA.frames);
    for (let i = 1; i < times.length; i++) if (times[i] <= times[i - 1]) throw new Error(`frame ${i + 1} not after ${i}`);
  });

  it('reports every protocol', () => {
    for (const r of [resA, resC]) {
      const p = r.protocols;
      expect(p.smtp + p.submission + p.pop3 + p.imap).toBe(r.connections);
      for (const n of Object.values(p)) expect(n).toBeGreaterThan(0);
    }
  });
});

describe.runIf(existsSync(TSHARK))('tshark on the generated capture', () => {
  it('reads it without errors', () => {
    for (const file of [fileA, fileC]) {
      const r = spawnSync(TSHARK, ['-r', file, '-q'], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      const complaints = r.stderr.split('\n').filter((l) => l.trim() !== '' && !/Running as user/.test(l));
      expect(complaints).toEqual([]);
      // No malformed packets or other expert errors (out-of-order reassembly on, so the
      // deliberately swapped segments are put back in order as a real analysis would).
      expect(count(file, '_ws.malformed || _ws.expert.severity == error', ['-o', 'tcp.reassemble_out_of_order:TRUE'])).toBe(0);
    }
  });

  it('finds SMTP, POP and IMAP', () => {
    expect(count(fileA, 'smtp || pop || imap')).toBeGreaterThan(0);
    for (const proto of ['smtp', 'pop', 'imap']) expect(count(fileA, proto), proto).toBeGreaterThan(0);
    // Commands and replies the analyser will look for.
    expect(count(fileA, 'smtp.req.command == "EHLO"')).toBeGreaterThan(0);
    expect(count(fileA, 'smtp.response.code == 354')).toBeGreaterThan(0);
    expect(count(fileA, 'pop.request.command == "RETR"')).toBeGreaterThan(0);
    expect(count(fileA, 'imap.request.command == "FETCH"')).toBeGreaterThan(0);
  });

  it('sees the expected number of TCP connections', () => {
    for (const [file, res] of [
      [fileA, resA],
      [fileC, resC],
    ] as const) {
      const conv = tshark(['-r', file, '-q', '-z', 'conv,tcp']);
      expect(conv.split('\n').filter((l) => l.includes('<->')).length).toBe(res.connections);
      expect(count(file, 'tcp.flags.syn == 1 && tcp.flags.ack == 0')).toBe(res.connections);
      expect(count(file, 'tcp.flags.fin == 1')).toBe(2 * res.connections);
    }
  });

  it('has no lost segments except the deliberately swapped ones', () => {
    for (const [file, res] of [
      [fileA, resA],
      [fileC, resC],
    ] as const) {
      const lost = count(file, 'tcp.analysis.lost_segment');
      expect(lost).toBeLessThanOrEqual(res.swaps);
      expect(lost).toBeLessThan(res.frames / 100);
      expect(count(file, 'tcp.analysis.ack_lost_segment')).toBe(0);
      expect(count(file, 'tcp.analysis.retransmission || tcp.analysis.spurious_retransmission')).toBeLessThanOrEqual(res.retransmissions);
      expect(count(file, 'tcp.analysis.zero_window')).toBe(res.zeroWindows);
    }
  });

  it('writes valid IP and TCP checksums', () => {
    const out = tshark(['-r', fileA, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-T', 'fields', '-e', 'ip.checksum.status', '-e', 'tcp.checksum.status']);
    const bad = out.split('\n').filter((l) => /(^|\t)0(\t|$)/.test(l));
    expect(bad).toEqual([]);
  });
});

describe('trouble injection', () => {
  it('produces swaps and retransmissions in a larger capture, and lost segments only for swaps', async () => {
    const file = join(dir, 'trouble.pcap');
    const res = await generateCapture({ out: file, megabytes: 12, seed: 3 });
    expect(res.swaps).toBeGreaterThan(0);
    expect(res.retransmissions).toBeGreaterThan(0);
    if (existsSync(TSHARK)) {
      expect(count(file, 'tcp.analysis.lost_segment')).toBe(res.swaps);
      expect(count(file, 'tcp.analysis.ack_lost_segment')).toBe(0);
    }
  });
});

describe('CLI arguments and PRNG', () => {
  it('parses OUT, --mb and --seed with defaults', () => {
    expect(parseGenerateArgs(['x.pcap'])).toEqual({ out: 'x.pcap', megabytes: 220, seed: 1 });
    expect(parseGenerateArgs(['x.pcap', '--mb', '3.5', '--seed=42'])).toEqual({ out: 'x.pcap', megabytes: 3.5, seed: 42 });
    expect(() => parseGenerateArgs([])).toThrow(/usage/);
    expect(() => parseGenerateArgs(['x.pcap', '--mb', '0'])).toThrow(/--mb/);
    expect(() => parseGenerateArgs(['x.pcap', '--seed', 'abc'])).toThrow(/--seed/);
  });

  it('Rng is deterministic and in range', () => {
    const a = new Rng(1);
    const b = new Rng(1);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const r = new Rng(9);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5).toBe(true);
    }
  });
});
