/** Time fields (session.start, session.end): literals in quotes, UTC unless an offset is given. */
import { describe, expect, it } from 'vitest';
import { FilterError, compileFilter } from '../../src/filter/index.js';
import { parseTime } from '../../src/filter/typecheck.js';

describe('parseTime', () => {
  it('reads ISO-like times in UTC, with optional seconds, fraction and offset', () => {
    const base = Date.UTC(2026, 10, 25, 12, 37, 20) / 1000;
    expect(parseTime('2026-11-25 12:37:20')).toBe(base);
    expect(parseTime('2026-11-25T12:37:20Z')).toBe(base);
    expect(parseTime('2026-11-25 12:37:20 UTC')).toBe(base);
    expect(parseTime('2026-11-25 12:37:20.25')).toBeCloseTo(base + 0.25, 6);
    expect(parseTime('2026-11-25 13:37:20+01:00')).toBe(base);
    expect(parseTime('2026-11-25 07:07:20 -0530')).toBe(base);
    expect(parseTime('2026-11-25 12:37')).toBe(base - 20);
    expect(parseTime('2026-11-25')).toBe(Date.UTC(2026, 10, 25) / 1000);
  });

  it('refuses what is not a time', () => {
    for (const bad of ['yesterday', '12:37:20', '2026-02-30 10:00', '2026-11-25 24:00', '2026-13-01', '25.11.2026']) expect(parseTime(bad), bad).toBeNull();
  });
});

describe('time fields in filters', () => {
  it('explains a bad time literal at its place', () => {
    try {
      compileFilter('session.start >= "2026-02-30 10:00"');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FilterError);
      expect((err as FilterError).message).toMatch(/"2026-02-30 10:00" is not a time: write it as "2026-11-25 12:37:20"/);
      expect((err as FilterError).position).toBe(17);
    }
    expect(() => compileFilter('session.start contains "12:37"')).toThrow(/cannot compare session\.start \(a time\) with a string/);
    expect(() => compileFilter('session.start == smtp.req.command')).toThrow(/cannot compare session\.start \(a time\) with smtp\.req\.command/);
  });
});
