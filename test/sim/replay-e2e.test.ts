// CSV replay through virtual device -> pty -> bridge -> ws client: the expected alarms on the expected samples.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerMessage } from "../../host/ws/ws-messages";
import { startDemo, type Demo } from "../../apps/demo-wiring";
import { TestClient } from "../host/helpers/ws-client";

const TRACE = fileURLToPath(new URL("../../sim/scenarios/traces/ramp-0p2-per-s.csv", import.meta.url));

/** Most a wait may take (a guard against a hang, not a speed bound: the replay's pace is the device's). */
const GUARD_MS = 60_000;

type Row = { seq: number; tMs: number; atMs: number; valuesCc: (number | string)[] };
type AlarmMsg = Extract<ServerMessage, { type: "alarm" }>;

describe("CSV replay end to end (x10)", () => {
  let demo: Demo;
  let client: TestClient;
  const rows: Row[] = [];

  beforeAll(async () => {
    demo = await startDemo({ scenario: TRACE, timeScale: 10, listen: "127.0.0.1:0", recordDir: null });
    client = await TestClient.connect(demo.bridge.wsUrl);
    // STOP (45 degC) comes at 39.9 s of trace time.
    const stop = await client.waitFor<AlarmMsg>((m) => m.type === "alarm" && m.action === "RAISE" && m.alarm.cond === "STOP", GUARD_MS);
    // Alarm lines precede their sample's reading line (PROTOCOL.md section 4): wait for that reading too.
    const stopMs = (stop.alarm as { tMs?: number | null }).tMs ?? 0;
    await client.waitFor((m) => m.type === "readings" && m.rows.some((r) => r.tMs >= stopMs), GUARD_MS);
    for (const m of client.messages) {
      if (m.type === "snapshot") {
        const h = m.history as unknown as { seq: number[]; tMs: number[]; atMs: number[]; valuesCc: (number | string)[][] };
        for (let i = 0; i < h.tMs.length; i++) rows.push({ seq: h.seq[i], tMs: h.tMs[i], atMs: h.atMs[i], valuesCc: h.valuesCc.map((col) => col[i]) });
      }
      if (m.type === "readings") for (const r of m.rows) rows.push(r);
    }
    rows.sort((a, b) => a.seq - b.seq);
  }, 2 * GUARD_MS + 10_000);

  afterAll(async () => {
    client?.ws.close();
    await demo?.close();
  });

  function firstAtOrAbove(cc: number): Row {
    const r = rows.find((x) => typeof x.valuesCc[0] === "number" && (x.valuesCc[0] as number) >= cc);
    if (!r) throw new Error(`no reading >= ${cc} cC`);
    return r;
  }
  function raised(cond: string): AlarmMsg {
    const a = client.messages.find((m): m is AlarmMsg => m.type === "alarm" && m.action === "RAISE" && m.alarm.cond === cond && m.alarm.ch === 0);
    if (!a) throw new Error(`no ${cond} raised`);
    return a;
  }

  it("received every reading of the run in order, none twice", () => {
    const seqs = rows.map((r) => r.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.length).toBeGreaterThan(390);
    for (let i = 1; i < rows.length; i++) expect(rows[i].tMs - rows[i - 1].tMs).toBe(100);
  });

  it("WARN, INTERVENE and STOP fire on the samples that cross 40, 42 and 45 degC, 10 s and 15 s apart as the trace says", () => {
    const w = firstAtOrAbove(4000);
    const i = firstAtOrAbove(4200);
    const s = firstAtOrAbove(4500);
    // STOP needs two consecutive samples at or above 45 degC: it fires on the sample after the crossing one
    const s2 = rows[rows.indexOf(s) + 1];
    expect(s2.tMs - s.tMs).toBe(100);
    // The ramp is 0.2 degC/s from 37.03 degC: first samples at or above the limits are at 14.9, 24.9, 39.9 s.
    expect(i.tMs - w.tMs).toBe(10_000);
    expect(s.tMs - i.tMs).toBe(15_000);
    for (const [cond, row, limit] of [["WARN", w, 4000], ["INTERVENE", i, 4200], ["STOP", s2, 4500]] as const) {
      const a = raised(cond).alarm;
      expect(a.value, cond).toBe(row.valuesCc[0]);
      expect(a.value - limit, cond).toBeLessThan(cond === "STOP" ? 5 : 3); // the crossing sample (the next for STOP; 0.2 degC/s = 2 cC per sample)
      expect(a.limit).toBe(limit);
      expect(a.prio).toBe(cond === "WARN" ? "M" : "H");
      expect(a.latching).toBe(cond !== "WARN");
      const tMs = (a as { tMs?: number | null }).tMs;
      expect(tMs, cond).toBe(row.tMs);
      // The bridge maps device time to wall time; at x10 the alarm must land on its sample's wall time, not a period later.
      expect(Math.abs(a.raisedAtMs - row.atMs), cond).toBeLessThanOrEqual(5);
    }
  });

  it("predicts the 42 degC crossing before it happens, with a predicted time close to the true one", () => {
    const p = raised("PREDICT").alarm;
    const i = firstAtOrAbove(4200);
    const predictedAt = rows.find((r) => r.valuesCc[0] === p.value);
    expect(predictedAt).toBeDefined();
    expect(predictedAt!.tMs).toBeLessThan(i.tMs);
    // info = predicted ms to the crossing; the true remaining time from that sample is known from the ramp.
    const trueMs = i.tMs - predictedAt!.tMs;
    expect(p.info).toBeGreaterThan(0);
    expect(p.info).toBeLessThanOrEqual(15_000);
    expect(Math.abs(p.info - trueMs)).toBeLessThan(2_000);
  });

  it("the second nerve channel at a steady 37.5 degC raises no temperature or dose alarm; exactly constant while the canal moves, it raises FAULT_STUCK", () => {
    const other = client.messages.filter((m): m is AlarmMsg => m.type === "alarm" && m.alarm.ch === 1);
    // the CSV replays an ideal sensor: 37.50 to the hundredth, which is what a frozen converter delivers (live chips move the last digit)
    expect([...new Set(other.map((m) => m.alarm.cond))]).toEqual(["FAULT_STUCK"]);
    const raise = other.find((m) => m.action === "RAISE")!;
    expect(raise.alarm).toMatchObject({ prio: "H", kind: "T", value: 10000, limit: 10000, info: 3750 });
    expect((raise.alarm as { tMs?: number | null }).tMs).toBe(10000); // 10 s after its first reading at 0 ms
  });
});
