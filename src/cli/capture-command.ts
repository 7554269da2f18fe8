/**
 * `mailscope capture -i IFACE`: captures live and prints each mail session as
 * it completes (one line, or NDJSON), optionally saving the packets
 * (--write, --rotate-mb). Stops at --duration, --count or Ctrl-C, then ends
 * the sessions still open, closes every file and prints a summary on stderr.
 */
import { chooseBackend, type BackendName } from '../capture/live/backend.js';
import { defaultBpf } from '../capture/live/bpf.js';
import { loadCap, type CapModule } from '../capture/live/cap-binding.js';
import { CAP_SNAPLEN } from '../capture/live/cap-snaplen.js';
import { listInterfaces } from '../capture/live/interfaces.js';
import { LiveCapture, LiveCaptureError, type LiveStats } from '../capture/live/live-capture.js';
import { LazyPcapWriter, teeCapture } from '../capture/live/packet-tee.js';
import { findTcpdump } from '../capture/live/tcpdump.js';
import { PCAP_DEFAULT_SNAPLEN } from '../capture/pcap-writer.js';
import { Output } from '../export/output.js';
import { formatBytes, formatSessionLine, sessionLineWidth } from '../export/session-line.js';
import { defaultMachines } from '../protocols/registry.js';
import { parseDecodeAs } from '../session/identify.js';
import type { Session } from '../session/model.js';
import { readSessionsFrom } from '../session/read-sessions.js';
import { loadKeyLog } from './keylog-option.js';
import { EXIT } from './report.js';
import { compileOrReport } from './filter-option.js';
import { sessionRecordJson } from '../export/session-record.js';
import { hostname } from 'node:os';
import { ClickHouseStore } from '../store/clickhouse-store.js';
import { SessionSink } from '../store/session-sink.js';
import { storeOptions, type StoreArgs } from './store-option.js';

export interface CaptureArgs {
  iface?: string;
  bpf?: string;
  decodeAs: string[];
  snaplen?: number;
  bufferMb?: number;
  write?: string;
  rotateMb?: number;
  duration?: number;
  count?: number;
  format: 'text' | 'ndjson';
  filter?: string;
  showSecrets: boolean;
  listInterfaces: boolean;
  /** --keylog: an NSS key log to decrypt TLS with (else SSLKEYLOGFILE); read once, at the start. */
  keylog?: string;
  /** --clickhouse and company: every session also into the store as it ends. */
  store?: StoreArgs;
}

/**
 * Sessions waiting for the store past which new ones are dropped (counted):
 * a store that is down or slow must never hold the capture back. About
 * 10 KiB a session waiting: 100 MiB at most.
 */
export const STORE_BACKLOG = 10_000;

/** Arguments checked and defaults filled in. */
export interface CaptureConfig {
  iface: string;
  bpf: string;
  decodeAs: ReturnType<typeof parseDecodeAs>;
  snaplen: number;
  bufferMb: number;
  write: string | null;
  rotateBytes: number;
  durationMs: number | null;
  count: number | null;
}

/**
 * Kernel buffer when --buffer-mb is not given. cap opens in immediate mode,
 * where libpcap gives each packet a ring slot of the whole snap length (64 KiB
 * on lo): 32 MiB dropped from 20k pkt/s on loopback, 256 MiB none at 42k.
 */
export const DEFAULT_BUFFER_MB = 64;

/** Checks the arguments of a capture (not --list-interfaces); throws Error with the usage message. */
export function captureConfig(args: CaptureArgs): CaptureConfig {
  if (!args.iface) throw new Error('capture needs an interface: -i IFACE (see mailscope capture --list-interfaces)');
  const positive = (name: string, v: number | undefined, integer: boolean): void => {
    if (v === undefined) return;
    if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
      throw new Error(`--${name} ${v}: expected a positive ${integer ? 'whole number' : 'number'}`);
    }
  };
  positive('snaplen', args.snaplen, true);
  positive('buffer-mb', args.bufferMb, false);
  positive('rotate-mb', args.rotateMb, false);
  positive('duration', args.duration, false);
  positive('count', args.count, true);
  if (args.snaplen !== undefined && (args.snaplen < 64 || args.snaplen > PCAP_DEFAULT_SNAPLEN)) {
    throw new Error(`--snaplen ${args.snaplen}: expected 64-${PCAP_DEFAULT_SNAPLEN} (fewer bytes than a TCP/IP header leave nothing to decode)`);
  }
  if (args.rotateMb !== undefined && !args.write) throw new Error('--rotate-mb needs --write FILE');
  if (args.bpf !== undefined && !args.bpf.trim()) throw new Error('--bpf needs an expression (use --bpf "tcp" for all TCP)');
  const decodeAs = parseDecodeAs(args.decodeAs);
  return {
    iface: args.iface,
    bpf: args.bpf?.trim() ?? defaultBpf(decodeAs.keys()),
    decodeAs,
    snaplen: args.snaplen ?? PCAP_DEFAULT_SNAPLEN,
    bufferMb: args.bufferMb ?? DEFAULT_BUFFER_MB,
    write: args.write ?? null,
    rotateBytes: args.rotateMb ? Math.round(args.rotateMb * 1024 * 1024) : 0,
    durationMs: args.duration !== undefined ? Math.round(args.duration * 1000) : null,
    count: args.count ?? null,
  };
}

const say = (line: string): void => {
  process.stderr.write(line + '\n');
};

/** Picks the backend from what is installed; null after printing why live capture cannot run. */
export function selectBackend(): { backend: BackendName; cap: CapModule | null; tcpdump: string | null; note: string } | null {
  const requested = process.env.MAILSCOPE_CAPTURE_BACKEND;
  const loaded = requested?.trim().toLowerCase() === 'tcpdump' ? null : loadCap();
  const tcpdump = findTcpdump();
  const capProblem = loaded === null ? 'MAILSCOPE_CAPTURE_BACKEND=tcpdump' : loaded.ok ? null : loaded.reason;
  const choice = chooseBackend({ requested, capProblem, tcpdump });
  if (!choice.ok) {
    say(`mailscope: ${choice.message}`);
    return null;
  }
  return { backend: choice.backend, cap: loaded?.ok ? loaded.cap : null, tcpdump, note: choice.note };
}

/**
 * Starts a live capture for the UI (`mailscope -i IFACE`): the same checks,
 * backend choice and default capture filter as `mailscope capture`. Returns
 * the running capture, or the exit code after one line on stderr saying why not.
 */
export async function startLiveForUi(args: Pick<CaptureArgs, 'iface' | 'bpf' | 'decodeAs'>): Promise<LiveCapture | number> {
  const config = captureConfig({ ...args, format: 'text', showSecrets: false, listInterfaces: false });
  const chosen = selectBackend();
  if (!chosen) return EXIT.unreadable;
  try {
    return await LiveCapture.start({
      iface: config.iface, filter: config.bpf, snaplen: chosen.backend === 'cap' ? CAP_SNAPLEN : config.snaplen,
      bufferMb: config.bufferMb, backend: chosen.backend, tcpdump: chosen.tcpdump ?? undefined,
    });
  } catch (err) {
    if (err instanceof LiveCaptureError) {
      say(err.message);
      return EXIT.unreadable;
    }
    throw err;
  }
}

export async function captureCommand(args: CaptureArgs): Promise<number> {
  if (args.listInterfaces) return listCommand();
  const config = captureConfig(args);
  const filter = compileOrReport(args.filter, args.showSecrets);
  if (!filter) return EXIT.usage;
  const chosen = selectBackend();
  if (!chosen) return EXIT.unreadable;
  let snaplen = config.snaplen;
  if (chosen.backend === 'cap' && snaplen > CAP_SNAPLEN) {
    if (args.snaplen !== undefined) say(`mailscope: cap captures at most ${CAP_SNAPLEN} bytes of a packet; --snaplen ${args.snaplen} is lowered to it`);
    snaplen = CAP_SNAPLEN;
  }
  say(`mailscope: capturing on ${config.iface} with ${chosen.note}; capture filter: ${config.bpf}`);

  // The store first: one that cannot be reached is said before any packet is taken.
  let store: ClickHouseStore | null = null;
  let sink: SessionSink | null = null;
  if (args.store?.clickhouse) {
    store = await ClickHouseStore.open(storeOptions(args.store));
    const run = `${hostname()}/${config.iface}/${new Date().toISOString()}`;
    sink = new SessionSink(store, { capture: run, name: `${config.iface} on ${hostname()}`, start: 0 }, {
      batchSize: 500, flushMs: 1000, dropAbove: STORE_BACKLOG,
      onError: (message, n) => say(`mailscope: ${n} sessions not stored: ${message}`),
    });
    say(`mailscope: sessions go into ${store.sessionTable} at ${args.store.clickhouse} as they end (capture ${run})`);
  }

  let capture: LiveCapture;
  try {
    capture = await LiveCapture.start({
      iface: config.iface, filter: config.bpf, snaplen, bufferMb: config.bufferMb,
      backend: chosen.backend, tcpdump: chosen.tcpdump ?? undefined, count: config.count ?? undefined,
    });
  } catch (err) {
    if (err instanceof LiveCaptureError) {
      say(err.message);
      return EXIT.unreadable;
    }
    throw err;
  }
  capture.on('warning', (line: string) => say(`mailscope: ${chosen.backend}: ${line}`));
  say(`mailscope: listening on ${config.iface}; Ctrl-C stops${config.durationMs !== null ? `, or after ${config.durationMs / 1000} s` : ''}${config.count !== null ? `, or after ${config.count} packets` : ''}`);

  const status = statusLine(capture);
  let interrupted = 0;
  const onSigint = (): void => {
    interrupted++;
    if (interrupted === 1) {
      void capture.stop();
    } else {
      say('mailscope: interrupted again: exiting without finishing');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const timer = config.durationMs !== null ? setTimeout(() => void capture.stop(), config.durationMs) : null;

  const writer = config.write ? new LazyPcapWriter(config.write, config.rotateBytes, snaplen, capture.linkType) : null;
  const input = writer ? teeCapture(capture, (batch) => writer.writeBatch(batch)) : capture;
  const out = new Output(process.stdout);
  const width = sessionLineWidth(process.stdout);
  let sessions = 0;
  let shown = 0;
  try {
    const { result } = await readSessionsFrom(input, {
      machines: defaultMachines,
      showSecrets: args.showSecrets,
      decodeAs: config.decodeAs,
      keylog: loadKeyLog(args.keylog),
      inOrder: false,
      onSession: (s: Session) => {
        sessions++;
        // The store gets every session (-Y chooses what is printed): it is queried later with filters of its own.
        sink?.add(s);
        if (!filter.matches(s)) return;
        shown++;
        status.clear();
        out.write(args.format === 'ndjson' ? sessionRecordJson(s) + '\n' : formatSessionLine(s, width) + '\n');
        // Live output: each session goes out as it completes, not when a buffer fills.
        out.flush();
      },
    });
    status.clear();
    if (timer) clearTimeout(timer);
    const files = writer ? await writer.close() : [];
    await out.end();
    say(summary(capture.stats(), sessions, shown, result.decode.malformed, files));
    if (sink && store) {
      const stored = await sink.finish();
      if (stored.inserted > 0) {
        await sink.recordCapture(files).catch((err: Error) => say(`mailscope: the capture's entry was not stored: ${err.message}`));
      }
      say(`mailscope: ${stored.inserted} session${stored.inserted === 1 ? '' : 's'} stored${stored.dropped ? `, ${stored.dropped} dropped (the store was behind or failing)` : ''}`);
    }
    if (capture.problem) say(`mailscope: the capture ended on its own: ${capture.problem}`);
    return EXIT.ok;
  } finally {
    status.stop();
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await capture.stop();
    await store?.close();
  }
}

async function listCommand(): Promise<number> {
  const loaded = process.env.MAILSCOPE_CAPTURE_BACKEND?.trim().toLowerCase() === 'tcpdump' ? null : loadCap();
  const { source, interfaces } = await listInterfaces(loaded?.ok ? loaded.cap : null, findTcpdump());
  const out = new Output(process.stdout);
  for (const i of interfaces) {
    const notes = [i.loopback ? 'loopback' : '', i.description ?? '', i.addresses.join(' ')].filter(Boolean).join('  ');
    out.write(`${i.name}${notes ? `  ${notes}` : ''}\n`);
  }
  await out.end();
  if (source === 'os') say('mailscope: (from the operating system: neither cap nor tcpdump is available to ask libpcap)');
  return EXIT.ok;
}

/** The summary on stderr at the end. */
export function summary(stats: LiveStats, sessions: number, shown: number, malformed: number, files: string[]): string {
  const secs = (stats.elapsedMs / 1000).toFixed(1);
  const drops = stats.drops === null ? 'drops not reported (cap has no pcap_stats)' : `${stats.drops} dropped by libpcap`;
  const parts = [
    `${stats.packets} packet${stats.packets === 1 ? '' : 's'} (${formatBytes(stats.bytes)}) in ${secs} s`,
    drops,
    `${sessions} mail session${sessions === 1 ? '' : 's'}${shown !== sessions ? ` (${shown} matched the filter)` : ''}`,
  ];
  if (malformed > 0) parts.push(`${malformed} malformed frame${malformed === 1 ? '' : 's'} skipped`);
  if (files.length === 1) parts.push(`written to ${files[0]}`);
  else if (files.length > 1) parts.push(`written to ${files.length} files, ${files[0]} to ${files[files.length - 1]}`);
  return `mailscope: ${parts.join('; ')}`;
}

/** Packets, drops and rate on one stderr line, only when stderr is a terminal. */
function statusLine(capture: LiveCapture): { clear(): void; stop(): void } {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  const onStats = (s: LiveStats): void => {
    if (!tty) return;
    const drops = s.drops === null ? '' : `, ${s.drops} dropped`;
    process.stderr.write(`\r\x1b[K${s.packets} packets${drops}, ${s.packetRate} pkt/s, ${formatBytes(s.byteRate)}/s`);
    shown = true;
  };
  capture.on('stats', onStats);
  return {
    clear() {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
    stop() {
      capture.off('stats', onStats);
    },
  };
}
