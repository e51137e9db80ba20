// TrendFit: the running-sum slope equals a direct weighted least-squares fit; linear traces give their exact slope; gaps reset.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TREND_TAU_MS } from "./core-constants";
import { TrendFit } from "./trend-fit";

/** Weighted least-squares slope (cC/ms) through points (tMs, cc) with weight exp(-(tLast - t) / tau), computed directly. */
function directSlope(pts: [number, number][]): number {
  const tl = pts[pts.length - 1][0];
  let s0 = 0, su = 0, sT = 0, suu = 0, suT = 0;
  for (const [t, v] of pts) {
    const w = Math.exp(-(tl - t) / TREND_TAU_MS);
    const u = t - tl;
    s0 += w; su += w * u; sT += w * v; suu += w * u * u; suT += w * u * v;
  }
  const den = s0 * suu - su * su;
  return den > 1e-6 ? (s0 * suT - su * sT) / den : 0;
}

function feed(fit: TrendFit, ch: number, tMs: number, cc: number): void {
  const vals = new Int32Array(fit.channelCount);
  vals[ch] = cc;
  fit.addList(tMs, vals, new Uint8Array(fit.channelCount), Uint8Array.of(ch), 1);
}

describe("TrendFit", () => {
  it("gives a linear rise its exact slope (1 degC/s sampled every 500 ms)", () => {
    const fit = new TrendFit(2);
    for (let t = 0; t <= 10_000; t += 500) feed(fit, 1, t, 3700 + t / 10);
    expect(fit.slope[1] * 1000).toBeCloseTo(100, 9);
    expect(fit.spanMs[1]).toBe(10_000);
    expect(fit.slope[0]).toBe(0);
  });

  it("agrees with a direct weighted least-squares fit on random traces with uneven intervals (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 3000, max: 6000 })), { minLength: 2, maxLength: 60 }), (steps) => {
        const fit = new TrendFit(1);
        const pts: [number, number][] = [];
        let t = 0;
        for (const [dt, v] of steps) {
          t += dt;
          pts.push([t, v]);
          feed(fit, 0, t, v);
        }
        const want = directSlope(pts);
        expect(Math.abs(fit.slope[0] - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)) + 1e-9);
      }),
    );
  });

  it("starts a fresh fit after a gap of 5 tau, and skips channels whose code is not 0", () => {
    const fit = new TrendFit(1);
    for (let t = 0; t <= 5000; t += 500) feed(fit, 0, t, 3700 + t / 10);
    expect(fit.slope[0]).toBeGreaterThan(0);
    feed(fit, 0, 5000 + 5 * TREND_TAU_MS, 4000);
    expect(fit.spanMs[0]).toBe(0);
    expect(fit.slope[0]).toBe(0);
    fit.addList(5000 + 5 * TREND_TAU_MS + 500, Int32Array.of(9000), Uint8Array.of(6), Uint8Array.of(0), 1);
    expect(fit.spanMs[0]).toBe(0);
  });
});
