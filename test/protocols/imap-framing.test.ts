import { describe, expect, it } from 'vitest';
import { ImapFramer, type FramerEvent } from '../../src/protocols/imap/framer.js';
import { parseLiteralMarker, renderLiteral, splitArgs } from '../../src/protocols/imap/literal.js';
import { isMessageLiteral, parseStatusLine } from '../../src/protocols/imap/response.js';
import { parseCommandStart } from '../../src/protocols/imap/commands.js';

function drain(f: ImapFramer): FramerEvent[] {
  const out: FramerEvent[] = [];
  for (let ev = f.next(); ev !== null; ev = f.next()) out.push(ev);
  return out;
}

describe('imap literal markers', () => {
  it('marker-forms', () => {
    expect(parseLiteralMarker('a APPEND x {12}')).toEqual({ marker: { size: 12, sync: true, binary: false, start: 11 } });
    expect(parseLiteralMarker('a APPEND x {12+}')).toEqual({ marker: { size: 12, sync: false, binary: false, start: 11 } });
    expect(parseLiteralMarker('a APPEND x ~{12}')).toEqual({ marker: { size: 12, sync: true, binary: true, start: 11 } });
    expect(parseLiteralMarker('* OK {not a literal}')).toBeNull();
    expect(parseLiteralMarker('* OK {12} in the middle')).toBeNull();
    expect(parseLiteralMarker('x {1073741825}')).toEqual({ bad: 'literal size 1073741825 is beyond the 1073741824-byte bound' });
  });
  it('render-and-split', () => {
    expect(renderLiteral({ size: 3, data: Buffer.from('a"b'), message: false, missing: 0 })).toBe('"a\\"b"');
    expect(renderLiteral({ size: 3, data: Buffer.from('a\0b'), message: false, missing: 0 })).toBe('{3 bytes}');
    expect(splitArgs(['alice "pass word" x']).map((a) => a.value)).toEqual(['alice', 'pass word', 'x']);
  });
  it('status-lines-and-commands', () => {
    expect(parseStatusLine('a1 ok [ALERT] look')).toEqual({ tag: 'a1', status: 'OK', code: 'ALERT', text: 'look' });
    expect(parseStatusLine('* 5 EXISTS')).toBeNull();
    expect(parseCommandStart('x uid Fetch 1 (UID)')).toEqual({ tag: 'x', verb: 'UID FETCH', word: 'uid Fetch', rest: '1 (UID)' });
    expect(isMessageLiteral('* 3 FETCH (UID 4 BODY[]<0>', '* 3 FETCH (UID 4 BODY[]<0> ')).toBe(true);
    expect(isMessageLiteral('* 3 FETCH (RFC822', '* 3 FETCH (RFC822 ')).toBe(true);
    expect(isMessageLiteral('* 3 FETCH (ENVELOPE (', '* 3 FETCH (ENVELOPE (')).toBe(false);
  });
});

describe('imap framer', () => {
  it('lines-then-literal-then-rest', () => {
    const f = new ImapFramer();
    f.push(Buffer.from('* 1 FETCH (BODY[] {5}\r\nab'), 1n, 1);
    const first = drain(f);
    expect(first.map((e) => e.kind)).toEqual(['line']);
    f.startLiteral(5);
    f.push(Buffer.from('cde)\r\n'), 2n, 2);
    const rest = drain(f);
    expect(rest).toEqual([
      // Literal octets are handed on as they are there (here both segments at once, with the later frame).
      { kind: 'literal', data: Buffer.from('abcde'), ts: 2n, frame: 2, left: 0 },
      expect.objectContaining({ kind: 'line', text: ')', ending: 'crlf', marker: null }),
    ]);
  });
  it('bytes-before-a-gap-are-read-before-the-gap-applies', () => {
    const f = new ImapFramer();
    f.push(Buffer.from('a1 NOOP\r\na2 NO'), 1n, 1);
    f.gap(7, 2n, 2);
    f.push(Buffer.from('OP\r\na3 NOOP\r\n'), 3n, 3);
    const evs = drain(f);
    expect(evs.map((e) => (e.kind === 'line' ? `${e.text}${e.afterGap ? ' (after gap)' : ''}` : `${e.kind}`))).toEqual([
      'a1 NOOP', 'gap', 'OP (after gap)', 'a3 NOOP (after gap)',
    ]);
    expect(evs[1]).toMatchObject({ kind: 'gap', length: 7, lineDropped: 5, lost: true });
  });
});
