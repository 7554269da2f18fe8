/**
 * `npm run bench`: generates a deterministic capture full of mail sessions
 * (bench/generate.ts, 220 MiB by default), then measures, each in a fresh
 * process and several times, reading it through capture -> packet decoding ->
 * TCP reassembly, our capture reader alone, the pcap-parser package alone, and
 * tshark dissecting the mail protocols as a reference. Prints medians and
 * writes them to bench/out/results.json.
 *
 *   npm run bench -- [--mb 220] [--seed 1] [--runs 5] [--tshark-runs 3] [--no-tshark] [--no-tls] [--no-mime]
 *                    [--no-stages] [--no-workers] [--workers-list 0,1,N-1] [--no-flat] [--flat-mb 50,500] [--flat-runs 1] [--huge] [--huge-mb 5000]
 *                    [--no-flood] [--flood-runs 3] [--flood-scale 1] [--flood-read-args '...'] [--no-ui] [--ui-scale 1]
 *
 * It also runs the end-to-end `mailscope read --format ndjson` on that file and
 * on one twice its size, to show that peak memory does not grow with the size,
 * and `mailscope extract` (every message and attachment written to disk) on the first
 * (--no-stages skips all of this section). Then (read-scaling.ts):
 * - workers: read --format ndjson on the same file with --workers 0 (all in
 *   the main thread), 1, and N-1 decode threads (N = os.availableParallelism();
 *   --workers-list to change the counts), MB/s, peak RSS, speed-up over the first count, ratio to the tshark
 *   figure of this run (--no-workers skips it);
 * - flat memory: read's peak RSS on generated captures of 50 and 500 MiB, and
 *   5000 MiB with --huge (minutes, 5 GB of disk; deleted afterwards) (--no-flat skips it);
 * then the floods (flood-bench.ts: tiny sessions, half-open, left open, a
 * COMPRESS bomb; sessions/s and peak RSS against 256 MiB; --no-flood skips it),
 * then the UI on the tiny floods in tmux (ui-bench.ts: first row, load, a filter, key wait, peak RSS; --no-ui skips it),
 * then the TLS decryption bench (tls-bench.ts) and the MIME parser comparison (mime-compare.ts).
 * Every figure goes into bench/out/results.json, rewritten after each part.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { benchDist, ensureCapture, flag, hasFlag, measureCommand as measure, median, outDir, root, stringFlag } from './common.js';
import { floodBench, floodOptionsFromArgv } from './flood-bench.js';
import { uiBench } from './ui-bench.js';
import { flatMemoryBench, workersBench } from './read-scaling.js';

/** A measured command as the tables want it: frames stands for the output lines. */
function measureCommand(argv: string[]): Run {
  const r = measure(argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}`);
  return { seconds: r.seconds, maxRssKiB: r.maxRssKiB, frames: r.lines, lines: r.lines };
}

const mb = flag('mb', 220);
const seed = flag('seed', 1);
const runs = flag('runs', 5);
const tsharkRuns = flag('tshark-runs', 3);
const withTshark = !process.argv.includes('--no-tshark') && existsSync('/usr/bin/tshark');
const cores = availableParallelism();
const numberList = (name: string, fallback: string): number[] => stringFlag(name, fallback).split(',').map(Number);
const workerCounts = numberList('workers-list', [...new Set([0, 1, Math.max(1, cores - 1)])].join(','));
/** Sizes in MiB for the flat-memory part; --huge adds the 5 GB one (--huge-mb to change it: a quick check of the deletion). */
const hugeMb = flag('huge-mb', 5000);
const flatSizes = [...numberList('flat-mb', '50,500'), ...(hasFlag('huge') ? [hugeMb] : [])];
const flatRuns = flag('flat-runs', 1);

interface Run { seconds: number; maxRssKiB: number; frames: number; [k: string]: number | string }

function measureNode(mode: string, file: string): Run {
  const out = execFileSync(process.execPath, [join(benchDist, 'read-once.js'), mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as Run;
}

const tsharkArgv = (file: string) => ['tshark', '-r', file, '-Y', 'smtp || pop || imap', '-T', 'fields', '-e', 'frame.number'];
const extractDir = join(outDir, 'extract');
const extractArgv = (file: string) => [process.execPath, join(root, 'bin', 'mailscope.js'), 'extract', file, '--out', extractDir];
const readArgv = (file: string) => [process.execPath, join(root, 'bin', 'mailscope.js'), 'read', file, '--format', 'ndjson'];

function summarise(label: string, results: Run[], fileBytes: number, frames: number) {
  const seconds = median(results.map((r) => r.seconds));
  const rss = median(results.map((r) => r.maxRssKiB)) / 1024;
  return {
    label,
    runs: results.length,
    medianSeconds: Number(seconds.toFixed(3)),
    mbPerSecond: Number((fileBytes / 1e6 / seconds).toFixed(1)),
    packetsPerSecond: Math.round(frames / seconds),
    peakRssMiB: Number(rss.toFixed(1)),
    allSeconds: results.map((r) => Number(r.seconds.toFixed(3))),
  };
}

mkdirSync(outDir, { recursive: true });

type Row = ReturnType<typeof summarise>;
function printRows(title: string, rows: Row[]): void {
  const width = Math.max(...rows.map((r) => r.label.length));
  process.stdout.write(`\n${title}\n${'what'.padEnd(width)}  median s    MB/s   packets/s  peak RSS MiB\n`);
  for (const r of rows) {
    process.stdout.write(`${r.label.padEnd(width)}  ${String(r.medianSeconds).padStart(8)}  ${String(r.mbPerSecond).padStart(6)}  ${String(r.packetsPerSecond).padStart(10)}  ${String(r.peakRssMiB).padStart(12)}\n`);
  }
}

const results: Record<string, unknown> = { node: process.version, cores, runs, tsharkRuns };
const saveResults = () => writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
/** tshark -Y's median seconds on the big capture, measured in this run (for the workers part). */
let tsharkOnBig: number | undefined;
for (const megabytes of hasFlag('no-stages') ? [] : [mb, mb * 2]) {
  const { file } = await ensureCapture(megabytes, seed);
  const fileBytes = statSync(file).size;
  const first = megabytes === mb;
  const measured: Record<string, Run[]> = first ? { pipeline: [], capture: [], 'pcap-parser': [] } : {};
  const read: Run[] = [];
  const extract: Run[] = [];
  for (let i = 0; i < runs; i++) {
    for (const mode of Object.keys(measured)) measured[mode].push(measureNode(mode, file));
    read.push(measureCommand(readArgv(file)));
    if (first) {
      rmSync(extractDir, { recursive: true, force: true });
      extract.push(measureCommand(extractArgv(file)));
    }
  }
  rmSync(extractDir, { recursive: true, force: true });
  const frames = first ? measured.pipeline[0].frames : Number(measureNode('capture', file).frames);
  const rows: Row[] = [summarise('mailscope read --format ndjson (end to end)', read, fileBytes, frames)];
  if (first) {
    rows.push(
      summarise('mailscope extract (every message and attachment to disk)', extract, fileBytes, frames),
      summarise('mailscope read + decode + TCP reassembly', measured.pipeline, fileBytes, frames),
      summarise('mailscope capture reader alone', measured.capture, fileBytes, frames),
      summarise('pcap-parser 0.2.1 alone', measured['pcap-parser'], fileBytes, frames),
    );
  }
  if (withTshark) {
    const t: Run[] = [];
    for (let i = 0; i < tsharkRuns; i++) t.push(measureCommand(tsharkArgv(file)));
    rows.push(summarise("tshark -Y 'smtp || pop || imap' (reference)", t, fileBytes, frames));
    if (first) tsharkOnBig = median(t.map((r) => r.seconds));
  }
  printRows(`${file}: ${(fileBytes / 1e6).toFixed(1)} MB, ${frames} frames, ${read[0].lines} sessions; medians of ${runs} runs${withTshark ? ` (tshark ${tsharkRuns})` : ''}`, rows);
  const ratios: Record<string, number> = {};
  const byLabel = (prefix: string) => rows.find((r) => r.label.startsWith(prefix));
  const tsharkRow = byLabel('tshark');
  if (tsharkRow) ratios.tsharkOverRead = Number((tsharkRow.medianSeconds / rows[0].medianSeconds).toFixed(2));
  if (first) ratios.pcapParserOverOurReader = Number((byLabel('pcap-parser')!.medianSeconds / byLabel('mailscope capture')!.medianSeconds).toFixed(2));
  process.stdout.write(`ratios (time): ${Object.entries(ratios).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  results[`${megabytes}MiB`] = { file, fileBytes, frames, rows, ratios };
}
saveResults();

// 1 vs N workers on the big capture, against the tshark figure above (measured here if --no-stages skipped it).
if (!hasFlag('no-workers')) {
  const { file } = await ensureCapture(mb, seed);
  if (withTshark && tsharkOnBig === undefined) {
    const t: number[] = [];
    for (let i = 0; i < tsharkRuns; i++) t.push(measureCommand(tsharkArgv(file)).seconds);
    tsharkOnBig = median(t);
  }
  results.workers = workersBench(file, workerCounts, runs, withTshark ? tsharkOnBig : undefined);
  saveResults();
}

// Peak memory flat from 50 MB to 5 GB: the huge file is deleted once measured.
if (!hasFlag('no-flat')) {
  results.flatMemory = await flatMemoryBench(flatSizes, seed, flatRuns, hasFlag('huge') ? hugeMb : Infinity);
  saveResults();
}

// The floods of issue 13 (bench/flood-bench.ts): tiny, half-open, open, compress.
if (!hasFlag('no-flood')) {
  results.flood = await floodBench(floodOptionsFromArgv());
  saveResults();
}

// The UI on the tiny floods in a real terminal (bench/ui-bench.ts: tmux); --no-ui skips it.
if (!hasFlag('no-ui')) {
  results.ui = await uiBench(flag('ui-scale', 1), seed);
  saveResults();
}

// Decrypted throughput on real TLS mail traffic (bench/tls-bench.ts: its own capture and key log); --no-tls skips it.
if (!process.argv.includes('--no-tls')) {
  process.stdout.write('\nTLS decryption:\n');
  execFileSync(process.execPath, [join(benchDist, 'tls-bench.js'), '--runs', String(runs), '--tshark-runs', String(tsharkRuns), ...(withTshark ? [] : ['--no-tshark'])], { stdio: 'inherit' });
}

// The MIME parser decision (bench/mime-compare.ts: our walker against @zone-eu/mailsplit on one large message); --no-mime skips it.
if (!process.argv.includes('--no-mime')) {
  process.stdout.write('\nMIME parsing:\n');
  execFileSync(process.execPath, [join(benchDist, 'mime-compare.js'), '--runs', String(runs)], { stdio: 'inherit' });
}
