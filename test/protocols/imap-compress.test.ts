import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GREETING, MESSAGE, anomalies, deflatePieces, imap, views } from './imap-helpers.js';

describe('imap COMPRESS=DEFLATE (RFC 4978)', () => {
  it('compress-deflate-both-directions-decoded', async () => {
    const size = Buffer.byteLength(MESSAGE, 'latin1');
    const client = await deflatePieces(['a2 NOOP\r\n', 'a3 FETCH 1 BODY[]\r\n', 'a4 FETCH 1 BODY[]\r\n']);
    // The second FETCH response repeats the first: the server's window must be kept across chunks.
    const server = await deflatePieces([
      '* 1 EXISTS\r\na2 OK NOOP completed\r\n',
      `* 1 FETCH (BODY[] {${size}}\r\n${MESSAGE})\r\na3 OK done\r\n`,
      `* 1 FETCH (BODY[] {${size}}\r\n${MESSAGE})\r\na4 OK done\r\n`,
    ]);
    const s = imap([
      ['S', GREETING], ['C', 'a1 COMPRESS DEFLATE\r\n'], ['S', 'a1 OK DEFLATE active\r\n'],
      ['C', client[0]], ['S', server[0]],
      ['C', client[1]], ['S', server[1].subarray(0, 7)], ['S', server[1].subarray(7)],
      ['C', client[2]], ['S', server[2]],
    ]);
    expect(views(s).slice(1)).toEqual([
      { command: 'a1 COMPRESS DEFLATE', reply: { tag: 'a1', status: 'OK', code: undefined, text: 'DEFLATE active' } },
      { command: 'a2 NOOP', reply: { tag: 'a2', status: 'OK', code: undefined, text: 'NOOP completed' }, untagged: ['* 1 EXISTS'] },
      { command: 'a3 FETCH 1 BODY[]', reply: { tag: 'a3', status: 'OK', code: undefined, text: 'done' }, untagged: [`* 1 FETCH (BODY[] {${size} bytes})`], bodies: [0] },
      { command: 'a4 FETCH 1 BODY[]', reply: { tag: 'a4', status: 'OK', code: undefined, text: 'done' }, untagged: [`* 1 FETCH (BODY[] {${size} bytes})`], bodies: [1] },
    ]);
    expect(s.messages.map((m) => [m.size, m.subject, m.partial])).toEqual([[size, 'hello', false], [size, 'hello', false]]);
    expect(s.anomalies).toEqual([]);
  });

  it('compress-data-in-the-same-segment-as-the-ok', () => {
    const c = zlib.deflateRawSync(Buffer.from('a2 LOGOUT\r\n'), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const sv = zlib.deflateRawSync(Buffer.from('* BYE bye\r\na2 OK\r\n'), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const s = imap([
      ['S', GREETING], ['C', Buffer.concat([Buffer.from('a1 COMPRESS DEFLATE\r\n'), c])],
      ['S', Buffer.concat([Buffer.from('a1 OK go\r\n'), sv])],
    ]);
    expect(s.exchanges.map((e) => `${e.command?.verb} ${e.reply?.status}`)).toEqual(['undefined OK', 'COMPRESS OK', 'LOGOUT OK']);
    expect(s.exchanges[2].untagged).toEqual(['* BYE bye']);
  });

  it('compress-refused-stays-clear-text', () => {
    const s = imap([['S', GREETING], ['C', 'a1 COMPRESS DEFLATE\r\n'], ['S', 'a1 NO [COMPRESSIONACTIVE] already\r\n'], ['C', 'a2 NOOP\r\n'], ['S', 'a2 OK\r\n']]);
    expect(s.exchanges.map((e) => e.reply?.code ?? e.reply?.status)).toEqual(['CAPABILITY', 'COMPRESSIONACTIVE', 'OK']);
  });

  it('compress-inflate-error-stops-that-direction', () => {
    const c = zlib.deflateRawSync(Buffer.from('a2 NOOP\r\n'), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const s = imap([
      ['S', GREETING], ['C', 'a1 COMPRESS DEFLATE\r\n'], ['S', 'a1 OK\r\n'],
      ['C', c], ['S', Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0x00, 0x01])], ['S', 'a2 OK\r\n'],
    ]);
    expect(s.exchanges.map((e) => e.command?.verb ?? null)).toEqual([null, 'COMPRESS', 'NOOP']);
    expect(s.exchanges[2].reply).toBeNull();
    expect(anomalies(s)).toEqual([['compress.error', 'server DEFLATE stream: invalid DEFLATE data; no further responses decoded']]);
  });

  it('compress-gap-stops-that-direction', () => {
    const c = zlib.deflateRawSync(Buffer.from('a2 NOOP\r\n'), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const s = imap([['S', GREETING], ['C', 'a1 COMPRESS DEFLATE\r\n'], ['S', 'a1 OK\r\n'], ['gap', 'C', 100], ['C', c]]);
    expect(s.exchanges.length).toBe(2);
    expect(anomalies(s)).toEqual([
      ['compress.error', '100 bytes of the compressed client stream are missing: cannot inflate past a gap; no further commands decoded'],
    ]);
  });
});
