// A CSV trace replayed through the demo's wiring at x1 and x1000: the recording holds every sample from t = 0, alarms at their crossings.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo } from "../../apps/demo-wiring";
import type { AlarmRecord, ReadingRecord, RecordLine } from "../../host/record/record-types";
import { TestClient } from "../host/helpers/ws-client";
import { readAll } from "../reliability/support/recording";

/** Most a run may take (a guard against a hang, not a speed bound). */
const RUN_GUARD_MS = 90_000;
const SAMPLE_MS = 100; // 10 Hz

/** A ramp of `stepC` per 100 ms from `startC`, `samples` rows one sample period apart. */
function rampCsv(startC: number, stepC: number, samples: number): string {
  const rows = ["time_s,canal"];
  for (let n = 0; n < samples; n++) rows.push(`${(n / 10).toFixed(1)},${(startC + stepC * n).toFixed(2)}`);
  return rows.join("\n") + "\n";
}

interface Ramp {
  startC: number;
  /** degC per 100 ms. */
  stepC: number;
  samples: number;
}

/** The trace's value at device time tMs, cC (the rows are linear in between). */
function traceCc(ramp: Ramp, tMs: number): number {
  return (ramp.startC + (ramp.stepC * tMs) / SAMPLE_MS) * 100;
}

interface Replay {
  readings: ReadingRecord[];
  alarms: AlarmRecord[];
  records: RecordLine[];
}

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-replay-rec-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/**
 * Replays the ramp at `speed` until the bridge has passed on every reading from seq 0 through one
 * taken at or after the trace's last row (resent ones included), then stops and reads the recording.
 */
async function replay(name: string, ramp: Ramp, speed: number): Promise<Replay> {
  const trace = path.join(dir, `${name}.csv`);
  const recordDir = path.join(dir, `${name}-rec`);
  await writeFile(trace, rampCsv(ramp.startC, ramp.stepC, ramp.samples));
  const demo = await startDemo({ scenario: trace, timeScale: speed, listen: "127.0.0.1:0", recordDir });
  try {
    const client = await TestClient.connect(demo.bridge.wsUrl);
    const lastMs = (ramp.samples - 1) * SAMPLE_MS;
    const tMsBySeq = new Map<number, number>();
    let next = 0;
    await client.waitFor((m) => {
      if (m.type === "snapshot") {
        // Readings before this client connected come as the snapshot's columnar history.
        const h = m.history as unknown as { seq: number[]; tMs: number[] };
        h.seq.forEach((seq, i) => tMsBySeq.set(seq, h.tMs[i]!));
      } else if (m.type === "readings") {
        for (const r of m.rows) tMsBySeq.set(r.seq, r.tMs);
      } else return false;
      while (tMsBySeq.has(next)) next++;
      return next > 0 && tMsBySeq.get(next - 1)! >= lastMs;
    }, RUN_GUARD_MS);
    client.ws.close();
  } finally {
    await demo.close();
  }
  const records = await readAll(recordDir);
  return {
    records,
    readings: records.filter((r): r is ReadingRecord => r.k === "r").sort((a, b) => a.seq - b.seq),
    alarms: records.filter((r): r is AlarmRecord => r.k === "alarm"),
  };
}

/** The readings up to the first one at or after the trace's last row. */
function traceReadings(run: Replay, ramp: Ramp): ReadingRecord[] {
  const end = run.readings.findIndex((r) => r.tMs >= (ramp.samples - 1) * SAMPLE_MS);
  expect(end, "a reading at the trace's end is recorded").toBeGreaterThan(0);
  return run.readings.slice(0, end + 1);
}

function expectEverySampleFromZero(run: Replay, ramp: Ramp, exactInstants: boolean): void {
  const rows = traceReadings(run, ramp);
  rows.forEach((r, n) => {
    expect(r.seq, `reading ${n}`).toBe(n);
    // The device samples every 100 ms of its time; at x1 that time is real, so a late tick shifts a sample.
    if (exactInstants) expect(r.tMs, `sample ${n}`).toBe(n * SAMPLE_MS);
    else if (n > 0) expect(r.tMs, `sample ${n}`).toBeGreaterThan(rows[n - 1]!.tMs);
    // The probe reads the trace at its instant through the chip decoder: within 1 cC of the row
    // (past the last row, at x1 a late last sample may be, the trace has no data).
    // The very first sample has no earlier one to check it against: the device may withhold it as
    // implausible (a code instead of a value); it is still recorded in its place.
    if (r.tMs > (ramp.samples - 1) * SAMPLE_MS) return;
    if (typeof r.v[0] !== "number") expect(n, `sample ${n} withheld (${String(r.v[0])})`).toBe(0);
    else expect(Math.abs((r.v[0] as number) - traceCc(ramp, r.tMs)), `sample ${n} value`).toBeLessThanOrEqual(1.5);
  });
  // Scenario time 0 is the first sample (at x1 the real clock may have moved a millisecond by then).
  expect(rows[0]!.tMs).toBeLessThan(exactInstants ? 1 : SAMPLE_MS);
  expect(run.records.some((r) => r.k === "lost")).toBe(false);
}

/**
 * The device alarm `cond` on channel 0 is first recorded as a RAISE on the first reading at or above
 * the limit; STOP (which latches the interlock) on the second such reading in a row, so that one
 * wrong sample cannot latch it.
 */
function expectRaisedOnCrossing(run: Replay, ramp: Ramp, cond: string, limitCc: number, expectedMs?: number): void {
  const rows = traceReadings(run, ramp);
  const confirm = cond === "STOP" ? 1 : 0;
  const i = rows.findIndex((r) => typeof r.v[0] === "number" && r.v[0] >= limitCc) + confirm;
  expect(i - confirm, `${cond}: the trace crosses ${limitCc} cC`).toBeGreaterThanOrEqual(0);
  const row = rows[i]!;
  const before = rows[i - 1 - confirm];
  if (before && typeof before.v[0] === "number") expect(traceCc(ramp, before.tMs)).toBeLessThan(limitCc);
  if (expectedMs !== undefined) expect(rows[i - confirm]!.tMs, `${cond} crossing sample`).toBe(expectedMs);
  const first = run.alarms.find((a) => a.alarm.cond === cond && a.alarm.ch === 0 && a.alarm.source === "device");
  expect(first, `${cond} recorded`).toBeDefined();
  expect(first!.action, `${cond} first record`).toBe("RAISE");
  expect(first!.alarm.tMs, `${cond} device time`).toBe(row.tMs);
  expect(first!.alarm.value, `${cond} value is its sample's`).toBe(row.v[0]);
  expect(first!.alarm.limit).toBe(limitCc);
}

describe("CSV replay into the recording", () => {
  it("x1: 4.5 s from 41.05 degC at 1 degC/s: every sample recorded from t = 0, WARN on the first value, INTERVENE and STOP on their crossings", async () => {
    const ramp = { startC: 41.05, stepC: 0.1, samples: 46 };
    const run = await replay("x1", ramp, 1);
    expectEverySampleFromZero(run, ramp, false);
    expectRaisedOnCrossing(run, ramp, "WARN", 4000); // on the first reading the device takes as a value (all are above 40 degC)
    expectRaisedOnCrossing(run, ramp, "INTERVENE", 4200);
    expectRaisedOnCrossing(run, ramp, "STOP", 4500);
  }, RUN_GUARD_MS + 10_000);

  it("x1000: 60 s from 39.51 degC at 0.2 degC/s: every sample recorded from t = 0, WARN at 2.5 s, INTERVENE at 12.5 s, STOP at 27.5 s", async () => {
    const ramp = { startC: 39.51, stepC: 0.02, samples: 600 };
    const run = await replay("x1000", ramp, 1000);
    expectEverySampleFromZero(run, ramp, true);
    expectRaisedOnCrossing(run, ramp, "WARN", 4000, 2_500);
    expectRaisedOnCrossing(run, ramp, "INTERVENE", 4200, 12_500);
    expectRaisedOnCrossing(run, ramp, "STOP", 4500, 27_500);
  }, RUN_GUARD_MS + 10_000);
});
