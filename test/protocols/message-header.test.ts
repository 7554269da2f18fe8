/**
 * The header a message summary keeps: every field in order, whatever the
 * write boundaries, and the summary's fields found past the 64 KiB bound.
 */
import { describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES, MessageBody } from '../../src/protocols/message-body.js';

/** The summary of a message written in pieces of `step` bytes. */
function summarise(message: string, step: number) {
  const body = new MessageBody('smtp.data', 0);
  const bytes = Buffer.from(message, 'latin1');
  for (let i = 0; i < bytes.length; i += step) body.write(bytes.subarray(i, i + step));
  return body.finish(false);
}

describe('message headers', () => {
  const header = 'Received: from a\r\n\tby b; Wed, 25 Nov 2026 12:00:00 +0000\r\nReceived: from c\r\nFrom: Alice <a@example.test>\r\n' +
    'To: bob@example.test,\r\n carol@example.test\r\nSubject: hi\r\nX-Spam-Flag: NO\r\n\r\n';
  const message = header + 'body\r\n\r\nmore\r\n';

  it('keeps every field in order, unfolded, with names as written, whatever the write boundaries', () => {
    const expected = [
      ['Received', 'from a by b; Wed, 25 Nov 2026 12:00:00 +0000'], ['Received', 'from c'], ['From', 'Alice <a@example.test>'],
      ['To', 'bob@example.test, carol@example.test'], ['Subject', 'hi'], ['X-Spam-Flag', 'NO'],
    ];
    // Every split point: one of them puts a folded line's CRLF at the end of one write and its tab at the start of the next.
    for (let step = 1; step <= message.length; step++) {
      const s = summarise(message, step);
      expect(s.headers, `written ${step} bytes at a time`).toEqual(expected);
      expect(s.subject).toBe('hi');
      expect(s.received).toBe(2);
      expect(s.headersCut).toBeUndefined();
    }
  });

  it('finds From and Subject after a header longer than the bound, and other fields within an allowance', () => {
    const padding = Array.from({ length: 2000 }, (_, i) => `Received: from relay${i}.example.test by mx.example.test; Wed, 25 Nov 2026 12:00:00 +0000\r\n`).join('');
    expect(padding.length).toBeGreaterThan(MAX_HEADER_BYTES);
    const s = summarise(`${padding}From: late@example.test\r\nSubject: found\r\nMIME-Version: 1.0\r\n\r\nbody\r\n`, 1460);
    expect(s.headersCut).toBe(true);
    expect(s.from).toBe('late@example.test');
    expect(s.subject).toBe('found');
    expect(s.headers).toContainEqual(['From', 'late@example.test']);
    expect(s.headers).toContainEqual(['Subject', 'found']);
    // The Received lines past the bound used up the allowance for other fields: MIME-Version is not kept.
    expect(s.headers).not.toContainEqual(['MIME-Version', '1.0']);
    const short = summarise(`${padding.slice(0, MAX_HEADER_BYTES + 200)}\r\nMIME-Version: 1.0\r\n\r\nbody\r\n`, 1460);
    expect(short.headers).toContainEqual(['MIME-Version', '1.0']);
    // What is kept stays bounded: the padding past the bound is counted out, not kept.
    expect(JSON.stringify(s.headers).length).toBeLessThan(MAX_HEADER_BYTES + 32 * 1024);
  });

  it('keeps no more than the bound of other fields past it, however many there are', () => {
    const padding = 'X-Pad: ' + 'p'.repeat(MAX_HEADER_BYTES) + '\r\n';
    const hostile = Array.from({ length: 50_000 }, (_, i) => `X-${i}: v\r\n\t${'c'.repeat(60)}\r\n`).join('');
    const s = summarise(`${padding}${hostile}Subject: still found\r\n\r\n`, 4096);
    expect(s.subject === 'still found' || s.headersCut).toBe(true);
    expect(JSON.stringify(s.headers).length).toBeLessThan(MAX_HEADER_BYTES + 40 * 1024);
  });
});
