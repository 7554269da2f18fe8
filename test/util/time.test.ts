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
