/** The heap policy: room past the live heap, set again after every full collection. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MAX_GROWING_PERCENT, MIN_GROWING_PERCENT, ROOM_BYTES, growingPercent } from '../../src/cli/heap-policy.js';

describe('heap policy', () => {
  it('gives about ROOM_BYTES of room, within its bounds', () => {
    expect(growingPercent(15 * 1024 * 1024)).toBe(160); // an ordinary capture: 24 MiB of room, not 7
    expect(growingPercent(ROOM_BYTES)).toBe(100);
    expect(growingPercent(1024 * 1024)).toBe(MAX_GROWING_PERCENT); // a new process
    expect(growingPercent(200 * 1024 * 1024)).toBe(MIN_GROWING_PERCENT); // a flood: never more than half again
    expect(growingPercent(0)).toBe(MAX_GROWING_PERCENT);
  });

  it('follows the live heap in a real process: a big live heap after a full collection gets the least room', () => {
    // Run on the built module in a process of its own (the policy changes V8's flags for the whole process).
    const script = `
      const policy = await import(${JSON.stringify(new URL('../../dist/src/cli/heap-policy.js', import.meta.url).href)});
      const before = policy.currentGrowingPercent();
      const live = Array.from({ length: 150 }, () => Array.from({ length: 100000 }, (_v, i) => ({ i })));
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 50)); // gc entries reach observers asynchronously
      const big = policy.currentGrowingPercent();
      live.length = 0;
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 50));
      console.log(JSON.stringify({ before, big, after: policy.currentGrowingPercent() }));`;
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ before: MAX_GROWING_PERCENT, big: MIN_GROWING_PERCENT, after: MAX_GROWING_PERCENT });
  });
});
