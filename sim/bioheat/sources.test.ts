import { describe, expect, it } from "vitest";
import { averagePowerW, cumulativeFraction, depositionWeights, lastPulseEndS, powerAtW } from "./sources";

describe("pulses", () => {
  const cycles = [{ startS: 10, durationS: 60, powerW: 30, repeatEveryS: 75, repeatCount: 3 }];

  it("powerAtW follows the duty cycle, [start, end) per pulse", () => {
    expect(powerAtW(cycles, 9.99)).toBe(0);
    expect(powerAtW(cycles, 10)).toBe(30);
    expect(powerAtW(cycles, 69.99)).toBe(30);
    expect(powerAtW(cycles, 70)).toBe(0);
    expect(powerAtW(cycles, 85)).toBe(30);
    expect(powerAtW(cycles, 160)).toBe(30);
    expect(powerAtW(cycles, 220)).toBe(0);
    expect(powerAtW(cycles, 235)).toBe(0); // no fourth cycle
  });

  it("averagePowerW is exact when a pulse edge falls inside the step", () => {
    expect(averagePowerW(cycles, 9.9, 10.1)).toBeCloseTo(15, 12);
    expect(averagePowerW(cycles, 0, 235)).toBeCloseTo((30 * 180) / 235, 12);
    expect(averagePowerW([{ startS: 0, durationS: 1, powerW: 40 }, { startS: 0.5, durationS: 1, powerW: 20 }], 0, 2)).toBeCloseTo(30, 12);
  });

  it("lastPulseEndS", () => {
    expect(lastPulseEndS(cycles)).toBe(220);
    expect(lastPulseEndS([])).toBe(0);
  });
});

describe("deposition profiles", () => {
  it("cumulative fractions rise from 0 to 1", () => {
    for (const kind of ["mwa", "rf", "hifu"] as const) {
      let prev = 0;
      for (let rMm = 0; rMm <= 200; rMm += 0.5) {
        const f = cumulativeFraction(kind, {}, rMm * 1e-3);
        expect(f).toBeGreaterThanOrEqual(prev - 1e-9);
        prev = f;
      }
      expect(prev).toBeGreaterThan(0.98); // RF 1/r^4 tail: 1 - a/r = 0.99 at 200 mm
    }
    // 3-D Gaussian focus: 90 % of the power within 2.5 sigma; nothing inside the MWA antenna body.
    expect(cumulativeFraction("hifu", { focalSigmaMm: 1 }, 2.5e-3)).toBeCloseTo(0.9, 1);
    expect(cumulativeFraction("mwa", { applicatorRadiusMm: 1 }, 0.9e-3)).toBe(0);
  });

  it("weights sum to 1 inside the domain", () => {
    for (const kind of ["mwa", "rf", "hifu", "point"] as const) {
      const w = depositionWeights(kind, {}, 0.5e-3, 120);
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });
});
