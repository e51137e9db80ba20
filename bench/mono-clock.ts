// The one clock every bridge benchmark timestamp uses: CLOCK_MONOTONIC in ms, comparable across processes on this machine.

/**
 * Milliseconds on the system-wide monotonic clock (libuv's uv_hrtime = clock_gettime(CLOCK_MONOTONIC)),
 * with sub-microsecond resolution. Because the clock is per machine, not per process, a time taken
 * in a child process (the bridge) can be subtracted from one taken in the bench process.
 */
export function monoMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** The monotonic time (ms) at which this process started (performance.now() counts from there). */
export function processStartMonoMs(): number {
  return monoMs() - performance.now();
}
