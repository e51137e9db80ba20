// Focused regression tests for bugs the reliability suite found (each names the bug it pins down).
import { describe, expect, it } from "vitest";
import { InOrderReadings } from "../../host/state/in-order-readings";

describe("reliability regressions", () => {
  it("InOrderReadings skips a lost range of 4e9 seqs in one step (was: one Set entry per seq -> 'Set maximum size exceeded', bridge pipeline dead)", () => {
    const o = new InOrderReadings<string>();
    o.reset(5);
    expect(o.push(5, "a").rows).toEqual(["a"]);
    // A CRC-valid R line with seq 4e9 makes the tracker report [6, 4e9) lost.
    expect(o.push(4_000_000_000, "far").rows).toEqual([]);
    const t0 = performance.now();
    const r = o.lose(6, 4_000_000_000 - 6);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(r).toEqual({ rows: ["far"], crossedLoss: true });
    expect(o.push(4_000_000_001, "next")).toEqual({ rows: ["next"], crossedLoss: false });
  });

  it("InOrderReadings stops a skip at a row held inside the lost range", () => {
    const o = new InOrderReadings<number>();
    o.reset(0);
    o.push(0, 0);
    o.push(50, 50);
    o.push(200, 200);
    expect(o.lose(1, 1000)).toEqual({ rows: [50, 200], crossedLoss: true });
    expect(o.push(1001, 1001).rows).toEqual([1001]);
  });
});
