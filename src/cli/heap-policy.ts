/**
 * How far V8 lets the heap grow past what is live before it collects again:
 * a fixed amount of room, not a fixed ratio.
 *
 * V8's default grows the old generation up to four times the live size when
 * collecting is cheap: reading a flood of a million tiny sessions, 55 MB
 * live, peaked at 320 MiB RSS. A fixed 50 % growth peaked at 200 MiB, but on
 * an ordinary capture, 15 MB live, it left 7 MB of room: 24 full collections
 * on the 230 MB bench capture instead of 7. So the growth
 * percent is set after every full collection to give about ROOM_BYTES of
 * room, and never more than four times nor less than half again what is live.
 * V8 reads the flag at every collection, so changing it as we go works.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';

/** Room past the live heap before the next full collection. */
export const ROOM_BYTES = 24 * 1024 * 1024;
export const MIN_GROWING_PERCENT = 50;
export const MAX_GROWING_PERCENT = 300;

/** The growth percent for a live heap of `liveBytes`. */
export function growingPercent(liveBytes: number): number {
  const percent = Math.round((100 * ROOM_BYTES) / Math.max(1, liveBytes));
  return Math.min(MAX_GROWING_PERCENT, Math.max(MIN_GROWING_PERCENT, percent));
}

let current = -1;
/** The growth percent last given to V8. */
export function currentGrowingPercent(): number {
  return current;
}

function apply(percent: number): void {
  if (percent === current) return;
  current = percent;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

apply(MAX_GROWING_PERCENT); // a new process holds little: the first collections have room

// Once a full collection ends, what the heap holds is about what is live.
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      apply(growingPercent(getHeapStatistics().used_heap_size));
      return;
    }
  }
});
observer.observe({ entryTypes: ['gc'] });
