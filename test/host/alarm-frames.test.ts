// Alarm traffic over a real pty: LINK_LOST is sent on transitions only (no per-tick refresh), a late client gets
// earlier alarms from the snapshot's alarmLog, device alarms carry the A line's device time.
import { afterEach, describe, expect, it } from "vitest";
import type { ServerMessage } from "../../host/ws/ws-messages";
import { startRig, type Rig } from "./helpers/rig";
import type { TestClient } from "./helpers/ws-client";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Of<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isAlarm = (m: ServerMessage): m is Of<"alarm"> => m.type === "alarm";
const linkLost = (action: string) => (m: ServerMessage) => isAlarm(m) && m.alarm.key === "host:LINK_LOST" && m.action === action;

/** The frames from index `from` on that carry an alarm message, and the alarm messages in them. */
function alarmTraffic(c: TestClient, from: number) {
  const frames = c.frames.slice(from).map((f) => (JSON.parse(f) as ServerMessage[]).filter(isAlarm)).filter((a) => a.length > 0);
  return { frames: frames.length, alarms: frames.flat() };
}

describe("alarm frames", () => {
  it("a silent device: one LINK_LOST RAISE, then no alarm frame in 3 s of loss; a new client sees its age in the snapshot", async () => {
    rig = await startRig();
    const c = await rig.connect();
    await c.waitFor((m) => m.type === "readings");
    rig.device.talking = false;
    await c.next(linkLost("RAISE"), 5000);
    const from = c.frames.findIndex((f) => f.includes('"key":"host:LINK_LOST"'));
    await sleep(3000);
    const t = alarmTraffic(c, from);
    // The RAISE and nothing else: no STALE flashing up before it (the link, not the readings, is the problem).
    expect(t.alarms.map((a) => `${a.action} ${a.alarm.key}`)).toEqual(["RAISE host:LINK_LOST"]);
    expect(c.messages.some((m) => isAlarm(m) && m.alarm.key === "host:STALE")).toBe(false);
    expect(t.frames).toBe(1);
    // The value (ms since the last valid line) is kept current in the book, for snapshots, without frames.
    const late = await rig.connect();
    const snap = await late.waitFor((m): m is Of<"snapshot"> => m.type === "snapshot");
    const lost = snap.alarms.find((a) => a.key === "host:LINK_LOST")!;
    expect(lost).toMatchObject({ active: true, tMs: null });
    expect(lost.value).toBeGreaterThanOrEqual(5000);
  });

  it("readings stop while status and dose lines go on: STALE (not LINK_LOST) 2.5 s after the last reading, cleared by the next", async () => {
    let dropFrom = Infinity;
    rig = await startRig({ dropRead: (seq) => seq >= dropFrom });
    const c = await rig.connect();
    await c.waitFor((m) => m.type === "readings");
    dropFrom = rig.device.readSeq;
    const mark = c.messages.length;
    const raised = (await c.waitFor((m) => isAlarm(m) && m.alarm.key === "host:STALE" && m.action === "RAISE", 5000, mark)) as Of<"alarm">;
    // Its value is the readings' age: 2.5 s plus at most two 100 ms ticks (a loaded CI machine gets a margin).
    expect(raised.alarm.value).toBeGreaterThanOrEqual(2500);
    expect(raised.alarm.value).toBeLessThan(3500);
    expect(c.messages.slice(mark).some(linkLost("RAISE"))).toBe(false);
    dropFrom = Infinity;
    await c.waitFor((m) => isAlarm(m) && m.alarm.key === "host:STALE" && m.action !== "RAISE" && !m.alarm.active, 3000, mark);
  });

  it("an unplugged device: LINK_LOST raised once and not re-sent during 3 s of reconnect attempts", async () => {
    rig = await startRig();
    const c = await rig.connect();
    await c.waitFor((m) => m.type === "readings");
    const from = c.frames.length;
    const mark = c.messages.length;
    await rig.unplug();
    await c.waitFor(linkLost("RAISE"), 2000, mark);
    await sleep(3000);
    const t = alarmTraffic(c, from);
    expect(t.alarms.map((a) => `${a.action} ${a.alarm.key}`)).toEqual(["RAISE host:LINK_LOST"]);
    expect(t.frames).toBe(1);
    expect(c.messages.filter((m) => m.type === "link" && m.link.state === "reconnecting").length).toBeGreaterThanOrEqual(1);
  });

  it("a client connecting later gets a cleared alarm from alarmLog, with the A line's device time", async () => {
    rig = await startRig();
    const first = await rig.connect();
    await first.waitFor((m) => m.type === "readings");
    const t0 = rig.device.nowMs();
    const id = rig.device.raise("WARN", 1, 4012, 4000, "M", false);
    const t1 = rig.device.nowMs();
    const raised = await first.next((m): m is Of<"alarm"> => isAlarm(m) && m.alarm.alarmId === id, 2000);
    expect(raised.alarm.tMs).toBeGreaterThanOrEqual(t0);
    expect(raised.alarm.tMs).toBeLessThanOrEqual(t1);
    rig.device.end(id);
    const cleared = await first.next((m): m is Of<"alarm"> => isAlarm(m) && m.alarm.alarmId === id && m.action === "CLEAR", 2000);
    expect(cleared.alarm.tMs).toBeGreaterThanOrEqual(raised.alarm.tMs!);

    const late = await rig.connect();
    const snap = await late.waitFor((m): m is Of<"snapshot"> => m.type === "snapshot");
    expect(snap.alarms.some((a) => a.alarmId === id)).toBe(false);
    const entries = snap.alarmLog.filter((e) => e.key === raised.alarm.key);
    expect(entries).toEqual([
      { atMs: raised.alarm.changedAtMs, tMs: raised.alarm.tMs, key: raised.alarm.key, source: "device", action: "RAISE", cond: "WARN", ch: 1, prio: "M", active: true, acked: false, text: raised.alarm.text },
      { atMs: cleared.alarm.changedAtMs, tMs: cleared.alarm.tMs, key: raised.alarm.key, source: "device", action: "CLEAR", cond: "WARN", ch: 1, prio: "M", active: false, acked: false, text: cleared.alarm.text },
    ]);
  });
});
