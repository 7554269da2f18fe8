/**
 * The SMTP reply-line and enhanced-code readers (written with character
 * codes for speed) read exactly what the regular expressions of RFC 5321
 * 4.2 and RFC 3463 they replace would.
 */
import { describe, expect, it } from 'vitest';
import { enhancedCode, parseReplyLine } from '../../src/protocols/smtp/reply-parser.js';
import { rng } from '../helpers/rng.js';

function byExpression(line: string) {
  const m = /^([0-9]{3})(?:([ -])(.*))?$/s.exec(line);
  return m === null ? null : { code: Number(m[1]), sep: m[2] ?? '', text: m[3] ?? '' };
}

function enhancedByExpression(code: number | undefined, text: string): string | undefined {
  const m = /^([245])\.([0-9]{1,3})\.([0-9]{1,3})(?=[ \t]|$)/.exec(text);
  if (m === null || code === undefined) return undefined;
  return Math.floor(code / 100) === Number(m[1]) ? `${m[1]}.${m[2]}.${m[3]}` : undefined;
}

describe('parseReplyLine and enhancedCode', () => {
  it('read the edge cases as the expressions do', () => {
    const lines = ['220', '220 ', '220-', '220 mx ESMTP', '250-PIPELINING', '22', '2200', '22a x', '', '550\t5.1.1', '421-\r\nx', '٣٣٣ x'];
    for (const l of lines) expect(parseReplyLine(l)).toEqual(byExpression(l));
    const texts = ['5.7.1 Relaying denied', '2.0.0', '4.7.1\tgreylisted', '5.1.10 x', '5.1.1000 x', '5.1.1x', '5..1 x', '3.0.0 x', '5.7', '', '5.123.456 y', '5.1234.1 y'];
    for (const t of texts) for (const c of [undefined, 250, 421, 550, 199]) expect(enhancedCode(c, t)).toBe(enhancedByExpression(c, t));
  });

  it('agree with the expressions on random lines', () => {
    const random = rng(13);
    const int = (n: number) => Math.floor(random() * n);
    const alphabet = '0123456789 -.\t\r\n5a';
    const starts = ['', '2.', '5.', '4.', '250 ', '550-', '2.0.', '5.7.1'];
    for (let i = 0; i < 20_000; i++) {
      let s = starts[int(starts.length)];
      const n = int(10);
      for (let j = 0; j < n; j++) s += alphabet[int(alphabet.length)];
      expect(parseReplyLine(s)).toEqual(byExpression(s));
      const code = [undefined, 250, 450, 550][i % 4];
      expect(enhancedCode(code, s)).toBe(enhancedByExpression(code, s));
    }
  });
});
