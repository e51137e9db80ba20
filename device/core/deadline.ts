// Deadline scheduler logic: sample instants at start + n * period, no drift, no catch-up burst.

/**
 * Pure deadline arithmetic for fixed-rate sampling. The n-th instant is `startMs + n * periodMs`,
 * computed afresh each time so that nothing drifts over hours. After a stall the scheduler skips
 * to the next future instant and counts the missed ones: it never fires a burst of late samples
 * (Espruino's setInterval would). The shell sleeps `untilNextMs(nowMs)` and calls `take(nowMs)`.
 */
export class Deadline {
  /** Instant 0 (device ms). */
  readonly startMs: number;
  /** Sample period (ms); may be fractional (e.g. 3 Hz). */
  readonly periodMs: number;
  /** Index of the next instant to take. */
  n = 0;
  /** Sample instants missed since start (a stall longer than a period). */
  missed = 0;

  constructor(startMs: number, periodMs: number) {
    if (!(periodMs > 0)) throw new Error("PERIOD_MS");
    this.startMs = startMs;
    this.periodMs = periodMs;
  }

  /** Device time (ms) of the next instant. */
  nextMs(): number {
    return this.startMs + this.n * this.periodMs;
  }

  /** Milliseconds from `nowMs` to the next instant (<= 0 when one is due). */
  untilNextMs(nowMs: number): number {
    return this.nextMs() - nowMs;
  }

  /**
   * Called when the shell wakes at `nowMs`. Returns -1 when no instant is due yet; otherwise the
   * number of instants missed just before this one (0 when on time), and advances past `nowMs`.
   * The caller takes exactly one sample, stamped `nowMs`, whatever the return value.
   */
  take(nowMs: number): number {
    const k = Math.floor((nowMs - this.startMs) / this.periodMs + 1e-9);
    if (k < this.n) return -1;
    const missed = k - this.n;
    this.missed += missed;
    this.n = k + 1;
    return missed;
  }
}
