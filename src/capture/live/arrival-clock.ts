/**
 * Arrival timestamps for the cap backend. cap's packet event carries no
 * timestamp (mscdex/cap#85), so each packet is stamped when JavaScript sees
 * it: a monotonic clock (process.hrtime.bigint(), immune to NTP steps)
 * anchored once to the wall clock.
 *
 * The anchor is Node's own: performance.timeOrigin is the wall clock (in
 * microseconds) read back to back with the monotonic clock at process start,
 * and performance.now() counts on that same monotonic clock. Pairing
 * Date.now()'s millisecond edge with hrtime was tried first and measured
 * worse: anchors off by up to 0.7 ms from run to run.
 */

export interface ClockSources {
  /** The wall clock now, in nanoseconds since the epoch (may be coarse; read once, at the anchor). */
  wallNs: () => bigint;
  /** Monotonic clock in nanoseconds from an arbitrary origin (process.hrtime.bigint). */
  monoNs: () => bigint;
}

/** Wall time from performance.timeOrigin + performance.now(), to the microsecond. */
function performanceWallNs(): bigint {
  const originUs = Math.round(performance.timeOrigin * 1000);
  const sinceNs = Math.round(performance.now() * 1e6);
  return BigInt(originUs) * 1000n + BigInt(sinceNs);
}

export const systemClocks: ClockSources = { wallNs: performanceWallNs, monoNs: () => process.hrtime.bigint() };

export class ArrivalClock {
  /** Wall-clock nanoseconds minus monotonic nanoseconds, fixed at construction. */
  readonly offsetNs: bigint;

  constructor(private readonly sources: ClockSources = systemClocks) {
    // Read the two clocks back to back (monotonic between two wall readings would not help: the wall one is the coarse one).
    const wall = sources.wallNs();
    const mono = sources.monoNs();
    this.offsetNs = wall - mono;
  }

  /** Now, in nanoseconds since the Unix epoch; never goes backwards, whatever the wall clock does after the anchor. */
  now(): bigint {
    return this.sources.monoNs() + this.offsetNs;
  }
}
