// HistoryBuffer: time order, late (resent) rows in place, duplicates dropped, cap, crossing lookup.
import { describe, expect, it } from "vitest";
import { HistoryBuffer, toDegC } from "../../host/dashboard/history-buffer";
import type { ReadingRow } from "../../host/ws/ws-messages";

const row = (seq: number, v: ReadingRow["valuesCc"], resent = false): ReadingRow => ({ seq, tMs: seq * 100, atMs: 1_000_000 + seq * 100, valuesCc: v, resent });

describe("HistoryBuffer", () => {
  it("appends in order and converts centi-degC, fault tokens become gaps", () => {
    const h = new HistoryBuffer();
    h.reset(2);
    h.push(row(0, [3700, "OC"]), 5);
    h.push(row(1, [3712, 4000]), 6);
    expect(h.x).toEqual([1000, 1000.1]);
    expect(h.y).toEqual([[37, 37.12], [null, 40]]);
    expect(h.recvMs).toEqual([5, 6]);
    expect(toDegC("SP")).toBeNull();
  });

  it("inserts a resent row by time and drops an exact duplicate", () => {
    const h = new HistoryBuffer();
    h.reset(1);
    for (const s of [0, 1, 3, 4]) h.push(row(s, [3700 + s]), 0);
    expect(h.push(row(2, [3702], true), 0)).toBe(true);
    expect(h.seq).toEqual([0, 1, 2, 3, 4]);
    expect(h.y[0]).toEqual([37, 37.01, 37.02, 37.03, 37.04]);
    expect(h.push(row(2, [3702], true), 0)).toBe(false);
    expect(h.push(row(4, [3704]), 0)).toBe(false);
    expect(h.duplicates).toBe(2);
    expect(h.length).toBe(5);
  });

  it("keeps at most cap * 1.1 rows, cutting the oldest down to the cap", () => {
    const h = new HistoryBuffer(100);
    h.reset(1);
    for (let s = 0; s < 111; s++) h.push(row(s, [3700]), 0);
    expect(h.length).toBe(100);
    expect(h.seq[0]).toBe(11);
    expect(h.y[0]).toHaveLength(100);
    expect(() => new HistoryBuffer(0)).toThrow(/capRows/);
  });

  it("loads a snapshot's columns and finds the first row at or above a limit", () => {
    const h = new HistoryBuffer();
    h.load({ seq: [7, 8, 9], tMs: [700, 800, 900], atMs: [7000, 8000, 9000], valuesCc: [[4150, 4200, 4210], [3700, "ND", 3700]] }, 2, 42);
    expect(h.length).toBe(3);
    expect(h.firstAtOrAbove(0, 4200)).toEqual({ seq: 8, tMs: 800, atMs: 8000, recvMs: 42 });
    expect(h.firstAtOrAbove(1, 4200)).toBeNull();
    expect(h.firstAtOrAbove(5, 4200)).toBeNull();
  });
});
