// Dose integration against the clinical reference numbers (clinical.md) and the conservative gap rule.
import { describe, expect, it } from "vitest";
import { cem43RateMPerMs, DoseAccumulator } from "../../../host/state/dose-calc";
import { DoseChecker, MISMATCH_PERSIST } from "../../../host/state/dose-check";

function run(acc: DoseAccumulator, fromMs: number, toMs: number, stepMs: number, cc: number | null | ((t: number) => number | null)) {
  for (let t = fromMs; t < toMs; t += stepMs) acc.add(t, typeof cc === "function" ? cc(t) : cc);
}

describe("CEM43 rate (Sapareto & Dewey 1984; clinical.md)", () => {
  it("is 0.25 CEM43/min at 42 degC, 1 at 43, 4 at 45", () => {
    expect(cem43RateMPerMs(4200) * 60_000).toBeCloseTo(250, 6);
    expect(cem43RateMPerMs(4300) * 60_000).toBeCloseTo(1000, 6);
    expect(cem43RateMPerMs(4500) * 60_000).toBeCloseTo(4000, 6);
  });
  it("gives ~16.5 CEM43 for 42.2 degC over 50 min", () => {
    const acc = new DoseAccumulator(100);
    run(acc, 0, 50 * 60_000, 100, 4220);
    expect(acc.cem43M / 1000).toBeCloseTo(16.5, 0);
    expect(acc.t42Ms).toBe(50 * 60_000);
    expect(acc.t70Ms).toBe(0);
  });
});

describe("DoseAccumulator", () => {
  it("counts time at >= 42.2 degC and >= 70 degC exactly at the thresholds", () => {
    const acc = new DoseAccumulator(100);
    run(acc, 0, 1000, 100, 4219);
    expect(acc.t42Ms).toBe(0);
    run(acc, 1000, 2000, 100, 4220);
    expect(acc.t42Ms).toBe(1000);
    run(acc, 2000, 3000, 100, 7000);
    expect(acc.t70Ms).toBe(1000);
    expect(acc.t42Ms).toBe(2000);
  });
  it("bridges a gap (faults, missed samples) with the hotter neighbour", () => {
    const acc = new DoseAccumulator(100);
    acc.add(0, 4300);
    acc.add(100, 4300);
    acc.add(200, null);
    acc.add(300, null);
    acc.add(1100, 4000); // 1000 ms gap: counted at 43.00 degC (the hotter neighbour)
    expect(acc.t42Ms).toBe(200 + 1000); // first sample one period, second 100 ms, then the gap
    expect(acc.cem43M).toBeCloseTo(1200 * cem43RateMPerMs(4300), 9);
    const cold = new DoseAccumulator(100);
    cold.add(0, 3700);
    cold.add(100, 3700);
    cold.add(110, 4300); // not a gap: the sample's own temperature
    expect(cold.t42Ms).toBe(10);
  });
  it("ignores repeated and out-of-order samples", () => {
    const acc = new DoseAccumulator(100);
    acc.add(100, 4300);
    acc.add(100, 4300);
    acc.add(50, 4300);
    expect(acc.t42Ms).toBe(100);
  });
});

describe("DoseChecker", () => {
  const D = (tMs: number, t42Ms: number, cem43M: number) => ({ type: "D" as const, seq: 0, tMs, ch: 0, t42Ms, t42Pm: 0, t70Ms: 0, t70Pm: 0, cem43M, cem43Pm: 0 });

  it("adopts the first D line as baseline, then agrees with a device integrating the same samples", () => {
    const c = new DoseChecker(100);
    let dev42 = 5000;
    let devCem = 1234;
    const v0 = c.compare(D(0, dev42, devCem), 100);
    expect(v0.mismatch).toBeNull();
    for (let t = 100; t <= 60_000; t += 100) {
      c.sample(t, 4400);
      dev42 += 100;
      devCem += 100 * cem43RateMPerMs(4400);
      if (t % 1000 === 0) expect(c.compare(D(t, dev42, Math.floor(devCem)), 100).mismatch).toBe(false);
    }
  });

  it("declares a mismatch after MISMATCH_PERSIST D lines beyond tolerance, and ends it after as many within", () => {
    const c = new DoseChecker(100);
    c.compare(D(0, 0, 0), 100);
    const verdicts: (boolean | null)[] = [];
    for (let t = 100; t <= 10_000; t += 100) {
      c.sample(t, 4400);
      // the device counts no dose at all: under-reports
      if (t % 1000 === 0) verdicts.push(c.compare(D(t, 0, 0), 100).mismatch);
    }
    expect(verdicts.slice(0, MISMATCH_PERSIST - 1).every((v) => v === false)).toBe(true);
    expect(verdicts[verdicts.length - 1]).toBe(true);
  });

  it("gives no verdict while readings are held back behind a gap", () => {
    const c = new DoseChecker(100);
    c.compare(D(0, 0, 0), 100);
    c.sample(100, 3700);
    expect(c.compare(D(5000, 0, 0), 100).mismatch).toBeNull();
  });

  it("rebases when the device's dose goes down (session START) and after invalidate()", () => {
    const c = new DoseChecker(100);
    c.compare(D(0, 9000, 9000), 100);
    expect(c.compare(D(100, 0, 0), 100).mismatch).toBeNull();
    c.invalidate();
    expect(c.compare(D(200, 77, 77), 100)).toMatchObject({ mismatch: null, t42Ms: 77 });
  });
});
