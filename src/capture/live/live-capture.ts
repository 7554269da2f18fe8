/**
 * A live interface as a CaptureInput: the pipeline reads it exactly as it
 * reads a file (readSessionsFrom(capture, {onSession}) in the CLI and the UI),
 * batches arriving as packets do until stop(), --count or the end of the
 * capture process. Both backends are a child process writing a pcap stream
 * on stdout (cap-child.js, or tcpdump -U -w -), read by our own pcap parser.
 *
 * Live figures (packets, bytes, drops reported by libpcap, rates) are on
 * stats() and, once a second, on the 'stats' event; other lines the capture
 * process prints (libpcap warnings) are 'warning' events, never raw stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CaptureError } from '../errors.js';
import type { Frame } from '../frame.js';
import type { CaptureInput } from '../open-capture.js';
import { PcapParser } from '../pcap-parser.js';
import type { CaptureSecrets } from '../pcapng-parser.js';
import { describeOpenFailure, type BackendName } from './backend.js';
import type { CapChildArgs } from './cap-child.js';
import { parseTcpdumpStats, tcpdumpArgs } from './tcpdump.js';

export interface LiveCaptureOptions {
  iface: string;
  /** BPF capture filter ('' for everything). */
  filter: string;
  /** Bytes kept of each packet. cap cannot keep more than 65535. */
  snaplen: number;
  /** Kernel capture buffer, in MiB. */
  bufferMb: number;
  backend: BackendName;
  /** tcpdump's path, for the tcpdump backend. */
  tcpdump?: string;
  /** Stop after this many packets. */
  count?: number;
}

export interface LiveStats {
  backend: BackendName;
  /** Packets handed to the pipeline. */
  packets: number;
  /** Captured bytes handed to the pipeline. */
  bytes: number;
  /** Packets libpcap reports dropped (kernel buffer full); null when the backend cannot tell (cap has no pcap_stats). */
  drops: number | null;
  /** Packets per second over the last second. */
  packetRate: number;
  /** Captured bytes per second over the last second. */
  byteRate: number;
  /** Milliseconds since the capture started. */
  elapsedMs: number;
}

export class LiveCaptureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiveCaptureError';
  }
}

/** How long the capture process may take to open the interface. */
const START_TIMEOUT_MS = 15_000;
/** How long stop() waits for a clean exit before SIGKILL. */
const STOP_GRACE_MS = 5_000;

export class LiveCapture extends EventEmitter implements CaptureInput {
  readonly files: string[] = [];
  readonly totalBytes = 0;
  readonly damage: CaptureError[] = [];
  readonly secrets: CaptureSecrets[] = [];
  /** Lines the capture process printed that are not ours (libpcap warnings). */
  readonly warnings: string[] = [];
  private packets = 0;
  private bytes = 0;
  private drops: number | null = null;
  private readonly started = Date.now();
  private lastSample = { at: Date.now(), packets: 0, bytes: 0 };
  private rate = { packets: 0, bytes: 0 };
  private readonly timer: NodeJS.Timeout;
  private stopping = false;
  private readonly exited: Promise<void>;
  private exitProblem: string | null = null;
  /** LINKTYPE_* of the interface, from the capture process's first words. */
  readonly linkType: number | null;
  /** CaptureInput: packets come as they happen. */
  readonly live = true;

  private constructor(private readonly options: LiveCaptureOptions, private readonly child: ChildProcess, stderrLines: LineReader) {
    super();
    this.linkType = stderrLines.linkType;
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    stderrLines.onLine = (line) => this.onStderr(line);
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  /** Starts capturing; resolves once the interface is open, or rejects with one clear message. */
  static async start(options: LiveCaptureOptions): Promise<LiveCapture> {
    const child = options.backend === 'cap' ? spawnCapChild(options) : spawnTcpdump(options);
    const lines = new LineReader(child);
    await new Promise<void>((resolve, reject) => {
      const early: string[] = [];
      const timeout = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new LiveCaptureError(`mailscope: the ${options.backend} capture did not start within ${START_TIMEOUT_MS / 1000} s`));
      }, START_TIMEOUT_MS);
      const onClose = (code: number | null): void => {
        clearTimeout(timeout);
        const error = early.find((l) => l.startsWith('ERROR ')) ?? [...early].reverse().find((l) => /tcpdump:/.test(l)) ?? early.at(-1) ?? `exited with status ${code}`;
        reject(new LiveCaptureError(describeOpenFailure(options.iface, options.backend, error.replace(/^ERROR /, ''))));
      };
      child.once('error', (err) => {
        clearTimeout(timeout);
        child.off('close', onClose);
        reject(new LiveCaptureError(`mailscope: cannot start ${options.backend}: ${err.message}`));
      });
      child.once('close', onClose);
      lines.onLine = (line) => {
        early.push(line);
        const link = listeningLinkType(line);
        if (link !== undefined) {
          lines.linkType = link;
          clearTimeout(timeout);
          child.off('close', onClose);
          resolve();
        }
      };
    });
    return new LiveCapture(options, child, lines);
  }

  get backend(): BackendName {
    return this.options.backend;
  }

  get bytesRead(): number {
    return this.bytes;
  }

  stats(): LiveStats {
    return {
      backend: this.options.backend,
      packets: this.packets,
      bytes: this.bytes,
      drops: this.drops,
      packetRate: this.rate.packets,
      byteRate: this.rate.bytes,
      elapsedMs: Date.now() - this.started,
    };
  }

  /** Why the capture process ended on its own (not through stop()), if it did. */
  get problem(): string | null {
    return this.exitProblem;
  }

  async *batches(): AsyncGenerator<Frame[]> {
    const parser = new PcapParser(`${this.options.backend} on ${this.options.iface}`);
    const limit = this.options.count ?? Infinity;
    const stdout = this.child.stdout!;
    try {
      for await (const chunk of stdout as AsyncIterable<Buffer>) {
        const out: Frame[] = [];
        parser.push(chunk, out);
        if (out.length === 0) continue;
        let batch = out;
        if (this.packets + batch.length >= limit) {
          batch = out.slice(0, limit - this.packets);
        }
        for (const f of batch) this.bytes += f.data.length;
        this.packets += batch.length;
        if (batch.length > 0) yield batch;
        if (this.packets >= limit) {
          void this.stop();
          return;
        }
      }
      parser.end();
    } catch (err) {
      // A capture process killed mid-record leaves a partial record: not worth more than a note.
      const e = err as CaptureError;
      if (e.isDamage) this.damage.push(e);
      else throw err;
    } finally {
      clearInterval(this.timer);
      if (!this.stopping) await this.stop();
      else await this.exited;
      this.tick();
    }
  }

  /** Stops the capture process; batches() then ends after the last packet it wrote. Idempotent. */
  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      if (this.child.exitCode === null && this.child.signalCode === null) {
        this.child.kill(this.options.backend === 'tcpdump' ? 'SIGINT' : 'SIGTERM');
        const kill = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
        kill.unref();
        this.exited.finally(() => clearTimeout(kill));
      }
    }
    await this.exited;
  }

  private tick(): void {
    const now = Date.now();
    const dt = (now - this.lastSample.at) / 1000;
    if (dt > 0) {
      this.rate = {
        packets: Math.round((this.packets - this.lastSample.packets) / dt),
        bytes: Math.round((this.bytes - this.lastSample.bytes) / dt),
      };
    }
    this.lastSample = { at: now, packets: this.packets, bytes: this.bytes };
    // tcpdump prints its libpcap counters on SIGUSR1 (Linux's stand-in for SIGINFO).
    if (this.options.backend === 'tcpdump' && !this.stopping && this.child.exitCode === null) this.child.kill('SIGUSR1');
    this.emit('stats', this.stats());
  }

  private onStderr(line: string): void {
    if (line.startsWith('STATS ') || line.startsWith('LISTENING')) return;
    if (this.options.backend === 'tcpdump') {
      const drops = parseTcpdumpStats(line);
      if (drops !== null) {
        this.drops = drops;
        return;
      }
      if (/packets (captured|received by filter)/.test(line)) return;
    }
    if (line.startsWith('ERROR ')) line = line.slice(6);
    if (!this.stopping) this.exitProblem = line;
    this.warnings.push(line);
    this.emit('warning', line);
  }
}

/** Splits a child's stderr into lines for a handler that can be swapped. */
class LineReader {
  linkType: number | null = null;
  onLine: (line: string) => void = () => undefined;
  private rest = '';
  constructor(child: ChildProcess) {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      const parts = (this.rest + text).split('\n');
      this.rest = parts.pop()!;
      for (const p of parts) if (p.trim()) this.onLine(p.trim());
    });
    child.stderr!.on('end', () => {
      if (this.rest.trim()) this.onLine(this.rest.trim());
      this.rest = '';
    });
  }
}

/** The compiled cap-child.js beside this module (or in dist/ when this module runs from the TypeScript sources). */
export function capChildScript(): string {
  const here = fileURLToPath(new URL('./cap-child.js', import.meta.url));
  if (existsSync(here)) return here;
  return here.replace(/([\\/])src\1capture\1live\1cap-child\.js$/, '$1dist$1src$1capture$1live$1cap-child.js');
}

function spawnCapChild(o: LiveCaptureOptions): ChildProcess {
  const args: CapChildArgs = { iface: o.iface, filter: o.filter, snaplen: o.snaplen, bufferBytes: Math.round(o.bufferMb * 1024 * 1024) };
  return spawn(process.execPath, [capChildScript(), JSON.stringify(args)], { stdio: ['pipe', 'pipe', 'pipe'] });
}

function spawnTcpdump(o: LiveCaptureOptions): ChildProcess {
  return spawn(o.tcpdump ?? 'tcpdump', tcpdumpArgs(o), { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** tcpdump's DLT names (pcap_datalink_val_to_name) for the link types we decode. */
const TCPDUMP_LINK_NAMES: Record<string, number> = { EN10MB: 1, NULL: 0, LOOP: 108, RAW: 101, LINUX_SLL: 113, LINUX_SLL2: 276, IPV4: 228, IPV6: 229 };

/**
 * The link type announced by a "listening" line (`LISTENING 1` from cap-child,
 * `tcpdump: listening on lo, link-type EN10MB (Ethernet), ...`): a number,
 * null when listening on a type we cannot name, undefined for any other line.
 */
export function listeningLinkType(line: string): number | null | undefined {
  const own = /^LISTENING (\d+)$/.exec(line);
  if (own) return Number(own[1]);
  if (!/^tcpdump: listening on /.test(line)) return undefined;
  const m = /link-type (\S+)/.exec(line);
  return m && m[1] in TCPDUMP_LINK_NAMES ? TCPDUMP_LINK_NAMES[m[1]] : null;
}
