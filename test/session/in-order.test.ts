/**
 * InOrderRelease: sessions go out in id order, and past REORDER_LIMIT held
 * back the oldest go out of turn, each exactly once, whatever order the
 * held-back ones finish in afterwards.
 */
import { describe, expect, it } from 'vitest';
import { InOrderRelease, REORDER_LIMIT } from '../../src/session/in-order.js';

function release(ids: number[]): number[] {
  const out: number[] = [];
  const r = new InOrderRelease<number>((id) => out.push(id));
  for (const id of ids) r.push(id, id);
  r.finish();
  return out;
}

describe('InOrderRelease', () => {
  it('releases in id order as soon as every earlier id has finished', () => {
    const out: number[] = [];
    const r = new InOrderRelease<number>((id) => out.push(id));
    r.push(2, 2);
    r.push(3, 3);
    expect(out).toEqual([]);
    r.push(1, 1);
    expect(out).toEqual([1, 2, 3]);
  });

  it('lets the oldest go out of turn past the bound, and each id once', () => {
    const ids: number[] = [];
    for (let id = 2; id <= REORDER_LIMIT + 2; id++) ids.push(id);
    ids.push(1);
    const out = release(ids);
    expect(out).toHaveLength(ids.length);
    expect(new Set(out).size).toBe(ids.length);
  });

  it('takes an early id below ones released early before (a long session that finishes later)', () => {
    // Sessions 1 to 2100 stay open while the later ones overflow the bound; then 100 finishes, and
    // more after it overflow again: 100 goes out of turn below ids already released early.
    const ids: number[] = [];
    let id = 2101;
    for (let i = 0; i <= REORDER_LIMIT; i++) ids.push(id++);
    ids.push(100);
    for (let i = 0; i < REORDER_LIMIT; i++) ids.push(id++);
    for (let i = 1; i <= 2100; i++) if (i !== 100) ids.push(i);
    const out = release(ids);
    expect(out).toHaveLength(ids.length);
    expect(new Set(out).size).toBe(ids.length);
  });
});
