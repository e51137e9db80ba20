// PushbackTicker: a streaming caller keeps the timer from ever waking the process; silence brings the timer back at its period.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PushbackTicker } from "../../../host/timing/pushback-ticker";

describe("PushbackTicker", () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] }));
  afterEach(() => vi.useRealTimers());

  it("input every 100 ms (with ±20 ms jitter) runs every tick inline: the 100 ms timer never fires", () => {
    const runs: boolean[] = [];
    const t = new PushbackTicker((inline) => runs.push(inline), 100);
    for (let i = 0; i < 50; i++) {
      vi.advanceTimersByTime(i % 2 ? 120 : 80);
      t.runInlineIfDue();
    }
    t.stop();
    expect(runs).toHaveLength(50);
    expect(runs.every((inline) => inline)).toBe(true);
  });

  it("after the input stops the timer fires 200 ms after the last inline run, then every 100 ms", () => {
    const at: number[] = [];
    const t = new PushbackTicker((inline) => at.push(inline ? -performance.now() : performance.now()), 100);
    vi.advanceTimersByTime(100); // timer: 100
    t.runInlineIfDue(); // 100 ms since the last run? no: 0 ms, not due
    vi.advanceTimersByTime(50);
    t.runInlineIfDue(); // inline at 150
    vi.advanceTimersByTime(500);
    t.stop();
    vi.advanceTimersByTime(500);
    expect(at.map(Math.round)).toEqual([100, -150, 350, 450, 550, 650]);
  });

  it("input faster than half the period runs the tick at most every 50 ms", () => {
    let n = 0;
    const t = new PushbackTicker(() => n++, 100);
    for (let i = 0; i < 100; i++) {
      vi.advanceTimersByTime(10);
      t.runInlineIfDue();
    }
    t.stop();
    expect(n).toBe(20);
  });

  it("a tick that throws does not stop the ticking", () => {
    let n = 0;
    const t = new PushbackTicker(() => {
      n++;
      throw new Error("boom");
    }, 100);
    for (let i = 0; i < 3; i++) expect(() => vi.advanceTimersByTime(100)).toThrow("boom");
    t.stop();
    expect(n).toBe(3);
  });
});
