// Link core + procedure state with explicit times: loss, staleness, reboot, bad lines, RESEND and GONE, host clock jumps, the alarm log.
import { describe, expect, it } from "vitest";
import { encode } from "../../../protocol";
import { WATCHDOG_MS } from "../../../host/core/link-core";
import { STALE_AFTER_MS } from "../../../host/state/procedure-state";
import { CoreRig, WALL0_MS } from "./core-rig";

const alarmUpdates = (rig: CoreRig, from = 0) => rig.updates.slice(from).flatMap((u) => (u.type === "alarm" ? [`${u.action} ${u.alarm.key}`] : []));

/** Readings every 100 ms from fromMs to toMs (device time = host time), ticking in between. */
function stream(rig: CoreRig, fromMs: number, toMs: number, lines: (t: number) => string[] = (t) => [rig.dev.reading(t)]): void {
  for (let t = fromMs; t <= toMs; t += 100) rig.feed(lines(t), t).tickAt(t);
}

describe("loss and staleness", () => {
  it("a silent device: LINK_LOST (high, technical) and stale readings 2.5 s after the last line, one RAISE and nothing more during 3 s of loss; a later snapshot carries its age", () => {
    const rig = new CoreRig().connect(0);
    stream(rig, 100, 1000);
    const mark = rig.updates.length;
    rig.runUntil(1000 + WATCHDOG_MS);
    expect(rig.hostAlarm("LINK_LOST")).toBeUndefined();
    rig.runUntil(1000 + WATCHDOG_MS + 100);
    expect(rig.hostAlarm("LINK_LOST")).toMatchObject({ active: true, prio: "H", kind: "T", source: "host", tMs: null });
    expect(rig.state.link.readingsStale).toBe(true);
    rig.runUntil(1000 + WATCHDOG_MS + 3100);
    expect(alarmUpdates(rig, mark)).toEqual(["RAISE host:LINK_LOST"]);
    const snap = rig.state.snapshot(false, rig.wallMs);
    expect(snap.alarms.find((a) => a.key === "host:LINK_LOST")!.value).toBeGreaterThanOrEqual(5000);
  });

  it("readings stop while status lines go on: STALE (not LINK_LOST) 2.5 s after the last reading, cleared by the next", () => {
    const rig = new CoreRig().connect(0);
    stream(rig, 100, 1000);
    stream(rig, 1100, 1000 + STALE_AFTER_MS + 400, (t) => [rig.dev.status(t)]);
    expect(rig.hostAlarm("STALE")).toMatchObject({ active: true, prio: "M" });
    expect(rig.hostAlarm("STALE")!.value).toBeGreaterThanOrEqual(STALE_AFTER_MS);
    expect(rig.hostAlarm("STALE")!.value).toBeLessThan(STALE_AFTER_MS + 500);
    expect(rig.hostAlarm("LINK_LOST")).toBeUndefined();
    rig.feed(rig.dev.reading(4000), 4000).tickAt(4000);
    expect(rig.hostAlarm("STALE")).toBeUndefined();
  });

  it("an unplugged device: LINK_LOST at once, raised once and not re-sent during 3 s of failing reconnect attempts", () => {
    const rig = new CoreRig().connect(0);
    stream(rig, 100, 1000);
    const mark = rig.updates.length;
    rig.unplug(1050);
    expect(rig.hostAlarm("LINK_LOST")?.active).toBe(true);
    for (let t = 1100; t <= 4100; t += 100) {
      rig.tickAt(t);
      if (rig.core.openDue(t)) {
        rig.core.openStarted(t);
        rig.unplug(t);
      }
    }
    expect(alarmUpdates(rig, mark)).toEqual(["RAISE host:LINK_LOST"]);
    expect(rig.updates.slice(mark).filter((u) => u.type === "link" && u.link.state === "reconnecting").length).toBeGreaterThanOrEqual(1);
  });
});

describe("reboot", () => {
  it("a new boot id: DEVICE_REBOOT (latching), the old boot's alarms dropped, a HELLO for the restatement, the new boot's readings fetched from seq 0", () => {
    const rig = new CoreRig().connect(0);
    stream(rig, 100, 1000);
    rig.feed(rig.dev.raise(1, 1000), 1000);
    expect(rig.deviceAlarmIds()).toEqual([1]);
    const hellos = rig.written.filter((m) => m.type === "HELLO").length;
    rig.dev.reboot();
    const early = [rig.dev.reading(0), rig.dev.reading(100), rig.dev.reading(200)]; // sent before the host heard the boot
    rig.feed(rig.dev.info(), 1500);
    expect(rig.hostAlarm("DEVICE_REBOOT")).toMatchObject({ latching: true });
    expect(rig.deviceAlarmIds()).toEqual([]);
    expect(rig.written.filter((m) => m.type === "HELLO").length).toBe(hellos + 1);
    expect(rig.counters.reboots).toBe(1);
    rig.feed(rig.dev.helloAnswer(rig.lastHelloId(), 300), 1500);
    rig.feed(rig.dev.reading(400), 1600);
    const resend = rig.written.find((m) => m.type === "RESEND");
    expect(resend && resend.type === "RESEND" && [resend.from, resend.count]).toEqual([0, 3]);
    rig.feed([rig.dev.k(resend!.seq, 450, 3), ...early], 1650);
    expect(rig.counters).toMatchObject({ readRecovered: 3, readDuplicates: 0, readLost: 0 });
  });
});

describe("bad lines", () => {
  it("garbage, non-ASCII and corrupted CRCs are counted by reason; readings keep coming and the link stays up", () => {
    const rig = new CoreRig().connect(0);
    const good = rig.dev.reading(100);
    const corrupt = good.replace(",3700,", ",3701,");
    rig.feed(["hello world", "$R,1,2,\xe9*00000000", corrupt, good], 100);
    stream(rig, 200, 1000);
    expect(rig.counters.badLines.BAD_CRC).toBe(1);
    expect(Object.values(rig.counters.badLines).reduce((a, b) => a + b, 0)).toBe(3);
    expect(rig.rows().map((r) => r.seq)).toEqual([...Array(10).keys()]);
    expect(rig.core.state).toBe("up");
  });
});

describe("RESEND", () => {
  it("fills reading gaps: late rows marked resent, every seq exactly once, the gaps asked for one at a time", () => {
    const rig = new CoreRig().connect(0);
    const sent = new Map<number, string>();
    const drop = new Set([12, 13, 14, 30]);
    for (let t = 0; t <= 4000; t += 100) {
      const seq = rig.dev.readSeq;
      const line = rig.dev.reading(t);
      sent.set(seq, line);
      if (!drop.has(seq)) rig.feed(line, t);
      rig.tickAt(t);
      for (const m of rig.written.splice(0)) {
        if (m.type !== "RESEND") continue;
        rig.feed([rig.dev.k(m.seq, t, m.count), ...[...Array(m.count).keys()].map((i) => sent.get(m.from + i)!)], t);
        expect(drop.has(m.from)).toBe(true);
      }
    }
    const rows = rig.rows();
    expect(rows.filter((r) => r.resent).map((r) => r.seq)).toEqual([12, 13, 14, 30]);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(41);
    expect(rig.counters).toMatchObject({ readGaps: 2, readMissing: 4, readLost: 0, resendRequests: 2 });
  });

  it("readings the device no longer holds (GONE) are recorded lost, with a latched low-priority READINGS_LOST", () => {
    const rig = new CoreRig().connect(0);
    stream(rig, 0, 700);
    rig.dev.readSeq++;
    stream(rig, 900, 1000);
    const resend = rig.written.find((m) => m.type === "RESEND")!;
    expect(resend).toMatchObject({ from: 8, count: 1 });
    rig.feed(encode({ type: "N", seq: rig.dev.otherSeq++, cmd: resend.seq, reason: "GONE" }), 1000);
    expect(rig.hostAlarm("READINGS_LOST")).toMatchObject({ prio: "L", latching: true, value: 1 });
    expect(rig.records.filter((r) => r.k === "lost")).toEqual([{ k: "lost", atMs: WALL0_MS + 1000, from: 8, count: 1 }]);
  });
});

describe("host wall-clock jump", () => {
  it.each([3_600_000, -3_600_000])("jump of %i ms: no LINK_LOST or STALE; sample times follow the new clock within 2.5 s", (jumpMs) => {
    const rig = new CoreRig().connect(0);
    stream(rig, 100, 2000);
    const mark = rig.updates.length;
    rig.wallOffsetMs += jumpMs;
    stream(rig, 2100, 6000);
    expect(alarmUpdates(rig, mark)).toEqual([]);
    expect(rig.core.state).toBe("up");
    const last = rig.rows().at(-1)!;
    expect(last.atMs).toBe(rig.wallMs);
  });

  it("a jump with the device falling silent at that moment: LINK_LOST still 2.5 s after its last line (monotonic time)", () => {
    for (const jumpMs of [3_600_000, -3_600_000]) {
      const rig = new CoreRig().connect(0);
      stream(rig, 100, 2000);
      rig.wallOffsetMs += jumpMs;
      rig.runUntil(2000 + WATCHDOG_MS);
      expect(rig.hostAlarm("LINK_LOST")).toBeUndefined();
      rig.runUntil(2000 + WATCHDOG_MS + 100);
      expect(rig.hostAlarm("LINK_LOST")?.active).toBe(true);
    }
  });
});

describe("alarm log", () => {
  it("a client connecting later gets a raised-and-cleared alarm from alarmLog, with the A lines' device times", () => {
    const rig = new CoreRig().connect(0);
    stream(rig, 100, 500);
    rig.feed(rig.dev.raise(7, 500), 500);
    rig.feed(rig.dev.clear(7, 900), 900);
    const snap = rig.state.snapshot(false, rig.wallMs);
    expect(snap.alarms.some((a) => a.alarmId === 7)).toBe(false);
    expect(snap.alarmLog.filter((e) => e.source === "device").map((e) => [e.action, e.tMs, e.atMs])).toEqual([
      ["RAISE", 500, WALL0_MS + 500],
      ["CLEAR", 900, WALL0_MS + 900],
    ]);
  });
});
