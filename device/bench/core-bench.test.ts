// The device benchmark runs (small sizes) and reports plausible figures.
import { describe, expect, it } from "vitest";
import { measureCoreCostNsPerChannelSample } from "./core-bench";

describe("measureCoreCostNsPerChannelSample", () => {
  it("returns positive per-channel-sample costs", () => {
    const c = measureCoreCostNsPerChannelSample(1, 300);
    expect(c.channels).toBe(8);
    expect(c.stepNsPerChannelSample).toBeGreaterThan(0);
    expect(c.tickNsPerChannelSample).toBeGreaterThan(0);
  });
});
