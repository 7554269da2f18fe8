/** Moving to the next target in the detail view (n / N, and search hits). */
import { describe, expect, it } from 'vitest';
import { linesWith, nextTarget, topFor } from '../../src/tui/detail-search.js';

describe('detail search', () => {
  it('finds lines in any case', () => {
    const lines = ['S: 250-AUTH PLAIN', 'C: auth login', 'S: 334 VXNlcm5hbWU6', ''].map((text) => ({ text }));
    expect(linesWith(lines, 'AUTH')).toEqual([0, 1]);
    expect(linesWith(lines, '')).toEqual([]);
  });

  it('goes to the next or previous target from the line under the top, or from the top itself for a new search', () => {
    const targets = [3, 10, 20];
    expect(nextTarget(targets, 0, 1)).toBe(3);
    expect(nextTarget(targets, 2, 1)).toBe(10); // 3 is the current line (top + 1): the next one
    expect(nextTarget(targets, 3, 1, true)).toBe(3);
    expect(nextTarget(targets, 9, -1)).toBe(3);
    expect(nextTarget(targets, 2, -1)).toBeUndefined();
    expect(nextTarget(targets, 20, 1)).toBeUndefined();
    expect(topFor(10)).toBe(9);
  });
});
