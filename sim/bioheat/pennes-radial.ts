// Pennes bioheat equation around one spherically symmetric source, implicit finite volumes in r.

import type { PennesCoefficients } from "./tissue-properties";

/**
 * Grid of the radial solver. Cells are spherical shells [i*cell, (i+1)*cell], the outer surface
 * r = radius is held at the resting temperature (rise 0). Choose radius several perfusion
 * lengths (or several sqrt(alpha*t) for unperfused tissue) beyond the farthest probe.
 */
export interface RadialGrid {
  /** Shell thickness, m. */
  readonly cellM: number;
  /** Outer radius of the domain, m. */
  readonly radiusM: number;
  /** Time step, s. Backward Euler: stable for any step; 0.25 s resolves the 30-90 s cycles. */
  readonly stepS: number;
}

/**
 * Pennes (1948): rho c dT/dt = div(k grad T) + omega rho_b c_b (T_a - T) + Q_m + Q_src.
 *
 * The solver works on the rise theta = T - T_rest above the resting steady state
 * T_rest = T_a + Q_m / (omega rho_b c_b) (see restingTempC): metabolic heat is constant, so it
 * only sets T_rest and drops out of the equation for theta. With constant properties the equation
 * for theta is linear, which is what lets the scenario model superpose several sources, each
 * solved here around its own centre (exact for a homogeneous medium).
 *
 * Discretisation: finite volumes on spherical shells (flux through each shell face k*4*pi*r^2 *
 * dtheta/dr, so the point-source 1/r profile is reproduced to second order), backward Euler in
 * time, tridiagonal solve (Thomas) with the matrix factorised once.
 */
export class PennesRadial {
  /** Number of shells. */
  readonly cellCount: number;
  /** Shell thickness, m. */
  readonly cellM: number;
  /** Time step, s. */
  readonly stepS: number;
  /** Rise above resting temperature at each shell centre, degC (K). Owned by the solver. */
  readonly riseC: Float64Array;
  /** Shell volumes, m^3. */
  readonly volumeM3: Float64Array;

  private readonly capacityPerStep: Float64Array; // rho c V / dt, W/K
  private readonly lower: Float64Array; // sub-diagonal (conductance to the inner shell), W/K
  private readonly upper: Float64Array; // super-diagonal (conductance to the outer shell), W/K
  private readonly cPrime: Float64Array; // Thomas: modified super-diagonal
  private readonly denom: Float64Array; // Thomas: pivots
  private readonly scratch: Float64Array;

  constructor(coeffs: PennesCoefficients, grid: RadialGrid) {
    if (!(grid.cellM > 0) || !(grid.radiusM > grid.cellM)) {
      throw new RangeError(`PennesRadial: grid.cellM must be > 0 and grid.radiusM > grid.cellM (got ${grid.cellM}, ${grid.radiusM})`);
    }
    if (!(grid.stepS > 0)) throw new RangeError(`PennesRadial: grid.stepS must be > 0 (got ${grid.stepS})`);
    const n = Math.round(grid.radiusM / grid.cellM);
    this.cellCount = n;
    this.cellM = grid.cellM;
    this.stepS = grid.stepS;
    this.riseC = new Float64Array(n);
    this.volumeM3 = new Float64Array(n);
    this.capacityPerStep = new Float64Array(n);
    this.lower = new Float64Array(n);
    this.upper = new Float64Array(n);
    this.cPrime = new Float64Array(n);
    this.denom = new Float64Array(n);
    this.scratch = new Float64Array(n);
    const diag = assembleShells(coeffs, this.cellM, n, this.volumeM3, this.lower, this.upper);
    for (let i = 0; i < n; i++) {
      this.capacityPerStep[i] = (coeffs.heatCapacityJM3K * this.volumeM3[i]) / grid.stepS;
      diag[i] = diag[i] + this.capacityPerStep[i];
    }
    factorise(diag, this.lower, this.upper, this.cPrime, this.denom);
  }

  /**
   * Advance one time step with `powerW` (W, negative for a sink) deposited in the shells with the
   * fractions `weights` (length cellCount, summing to 1; see sources.ts).
   */
  step(powerW: number, weights: Float64Array): void {
    const rhs = this.scratch;
    const theta = this.riseC;
    for (let i = 0; i < this.cellCount; i++) {
      rhs[i] = this.capacityPerStep[i] * theta[i] + powerW * weights[i];
    }
    solveFactorised(this.lower, this.cPrime, this.denom, rhs, theta);
  }

  /**
   * Rise at distance rM (m) from the centre, degC. Interpolates r*theta linearly between shell
   * centres (exact for the 1/r far field); inside the first shell centre it returns shell 0; at or
   * beyond the outer radius it returns 0.
   */
  riseAtM(rM: number): number {
    return interpolateRise(this.riseC, this.cellM, rM);
  }
}

/**
 * Steady-state rise for a constant `powerW` with deposition `weights` (the dt -> infinity limit of
 * the same discretisation). Used by the analytic tests.
 */
export function steadyStateRise(coeffs: PennesCoefficients, grid: Omit<RadialGrid, "stepS">, powerW: number, weights: Float64Array): Float64Array {
  const n = Math.round(grid.radiusM / grid.cellM);
  const volume = new Float64Array(n);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const diag = assembleShells(coeffs, grid.cellM, n, volume, lower, upper);
  const cPrime = new Float64Array(n);
  const denom = new Float64Array(n);
  factorise(diag, lower, upper, cPrime, denom);
  const rhs = new Float64Array(n);
  for (let i = 0; i < n; i++) rhs[i] = powerW * weights[i];
  const out = new Float64Array(n);
  solveFactorised(lower, cPrime, denom, rhs, out);
  return out;
}

/** Radius of the centre of shell i, m. */
export function shellCentreM(i: number, cellM: number): number {
  return (i + 0.5) * cellM;
}

/** Interpolation of a shell profile at rM; see {@link PennesRadial.riseAtM}. */
export function interpolateRise(rise: Float64Array, cellM: number, rM: number): number {
  const n = rise.length;
  const x = rM / cellM - 0.5; // fractional shell index
  if (x <= 0) return rise[0];
  if (rM >= n * cellM) return 0;
  const i = Math.floor(x);
  if (i >= n - 1) {
    // Between the last centre and the outer surface (rise 0 there).
    const rI = shellCentreM(n - 1, cellM);
    const rOut = n * cellM;
    const f = (rM - rI) / (rOut - rI);
    return (rI * rise[n - 1] * (1 - f)) / rM;
  }
  const f = x - i;
  const r0 = shellCentreM(i, cellM);
  const r1 = shellCentreM(i + 1, cellM);
  return (r0 * rise[i] * (1 - f) + r1 * rise[i + 1] * f) / rM;
}

/** Fills shell volumes and face conductances, returns the steady part of the diagonal. */
function assembleShells(coeffs: PennesCoefficients, cellM: number, n: number, volume: Float64Array, lower: Float64Array, upper: Float64Array): Float64Array {
  const diag = new Float64Array(n);
  const k = coeffs.conductivityWMK;
  for (let i = 0; i < n; i++) {
    const rIn = i * cellM;
    const rOut = (i + 1) * cellM;
    volume[i] = (4 / 3) * Math.PI * (rOut ** 3 - rIn ** 3);
    // Inner face (none for the centre shell): conductance k * area / distance between centres.
    const gIn = i === 0 ? 0 : (k * 4 * Math.PI * rIn * rIn) / cellM;
    // Outer face; the last shell sees the fixed outer surface half a shell away.
    const gOut = i === n - 1 ? (k * 4 * Math.PI * rOut * rOut) / (cellM / 2) : (k * 4 * Math.PI * rOut * rOut) / cellM;
    lower[i] = -gIn;
    upper[i] = i === n - 1 ? 0 : -gOut;
    diag[i] = gIn + gOut + coeffs.perfusionWM3K * volume[i];
  }
  return diag;
}

/** Thomas algorithm, factorisation part (the matrix does not change between steps). */
function factorise(diag: Float64Array, lower: Float64Array, upper: Float64Array, cPrime: Float64Array, denom: Float64Array): void {
  const n = diag.length;
  denom[0] = diag[0];
  cPrime[0] = upper[0] / denom[0];
  for (let i = 1; i < n; i++) {
    denom[i] = diag[i] - lower[i] * cPrime[i - 1];
    cPrime[i] = upper[i] / denom[i];
  }
}

/** Thomas algorithm, solve part: writes the solution of A x = rhs into out (rhs is overwritten). */
function solveFactorised(lower: Float64Array, cPrime: Float64Array, denom: Float64Array, rhs: Float64Array, out: Float64Array): void {
  const n = rhs.length;
  rhs[0] = rhs[0] / denom[0];
  for (let i = 1; i < n; i++) rhs[i] = (rhs[i] - lower[i] * rhs[i - 1]) / denom[i];
  out[n - 1] = rhs[n - 1];
  for (let i = n - 2; i >= 0; i--) out[i] = rhs[i] - cPrime[i] * out[i + 1];
}
