/**
 * The MIME parser decision in numbers (see the header of src/protocols/mime.ts):
 * one large message with a base64 attachment, as SMTP DATA delivers it in
 * TCP-sized pieces, walked
 *  - by our MimeWalker, through MessageBody exactly as the protocol machines
 *    feed it (synchronously, raw SHA-256 and MIME structure together), and
 *  - by @zone-eu/mailsplit, the maintained streaming splitter behind
 *    mailparser, with each leaf decoded by the node's own decoder stream,
 *    plus the raw SHA-256 we also compute.
 * Both must give the attachment's known SHA-256, or the bench fails.
 * Medians of --runs runs in this process, after one warm-up run of each.
 *
 *   node dist/bench/mime-compare.js [--mib 60] [--runs 5]
 */
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Splitter } from '@zone-eu/mailsplit';
import type { SplitterChunk } from '@zone-eu/mailsplit/lib/types.js';
import { MessageBody } from '../src/protocols/message-body.js';
import { flag, median } from './common.js';

const mib = flag('mib', 60);
const runs = flag('runs', 5);

/** Deterministic bytes (xorshift32), so every run and machine measures the same message. */
function pseudoRandom(length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = 0x2545f491;
  for (let i = 0; i + 4 <= length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  return out;
}

const attachment = pseudoRandom(mib * 1024 * 1024);
const want = createHash('sha256').update(attachment).digest('hex');
const message = Buffer.from([
  'From: sender@example.test',
  'To: rcpt@example.test',
  'Subject: mime-compare',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'The attachment follows.',
  '--b1',
  'Content-Type: application/octet-stream; name="data.bin"',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment; filename="data.bin"',
  '',
  attachment.toString('base64').replace(/.{76}/g, '$&\r\n'),
  '--b1--',
  '',
].join('\r\n'), 'latin1');
/** As TCP segments of a loopback or Ethernet capture bring it. */
const pieces: Buffer[] = [];
for (let at = 0; at < message.length; at += 1448) pieces.push(message.subarray(at, at + 1448));

function ours(): string[] {
  const body = new MessageBody('smtp.data', 0);
  for (const p of pieces) body.write(p);
  return (body.finish(false).parts ?? []).map((p) => p.sha256);
}

async function mailsplit(): Promise<string[]> {
  const raw = createHash('sha256');
  const parts: Promise<string>[] = [];
  let decoder: NodeJS.ReadWriteStream | null = null;
  const splitter = new Splitter();
  const sink = new Writable({
    objectMode: true,
    write(chunk: SplitterChunk, _enc, done) {
      if (!('value' in chunk)) {
        decoder?.end();
        decoder = null;
        if (!chunk.multipart) {
          const d = chunk.getDecoder();
          const h = createHash('sha256');
          d.on('data', (b: Buffer) => h.update(b));
          parts.push(new Promise((resolve) => d.on('end', () => resolve(h.digest('hex')))));
          decoder = d;
        }
      } else if (chunk.type === 'body' && decoder) {
        decoder.write(chunk.value);
      }
      done();
    },
    final(done) {
      decoder?.end();
      done();
    },
  });
  const source = Readable.from(pieces, { objectMode: false });
  source.on('data', (b: Buffer) => raw.update(b));
  await pipeline(source, splitter, sink);
  return Promise.all(parts);
}

async function time(run: () => string[] | Promise<string[]>): Promise<number> {
  const t = performance.now();
  const hashes = await run();
  const ms = performance.now() - t;
  if (!hashes.includes(want)) throw new Error(`${run.name}: the attachment's SHA-256 is not among ${hashes.join(', ')}`);
  return ms / 1000;
}

await time(ours);
await time(mailsplit);
const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < runs; i++) {
  a.push(await time(ours));
  b.push(await time(mailsplit));
}
const mb = message.length / 1e6;
const row = (label: string, s: number) => `| ${label} | ${s.toFixed(3)} | ${(mb / s).toFixed(0)} |`;
process.stdout.write([
  `${mb.toFixed(1)} MB message, a ${mib} MiB base64 attachment, in 1448-byte pieces; medians of ${runs} runs:`,
  '| parser | median s | MB/s |',
  '| --- | --- | --- |',
  row('mailscope MimeWalker (through MessageBody, synchronous)', median(a)),
  row('@zone-eu/mailsplit 5.4.30 + its decoder streams', median(b)),
  `ratio (time): mailsplitOverOurs ${(median(b) / median(a)).toFixed(2)}`,
  '',
].join('\n'));
