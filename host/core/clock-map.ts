// Maps the device's monotonic clock (tMs since boot) to wall-clock time, from the arrival times of its lines, within sanity bounds.

/** A wall-clock offset this much above the estimate, persisting this long (host monotonic time), replaces it (device clock slow, host clock jumped ahead). */
export const CLOCK_RESET_MS = 2000;
/** Device times above this (2^40 ms, 34.8 years of uptime) are impossible and never calibrate the map. */
export const MAX_DEVICE_TIME_MS = 2 ** 40;
/**
 * A device clock that runs this much faster than the host's monotonic clock (beyond FAST_CLOCK_SLACK_MS)
 * is a simulated one (a trace replayed at --speed > 1): the map then anchors on the boot's first line and
 * follows device time, so durations in the record are the trace's, not the replay's.
 */
export const FAST_CLOCK_RATIO = 1.5;
export const FAST_CLOCK_SLACK_MS = 2000;

/**
 * Estimates offset = wallMs - tMs as the smallest (arrival - tMs) seen: the line with the least
 * transport delay. A smaller value is adopted at once (also a host clock jumping back); a larger
 * one only when it persists for CLOCK_RESET_MS of host monotonic time, so a burst of late lines after a
 * stall of the bridge process (all arriving at once) cannot move it. Pure.
 */
export class ClockMap {
  private offsetMs = NaN;
  private highSinceMs = NaN;
  private firstTMs = NaN;
  private firstMonoMs = NaN;
  private firstOffsetMs = NaN;
  /** The device clock runs fast (simulated): offset fixed at the first line of the boot. */
  fast = false;

  /** New boot: the device clock restarted. */
  reset(): void {
    this.offsetMs = NaN;
    this.highSinceMs = NaN;
    this.firstTMs = NaN;
    this.firstMonoMs = NaN;
    this.firstOffsetMs = NaN;
    this.fast = false;
  }

  /** Whether an estimate exists. */
  get known(): boolean {
    return this.offsetMs === this.offsetMs;
  }

  /**
   * A line stamped tMs by the device arrived at wall-clock arrivalMs (host monotonic monoMs).
   * Returns false when tMs is impossible (ignored).
   */
  observe(tMs: number, arrivalMs: number, monoMs = arrivalMs): boolean {
    if (!(tMs >= 0 && tMs <= MAX_DEVICE_TIME_MS)) return false;
    const o = arrivalMs - tMs;
    if (!this.known) {
      this.offsetMs = o;
      this.firstTMs = tMs;
      this.firstMonoMs = monoMs;
      this.firstOffsetMs = o;
      return true;
    }
    if (this.fast) return true;
    if (tMs - this.firstTMs > FAST_CLOCK_RATIO * (monoMs - this.firstMonoMs) + FAST_CLOCK_SLACK_MS) {
      // Anchor on the boot's first line: stamps then advance with device time.
      this.fast = true;
      this.offsetMs = this.firstOffsetMs;
      this.highSinceMs = NaN;
      return true;
    }
    // While the rate is not known yet (the boot's first FAST_CLOCK_SLACK_MS of host time) the first line's
    // offset stays: a fast clock then has one offset from its first row on, and a real one is refined after.
    if (monoMs - this.firstMonoMs < FAST_CLOCK_SLACK_MS) return true;
    if (o <= this.offsetMs) {
      this.offsetMs = o;
      this.highSinceMs = NaN;
    } else if (o - this.offsetMs > CLOCK_RESET_MS) {
      if (this.highSinceMs !== this.highSinceMs) this.highSinceMs = monoMs;
      else if (monoMs - this.highSinceMs >= CLOCK_RESET_MS) {
        this.offsetMs = o;
        this.highSinceMs = NaN;
      }
    } else this.highSinceMs = NaN;
    return true;
  }

  /** Wall-clock ms of device time tMs (fallbackMs before any observation, or for an impossible tMs). */
  toWallMs(tMs: number, fallbackMs: number): number {
    return this.known && tMs >= 0 && tMs <= MAX_DEVICE_TIME_MS ? tMs + this.offsetMs : fallbackMs;
  }
}
