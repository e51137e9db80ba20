// The synthetic demo source: rest at 37 degC, staggered nerve plateaus, ablation probe hot, CO2 cools, deterministic.
import { describe, expect, it } from "vitest";
import { SyntheticSource } from "./synthetic-source";

function at(src: SyntheticSource, tMs: number): number[] {
  const t = new Float64Array(src.channelCount);
  const f = new Uint8Array(src.channelCount);
  src.read(tMs, t, f);
  return [...t];
}

describe("SyntheticSource", () => {
  it("rests at 37 degC, heats nerve sites towards staggered plateaus and the ablation probe towards 90", () => {
    const s = new SyntheticSource(["nerve", "nerve", "ablation", "reference"]);
    at(s, 0).forEach((v) => expect(Math.abs(v - 37)).toBeLessThan(0.06));
    const hot = at(s, 149900);
    expect(hot[0]).toBeGreaterThan(42.2);
    expect(hot[1]).toBeGreaterThan(40);
    expect(hot[1]).toBeLessThan(42);
    expect(hot[2]).toBeGreaterThan(80);
    expect(Math.abs(hot[3] - 37)).toBeLessThan(0.06);
    expect(at(s, 239000)[0]).toBeLessThan(37.5);
  });

  it("cools nerve sites after a CO2 mark", () => {
    const a = new SyntheticSource(["nerve"]);
    const b = new SyntheticSource(["nerve"]);
    b.onEvent("CO2 injected", 120000);
    expect(at(b, 121000)[0]).toBeLessThan(at(a, 121000)[0] - 1.5);
  });
});
