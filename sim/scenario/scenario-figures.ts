// Figures that document a scenario: peak true temperature and time above 42 degC at each probe.

import type { LoadedScenario } from "./load-scenario";
import { truthModelOf } from "../sim-source";

/** Intervention threshold of the clinical notes, degC. */
export const INTERVENE_C = 42;

/** Documented figures of one probe (true tissue temperature, no sensor effects). */
export interface ProbeFigures {
  readonly peakC: number;
  readonly peakAtS: number;
  /** Total time at or above 42 degC, s. */
  readonly timeAbove42S: number;
  /** First instant at 42 degC, s, or null. */
  readonly firstAbove42S: number | null;
  /** Last instant the probe goes back below 42 degC, s, or null (never above, or still above at the end). */
  readonly lastBelow42S: number | null;
}

/** True temperatures on the model grid from 0 to durationS. */
export interface TruthRun {
  readonly timesS: Float64Array;
  /** One array per channel, degC. */
  readonly tempsC: readonly Float64Array[];
}

/** Run the truth model of a scenario on its grid (no sensor, no operator events). */
export function simulateTruth(loaded: LoadedScenario, durationS = loaded.scenario.durationS): TruthRun {
  const model = truthModelOf(loaded);
  const steps = Math.ceil(durationS / model.stepS - 1e-9);
  const n = model.channelCount;
  const timesS = new Float64Array(steps + 1);
  const tempsC = Array.from({ length: n }, () => new Float64Array(steps + 1));
  const row = new Float64Array(n);
  model.initial(row);
  for (let ch = 0; ch < n; ch++) tempsC[ch][0] = row[ch];
  for (let k = 1; k <= steps; k++) {
    model.step(row);
    timesS[k] = k * model.stepS;
    for (let ch = 0; ch < n; ch++) tempsC[ch][k] = row[ch];
  }
  return { timesS, tempsC };
}

/** Figures of one piecewise-linear series (crossings interpolated between grid points). */
export function seriesFigures(timesS: Float64Array, tempsC: Float64Array, thresholdC = INTERVENE_C): ProbeFigures {
  let peakC = Number.NEGATIVE_INFINITY;
  let peakAtS = 0;
  let above = 0;
  let first: number | null = null;
  let lastBelow: number | null = null;
  for (let k = 0; k < timesS.length; k++) {
    const v = tempsC[k];
    if (v > peakC) {
      peakC = v;
      peakAtS = timesS[k];
    }
    if (k === 0) {
      if (v >= thresholdC) first = 0;
      continue;
    }
    const v0 = tempsC[k - 1];
    const t0 = timesS[k - 1];
    const dt = timesS[k] - t0;
    if (v0 >= thresholdC && v >= thresholdC) {
      above += dt;
    } else if (v0 < thresholdC && v >= thresholdC) {
      const tc = t0 + (dt * (thresholdC - v0)) / (v - v0);
      above += timesS[k] - tc;
      if (first === null) first = tc;
      lastBelow = null;
    } else if (v0 >= thresholdC && v < thresholdC) {
      const tc = t0 + (dt * (v0 - thresholdC)) / (v0 - v);
      above += tc - t0;
      lastBelow = tc;
    }
  }
  return { peakC, peakAtS, timeAbove42S: above, firstAbove42S: first, lastBelow42S: lastBelow };
}

/** Figures for every channel of a scenario, keyed by label. */
export function scenarioFigures(loaded: LoadedScenario, durationS?: number): Record<string, ProbeFigures> {
  const run = simulateTruth(loaded, durationS);
  const out: Record<string, ProbeFigures> = {};
  loaded.scenario.channels.forEach((c, ch) => {
    out[c.label] = seriesFigures(run.timesS, run.tempsC[ch]);
  });
  return out;
}
