// Bridge -> real Mosquitto -> central station, end to end: virtual device, password auth, the room ACL, acknowledgement with the room's token.
import http from "node:http";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startDemo, type Demo } from "../../apps/demo-wiring";
import { reportMqttStart } from "../../apps/mqtt-start";
import { startPrivateBroker, type PrivateBroker } from "../../apps/rooms-demo-broker";
import { startCentral, type Central } from "../../host/central/central-server";
import { PUBLISHED_KINDS, topicOf } from "../../host/mqtt/topics";
import { documentedProblem, startSub, waitFor, type Sub } from "./support/mqtt-fixtures";

const SITE = "e2e";
const TOKEN = "mqtt-e2e-token-0123456789abcdef";
const ROOM1 = `${SITE}/room-1/VIRTUAL-01`;

describe("MQTT end to end with Mosquitto", () => {
  let broker: PrivateBroker;
  let central: Central;
  let demo: Demo;
  let sub: Sub;

  beforeAll(async () => {
    broker = await startPrivateBroker([
      { site: SITE, room: "room-1", user: "room-1" },
      { site: SITE, room: "room-2", user: "room-2" },
    ]);
    sub = await startSub(broker, "central", "thermoguard/v1/#");
    central = await startCentral({ broker: { url: broker.urlFor("central") }, listen: "127.0.0.1:0" });
    // synthetic-step: 37 -> 45 degC at t = 10 s of device time; x4 puts the INTERVENE crossing ~2.5 s in.
    demo = await startDemo({ scenario: "synthetic-step", timeScale: 4, seed: 1, listen: "127.0.0.1:0", token: TOKEN, recordDir: null, mqtt: { broker: { url: broker.urlFor("room-1") }, site: SITE, room: "room-1" } });
    expect(await demo.bridge.mqtt!.ready()).toBeNull();
  }, 60_000);

  afterAll(async () => {
    await demo?.close();
    await central?.close();
    await sub?.close();
    await broker?.close();
  });

  it("the central station's tile shows the room's INTERVENE as it was raised at the bedside: same key, same raise time, worst nerve temperature over the 42.00 degC limit", async () => {
    const a = await waitFor(() => central.state.alarms().find((x) => x.room === ROOM1 && x.cond === "INTERVENE"), "INTERVENE at the central station");
    const bedside = demo.bridge.state.alarms.list().find((x) => x.cond === "INTERVENE")!;
    expect(a).toMatchObject({ key: bedside.key, prio: "H", raisedAtMs: bedside.raisedAtMs, text: bedside.text });
    const tile = await waitFor(() => central.state.tiles(Date.now()).find((t) => t.room === ROOM1 && t.worstNerveCc !== null && t.worstNerveCc >= 4200), "the tile over the limit");
    expect(tile).toMatchObject({ name: "room-1", interveneCc: 4200, stopCc: 4500, topPrio: "H", flashing: true, link: "up", silent: false, missingRows: 0, droppedRows: 0 });
    expect(central.state.counters).toMatchObject({ badPayloads: 0, badTopics: 0, orderGaps: 0 });
  });

  it("acknowledging from the central station needs the room's token; with it the bridge acknowledges and its dashboard's events name the central station", async () => {
    const a = await waitFor(() => central.state.alarms().find((x) => x.room === ROOM1 && x.cond === "INTERVENE"), "INTERVENE");
    const ws = new WebSocket(central.url.replace("http", "ws") + "ws");
    const results: { id: string; ok: boolean; message: string }[] = [];
    ws.on("message", (d) => {
      const m = JSON.parse(String(d));
      if (m.type === "ackResult") results.push(m);
    });
    await new Promise((r) => ws.once("open", r));
    ws.send(JSON.stringify({ type: "ack", id: "bad", room: ROOM1, alarmKey: a.key, token: "not-the-token" }));
    const bad = await waitFor(() => results.find((r) => r.id === "bad"), "the refused ack");
    expect(bad).toMatchObject({ ok: false });
    expect(bad.message).toMatch(/token/);
    expect(demo.bridge.state.alarms.get(a.key)?.acked).toBe(false);
    ws.send(JSON.stringify({ type: "ack", id: "good", room: ROOM1, alarmKey: a.key, token: TOKEN }));
    expect(await waitFor(() => results.find((r) => r.id === "good"), "the ack")).toMatchObject({ ok: true });
    ws.close();
    expect(demo.bridge.state.alarms.get(a.key)?.acked).toBe(true);
    expect(demo.bridge.state.events.map((e) => e.text)).toContain(`alarm ${a.key} acknowledged by central station`);
    await waitFor(() => central.state.alarms().find((x) => x.key === a.key && x.acked), "the ACK at the central station");
  });

  it("a plain mosquitto_sub sees every documented topic of the room, every payload valid against its schema", async () => {
    await waitFor(() => PUBLISHED_KINDS.every((k) => sub.messages.some((m) => m.topic === topicOf({ site: SITE, room: "room-1", deviceId: "VIRTUAL-01" }, k))), "all six kinds");
    const problems = sub.messages.map(documentedProblem).filter(Boolean);
    expect(problems).toEqual([]);
    // The newest status (the retained one): one published while the serial handshake was still running says "handshaking".
    const status = JSON.parse(sub.messages.filter((m) => m.topic.endsWith("/status")).at(-1)!.payload);
    expect(status).toMatchObject({ online: true, site: SITE, room: "room-1", deviceId: "VIRTUAL-01", link: "up", rateHz: 10 });
    // The acknowledgement of the test before reaches the subscriber as an event (QoS 1: it may still be on its way).
    const ackEvent = () => sub.messages.filter((m) => m.topic.endsWith("/events")).map((m) => JSON.parse(m.payload)).find((e) => e.kind === "ack");
    expect(await waitFor(ackEvent, "the ack event")).toMatchObject({ kind: "ack" });
  });

  it("wrong credentials: the central station and the bridge get a clear error naming the broker; the bedside shows MQTT_DOWN (low) and goes on", async () => {
    const bad = `mqtt://central:wrong@127.0.0.1:${broker.port}`;
    const err = await startCentral({ broker: { url: bad }, listen: "127.0.0.1:0" }).catch((e: unknown) => e as Error & { code: string });
    expect(err).toMatchObject({ code: "MQTT_NOT_AUTHORIZED" });
    expect((err as Error).message).toBe(`MQTT broker mqtt://central@127.0.0.1:${broker.port} refused the connection: not authorized (wrong user name or password, or this user may not connect) (reason 135)`);
    const room = await startDemo({ scenario: "synthetic-step", timeScale: 1, listen: "127.0.0.1:0", recordDir: null, mqtt: { broker: { url: `mqtt://room-2:wrong@127.0.0.1:${broker.port}` }, site: SITE, room: "room-2" } });
    try {
      const e = await room.bridge.mqtt!.ready();
      expect(e).toMatchObject({ code: "MQTT_NOT_AUTHORIZED" });
      const down = await waitFor(() => room.bridge.state.alarms.get("host:MQTT_DOWN"), "MQTT_DOWN");
      expect(down).toMatchObject({ prio: "L", kind: "T", active: true });
      expect(down.text).toContain(`mqtt://room-2@127.0.0.1:${broker.port}`);
      expect(room.bridge.state.link.state).toBe("up");
      await expect(reportMqttStart(room.bridge, async () => {})).rejects.toMatchObject({ code: "MQTT_NOT_AUTHORIZED" });
    } finally {
      await room.close();
    }
  });

  it("with the documented ACL a room's credentials cannot publish into another room's topics (the broker refuses, the central station never sees it)", async () => {
    const c = await mqtt.connectAsync(broker.urlFor("room-1"), { protocolVersion: 5, reconnectPeriod: 0 });
    try {
      const forged = topicOf({ site: SITE, room: "room-2", deviceId: "VIRTUAL-01" }, "alarms");
      const marker = topicOf({ site: SITE, room: "room-1", deviceId: "MARKER" }, "doses");
      const refused = await c.publishAsync(forged, JSON.stringify({ forged: true }), { qos: 1 }).then(() => null, (e: { code?: number }) => e);
      expect(refused).toMatchObject({ code: 135 }); // MQTT 5 PUBACK: not authorized
      await c.publishAsync(marker, JSON.stringify({ marker: true }), { qos: 1 });
      // Mosquitto delivers one client's messages in order: once the later marker is there, the forged one would be too.
      await waitFor(() => sub.messages.some((m) => m.topic === marker), "the marker");
      expect(sub.messages.some((m) => m.topic === forged)).toBe(false);
      expect(central.state.has(`${SITE}/room-2/VIRTUAL-01`)).toBe(false);
    } finally {
      await c.endAsync();
    }
  });

  it("the central station listens on loopback and refuses another Host (DNS rebinding) or a foreign Origin (cross-site WebSocket), like the bridge", async () => {
    const u = new URL(central.url);
    expect(u.hostname).toBe("127.0.0.1");
    const page = await fetch(central.url);
    expect(page.status).toBe(200);
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = http.get({ host: u.hostname, port: u.port, path: "/", headers: { host: "evil.example:" + u.port } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
    });
    expect(rebound).toBe(403);
    const foreign = new WebSocket(central.url.replace("http", "ws") + "ws", { headers: { origin: "http://evil.example" } });
    const outcome = await new Promise<string>((resolve) => {
      foreign.once("open", () => resolve("open"));
      foreign.once("unexpected-response", (_req, res) => resolve("refused " + res.statusCode));
      foreign.once("error", () => resolve("error"));
    });
    foreign.terminate();
    expect(outcome).toBe("refused 403");
  });
});
