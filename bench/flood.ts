/**
 * Deterministic generators for the hostile captures a busy MX records
 * (issue 13): floods of tiny sessions, half-open connections, connections
 * left open, and an IMAP COMPRESS=DEFLATE stream that inflates a
 * thousandfold.
 *
 *   node dist/bench/flood.js KIND OUT.pcap [--sessions N] [--seed 1] [--inflate-mb 100]
 *
 * KIND is one of:
 *   tiny       N SMTP sessions that only say hello and goodbye (handshake,
 *              "220 mx.example ESMTP", QUIT, "221 2.0.0 Bye", FIN both ways),
 *              a few at a time, frames 1 to 4 µs apart: a million of them span
 *              about half a minute of capture time, far less than any idle timeout.
 *   half-open  N connections to port 25 that each send a SYN and one data
 *              segment and then nothing ever again: most are one-sided (SYN,
 *              then the client's "EHLO x"), the rest complete the handshake and
 *              get the server's greeting, then the client vanishes.
 *   open       N SMTP connections that do the handshake, greeting and
 *              EHLO / 250 and then stay open (no FIN) to the end of the capture.
 *   compress   one IMAP session on port 143: CAPABILITY, LOGIN, COMPRESS
 *              DEFLATE (RFC 4978), then both directions raw DEFLATE with a sync
 *              flush per write; the server answers a FETCH with short untagged
 *              lines that inflate to --inflate-mb (default 100 MB) from a
 *              capture of about 300 KB.
 *
 * Frames are written as they are made (PcapWriter, with backpressure): no
 * generator holds more than the few sessions in flight. The same kind, count
 * and seed give a byte-identical file (compress: on the same zlib).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { LinkType } from '../src/capture/frame.js';
import { ethernetIPv4Tcp, parseIPv4, type TcpOptionsSpec } from '../src/capture/packet-builder.js';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { TcpFlag } from '../src/net/segment.js';
import { Rng } from './generate.js';

export type FloodKind = 'tiny' | 'half-open' | 'open' | 'compress';
export const FLOOD_KINDS: readonly FloodKind[] = ['tiny', 'half-open', 'open', 'compress'];

export interface FloodOptions {
  out: string;
  kind: FloodKind;
  /** Connections to write (compress: always one). */
  sessions: number;
  seed: number;
  /** compress: bytes the server's untagged lines inflate to (default 100,000,000). */
  inflatedBytes?: number;
}

export interface FloodResult {
  kind: FloodKind;
  /** TCP connections in the file. */
  connections: number;
  frames: number;
  /** File size in bytes. */
  bytes: number;
  /** Capture time from the first frame to the last, in seconds. */
  spanSeconds: number;
  /** compress: plaintext bytes of the server's compressed stream; else 0. */
  inflatedBytes: number;
  /** Wall time the generator took. */
  seconds: number;
}

// ---------------------------------------------------------------------------
// Addresses and TCP

/** 2024-03-12T09:00:00Z in microseconds, as in generate.ts. */
const BASE_US = Date.UTC(2024, 2, 12, 9, 0, 0) * 1000;
const MAX_PAYLOAD = 1448;
const SYN_OPTIONS: TcpOptionsSpec = { mss: 1460, sackPermitted: true, windowScale: 7 };
const SERVER_MAC = Buffer.from('00163e000025', 'hex');
const GATEWAY_MAC = Buffer.from('00005e000101', 'hex');
const MX_IP = parseIPv4('192.0.2.25');
const IMAP_IP = parseIPv4('192.0.2.143');

/** One end of a connection. */
interface Peer {
  ip: Buffer;
  port: number;
  mac: Buffer;
  /** Next sequence number to send (may pass 2^32: the builder wraps it). */
  nxt: number;
  ipId: number;
  ttl: number;
  win: number;
}

const C = 0;
const S = 1;
type Dir = typeof C | typeof S;

/** Builds one connection's frames in order, keeping both sides' sequence numbers. */
class Flow {
  private readonly peers: [Peer, Peer];

  constructor(client: Peer, server: Peer) {
    this.peers = [client, server];
  }

  private frame(from: Dir, flags: number, payload?: Buffer, options?: TcpOptionsSpec): Buffer {
    const me = this.peers[from];
    const peer = this.peers[1 - from];
    const f = ethernetIPv4Tcp({
      src: me.ip,
      dst: peer.ip,
      srcPort: me.port,
      dstPort: peer.port,
      seq: me.nxt,
      ack: flags & TcpFlag.ACK ? peer.nxt : 0,
      flags,
      window: flags & TcpFlag.SYN ? 64240 : me.win,
      payload,
      ipId: me.ipId,
      ttl: me.ttl,
      srcMac: me.mac,
      dstMac: peer.mac,
      options,
    });
    me.ipId = (me.ipId + 1) & 0xffff;
    return f;
  }

  syn(): Buffer {
    const f = this.frame(C, TcpFlag.SYN, undefined, SYN_OPTIONS);
    this.peers[C].nxt += 1;
    return f;
  }

  synAck(): Buffer {
    const f = this.frame(S, TcpFlag.SYN | TcpFlag.ACK, undefined, SYN_OPTIONS);
    this.peers[S].nxt += 1;
    return f;
  }

  ack(from: Dir): Buffer {
    return this.frame(from, TcpFlag.ACK);
  }

  /** The segments of one write, PSH on the last. */
  data(from: Dir, bytes: Buffer): Buffer[] {
    const out: Buffer[] = [];
    for (let off = 0; off < bytes.length; off += MAX_PAYLOAD) {
      const end = Math.min(off + MAX_PAYLOAD, bytes.length);
      out.push(this.frame(from, TcpFlag.ACK | (end === bytes.length ? TcpFlag.PSH : 0), bytes.subarray(off, end)));
      this.peers[from].nxt += end - off;
    }
    return out;
  }

  fin(from: Dir): Buffer {
    const f = this.frame(from, TcpFlag.FIN | TcpFlag.ACK);
    this.peers[from].nxt += 1;
    return f;
  }
}

/**
 * Client addresses: a pool of distinct 10.x.y.z hosts, a few of them busy
 * bots that make a fifth of all connections; each host takes ephemeral ports
 * in turn from its own starting point, as an operating system does, so no
 * 4-tuple comes back within a capture.
 */
class Clients {
  private readonly ips: Buffer[] = [];
  private readonly nextPort: Int32Array;
  private static readonly BOTS = 16;

  constructor(
    private readonly rng: Rng,
    connections: number,
  ) {
    const size = Math.min(65536, Math.max(Clients.BOTS * 2, Math.ceil(connections / 16)));
    const seen = new Set<number>();
    while (this.ips.length < size) {
      const a = rng.int(0, 255);
      const b = rng.int(0, 255);
      const c = rng.int(1, 254);
      const key = (a << 16) | (b << 8) | c;
      if (seen.has(key)) continue;
      seen.add(key);
      this.ips.push(Buffer.from([10, a, b, c]));
    }
    this.nextPort = new Int32Array(size);
    for (let i = 0; i < size; i++) this.nextPort[i] = rng.int(1024, 65535);
  }

  /** A client side with a fresh port and random initial sequence number. */
  next(): Peer {
    const rng = this.rng;
    const i = rng.chance(0.2) ? rng.int(0, Clients.BOTS - 1) : rng.int(Clients.BOTS, this.ips.length - 1);
    const port = this.nextPort[i];
    this.nextPort[i] = port === 65535 ? 1024 : port + 1;
    return { ip: this.ips[i], port, mac: GATEWAY_MAC, nxt: rng.u32(), ipId: rng.int(0, 0xffff), ttl: rng.int(40, 60), win: rng.int(450, 2000) };
  }
}

function serverPeer(rng: Rng, ip: Buffer, port: number): Peer {
  return { ip, port, mac: SERVER_MAC, nxt: rng.u32(), ipId: rng.int(0, 0xffff), ttl: 64, win: rng.int(450, 2000) };
}

// ---------------------------------------------------------------------------
// Writing with a capture clock

/** The writer plus the capture clock: frames a few µs apart, now and then a pause of a few ms. */
class Out {
  private readonly writer: PcapWriter;
  us = BASE_US;
  frames = 0;

  constructor(
    path: string,
    private readonly rng: Rng,
    private readonly pause: number,
  ) {
    this.writer = new PcapWriter(path, { linkType: LinkType.ETHERNET });
  }

  async write(frame: Buffer): Promise<void> {
    this.us += this.rng.chance(this.pause) ? this.rng.int(200, 3000) : this.rng.int(1, 4);
    this.frames++;
    if (!this.writer.write(BigInt(this.us) * 1000n, frame)) await this.writer.drain();
  }

  async close(): Promise<number> {
    await this.writer.close();
    return this.writer.byteCount;
  }
}

/**
 * Writes `count` connections, `concurrency()` of them in flight at a time
 * (re-drawn every few thousand frames), each a short list of frames made when
 * it opens; the next frame comes from a connection picked at random.
 */
async function interleave(out: Out, rng: Rng, count: number, concurrency: () => number, open: () => Buffer[]): Promise<void> {
  const active: { frames: Buffer[]; at: number }[] = [];
  let opened = 0;
  let target = concurrency();
  let retargetAt = out.frames + rng.int(1000, 5000);
  while (opened < count || active.length > 0) {
    if (out.frames >= retargetAt) {
      target = concurrency();
      retargetAt = out.frames + rng.int(1000, 5000);
    }
    while (opened < count && active.length < target) {
      active.push({ frames: open(), at: 0 });
      opened++;
    }
    const i = Math.floor(rng.next() * active.length);
    const conn = active[i];
    await out.write(conn.frames[conn.at++]);
    if (conn.at === conn.frames.length) {
      active[i] = active[active.length - 1];
      active.pop();
    }
  }
}

const enc = (s: string): Buffer => Buffer.from(s, 'latin1');
const GREETING = enc('220 mx.example ESMTP\r\n');
const QUIT = enc('QUIT\r\n');
const BYE = enc('221 2.0.0 Bye\r\n');

/** Greeting, QUIT, Bye; the server closes first, as Postfix does after 221. */
function tinySession(clients: Clients, rng: Rng): Buffer[] {
  const f = new Flow(clients.next(), serverPeer(rng, MX_IP, 25));
  return [f.syn(), f.synAck(), f.ack(C), ...f.data(S, GREETING), ...f.data(C, QUIT), ...f.data(S, BYE), f.fin(S), f.fin(C), f.ack(S)];
}

/** A SYN and one data segment, then silence. */
function halfOpenSession(clients: Clients, rng: Rng): Buffer[] {
  const f = new Flow(clients.next(), serverPeer(rng, MX_IP, 25));
  if (rng.chance(0.7)) {
    // One-sided: the SYN-ACK went another way (or the SYN was spoofed), the client talks anyway.
    const syn = f.syn();
    f.synAck(); // not written: only moves the server's sequence number so the client's ACK field is plausible
    return [syn, ...f.data(C, enc('EHLO x\r\n'))];
  }
  // The handshake completes, the server greets, the client is never heard from again.
  return [f.syn(), f.synAck(), f.ack(C), ...f.data(S, GREETING)];
}

function openSession(clients: Clients, rng: Rng): Buffer[] {
  const client = clients.next();
  const f = new Flow(client, serverPeer(rng, MX_IP, 25));
  const host = `host-10-${client.ip[1]}-${client.ip[2]}-${client.ip[3]}.clients.example.org`;
  return [
    f.syn(),
    f.synAck(),
    f.ack(C),
    ...f.data(S, GREETING),
    ...f.data(C, enc(`EHLO ${host}\r\n`)),
    ...f.data(S, enc('250-mx.example\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n')),
    f.ack(C),
  ];
}

// ---------------------------------------------------------------------------
// IMAP COMPRESS=DEFLATE

const IMAP_CAPS = 'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ AUTH=PLAIN COMPRESS=DEFLATE';
/** The short line the server repeats; with its number fixed it compresses about 400:1. */
export const COMPRESS_LINE = '* 1 FETCH (FLAGS (\\Seen))\r\n';
/** Plaintext per sync flush: one compressed write of a few hundred bytes. */
const FLUSH_PLAIN = 256 * 1024;

/** One raw DEFLATE stream whose writes each end in a sync flush (RFC 4978 3), as a server's or client's would. */
class Deflater {
  private readonly stream = zlib.createDeflateRaw({ level: 9 });
  private readonly pending: Buffer[] = [];

  constructor() {
    this.stream.on('data', (b: Buffer) => this.pending.push(b));
  }

  async write(plain: Buffer): Promise<Buffer> {
    this.stream.write(plain);
    await new Promise<void>((resolve) => this.stream.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
    const out = Buffer.concat(this.pending);
    this.pending.length = 0;
    return out;
  }

  close(): void {
    this.stream.destroy();
  }
}

async function compressSession(out: Out, rng: Rng, inflatedBytes: number): Promise<number> {
  const client: Peer = { ip: parseIPv4('10.20.30.40'), port: rng.int(32768, 60999), mac: GATEWAY_MAC, nxt: rng.u32(), ipId: rng.int(0, 0xffff), ttl: 57, win: 2000 };
  const f = new Flow(client, serverPeer(rng, IMAP_IP, 143));
  /** Server segments the client has not ACKed yet: it ACKs every second one, or with its own next write (delayed ACK). */
  let unacked = 0;
  const put = async (frames: Buffer[]): Promise<void> => {
    unacked = 0;
    for (const fr of frames) await out.write(fr);
  };
  const serverWrite = async (bytes: Buffer): Promise<void> => {
    for (const seg of f.data(S, bytes)) {
      await out.write(seg);
      if (++unacked === 2) {
        await out.write(f.ack(C));
        unacked = 0;
      }
    }
  };
  await put([f.syn(), f.synAck(), f.ack(C)]);
  await serverWrite(enc(`* OK [CAPABILITY ${IMAP_CAPS}] Dovecot (Debian) ready.\r\n`));
  await put(f.data(C, enc('a1 CAPABILITY\r\n')));
  await serverWrite(enc(`* CAPABILITY ${IMAP_CAPS}\r\na1 OK Pre-login capabilities listed, post-login capabilities have more.\r\n`));
  await put(f.data(C, enc('a2 LOGIN alice "correct horse"\r\n')));
  await serverWrite(enc(`a2 OK [CAPABILITY ${IMAP_CAPS} SORT THREAD=REFERENCES UIDPLUS] Logged in\r\n`));
  await put(f.data(C, enc('a3 COMPRESS DEFLATE\r\n')));
  await serverWrite(enc('a3 OK DEFLATE active\r\n'));
  // From here on both directions are raw DEFLATE, each starting right after the OK's CRLF.
  const cz = new Deflater();
  const sz = new Deflater();
  await put(f.data(C, await cz.write(enc('a4 SELECT INBOX\r\n'))));
  await serverWrite(
    await sz.write(enc('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* 1 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1710234000] UIDs valid\r\na4 OK [READ-WRITE] Select completed.\r\n')),
  );
  await put(f.data(C, await cz.write(enc('a5 FETCH 1 (FLAGS)\r\n'))));
  const line = enc(COMPRESS_LINE);
  const perFlush = Math.floor(FLUSH_PLAIN / line.length);
  const chunk = Buffer.alloc(perFlush * line.length);
  for (let i = 0; i < perFlush; i++) line.copy(chunk, i * line.length);
  const lines = Math.ceil(inflatedBytes / line.length);
  let inflated = 0;
  for (let left = lines; left > 0; left -= perFlush) {
    const n = Math.min(left, perFlush);
    const plain = n === perFlush ? chunk : chunk.subarray(0, n * line.length);
    inflated += plain.length;
    await serverWrite(await sz.write(plain));
  }
  const done = enc('a5 OK Fetch completed.\r\n');
  await serverWrite(await sz.write(done));
  await put(f.data(C, await cz.write(enc('a6 LOGOUT\r\n'))));
  const bye = enc('* BYE Logging out\r\na6 OK Logout completed.\r\n');
  await serverWrite(await sz.write(bye));
  inflated += done.length + bye.length;
  cz.close();
  sz.close();
  await put([f.fin(S), f.fin(C), f.ack(S)]);
  return inflated;
}

// ---------------------------------------------------------------------------
// Driver

export async function generateFlood(opts: FloodOptions): Promise<FloodResult> {
  const started = performance.now();
  if (!FLOOD_KINDS.includes(opts.kind)) throw new RangeError(`unknown flood kind: ${opts.kind}`);
  const count = opts.kind === 'compress' ? 1 : opts.sessions;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`sessions must be a positive integer: ${opts.sessions}`);
  // Each kind draws from its own stream, so that one seed gives unrelated files per kind.
  const rng = new Rng((opts.seed ^ Math.imul(FLOOD_KINDS.indexOf(opts.kind) + 1, 0x9e3779b1)) >>> 0);
  const clock = rng.fork();
  const out = new Out(opts.out, clock, opts.kind === 'compress' ? 0.05 : 0.0005);
  const first = out.us;
  let inflatedBytes = 0;
  if (opts.kind === 'compress') {
    inflatedBytes = await compressSession(out, rng, opts.inflatedBytes ?? 100_000_000);
  } else {
    const clients = new Clients(rng.fork(), count);
    const make = opts.kind === 'tiny' ? tinySession : opts.kind === 'half-open' ? halfOpenSession : openSession;
    const concurrency = opts.kind === 'open' ? () => rng.int(50, 300) : () => rng.int(2, 8);
    await interleave(out, rng, count, concurrency, () => make(clients, rng));
  }
  const spanSeconds = (out.us - first) / 1e6;
  const bytes = await out.close();
  return { kind: opts.kind, connections: count, frames: out.frames, bytes, spanSeconds, inflatedBytes, seconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------
// CLI

const USAGE = `usage: node dist/bench/flood.js ${FLOOD_KINDS.join('|')} OUT.pcap [--sessions N] [--seed 1] [--inflate-mb 100]`;

export function parseFloodArgs(argv: readonly string[]): FloodOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { sessions: { type: 'string', default: '1000' }, seed: { type: 'string', default: '1' }, 'inflate-mb': { type: 'string', default: '100' } },
    allowPositionals: true,
  });
  if (positionals.length !== 2) throw new Error(USAGE);
  const kind = positionals[0] as FloodKind;
  if (!FLOOD_KINDS.includes(kind)) throw new Error(`unknown kind ${kind}\n${USAGE}`);
  const sessions = Number(values.sessions);
  const seed = Number(values.seed);
  const inflateMb = Number(values['inflate-mb']);
  if (!Number.isInteger(sessions) || sessions < 1) throw new Error(`--sessions must be a positive integer\n${USAGE}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer\n${USAGE}`);
  if (!(inflateMb > 0)) throw new Error(`--inflate-mb must be positive\n${USAGE}`);
  return { kind, out: positionals[1], sessions, seed, inflatedBytes: Math.round(inflateMb * 1e6) };
}

async function main(): Promise<void> {
  let opts: FloodOptions;
  try {
    opts = parseFloodArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const r = await generateFlood(opts);
  process.stdout.write(
    `${opts.out}: ${r.kind}, ${r.connections} connections, ${r.frames} frames, ${r.bytes} bytes, ` +
      `${r.spanSeconds.toFixed(3)} s of capture time${r.inflatedBytes ? `, inflates to ${r.inflatedBytes} bytes` : ''}, ${r.seconds.toFixed(2)} s\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
