// Faults with a real Mosquitto: the broker restarts mid-procedure (no alarm lost or reordered, the readings gap counted); a bridge killed with SIGKILL (Last Will).
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo } from "../../apps/demo-wiring";
import { startPrivateBroker, type PrivateBroker } from "../../apps/rooms-demo-broker";
import { startCentral, type Central } from "../../host/central/central-server";
import { AlarmPayload } from "../../host/mqtt/mqtt-messages";
import { parseTopic } from "../../host/mqtt/topics";
import { startVirtualDevice } from "../../sim/virtual-device";
import { startSub, waitFor } from "./support/mqtt-fixtures";

const SITE = "faults";

describe("MQTT faults with Mosquitto", () => {
  let broker: PrivateBroker;
  let central: Central;

  beforeAll(async () => {
    broker = await startPrivateBroker([
      { site: SITE, room: "restart", user: "restart" },
      { site: SITE, room: "killed", user: "killed" },
    ]);
    central = await startCentral({ broker: { url: broker.urlFor("central") }, listen: "127.0.0.1:0" });
  }, 60_000);

  afterAll(async () => {
    await central?.close();
    await broker?.close();
  });

  it("broker restart mid-procedure: the alarms raised while it was down reach the central station after it, none lost, none reordered; the bedside showed MQTT_DOWN; dropped readings are counted", async () => {
    // Alarm and event payloads (one n sequence) as the central station's connection receives them, duplicates (same n) removed.
    const ordered: number[] = [];
    const received: { n: number; key: string; action: string }[] = [];
    central.client.on("message", (topic, payload) => {
      const t = parseTopic(topic);
      if (t?.room !== "restart" || (t.kind !== "alarms" && t.kind !== "events")) return;
      const json = JSON.parse(payload.toString());
      if (ordered.includes(json.n)) return;
      ordered.push(json.n);
      if (t.kind === "events") return;
      const p = AlarmPayload.parse(json);
      received.push({ n: p.n, key: p.alarm.key, action: p.action });
    });
    // synthetic-step at x2: 37 -> 45 degC ~5 s in, WARN, INTERVENE and STOP then, with the broker away. 5 rows held: the outage drops readings.
    const demo = await startDemo({ scenario: "synthetic-step", timeScale: 2, seed: 1, listen: "127.0.0.1:0", recordDir: null, mqtt: { broker: { url: broker.urlFor("restart") }, site: SITE, room: "restart", maxRows: 5 } });
    try {
      expect(await demo.bridge.mqtt!.ready()).toBeNull();
      const room = `${SITE}/restart/${demo.bridge.state.device!.deviceId}`;
      await waitFor(() => central.state.tiles(Date.now()).find((t) => t.room === room && t.worstNerveCc !== null), "readings at the central station");
      expect(demo.bridge.state.alarms.isActive("STOP")).toBe(false);
      await broker.stop();
      const down = await waitFor(() => demo.bridge.state.alarms.get("host:MQTT_DOWN"), "MQTT_DOWN at the bedside");
      expect(down).toMatchObject({ prio: "L", kind: "T", active: true });
      await waitFor(() => demo.bridge.state.alarms.isActive("STOP") && demo.bridge.mqtt!.counters.droppedRows > 0, "STOP raised while the broker is down");
      // The bedside went on: readings kept flowing to its own dashboard state.
      expect(demo.bridge.state.link.state).toBe("up");
      await broker.start();
      await waitFor(() => !demo.bridge.state.alarms.get("host:MQTT_DOWN"), "MQTT_DOWN cleared");
      const bedside = () => demo.bridge.state.snapshot(false).alarmLog.map((e) => ({ key: e.key, action: e.action }));
      await waitFor(() => received.length >= bedside().length && received.some((r) => r.key === "host:MQTT_DOWN" && r.action === "CLEAR"), "every transition at the central station");
      expect(ordered).toEqual(ordered.map((_, i) => i + 1));
      expect(received.map((r) => ({ key: r.key, action: r.action }))).toEqual(bedside().slice(0, received.length));
      expect(received.map((r) => r.action + " " + r.key)).toEqual(expect.arrayContaining(["RAISE host:MQTT_DOWN", "CLEAR host:MQTT_DOWN"]));
      expect(central.state.counters.orderGaps).toBe(0);
      const stop = central.state.alarms().find((a) => a.room === room && a.cond === "STOP");
      expect(stop).toMatchObject({ prio: "H", raisedAtMs: demo.bridge.state.alarms.list().find((a) => a.cond === "STOP")!.raisedAtMs });
      const tile = await waitFor(() => central.state.tiles(Date.now()).find((t) => t.room === room && t.droppedRows > 0 && t.dataAgeMs !== null && t.dataAgeMs < 1000), "readings again");
      expect(tile.droppedRows).toBe(demo.bridge.mqtt!.counters.droppedRows);
      expect(tile.missingRows).toBeGreaterThanOrEqual(tile.droppedRows);
      expect(demo.bridge.mqtt!.counters.reconnects).toBe(1);
    } finally {
      await demo.close();
    }
  });

  it("a bridge killed with SIGKILL: the broker publishes its Last Will (retained online false) and the central station raises ROOM_SILENT (high) for that room", async () => {
    const device = await startVirtualDevice({ scenario: "spinal-mwa-safe", timeScale: 1, seed: 3 });
    const child = spawn(process.execPath, ["--import", "tsx", "test/mqtt/support/bridge-child.ts", device.hostPath, broker.urlFor("killed"), SITE, "killed"], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      let out = "";
      child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
      const ready = await waitFor(() => /^(READY|FAILED) .*\n/m.exec(out), "the bridge child", 30_000);
      expect(ready[0]).toMatch(/^READY /);
      const room = `${SITE}/killed/${ready[0].trim().split(" ")[1]}`;
      await waitFor(() => central.state.tiles(Date.now()).find((t) => t.room === room && t.worstNerveCc !== null), "the room at the central station");
      expect(central.state.alarms().filter((a) => a.room === room && a.cond === "ROOM_SILENT")).toEqual([]);
      const killedAt = Date.now();
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
      const silent = await waitFor(() => central.state.alarms().find((a) => a.room === room && a.cond === "ROOM_SILENT"), "ROOM_SILENT");
      expect(silent).toMatchObject({ prio: "H", kind: "T", source: "central", active: true, acked: false });
      expect(silent.text).toMatch(/Last Will/);
      expect(silent.raisedAtMs).toBeGreaterThanOrEqual(killedAt);
      expect(central.state.tiles(Date.now()).find((t) => t.room === room)).toMatchObject({ online: false, offlineReason: "last-will", silent: true, topPrio: "H" });
      // A consumer that subscribes only now gets the retained status: offline by Last Will.
      const sub = await startSub(broker, "central", `thermoguard/v1/${SITE}/killed/+/status`);
      try {
        const m = await waitFor(() => sub.messages[0], "the retained status");
        expect(JSON.parse(m.payload)).toMatchObject({ online: false, reason: "last-will", room: "killed" });
      } finally {
        await sub.close();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await device.close();
    }
  });
});
