/**
 * How far V8 lets the heap grow past what is live before it collects again.
 * Its default grows the old generation up to four times the live size when
 * collecting is cheap: reading a flood of a million tiny sessions, 55 MB
 * live, peaked at 320 MiB RSS. At 50 % growth it peaked at 200 MiB for
 * about the same time (bench/flood-bench.ts); bigger captures are not slower.
 * The flag is read at every collection, so setting it at start-up works.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
