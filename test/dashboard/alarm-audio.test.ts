// When bursts are due: IEC 60601-1-8 pulse counts and repeat intervals.
import { describe, expect, it } from "vitest";
import { dueBurst, HIGH_BURST_MS, HIGH_REPEAT_MS, MEDIUM_BURST_MS, MEDIUM_REPEAT_MS } from "../../host/dashboard/alarm-audio";

describe("alarm sound", () => {
  it("has 10 pulses for high priority and 3 for medium", () => {
    expect(HIGH_BURST_MS).toHaveLength(10);
    expect(MEDIUM_BURST_MS).toHaveLength(3);
  });

  it("sounds at once on a new or higher priority, then repeats at the interval; low priority is silent", () => {
    const none = { prio: null, atMs: 0 };
    expect(dueBurst("H", 1000, none)).toBe("H");
    expect(dueBurst("H", 1000 + HIGH_REPEAT_MS - 1, { prio: "H", atMs: 1000 })).toBeNull();
    expect(dueBurst("H", 1000 + HIGH_REPEAT_MS, { prio: "H", atMs: 1000 })).toBe("H");
    expect(dueBurst("H", 1001, { prio: "M", atMs: 1000 })).toBe("H");
    expect(dueBurst("M", 1000 + MEDIUM_REPEAT_MS - 1, { prio: "M", atMs: 1000 })).toBeNull();
    expect(dueBurst("L", 1000, none)).toBeNull();
    expect(dueBurst(null, 1000, none)).toBeNull();
  });
});
