/**
 * Robustness: random conversations made of SMTP fragments and random bytes,
 * split at random places, with random gaps. Nothing may throw, and the
 * machine's own guard (an "internal error" anomaly) must never fire.
 */
import { describe, expect, it } from 'vitest';
import type { Step } from '../helpers/machine-harness.js';
import { smtp } from './smtp-helpers.js';
import { rng } from '../helpers/rng.js';


const CLIENT = ['EHLO x\r\n', 'MAIL FROM:<a@b>\r\n', 'RCPT TO:<c@d>\r\n', 'DATA\r\n', 'BDAT 7\r\n', 'BDAT 3 LAST\r\n', 'BDAT 0 LAST\r\n', 'BDAT x\r\n',
  'AUTH LOGIN\r\n', 'AUTH PLAIN AGEAYg==\r\n', '*\r\n', 'YWxpY2U=\r\n', 'STARTTLS\r\n', 'QUIT\r\n', 'RSET\r\n', '.\r\n', '..x\r\n', 'Subject: s\r\n', '\r\n', '\n', '\r', '.', 'x'.repeat(300)];
const SERVER = ['220 hi\r\n', '250 ok\r\n', '250-a\r\n', '250 b\r\n', '354 go\r\n', '334 VXNlcm5hbWU6\r\n', '235 ok\r\n', '535 5.7.8 no\r\n', '501 x\r\n',
  '554 5.7.1 no\r\n', '421 bye\r\n', '220 2.0.0 go TLS\r\n', '221 bye\r\n', 'garbage\r\n', '2', '50', '\n', '999 odd\r\n'];

function randomBytes(r: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

function conversation(seed: number): Step[] {
  const r = rng(seed);
  const steps: Step[] = [];
  const n = 5 + Math.floor(r() * 60);
  for (let i = 0; i < n; i++) {
    const x = r();
    const dir = r() < 0.5 ? 'C' : 'S';
    if (x < 0.06) {
      steps.push(['gap', dir, 1 + Math.floor(r() * 200)]);
    } else if (x < 0.14) {
      steps.push([dir, randomBytes(r, 1 + Math.floor(r() * 64))]);
    } else {
      const pool = dir === 'C' ? CLIENT : SERVER;
      let text = '';
      const k = 1 + Math.floor(r() * 4);
      for (let j = 0; j < k; j++) text += pool[Math.floor(r() * pool.length)];
      // Random split of the fragment into segments.
      let at = 0;
      while (at < text.length) {
        const len = 1 + Math.floor(r() * (text.length - at));
        steps.push([dir, text.slice(at, at + len)]);
        at += len;
      }
    }
  }
  return steps;
}

describe('SMTP machine robustness', () => {
  it('random conversations never throw and never hit the internal-error guard', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const steps = conversation(seed);
      const { session } = smtp(steps);
      const internal = session.anomalies.filter((a) => a.detail.startsWith('internal error'));
      expect(internal, `seed ${seed}`).toEqual([]);
      for (const m of session.messages) expect(m.exchange, `seed ${seed}`).toBeLessThan(session.exchanges.length);
      for (const a of session.auth) expect(a.exchange, `seed ${seed}`).toBeLessThan(session.exchanges.length);
      for (const e of session.exchanges) for (const b of e.bodies ?? []) expect(b.message).toBeLessThan(session.messages.length);
    }
  });

  it('pure random bytes both ways', () => {
    const r = rng(42);
    for (let i = 0; i < 300; i++) {
      const steps: Step[] = [];
      for (let j = 0; j < 20; j++) steps.push([r() < 0.5 ? 'C' : 'S', randomBytes(r, Math.floor(r() * 300))]);
      const { session } = smtp(steps);
      expect(session.anomalies.filter((a) => a.detail.startsWith('internal error'))).toEqual([]);
    }
  });

  it('the same conversation gives the same session however it is split', () => {
    const text = 'EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n';
    const reply = '220 hi\r\n250-a\r\n250 b\r\n250 ok\r\n250 ok\r\n354 go\r\n';
    const body = 'Subject: s\r\n\r\n..dot\r\n.\r\nQUIT\r\n';
    const whole = smtp([['S', reply.slice(0, 8)], ['C', text], ['S', reply.slice(8)], ['C', body], ['S', '250 queued\r\n221 bye\r\n']]).session;
    for (let n = 1; n <= 7; n++) {
      const chop = (s: string, dir: 'C' | 'S'): Step[] => Array.from({ length: Math.ceil(s.length / n) }, (_, i) => [dir, s.slice(i * n, i * n + n)] as Step);
      const split = smtp([...chop(reply.slice(0, 8), 'S'), ...chop(text, 'C'), ...chop(reply.slice(8), 'S'), ...chop(body, 'C'), ...chop('250 queued\r\n221 bye\r\n', 'S')]).session;
      const strip = (s: typeof whole) => s.exchanges.map((e) => [e.command?.verb, e.command?.args, e.reply?.lines, e.interim?.map((i) => i.reply.lines)]);
      expect(strip(split), `pieces of ${n}`).toEqual(strip(whole));
      expect(split.messages.map((m) => m.sha256)).toEqual(whole.messages.map((m) => m.sha256));
    }
  });
});
