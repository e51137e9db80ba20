// Durations in words ("14 h 51 min"), never a clock-like "14:51:20".
import { describe, expect, it } from "vitest";
import { fmtDuration } from "../../host/dashboard/format";

describe("fmtDuration", () => {
  it("reads hours and minutes, minutes and seconds, or seconds", () => {
    expect(fmtDuration((14 * 3600 + 51 * 60 + 20) * 1000)).toBe("14 h 51 min");
    expect(fmtDuration(31_000)).toBe("31 s");
    expect(fmtDuration(185_000)).toBe("3 min 05 s");
    expect(fmtDuration(0)).toBe("0 s");
    expect(fmtDuration(86_400_000)).toBe("> 24 h");
    expect(fmtDuration(Infinity)).toBe("> 24 h");
  });
});
