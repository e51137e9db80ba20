// The publisher's period on a grid with slack, explicit times: the 1 s status heartbeat riding the bridge's wake-ups.
import { describe, expect, it } from "vitest";
import { Cadence } from "../../host/mqtt/cadence";

/** Runs a cadence over wake-up times; returns the times it ran at. */
function runs(c: Cadence, wakeupsMs: number[]): number[] {
  return wakeupsMs.filter((t) => c.takeIfDue(t));
}

describe("cadence", () => {
  it("a 1 s heartbeat on 10 Hz serial chunks runs at the first chunk then once a second: 61 times in 60 s (the central station calls a room silent after 3 s)", () => {
    const c = new Cadence(1000);
    const chunks = Array.from({ length: 600 }, (_, i) => i * 100 + (i % 3) * 7);
    const at = runs(c, chunks);
    expect(at.length).toBe(61);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(750);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1100);
  });

  it("on the bridge's own once-a-second status outputs (a silent device), 40 ms early or late, runs on every one of them", () => {
    const c = new Cadence(1000);
    const outputs = Array.from({ length: 30 }, (_, i) => i * 1000 + (i % 2 ? -40 : 40));
    expect(runs(c, outputs)).toEqual(outputs);
  });

  it("after a 10 s pause runs at the first wake-up, then restarts its grid from there", () => {
    const c = new Cadence(1000);
    expect(runs(c, [0, 10_000, 10_500, 10_800, 11_000])).toEqual([0, 10_000, 10_800]);
  });

  it("a wall clock set back 1 h does not stop the heartbeat: it runs at once and keeps the new time's grid", () => {
    const c = new Cadence(1000);
    expect(runs(c, [5_000_000, 5_001_000, 1_401_000, 1_401_500, 1_402_000])).toEqual([5_000_000, 5_001_000, 1_401_000, 1_402_000]);
  });

  it("run half a period early every time (a status sharing a readings batch's write), keeps one run a period: the grid moves 1000 ms a run", () => {
    const c = new Cadence(1000);
    c.ran(0);
    const grid: number[] = [];
    for (let t = 500; t <= 4500; t += 1000) {
      c.ran(t);
      grid.push(c.nextAtMs);
    }
    expect(grid).toEqual([2000, 3000, 4000, 5000, 6000]);
    expect(c.due(5200)).toBe(false);
  });
});
