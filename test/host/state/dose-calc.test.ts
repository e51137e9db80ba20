// Dose integration: clinical reference numbers, the conservative hotter-neighbour rule, and agreement with the device's integrator.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DoseIntegrator } from "../../../device/core/dose-integrator";
import { cem43RateMPerMs, DoseAccumulator } from "../../../host/state/dose-calc";
import { DoseChecker, MISMATCH_PERSIST } from "../../../host/state/dose-check";

/** Adds one valid reading of channel 0 to the device's integrator. */
function devAdd(dev: DoseIntegrator, tMs: number, cc: number): void {
  dev.addConfirmed(tMs, dev.nerve, 1, new Uint8Array(1), Int32Array.of(cc));
}

function run(acc: DoseAccumulator, fromMs: number, toMs: number, stepMs: number, cc: number | null) {
  for (let t = fromMs; t <= toMs; t += stepMs) acc.add(t, cc);
}

describe("CEM43 rate (Sapareto & Dewey 1984; clinical.md)", () => {
  it("is 0.25 CEM43/min at 42 degC, 1 at 43, 4 at 45", () => {
    expect(cem43RateMPerMs(4200) * 60_000).toBeCloseTo(250, 6);
    expect(cem43RateMPerMs(4300) * 60_000).toBeCloseTo(1000, 6);
    expect(cem43RateMPerMs(4500) * 60_000).toBeCloseTo(4000, 6);
  });
  it("gives ~16.5 CEM43 for 42.2 degC over 50 min", () => {
    const acc = new DoseAccumulator();
    run(acc, 0, 50 * 60_000, 100, 4220);
    expect(acc.cem43M / 1000).toBeCloseTo(16.5, 0);
    expect(acc.t42Ms).toBe(50 * 60_000);
    expect(acc.t70Ms).toBe(0);
  });
});

describe("DoseAccumulator", () => {
  it("counts an interval when either end is at or above the threshold (hotter end)", () => {
    const acc = new DoseAccumulator();
    run(acc, 0, 1000, 100, 4219);
    expect(acc.t42Ms).toBe(0);
    acc.add(1100, 4220); // interval 1000..1100 counted at 42.20
    expect(acc.t42Ms).toBe(100);
    acc.add(1200, 7000);
    acc.add(1300, 3700); // counted at the hotter end, 70.00
    expect(acc.t70Ms).toBe(200);
    expect(acc.t42Ms).toBe(300);
  });
  it("bridges a gap (fault tokens, missed samples) at the hotter neighbour", () => {
    const acc = new DoseAccumulator();
    acc.add(0, 4300);
    acc.add(100, null);
    acc.add(200, null);
    acc.add(1000, 4000); // 1000 ms at 43.00 degC
    expect(acc.t42Ms).toBe(1000);
    expect(acc.cem43M).toBeCloseTo(1000 * cem43RateMPerMs(4300), 9);
  });
  it("ignores repeated and out-of-order samples", () => {
    const acc = new DoseAccumulator();
    acc.add(100, 4300);
    acc.add(200, 4300);
    acc.add(200, 4300);
    acc.add(50, 4300);
    expect(acc.t42Ms).toBe(100);
  });
  it("agrees with the device's DoseIntegrator on random traces with faults and missed instants (property)", () => {
    const step = fc.record({ dtMs: fc.integer({ min: 1, max: 3000 }), cc: fc.option(fc.integer({ min: 3000, max: 8000 }), { freq: 5 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const host = new DoseAccumulator();
        const dev = new DoseIntegrator(1);
        let t = 0;
        for (const s of steps) {
          t += s.dtMs;
          host.add(t, s.cc);
          if (s.cc !== null) devAdd(dev, t, s.cc);
        }
        expect(host.t42Ms).toBe(dev.t42Ms[0]);
        expect(host.t70Ms).toBe(dev.t70Ms[0]);
        expect(Math.abs(host.cem43M - dev.cem43[0] * 1000)).toBeLessThanOrEqual(1e-9 * Math.max(1, host.cem43M));
      }),
      { numRuns: 300 },
    );
  });
});

describe("DoseChecker", () => {
  const D = (tMs: number, t42Ms: number, cem43M: number) => ({ type: "D" as const, seq: 0, tMs, ch: 0, t42Ms, t42Pm: 0, t70Ms: 0, t70Pm: 0, cem43M, cem43Pm: 0 });

  it("adopts the first D line as baseline, then agrees with the device's integrator fed the same readings", () => {
    const c = new DoseChecker();
    const dev = new DoseIntegrator(1);
    dev.set(0, 5000, 0, 1.234);
    c.sample(0, 4400);
    devAdd(dev, 0, 4400);
    expect(c.compare(D(0, 5000, 1234), 100).mismatch).toBeNull();
    for (let t = 100; t <= 60_000; t += 100) {
      const cc = 4300 + ((t / 100) % 50);
      c.sample(t, cc);
      devAdd(dev, t, cc);
      if (t % 1000 === 0) expect(c.compare(D(t, dev.t42Ms[0], Math.ceil(dev.cem43[0] * 1000)), 100).mismatch).toBe(false);
    }
  });

  it("declares a mismatch after MISMATCH_PERSIST D lines beyond tolerance", () => {
    const c = new DoseChecker();
    c.compare(D(0, 0, 0), 100);
    const verdicts: (boolean | null)[] = [];
    for (let t = 100; t <= 10_000; t += 100) {
      c.sample(t, 4400);
      if (t % 1000 === 0) verdicts.push(c.compare(D(t, 0, 0), 100).mismatch); // the device under-reports
    }
    expect(verdicts.slice(0, MISMATCH_PERSIST - 1).every((v) => v === false)).toBe(true);
    expect(verdicts[verdicts.length - 1]).toBe(true);
  });

  it("gives no verdict while readings are held back behind a gap", () => {
    const c = new DoseChecker();
    c.compare(D(0, 0, 0), 100);
    c.sample(100, 3700);
    expect(c.compare(D(5000, 0, 0), 100).mismatch).toBeNull();
  });

  it("rebases when the device's dose goes down (session START) and after invalidate()", () => {
    const c = new DoseChecker();
    c.compare(D(0, 9000, 9000), 100);
    expect(c.compare(D(100, 0, 0), 100).mismatch).toBeNull();
    c.invalidate();
    expect(c.compare(D(200, 77, 77), 100)).toMatchObject({ mismatch: null, t42Ms: 77 });
  });
});
