/**
 * Robustness of the POP3 machine: random bytes, random POP3-like token soup,
 * random segment splits and gaps. Nothing may throw, and the machine's own
 * last-resort guard ("POP3 decoding stopped") must never fire.
 */
import { describe, expect, it } from 'vitest';
import type { Step } from '../helpers/machine-harness.js';
import { pop3 } from './pop3-helpers.js';
import { rng } from '../helpers/rng.js';


const CLIENT_TOKENS = [
  'USER alice\r\n', 'PASS x\r\n', 'APOP a b\r\n', 'AUTH\r\n', 'AUTH PLAIN\r\n', 'AUTH LOGIN dXNlcg==\r\n', 'AHUAcA==\r\n', '*\r\n',
  'STLS\r\n', 'CAPA\r\n', 'STAT\r\n', 'LIST\r\n', 'LIST 1\r\n', 'UIDL\r\n', 'RETR 1\r\n', 'TOP 1 0\r\n', 'DELE 1\r\n', 'NOOP\r\n',
  'RSET\r\n', 'QUIT\r\n', 'XYZZY\r\n', '\r\n', '\n', '\r', '.', '..\r\n',
];
const SERVER_TOKENS = [
  '+OK\r\n', '+OK 12 octets\r\n', '-ERR\r\n', '-ERR [IN-USE] x\r\n', '+ \r\n', '+ VXNlcm5hbWU6\r\n', '+\r\n', '.\r\n', '..x\r\n',
  '1 120\r\n', 'Subject: a\r\n', '\r\n', '\n', '\r', '+OK', '-E', 'RR\r\n', '.', '\r\n.\r\n', 'garbage\r\n',
];

function soup(r: () => number, steps: number, binary: boolean): Step[] {
  const out: Step[] = [];
  for (let i = 0; i < steps; i++) {
    const x = r();
    const side = r() < 0.5 ? 'C' : 'S';
    if (x < 0.05) {
      out.push(['gap', side, 1 + Math.floor(r() * 3000)]);
    } else if (binary || x < 0.2) {
      const n = Math.floor(r() * 200);
      const buf = Buffer.alloc(n);
      for (let j = 0; j < n; j++) buf[j] = r() < 0.1 ? 0x0a : r() < 0.1 ? 0x2e : Math.floor(r() * 256);
      out.push([side, buf]);
    } else {
      const tokens = side === 'C' ? CLIENT_TOKENS : SERVER_TOKENS;
      let text = '';
      const k = 1 + Math.floor(r() * 6);
      for (let j = 0; j < k; j++) text += tokens[Math.floor(r() * tokens.length)];
      // Random splits of the same text.
      let at = 0;
      while (at < text.length) {
        const n = 1 + Math.floor(r() * 20);
        out.push([side, text.slice(at, at + n)]);
        at += n;
      }
    }
  }
  return out;
}

function check(steps: Step[], seed: number): void {
  let result;
  try {
    result = pop3(steps);
  } catch (err) {
    throw new Error(`seed ${seed}: ${String(err)}`);
  }
  const stopped = result.session.anomalies.filter((a) => a.kind === 'protocol.mismatch');
  expect(stopped, `seed ${seed}`).toEqual([]);
  expect(() => JSON.stringify(result.session)).not.toThrow();
  for (const m of result.session.messages) expect(m.sha256, `seed ${seed}`).toMatch(/^[0-9a-f]{64}$/);
}

describe('POP3 machine robustness', () => {
  it('random bytes in random segments never throw', () => {
    for (let seed = 1; seed <= 300; seed++) check(soup(rng(seed), 40, true), seed);
  });

  it('random POP3-like token soup with gaps never throws', () => {
    for (let seed = 1000; seed <= 1600; seed++) check(soup(rng(seed), 60, false), seed);
  });

  it('a greeting then token soup (the usual shape) never throws', () => {
    for (let seed = 5000; seed <= 5300; seed++) check([['S', '+OK ready\r\n'], ...soup(rng(seed), 60, false)], seed);
  });

  it('a huge line and a huge body stay bounded', () => {
    const big = Buffer.alloc(3_000_000, 0x41);
    const { session } = pop3([['S', '+OK\r\n'], ['C', 'RETR 1\r\n'], ['S', '+OK\r\n'], ['S', big], ['S', '\r\n.\r\n'], ['C', big], ['C', '\r\nNOOP\r\n'], ['S', '+OK\r\n+OK\r\n']]);
    expect(session.messages[0]).toMatchObject({ size: 3_000_002, partial: false });
    expect(session.exchanges[2].command!.args.length).toBeLessThan(20_000);
    expect(session.exchanges.map((e) => e.command?.verb.length ?? null)).toEqual([null, 4, 16 * 1024, 4]);
    expect(session.exchanges[3]).toMatchObject({ command: { verb: 'NOOP' }, reply: { text: '' } });
  });
});
