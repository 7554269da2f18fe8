/** What the benchmark scripts share: where they write, their flags, medians, and measuring a command's time and peak memory. */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
 * peak RSS (node cannot see a child's rusage); stdout is read and counted.
 */
export function measureCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): CommandRun {
  const script = [
    'import resource, subprocess, sys, time',
    't = time.monotonic()',
    'r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)',
    'dt = time.monotonic() - t',
    "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.stdout.count(b'\\n'), r.returncode)",
  ].join('\n');
  const r = spawnSync('python3', ['-c', script, ...argv], { encoding: 'utf8', env });
  const [seconds, maxRssKiB, lines, code] = r.stdout.trim().split(' ').map(Number);
  return { seconds, maxRssKiB, lines, code };
}
