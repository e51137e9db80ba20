import { describe, expect, it } from "vitest";
import { COOLING_DEFAULTS, coolingConductanceWK, coolingEvent, coolingKindFromText, sinkPowerW } from "./cooling";

describe("cooling", () => {
  it("ramps in, holds, then fades", () => {
    const e = coolingEvent("co2", 100, ["canal"], { conductanceWK: 0.002, rampS: 20, durationS: 60, decayS: 30 });
    expect(coolingConductanceWK(e, 99)).toBe(0);
    expect(coolingConductanceWK(e, 110)).toBeCloseTo(0.001, 12);
    expect(coolingConductanceWK(e, 150)).toBe(0.002);
    expect(coolingConductanceWK(e, 190)).toBeCloseTo(0.002 * Math.exp(-1), 12);
  });

  it("draws G (T - T_coolant), only for events started by the step start", () => {
    const e = coolingEvent("iced-glucose", 10, ["canal"], { rampS: 0 });
    expect(sinkPowerW([e], 20, 20, 44)).toBeCloseTo(COOLING_DEFAULTS["iced-glucose"].conductanceWK * 40, 12);
    expect(sinkPowerW([e], 20, 9.9, 44)).toBe(0);
  });

  it("recognises operator texts, case-insensitive", () => {
    expect(coolingKindFromText("CO2 injected")).toBe("co2");
    expect(coolingKindFromText("mark event: co2")).toBe("co2");
    expect(coolingKindFromText("Iced GLUCOSE 10 ml")).toBe("iced-glucose");
    expect(coolingKindFromText("antenna repositioned")).toBeNull();
  });
});
