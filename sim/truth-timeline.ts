// Reads a TruthModel at any instant: linear between grid points, plus the thermocouple lag of each probe.

import { lagAdvance } from "./sensor/sensor-model";
import type { TruthModel } from "./truth-model";

/** Error thrown when time goes backwards (a programmer mistake: device time is monotonic). */
export class SimTimeError extends Error {
  readonly code = "SIM_TIME_BACKWARDS";
  constructor(message: string) {
    super(message);
    this.name = "SimTimeError";
  }
}

/**
 * Keeps the model one grid step ahead of the latest instant asked for. The lag filter runs on the
 * piecewise-linear truth with the exact formula, so true and lagged values at an instant are the
 * same however often, or seldom, they are read.
 */
export class TruthTimeline {
  private readonly prev: Float64Array;
  private readonly next: Float64Array;
  private readonly lagPrev: Float64Array;
  private k = 0; // prev is at t = k * stepS, next at (k + 1) * stepS

  constructor(
    readonly model: TruthModel,
    private readonly tausS: readonly number[],
  ) {
    const n = model.channelCount;
    this.prev = new Float64Array(n);
    this.next = new Float64Array(n);
    model.initial(this.prev);
    this.lagPrev = Float64Array.from(this.prev);
    model.step(this.next);
  }

  /** Earliest instant still readable, s (the previous grid point). */
  get earliestS(): number {
    return this.k * this.model.stepS;
  }

  /** Move the grid so that tS lies between the previous and next grid points. */
  advanceTo(tS: number): void {
    const dt = this.model.stepS;
    if (tS < this.k * dt) {
      throw new SimTimeError(`TruthTimeline: time ${tS} s is before ${this.k * dt} s; simulated time must not go backwards`);
    }
    while (tS > (this.k + 1) * dt) {
      for (let ch = 0; ch < this.prev.length; ch++) {
        this.lagPrev[ch] = lagStep(this.lagPrev[ch], this.prev[ch], this.next[ch], dt, this.tausS[ch] ?? 0);
      }
      this.prev.set(this.next);
      this.model.step(this.next);
      this.k++;
    }
  }

  /** True temperatures at tS (degC, NaN = no data) into out. */
  trueAt(tS: number, out: Float64Array): void {
    this.advanceTo(tS);
    const f = this.fraction(tS);
    for (let ch = 0; ch < this.prev.length; ch++) out[ch] = between(this.prev[ch], this.next[ch], f);
  }

  /** Junction temperatures after the thermocouple lag at tS (degC, NaN = no data) into out. */
  laggedAt(tS: number, out: Float64Array): void {
    this.advanceTo(tS);
    const f = this.fraction(tS);
    const dt = tS - this.k * this.model.stepS;
    for (let ch = 0; ch < this.prev.length; ch++) {
      const x = between(this.prev[ch], this.next[ch], f);
      out[ch] = lagStep(this.lagPrev[ch], this.prev[ch], x, dt, this.tausS[ch] ?? 0);
    }
  }

  private fraction(tS: number): number {
    return (tS - this.k * this.model.stepS) / this.model.stepS;
  }
}

/**
 * Grid fractions this close to 0 or 1 are the grid point itself (sample instants such as 0.3 s
 * land on a 0.02 s grid only to within rounding).
 */
const GRID_POINT_EPS = 1e-9;

/**
 * Linear value between two grid points at fraction f. On a grid point the value is that point's,
 * even when the other neighbour is a gap (NaN): the valid row next to a gap is data, not gap.
 */
function between(x0: number, x1: number, f: number): number {
  if (f <= GRID_POINT_EPS) return x0;
  if (f >= 1 - GRID_POINT_EPS) return x1;
  return x0 + (x1 - x0) * f;
}

/** Lag with gaps: no data stays no data; when data resumes the junction starts at the new value. */
function lagStep(y: number, x0: number, x1: number, dtS: number, tauS: number): number {
  if (Number.isNaN(x1)) return Number.NaN;
  if (Number.isNaN(y) || Number.isNaN(x0)) return x1;
  return lagAdvance(y, x0, x1, dtS, tauS);
}
