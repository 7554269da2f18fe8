/**
 * mailscope's command line. Each command lives in its own file; this one only
 * declares the commands and their options, and turns failures into one-line
 * messages and exit codes (see report.ts). A command's module is loaded when
 * it runs: loading them all took 30 ms of every run.
 */
import './heap-policy.js';
import { readFileSync } from 'node:fs';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { CaptureError } from '../capture/errors.js';
import { openCapture } from '../capture/open-capture.js';
import { protectReplyWords } from './explain-command.js';
import { loadKeyLog } from './keylog-option.js';
import { LANGS, localeLang, type Lang } from '../explain/index.js';
import type { KeyLog } from '../tls/keylog.js';
import { EXIT, describeFatal } from './report.js';
import { setTableLimits } from '../pipeline/limits.js';
import { DEFAULT_DATABASE, STORE_UI_LIMIT, type StoreArgs } from './store-option.js';
import { DEFAULT_LIMITS } from '../tcp/connection-table.js';
import { parseZone, setDisplayZone } from '../util/display-zone.js';
import { existsSync } from 'node:fs';

interface UiOptions {
  files: string[];
  showSecrets: boolean;
  decodeAs: string[];
  filter?: string;
  /** --keylog FILE (else SSLKEYLOGFILE). */
  keylog?: string;
  /** Capture live on this interface instead of reading files. */
  iface?: string;
  /** Language of the explanations. */
  lang?: Lang;
  /** --local-domain: domains the server accepts mail for. */
  localDomain?: string[];
  bpf?: string;
  /** With iface: also save the packets to this pcap file (-w), which x (extract) then reads. */
  write?: string;
  /** --clickhouse and company: browse the sessions of a store. */
  store?: StoreArgs;
  /** --limit: with a store, at most this many sessions in the list. */
  limit?: number;
}

/** The UI is loaded only when it runs: read, transcript and pipes never load React and Ink. */
async function startUi(args: UiOptions): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write('mailscope: the UI needs a terminal (stdin and stdout); use mailscope read in pipes and scripts\n');
    return EXIT.usage;
  }
  const keylog = loadKeyLog(args.keylog);
  if (args.iface !== undefined) return startLiveUi({ ...args, iface: args.iface }, keylog);
  if (args.store?.clickhouse !== undefined) return startStoreUi(args, args.store);
  if (args.files.length === 0) throw new Error('name a capture file, or capture live with -i IFACE: see --help');
  // Fail on a missing or unreadable file here, with the same one-line error as read, not inside the UI.
  await openCapture(args.files);
  // Loading React and Ink takes about half a second; reading at the same time would only slow it down (one thread).
  const { runUi } = await loadUi();
  return runUi({ ...args, keylog });
}

/**
 * Ink draws nothing but the last frame, at exit, when CI or CONTINUOUS_INTEGRATION
 * is set (it asks is-in-ci once, when it is first imported). The UI only starts
 * with a terminal on both ends, so a person is watching: drop the hint first.
 * NODE_ENV picks React's production build unless the user set it.
 */
async function loadUi(): Promise<typeof import('../tui/run-ui.js')> {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  // React's development build checks every element and keeps component stacks: in a terminal it only costs
  // (a tenth of the UI's time over a big capture). React reads NODE_ENV once, when first imported.
  process.env.NODE_ENV ??= 'production';
  return import('../tui/run-ui.js');
}

/** `mailscope ui --clickhouse URL`: the UI over the sessions of a store (no packets: x, extract, needs the capture files). */
async function startStoreUi(args: UiOptions, store: StoreArgs): Promise<number> {
  if (args.files.length > 0) throw new Error('give capture files or --clickhouse, not both');
  const warnings: string[] = [];
  const [{ runUi }, { storeSource }] = await Promise.all([loadUi(), import('../tui/load-store.js')]);
  const title = `${store.clickhouse} ${store.database ?? DEFAULT_DATABASE}${store.capture ? ` ${store.capture}` : ''}`;
  if (args.limit !== undefined && !(Number.isInteger(args.limit) && args.limit > 0)) throw new Error(`--limit ${args.limit}: give a whole number of sessions above 0`);
  const source = storeSource({ ...store, filter: args.filter, showSecrets: args.showSecrets, localDomain: args.localDomain, limit: args.limit }, (w) => warnings.push(w));
  const code = await runUi({ ...args, files: [], keylog: undefined, title }, source.loader, source.sessions);
  for (const w of warnings) process.stderr.write(w + '\n');
  return code;
}

/** `mailscope -i IFACE`: the UI over a live capture; the capture stops when the UI quits. */
async function startLiveUi(args: UiOptions & { iface: string }, keylog: KeyLog | undefined): Promise<number> {
  if (args.files.length > 0) throw new Error('give capture files or -i IFACE, not both');
  if (args.write !== undefined && existsSync(args.write)) throw new Error(`-w ${args.write}: the file exists; name a new one (the UI does not replace captures)`);
  const [{ startLiveForUi }, { LazyPcapWriter }, { PCAP_DEFAULT_SNAPLEN }] = await Promise.all([
    import('./capture-command.js'), import('../capture/live/packet-tee.js'), import('../capture/pcap-writer.js'),
  ]);
  const capture = await startLiveForUi({ iface: args.iface, bpf: args.bpf, decodeAs: args.decodeAs });
  if (typeof capture === 'number') return capture;
  // -w: every packet is written before the pipeline sees it, so the file holds what the UI shows and x reads it back.
  const writer = args.write !== undefined ? new LazyPcapWriter(args.write, 0, PCAP_DEFAULT_SNAPLEN, capture.linkType) : null;
  let code = 0;
  try {
    const [{ runUi }, { liveLoader }] = await Promise.all([loadUi(), import('../tui/load-live.js')]);
    code = await runUi({ ...args, files: [], keylog, extractFrom: writer ? [args.write!] : undefined },
      liveLoader(capture, { ...args, keylog, tap: writer ? (batch) => writer.writeBatch(batch) : undefined }));
  } finally {
    await capture.stop();
    if (writer) {
      const files = await writer.close();
      process.stderr.write(`mailscope: packets written to ${files.join(', ')}\n`);
    }
  }
  return code;
}

async function run(task: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await task();
  } catch (err) {
    process.stderr.write(describeFatal(err) + '\n');
    if (process.env.MAILSCOPE_DEBUG) process.stderr.write(String((err as Error)?.stack) + '\n');
    process.exitCode = err instanceof CaptureError ? EXIT.unreadable : EXIT.usage;
  }
}

const files = <T>(y: Argv<T>) => y.positional('files', {
  type: 'string', array: true, demandOption: true,
  describe: 'capture files (pcap, pcapng, gzip-compressed) or folders of them; several are merged by time',
});

const optionalFiles = <T>(y: Argv<T>) => y.positional('files', {
  type: 'string', array: true,
  describe: 'capture files (pcap, pcapng, gzip-compressed) or folders of them; several are merged by time',
});

/** The UI's live-capture options (mailscope -i IFACE). */
const liveOptions = <T>(y: Argv<T>) => y
  .option('interface', { alias: 'i', type: 'string', describe: 'capture live on this interface instead of reading files (see mailscope capture)' })
  .option('bpf', { type: 'string', describe: 'with -i: capture filter instead of the mail ports' })
  .option('write', { alias: 'w', type: 'string', describe: 'with -i: also save the packets to this pcap file, so that x (extract) can read the messages back' });

/** --lang: the language of the explanations; the default follows the locale (LC_ALL, LC_MESSAGES, LANG). */
const langOption = <T>(y: Argv<T>) => y
  .option('lang', { choices: LANGS, default: localeLang(), describe: 'language of the explanations: en, or zh (Simplified Chinese); default from the locale' });

const sessionOptions = <T>(y: Argv<T>) => y
  .option('show-secrets', { type: 'boolean', default: false, describe: 'show passwords, SASL responses and tokens instead of <redacted>' })
  .option('filter', { alias: 'Y', type: 'string', describe: 'display filter in Wireshark syntax, e.g. \'smtp.response.code >= 400\': only matching sessions are shown (field list: mailscope fields)' })
  .option('decode-as', { type: 'string', array: true, default: [] as string[], describe: 'PORT=smtp|pop3|imap (PORT=imaps etc. for implicit TLS), like Wireshark\'s Decode As; repeatable' })
  .option('keylog', { type: 'string', describe: 'NSS key log (SSLKEYLOGFILE format) to decrypt TLS 1.0-1.3 sessions with; default: $SSLKEYLOGFILE' })
  .option('local-domain', { type: 'string', array: true, default: [] as string[], describe: 'a domain the server accepts mail for, for the open-relay findings (finding.* fields, the UI); repeatable' });

/** --clickhouse URL, --database, --cluster: which store; `what` says what the command does with it. */
const storeFlags = <T>(y: Argv<T>, what: string) => y
  .option('clickhouse', { type: 'string', describe: `${what} (the HTTP URL of a ClickHouse server, e.g. http://127.0.0.1:8123; with --cluster, of every node, comma-separated)` })
  .option('database', { type: 'string', default: DEFAULT_DATABASE, describe: 'with --clickhouse: the database of the store (made if missing)' })
  .option('cluster', { type: 'string', describe: 'with --clickhouse: the cluster (remote_servers) the store is spread over: a local table on each node and a Distributed one over them' });

/** The store flags of a command that reads sessions from it, and --capture. */
const storeQueryFlags = <T>(y: Argv<T>, what: string) => storeFlags(y, what)
  .option('capture', { type: 'string', describe: 'with --clickhouse: only the sessions of this capture (its name as index printed it, or its id)' });

/** read, transcript, ...: capture files, or --clickhouse instead of them. */
const storeReadOptions = <T>(y: Argv<T>) => storeQueryFlags(y, 'read the sessions from this store (see mailscope index) instead of capture files')
  .check((argv) => {
    const files = argv.files as string[] | undefined;
    if (argv.clickhouse === undefined && (files === undefined || files.length === 0)) throw new Error('name a capture file (or read from a store with --clickhouse URL)');
    if (argv.clickhouse !== undefined && files !== undefined && files.length > 0) throw new Error('give capture files or --clickhouse, not both');
    return true;
  });

/** The store arguments of a command's argv. */
const storeArgs = (argv: { clickhouse?: string; database?: string; cluster?: string; capture?: string }) => ({
  clickhouse: argv.clickhouse, database: argv.database, cluster: argv.cluster, capture: argv.capture,
});

/** `--tz -05:00` as `--tz=-05:00`: yargs would read an offset with a minus sign as flags. */
function joinZoneOffsets(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--tz' && /^-\d{2}:?\d{2}$/.test(args[i + 1] ?? '')) out.push(`--tz=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

await yargs(protectReplyWords(joinZoneOffsets(hideBin(process.argv))))
  .scriptName('mailscope')
  .option('max-connections', { type: 'number', global: true, describe: `connections tracked at once; past it the least recently active is closed early (default ${DEFAULT_LIMITS.maxConnections.toLocaleString('en-US')})` })
  .option('tz', { type: 'string', global: true, default: 'UTC', describe: 'time zone of the times shown: UTC, local, an offset such as +01:00, or a name such as Europe/Berlin (JSON stays UTC); filters read times without a zone in it' })
  .option('idle-timeout', { type: 'number', global: true, describe: `seconds of capture time after which a quiet connection is closed (default ${DEFAULT_LIMITS.idleTimeoutSec}; ${DEFAULT_LIMITS.attemptTimeoutSec} while only one side has spoken; 0: never)` })
  .check((argv) => {
    const max = argv['max-connections'];
    const idle = argv['idle-timeout'];
    if (max !== undefined && !(Number.isInteger(max) && max >= 1)) throw new Error('--max-connections: expected a whole number of at least 1');
    if (idle !== undefined && !(idle >= 0)) throw new Error('--idle-timeout: expected seconds, 0 or more');
    parseZone(String(argv.tz ?? 'UTC'));
    return true;
  }, true)
  .middleware((argv) => {
    setDisplayZone(String(argv.tz ?? 'UTC'));
    const max = argv['max-connections'];
    const idle = argv['idle-timeout'];
    setTableLimits({
      ...(max !== undefined ? { maxConnections: max } : {}),
      ...(idle !== undefined ? { idleTimeoutSec: idle, attemptTimeoutSec: idle === 0 ? 0 : Math.min(idle, DEFAULT_LIMITS.attemptTimeoutSec) } : {}),
    });
  })
  .usage('$0 <command> FILE...\n\nLooks inside SMTP, POP3 and IMAP traffic in pcap and pcapng captures.')
  .command(
    'read [files..]',
    'one line per mail session (or NDJSON / JSON with --format)',
    (y) => storeReadOptions(sessionOptions(optionalFiles(y)))
      .option('format', { alias: 'f', choices: ['text', 'ndjson', 'json', 'ecs'] as const, default: 'text' as const, describe: 'text: one line per session; ndjson: one JSON session per line (schema: mailscope schema); json: an array; ecs: one Elastic Common Schema document per line (for Filebeat / Logstash)' })
      .option('workers', { type: 'number', describe: 'threads that decode sessions beside the main one (which reads, reassembles, and decodes what they leave it); 0: all in the main thread; default: one per core but one, at most 2, for captures of 16 MiB and more on 3 or more cores, else 0' }),
    (argv) => run(async () => (await import('./read-command.js')).readCommand({ files: (argv.files ?? []) as string[], format: argv.format, showSecrets: argv['show-secrets'], decodeAs: argv['decode-as'], filter: argv.filter, keylog: argv.keylog, localDomain: argv['local-domain'], workers: argv.workers, ...storeArgs(argv) })),
  )
  .command(
    '$0 [files..]',
    'on a terminal, the interactive UI (as mailscope ui); in a pipe or with --format, the same as mailscope read',
    (y) => langOption(liveOptions(sessionOptions(optionalFiles(y))))
      .option('format', { alias: 'f', choices: ['text', 'ndjson', 'json', 'ecs'] as const, describe: 'print sessions as read does instead of opening the UI' }),
    (argv) => run(async () => {
      const args = { files: (argv.files ?? []) as string[], showSecrets: argv['show-secrets'], decodeAs: argv['decode-as'], filter: argv.filter, iface: argv.interface, bpf: argv.bpf, keylog: argv.keylog, localDomain: argv['local-domain'], lang: argv.lang };
      if (args.iface !== undefined || (argv.format === undefined && process.stdout.isTTY && process.stdin.isTTY)) return startUi(args);
      if (args.files.length === 0) throw new Error('name a capture file, or a command: see --help');
      return (await import('./read-command.js')).readCommand({ ...args, format: argv.format ?? 'text' });
    }),
  )
  .command(
    'ui [files..]',
    'browse, filter and inspect the sessions in a terminal UI (keys: ? in the UI); -i IFACE captures live; --clickhouse URL browses a store',
    (y) => storeQueryFlags(langOption(liveOptions(sessionOptions(optionalFiles(y)))), 'browse the sessions of this store instead of capture files (with -Y, only those the filter selects)')
      .option('limit', { type: 'number', default: STORE_UI_LIMIT, describe: `with --clickhouse: at most this many sessions in the list (each costs the UI about 160 bytes); narrow with -Y or --capture` }),
    (argv) => run(() => startUi({ limit: argv.limit, store: storeArgs(argv), files: (argv.files ?? []) as string[], showSecrets: argv['show-secrets'], decodeAs: argv['decode-as'], filter: argv.filter, iface: argv.interface, bpf: argv.bpf, write: argv.write, keylog: argv.keylog, localDomain: argv['local-domain'], lang: argv.lang })),
  )
  .command(
    'transcript [files..]',
    'the conversation of each session as a person reads it: C: and S: lines with times and reply latencies',
    (y) => langOption(storeReadOptions(sessionOptions(optionalFiles(y))))
      .option('session', { alias: 'n', type: 'number', array: true, default: [] as number[], describe: 'session number(s) to show (as mailscope read numbers them); default: all' })
      .option('out', { alias: 'o', type: 'string', describe: 'write one file per session into this folder instead of stdout' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'with --out: replace transcripts already in the folder (else they are kept and the run fails)' })
      .option('bodies', { type: 'boolean', default: false, describe: 'show message bodies, not only their summary' })
      .option('body-bytes', { type: 'number', default: 65536, describe: 'with --bodies: how many bytes of each body to show' })
      .option('explain', { type: 'boolean', default: true, describe: 'explain each failing reply under it (--no-explain: do not)' }),
    (argv) => run(async () => (await import('./read-command.js')).transcriptCommand({
      files: (argv.files ?? []) as string[], ...storeArgs(argv), session: argv.session, out: argv.out, overwrite: argv.overwrite, bodies: argv.bodies ? Math.max(1, argv['body-bytes']) : 0,
      showSecrets: argv['show-secrets'], decodeAs: argv['decode-as'], filter: argv.filter, explain: argv.explain, lang: argv.lang, keylog: argv.keylog, localDomain: argv['local-domain'],
    })),
  )
  .command(
    'stats [files..]',
    'the capture at a glance: sessions per protocol, failing replies grouped by meaning, logins per user, messages, clients, servers',
    (y) => langOption(storeReadOptions(sessionOptions(optionalFiles(y))))
      .option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const, describe: 'text: for people; json: every table whole' }),
    (argv) => run(async () => (await import('./stats-command.js')).statsCommand({
      files: (argv.files ?? []) as string[], ...storeArgs(argv), format: argv.format, lang: argv.lang, showSecrets: argv['show-secrets'], decodeAs: argv['decode-as'],
      filter: argv.filter, keylog: argv.keylog, localDomain: argv['local-domain'],
    })),
  )
  .command(
    'messages [files..]',
    'one line per mail message (SMTP DATA / BDAT, POP3 RETR / TOP, IMAP FETCH / APPEND): envelope, From / To / Subject, size, SHA-256, attachments',
    (y) => storeReadOptions(sessionOptions(optionalFiles(y)))
      .option('format', { alias: 'f', choices: ['text', 'ndjson'] as const, default: 'text' as const, describe: 'text: one line per message; ndjson: one JSON object per message' }),
    (argv) => run(async () => (await import('./messages-command.js')).messagesCommand({ files: (argv.files ?? []) as string[], ...storeArgs(argv), format: argv.format, showSecrets: argv['show-secrets'], decodeAs: argv['decode-as'], filter: argv.filter, keylog: argv.keylog, localDomain: argv['local-domain'] })),
  )
  .command(
    'index <files..>',
    'put every session of the captures into a ClickHouse store, to query later with read / transcript / stats --clickhouse; the same capture twice adds nothing',
    (y) => storeFlags(sessionOptions(files(y)), 'the store to put the sessions in')
      .demandOption('clickhouse')
      .option('reindex', { type: 'boolean', default: false, describe: 'read a capture the store already has again (its sessions are replaced, not doubled)' })
      .option('each', { type: 'boolean', default: false, describe: 'each file a capture of its own (rotated files, indexed as they come); default: the files are one capture, merged by time as read merges them' }),
    (argv) => run(async () => (await import('./index-command.js')).indexCommand({
      files: argv.files as string[], clickhouse: argv.clickhouse, database: argv.database, cluster: argv.cluster, reindex: argv.reindex, each: argv.each,
      showSecrets: argv['show-secrets'], decodeAs: argv['decode-as'], filter: argv.filter, keylog: argv.keylog, localDomain: argv['local-domain'],
    })),
  )
  .command(
    'extract <files..>',
    'write each message as DIR/session-NNNN-msg-N.eml, its attachments decoded as files, and DIR/manifest.ndjson',
    (y) => sessionOptions(files(y))
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'folder to write into (made if missing); nothing is written outside it' })
      .option('overwrite', { type: 'boolean', default: false, describe: 'replace files already in the folder (default: never; names are numbered instead)' })
      .option('max-file-mb', { type: 'number', describe: 'cut each written file at this many MiB, marked truncated in the manifest (default 100; 0: no cap)' })
      .option('max-total-mb', { type: 'number', describe: 'write at most this many MiB in all; the files after that are listed as skipped in the manifest (default 1024; 0: no cap)' }),
    (argv) => run(async () => (await import('./extract-command.js')).extractCommand({
      files: argv.files as string[], out: argv.out, overwrite: argv.overwrite, showSecrets: argv['show-secrets'], decodeAs: argv['decode-as'], filter: argv.filter, keylog: argv.keylog, localDomain: argv['local-domain'],
      maxFileMb: argv['max-file-mb'], maxTotalMb: argv['max-total-mb'],
    })),
  )
  .command(
    'explain <reply..>',
    'what a reply line means and what usually fixes it, e.g. mailscope explain "550 5.7.1 Relaying denied"',
    (y) => y
      .positional('reply', { type: 'string', array: true, demandOption: true, describe: 'an SMTP, POP3 or IMAP reply line as the server sent it (quote it, or give its words)' })
      .option('lang', { choices: LANGS, default: localeLang(), describe: 'en, or zh (Simplified Chinese); default from the locale' })
      .option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const, describe: 'text: for people; json: the explanation object' }),
    (argv) => run(async () => (await import('./explain-command.js')).explainCommand({ text: (argv.reply as string[]).join(' '), lang: argv.lang, format: argv.format })),
  )
  .command(
    'follow <files..>',
    'list the TCP streams of a capture, or follow one of them like Wireshark\'s "Follow TCP Stream"',
    (y) => files(y)
      .option('stream', { alias: 's', type: 'number', describe: 'stream number, as tshark numbers them (tcp.stream, from 0); omit to list the streams' })
      .option('format', { alias: 'f', choices: ['ascii', 'hex', 'bin'] as const, default: 'ascii' as const, describe: 'ascii: both directions, control bytes escaped; hex: hex dump; bin: exact bytes of one direction' })
      .option('direction', { alias: 'd', choices: ['both', 'client', 'server'] as const, default: 'both' as const, describe: 'which direction(s) to show' }),
    (argv) => run(async () => (await import('./follow-command.js')).followCommand({ files: argv.files as string[], stream: argv.stream, format: argv.format, direction: argv.direction })),
  )
  .command(
    'capture',
    'capture live on an interface (libpcap) and print each mail session as it completes',
    (y) => storeFlags(y, 'also put every session into this store as it ends (batched; never holds the capture back: past 10,000 waiting, sessions are dropped and counted)')
      .option('interface', { alias: 'i', type: 'string', describe: 'interface to capture on (lo, eth0, any, ...)' })
      .option('bpf', { type: 'string', describe: 'capture filter (BPF) instead of the mail ports (25 587 2525 465 110 995 143 993 and --decode-as ports)' })
      .option('decode-as', { type: 'string', array: true, default: [] as string[], describe: 'PORT=smtp|pop3|imap (PORT=imaps etc. for implicit TLS); also added to the capture filter' })
      .option('keylog', { type: 'string', describe: 'NSS key log (SSLKEYLOGFILE format) to decrypt TLS 1.0-1.3 sessions with; default: $SSLKEYLOGFILE' })
      .option('snaplen', { type: 'number', describe: 'bytes kept of each packet (default 262144; cap keeps at most 65535)' })
      .option('buffer-mb', { type: 'number', describe: 'kernel capture buffer in MiB (default 64)' })
      .option('write', { alias: 'w', type: 'string', describe: 'also save the packets to this pcap file' })
      .option('rotate-mb', { type: 'number', describe: 'with --write: start a new file (NAME-00001.pcap, ...) every N MiB' })
      .option('duration', { type: 'number', describe: 'stop after this many seconds' })
      .option('count', { alias: 'c', type: 'number', describe: 'stop after this many packets' })
      .option('format', { alias: 'f', choices: ['text', 'ndjson'] as const, default: 'text' as const, describe: 'text: one line per session; ndjson: one JSON session per line' })
      .option('filter', { alias: 'Y', type: 'string', describe: 'display filter: only the sessions it matches are printed' })
      .option('show-secrets', { type: 'boolean', default: false, describe: 'show passwords, SASL responses and tokens instead of <redacted>' })
      .option('list-interfaces', { alias: 'D', type: 'boolean', default: false, describe: 'list the interfaces that can be captured on' }),
    (argv) => run(async () => (await import('./capture-command.js')).captureCommand({
      iface: argv.interface, bpf: argv.bpf, decodeAs: argv['decode-as'], snaplen: argv.snaplen, bufferMb: argv['buffer-mb'],
      write: argv.write, rotateMb: argv['rotate-mb'], duration: argv.duration, count: argv.count, format: argv.format,
      filter: argv.filter, showSecrets: argv['show-secrets'], listInterfaces: argv['list-interfaces'], keylog: argv.keylog,
      store: { clickhouse: argv.clickhouse, database: argv.database, cluster: argv.cluster },
    })),
  )
  .command(
    'findings [files..]',
    'what an expert would point out: failed logins, password guessing, clear-text credentials, STARTTLS, open relay, protocol errors, slow replies, TCP trouble',
    (y) => storeReadOptions(optionalFiles(y))
      .option('format', { alias: 'f', choices: ['text', 'ndjson'] as const, default: 'text' as const, describe: 'text: grouped by severity; ndjson: one finding per line' })
      .option('filter', { alias: 'Y', type: 'string', describe: 'display filter: only the sessions it matches are looked at (finding.kind etc. work too)' })
      .option('local-domain', { type: 'string', array: true, default: [] as string[], describe: 'a domain the server accepts mail for (besides those inferred from its greeting and EHLO); repeatable' })
      .option('guessing-threshold', { type: 'number', default: 10, describe: 'failed logins from one client address that make a password-guessing finding' })
      .option('decode-as', { type: 'string', array: true, default: [] as string[], describe: 'PORT=smtp|pop3|imap (PORT=imaps etc. for implicit TLS); repeatable' })
      .option('keylog', { type: 'string', describe: 'NSS key log (SSLKEYLOGFILE format) to decrypt TLS 1.0-1.3 sessions with; default: $SSLKEYLOGFILE' }),
    (argv) => run(async () => (await import('./findings-command.js')).findingsCommand({
      files: (argv.files ?? []) as string[], ...storeArgs(argv), format: argv.format, filter: argv.filter, localDomain: argv['local-domain'],
      threshold: argv['guessing-threshold'], decodeAs: argv['decode-as'], keylog: argv.keylog,
    })),
  )
  .command(
    'fields',
    'list every display-filter field with its type and meaning',
    (y) => y.option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const, describe: 'text: a table; json: an array of {name, type, description, wireshark}' }),
    (argv) => run(async () => (await import('./fields-command.js')).fieldsCommand(argv.format)),
  )
  .command(
    'schema',
    'print the JSON Schema of the session objects that read --format ndjson prints',
    (y) => y,
    () => run(async () => {
      process.stdout.write(readFileSync(new URL('../../../schema/session.schema.json', import.meta.url), 'utf8'));
      return EXIT.ok;
    }),
  )
  .demandCommand(1, 'name a capture file, or a command: see --help')
  .strict()
  .help()
  .alias('h', 'help')
  .version()
  .epilogue('Exit status: 0 ok; 1 usage error; 2 input unreadable (missing, not a capture, unsupported); 3 capture damaged (output holds what was read before the damage).')
  .wrap(Math.min(100, process.stdout.columns ?? 100))
  .parseAsync();
