/**
 * The flood part of `npm run bench` (issue 13): `mailscope read --format
 * ndjson` on the hostile captures bench/flood.ts makes (a million tiny
 * sessions, half-open connections, connections left open, an IMAP
 * COMPRESS=DEFLATE bomb), each in a fresh process and several times: sessions
 * per second (a session is an output line), wall time, and peak RSS against
 * the 256 MiB target.
 *
 *   node dist/bench/flood-bench.js [--flood-runs 3] [--flood-scale 1] [--seed 1] [--flood-read-args '--max-connections 10000']
 *
 * --flood-scale multiplies every session count and the inflated size (0.1 for
 * a quick run); --flood-read-args adds options to every read. The inputs are
 * cached in bench/out/ under names that carry their parameters.
 */
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flag, grouped, mailscopeArgv, measureCommand, median, outDir, stringFlag, type CommandRun } from './common.js';
import { generateFlood, type FloodKind } from './flood.js';

/** Peak RSS the issue asks a read to stay under, whatever the flood. */
export const PEAK_TARGET_MIB = 256;

export interface FloodInput {
  kind: FloodKind;
  /** Connections (compress: one). */
  sessions: number;
  /** compress: plaintext bytes the server's stream inflates to. */
  inflatedBytes?: number;
}

/** The inputs, at scale 1. */
export const FLOOD_INPUTS: readonly FloodInput[] = [
  { kind: 'tiny', sessions: 1_000_000 },
  { kind: 'tiny', sessions: 300_000 },
  { kind: 'half-open', sessions: 100_000 },
  { kind: 'half-open', sessions: 300_000 },
  { kind: 'open', sessions: 30_000 },
  { kind: 'compress', sessions: 1, inflatedBytes: 100_000_000 },
];

export interface FloodOptions {
  runs: number;
  /** Multiplies session counts and the inflated size. */
  scale: number;
  seed: number;
  /** Extra options for every read (e.g. --max-connections, --idle-timeout). */
  readArgs: string[];
}

export interface FloodRow {
  label: string;
  kind: FloodKind;
  file: string;
  fileBytes: number;
  connections: number;
  inflatedBytes?: number;
  runs: number;
  /** Output lines of the read (the median run's count: they do not vary). */
  sessions: number;
  medianSeconds: number;
  sessionsPerSecond: number;
  peakRssMiB: number;
  withinTarget: boolean;
  /**
   * compress: the stream's plaintext megabytes over the wall time; nominal,
   * since read may stop inflating at its bound (a compress.limit anomaly).
   */
  nominalInflatedMBPerSecond?: number;
  allSeconds: number[];
  allPeakRssMiB: number[];
  /** Set when a run exited with a non-zero code (or a signal, negative): the row is then that run's. */
  exitCode?: number;
}

function scaled(input: FloodInput, scale: number): FloodInput {
  if (input.kind === 'compress') return { ...input, inflatedBytes: Math.max(1_000_000, Math.round((input.inflatedBytes ?? 100_000_000) * scale)) };
  return { ...input, sessions: Math.max(1, Math.round(input.sessions * scale)) };
}

function label(input: FloodInput): string {
  return input.kind === 'compress' ? `compress ${input.inflatedBytes! / 1e6} MB inflated` : `${input.kind} ${grouped(input.sessions)}`;
}

/** The input's capture in bench/out/, generated unless a file of the same parameters (its name) is there. */
export async function ensureFlood(input: FloodInput, seed: number): Promise<{ file: string; connections: number }> {
  const name = input.kind === 'compress' ? `flood-compress-${input.inflatedBytes! / 1e6}mb-seed${seed}.pcap` : `flood-${input.kind}-${input.sessions}-seed${seed}.pcap`;
  const file = join(outDir, name);
  if (!existsSync(file)) {
    process.stdout.write(`generating ${file} ...\n`);
    const partial = `${file}.partial`;
    const g = await generateFlood({ out: partial, kind: input.kind, sessions: input.sessions, seed, inflatedBytes: input.inflatedBytes });
    renameSync(partial, file);
    process.stdout.write(`  ${grouped(g.frames)} frames, ${grouped(g.connections)} connections, ${(g.bytes / 1e6).toFixed(1)} MB in ${g.seconds.toFixed(1)} s\n`);
  }
  return { file, connections: input.kind === 'compress' ? 1 : input.sessions };
}

function measureInput(input: FloodInput, file: string, connections: number, opts: FloodOptions): FloodRow {
  const argv = mailscopeArgv('read', file, '--format', 'ndjson', ...opts.readArgs);
  const results: CommandRun[] = [];
  let exitCode: number | undefined;
  for (let i = 0; i < opts.runs; i++) {
    const r = measureCommand(argv);
    results.push(r);
    if (r.code !== 0) {
      exitCode = r.code;
      break; // a crash (out of memory, say) is the finding: no point in repeating it
    }
  }
  const seconds = exitCode === undefined ? median(results.map((r) => r.seconds)) : results[results.length - 1].seconds;
  const peak = (exitCode === undefined ? median(results.map((r) => r.maxRssKiB)) : results[results.length - 1].maxRssKiB) / 1024;
  const sessions = results[results.length - 1].lines;
  const row: FloodRow = {
    label: label(input),
    kind: input.kind,
    file,
    fileBytes: statSync(file).size,
    connections,
    runs: results.length,
    sessions,
    medianSeconds: Number(seconds.toFixed(3)),
    sessionsPerSecond: Math.round(sessions / seconds),
    peakRssMiB: Number(peak.toFixed(1)),
    withinTarget: exitCode === undefined && peak <= PEAK_TARGET_MIB,
    allSeconds: results.map((r) => Number(r.seconds.toFixed(3))),
    allPeakRssMiB: results.map((r) => Number((r.maxRssKiB / 1024).toFixed(1))),
  };
  if (input.inflatedBytes) {
    row.inflatedBytes = input.inflatedBytes;
    row.nominalInflatedMBPerSecond = Number((input.inflatedBytes / 1e6 / seconds).toFixed(1));
  }
  if (exitCode !== undefined) row.exitCode = exitCode;
  return row;
}

export function printFloodRows(rows: FloodRow[], runs: number): void {
  const width = Math.max(5, ...rows.map((r) => r.label.length));
  const head = `${'input'.padEnd(width)}  ${'sessions'.padStart(9)}  ${'file MB'.padStart(7)}  ${'median s'.padStart(8)}  ${'sessions/s'.padStart(10)}  ${'peak RSS MiB'.padStart(12)}  <= ${PEAK_TARGET_MIB} MiB`;
  process.stdout.write(`\nmailscope read --format ndjson on the flood captures, medians of ${runs} runs\n${head}\n`);
  for (const r of rows) {
    const verdict = r.exitCode !== undefined ? `exit ${r.exitCode}` : r.withinTarget ? 'yes' : 'NO';
    process.stdout.write(
      `${r.label.padEnd(width)}  ${grouped(r.sessions).padStart(9)}  ${(r.fileBytes / 1e6).toFixed(1).padStart(7)}  ${r.medianSeconds.toFixed(2).padStart(8)}  ` +
        `${grouped(r.sessionsPerSecond).padStart(10)}  ${r.peakRssMiB.toFixed(1).padStart(12)}  ${verdict}\n`,
    );
  }
  for (const r of rows) {
    if (r.nominalInflatedMBPerSecond !== undefined) {
      process.stdout.write(`${r.label}: ${r.nominalInflatedMBPerSecond} MB/s of the stream's plaintext (nominal: read may stop at its inflate bound)\n`);
    }
  }
}

/** Generates what is missing, measures every input, prints the table; the rows for results.json. */
export async function floodBench(opts: FloodOptions): Promise<{ scale: number; runs: number; readArgs: string[]; peakTargetMiB: number; rows: FloodRow[] }> {
  mkdirSync(outDir, { recursive: true });
  const inputs = FLOOD_INPUTS.map((i) => scaled(i, opts.scale));
  const files: { file: string; connections: number }[] = [];
  for (const input of inputs) files.push(await ensureFlood(input, opts.seed));
  const rows = inputs.map((input, i) => measureInput(input, files[i].file, files[i].connections, opts));
  printFloodRows(rows, opts.runs);
  return { scale: opts.scale, runs: opts.runs, readArgs: opts.readArgs, peakTargetMiB: PEAK_TARGET_MIB, rows };
}

/** The flood flags, as run.ts and this file's own command line take them. */
export function floodOptionsFromArgv(): FloodOptions {
  const readArgs = stringFlag('flood-read-args', '').split(/\s+/).filter(Boolean);
  return { runs: flag('flood-runs', 3), scale: flag('flood-scale', 1), seed: flag('seed', 1), readArgs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await floodBench(floodOptionsFromArgv());
}
