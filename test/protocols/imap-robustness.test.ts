import { describe, expect, it } from 'vitest';
import type { Step } from '../helpers/machine-harness.js';
import { GREETING, MESSAGE, imap, views } from './imap-helpers.js';
import { rng } from '../helpers/rng.js';


const size = Buffer.byteLength(MESSAGE, 'latin1');
/** A conversation touching most of the machine: literals both ways, SASL, IDLE, pipelining. */
const CONVERSATION: [('C' | 'S'), string][] = [
  ['S', GREETING],
  ['C', 'a1 LOGIN {5}\r\n'], ['S', '+ go\r\n'], ['C', 'alice "pw"\r\n'], ['S', '* CAPABILITY IMAP4rev1\r\na1 OK in\r\n'],
  ['C', `a2 APPEND INBOX {${size}+}\r\n${MESSAGE}\r\na3 SELECT INBOX\r\n`], ['S', 'a2 OK\r\n* 1 EXISTS\r\na3 OK [READ-WRITE] sel\r\n'],
  ['C', 'a4 UID FETCH 1 (BODY.PEEK[] FLAGS)\r\n'], ['S', `* 1 FETCH (UID 1 FLAGS () BODY[] {${size}}\r\n${MESSAGE})\r\na4 OK f\r\n`],
  ['C', 'a5 AUTHENTICATE PLAIN\r\n'], ['S', '+ \r\n'], ['C', 'AGFsaWNlAHdvbmRlcmxhbmQ=\r\n'], ['S', 'a5 NO [AUTHENTICATIONFAILED] x\r\n'],
  ['C', 'a6 IDLE\r\n'], ['S', '+ idling\r\n* 2 EXISTS\r\n'], ['C', 'DONE\r\n'], ['S', 'a6 OK\r\n'],
  ['C', 'a7 LOGOUT\r\n'], ['S', '* BYE\r\na7 OK\r\n'],
];

function chopped(n: number): Step[] {
  const steps: Step[] = [];
  for (const [dir, text] of CONVERSATION) for (let i = 0; i < text.length; i += n) steps.push([dir, text.slice(i, i + n)]);
  return steps;
}

describe('imap robustness', () => {
  it('same-conversation-in-any-segmentation-gives-the-same-session', () => {
    const whole = imap(CONVERSATION);
    expect(whole.anomalies).toEqual([]);
    expect(whole.exchanges.map((e) => `${e.command?.verb ?? '-'} ${e.reply?.status ?? '-'}`)).toEqual([
      '- OK', 'LOGIN OK', 'APPEND OK', 'SELECT OK', 'UID FETCH OK', 'AUTHENTICATE NO', 'IDLE OK', 'LOGOUT OK',
    ]);
    for (const n of [1, 2, 3, 5, 7, 64]) {
      const s = imap(chopped(n));
      expect(views(s), `chop ${n}`).toEqual(views(whole));
      expect(s.auth).toEqual(whole.auth);
      expect(s.messages.map((m) => m.sha256)).toEqual(whole.messages.map((m) => m.sha256));
      expect(s.anomalies).toEqual([]);
    }
  });

  it('random-bytes-in-random-splits-never-throw', () => {
    const rand = rng(1);
    for (let round = 0; round < 300; round++) {
      const steps: Step[] = [];
      const n = 1 + Math.floor(rand() * 30);
      for (let i = 0; i < n; i++) {
        const r = rand();
        if (r < 0.08) {
          steps.push(['gap', rand() < 0.5 ? 'C' : 'S', 1 + Math.floor(rand() * 5000)]);
          continue;
        }
        const len = Math.floor(rand() * 200);
        const bytes = Buffer.alloc(len);
        // Bias towards IMAP-ish bytes so the interesting paths are reached.
        const alphabet = Buffer.from('a1* +OK NO BAD {}0123456789~\r\n\r\nFETCH BODY[] LOGIN AUTHENTICATE IDLE DONE APPEND STARTTLS COMPRESS');
        for (let j = 0; j < len; j++) bytes[j] = rand() < 0.8 ? alphabet[Math.floor(rand() * alphabet.length)] : Math.floor(rand() * 256);
        steps.push([rand() < 0.5 ? 'C' : 'S', bytes]);
      }
      const s = imap(steps);
      expect(s.anomalies.filter((a) => a.detail.startsWith('IMAP decoder stopped'))).toEqual([]);
    }
  });

  it('mutated-conversations-with-gaps-never-throw', () => {
    const rand = rng(7);
    for (let round = 0; round < 300; round++) {
      const steps: Step[] = [];
      for (const [dir, text] of CONVERSATION) {
        const buf = Buffer.from(text, 'latin1');
        for (let k = 0; k < 2; k++) if (rand() < 0.2 && buf.length > 0) buf[Math.floor(rand() * buf.length)] = Math.floor(rand() * 256);
        let i = 0;
        while (i < buf.length) {
          const n = 1 + Math.floor(rand() * 40);
          if (rand() < 0.05) steps.push(['gap', dir, n]);
          else steps.push([dir, buf.subarray(i, i + n)]);
          i += n;
        }
      }
      const s = imap(steps);
      expect(s.anomalies.filter((a) => a.detail.startsWith('IMAP decoder stopped'))).toEqual([]);
      for (const m of s.messages) expect(m.size).toBeLessThanOrEqual(size);
    }
  });

  it('hostile-literal-sizes-are-bounded', () => {
    const s = imap([
      ['S', GREETING], ['C', 'a1 FETCH 1 BODY[]\r\n'],
      ['S', '* 1 FETCH (BODY[] {1073741824}\r\n'], ['S', 'x'.repeat(1000)],
    ]);
    expect(s.messages).toEqual([expect.objectContaining({ size: 1000, partial: true })]);
    expect(s.anomalies.map((a) => a.kind)).toEqual(['message.partial', 'reply.missing']);
  });
});
