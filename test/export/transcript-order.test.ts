/** Transcript lines in wire order, also when the client spoke before the greeting and the 220 shares a segment with the replies. */
import { describe, expect, it } from 'vitest';
import { transcriptLines } from '../../src/export/transcript.js';
import { smtp } from '../protocols/smtp-helpers.js';

describe('transcript order', () => {
  it('puts the greeting first among the server lines of its segment', () => {
    const { session } = smtp([['C', 'EHLO early.example\r\n'], ['S', '220 mx.example ESMTP\r\n500 5.5.1 Error: command not recognized\r\n'], ['C', 'QUIT\r\n'], ['S', '221 Bye\r\n']]);
    const server = transcriptLines(session).filter((l) => l.side === 'S').map((l) => l.text);
    expect(server).toEqual(['220 mx.example ESMTP', '500 5.5.1 Error: command not recognized', '221 Bye']);
    const all = transcriptLines(session).map((l) => `${l.side}: ${l.text}`);
    expect(all.indexOf('C: EHLO early.example')).toBeLessThan(all.indexOf('S: 220 mx.example ESMTP'));
  });
});
