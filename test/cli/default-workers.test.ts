/**
 * How many decode threads `mailscope read` starts when --workers does not
 * say: none for small captures and on two cores (where a worker costs a
 * flood of open connections more memory than the 256 MiB bound allows), at
 * most two elsewhere (the main thread's share bounds the speed past them).
 */
import { describe, expect, it } from 'vitest';
import { defaultWorkers } from '../../src/cli/read-command.js';

const MiB = 1 << 20;

describe('defaultWorkers', () => {
  it('reads a capture under 16 MiB in one thread, whatever the cores', () => {
    expect(defaultWorkers(16 * MiB - 1, 64)).toBe(0);
    expect(defaultWorkers(0, 8)).toBe(0);
  });

  it('reads in one thread on one or two cores, however big the capture', () => {
    expect(defaultWorkers(5000 * MiB, 2)).toBe(0);
    expect(defaultWorkers(5000 * MiB, 1)).toBe(0);
  });

  it('starts one per core but one from 16 MiB on 3 or more cores, at most two', () => {
    expect(defaultWorkers(16 * MiB, 3)).toBe(2);
    expect(defaultWorkers(230 * MiB, 4)).toBe(2);
    expect(defaultWorkers(230 * MiB, 64)).toBe(2);
  });
});
