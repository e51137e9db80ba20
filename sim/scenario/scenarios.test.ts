import { describe, expect, it } from "vitest";
import { listScenarios, loadScenarioByName } from "./load-scenario";
import { scenarioFigures } from "./scenario-figures";

/** Tolerances between the documented figures ("expected" in each file) and a fresh run. */
const PEAK_TOL_C = 0.05;
const TIME_TOL_S = 1;

describe("shipped scenarios reproduce their documented figures", () => {
  for (const name of listScenarios()) {
    it(name, () => {
      const loaded = loadScenarioByName(name);
      const expected = loaded.scenario.expected;
      expect(expected, `${name} documents no expected figures`).toBeDefined();
      const figures = scenarioFigures(loaded);
      for (const c of loaded.scenario.channels) {
        const e = expected?.[c.label];
        const f = figures[c.label];
        expect(e, `${name}: no expected figures for ${c.label}`).toBeDefined();
        if (e === undefined || f === undefined) continue;
        expect(Math.abs(f.peakC - e.peakC), `${name}/${c.label} peak`).toBeLessThanOrEqual(PEAK_TOL_C);
        expect(Math.abs(f.timeAbove42S - e.timeAbove42S), `${name}/${c.label} time above 42`).toBeLessThanOrEqual(TIME_TOL_S);
        if (e.firstAbove42S !== undefined) {
          if (e.firstAbove42S === null) expect(f.firstAbove42S).toBeNull();
          else expect(Math.abs((f.firstAbove42S ?? Number.NaN) - e.firstAbove42S)).toBeLessThanOrEqual(TIME_TOL_S);
        }
      }
    });
  }
});

describe("spinal MWA scenarios are clinically plausible", () => {
  const nerves = ["canal", "foramen-L", "foramen-R"];

  it("spinal-mwa-safe: every nerve probe peaks below 41 degC; the ablation zone reaches 60-100 degC", () => {
    const f = scenarioFigures(loadScenarioByName("spinal-mwa-safe"));
    for (const n of nerves) expect(f[n].peakC).toBeLessThan(41);
    expect(f["ablation-zone"].peakC).toBeGreaterThan(60);
    expect(f["ablation-zone"].peakC).toBeLessThan(100);
  });

  it("spinal-mwa-cooled: canal crosses 42 degC at 2-3 min, is back below 30-60 s after the CO2, peak < 45", () => {
    const loaded = loadScenarioByName("spinal-mwa-cooled");
    const co2 = loaded.scenario.kind === "model" ? loaded.scenario.cooling[0] : undefined;
    expect(co2?.kind).toBe("co2");
    const f = scenarioFigures(loaded);
    const canal = f.canal;
    expect(canal.firstAbove42S).toBeGreaterThanOrEqual(120);
    expect(canal.firstAbove42S).toBeLessThanOrEqual(180);
    expect(canal.lastBelow42S).not.toBeNull();
    const back = (canal.lastBelow42S ?? 0) - (co2?.atS ?? 0);
    expect(back).toBeGreaterThanOrEqual(30);
    expect(back).toBeLessThanOrEqual(60);
    for (const n of nerves) expect(f[n].peakC).toBeLessThan(45);
    expect(f["ablation-zone"].peakC).toBeGreaterThan(60);
  });

  it("spinal-mwa-overshoot: canal crosses 45 degC and overshoots to 46-48 degC after the energy stops", () => {
    const loaded = loadScenarioByName("spinal-mwa-overshoot");
    const f = scenarioFigures(loaded);
    expect(f.canal.peakC).toBeGreaterThan(46);
    expect(f.canal.peakC).toBeLessThan(48);
    const energyEndS = 170;
    expect(f.canal.peakAtS).toBeGreaterThan(energyEndS + 30);
  });
});
