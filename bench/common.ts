/** What the benchmark scripts share: where they write, their flags, medians, and measuring a command's time and peak memory. */
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCapture } from './generate.js';

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench
/** The project root, from the built file's place in dist/bench. */
export const root = join(here, '..', '..');
/** Generated captures and results (git-ignored). */
export const outDir = join(root, 'bench', 'out');
/** The built benchmark scripts' own folder. */
export const benchDist = here;

/** A numeric `--name N` flag. */
export function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A string `--name VALUE` flag. */
export function stringFlag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** A bare `--name` switch (`--no-x` style flags are looked up the same way). */
export function hasFlag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

/** The command line that starts the built CLI. */
export const mailscopeArgv = (...args: string[]): string[] => [process.execPath, join(root, 'bin', 'mailscope.js'), ...args];

/** Integers with thousands separators, for the tables. */
export const grouped = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * The generated mail capture of `megabytes` MiB and `seed` in bench/out/
 * (bench/generate.ts), made if it is not there yet; written under a temporary
 * name first, so that an interrupted run leaves no truncated file to reuse.
 * `generated` says whether this call made it.
 */
export async function ensureCapture(megabytes: number, seed: number): Promise<{ file: string; generated: boolean }> {
  const file = join(outDir, `mail-${megabytes}mb-seed${seed}.pcap`);
  if (existsSync(file)) return { file, generated: false };
  process.stdout.write(`generating ${file} ...\n`);
  const partial = `${file}.partial`;
  const g = await generateCapture({ out: partial, megabytes, seed });
  renameSync(partial, file);
  process.stdout.write(`  ${g.frames} frames, ${g.connections} connections, ${(g.bytes / 1e6).toFixed(1)} MB in ${g.seconds.toFixed(1)} s\n`);
  return { file, generated: true };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface CommandRun {
  seconds: number;
  maxRssKiB: number;
  /** Lines the command wrote on stdout (its output is counted, then dropped). */
  lines: number;
  code: number;
}

/**
 * Runs a command under python's resource module, which reports the child's
 * peak RSS (node cannot see a child's rusage; threads count, being in the
 * child's process); stdout is read as it comes, its lines counted, and
 * dropped, so that a large output costs neither memory nor a file.
 */
export function measureCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): CommandRun {
  const script = [
    'import resource, subprocess, sys, time',
    't = time.monotonic()',
    'p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)',
    'n = 0',
    'while True:',
    '    b = p.stdout.read1(1 << 20)',
    '    if not b: break',
    "    n += b.count(b'\\n')",
    'code = p.wait()',
    'dt = time.monotonic() - t',
    'print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, n, code)',
  ].join('\n');
  const r = spawnSync('python3', ['-c', script, ...argv], { encoding: 'utf8', env });
  const [seconds, maxRssKiB, lines, code] = r.stdout.trim().split(' ').map(Number);
  return { seconds, maxRssKiB, lines, code };
}
