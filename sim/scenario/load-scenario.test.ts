import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError, formatPath, listScenarios, loadScenarioByName, loadScenarioFile, parseScenario, parseScenarioText } from "./load-scenario";

const minimal = {
  kind: "model",
  name: "mini",
  description: "one antenna, one probe",
  durationS: 60,
  tissue: "muscle",
  channels: [{ label: "canal", role: "nerve", thermocouple: "T", chip: "MAX31856", positionMm: [0, 0, 0] }],
  sources: [{ id: "mwa", kind: "mwa", positionMm: [0, 10, 0], pulses: [{ startS: 0, durationS: 30, powerW: 30 }] }],
};

function issues(input: unknown): { path: string; message: string }[] {
  const r = parseScenario(input);
  if (r.success) throw new Error("expected a validation error");
  expect(r.error.code).toBe("SCENARIO_INVALID");
  return [...r.error.issues];
}

describe("scenario schema", () => {
  it("accepts every shipped scenario", () => {
    const names = listScenarios();
    for (const n of ["spinal-mwa-safe", "spinal-mwa-cooled", "spinal-mwa-overshoot", "lung-mwa", "hifu-liver", "synthetic-step", "synthetic-ramp", "synthetic-plateau-42-5", "synthetic-71c"]) {
      expect(names).toContain(n);
    }
    for (const n of names) expect(loadScenarioByName(n).scenario.name).toBe(n);
  });

  it("fills defaults", () => {
    const r = parseScenario(minimal);
    expect(r.success).toBe(true);
    if (!r.success || r.data.kind !== "model") return;
    expect(r.data.baselineC).toBe(37);
    expect(r.data.solver).toEqual({ stepS: 0.25, cellMm: 0.5 });
    expect(r.data.sensor.seed).toBe(1);
    expect(r.data.sensor.emi.probability).toBe(0.02);
    expect(r.data.cooling).toEqual([]);
  });

  it("names the path of each problem", () => {
    const bad = structuredClone(minimal) as Record<string, unknown> & typeof minimal;
    (bad.sources[0].pulses[0] as { durationS: number }).durationS = -1;
    expect(issues(bad)).toContainEqual({ path: "sources[0].pulses[0].durationS", message: "must be > 0" });

    expect(issues({ ...minimal, tissue: "granite" }).map((i) => i.path)).toContain("tissue");
    expect(issues({ ...minimal, colour: "red" }).map((i) => i.path)).toContain("(root)");
    expect(issues({ ...minimal, channels: [{ ...minimal.channels[0], positionMm: undefined }] })).toContainEqual({ path: "channels[0].positionMm", message: "is required in a model scenario" });
    expect(issues({ ...minimal, cooling: [{ atS: 5, kind: "co2", targets: ["cord"] }] }).map((i) => i.path)).toContain("cooling[0].targets[0]");
    expect(issues({ ...minimal, sources: [{ ...minimal.sources[0], pulses: [{ startS: 0, durationS: 30, powerW: 30, repeatCount: 3 }] }] }).map((i) => i.path)).toContain("sources[0].pulses[0].repeatEveryS");
    expect(issues({ ...minimal, channels: [minimal.channels[0], minimal.channels[0]] }).map((i) => i.path)).toContain("channels[1].label");
    expect(issues({ ...minimal, sensor: { faults: [{ channel: "canal", kind: "melted", startS: 1 }] } }).map((i) => i.path)).toContain("sensor.faults[0].kind");
  });

  it("checks trace scenarios", () => {
    const trace = { kind: "trace", name: "t", description: "d", durationS: 10, channels: [{ label: "a", role: "nerve", thermocouple: "T", chip: "MAX31856" }] };
    expect(issues(trace).map((i) => i.path)).toContain("keyframes");
    expect(issues({ ...trace, keyframes: { a: [[0, 37], [5, 38], [4, 39]] } }).map((i) => i.path)).toContain("keyframes.a[2][0]");
    expect(issues({ ...trace, keyframes: { b: [[0, 37]] } }).map((i) => i.path)).toEqual(expect.arrayContaining(["keyframes.a", "keyframes.b"]));
    expect(parseScenario({ ...trace, keyframes: { a: [[0, 37]] } }).success).toBe(true);
  });

  it("reports JSON, missing-file and CSV errors with their code", () => {
    const r = parseScenarioText("{ nope", "x.json");
    expect(r.success ? null : r.error.code).toBe("SCENARIO_JSON");
    expect(() => loadScenarioByName("no-such")).toThrow(ScenarioError);
    try {
      loadScenarioByName("no-such");
    } catch (e) {
      expect((e as ScenarioError).code).toBe("SCENARIO_NOT_FOUND");
    }
    const dir = mkdtempSync(join(tmpdir(), "scenario-"));
    const file = join(dir, "s.json");
    writeFileSync(file, JSON.stringify({ kind: "trace", name: "s", description: "d", durationS: 1, channels: [{ label: "a", role: "nerve", thermocouple: "T", chip: "MAX31856" }], csvFile: "s.csv" }));
    writeFileSync(join(dir, "s.csv"), "time_s,b\n0,37\n");
    expect(() => loadScenarioFile(file)).toThrow(/no column for channel\(s\) a/);
    writeFileSync(join(dir, "s.csv"), "time_s,a\n0,37\n1,x\n");
    expect(() => loadScenarioFile(file)).toThrow(/line 3/);
  });

  it("formats paths", () => {
    expect(formatPath(["a", 0, "b"])).toBe("a[0].b");
    expect(formatPath([])).toBe("(root)");
  });
});
