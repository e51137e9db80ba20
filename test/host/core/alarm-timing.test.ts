// Alarm times and counts with explicit times: late-released transitions keep their device time, the device's alarm count is reconciled with the bridge's list.
import { describe, expect, it } from "vitest";
import { ALARM_GAP_SKIP_MS } from "../../../host/core/alarm-sequencer";
import { ALARM_MISMATCH_STATUS_LINES } from "../../../host/state/procedure-state";
import { CoreRig, WALL0_MS } from "./core-rig";

describe("alarm transitions released late", () => {
  it("held behind a missing seq and released by the gap skip 5 s later, each is stamped with its own device time mapped to wall time, not the release time", () => {
    const rig = new CoreRig().connect(0);
    for (let t = 100; t <= 1000; t += 100) rig.feed(rig.dev.reading(t), t).tickAt(t);
    rig.dev.alarmSeq++; // seq 0 never arrives
    const raisedAtT: number[] = [];
    for (let id = 1; id <= 12; id++) {
      const t = 1000 + id * 10;
      raisedAtT.push(t);
      rig.feed(rig.dev.raise(id, t), t);
    }
    expect(rig.deviceAlarmIds()).toEqual([]);
    for (let t = 1200; t <= 1120 + ALARM_GAP_SKIP_MS + 200; t += 100) rig.feed(rig.dev.reading(t), t).tickAt(t);
    expect(rig.deviceAlarmIds()).toEqual([...Array(12).keys()].map((i) => i + 1));
    for (const a of rig.state.alarms.list().filter((x) => x.source === "device")) {
      expect(a.changedAtMs).toBe(WALL0_MS + a.tMs!);
      expect(a.raisedAtMs).toBe(WALL0_MS + raisedAtT[a.alarmId! - 1]);
    }
    // The readings after the release are still stamped at their device time (the late release did not move the clock map).
    for (const r of rig.rows()) expect(r.atMs).toBe(WALL0_MS + r.tMs);
  });
});

describe("device alarm count reconciled (S.alarms)", () => {
  it("a withheld alarm line: after 3 status lines disagreeing, ALARM_MISMATCH (high, technical) and a re-handshake whose restatement fixes the list", () => {
    const rig = new CoreRig().connect(0);
    rig.feed(rig.dev.raise(1, 100), 100);
    rig.dev.raise(2, 150); // the line is withheld: the host never sees it
    const hellosBefore = rig.written.filter((m) => m.type === "HELLO").length;
    for (let i = 1; i < ALARM_MISMATCH_STATUS_LINES; i++) rig.feed(rig.dev.status(1000 * i), 1000 * i);
    expect(rig.hostAlarm("ALARM_MISMATCH")).toBeUndefined();
    rig.feed(rig.dev.status(3000), 3000);
    expect(rig.hostAlarm("ALARM_MISMATCH")).toMatchObject({ active: true, prio: "H", kind: "T", value: 2, limit: 1 });
    expect(rig.written.filter((m) => m.type === "HELLO").length).toBe(hellosBefore + 1);
    rig.feed(rig.dev.helloAnswer(rig.lastHelloId(), 3050), 3050);
    expect(rig.deviceAlarmIds()).toEqual([1, 2]);
    rig.feed(rig.dev.status(4000), 4000);
    expect(rig.hostAlarm("ALARM_MISMATCH")).toBeUndefined();
  });

  it("counts that agree raise nothing, even while the list changes", () => {
    const rig = new CoreRig().connect(0);
    for (let i = 1; i <= 10; i++) {
      const t = i * 1000;
      rig.feed(i % 3 === 0 ? rig.dev.clear(i - 2, t) : rig.dev.raise(i, t), t);
      rig.feed(rig.dev.status(t + 1), t + 1);
    }
    expect(rig.hostAlarm("ALARM_MISMATCH")).toBeUndefined();
  });
});
