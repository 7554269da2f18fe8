/** The streaming MIME walker: structure, decoding, names, bounds and hostile input. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_PARTS, MimeWalker } from '../../src/protocols/mime.js';
import { decodeWords, parseParams } from '../../src/protocols/mime-words.js';
import { MessageBody } from '../../src/protocols/message-body.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Feeds the message in pieces of `step` bytes (1: byte by byte). */
function walk(text: string | Buffer, step = 7, partial = false) {
  const w = new MimeWalker();
  const data = Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1');
  for (let i = 0; i < data.length; i += step) w.write(data.subarray(i, i + step));
  return { parts: w.finish(partial), walker: w };
}

const crlf = (lines: string[]) => lines.join('\r\n');
const payload = Buffer.from(Array.from({ length: 3000 }, (_v, i) => (i * 7) & 0xff));
const b64 = payload.toString('base64').replace(/.{76}/g, '$&\r\n');

const nested = crlf([
  'From: a@example.com',
  'Subject: =?utf-8?B?SGVsbG8gd8O2cmxk?=',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  'preamble',
  '--outer',
  'Content-Type: multipart/alternative; boundary=inner',
  '',
  '--inner',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'caf=C3=A9 soft=',
  'break',
  '--inner',
  'Content-Type: text/html',
  '',
  '<p>hi</p>',
  '--inner--',
  '--outer',
  'Content-Type: application/octet-stream; name="ignored.bin"',
  'Content-Transfer-Encoding: base64',
  "Content-Disposition: attachment; filename*0*=utf-8''%E2%82%AC; filename*1=\"uro.bin\"",
  '',
  b64,
  '--outer--',
  'epilogue',
  '',
]);

describe('MimeWalker', () => {
  it('walks nested multiparts and decodes quoted-printable and base64 on the fly', () => {
    for (const step of [1, 5, 64, 100000]) {
      const { parts } = walk(nested, step);
      expect(parts.map((p) => p.type)).toEqual(['text/plain', 'text/html', 'application/octet-stream']);
      expect(parts[0]!.size).toBe(Buffer.byteLength('café softbreak'));
      expect(parts[0]!.sha256).toBe(sha(Buffer.from('café softbreak')));
      expect(parts[1]!.sha256).toBe(sha('<p>hi</p>'));
      expect(parts[2]).toMatchObject({ name: '€uro.bin', disposition: 'attachment', encoding: 'base64', size: 3000, sha256: sha(payload) });
    }
  });

  it('reads a message without MIME as one text/plain part (the body after the header)', () => {
    const { parts } = walk('Subject: x\r\n\r\nline 1\r\nline 2\r\n');
    expect(parts).toEqual([{ type: 'text/plain', encoding: '7bit', size: 16, sha256: sha('line 1\r\nline 2\r\n') }]);
  });

  it('marks the part a cut message ends in as partial, keeping what was seen', () => {
    const cut = nested.slice(0, nested.indexOf('--outer--') - 500);
    const { parts } = walk(cut, 13, true);
    expect(parts[2]!.partial).toBe(true);
    expect(parts[2]!.size).toBeGreaterThan(1000);
  });

  it('records garbage in base64 as a problem, and decodes the rest', () => {
    const msg = crlf(['Content-Type: application/pdf', 'Content-Transfer-Encoding: base64', '', 'QUJD', '!!!***', 'REVG', '']);
    const { parts, walker } = walk(msg);
    expect(parts[0]!.sha256).toBe(sha('ABCDEF'));
    expect(walker.problems[0]).toMatch(/outside the alphabet/);
  });

  it('decodes large base64 exactly whatever the line length and the write sizes (quads cut across lines and blocks)', () => {
    const big = Buffer.from(Array.from({ length: 400_003 }, (_v, i) => (i * 31 + (i >> 9)) & 0xff));
    for (const width of [76, 75, 64, 3]) {
      const lines = big.toString('base64').match(new RegExp(`.{1,${width}}`, 'g'))!;
      const msg = crlf(['Content-Type: application/zip', 'Content-Transfer-Encoding: base64', '', ...lines, '']);
      for (const step of [1000, 65536, 1 << 20]) {
        const { parts, walker } = walk(msg, step);
        expect(parts[0]).toMatchObject({ size: big.length, sha256: sha(big) });
        expect(walker.problems).toEqual([]);
      }
    }
  });

  it('decodes base64 as a plain decoder would whatever the line breaks, stray CRs, spaces and padding', () => {
    const big = Buffer.from(Array.from({ length: 200_001 }, (_v, i) => (i * 13 + (i >> 7)) & 0xff));
    const lines = big.toString('base64').match(/.{1,76}/g)!;
    const variants: Record<string, string> = {
      crlf: lines.join('\r\n'),
      'bare LF': lines.join('\n'),
      'a stray CR inside a line': lines.map((l, i) => (i === 900 ? `${l.slice(0, 40)}\r${l.slice(40)}` : l)).join('\r\n'),
      'trailing spaces': lines.join(' \r\n'),
      'padding in the middle': [...lines.slice(0, 1000), 'QQ==', ...lines.slice(1000)].join('\r\n'),
      // Node's decoder reads these two as base64url's 62 and 63; RFC 2045 says skip them.
      'base64url characters': lines.map((l, i) => (i === 700 ? `${l.slice(0, 20)}-${l.slice(20, 60)}_${l.slice(60)}` : l)).join('\r\n'),
      'a byte outside ASCII': lines.map((l, i) => (i === 1200 ? `${l.slice(0, 30)}\u00e9${l.slice(30)}` : l)).join('\r\n'),
      'a whole quad of strays': lines.map((l, i) => (i === 1500 ? `${l}-_-_` : l)).join('\r\n'),
    };
    for (const [name, body] of Object.entries(variants)) {
      // What mailscope has always meant by such text: the alphabet's characters, decoded in order.
      const expected = Buffer.from(body.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
      const msg = crlf(['Content-Type: application/zip', 'Content-Transfer-Encoding: base64', '', body, '']);
      for (const step of [1000, 1 << 20]) {
        const { parts } = walk(msg, step);
        expect(parts[0], name).toMatchObject({ size: expected.length, sha256: sha(expected) });
      }
    }
  });

  it('gives a sink buffers of its own: what it keeps is not overwritten by later blocks', () => {
    const big = Buffer.from(Array.from({ length: 500_000 }, (_v, i) => (i * 7 + (i >> 11)) & 0xff));
    const body = big.toString('base64').match(/.{1,76}/g)!.join('\r\n');
    const kept: Buffer[] = [];
    const w = new MimeWalker(() => ({ write: (data) => kept.push(data), end: () => undefined }));
    const msg = Buffer.from(crlf(['Content-Type: application/zip', 'Content-Transfer-Encoding: base64', '', body, '']), 'latin1');
    for (let i = 0; i < msg.length; i += 100_000) w.write(msg.subarray(i, i + 100_000)); // blocks of many lines each
    w.finish(false);
    expect(kept.length).toBeGreaterThan(1);
    expect(Buffer.concat(kept).equals(big)).toBe(true);
  });

  it('still notices a stray character deep inside a large base64 part, and skips only it', () => {
    const big = Buffer.alloc(300_000, 0x5a);
    const lines = big.toString('base64').match(/.{1,76}/g)!;
    lines.splice(3000, 0, 'QUJD*'); // after about 230 KB of clean lines
    const msg = crlf(['Content-Type: application/pdf', 'Content-Transfer-Encoding: base64', '', ...lines, '']);
    const body = new MessageBody('DATA', 0);
    const data = Buffer.from(msg, 'latin1');
    for (let i = 0; i < data.length; i += 78) body.write(data.subarray(i, i + 78));
    const summary = body.finish(false);
    const expected = Buffer.concat([big.subarray(0, 3000 * 57), Buffer.from('ABC'), big.subarray(3000 * 57)]);
    expect(summary.parts![0]).toMatchObject({ size: expected.length, sha256: sha(expected) });
    expect(summary.mimeProblems![0]).toMatch(/outside the alphabet/);
  });

  it('finishes a never-ending boundary in bounded memory, with a problem', () => {
    const w = new MimeWalker();
    w.write(Buffer.from('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n'));
    const chunk = Buffer.alloc(1 << 20, 'x'); // no line end at all: 64 MiB of one line
    for (let i = 0; i < 64; i++) w.write(chunk);
    const parts = w.finish(false);
    expect(parts[0]!.size).toBe(64 << 20);
    expect(w.problems.join()).toMatch(/never closed/);
  });

  it('lists at most MAX_PARTS parts and counts the rest', () => {
    const many = ['Content-Type: multipart/mixed; boundary=z', ''];
    for (let i = 0; i < 5000; i++) many.push('--z', `Content-Disposition: attachment; filename="f${i}.txt"`, '', 'x');
    many.push('--z--', '');
    const { parts, walker } = walk(crlf(many), 4096);
    expect(parts.length).toBe(MAX_PARTS);
    expect(walker.partsDropped).toBe(5000 - MAX_PARTS);
  });
});

describe('MIME header words and parameters', () => {
  it('decodes RFC 2047 encoded words, joining adjacent ones', () => {
    expect(decodeWords('=?utf-8?B?SGVsbG8=?= =?utf-8?Q?_w=C3=B6rld?=')).toBe('Hello wörld');
    expect(decodeWords('=?iso-8859-1?q?caf=E9?= au lait')).toBe('café au lait');
    expect(decodeWords('plain')).toBe('plain');
  });

  it('decodes RFC 2231 parameters and continuations', () => {
    expect(parseParams("attachment; filename*=utf-8''%E2%82%AC.pdf").params.get('filename')).toBe('€.pdf');
    expect(parseParams('attachment; filename*0="a;b"; filename*1="c.txt"').params.get('filename')).toBe('a;bc.txt');
    expect(parseParams('text/plain; name="x\\"y"; charset=utf-8').params.get('name')).toBe('x"y');
  });
});

describe('MessageBody summary', () => {
  it('adds Cc, the Received count, the decoded subject and the parts', () => {
    const body = new MessageBody('smtp.data', 3);
    body.write(Buffer.from(crlf(['Received: from a', 'Received: from b', '\tby c', 'Cc: c@example.com', nested])));
    const m = body.finish(false);
    expect(m).toMatchObject({ cc: ['c@example.com'], received: 2, subject: '=?utf-8?B?SGVsbG8gd8O2cmxk?=', subjectDecoded: 'Hello wörld' });
    expect(m.parts?.length).toBe(3);
    // The attachment list of ../shared/DESIGN.md: the one part with a file name, pointing back at it.
    expect(m.attachments).toEqual([{ part: 2, name: '€uro.bin', type: 'application/octet-stream', size: 3000, sha256: sha(payload), md5: createHash('md5').update(payload).digest('hex') }]);
  });

  it('splits To and Cc into their addresses, as written', () => {
    const body = new MessageBody('smtp.data', 0);
    body.write(Buffer.from(crlf(['To: "Doe, John" <john@x.test>,', ' jane@y.test', 'Cc: team: a@z.test, b@z.test;', 'Subject: s', '', 'hi', ''])));
    const m = body.finish(false);
    expect(m.to).toEqual(['"Doe, John" <john@x.test>', 'jane@y.test']);
    expect(m.cc).toEqual(['a@z.test', 'b@z.test']);
    expect(m.attachments).toBeUndefined();
  });
});
