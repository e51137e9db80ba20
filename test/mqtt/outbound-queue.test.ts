// The publisher's outbound queue with explicit times: readings batched and capped (dropped counted), alarms kept in order, latest values coalesced.
import { describe, expect, it } from "vitest";
import { MAX_ROWS_PER_BATCH, OutboundQueue, batchPeriodProblem } from "../../host/mqtt/outbound-queue";
import type { ReadingRow } from "../../host/ws/ws-messages";

const row = (seq: number): ReadingRow => ({ seq: seq, tMs: seq * 100, atMs: 1_000_000 + seq * 100, valuesCc: [3700 + seq] });
const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => row(from + i));

describe("outbound queue", () => {
  it("batches readings on a 250 ms grid: rows pushed between batches go out as one batch from 62.5 ms before the next grid point", () => {
    const q = new OutboundQueue({ maxRows: 600, maxKept: 100, batchMs: 250 });
    q.pushRows(rows(1, 1));
    expect(q.take(0).rowBatches.map((b) => b.map((r) => r.seq))).toEqual([[1]]);
    q.pushRows(rows(2, 2));
    expect(q.take(100).rowBatches).toEqual([]); // 100 ms after the last batch: not due
    q.pushRows(rows(4, 1));
    expect(q.rowsDueAtMs).toBe(187.5); // the first batch started the grid: next point 250, less the slack
    expect(q.take(187).rowBatches).toEqual([]);
    expect(q.take(190).rowBatches.map((b) => b.map((r) => r.seq))).toEqual([[2, 3, 4]]);
    expect(q.rowsDueAtMs).toBe(437.5); // grid point 250 -> 500: one period on, whatever the early take
  });

  it("at 100 ms batches, 10 Hz serial chunks arriving 80..120 ms apart each carry one batch: 50 batches in 5 s, none held back for a later wake-up", () => {
    const q = new OutboundQueue({ maxRows: 600, maxKept: 100, batchMs: 100 });
    const gapsMs = [100, 99, 101, 80, 120, 98, 102, 95, 105, 100];
    let tMs = 0;
    let batches = 0;
    let heldTakes = 0;
    for (let i = 0; i < 50; i++) {
      tMs += gapsMs[i % gapsMs.length];
      q.pushRows([row(i + 1)]);
      const n = q.take(tMs).rowBatches.length;
      batches += n;
      if (n === 0) heldTakes++;
    }
    expect(batches).toBe(50);
    expect(heldTakes).toBe(0);
    expect(q.rowCount).toBe(0);
  });

  it("at 1000 ms batches fed by 10 Hz chunks: the first row at once, then one batch of 10 rows every 1000 ms (taken by the chunk 100 ms before the grid point)", () => {
    const q = new OutboundQueue({ maxRows: 600, maxKept: 100, batchMs: 1000 });
    const sent: { atMs: number; rows: number }[] = [];
    for (let i = 1; i <= 100; i++) {
      q.pushRows([row(i)]);
      for (const b of q.take(i * 100).rowBatches) sent.push({ atMs: i * 100, rows: b.length });
    }
    expect(sent.map((s) => s.atMs)).toEqual([100, 900, 1900, 2900, 3900, 4900, 5900, 6900, 7900, 8900, 9900]);
    expect(sent.map((s) => s.rows)).toEqual([1, 8, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
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

  it("doses ride the next readings batch instead of a write of their own, newest only; they also go with a status when no rows are due", () => {
    const q = new OutboundQueue<"doses" | "status">({ maxRows: 600, maxKept: 100, batchMs: 1000 });
    q.pushRows(rows(1, 1));
    q.take(0);
    q.pushRows(rows(2, 1));
    q.setRider("doses", { kind: "doses", payload: { cem43M: 1 } });
    expect(q.take(300).latest).toEqual([]); // batch not due at 300 ms: the doses wait
    q.setRider("doses", { kind: "doses", payload: { cem43M: 2 } });
    const t = q.take(800);
    expect(t.rowBatches.length).toBe(1);
    expect(t.latest.map((m) => m.payload)).toEqual([{ cem43M: 2 }]);
    q.setRider("doses", { kind: "doses", payload: { cem43M: 3 } });
    q.setLatest("status", { kind: "status", payload: { online: true } });
    expect(q.take(900).latest.map((m) => m.kind)).toEqual(["status", "doses"]);
  });

  it("accepts batch periods of 100 to 1000 ms only", () => {
    expect(batchPeriodProblem(100)).toBeNull();
    expect(batchPeriodProblem(1000)).toBeNull();
    expect(batchPeriodProblem(99)).toMatch(/100 to 1000/);
    expect(batchPeriodProblem(1001)).toMatch(/100 to 1000/);
  });
});
