/**
 * Two parts of `npm run bench` about `mailscope read --format ndjson` on the
 * generated mail captures (bench/generate.ts), issue 13 item 3:
 *
 * - workers: the big capture read with `--workers 1` and `--workers N` (N the
 *   cores, by default), MB/s and peak RSS, the speed-up of each count over the
 *   first, and its ratio to tshark -Y on the same file in the same run;
 * - flat memory: peak RSS on captures of 50 MB, 500 MB and (with --huge)
 *   5000 MB, which should not grow with the size; a huge file this run made is
 *   deleted once measured.
 */
import { rmSync, statSync } from 'node:fs';
import { ensureCapture, grouped, mailscopeArgv, measureCommand, median, type CommandRun } from './common.js';

/** Median seconds and peak RSS of `runs` runs of argv; throws if one fails. */
function measureRuns(argv: string[], runs: number): { seconds: number; peakRssMiB: number; lines: number; all: CommandRun[] } {
  const all: CommandRun[] = [];
  for (let i = 0; i < runs; i++) {
    const r = measureCommand(argv);
    if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}`);
    all.push(r);
  }
  return { seconds: median(all.map((r) => r.seconds)), peakRssMiB: median(all.map((r) => r.maxRssKiB)) / 1024, lines: all[0].lines, all };
}

/** Issue 13 item 3: read --format ndjson at least this many times faster than tshark -Y on the same file. */
export const TSHARK_TARGET = 15;

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

export interface WorkersRow {
  workers: number;
  runs: number;
  medianSeconds: number;
  mbPerSecond: number;
  peakRssMiB: number;
  sessions: number;
  /** The first count's median time over this one's. */
  speedUpOverFirst: number;
  /** tshark's median time over this one's (absent without tshark). */
  tsharkOverRead?: number;
  allSeconds: number[];
}

/**
 * `read FILE --format ndjson --workers W` for each W; `tsharkSeconds` is
 * tshark -Y's median on the same file in this run (undefined: no tshark).
 */
export function workersBench(file: string, counts: number[], runs: number, tsharkSeconds: number | undefined): { file: string; fileBytes: number; tsharkSeconds?: number; rows: WorkersRow[] } {
  const fileBytes = statSync(file).size;
  const rows: WorkersRow[] = [];
  for (const workers of counts) {
    const m = measureRuns(mailscopeArgv('read', file, '--format', 'ndjson', '--workers', String(workers)), runs);
    rows.push({
      workers,
      runs,
      medianSeconds: round(m.seconds, 3),
      mbPerSecond: round(fileBytes / 1e6 / m.seconds, 1),
      peakRssMiB: round(m.peakRssMiB, 1),
      sessions: m.lines,
      speedUpOverFirst: rows.length ? round(rows[0].medianSeconds / m.seconds, 2) : 1,
      tsharkOverRead: tsharkSeconds === undefined ? undefined : round(tsharkSeconds / m.seconds, 2),
      allSeconds: m.all.map((r) => round(r.seconds, 3)),
    });
  }
  process.stdout.write(`\n${file}: ${(fileBytes / 1e6).toFixed(1)} MB, read --format ndjson by worker count, medians of ${runs} runs${tsharkSeconds === undefined ? '' : `; tshark -Y ${tsharkSeconds.toFixed(2)} s`}\n`);
  process.stdout.write(`--workers  median s    MB/s  peak RSS MiB  speed-up vs --workers ${counts[0]}  tshark time / ours\n`);
  for (const r of rows) {
    process.stdout.write(
      `${String(r.workers).padStart(9)}  ${r.medianSeconds.toFixed(2).padStart(8)}  ${r.mbPerSecond.toFixed(1).padStart(6)}  ${r.peakRssMiB.toFixed(1).padStart(12)}  ` +
        `${`${r.speedUpOverFirst.toFixed(2)}x`.padStart(23)}  ${r.tsharkOverRead === undefined ? '-'.padStart(18) : `${r.tsharkOverRead.toFixed(2)}x`.padStart(18)}\n`,
    );
  }
  if (tsharkSeconds !== undefined) process.stdout.write(`(issue 13 aims: at least ${TSHARK_TARGET}x tshark, at least 2x the single-threaded read of before)\n`);
  return { file, fileBytes, tsharkSeconds: tsharkSeconds === undefined ? undefined : round(tsharkSeconds, 3), rows };
}

export interface FlatRow {
  megabytes: number;
  file: string;
  fileBytes: number;
  runs: number;
  sessions: number;
  medianSeconds: number;
  mbPerSecond: number;
  peakRssMiB: number;
  /** Deleted after measuring (a huge file this run generated). */
  deleted: boolean;
}

/**
 * Peak RSS of `read FILE --format ndjson` (default options) on generated
 * captures of each size in MiB; files of `deleteFromMiB` and more are
 * deleted after measuring when this call generated them.
 */
export async function flatMemoryBench(sizes: number[], seed: number, runs: number, deleteFromMiB: number): Promise<{ rows: FlatRow[]; peakGrowth: number }> {
  const rows: FlatRow[] = [];
  for (const megabytes of sizes) {
    const { file, generated } = await ensureCapture(megabytes, seed);
    const fileBytes = statSync(file).size;
    let m: ReturnType<typeof measureRuns>;
    const deleted = generated && megabytes >= deleteFromMiB;
    try {
      m = measureRuns(mailscopeArgv('read', file, '--format', 'ndjson'), runs);
    } finally {
      if (deleted) rmSync(file, { force: true });
    }
    rows.push({
      megabytes,
      file,
      fileBytes,
      runs,
      sessions: m.lines,
      medianSeconds: round(m.seconds, 3),
      mbPerSecond: round(fileBytes / 1e6 / m.seconds, 1),
      peakRssMiB: round(m.peakRssMiB, 1),
      deleted,
    });
  }
  const peaks = rows.map((r) => r.peakRssMiB);
  const peakGrowth = round(peaks[peaks.length - 1] / peaks[0], 2);
  process.stdout.write(`\nread --format ndjson peak memory by capture size, medians of ${runs} run${runs === 1 ? '' : 's'}\n     MB  sessions  median s    MB/s  peak RSS MiB\n`);
  for (const r of rows) {
    process.stdout.write(
      `${(r.fileBytes / 1e6).toFixed(0).padStart(7)}  ${grouped(r.sessions).padStart(8)}  ${r.medianSeconds.toFixed(2).padStart(8)}  ${r.mbPerSecond.toFixed(1).padStart(6)}  ${r.peakRssMiB.toFixed(1).padStart(12)}${r.deleted ? '  (file deleted)' : ''}\n`,
    );
  }
  process.stdout.write(`peak RSS of the largest over the smallest: ${peakGrowth}x\n`);
  return { rows, peakGrowth };
}
