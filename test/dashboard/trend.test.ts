// Trend slope and predicted time to a limit.
import { describe, expect, it } from "vitest";
import { etaToLimitMs, slopeCPerMin, TREND_RISING_C_PER_MIN } from "../../host/dashboard/trend";

const series = (n: number, dtS: number, f: (t: number) => number | null) => {
  const x: number[] = [];
  const y: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    x.push(1000 + i * dtS);
    y.push(f(i * dtS));
  }
  return { x, y };
};

describe("slopeCPerMin", () => {
  it("recovers a linear ramp in degC per minute, ignoring fault gaps", () => {
    const { x, y } = series(300, 0.1, (t) => (Math.round(t * 10) % 7 === 0 ? null : 37 + t / 60));
    expect(slopeCPerMin(x, y)).toBeCloseTo(1, 6);
  });

  it("uses only the last 30 s: an old plateau does not flatten a new rise", () => {
    const { x, y } = series(900, 0.1, (t) => (t < 60 ? 37 : 37 + (t - 60) * 0.05));
    expect(slopeCPerMin(x, y)).toBeCloseTo(3, 6);
  });

  it("is null with too few points or too short a span", () => {
    expect(slopeCPerMin([], [])).toBeNull();
    const short = series(30, 0.1, (t) => 37 + t);
    expect(slopeCPerMin(short.x, short.y)).toBeNull();
    const sparse = series(40, 1, (t) => (t % 10 === 0 ? 37 : null));
    expect(slopeCPerMin(sparse.x, sparse.y)).toBeNull();
  });
});

describe("etaToLimitMs", () => {
  it("predicts the crossing while rising, nothing otherwise", () => {
    expect(etaToLimitMs(41, 2, 42)).toBe(30_000);
    expect(etaToLimitMs(41, TREND_RISING_C_PER_MIN / 2, 42)).toBeNull();
    expect(etaToLimitMs(41, -1, 42)).toBeNull();
    expect(etaToLimitMs(42.1, 2, 42)).toBeNull();
    expect(etaToLimitMs(41, null, 42)).toBeNull();
  });
});

describe("rateSeries", () => {
  it("a ramp of 2 degC/min reads +2.0 once the 10 s window is filled; gaps stay null", async () => {
    const { rateSeries } = await import("../../host/dashboard/trend");
    const x = Array.from({ length: 300 }, (_, i) => i * 0.1);
    const y: (number | null)[] = x.map((t) => 37 + (2 / 60) * t);
    y[200] = null;
    const r = rateSeries(x, y);
    expect(r[40]).toBeNull(); // 4 s in: less than half the 10 s window yet
    expect(r[50]!).toBeCloseTo(2, 6);
    expect(r[299]!).toBeCloseTo(2, 6);
    expect(r[200]).toBeNull();
    expect(r[150]!).toBeCloseTo(2, 6);
  });
});
