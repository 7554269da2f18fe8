/**
 * Measures the live capture path (issue 7), on loopback, as root:
 *
 *   drift  the cap backend stamps packets on arrival; tcpdump records the same
 *          traffic alongside with kernel timestamps; packets are matched by
 *          their bytes and the differences (arrival - kernel) summarised.
 *   rate   SMTP sessions blasted over loopback by K concurrent clients, K
 *          rising; per level, the packets a reference tcpdump (256 MiB buffer)
 *          saw against the ones `mailscope capture` delivered, and the drops
 *          libpcap reported (tcpdump backend).
 *
 * Usage: npm run build && sudo node dist/bench/live-capture.js [drift|rate|all] [backend]
 * Bounded: loopback only, a few seconds per level.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCaptureFile } from '../src/capture/read-file.js';
import { converse, listen, smtpScript, smtpServer } from '../test/helpers/mail-servers.js';

const bin = join(import.meta.dirname, '../../bin/mailscope.js');
const dir = mkdtempSync(join(tmpdir(), 'mailscope-live-bench-'));

function waitLine(child: ChildProcess, re: RegExp): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      text += d;
      if (re.test(text)) resolve(text);
    });
    child.once('close', () => reject(new Error(`exited before ${re}: ${text}`)));
  });
}

function stderrOf(child: ChildProcess): Promise<string> {
  let text = '';
  child.stderr!.on('data', (d) => { text += d; });
  return new Promise((resolve) => child.once('close', () => resolve(text)));
}

async function startReference(port: number, file: string): Promise<ChildProcess> {
  const t = spawn('tcpdump', ['-i', 'lo', '-n', '--immediate-mode', '-B', String(256 * 1024), '--time-stamp-precision=nano', '-w', file, `tcp port ${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitLine(t, /listening on/);
  return t;
}

async function startLive(port: number, file: string, backend: string): Promise<{ child: ChildProcess; done: Promise<string> }> {
  const child = spawn(process.execPath, [bin, 'capture', '-i', 'lo', ...(process.env.LIVE_ARGS ?? '').split(' ').filter(Boolean), '--bpf', `tcp port ${port}`, '--decode-as', `${port}=smtp`, '-f', 'ndjson', '-w', file],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MAILSCOPE_CAPTURE_BACKEND: backend } });
  const all = stderrOf(child);
  await waitLine(child, /listening on lo/);
  return { child, done: all };
}

async function frames(file: string): Promise<{ ts: bigint; key: string }[]> {
  const out: { ts: bigint; key: string }[] = [];
  for await (const batch of readCaptureFile(file, { onDamage: () => undefined })) {
    for (const f of batch) out.push({ ts: f.ts, key: f.data.toString('base64') });
  }
  return out;
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function drift(backend: string, sessions: number, concurrency: number): Promise<void> {
  const server = smtpServer();
  const port = await listen(server);
  const ref = join(dir, 'ref.pcap');
  const live = join(dir, 'live.pcap');
  const t = await startReference(port, ref);
  const m = await startLive(port, live, backend);
  let left = sessions;
  const worker = async () => { while (left-- > 0) await converse(port, smtpScript('alice', 'good')); };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await sleep(1000);
  m.child.kill('SIGINT');
  t.kill('SIGINT');
  await Promise.all([m.done, new Promise((r) => t.once('close', r))]);
  server.close();
  const a = await frames(ref);
  const b = await frames(live);
  const byKey = new Map<string, bigint>();
  for (const f of a) byKey.set(f.key, f.ts);
  const diffs: number[] = [];
  for (const f of b) {
    const k = byKey.get(f.key);
    if (k !== undefined) diffs.push(Number(f.ts - k) / 1000);
  }
  diffs.sort((x, y) => x - y);
  console.log(`drift ${backend}, ${sessions} sessions x${concurrency}: ${diffs.length} matched of ${b.length} live / ${a.length} reference packets; ` +
    `arrival - kernel (µs): min ${diffs[0]?.toFixed(1)} median ${pct(diffs, 0.5)?.toFixed(1)} p99 ${pct(diffs, 0.99)?.toFixed(1)} max ${diffs.at(-1)?.toFixed(1)}`);
}

async function rate(backend: string): Promise<void> {
  for (const concurrency of (process.env.LEVELS ?? '1,4,16,64,128').split(',').map(Number)) {
    const server = smtpServer();
    const port = await listen(server);
    const ref = join(dir, 'ref.pcap');
    const live = join(dir, 'live.pcap');
    const t = await startReference(port, ref);
    const m = await startLive(port, live, backend);
    const end = Date.now() + 4000;
    let sessions = 0;
    const worker = async () => { while (Date.now() < end) { await converse(port, smtpScript('alice', 'good')); sessions++; } };
    const started = Date.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const secs = (Date.now() - started) / 1000;
    await sleep(1000);
    m.child.kill('SIGINT');
    t.kill('SIGINT');
    const [summary] = await Promise.all([m.done, new Promise((r) => t.once('close', r))]);
    server.close();
    const refCount = (await frames(ref)).length;
    const liveCount = (await frames(live)).length;
    const line = summary.split('\n').find((l) => /packets .* in /.test(l)) ?? '';
    const dropped = /(\d+) dropped by libpcap/.exec(line)?.[1] ?? 'n/a';
    console.log(`rate ${backend} x${concurrency}: ${sessions} sessions, ${Math.round(refCount / secs)} pkt/s offered (${refCount} packets); ` +
      `live delivered ${liveCount} (${refCount - liveCount} missing), libpcap drops ${dropped}`);
  }
}

const what = process.argv[2] ?? 'all';
const backend = process.argv[3] ?? 'cap';
try {
  if (what === 'drift' || what === 'all') {
    await drift(backend, 200, 1);
    await drift(backend, 2000, 32);
  }
  if (what === 'rate' || what === 'all') await rate(backend);
} finally {
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); else console.log(dir);
}
