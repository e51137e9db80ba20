// The dashboard model: snapshot, readings, alarms (new / latched / cleared), device changes, the log; alarm ordering.
import { describe, expect, it } from "vitest";
import { signalOf, sortAlarms } from "../../host/dashboard/alarm-view";
import { DashboardState, type AlarmView } from "../../host/dashboard/dashboard-state";
import { DEFAULT_LIMITS } from "../../protocol";
import type { Alarm, AlarmLogEntry, Counters, SnapshotMsg } from "../../host/ws/ws-messages";

const counters = { lines: 0, badLines: {}, droppedBytes: 0, readGaps: 0, readMissing: 0, resendRequests: 0, readRecovered: 0, readLost: 0, readDuplicates: 0, alarmLines: 0, alarmRetransmits: 0, alarmHeld: 0, otherGaps: 0, commandsSent: 0, commandsAcked: 0, commandsNaked: 0, commandsTimedOut: 0, reconnects: 0, reboots: 0, wsClients: 1, wsDroppedRows: 0, wsSlowDisconnects: 0, wsBadMessages: {}, wsRateLimited: {}, wsAuthFailures: 0, wsAuthLockedOut: 0, wsGuardCloses: {}, wsRepliesDropped: 0, wsSnapshotsBuilt: 0, wsSnapshotsSent: 0, commandsRefused: {} } satisfies Counters;
const channels: SnapshotMsg["channels"] = [
  { ch: 0, label: "canal", role: "nerve", tc: "T", chip: "MAX31856" },
  { ch: 1, label: "zone", role: "ablation", tc: "K", chip: "MAX31855" },
];
const alarm = (over: Partial<Alarm>): Alarm => ({ key: "dev:AB:1", source: "device", alarmId: 1, cond: "INTERVENE", ch: 0, prio: "H", kind: "P", active: true, acked: false, latching: true, value: 4205, limit: 4200, info: 0, raisedAtMs: 5000, changedAtMs: 5000, tMs: 4900, text: "canal 42.05 degC >= intervene 42.00 degC", ...over });

function snapshot(over: Partial<SnapshotMsg> = {}): SnapshotMsg {
  return {
    type: "snapshot", apiVersion: 1, atMs: 10_000, control: false, device: null, channels, limits: { ...DEFAULT_LIMITS }, alarms: [], alarmLog: [], doses: [],
    link: { state: "up", port: "/dev/x", sinceMs: 1000, lastLineAtMs: 9900, lastReadingAtMs: 9900, readingsStale: false, staleAfterMs: 2500, error: null, reconnects: 0 },
    status: null, counters, recording: { active: false, file: null, bytes: 0, lastFlushAtMs: null, error: null, droppedRecords: 0, reportUrl: null }, events: [{ atMs: 8000, text: "CO2 injected", source: "client" }],
    history: { seq: [1, 2], tMs: [100, 200], atMs: [9000, 9100], valuesCc: [[4100, 4150], [6000, "OC"]] },
    ...over,
  };
}

describe("DashboardState", () => {
  it("takes the whole picture from a snapshot; the newest values are aged by the bridge's clock", () => {
    const s = new DashboardState();
    s.apply(snapshot(), 50_000);
    expect(s.history.length).toBe(2);
    expect(s.latest.map((l) => l?.value)).toEqual([4150, "OC"]);
    // The snapshot is taken at bridge time 10 000, the newest row is from 9100: 900 ms old on arrival.
    expect(s.latest[0]!.recvMs).toBe(50_000 - 900);
    expect(s.lastRowMs).toBe(50_000 - 900);
    expect(s.peakC).toEqual([41.5, 60]);
    expect(s.log.map((e) => e.text).sort()).toEqual(["Event: CO2 injected", "Serial link up"]);
  });

  it("follows readings, and reports alarms new to the page once", () => {
    const s = new DashboardState();
    s.apply(snapshot({ alarms: [alarm({})] }), 50_000);
    const fresh = s.apply({ type: "alarm", action: "RAISE", alarm: alarm({ key: "dev:AB:2", alarmId: 2, cond: "WARN", prio: "M", latching: false }) }, 50_100);
    expect(fresh.map((a) => a.cond)).toEqual(["WARN"]);
    expect(s.alarms.get("dev:AB:2")!.text).toBe("canal 42.05 °C >= intervene 42.00 °C");
    expect(s.apply({ type: "alarm", action: "UPDATE", alarm: alarm({ active: false }) }, 50_200)).toEqual([]);
    expect(s.alarms.get("dev:AB:1")).toMatchObject({ active: false, acked: false, seenAtMs: 50_000 });
    s.apply({ type: "alarm", action: "CLEAR", alarm: alarm({ active: false, acked: true }) }, 50_300);
    expect([...s.alarms.keys()]).toEqual(["dev:AB:2"]);
    s.apply({ type: "readings", rows: [{ seq: 3, tMs: 300, atMs: 9200, valuesCc: [4210, 6100] }] }, 50_400);
    expect(s.latest[0]).toEqual({ value: 4210, atMs: 9200, tMs: 300, recvMs: 50_400 });
    expect(s.crossing(0, 4200)).toMatchObject({ seq: 3, recvMs: 50_400 });
    expect(s.log.some((e) => e.text.startsWith("INTERVENE clear (device)"))).toBe(true);
    // Value-only updates (same active / acked) are not logged again.
    const n = s.log.length;
    s.apply({ type: "alarm", action: "UPDATE", alarm: alarm({ key: "dev:AB:2", alarmId: 2, cond: "WARN", prio: "M", latching: false, value: 4300, changedAtMs: 6000 }) }, 50_500);
    expect(s.log.length).toBe(n);
  });

  it("fills the log from the snapshot's alarmLog (alarms over before it connected), with device times, once across resyncs", () => {
    const e = (o: Partial<AlarmLogEntry>): AlarmLogEntry => ({ atMs: 3000, tMs: 2900, key: "dev:AB:1", source: "device", action: "RAISE", cond: "INTERVENE", ch: 0, prio: "H", active: true, acked: false, text: "canal 42.05 degC >= intervene 42.00 degC", ...o });
    const alarmLog = [
      e({ key: "dev:AB:7", cond: "WARN", prio: "M", atMs: 1000, tMs: 900 }),
      e({ key: "dev:AB:7", cond: "WARN", prio: "M", atMs: 1500, tMs: 1400, action: "CLEAR", active: false }),
      e({ key: "host:LINK_LOST", source: "host", cond: "LINK_LOST", atMs: 2000, tMs: null, text: "link lost" }),
      e({ key: "host:LINK_LOST", source: "host", cond: "LINK_LOST", atMs: 2100, tMs: null, action: "UPDATE", text: "link lost, value only" }),
      e({ key: "host:LINK_LOST", source: "host", cond: "LINK_LOST", atMs: 2500, tMs: null, action: "CLEAR", active: false, text: "link lost" }),
      e({ atMs: 5000, tMs: 4900 }),
    ];
    const s = new DashboardState();
    s.apply(snapshot({ alarms: [alarm({}), alarm({ key: "dev:AB:9", alarmId: 9, cond: "STOP", raisedAtMs: 400, changedAtMs: 400, tMs: 300 })], alarmLog }), 50_000);
    const lines = () => s.log.filter((l) => l.kind === "alarm").map((l) => [l.atMs, l.tMs ?? null, l.text]);
    expect(lines()).toEqual([
      [1000, 900, "WARN raise (device): canal 42.05 °C >= intervene 42.00 °C"],
      [1500, 1400, "WARN clear (device): canal 42.05 °C >= intervene 42.00 °C"],
      [2000, null, "LINK_LOST raise (host): link lost"],
      [2500, null, "LINK_LOST clear (host): link lost"],
      [5000, 4900, "INTERVENE raise (device): canal 42.05 °C >= intervene 42.00 °C"],
      // a current alarm older than the log: one line from the alarm itself
      [400, 300, "STOP active (device): canal 42.05 °C >= intervene 42.00 °C"],
    ]);
    // The same transitions arriving live, or again in a resync, add nothing.
    s.apply({ type: "alarm", action: "RAISE", alarm: alarm({ raisedAtMs: 5000, changedAtMs: 5000, tMs: 4900 }) }, 50_100);
    s.apply(snapshot({ alarms: [alarm({})], alarmLog }), 50_200);
    expect(lines()).toHaveLength(6);
  });

  it("a resent (older) row fills history but does not replace the newest value", () => {
    const s = new DashboardState();
    s.apply(snapshot(), 50_000);
    s.apply({ type: "readings", rows: [{ seq: 0, tMs: 0, atMs: 8900, valuesCc: [3900, 5000], resent: true }] }, 50_100);
    expect(s.history.seq).toEqual([0, 1, 2]);
    expect(s.latest[0]!.value).toBe(4150);
  });

  it("a device with other channels resets the history", () => {
    const s = new DashboardState();
    s.apply(snapshot(), 50_000);
    s.dirty.layout = false;
    s.apply({ type: "device", device: null, channels: channels.slice(0, 1), limits: null }, 50_100);
    expect(s.history.length).toBe(0);
    expect(s.history.y).toHaveLength(1);
    expect(s.dirty.layout).toBe(true);
  });
});

describe("rejected spikes and case fields", () => {
  it("a rejected spike (SP) keeps the last value, marked, instead of replacing the number; a real fault replaces it", () => {
    const s = new DashboardState();
    s.apply(snapshot(), 50_000);
    s.apply({ type: "readings", rows: [{ seq: 3, tMs: 300, atMs: 9200, valuesCc: [4210, 6100] }] }, 50_100);
    s.apply({ type: "readings", rows: [{ seq: 4, tMs: 400, atMs: 9300, valuesCc: ["SP", 6100] }] }, 50_200);
    expect(s.latest[0]).toMatchObject({ value: 4210, tMs: 300, recvMs: 50_100, spikeAtMs: 50_200 });
    s.apply({ type: "readings", rows: [{ seq: 5, tMs: 500, atMs: 9400, valuesCc: ["OC", 6100] }] }, 50_300);
    expect(s.latest[0]!.value).toBe("OC");
    // A snapshot whose newest row is a spike shows the value before it.
    const t = new DashboardState();
    t.apply(snapshot({ history: { seq: [1, 2], tMs: [100, 200], atMs: [9000, 9100], valuesCc: [[4100, "SP"], [6000, 6000]] } }), 50_000);
    expect(t.latest[0]!.value).toBe(4100);
  });

  it("takes the case fields from the snapshot and from case messages", () => {
    const s = new DashboardState();
    s.apply(snapshot({ case: { caseId: "PT-1" } }), 50_000);
    expect(s.caseFields).toEqual({ caseId: "PT-1" });
    s.apply({ type: "case", atMs: 1, fields: { caseId: "PT-1", operator: "Dr A" }, by: null }, 50_100);
    expect(s.caseFields).toEqual({ caseId: "PT-1", operator: "Dr A" });
  });
});

describe("alarm display order and signal", () => {
  const v = (o: Partial<AlarmView>): AlarmView => ({ ...alarm({}), seenAtMs: 0, ...o });
  it("sorts by priority, present before ended, unacknowledged first, newest first", () => {
    const list = [v({ key: "a", prio: "M" }), v({ key: "b", prio: "H", acked: true }), v({ key: "c", prio: "H", raisedAtMs: 1 }), v({ key: "d", prio: "H", raisedAtMs: 2 }), v({ key: "e", prio: "L" }), v({ key: "f", prio: "H", active: false, raisedAtMs: 3 })];
    expect(sortAlarms(list).map((a) => a.key)).toEqual(["d", "c", "b", "f", "a", "e"]);
  });
  it("flashes while unacknowledged (also latched after the condition ended), steady once acknowledged or low", () => {
    expect(signalOf(v({}))).toBe("flash");
    expect(signalOf(v({ active: false }))).toBe("flash");
    expect(signalOf(v({ acked: true }))).toBe("steady");
    expect(signalOf(v({ prio: "L" }))).toBe("steady");
  });
});
