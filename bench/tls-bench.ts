/**
 * Decrypted throughput: generates a capture of real TLS mail traffic (SMTPS
 * sessions between node's tls client and server on loopback, recorded byte
 * for byte through a TCP proxy, written as Ethernet/IPv4/TCP pcap, with the
 * client's key log beside it; cached in bench/out/), then times
 * `mailscope read --keylog --format ndjson` and, as the reference,
 * `tshark -o tls.keylog_file:... -Y smtp`, each in a fresh process.
 *
 *   node dist/bench/tls-bench.js [--mb 110] [--runs 3] [--tshark-runs 1] [--no-tshark]
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import { LinkType } from '../src/capture/frame.js';
import { ethernetIPv4Tcp, parseIPv4 } from '../src/capture/packet-builder.js';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { TcpFlag } from '../src/net/segment.js';
import { flag, measureCommand as measure, median, outDir, root, type CommandRun as Run } from './common.js';

const mb = flag('mb', 110);
const runs = flag('runs', 3);
const tsharkRuns = flag('tshark-runs', 1);
const withTshark = !process.argv.includes('--no-tshark') && existsSync('/usr/bin/tshark');

/** Connection settings, taken in turn: both versions and the three AEAD families. */
const FLAVOURS: { version: 'TLSv1.2' | 'TLSv1.3'; ciphers: string }[] = [
  { version: 'TLSv1.3', ciphers: 'TLS_AES_256_GCM_SHA384' },
  { version: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256' },
  { version: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' },
  { version: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' },
];
const MESSAGES_PER_SESSION = 8;
const MESSAGE_BYTES = 1 << 20;

interface Chunk { dir: 0 | 1; data: Buffer; ts: bigint }

/** A self-signed certificate for the server, made once with openssl. */
function certificate(): { key: Buffer; cert: Buffer } {
  const key = join(outDir, 'tls-bench.key');
  const cert = join(outDir, 'tls-bench.crt');
  if (!existsSync(cert)) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', '/CN=mail.example.test', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  }
  return { key: execFileSync('cat', [key]), cert: execFileSync('cat', [cert]) };
}

/** A minimal SMTP server over TLS: greeting, a reply per line, DATA read to the lone dot. */
function smtpServer(creds: { key: Buffer; cert: Buffer }, flavour: (typeof FLAVOURS)[number]): tls.Server {
  return tls.createServer({ ...creds, minVersion: flavour.version, maxVersion: flavour.version, ciphers: flavour.ciphers }, (sock) => {
    sock.write('220 mail.example.test ESMTP bench\r\n');
    let buf = Buffer.alloc(0);
    let inData = false;
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          buf = buf.subarray(end + 5);
          inData = false;
          sock.write('250 2.0.0 Ok: queued\r\n');
          continue;
        }
        const i = buf.indexOf('\r\n');
        if (i < 0) return;
        const line = buf.subarray(0, i).toString('latin1');
        buf = buf.subarray(i + 2);
        const verb = line.split(' ')[0].toUpperCase();
        if (verb === 'EHLO') sock.write('250-mail.example.test\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n');
        else if (verb === 'AUTH') sock.write('235 2.7.0 Authentication successful\r\n');
        else if (verb === 'DATA') {
          inData = true;
          sock.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'QUIT') {
          sock.end('221 2.0.0 Bye\r\n');
          return;
        } else sock.write('250 2.1.0 Ok\r\n');
      }
    });
    sock.on('error', () => undefined);
  });
}

/** One recorded SMTPS session: its chunks (in the order the proxy saw them) and the client's key log lines. */
async function recordSession(creds: { key: Buffer; cert: Buffer }, flavour: (typeof FLAVOURS)[number], body: Buffer): Promise<{ chunks: Chunk[]; keylog: string }> {
  const server = smtpServer(creds, flavour);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const chunks: Chunk[] = [];
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const proxy = net.createServer((inbound) => {
    const outbound = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    inbound.on('data', (d: Buffer) => { chunks.push({ dir: 0, data: Buffer.from(d), ts: process.hrtime.bigint() }); outbound.write(d); });
    outbound.on('data', (d: Buffer) => { chunks.push({ dir: 1, data: Buffer.from(d), ts: process.hrtime.bigint() }); inbound.write(d); });
    let ends = 0;
    const end = () => { if (++ends === 2) done(); };
    inbound.on('end', () => { outbound.end(); end(); });
    outbound.on('end', () => { inbound.end(); end(); });
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  let keylog = '';
  const client = tls.connect({
    port: (proxy.address() as net.AddressInfo).port, host: '127.0.0.1', rejectUnauthorized: false,
    minVersion: flavour.version, maxVersion: flavour.version, ciphers: flavour.ciphers, servername: 'mail.example.test',
  });
  client.on('keylog', (line: Buffer) => (keylog += line.toString('latin1')));
  let received = '';
  let waiting: (() => void) | null = null;
  client.on('data', (d: Buffer) => {
    received += d.toString('latin1');
    waiting?.();
  });
  /** Waits for a final reply line (code and space), and forgets what came so far. */
  const reply = async () => {
    while (!/^\d{3} [^\r\n]*\r\n/m.test(received)) await new Promise<void>((r) => (waiting = r));
    received = '';
  };
  await once(client, 'secureConnect');
  await reply();
  const say = async (line: string) => {
    client.write(line + '\r\n');
    await reply();
  };
  await say('EHLO client.example.test');
  await say('AUTH PLAIN ' + Buffer.from('\0alice\0wonderland').toString('base64'));
  for (let m = 0; m < MESSAGES_PER_SESSION; m++) {
    await say('MAIL FROM:<alice@example.test>');
    await say('RCPT TO:<bob@example.test>');
    await say('DATA');
    client.write(body);
    await say('.');
  }
  await say('QUIT');
  client.end();
  await finished;
  client.destroy();
  server.close();
  proxy.close();
  return { chunks, keylog };
}

/** Writes one session as TCP packets (handshake, data in segments of at most 65,000 bytes, FIN both ways). */
function writeSession(w: PcapWriter, index: number, chunks: Chunk[], t0: bigint, base: bigint): void {
  const client = parseIPv4(`10.${1 + (index >> 16) % 200}.${(index >> 8) & 255}.${index & 255}`);
  const server = parseIPv4('192.0.2.25');
  const cport = 40000 + (index % 20000);
  const seq = [1000, 5000];
  const frame = (dir: 0 | 1, flags: number, payload?: Buffer) => ethernetIPv4Tcp({
    src: dir === 0 ? client : server, dst: dir === 0 ? server : client, srcPort: dir === 0 ? cport : 465, dstPort: dir === 0 ? 465 : cport,
    seq: seq[dir], ack: seq[1 - dir], flags, window: 65535, payload, tcpChecksum: false,
  });
  const at = (ts: bigint) => base + (ts - t0);
  const first = at(chunks[0].ts) - 1000n;
  w.write(first - 300n, frame(0, TcpFlag.SYN));
  seq[0]++;
  w.write(first - 200n, frame(1, TcpFlag.SYN | TcpFlag.ACK));
  seq[1]++;
  w.write(first - 100n, frame(0, TcpFlag.ACK));
  let last = first;
  for (const c of chunks) {
    last = at(c.ts);
    for (let p = 0; p < c.data.length; p += 65000) {
      const piece = c.data.subarray(p, p + 65000);
      w.write(last, frame(c.dir, TcpFlag.ACK | TcpFlag.PSH, piece));
      seq[c.dir] = (seq[c.dir] + piece.length) >>> 0;
    }
  }
  w.write(last + 100n, frame(0, TcpFlag.FIN | TcpFlag.ACK));
  seq[0]++;
  w.write(last + 200n, frame(1, TcpFlag.FIN | TcpFlag.ACK));
  seq[1]++;
  w.write(last + 300n, frame(0, TcpFlag.ACK));
}

async function generate(file: string, keys: string): Promise<number> {
  const creds = certificate();
  const line = 'x'.repeat(76) + '\r\n';
  const body = Buffer.from('Subject: bench\r\n\r\n' + line.repeat(Math.ceil(MESSAGE_BYTES / line.length)));
  const w = new PcapWriter(file, { linkType: LinkType.ETHERNET, nanosecond: true });
  let keylog = '';
  let sessions = 0;
  const base = 1_764_000_000_000_000_000n;
  let offset = 0n;
  while (w.byteCount < mb * 1e6) {
    const rec = await recordSession(creds, FLAVOURS[sessions % FLAVOURS.length], body);
    const t0 = rec.chunks[0].ts;
    writeSession(w, sessions, rec.chunks, t0, base + offset);
    offset += rec.chunks.at(-1)!.ts - t0 + 1_000_000n;
    keylog += rec.keylog;
    sessions++;
  }
  await w.close();
  writeFileSync(keys, keylog);
  return sessions;
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `tls-${mb}mb.pcap`);
  const keys = join(outDir, `tls-${mb}mb.keys`);
  if (!existsSync(file) || !existsSync(keys)) {
    process.stderr.write(`generating ${file} (real TLS on loopback) ...\n`);
    const n = await generate(file, keys);
    process.stderr.write(`${n} sessions\n`);
  }
  const bytes = statSync(file).size;
  // Correctness first: every session decrypted, every message seen.
  const check = execFileSync(process.execPath, [join(root, 'bin', 'mailscope.js'), 'read', file, '--keylog', keys, '--format', 'ndjson'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const sessions = check.trim().split('\n').map((l) => JSON.parse(l) as { tls: { decrypted: boolean }; messages: unknown[] });
  const decrypted = sessions.filter((s) => s.tls.decrypted).length;
  const messages = sessions.reduce((n, s) => n + s.messages.length, 0);
  if (decrypted !== sessions.length || messages !== sessions.length * MESSAGES_PER_SESSION) {
    throw new Error(`decryption check failed: ${decrypted} of ${sessions.length} sessions decrypted, ${messages} messages`);
  }
  const rows: Record<string, unknown>[] = [];
  const report = (what: string, rs: Run[]) => {
    const s = median(rs.map((r) => r.seconds));
    const row = { what, seconds: +s.toFixed(2), mbPerS: +(bytes / 1e6 / s).toFixed(1), peakRssMiB: Math.round(Math.max(...rs.map((r) => r.maxRssKiB)) / 1024), runs: rs.length };
    rows.push(row);
    process.stdout.write(`| ${what} | ${row.seconds} | ${row.mbPerS} | ${row.peakRssMiB} MiB |\n`);
  };
  process.stdout.write(`${(bytes / 1e6).toFixed(1)} MB, ${sessions.length} SMTPS sessions (TLS 1.3 AES-256-GCM, AES-128-GCM, ChaCha20; TLS 1.2 AES-256-GCM), ${messages} messages of 1 MiB\n`);
  process.stdout.write('| what | median s | MB/s | peak RSS |\n| --- | --- | --- | --- |\n');
  const env = { ...process.env, SSLKEYLOGFILE: '' };
  const ours = Array.from({ length: runs }, () => measure([process.execPath, join(root, 'bin', 'mailscope.js'), 'read', file, '--keylog', keys, '--format', 'ndjson'], env));
  report('mailscope read --keylog (decrypt + decode)', ours);
  const plain = Array.from({ length: runs }, () => measure([process.execPath, join(root, 'bin', 'mailscope.js'), 'read', file, '--format', 'ndjson'], env));
  report('mailscope read without the key log (TLS metadata only)', plain);
  if (withTshark) {
    const theirs = Array.from({ length: tsharkRuns }, () => measure(['tshark', '-r', file, '-o', `tls.keylog_file:${keys}`, '-Y', 'smtp', '-T', 'fields', '-e', 'smtp.req.command']));
    report(`tshark -o tls.keylog_file -Y smtp`, theirs);
  }
  writeFileSync(join(outDir, 'tls-results.json'), JSON.stringify({ bytes, sessions: sessions.length, messages, rows }, null, 2) + '\n');
}

await main();
