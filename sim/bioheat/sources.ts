// Heating sources: where an ablation applicator deposits its power (radial profile) and when (pulses).

import { erf } from "./erf";

/** Applicator kinds. "point" deposits everything in the centre shell (used by the analytic tests). */
export type SourceKind = "mwa" | "rf" | "hifu" | "point";

/**
 * One energy delivery: `powerW` (generator output, W) from `startS` for `durationS` seconds,
 * optionally repeated `repeatCount` times in total every `repeatEveryS` seconds (duty cycles:
 * 60 s on every 75 s is durationS 60, repeatEveryS 75).
 */
export interface Pulse {
  readonly startS: number;
  readonly durationS: number;
  readonly powerW: number;
  readonly repeatEveryS?: number | undefined;
  readonly repeatCount?: number | undefined;
}

/** Shape parameters of a source's deposition, all optional (see {@link SOURCE_DEFAULTS}). */
export interface SourceShape {
  /** Fraction of the generator power absorbed around the applicator, 0..1. */
  readonly efficiency?: number | undefined;
  /** MWA: power penetration depth (1/e of the power density beyond spherical spreading), mm. */
  readonly penetrationMm?: number | undefined;
  /** MWA: radius of the antenna body (no deposition inside), mm. RF: effective electrode radius, mm. */
  readonly applicatorRadiusMm?: number | undefined;
  /** HIFU: standard deviation of the (spherical) Gaussian focal spot, mm. */
  readonly focalSigmaMm?: number | undefined;
}

/**
 * Defaults per kind. Where the numbers come from:
 * - MWA penetration: at 2450 MHz cancellous bone has eps_r ~18.5, sigma ~0.8 S/m and muscle
 *   eps_r ~52.7, sigma ~1.74 S/m (IT'IS V4.1 dielectric values, Gabriel 1996); the plane-wave
 *   power density falls 1/e in ~11 mm (muscle) to ~14 mm (bone) beyond spherical spreading: 12 mm.
 *   Efficiency 0.25: the share of the generator output that heats tissue around the tip after
 *   cable and reflection losses, the antenna's internal water cooling and heating along the
 *   shaft. An assumption, tuned so that 20-40 W for 3-5 min gives the ablation-zone and
 *   canal temperatures the clinical notes describe (sim/scenarios/README.md).
 * - RF: current density of a spherical electrode falls as 1/r^2, so Joule heating as 1/r^4
 *   outside the electrode; 2 mm effective radius, 0.8 of the power in tissue (rest in the
 *   dispersive pads). Assumed.
 * - HIFU: focal spot ~1.5 x 10 mm (-6 dB), approximated by a spherical Gaussian of sigma 1.5 mm;
 *   most of the transducer input is lost before the focus (transducer efficiency, reflection,
 *   absorption along the beam path) and only a small part is deposited in the focal spot: 0.006,
 *   tuned so that the median 340 W input gives focal temperatures of 60-100 degC in liver.
 */
export const SOURCE_DEFAULTS = {
  mwa: { efficiency: 0.25, penetrationMm: 12, applicatorRadiusMm: 1 },
  rf: { efficiency: 0.8, applicatorRadiusMm: 2 },
  hifu: { efficiency: 0.006, focalSigmaMm: 1.5 },
  point: { efficiency: 1 },
} as const;

/** Effective efficiency of a source (explicit value or the kind's default). */
export function sourceEfficiency(kind: SourceKind, shape: SourceShape): number {
  return shape.efficiency ?? SOURCE_DEFAULTS[kind].efficiency;
}

/**
 * Fraction of the absorbed power deposited within radius rM (m) of the source centre:
 * - mwa: q ~ exp(-(r-a)/d) / r^2 for r > a, so F = 1 - exp(-(r-a)/d)
 * - rf: q ~ 1/r^4 for r > a, so F = 1 - a/r
 * - hifu: q ~ exp(-r^2 / 2 s^2), F = 3-D Gaussian (Maxwell) cumulative distribution
 * - point: F = 1 for r > 0
 */
export function cumulativeFraction(kind: SourceKind, shape: SourceShape, rM: number): number {
  if (rM <= 0) return 0;
  switch (kind) {
    case "mwa": {
      const a = (shape.applicatorRadiusMm ?? SOURCE_DEFAULTS.mwa.applicatorRadiusMm) * 1e-3;
      const d = (shape.penetrationMm ?? SOURCE_DEFAULTS.mwa.penetrationMm) * 1e-3;
      return rM <= a ? 0 : 1 - Math.exp(-(rM - a) / d);
    }
    case "rf": {
      const a = (shape.applicatorRadiusMm ?? SOURCE_DEFAULTS.rf.applicatorRadiusMm) * 1e-3;
      return rM <= a ? 0 : 1 - a / rM;
    }
    case "hifu": {
      const s = (shape.focalSigmaMm ?? SOURCE_DEFAULTS.hifu.focalSigmaMm) * 1e-3;
      const x = rM / s;
      return erf(x / Math.SQRT2) - Math.sqrt(2 / Math.PI) * x * Math.exp((-x * x) / 2);
    }
    case "point":
      return 1;
  }
}

/**
 * Fraction of the absorbed power in each shell [i*cell, (i+1)*cell] of a radial grid, renormalised
 * so that the whole absorbed power stays in the domain (a profile's far tail is folded back in).
 */
export function depositionWeights(kind: SourceKind, shape: SourceShape, cellM: number, cellCount: number): Float64Array {
  const w = new Float64Array(cellCount);
  let prev = 0;
  for (let i = 0; i < cellCount; i++) {
    const next = cumulativeFraction(kind, shape, (i + 1) * cellM);
    w[i] = next - prev;
    prev = next;
  }
  if (!(prev > 0)) throw new RangeError(`depositionWeights: ${kind} source deposits nothing inside the domain; check its shape parameters`);
  for (let i = 0; i < cellCount; i++) w[i] = w[i] / prev;
  return w;
}

/** Uniform sphere of radius radiusM (used for cooling sinks). */
export function uniformSphereWeights(radiusM: number, cellM: number, cellCount: number): Float64Array {
  const w = new Float64Array(cellCount);
  const total = radiusM ** 3;
  let prev = 0;
  for (let i = 0; i < cellCount; i++) {
    const r = Math.min((i + 1) * cellM, radiusM);
    const next = r ** 3 / total;
    w[i] = next - prev;
    prev = next;
  }
  return w;
}

/** Overlap (s) of the pulse train with the interval [t0S, t1S]. */
function pulseOverlapS(p: Pulse, t0S: number, t1S: number): number {
  const count = p.repeatCount ?? 1;
  const period = p.repeatEveryS ?? 0;
  if (count <= 1 || period <= 0) return overlap(p.startS, p.startS + p.durationS, t0S, t1S);
  const first = Math.max(0, Math.floor((t0S - p.startS - p.durationS) / period));
  const last = Math.min(count - 1, Math.floor((t1S - p.startS) / period));
  let sum = 0;
  for (let k = first; k <= last; k++) {
    const s = p.startS + k * period;
    sum += overlap(s, s + p.durationS, t0S, t1S);
  }
  return sum;
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/** Mean generator power (W) over [t0S, t1S]: exact for pulses that start or stop inside a step. */
export function averagePowerW(pulses: readonly Pulse[], t0S: number, t1S: number): number {
  const span = t1S - t0S;
  if (!(span > 0)) return powerAtW(pulses, t0S);
  let energyJ = 0;
  for (const p of pulses) energyJ += p.powerW * pulseOverlapS(p, t0S, t1S);
  return energyJ / span;
}

/** Generator power (W) at instant tS (pulses are on over [start, start + duration)). */
export function powerAtW(pulses: readonly Pulse[], tS: number): number {
  let sum = 0;
  for (const p of pulses) {
    const count = p.repeatCount ?? 1;
    const period = p.repeatEveryS ?? 0;
    const dt = tS - p.startS;
    if (dt < 0) continue;
    const k = count > 1 && period > 0 ? Math.min(count - 1, Math.floor(dt / period)) : 0;
    const inPulse = dt - k * period;
    if (inPulse >= 0 && inPulse < p.durationS) sum += p.powerW;
  }
  return sum;
}

/** End (s) of the last energy delivery of the pulse list (0 when empty). */
export function lastPulseEndS(pulses: readonly Pulse[]): number {
  let end = 0;
  for (const p of pulses) {
    const count = p.repeatCount ?? 1;
    const period = count > 1 ? (p.repeatEveryS ?? 0) : 0;
    end = Math.max(end, p.startS + (count - 1) * period + p.durationS);
  }
  return end;
}
