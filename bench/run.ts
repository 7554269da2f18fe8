/**
 * `npm run bench`: generates a deterministic capture full of mail sessions
 * (bench/generate.ts, 220 MiB by default), then measures, each in a fresh
 * process and several times, reading it through capture -> packet decoding ->
 * TCP reassembly, our capture reader alone, the pcap-parser package alone, and
 * tshark dissecting the mail protocols as a reference. Prints medians and
 * writes them to bench/out/results.json.
 *
 *   npm run bench -- [--mb 220] [--seed 1] [--runs 5] [--tshark-runs 3] [--no-tshark] [--no-tls] [--no-mime]
 *
 * It also runs the end-to-end `mailscope read --format ndjson` on that file and
 * on one twice its size, to show that peak memory does not grow with the size,
 * and `mailscope extract` (every message and attachment written to disk) on the first;
 * then the TLS decryption bench (tls-bench.ts) and the MIME parser comparison (mime-compare.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDist, flag, measureCommand as measure, median, outDir, root } from './common.js';
import { generateCapture } from './generate.js';

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

async function ensureCapture(megabytes: number): Promise<string> {
  const file = join(outDir, `mail-${megabytes}mb-seed${seed}.pcap`);
  if (!existsSync(file)) {
    process.stdout.write(`generating ${file} ...\n`);
    const g = await generateCapture({ out: file, megabytes, seed });
    process.stdout.write(`  ${g.frames} frames, ${g.connections} connections, ${(g.bytes / 1e6).toFixed(1)} MB in ${g.seconds.toFixed(1)} s\n`);
  }
  return file;
}

type Row = ReturnType<typeof summarise>;
function printRows(title: string, rows: Row[]): void {
  const width = Math.max(...rows.map((r) => r.label.length));
  process.stdout.write(`\n${title}\n${'what'.padEnd(width)}  median s    MB/s   packets/s  peak RSS MiB\n`);
  for (const r of rows) {
    process.stdout.write(`${r.label.padEnd(width)}  ${String(r.medianSeconds).padStart(8)}  ${String(r.mbPerSecond).padStart(6)}  ${String(r.packetsPerSecond).padStart(10)}  ${String(r.peakRssMiB).padStart(12)}\n`);
  }
}

const results: Record<string, unknown> = { node: process.version, runs, tsharkRuns };
for (const megabytes of [mb, mb * 2]) {
  const file = await ensureCapture(megabytes);
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
writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');

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
