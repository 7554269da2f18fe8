import { describe, expect, it } from 'vitest';
import { formatIso, parseIso } from '../../src/util/time.js';

describe('parseIso', () => {
  it('reads back what formatIso writes, to the nanosecond, from 1970 on', () => {
    const times = [0n, 1n, 999_999_999n, 1_764_074_239_148_123_000n, 1_764_074_239_148_123_456n];
    for (let i = 0; i < 500; i++) times.push(BigInt(Math.floor(Math.random() * 4e18)));
    for (const t of times) expect(parseIso(formatIso(t))).toBe(t);
  });

  it('takes 1 to 9 fraction digits and times without a fraction; more digits than 9 are cut', () => {
    expect(parseIso('2025-11-25T12:37:19.1Z')).toBe(1_764_074_239_100_000_000n);
    expect(parseIso('2025-11-25T12:37:19.000001Z')).toBe(1_764_074_239_000_001_000n);
    expect(parseIso('2025-11-25T12:37:19Z')).toBe(1_764_074_239_000_000_000n);
    expect(parseIso('2025-11-25T12:37:19.1234567891Z')).toBe(1_764_074_239_123_456_789n);
    // The same second with another fraction, then another second: the cached second must not leak.
    expect(parseIso('2025-11-25T12:37:19.5Z') - parseIso('2025-11-25T12:37:20.5Z')).toBe(-1_000_000_000n);
  });
});

/** formatIso as it was written before its per-second fast path (issue 13): the reference it must match. */
function formatIsoPlain(ts: bigint): string {
  const sec = ts / 1_000_000_000n;
  const ns = Number(ts % 1_000_000_000n);
  const frac = ns % 1000 === 0 ? String(ns / 1000).padStart(6, '0') : String(ns).padStart(9, '0');
  return `${new Date(Number(sec) * 1000).toISOString().slice(0, 19)}.${frac}Z`;
}

describe('formatIso', () => {
  it('writes what the plain division would, in capture order, out of order, across seconds and before 1970', () => {
    const times = [0n, 1n, 999n, 1000n, 999_999_999n, 1_000_000_000n, -1n, -1000n, -1_000_000_000n, -1_500_000_000n, 1_764_074_239_000_000_000n];
    let t = 1_710_234_000_000_000_000n;
    for (let i = 0; i < 3000; i++) {
      t += BigInt(Math.floor(Math.random() * 3e8)) * (i % 3 === 0 ? 1000n : 1n); // microseconds, or nanoseconds
      times.push(t, t - 1n, t + 999n);
      if (i % 100 === 0) times.push(BigInt(Math.floor(Math.random() * 4e18)), t - 5_000_000_000n);
    }
    for (const x of times) expect(formatIso(x)).toBe(formatIsoPlain(x));
  });
});
