// The publisher's outbound queue with explicit times: readings batched and capped (dropped counted), alarms kept in order, latest values coalesced.
import { describe, expect, it } from "vitest";
import { MAX_ROWS_PER_BATCH, OutboundQueue, batchPeriodProblem } from "../../host/mqtt/outbound-queue";
import type { ReadingRow } from "../../host/ws/ws-messages";

const row = (seq: number): ReadingRow => ({ seq: seq, tMs: seq * 100, atMs: 1_000_000 + seq * 100, valuesCc: [3700 + seq] });
const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => row(from + i));

describe("outbound queue", () => {
  it("batches readings by the period: rows pushed within 250 ms go out as one batch at the next due take", () => {
    const q = new OutboundQueue({ maxRows: 600, maxKept: 100, batchMs: 250 });
    q.pushRows(rows(1, 1));
    expect(q.take(0).rowBatches.map((b) => b.map((r) => r.seq))).toEqual([[1]]);
    q.pushRows(rows(2, 2));
    expect(q.take(100).rowBatches).toEqual([]); // 100 ms after the last batch: not due
    q.pushRows(rows(4, 1));
    expect(q.take(249).rowBatches).toEqual([]);
    expect(q.rowsDueAtMs).toBe(250);
    expect(q.take(250).rowBatches.map((b) => b.map((r) => r.seq))).toEqual([[2, 3, 4]]);
  });

  it("while the broker is away holds 600 rows (60 s at 10 Hz); 90 s of readings drop the oldest 300, counted; the rest go out in 100-row batches", () => {
    const q = new OutboundQueue({ maxRows: 600, maxKept: 100, batchMs: 100 });
    for (let s = 0; s < 900; s++) q.pushRows([row(s + 1)]);
    expect(q.droppedRows).toBe(300);
    const { rowBatches } = q.take(90_000);
    expect(rowBatches.length).toBe(600 / MAX_ROWS_PER_BATCH);
    expect(rowBatches[0][0].seq).toBe(301);
    expect(rowBatches.at(-1)!.at(-1)!.seq).toBe(900);
  });

  it("keeps every alarm and event in order through an outage, and counts only beyond its cap", () => {
    const q = new OutboundQueue<"alarms" | "events">({ maxRows: 10, maxKept: 5, batchMs: 100 });
    for (let n = 1; n <= 4; n++) q.pushKept({ kind: n % 2 ? "alarms" : "events", payload: { n } });
    expect(q.take(0).kept.map((m) => (m.payload as { n: number }).n)).toEqual([1, 2, 3, 4]);
    for (let n = 5; n <= 11; n++) q.pushKept({ kind: "alarms", payload: { n } });
    expect(q.droppedKept).toBe(2);
    expect(q.take(0).kept.map((m) => (m.payload as { n: number }).n)).toEqual([7, 8, 9, 10, 11]);
  });

  it("sends only the newest status / link / dose of a key, latest values before the kept ones", () => {
    const q = new OutboundQueue<"status" | "link" | "alarms">({ maxRows: 10, maxKept: 10, batchMs: 100 });
    q.setLatest("status", { kind: "status", payload: { online: true, i: 1 } });
    q.pushKept({ kind: "alarms", payload: { n: 1 } });
    q.setLatest("link", { kind: "link", payload: { state: "lost" } });
    q.setLatest("status", { kind: "status", payload: { online: true, i: 2 } });
    const t = q.take(0);
    expect(t.latest.map((m) => m.payload)).toEqual([{ state: "lost" }, { online: true, i: 2 }]);
    expect(t.kept.length).toBe(1);
    expect(q.take(1).latest).toEqual([]);
  });

  it("accepts batch periods of 100 to 1000 ms only", () => {
    expect(batchPeriodProblem(100)).toBeNull();
    expect(batchPeriodProblem(1000)).toBeNull();
    expect(batchPeriodProblem(99)).toMatch(/100 to 1000/);
    expect(batchPeriodProblem(1001)).toMatch(/100 to 1000/);
  });
});
