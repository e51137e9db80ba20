// A tiny trace that asks for 1e300 s of simulation is refused with a code before anything is written.
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runToFile } from "../../sim/run-to-file";
import { ScenarioError } from "../../sim/scenario/load-scenario";
import { MAX_SIM_DURATION_S } from "../../sim/sim-limits";
import { loadSimSource } from "../../sim/virtual-device";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-trace-bounds-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function loadError(csv: string): Promise<ScenarioError> {
  const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(file, csv);
  const e = await loadSimSource(file).then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ScenarioError);
  return e as ScenarioError;
}

describe("trace bounds", () => {
  it("a 24-byte CSV ending at time_s 1e300 is refused (SCENARIO_CSV, CSV_TIME_RANGE)", async () => {
    const e = await loadError("time_s,a\n0,37\n1e300,38\n");
    expect(e.code).toBe("SCENARIO_CSV");
    expect(e.message).toContain("CSV_TIME_RANGE");
  });

  it("a temperature no thermocouple can read is refused (CSV_VALUE_RANGE)", async () => {
    const e = await loadError("time_s,a\n0,37\n1,1e300\n");
    expect(e.message).toContain("CSV_VALUE_RANGE");
  });

  it("a headless run longer than 24 h is refused before its file is created (SIM_DURATION_RANGE)", async () => {
    const file = path.join(dir, "ok.csv");
    await writeFile(file, "time_s,a\n0,37\n1,38\n");
    const sim = await loadSimSource(file);
    const out = path.join(dir, "out.csv");
    for (const durationS of [1e300, MAX_SIM_DURATION_S + 1, 0, Number.NaN]) {
      await expect(runToFile(sim, out, { durationS })).rejects.toMatchObject({ code: "SIM_DURATION_RANGE" });
    }
    expect(await readdir(dir)).not.toContain("out.csv");
  });

  it("a 24 h scenario is still accepted (the bound is the longest session, not less)", async () => {
    const file = path.join(dir, "day.csv");
    await writeFile(file, `time_s,a\n0,37\n${MAX_SIM_DURATION_S},37\n`);
    const sim = await loadSimSource(file);
    expect(sim.durationS).toBe(MAX_SIM_DURATION_S);
  });
});
