/**
 * `npm run bench`: generates a deterministic capture full of mail sessions
 * (bench/generate.ts, 220 MiB by default), then measures, each in a fresh
 * process and several times, reading it through capture -> packet decoding ->
 * TCP reassembly, our capture reader alone, the pcap-parser package alone, and
 * tshark dissecting the mail protocols as a reference. Prints medians and
 * writes them to bench/out/results.json.
 *
 *   npm run bench -- [--mb 220] [--seed 1] [--runs 5] [--tshark-runs 3] [--no-tshark]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCapture } from './generate.js';

const here = dirname(fileURLToPath(import.meta.url)); // dist/bench
const root = join(here, '..', '..');
const outDir = join(root, 'bench', 'out');

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const mb = flag('mb', 220);
const seed = flag('seed', 1);
const runs = flag('runs', 5);
const tsharkRuns = flag('tshark-runs', 3);
const withTshark = !process.argv.includes('--no-tshark') && existsSync('/usr/bin/tshark');

interface Run { seconds: number; maxRssKiB: number; frames: number; [k: string]: number | string }

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function measureNode(mode: string, file: string): Run {
  const out = execFileSync(process.execPath, [join(here, 'read-once.js'), mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as Run;
}

/** Runs tshark under python's resource module, which reports the child's peak RSS. */
function measureTshark(file: string): Run {
  const script = [
    'import resource, subprocess, sys, time',
    't = time.monotonic()',
    "r = subprocess.run(['tshark', '-r', sys.argv[1], '-Y', 'smtp || pop || imap', '-T', 'fields', '-e', 'frame.number'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)",
    'dt = time.monotonic() - t',
    "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.stdout.count(b'\\n'))",
  ].join('\n');
  const r = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  const [seconds, maxRssKiB, lines] = r.stdout.trim().split(' ').map(Number);
  return { seconds, maxRssKiB, frames: lines };
}

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
const file = join(outDir, `mail-${mb}mb-seed${seed}.pcap`);
if (!existsSync(file)) {
  process.stdout.write(`generating ${file} ...\n`);
  const g = await generateCapture({ out: file, megabytes: mb, seed });
  process.stdout.write(`  ${g.frames} frames, ${g.connections} connections, ${(g.bytes / 1e6).toFixed(1)} MB in ${g.seconds.toFixed(1)} s\n`);
}
const fileBytes = statSync(file).size;
process.stdout.write(`capture: ${file} (${(fileBytes / 1e6).toFixed(1)} MB); ${runs} runs each${withTshark ? `, tshark ${tsharkRuns}` : ''}\n`);

const measured: Record<string, Run[]> = { pipeline: [], capture: [], 'pcap-parser': [] };
for (let i = 0; i < runs; i++) {
  for (const mode of Object.keys(measured)) measured[mode].push(measureNode(mode, file));
}
const frames = measured.pipeline[0].frames;
const rows = [
  summarise('mailscope: read + decode + TCP reassembly', measured.pipeline, fileBytes, frames),
  summarise('mailscope capture reader alone', measured.capture, fileBytes, frames),
  summarise('pcap-parser 0.2.1 alone', measured['pcap-parser'], fileBytes, frames),
];
if (withTshark) {
  const t: Run[] = [];
  for (let i = 0; i < tsharkRuns; i++) t.push(measureTshark(file));
  rows.push(summarise("tshark -Y 'smtp || pop || imap' (reference)", t, fileBytes, frames));
}

const p = measured.pipeline[0];
process.stdout.write(`frames ${frames}, TCP connections ${p.connections}, stream bytes ${p.streamBytes}, gaps ${p.gaps}\n\n`);
const width = Math.max(...rows.map((r) => r.label.length));
process.stdout.write(`${'what'.padEnd(width)}  median s    MB/s   packets/s  peak RSS MiB\n`);
for (const r of rows) {
  process.stdout.write(`${r.label.padEnd(width)}  ${String(r.medianSeconds).padStart(8)}  ${String(r.mbPerSecond).padStart(6)}  ${String(r.packetsPerSecond).padStart(10)}  ${String(r.peakRssMiB).padStart(12)}\n`);
}
const ratios: Record<string, number> = {
  pcapParserOverOurReader: Number((rows[2].medianSeconds / rows[1].medianSeconds).toFixed(2)),
};
if (withTshark) ratios.tsharkOverPipeline = Number((rows[3].medianSeconds / rows[0].medianSeconds).toFixed(2));
process.stdout.write(`\nratios (time): pcap-parser / our reader = ${ratios.pcapParserOverOurReader}` +
  (withTshark ? `; tshark / mailscope pipeline = ${ratios.tsharkOverPipeline}` : '') + '\n');
writeFileSync(join(outDir, 'results.json'), JSON.stringify({ file, fileBytes, frames, rows, ratios, node: process.version }, null, 2) + '\n');
