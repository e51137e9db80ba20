// Dose bars: fractions from the device, remaining time at the present temperature (clinical.md numbers).
import { describe, expect, it } from "vitest";
import { cem43PerMin, doseBars } from "../../host/dashboard/dose-math";
import type { Dose, Limits } from "../../host/ws/ws-messages";
import { DEFAULT_LIMITS } from "../../protocol";

const limits: Limits = { ...DEFAULT_LIMITS };
const dose = (d: Partial<Dose>): Dose => ({ ch: 0, tMs: 0, atMs: 0, t42Ms: 0, t42Pm: 0, t70Ms: 0, t70Pm: 0, cem43M: 0, cem43Pm: 0, check: null, ...d });

describe("cem43PerMin", () => {
  it("matches clinical.md: 42 degC gives 0.25 CEM43/min, 45 degC gives 4, 43 gives 1", () => {
    expect(cem43PerMin(42)).toBeCloseTo(0.25, 12);
    expect(cem43PerMin(45)).toBeCloseTo(4, 12);
    expect(cem43PerMin(43)).toBe(1);
  });
});

describe("doseBars", () => {
  it("counts down the 42.2 degC limit only at or above 42.2 degC", () => {
    const d = dose({ t42Ms: 10 * 60_000, t42Pm: 200 });
    expect(doseBars(d, limits, 42.2).t42).toEqual({ fraction: 0.2, used: 10, limit: 50, remainingMs: 40 * 60_000 });
    expect(doseBars(d, limits, 42.19).t42.remainingMs).toBeNull();
    expect(doseBars(d, limits, null).t42.remainingMs).toBeNull();
  });

  it("counts down the 70 degC limit only at or above 70 degC", () => {
    const d = dose({ t70Ms: 60_000, t70Pm: 200 });
    expect(doseBars(d, limits, 70).t70.remainingMs).toBe(4 * 60_000);
    expect(doseBars(d, limits, 69.9).t70.remainingMs).toBeNull();
  });

  it("CEM43: 16.5 left at 45 degC lasts 16.5 / 4 min; a used-up dose has 0 left", () => {
    expect(doseBars(dose({}), limits, 45).cem43.remainingMs).toBeCloseTo((16.5 / 4) * 60_000, 6);
    const over = doseBars(dose({ cem43M: 20_000, cem43Pm: 1212 }), limits, 45).cem43;
    expect(over).toMatchObject({ fraction: 1.212, used: 20, limit: 16.5, remainingMs: 0 });
  });
});
