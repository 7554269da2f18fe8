/**
 * The bounds that keep decoding cost proportional to what reaches the user:
 * the COMPRESS=DEFLATE inflate bound, untagged lines past an exchange's
 * bound counted as bytes, responses that answer no command and continuation
 * floods counted, not kept. The compressed streams are real zlib output.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ImapMachine } from '../../src/protocols/imap/index.js';
import { INFLATE_LIMIT, INFLATE_RATIO, type ImapOptions } from '../../src/protocols/imap/machine.js';
import type { Session } from '../../src/session/model.js';
import { runMachine, type Step } from '../helpers/machine-harness.js';
import { GREETING, anomalies } from './imap-helpers.js';

const sync = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
const FLAGS = '* 1 FETCH (FLAGS (\\Seen))\r\n'; // 27 bytes, compresses some 400:1

function imapWith(options: ImapOptions, steps: Step[]): Session {
  return runMachine('imap', (r) => new ImapMachine(r, options), steps).session;
}

/** COMPRESS negotiated, then the client's and the server's compressed streams in pieces of `piece` bytes. */
function compressed(client: string, server: string | Buffer, piece = 1000): Step[] {
  const steps: Step[] = [['S', GREETING], ['C', 'a1 COMPRESS DEFLATE\r\n'], ['S', 'a1 OK DEFLATE active\r\n']];
  steps.push(['C', zlib.deflateRawSync(Buffer.from(client, 'latin1'), sync)]);
  const s = zlib.deflateRawSync(typeof server === 'string' ? Buffer.from(server, 'latin1') : server, sync);
  for (let i = 0; i < s.length; i += piece) steps.push(['S', s.subarray(i, i + piece)]);
  return steps;
}

describe('imap COMPRESS=DEFLATE inflate bound', () => {
  it('stops inflating a direction at the bound: one compress.limit, what came before decoded, the rest counted', () => {
    const limit = 27 * 2000 + 10; // the bound falls inside line 2001
    const s = imapWith({ inflateLimit: limit }, compressed('a2 FETCH 1:* (FLAGS)\r\n', FLAGS.repeat(5000) + 'a2 OK done\r\n', 50));
    const fetch = s.exchanges[2];
    expect(fetch.command?.verb).toBe('FETCH');
    expect(fetch.reply).toBeNull(); // its completion lay past the bound
    expect(fetch.untagged).toHaveLength(1000);
    expect(fetch.untagged![999]).toBe('… 1001 more untagged responses not kept'); // 2000 whole lines: 999 kept, 1001 counted
    const a = anomalies(s);
    expect(a).toHaveLength(1); // no reply.missing: the server's side was not decoded to its end
    expect(a[0][0]).toBe('compress.limit');
    expect(a[0][1]).toMatch(new RegExp(
      `^server COMPRESS=DEFLATE stream reached the inflate bound at ${limit} bytes \\(\\d+ compressed; the bound is ${limit} bytes or ${INFLATE_RATIO} times the compressed bytes, whichever is more\\): `
      + 'not inflated further, no further responses decoded; \\d+ compressed bytes after it not decoded$'));
    const after = Number(/; (\d+) compressed bytes after it/.exec(a[0][1])![1]);
    const total = zlib.deflateRawSync(Buffer.from(FLAGS.repeat(5000) + 'a2 OK done\r\n'), sync).length;
    const before = Number(/\((\d+) compressed;/.exec(a[0][1])![1]);
    expect(before + after).toBe(total); // every compressed byte is either inflated or counted
  });

  it('counts the segments and gaps of a stopped direction that come after the bound', () => {
    const steps = compressed('a2 FETCH 1:* (FLAGS)\r\n', FLAGS.repeat(3000));
    const bare = imapWith({ inflateLimit: 4096 }, steps);
    const more = imapWith({ inflateLimit: 4096 }, [...steps, ['S', Buffer.alloc(300, 7)], ['gap', 'S', 200]]);
    const after = (s: Session) => Number(/; (\d+) compressed bytes after it/.exec(anomalies(s).find(([k]) => k === 'compress.limit')![1])![1]);
    expect(after(more)).toBe(after(bare) + 500);
    expect(anomalies(more).map(([k]) => k)).toEqual(['compress.limit']); // no compress.error for the gap: nothing was being inflated
  });

  it('bounds the client direction too', () => {
    // A ratio of 1, so that the fixed 900 bytes is the bound however well the commands compress.
    const s = imapWith({ inflateLimit: 900, inflateRatio: 1 }, compressed('a2 NOOP\r\n'.repeat(1000), ''));
    expect(s.exchanges.filter((e) => e.command?.verb === 'NOOP')).toHaveLength(100); // 900 bytes: 100 whole commands
    const limits = anomalies(s).filter(([k]) => k === 'compress.limit');
    expect(limits).toHaveLength(1);
    expect(limits[0][1]).toMatch(/^client COMPRESS=DEFLATE stream reached the inflate bound at 900 bytes \(\d+ compressed; the bound is 900 bytes or 1 times .* no further commands decoded; \d+ compressed bytes after it not decoded$/);
  });

  it('lets a stream that compresses like mail through, however small the fixed bound (the ratio term)', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `* ${i + 1} FETCH (UID ${createHash('sha256').update(String(i)).digest('hex').slice(0, 12)} FLAGS (\\Seen))\r\n`).join('');
    const s = imapWith({ inflateLimit: 1024 }, compressed('a2 FETCH 1:* (UID FLAGS)\r\n', lines + 'a2 OK done\r\n'));
    expect(s.anomalies).toEqual([]);
    expect(s.exchanges[2].reply?.status).toBe('OK');
    expect(s.exchanges[2].untagged).toHaveLength(300);
  });

  it('by default stops at 64 MiB when the stream compresses more than 32:1', () => {
    expect(INFLATE_LIMIT).toBe(64 * 1024 * 1024);
    expect(INFLATE_RATIO).toBe(32);
    const lines = Math.ceil((INFLATE_LIMIT + 1_000_000) / FLAGS.length);
    const s = imapWith({}, compressed('a2 FETCH 1:* (FLAGS)\r\n', Buffer.from(FLAGS.repeat(lines)), 1448));
    const a = anomalies(s);
    expect(a.map(([k]) => k)).toEqual(['compress.limit']);
    expect(a[0][1]).toContain(`at ${INFLATE_LIMIT} bytes`);
    expect(s.exchanges[2].untagged![999]).toBe(`… ${Math.floor(INFLATE_LIMIT / FLAGS.length) - 999} more untagged responses not kept`);
  });
});

describe('imap: floods counted, not kept', () => {
  it('skips counted untagged lines as bytes, exactly as reading them would (BYE, literals, bare LF, the completion still seen)', () => {
    const server = FLAGS.repeat(1500)
      + '* 2 FETCH (BODY[] {7}\r\nSubj: x)\r\n'
      + FLAGS.repeat(10)
      + '* 3 EXPUNGE\n'
      + '* 4 EXISTS\r\n'
      + '* bye\r\n' // not BYE: the status is the word after the tag
      + '* BYE server shutting down\r\n'
      + FLAGS.repeat(10)
      + 'a2 OK done\r\n';
    const steps = (pieces: string[]): Step[] => [
      ['S', GREETING], ['C', 'a2 FETCH 1:* (FLAGS)\r\n'], ...pieces.map((p): Step => ['S', p]),
    ];
    const whole = runMachine('imap', (r) => new ImapMachine(r), steps([server])).session;
    // One byte at a time no line is ever whole in one chunk, so every line is read as text: the reference.
    const bytewise = runMachine('imap', (r) => new ImapMachine(r), steps(server.split(''))).session;
    const strip = (s: Session) => JSON.parse(JSON.stringify(s.exchanges, (k, v) => (k === 'ts' || k === 'frame' ? undefined : v)));
    expect(strip(whole)).toEqual(strip(bytewise));
    expect(anomalies(whole)).toEqual(anomalies(bytewise));
    expect(whole.messages.length).toBe(1);
    const fetch = whole.exchanges[1];
    expect(fetch.reply?.status).toBe('OK');
    expect(fetch.untagged![999]).toBe(`… ${1500 + 1 + 10 + 4 + 10 - 999} more untagged responses not kept`);
    expect(anomalies(whole).map(([k]) => k)).toEqual(['line.bare_lf']);
  });

  it('keeps 100 responses that answer no command, then counts them in one reply.truncated', () => {
    const s = runMachine('imap', (r) => new ImapMachine(r), [['S', GREETING], ['S', 'zz OK nothing\r\n'.repeat(150)], ['S', '+ go\r\n'.repeat(30)]]).session;
    expect(s.exchanges).toHaveLength(101);
    const a = anomalies(s);
    expect(a.filter(([k]) => k === 'reply.unexpected')).toHaveLength(100);
    expect(a.filter(([k]) => k === 'reply.truncated')).toEqual([
      ['reply.truncated', 'more than 100 responses answered no command: the rest were counted, not kept (80 not kept)'],
    ]);
  });

  it('keeps 1000 continuation requests per command, then counts them', () => {
    const s = runMachine('imap', (r) => new ImapMachine(r), [
      ['S', GREETING], ['C', 'a2 IDLE\r\n'], ['S', '+ idling\r\n'.repeat(1200)], ['C', 'DONE\r\n'], ['S', 'a2 OK IDLE done\r\n'],
    ]).session;
    const idle = s.exchanges[1];
    expect(idle.reply?.status).toBe('OK');
    expect(idle.interim).toHaveLength(1000);
    expect(anomalies(s)).toEqual([
      ['reply.truncated', 'more than 1000 continuation requests for one command: the rest were counted, not kept (200 not kept)'],
    ]);
  });
});
