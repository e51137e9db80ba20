// Reading a truth timeline at sample instants: gaps stay gaps, and the rows on either side of a gap stay data.
import { describe, expect, it } from "vitest";
import { FAULT_NO_DATA, FAULT_NONE } from "../device/source";
import { SimSource } from "./sim-source";

function readAt(src: SimSource, nowMs: number): { tempC: number; fault: number } {
  const t = new Float64Array(src.channelCount);
  const f = new Uint8Array(src.channelCount);
  src.read(nowMs, t, f);
  return { tempC: t[0]!, fault: f[0]! };
}

describe("TruthTimeline through a CSV replay", () => {
  it("a one-row gap at 10 Hz leaves the next row's value on its own sample", () => {
    const src = SimSource.fromCsv("time_s,canal\n0,37\n0.1,37.1\n0.2,\n0.3,37.3\n0.4,37.4\n");
    const got = [0, 100, 200, 300, 400].map((ms) => readAt(src, ms));
    expect(got.map((g) => g.fault)).toEqual([FAULT_NONE, FAULT_NONE, FAULT_NO_DATA, FAULT_NONE, FAULT_NONE]);
    expect(got[1]!.tempC).toBeCloseTo(37.1, 9);
    expect(got[3]!.tempC).toBeCloseTo(37.3, 9);
    expect(got[4]!.tempC).toBeCloseTo(37.4, 9);
  });

  it("a gap spreads to the intervals beside it but not to the rows that bound them (1 s rows, 2 Hz reads)", () => {
    const src = SimSource.fromCsv("time_s,canal\n0,37\n1,38\n2,nan\n3,39\n4,40\n");
    const at = (ms: number) => readAt(src, ms);
    expect(at(0).tempC).toBe(37); // the first read is scenario time 0
    expect(at(1000).tempC).toBeCloseTo(38, 9);
    for (const ms of [1500, 2000, 2500]) expect(at(ms).fault, `${ms} ms`).toBe(FAULT_NO_DATA);
    const after = at(3000);
    expect(after.fault).toBe(FAULT_NONE);
    expect(after.tempC).toBeCloseTo(39, 9);
    expect(at(3500).tempC).toBeCloseTo(39.5, 9);
  });

  it("the true temperature (no lag) follows the same rule", () => {
    const src = SimSource.fromCsv("time_s,canal\n0,37\n0.1,\n0.2,37.2\n");
    const out = new Float64Array(1);
    src.trueTemperatures(0, out);
    expect(out[0]).toBe(37);
    src.trueTemperatures(100, out);
    expect(Number.isNaN(out[0])).toBe(true);
    src.trueTemperatures(200, out);
    expect(out[0]).toBeCloseTo(37.2, 9);
  });
});
