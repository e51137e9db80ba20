// Deadline scheduler: instants at start + n * period, no drift, skips after a stall without a burst.
import { describe, expect, it } from "vitest";
import { Deadline } from "./deadline";

describe("Deadline", () => {
  it("schedules start + n * period and tolerates wake-up jitter without drift", () => {
    const d = new Deadline(0, 100);
    const taken: number[] = [];
    for (let i = 0; i < 36000; i++) {
      const wake = d.nextMs() + (i % 7); // up to 6 ms late, never cumulative
      expect(d.take(wake)).toBe(0);
      taken.push(wake);
    }
    expect(d.nextMs()).toBe(3600000); // one hour of 10 Hz: exactly 36000 periods
    expect(d.missed).toBe(0);
  });

  it("is not due before the next instant", () => {
    const d = new Deadline(1000, 100);
    expect(d.take(999)).toBe(-1);
    expect(d.untilNextMs(950)).toBe(50);
    expect(d.take(1000)).toBe(0);
    expect(d.take(1050)).toBe(-1);
  });

  it("after a stall takes one sample, counts the missed instants and resumes on the grid (no burst)", () => {
    const d = new Deadline(0, 100);
    d.take(0);
    d.take(100);
    expect(d.take(2350)).toBe(21); // instants 200..2200 missed, 2300 taken late at 2350
    expect(d.missed).toBe(21);
    expect(d.nextMs()).toBe(2400);
    expect(d.take(2360)).toBe(-1); // no catch-up
    expect(d.take(2400)).toBe(0);
  });

  it("keeps fractional periods exact (3 Hz)", () => {
    const d = new Deadline(0, 1000 / 3);
    for (let i = 0; i < 3 * 3600; i++) expect(d.take(Math.ceil(d.nextMs()))).toBe(0);
    expect(d.nextMs()).toBeCloseTo(3600000, 6);
  });
});
