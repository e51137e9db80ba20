// Maps the device's monotonic clock (tMs since boot) to wall-clock time, from the arrival times of its lines.

/** A wall-clock offset this much above the estimate, on this many lines in a row, replaces it (device clock slow, host clock jumped ahead). */
export const CLOCK_RESET_MS = 2000;
export const CLOCK_RESET_LINES = 10;

/**
 * Estimates offset = wallMs - tMs as the smallest (arrival - tMs) seen: the line with the least
 * transport delay. A smaller value is adopted at once (also a host clock jumping back); a larger
 * one only when it persists.
 */
export class ClockMap {
  private offsetMs = NaN;
  private highRun = 0;

  /** New boot: the device clock restarted. */
  reset(): void {
    this.offsetMs = NaN;
    this.highRun = 0;
  }

  /** A line stamped tMs by the device arrived at wall-clock arrivalMs. */
  observe(tMs: number, arrivalMs: number): void {
    const o = arrivalMs - tMs;
    if (this.offsetMs !== this.offsetMs || o <= this.offsetMs) {
      this.offsetMs = o;
      this.highRun = 0;
    } else if (o - this.offsetMs > CLOCK_RESET_MS) {
      if (++this.highRun >= CLOCK_RESET_LINES) {
        this.offsetMs = o;
        this.highRun = 0;
      }
    } else this.highRun = 0;
  }

  /** Wall-clock ms of device time tMs (fallbackMs before any observation). */
  toWallMs(tMs: number, fallbackMs: number): number {
    return this.offsetMs === this.offsetMs ? tMs + this.offsetMs : fallbackMs;
  }
}
