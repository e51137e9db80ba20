// ProcedureState's alarms as clients get them: device time (tMs) of the A line, and the snapshot's capped alarmLog.
import { describe, expect, it } from "vitest";
import type { AlarmEvent } from "../../../protocol";
import { createCounters } from "../../../host/state/counters";
import { ALARM_LOG_SIZE, ProcedureState } from "../../../host/state/procedure-state";
import { SnapshotMsg, type ServerMessage } from "../../../host/ws/ws-messages";

const A = (over: Partial<AlarmEvent>): AlarmEvent => ({
  type: "A", seq: 0, tMs: 10_500, alarmId: 1, action: "RAISE", cond: "INTERVENE", ch: 0, prio: "H", kind: "P",
  active: 1, acked: 0, latching: 1, value: 4212, limit: 4200, info: 0, ...over,
});
const alarmMsgs = (msgs: ServerMessage[]) => msgs.filter((m): m is Extract<ServerMessage, { type: "alarm" }> => m.type === "alarm");

describe("alarm device time and alarm log", () => {
  it("device alarms carry the tMs of the A line that raised / last changed them; the bridge's own carry null", () => {
    const s = new ProcedureState(createCounters());
    s.applyBatch([{ msg: A({}), atMs: 1_000_000 }]);
    s.applyBatch([{ msg: A({ seq: 1, tMs: 12_340, action: "ACK", acked: 1 }), atMs: 1_001_840 }]);
    s.applyLost([{ from: 5, count: 2 }], 1_002_000);
    const [raise, ack, lost] = alarmMsgs(s.drain());
    expect(raise).toMatchObject({ action: "RAISE", alarm: { key: "dev:00000000:1", tMs: 10_500 } });
    expect(ack).toMatchObject({ action: "ACK", alarm: { acked: true, tMs: 12_340 } });
    expect(raise!.alarm.raisedAtMs).toBe(ack!.alarm.raisedAtMs);
    expect(lost).toMatchObject({ action: "RAISE", alarm: { key: "host:READINGS_LOST", source: "host", tMs: null } });
    expect(s.alarms.get("dev:00000000:1")!.tMs).toBe(12_340);
  });

  it("the snapshot's alarmLog has alarms raised and cleared before the client connected, with their times and states", () => {
    const s = new ProcedureState(createCounters());
    s.applyBatch([{ msg: A({ alarmId: 3, cond: "WARN", prio: "M", latching: 0, value: 4001, limit: 4000, tMs: 2_000 }), atMs: 5_000 }]);
    s.applyBatch([{ msg: A({ seq: 1, alarmId: 3, cond: "WARN", prio: "M", latching: 0, action: "CLEAR", active: 0, value: 4001, limit: 4000, tMs: 9_000 }), atMs: 12_000 }]);
    const snap = s.snapshot(false, 20_000);
    expect(SnapshotMsg.safeParse(snap).error?.issues ?? []).toEqual([]);
    expect(snap.alarms).toEqual([]);
    expect(snap.alarmLog).toEqual([
      { atMs: 5_000, tMs: 2_000, key: "dev:00000000:3", source: "device", action: "RAISE", cond: "WARN", ch: 0, prio: "M", active: true, acked: false, text: expect.stringContaining("40.01") },
      { atMs: 12_000, tMs: 9_000, key: "dev:00000000:3", source: "device", action: "CLEAR", cond: "WARN", ch: 0, prio: "M", active: false, acked: false, text: expect.stringContaining("40.01") },
    ]);
  });

  it(`keeps the last ${ALARM_LOG_SIZE} transitions, oldest first`, () => {
    const s = new ProcedureState(createCounters());
    for (let i = 0; i < 150; i++) {
      s.alarms.raiseHost("STALE", -1, "", 3000, 2500, 0, i * 10);
      s.alarms.endHost("STALE", -1, i * 10 + 5);
    }
    const log = s.snapshot(false).alarmLog;
    expect(log).toHaveLength(ALARM_LOG_SIZE);
    expect(log[0]).toMatchObject({ atMs: 500, action: "RAISE", key: "host:STALE", tMs: null });
    expect(log.at(-1)).toMatchObject({ atMs: 1495, action: "CLEAR" });
    expect(log.map((e) => e.atMs)).toEqual([...log.map((e) => e.atMs)].sort((a, b) => a - b));
  });
});
