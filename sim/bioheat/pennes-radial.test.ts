import { describe, expect, it } from "vitest";
import { erfc } from "./erf";
import { PennesRadial, steadyStateRise, interpolateRise } from "./pennes-radial";
import { depositionWeights } from "./sources";
import { TISSUES, pennesCoefficients, perfusionLengthM } from "./tissue-properties";

const CELL_M = 0.5e-3;
const muscle = pennesCoefficients(TISSUES.muscle);
const unperfused = { ...muscle, perfusionWM3K: 0, metabolicWM3: 0 };
const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe("PennesRadial against analytic solutions", () => {
  it("steady point source in perfused muscle: P/(4 pi k r) exp(-r/L) within 0.5 % for 3-40 mm", () => {
    const radiusM = 0.15; // > 10 perfusion lengths (L = 13.9 mm), outer boundary effect < 1e-4
    const n = Math.round(radiusM / CELL_M);
    const powerW = 1;
    const rise = steadyStateRise(muscle, { cellM: CELL_M, radiusM }, powerW, depositionWeights("point", {}, CELL_M, n));
    const L = perfusionLengthM(muscle);
    expect(L * 1e3).toBeCloseTo(13.9, 1);
    for (const rMm of [3, 5, 10, 15, 20, 30, 40]) {
      const r = rMm * 1e-3;
      const exact = (powerW / (4 * Math.PI * muscle.conductivityWMK * r)) * Math.exp(-r / L);
      expect(relErr(interpolateRise(rise, CELL_M, r), exact)).toBeLessThan(0.005);
    }
  });

  it("steady pure conduction in a sphere held at 0 on r = R: P/(4 pi k) (1/r - 1/R) within 0.5 %", () => {
    const radiusM = 0.05;
    const n = Math.round(radiusM / CELL_M);
    const rise = steadyStateRise(unperfused, { cellM: CELL_M, radiusM }, 2, depositionWeights("point", {}, CELL_M, n));
    for (const rMm of [3, 5, 10, 20, 40]) {
      const r = rMm * 1e-3;
      const exact = (2 / (4 * Math.PI * unperfused.conductivityWMK)) * (1 / r - 1 / radiusM);
      expect(relErr(interpolateRise(rise, CELL_M, r), exact)).toBeLessThan(0.005);
    }
  });

  it("transient pure conduction: continuous point source P/(4 pi k r) erfc(r / 2 sqrt(alpha t)) within 1 % at 600 s", () => {
    const solver = new PennesRadial(unperfused, { cellM: CELL_M, radiusM: 0.2, stepS: 0.25 });
    const w = depositionWeights("point", {}, CELL_M, solver.cellCount);
    const tS = 600;
    for (let k = 0; k < tS / 0.25; k++) solver.step(1, w);
    const alpha = unperfused.conductivityWMK / unperfused.heatCapacityJM3K;
    for (const rMm of [3, 5, 10, 15, 20]) {
      const r = rMm * 1e-3;
      const exact = (1 / (4 * Math.PI * unperfused.conductivityWMK * r)) * erfc(r / (2 * Math.sqrt(alpha * tS)));
      expect(relErr(solver.riseAtM(r), exact)).toBeLessThan(0.01);
    }
  });

  it("relaxes to the steady state and is linear in power (what superposition relies on)", () => {
    const grid = { cellM: CELL_M, radiusM: 0.08, stepS: 5 };
    const a = new PennesRadial(muscle, grid);
    const b = new PennesRadial(muscle, grid);
    const w = depositionWeights("mwa", {}, CELL_M, a.cellCount);
    for (let k = 0; k < 3000; k++) {
      a.step(3, w);
      b.step(6, w);
    }
    const steady = steadyStateRise(muscle, grid, 3, w);
    for (const rMm of [5, 10, 20]) {
      expect(relErr(a.riseAtM(rMm * 1e-3), interpolateRise(steady, CELL_M, rMm * 1e-3))).toBeLessThan(1e-4);
      expect(b.riseAtM(rMm * 1e-3)).toBeCloseTo(2 * a.riseAtM(rMm * 1e-3), 9);
    }
  });

  it("stays finite and bounded over one hour of 0.25 s steps on a 60 mm grid (its speed is measured by npm run bench: sim)", () => {
    const solver = new PennesRadial(muscle, { cellM: CELL_M, radiusM: 0.06, stepS: 0.25 });
    const w = depositionWeights("mwa", {}, CELL_M, solver.cellCount);
    for (let k = 0; k < 14_400; k++) solver.step(k % 2 === 0 ? 10 : 0, w);
    const rise = solver.riseAtM(0.01);
    expect(Number.isFinite(rise)).toBe(true);
    expect(rise).toBeGreaterThan(0);
    expect(rise).toBeLessThan(63); // below 100 degC from a 37 degC baseline
  });

  it("rejects a bad grid with the option name", () => {
    expect(() => new PennesRadial(muscle, { cellM: 0, radiusM: 0.05, stepS: 1 })).toThrow(/grid.cellM/);
    expect(() => new PennesRadial(muscle, { cellM: 1e-3, radiusM: 0.05, stepS: 0 })).toThrow(/grid.stepS/);
  });
});
