/**
 * The UI part of `npm run bench` (issue 13, item 5): `mailscope ui` on the
 * tiny-session floods in a real terminal (tmux), as a person would use it:
 * time to the first row and to the end of the load, peak RSS, how long a key
 * could have waited (event-loop delay, from MAILSCOPE_TIMING), and a filter
 * applied to every session once loaded.
 *
 *   node dist/bench/ui-bench.js [--ui-scale 1] [--seed 1]
 *
 * Skipped, with a line saying so, when tmux is not installed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flag, grouped, mailscopeArgv, outDir } from './common.js';
import { ensureFlood } from './flood-bench.js';

const SESSION = 'mailscope-ui-bench';
const FILTER = 'smtp.response.code == 220 && tcp.srcport > 30000';

export interface UiRow {
  label: string;
  sessions: number;
  firstRowMs: number;
  loadedMs: number;
  filterMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  peakMiB: number;
}

const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', SESSION).stdout ?? '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the top line satisfies `done`; returns the milliseconds it took. */
async function until(done: (top: string) => boolean, timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (done(screen().split('\n')[0] ?? '')) return performance.now() - t0;
    await sleep(100);
  }
  throw new Error(`ui bench: timed out; the screen shows:\n${screen()}`);
}

async function measure(file: string, label: string): Promise<UiRow> {
  const timing = join(outDir, 'ui-bench-timing.txt');
  rmSync(timing, { force: true });
  tmux('kill-session', '-t', SESSION);
  const cmd = mailscopeArgv('ui', file).map((a) => `'${a}'`).join(' ');
  tmux('new-session', '-d', '-s', SESSION, '-x', '160', '-y', '40', `MAILSCOPE_TIMING=1 ${cmd} 2> '${timing}'`);
  await until((top) => top.includes('sessions') && !top.includes('loading'), 600_000);
  tmux('send-keys', '-t', SESSION, '/');
  await sleep(300);
  tmux('send-keys', '-t', SESSION, FILTER, 'Enter');
  const filterMs = await until((top) => / match(?! so far)/.test(top), 600_000);
  tmux('send-keys', '-t', SESSION, 'q');
  for (let i = 0; i < 100 && tmux('has-session', '-t', SESSION).status === 0; i++) await sleep(100);
  const text = readFileSync(timing, 'utf8');
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
  return {
    label,
    sessions: num(/ (\d+) sessions;/),
    firstRowMs: num(/first row (\d+) ms after start/),
    loadedMs: num(/loaded (\d+) ms after start/),
    filterMs,
    loopDelayP99Ms: num(/p99 ([\d.]+) ms/),
    loopDelayMaxMs: num(/max ([\d.]+) ms/),
    peakMiB: num(/peak RSS (\d+) MiB/),
  };
}

export async function uiBench(scale: number, seed: number): Promise<UiRow[] | null> {
  if (spawnSync('tmux', ['-V']).status !== 0) {
    process.stdout.write('\nUI: skipped (tmux is not installed: apt install tmux)\n');
    return null;
  }
  const rows: UiRow[] = [];
  for (const sessions of [300_000, 1_000_000]) {
    const n = Math.max(1, Math.round(sessions * scale));
    const { file } = await ensureFlood({ kind: 'tiny', sessions: n }, seed);
    rows.push(await measure(file, `tiny ${grouped(n)}`));
  }
  process.stdout.write(`\nmailscope ui on the tiny floods in tmux (160x40), then the filter ${FILTER}\n`);
  process.stdout.write('input            sessions  first row s  loaded s  filter s  key wait p99 ms  max ms  peak RSS MiB\n');
  for (const r of rows) {
    process.stdout.write(
      `${r.label.padEnd(15)} ${grouped(r.sessions).padStart(9)} ${(r.firstRowMs / 1000).toFixed(2).padStart(12)} ${(r.loadedMs / 1000).toFixed(1).padStart(9)}` +
        ` ${(r.filterMs / 1000).toFixed(1).padStart(9)} ${r.loopDelayP99Ms.toFixed(0).padStart(16)} ${r.loopDelayMaxMs.toFixed(0).padStart(7)} ${r.peakMiB.toFixed(0).padStart(13)}\n`,
    );
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await uiBench(flag('ui-scale', 1), flag('seed', 1));
