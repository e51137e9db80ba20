// End to end over a real pty: fake device -> serialport -> bridge -> real WebSocket client.
import { afterEach, describe, expect, it } from "vitest";
import type { ServerMessage } from "../../host/ws/ws-messages";
import { startRig, type Rig } from "./helpers/rig";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Of<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;
const is = <T extends ServerMessage["type"]>(t: T) => (m: ServerMessage): m is Of<T> => m.type === t;

describe("bridge over a pty", () => {
  it("handshakes (HELLO, HI, CH, LM, TIME) and gives a new client a snapshot", async () => {
    rig = await startRig({ channels: 3, labels: ["canal", "foramen", "zone"] });
    const hello = rig.device.received.find((m) => m.type === "HELLO");
    expect(hello).toMatchObject({ major: 1, minor: 0 });
    expect(rig.bridge.link.state).toBe("up");
    const c = await rig.connect();
    const snap = await c.waitFor(is("snapshot"));
    expect(snap.device).toMatchObject({ deviceId: "FAKE-01", channels: 3, rateHz: 10, schemaMatches: true });
    expect(snap.channels.map((ch) => ch.label)).toEqual(["canal", "foramen", "zone"]);
    expect(snap.limits).toMatchObject({ warnCc: 4000, interveneCc: 4200, stopCc: 4500 });
    expect(snap.link.state).toBe("up");
    expect(snap.control).toBe(false);
    await c.next(is("status"), 3000);
    expect(rig.device.received.some((m) => m.type === "TIME" && Math.abs(m.epochMs - Date.now()) < 5000)).toBe(true);
  });

  it("relays readings with the device's values and a wall-clock time", async () => {
    rig = await startRig({ temp: (_t, ch) => (ch === 1 ? "OC" : 3700 + ch * 111) });
    const c = await rig.connect();
    const r = await c.next(is("readings"));
    const row = r.rows[0];
    expect(row.valuesCc).toEqual([3700, "OC", 3922, 4033]);
    expect(Math.abs(row.atMs - Date.now())).toBeLessThan(1000);
    // consecutive seqs, no duplicates
    const more = await c.next((m) => m.type === "readings" && m.rows[m.rows.length - 1].seq >= row.seq + 5);
    const seqs = c.messages.filter(is("readings")).flatMap((m) => m.rows.map((x) => x.seq));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(more).toBeTruthy();
  });

  it("delivers a device alarm, acknowledges the line (AK), and forwards an authorised ack", async () => {
    rig = await startRig();
    const c = await rig.connect();
    await c.waitFor(is("snapshot"));
    const id = rig.device.raise("INTERVENE", 0, 4215, 4200);
    const alarm = await c.next((m): m is Of<"alarm"> => m.type === "alarm" && m.action === "RAISE" && m.alarm.alarmId === id, 2000);
    expect(alarm.alarm).toMatchObject({ source: "device", cond: "INTERVENE", prio: "H", active: true, acked: false, latching: true, ch: 0, value: 4215, limit: 4200 });
    expect(alarm.alarm.text).toContain("42.15");
    await expect.poll(() => rig!.device.received.some((m) => m.type === "AK")).toBe(true);

    // a viewer cannot acknowledge
    const refused = await c.command(1, { name: "ack", alarmKey: alarm.alarm.key });
    expect(refused).toMatchObject({ ok: false, outcome: "REFUSED", reason: "UNAUTHORIZED" });
    expect(rig.device.received.some((m) => m.type === "ACKAL")).toBe(false);
    // with the token (hello), the ack goes to the device and comes back as an ACK transition
    c.send({ type: "hello", token: "test-token-0123456789" });
    expect(await c.next(is("auth"))).toMatchObject({ control: true });
    const ackTransition = c.next((m) => m.type === "alarm" && m.action === "ACK" && m.alarm.alarmId === id, 3000);
    const res = await c.command("a-1", { name: "ack", alarmKey: alarm.alarm.key });
    expect(res).toMatchObject({ ok: true, outcome: "ACK", info: 1, id: "a-1" });
    expect(rig.device.received.find((m) => m.type === "ACKAL")).toMatchObject({ alarmId: id });
    expect(((await ackTransition) as Of<"alarm">).alarm.acked).toBe(true);
  });

  it("answers bad client messages with an error naming the problem and keeps the connection", async () => {
    rig = await startRig();
    const c = await rig.connect();
    c.send("{not json");
    expect(await c.next(is("error"))).toMatchObject({ code: "BAD_JSON" });
    c.send({ type: "command", id: 3, command: { name: "pause", seconds: 500 } });
    const e = await c.next(is("error"));
    expect(e).toMatchObject({ code: "BAD_MESSAGE", id: 3 });
    expect(e.issues[0]).toMatchObject({ path: ["command", "seconds"], code: "too_big" });
    c.send({ type: "nope" });
    expect(await c.next(is("error"))).toMatchObject({ code: "BAD_MESSAGE" });
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await c.next(is("error"))).toMatchObject({ code: "BINARY_NOT_SUPPORTED" });
    c.send({ type: "resync" });
    expect(await c.next(is("snapshot"))).toBeTruthy();
  });

  it("refuses limits outside the safe bounds before sending, and forwards valid ones (NAK / ACK returned)", async () => {
    rig = await startRig();
    const c = await rig.connect();
    const tok = "test-token-0123456789";
    expect(await c.command(1, { name: "setLimit", param: "INTERVENE", value: 4600 }, tok)).toMatchObject({ ok: false, outcome: "REFUSED", reason: "RANGE" });
    expect(await c.command(2, { name: "setLimit", param: "WARN", value: 4200 }, tok)).toMatchObject({ ok: false, outcome: "REFUSED", reason: "ORDER" });
    expect(await c.command(3, { name: "setLimit", param: "INTERVENE", value: 4100 }, "wrong")).toMatchObject({ reason: "UNAUTHORIZED" });
    expect(rig.device.received.filter((m) => m.type === "LIM")).toHaveLength(0);
    const dev = c.next((m) => m.type === "device" && m.limits?.interveneCc === 4100);
    expect(await c.command(4, { name: "setLimit", param: "INTERVENE", value: 4100 }, tok)).toMatchObject({ ok: true, outcome: "ACK" });
    await dev;
    expect(await c.command(5, { name: "endSession", confirm: { session: null } }, tok)).toMatchObject({ ok: false, outcome: "NAK", reason: "STATE" });
    expect(await c.command(6, { name: "startSession", session: "case-7" }, tok)).toMatchObject({ ok: false, outcome: "REFUSED", reason: "CONFIRM_REQUIRED" });
    expect(await c.command(16, { name: "startSession", session: "case-7", confirm: { session: null, doses: [] } }, tok)).toMatchObject({ ok: true, outcome: "ACK" });
    expect(await c.command(7, { name: "pause", seconds: 120 }, tok)).toMatchObject({ ok: true, info: 120 });
    const ev = c.next(is("event"));
    expect(await c.command(8, { name: "mark", text: "CO2 injected" }, tok)).toMatchObject({ ok: true, outcome: "ACK" });
    expect((await ev).event.text).toBe("CO2 injected");
    const lines = rig.device.received.filter((m) => m.type === "LIM" || m.type === "START" || m.type === "MARK");
    expect(lines.map((m) => m.type)).toEqual(["LIM", "START", "MARK"]);
    // the session started: the recording moved to a file of its own, whose live report shows the event
    await expect.poll(() => rig!.bridge.recorder!.status.file ?? "").toContain("case-7");
    const page = await fetch(new URL("/report", rig.bridge.url));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("case-7");
    expect(html).toContain("CO2 injected");
  });
});
