// Device time on Node: real monotonic ms since boot, or a simulated clock running timeScale times faster.
import { performance } from "node:perf_hooks";

/**
 * Simulated mode: most wall ms the simulation may be late for its next event. After a longer stall
 * of the process (GC, a loaded machine) the rest is dropped and the run resumes at timeScale from
 * where it was: catching up would take thousands of samples at once, a burst no real device can
 * produce, overflowing the link and the RESEND ring.
 */
export const MAX_CATCH_UP_WALL_MS = 50;

/**
 * timeScale 1: device time is the real elapsed time (integer ms since start), so a stall of the
 * process shows as missed samples and SAMPLE_GAP, as on a board.
 *
 * timeScale > 1: device time is simulated. It advances in steps to each event (sample instant,
 * output edge) the runtime asks for, never faster than timeScale x wall time. Every sample is
 * taken at its exact instant; a wall-clock stall only slows the simulation down, it does not skip
 * samples (there is no physical sampling to miss). `nowMs()` between events (host bytes arriving)
 * follows the scaled wall clock but never passes the next pending event.
 */
export class DeviceClock {
  readonly timeScale: number;
  private wall0: number;
  /** Simulated mode: device time of the last event processed. */
  private simMs = 0;
  /** Simulated mode: device time of the next event (set by the loop). */
  nextEventMs = 0;

  constructor(timeScale: number) {
    this.timeScale = timeScale;
    this.wall0 = performance.now();
  }

  get simulated(): boolean {
    return this.timeScale !== 1;
  }

  /** Wall ms since start times timeScale (the most the device time may be). */
  targetMs(): number {
    const lateWallMs = performance.now() - this.wall0 - this.nextEventMs / this.timeScale;
    if (lateWallMs > MAX_CATCH_UP_WALL_MS) this.wall0 += lateWallMs - MAX_CATCH_UP_WALL_MS;
    return (performance.now() - this.wall0) * this.timeScale;
  }

  /** Device time now (integer ms). */
  nowMs(): number {
    if (!this.simulated) return Math.floor(performance.now() - this.wall0);
    const t = Math.min(Math.floor(this.targetMs()), Math.ceil(this.nextEventMs) - 1);
    if (t > this.simMs) this.simMs = t;
    return this.simMs;
  }

  /** Simulated mode: moves device time to event time `tMs` (monotonic). */
  advanceTo(tMs: number): number {
    if (tMs > this.simMs) this.simMs = tMs;
    return this.simMs;
  }

  /** Wall ms from now until device time `tMs` is allowed. */
  wallDelayTo(tMs: number): number {
    if (!this.simulated) return tMs - (performance.now() - this.wall0);
    return tMs / this.timeScale - (performance.now() - this.wall0);
  }
}
