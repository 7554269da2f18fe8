import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/errors.js';
import type { Frame } from '../../src/capture/frame.js';
import { openCapture } from '../../src/capture/open-capture.js';
import { PcapParser } from '../../src/capture/pcap-parser.js';
import { PcapngParser, SECRETS_TLS_KEYLOG, type CaptureSecrets } from '../../src/capture/pcapng-parser.js';
import { Pcapng, pcapFile, type Rec } from '../helpers/build-captures.js';

const dir = mkdtempSync(join(tmpdir(), 'mailscope-readers-'));
let n = 0;
function file(content: Buffer, name = `f${n++}.cap`): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function readAll(paths: string[]) {
  const input = await openCapture(paths);
  const frames: Frame[] = [];
  for await (const batch of input.batches()) frames.push(...batch);
  return { frames, damage: input.damage, secrets: input.secrets };
}

const recs: Rec[] = [
  { sec: 1714557600, frac: 123456, data: Buffer.from('first') },
  { sec: 1714557601, frac: 999999, data: Buffer.from('second!') },
];
const NS = 1_000_000_000n;

describe('classic pcap', () => {
  for (const bigEndian of [false, true]) {
    it(`reads microsecond files (${bigEndian ? 'big' : 'little'}-endian)`, async () => {
      const { frames, damage } = await readAll([file(pcapFile(recs, { bigEndian }))]);
      expect(damage).toEqual([]);
      expect(frames.map((f) => f.data.toString())).toEqual(['first', 'second!']);
      expect(frames[0].ts).toBe(1714557600n * NS + 123456000n);
      expect(frames.map((f) => f.index)).toEqual([1, 2]);
      expect(frames[0].linkType).toBe(1);
    });

    it(`reads nanosecond files (${bigEndian ? 'big' : 'little'}-endian)`, async () => {
      const { frames } = await readAll([file(pcapFile([{ sec: 1714557600, frac: 123456789, data: Buffer.from('x') }], { bigEndian, nano: true }))]);
      expect(frames[0].ts).toBe(1714557600n * NS + 123456789n);
    });
  }

  it('reads version 2.3, whose record header has the two lengths swapped', async () => {
    const data = Buffer.from('abcdef');
    // Stored as (orig, incl) in 2.3: orig 100 first, then incl 6.
    const f = pcapFile([{ sec: 1, frac: 0, data, incl: 100, orig: 6 }], { version: [2, 3] });
    const { frames, damage } = await readAll([file(f)]);
    expect(damage).toEqual([]);
    expect(frames[0].data.toString()).toBe('abcdef');
    expect(frames[0].origLen).toBe(100);
  });

  it('reads the modified (Kuznetsov) format with its longer record headers', async () => {
    const { frames } = await readAll([file(pcapFile(recs, { modified: true }))]);
    expect(frames.map((f) => f.data.toString())).toEqual(['first', 'second!']);
  });

  it('rejects versions other than 2.x with a clear message', async () => {
    await expect(readAll([file(pcapFile(recs, { version: [9, 4] }))])).rejects.toThrow(/pcap version 9.4 is not 2.0-2.4/);
  });

  it('reports a record longer than the snap length as corrupt, with byte offset and frame number, after the frames before it', async () => {
    const bad: Rec[] = [...recs, { sec: 3, frac: 0, data: Buffer.alloc(10), incl: 0xffffff00 }, { sec: 4, frac: 0, data: Buffer.from('lost') }];
    const started = Date.now();
    const { frames, damage } = await readAll([file(Buffer.concat([pcapFile(bad, { snapLen: 65535 }), Buffer.alloc(8 << 20)]))]);
    expect(Date.now() - started).toBeLessThan(5000); // no buffering behind the bad length
    expect(frames.map((f) => f.data.toString())).toEqual(['first', 'second!']);
    expect(damage).toHaveLength(1);
    expect(damage[0].kind).toBe('corrupt');
    expect(damage[0].frame).toBe(3);
    expect(damage[0].offset).toBe(24 + 16 + 5 + 16 + 7);
    expect(damage[0].message).toMatch(/corrupt at byte 68, frame 3: record length 4294967040 is larger than the snap length 65535/);
  });

  it('reports a file cut inside a record as truncated, keeping every whole frame', async () => {
    const whole = pcapFile(recs);
    for (const cut of [whole.length - 3, whole.length - 7 - 10]) {
      const { frames, damage } = await readAll([file(whole.subarray(0, cut))]);
      expect(frames.map((f) => f.data.toString())).toEqual(['first']);
      expect(damage[0].kind).toBe('truncated');
      expect(damage[0].frame).toBe(2);
    }
  });

  it('reports a file cut inside the file header', async () => {
    const { frames, damage } = await readAll([file(pcapFile(recs).subarray(0, 20))]);
    expect(frames).toEqual([]);
    expect(damage[0].message).toMatch(/file header/);
  });

  it('gives the same frames whatever the chunk boundaries', () => {
    const whole = pcapFile(recs.concat(recs, recs));
    const parse = (sizes: number) => {
      const p = new PcapParser('x');
      const out: Frame[] = [];
      for (let i = 0; i < whole.length; i += sizes) p.push(whole.subarray(i, i + sizes), out);
      p.end();
      return out.map((f) => [f.index, f.ts, f.data.toString()]);
    };
    const reference = parse(whole.length);
    for (const size of [1, 2, 3, 7, 16, 17]) expect(parse(size)).toEqual(reference);
  });

  it('is detected by content, whatever the file name', async () => {
    const { frames } = await readAll([file(pcapFile(recs), 'capture.txt')]);
    expect(frames).toHaveLength(2);
  });

  it('says what a file that is not a capture starts with', async () => {
    await expect(readAll([file(Buffer.from('GIF89a....'))])).rejects.toThrow(/not a capture file: it starts with 47 49 46 38/);
    await expect(readAll([file(Buffer.alloc(0))])).rejects.toThrow(/the file is empty/);
    await expect(readAll([join(dir, 'missing.pcap')])).rejects.toBeInstanceOf(CaptureError);
  });
});

describe('gzip-compressed captures', () => {
  it('are read transparently', async () => {
    const { frames, damage } = await readAll([file(gzipSync(pcapFile(recs)), 'c.pcap.gz')]);
    expect(damage).toEqual([]);
    expect(frames.map((f) => f.data.toString())).toEqual(['first', 'second!']);
  });

  it('report a cut-off compressed stream as truncated', async () => {
    const big = pcapFile(Array.from({ length: 2000 }, (_, i) => ({ sec: i, frac: 0, data: Buffer.alloc(200, i) })));
    const gz = gzipSync(big);
    const { frames, damage } = await readAll([file(gz.subarray(0, gz.length >> 1))]);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThan(2000);
    expect(damage[0].kind).toBe('truncated');
  });
});

describe('pcapng', () => {
  it('reads enhanced packets with the default microsecond resolution', async () => {
    const f = new Pcapng().section().iface(1).epb(0, 1714557600_123456n, Buffer.from('hello')).build();
    const { frames } = await readAll([file(f)]);
    expect(frames[0].ts).toBe(1714557600n * NS + 123456000n);
    expect(frames[0].data.toString()).toBe('hello');
    expect(frames[0].linkType).toBe(1);
  });

  it('honours if_tsresol (powers of 10 and of 2) and if_tsoffset', async () => {
    const f = new Pcapng().section()
      .iface(1, { tsresol: 9 })
      .iface(113, { tsresol: 0x80 | 20, tsoffset: 100n })
      .epb(0, 1714557600_123456789n, Buffer.from('a'))
      .epb(1, 3n << 19n, Buffer.from('b')) // 1.5 seconds in 2^-20 units
      .build();
    const { frames } = await readAll([file(f)]);
    expect(frames[0].ts).toBe(1714557600n * NS + 123456789n);
    expect(frames[1].ts).toBe(101n * NS + 500_000_000n);
    expect(frames[1].linkType).toBe(113);
  });

  it('reads big-endian sections and a change of byte order between sections', async () => {
    const f = new Pcapng()
      .section(true).iface(1).epb(0, 1_000_000n, Buffer.from('be'))
      .section(false).iface(101).epb(0, 2_000_000n, Buffer.from('le'))
      .build();
    const { frames, damage } = await readAll([file(f)]);
    expect(damage).toEqual([]);
    expect(frames.map((x) => [x.data.toString(), x.ts, x.linkType])).toEqual([['be', NS, 1], ['le', 2n * NS, 101]]);
  });

  it('reads simple and obsolete packet blocks, and skips unknown blocks', async () => {
    const f = new Pcapng().section().iface(1)
      .opb(0, 5_000_000n, Buffer.from('old'))
      .block(0x0bad, Buffer.alloc(8))
      .block(0x12345678, Buffer.alloc(4))
      .spb(Buffer.from('simple'))
      .build();
    const { frames } = await readAll([file(f)]);
    expect(frames.map((x) => x.data.toString())).toEqual(['old', 'simple']);
    expect(frames[1].ts).toBe(frames[0].ts); // no timestamp of its own: the previous one
  });

  it('hands TLS key logs from Decryption Secrets Blocks to the caller', async () => {
    const keylog = Buffer.from('CLIENT_RANDOM 00 11\n');
    const f = new Pcapng().section().dsb(SECRETS_TLS_KEYLOG, keylog).iface(1).epb(0, 1n, Buffer.from('x')).build();
    const { secrets } = await readAll([file(f)]);
    expect(secrets).toEqual([{ type: SECRETS_TLS_KEYLOG, data: keylog }]);
    const seen: CaptureSecrets[] = [];
    new PcapngParser('x', (s) => seen.push(s)).push(f, []);
    expect(seen).toHaveLength(1);
  });

  it('reports a trailing length that differs from the leading one', async () => {
    const f = new Pcapng().section().iface(1).epb(0, 1n, Buffer.from('ok'))
      .block(6, Buffer.alloc(24), 999).build();
    const { frames, damage } = await readAll([file(f)]);
    expect(frames).toHaveLength(1);
    expect(damage[0].message).toMatch(/block length 36 and its trailing copy 999 differ/);
  });

  it('reports impossible block lengths and interface numbers', async () => {
    const badLen = new Pcapng().section().raw(Buffer.from([6, 0, 0, 0, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).build();
    expect((await readAll([file(badLen)])).damage[0].message).toMatch(/not a multiple of 4/);
    const badIface = new Pcapng().section().iface(1).epb(3, 1n, Buffer.from('x')).build();
    expect((await readAll([file(badIface)])).damage[0].message).toMatch(/interface 3, but the section describes 1/);
    const capPast = new Pcapng().section().iface(1).epb(0, 1n, Buffer.from('abcd'), 4, 400).build();
    expect((await readAll([file(capPast)])).damage[0].message).toMatch(/runs past the end of its block/);
  });

  it('reports a file cut inside a block as truncated', async () => {
    const f = new Pcapng().section().iface(1).epb(0, 1n, Buffer.from('one')).epb(0, 2n, Buffer.from('two')).build();
    const { frames, damage } = await readAll([file(f.subarray(0, f.length - 5))]);
    expect(frames.map((x) => x.data.toString())).toEqual(['one']);
    expect(damage[0].kind).toBe('truncated');
  });
});

describe('several files as one capture', () => {
  it('merges by timestamp and numbers frames across files', async () => {
    const a = file(pcapFile([1, 3, 5].map((s) => ({ sec: s, frac: 0, data: Buffer.from(`a${s}`) }))));
    const b = file(pcapFile([2, 4, 6].map((s) => ({ sec: s, frac: 0, data: Buffer.from(`b${s}`) }))));
    const { frames } = await readAll([b, a]);
    expect(frames.map((f) => f.data.toString())).toEqual(['a1', 'b2', 'a3', 'b4', 'a5', 'b6']);
    expect(frames.map((f) => f.index)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads a folder (a tcpdump -C ring) in time order, skipping files that are not captures', async () => {
    const ring = join(dir, 'ring');
    mkdirSync(ring);
    // Named so that name order is not time order.
    writeFileSync(join(ring, 'cap1'), pcapFile([{ sec: 20, frac: 0, data: Buffer.from('later') }]));
    writeFileSync(join(ring, 'cap0'), new Pcapng().section().iface(1).epb(0, 10_000_000n, Buffer.from('earlier')).build());
    writeFileSync(join(ring, 'notes.txt'), 'not a capture');
    const { frames } = await readAll([ring]);
    expect(frames.map((f) => f.data.toString())).toEqual(['earlier', 'later']);
  });

  it('keeps reading the other files when one is damaged', async () => {
    const good = file(pcapFile([{ sec: 5, frac: 0, data: Buffer.from('good') }]));
    const cut = file(pcapFile(recs).subarray(0, 24 + 16 + 5 + 4));
    const { frames, damage } = await readAll([good, cut]);
    expect(frames.map((f) => f.data.toString()).sort()).toEqual(['first', 'good']);
    expect(damage).toHaveLength(1);
  });
});
