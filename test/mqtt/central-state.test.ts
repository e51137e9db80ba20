// The central station's state with explicit times: tiles (worst nerve temperature, top priority, nearest dose, age), silence, order, gaps.
import { describe, expect, it } from "vitest";
import { CentralState, MAX_ROOMS, SILENT_AFTER_MS } from "../../host/central/central-state";
import type { AlarmPayload, StatusPayload } from "../../host/mqtt/mqtt-messages";
import type { Alarm } from "../../host/ws/ws-messages";

const BASE = "thermoguard/v1/north/room-1/DEV-1/";
const T0 = 1_800_000_000_000;

function status(over: Partial<StatusPayload> = {}): StatusPayload {
  return {
    v: 1, online: true, reason: null, site: "north", room: "room-1", deviceId: "DEV-1", session: "S1", firmware: "0.1.0", bootId: "0000000A", link: "up",
    channels: [
      { ch: 0, label: "canal", role: "nerve", tc: "T", chip: "MAX31856" },
      { ch: 1, label: "tip", role: "ablation", tc: "K", chip: "MAX31855" },
      { ch: 2, label: "foramen", role: "nerve", tc: "T", chip: "MAX31856" },
    ],
    limits: { warnCc: 4000, interveneCc: 4200, stopCc: 4500, predictS: 15, dose42Min: 50, dose70Min: 5, cem43Limit: 1650 },
    rateHz: 10, readingsPeriodMs: 100, counters: { droppedRows: 0, droppedKept: 0, reconnects: 0 }, atMs: T0, bridge: "test", ...over,
  };
}

function alarm(n: number, action: AlarmPayload["action"], over: Partial<Alarm>, run = "0000aaaa"): string {
  const a: Alarm = {
    key: "dev:0000000A:1", source: "device", alarmId: 1, cond: "INTERVENE", ch: 0, prio: "H", kind: "P", active: true, acked: false, latching: false,
    value: 4215, limit: 4200, info: 0, raisedAtMs: T0, changedAtMs: T0, tMs: 1000, text: "canal: 42.15 °C ≥ intervene 42.00 °C", ...over,
  };
  return JSON.stringify({ v: 1, run: run, n: n, action: action, alarm: a });
}

const readings = (seqs: number[], values: (n: number) => (number | string)[], droppedRows = 0) =>
  JSON.stringify({ v: 1, rows: seqs.map((s) => ({ seq: s, tMs: s * 100, atMs: T0 + s * 100, valuesCc: values(s) })), droppedRows: droppedRows, sentAtMs: T0 });

describe("central state", () => {
  it("a room's tile: worst nerve temperature (the ablation channel ignored) against the intervene limit, nearest dose, data age", () => {
    const c = new CentralState();
    c.apply(BASE + "status", JSON.stringify(status()), T0);
    c.apply(BASE + "readings", readings([1, 2], (s) => (s === 2 ? [4150, 9000, 4230] : [3700, 5000, 3800])), T0 + 200);
    c.apply(BASE + "doses", JSON.stringify({ v: 1, doses: [{ ch: 0, tMs: 200, atMs: T0, t42Ms: 60_000, t42Pm: 20, t70Ms: 0, t70Pm: 0, cem43M: 900, cem43Pm: 545, check: null }] }), T0 + 250);
    const [t] = c.tiles(T0 + 700);
    expect(t).toMatchObject({ name: "room-1", site: "north", worstNerveCc: 4230, worstNerveLabel: "foramen", interveneCc: 4200, stopCc: 4500, nearestDosePm: 545, nearestDose: "canal CEM43", dataAgeMs: 500, topPrio: null, silent: false, link: "up" });
  });

  it("highest active priority flashes until acknowledged, stays steady while active, and goes with the CLEAR; the cross-room list is in time order", () => {
    const c = new CentralState();
    c.apply(BASE + "status", JSON.stringify(status()), T0);
    c.apply("thermoguard/v1/north/room-2/DEV-2/status", JSON.stringify(status({ room: "room-2", deviceId: "DEV-2" })), T0);
    c.apply("thermoguard/v1/north/room-2/DEV-2/alarms", alarm(1, "RAISE", { key: "dev:B:1", cond: "WARN", prio: "M", raisedAtMs: T0 + 10, changedAtMs: T0 + 10 }), T0 + 20);
    c.apply(BASE + "alarms", alarm(1, "RAISE", { raisedAtMs: T0 + 5, changedAtMs: T0 + 5 }), T0 + 30);
    expect(c.alarms().map((a) => [a.room, a.cond])).toEqual([["north/room-1/DEV-1", "INTERVENE"], ["north/room-2/DEV-2", "WARN"]]);
    expect(c.log.map((e) => e.atMs)).toEqual([T0 + 5, T0 + 10]);
    expect(c.tiles(T0 + 40)[0]).toMatchObject({ topPrio: "H", flashing: true });
    c.apply(BASE + "alarms", alarm(2, "ACK", { acked: true, changedAtMs: T0 + 50 }), T0 + 50);
    expect(c.tiles(T0 + 60)[0]).toMatchObject({ topPrio: "H", flashing: false });
    c.apply(BASE + "alarms", alarm(3, "CLEAR", { active: false, acked: true, changedAtMs: T0 + 70 }), T0 + 70);
    expect(c.tiles(T0 + 80)[0]).toMatchObject({ topPrio: null, alarmCount: 0 });
  });

  it(`a room with no message for ${SILENT_AFTER_MS} ms raises ROOM_SILENT (high, technical), cleared by its next message`, () => {
    const c = new CentralState();
    c.apply(BASE + "status", JSON.stringify(status()), T0);
    c.tick(T0 + SILENT_AFTER_MS);
    expect(c.alarms()).toEqual([]);
    c.tick(T0 + SILENT_AFTER_MS + 1);
    expect(c.alarms()).toMatchObject([{ cond: "ROOM_SILENT", prio: "H", kind: "T", source: "central", raisedAtMs: T0 + SILENT_AFTER_MS + 1 }]);
    expect(c.tiles(T0 + SILENT_AFTER_MS + 1)[0]).toMatchObject({ silent: true, topPrio: "H", flashing: true });
    c.apply(BASE + "status", JSON.stringify(status()), T0 + 5000);
    expect(c.alarms()).toEqual([]);
    expect(c.log.map((e) => [e.action, e.cond])).toEqual([["RAISE", "ROOM_SILENT"], ["CLEAR", "ROOM_SILENT"]]);
  });

  it("the Last Will is ROOM_SILENT at once; a clean stop is offline without an alarm", () => {
    const c = new CentralState();
    c.apply(BASE + "status", JSON.stringify(status()), T0);
    c.apply(BASE + "status", JSON.stringify(status({ online: false, reason: "last-will" })), T0 + 100);
    expect(c.alarms()).toMatchObject([{ cond: "ROOM_SILENT", raisedAtMs: T0 + 100 }]);
    expect(c.alarms()[0].text).toMatch(/Last Will/);
    c.apply(BASE + "status", JSON.stringify(status({ online: false, reason: "stopped" })), T0 + 200);
    c.tick(T0 + 60_000);
    expect(c.alarms()).toEqual([]);
    expect(c.tiles(T0 + 60_000)[0]).toMatchObject({ online: false, offlineReason: "stopped", silent: false });
  });

  it("QoS 1 duplicates (same n) are ignored and counted, jumps in n counted as losses, a new run counts from 1", () => {
    const c = new CentralState();
    c.apply(BASE + "alarms", alarm(1, "RAISE", {}), T0);
    c.apply(BASE + "alarms", alarm(1, "RAISE", {}), T0);
    c.apply(BASE + "alarms", alarm(4, "ACK", { acked: true }), T0);
    expect(c.counters).toMatchObject({ duplicates: 1, orderGaps: 2 });
    c.apply(BASE + "alarms", alarm(1, "RAISE", { key: "dev:0000000B:1" }, "0000bbbb"), T0);
    expect(c.counters).toMatchObject({ duplicates: 1, orderGaps: 2 });
    expect(c.alarms().map((a) => a.key).sort()).toEqual(["dev:0000000A:1", "dev:0000000B:1"]);
  });

  it("counts reading rows missing in the seq sequence and takes the bridge's dropped count; resent rows fill no gap twice", () => {
    const c = new CentralState();
    c.apply(BASE + "status", JSON.stringify(status()), T0);
    c.apply(BASE + "readings", readings([1, 2, 3], () => [3700, 3700, 3700]), T0);
    c.apply(BASE + "readings", readings([8, 9], () => [3700, 3700, 3700], 4), T0 + 1000);
    expect(c.tiles(T0 + 1000)[0]).toMatchObject({ missingRows: 4, droppedRows: 4 });
  });

  it("counts bad topics and payloads without throwing", () => {
    const c = new CentralState();
    c.apply("other/topic", "{}", T0);
    c.apply(BASE + "alarms", "not json", T0);
    c.apply(BASE + "alarms", JSON.stringify({ v: 1, n: 0 }), T0);
    c.apply(BASE + "status", JSON.stringify({ ...status(), v: 2 }), T0);
    expect(c.counters).toMatchObject({ messages: 4, badTopics: 1, badPayloads: 3 });
    expect(c.tiles(T0)).toEqual([]);
  });

  it(`tracks at most ${MAX_ROOMS} rooms; messages for more are counted as bad topics`, () => {
    const c = new CentralState();
    for (let i = 0; i <= MAX_ROOMS; i++) c.apply(`thermoguard/v1/north/r${i}/DEV/status`, JSON.stringify(status({ room: "r" + i })), T0);
    expect(c.tiles(T0).length).toBe(MAX_ROOMS);
    expect(c.counters.badTopics).toBe(1);
  });
});
