// The bridge against the real device runtime (device/node/node-device.ts) on a pty: alarm, ack, dose check, recording -> report, unplug / replug.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startNodeDevice, type NodeDevice } from "../../device/node/node-device";
import { startBridge, type Bridge } from "../../host/bridge";
import { readRecording } from "../../host/record/read-recording";
import { summarise } from "../../host/record/report-data";
import { writeReport } from "../../apps/commands/report";
import type { ServerMessage } from "../../host/ws/ws-messages";
import { openPtyPair, type PtyPair } from "../../sim/pty-pair";
import { ScriptedSource } from "../device/runtime-harness";
import { TestClient } from "./helpers/ws-client";

const CHANNELS = [
  { label: "canal", role: "nerve" as const, tc: "SIM" as const, chip: "SIM" as const },
  { label: "foramen", role: "nerve" as const, tc: "SIM" as const, chip: "SIM" as const },
  { label: "zone", role: "ablation" as const, tc: "SIM" as const, chip: "SIM" as const },
];
/** canal: 37 degC, ramps at 5 degC/s from 0.5 s, crosses 42 degC at 1.5 s, holds 43 degC. */
const canal = (t: number) => Math.min(43, t < 500 ? 37 : 37 + ((t - 500) / 1000) * 5);

type Of<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function rig() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tg-real-"));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const statePath = path.join(dir, "device-state.json");
  const source = new ScriptedSource([canal, () => 38, () => 60]);
  let pty: PtyPair = await openPtyPair({ dir });
  let device: NodeDevice = await startNodeDevice({ portPath: pty.devicePath, source, channels: CHANNELS, rateHz: 10, deviceId: "REAL-1", statePath });
  const bridge: Bridge = await startBridge({ port: pty.hostPath, listen: "127.0.0.1:0", recordDir: path.join(dir, "rec"), token: "tok-0123456789abcdef", reconnectInitialMs: 100, reconnectMaxMs: 400 });
  const r = {
    dir,
    bridge,
    get device() {
      return device;
    },
    async unplug() {
      await device.stop();
      await pty.close();
    },
    async replug() {
      pty = await openPtyPair({ dir });
      device = await startNodeDevice({ portPath: pty.devicePath, source, channels: CHANNELS, rateHz: 10, deviceId: "REAL-1", statePath });
    },
  };
  cleanup.push(async () => {
    await device.stop();
    await pty.close();
  });
  cleanup.push(() => bridge.close());
  return r;
}

describe("bridge + real device runtime", () => {
  it("relays the device's INTERVENE alarm within 500 ms, forwards the ack, agrees on the dose, and records a session the report summarises", async () => {
    const r = await rig();
    const c = await TestClient.connect(r.bridge.wsUrl);
    cleanup.push(async () => c.close());
    const snap = await c.waitFor((m): m is Of<"snapshot"> => m.type === "snapshot");
    expect(snap.channels.map((x) => x.label)).toEqual(["canal", "foramen", "zone"]);
    expect(snap.device).toMatchObject({ deviceId: "REAL-1", schemaMatches: true });

    // RAISE when the bridge was connected at the crossing (the normal case); UPDATE (the restatement after HELLO) when it connected later
    const alarm = await c.waitFor((m): m is Of<"alarm"> => m.type === "alarm" && m.alarm.cond === "INTERVENE" && (m.action === "RAISE" || m.action === "UPDATE"), 8000);
    const receivedAt = Date.now();
    expect(alarm.alarm).toMatchObject({ source: "device", ch: 0, prio: "H", latching: true, limit: 4200 });
    expect(alarm.alarm.value).toBeGreaterThanOrEqual(4200);
    if (alarm.action === "RAISE") expect(receivedAt - alarm.alarm.raisedAtMs).toBeLessThan(500); // sample instant (device clock mapped) -> ws client
    // the first reading at >= 42 degC (live, or in the snapshot's history when the bridge connected late);
    // A lines precede their sample's R line (PROTOCOL.md section 4), so wait until a reading that hot has arrived
    const hot = (v: unknown) => typeof v === "number" && v >= 4200;
    if (!snap.history.valuesCc[0].some(hot)) await c.waitFor((m) => m.type === "readings" && m.rows.some((row) => hot(row.valuesCc[0])), 5000);
    const live = c.messages.filter((m): m is Of<"readings"> => m.type === "readings").flatMap((m) => m.rows.map((row) => [row.tMs, row.valuesCc[0]] as const));
    const hist = snap.history.tMs.map((t, i) => [t, snap.history.valuesCc[0][i]] as const);
    const crossing = [...hist, ...live].find(([, v]) => typeof v === "number" && v >= 4200);
    expect(crossing?.[0]).toBeGreaterThanOrEqual(1400);
    expect(crossing?.[0]).toBeLessThanOrEqual(1600);

    c.send({ type: "hello", token: "tok-0123456789abcdef" });
    const acked = c.next((m) => m.type === "alarm" && m.alarm.key === alarm.alarm.key && m.alarm.acked, 3000);
    expect(await c.command("ack-1", { name: "ack", alarmKey: alarm.alarm.key })).toMatchObject({ ok: true, outcome: "ACK" });
    await acked;
    expect(await c.command("m-1", { name: "mark", text: "CO2 injected" })).toMatchObject({ ok: true, outcome: "ACK" });

    // four more D lines with canal at 43 degC: the bridge's recomputation agrees with the device
    const doses: Of<"dose">[] = [];
    await c.next((m) => m.type === "dose" && doses.push(m) >= 4 && m.doses.some((d) => d.ch === 0 && d.t42Ms >= 3000), 10_000);
    const last = doses.at(-1)!.doses.find((d) => d.ch === 0)!;
    expect(last.check!.ok).toBe(true);
    expect(Math.abs(last.check!.t42Ms - last.t42Ms)).toBeLessThanOrEqual(200);
    expect(Math.abs(last.check!.cem43M - last.cem43M)).toBeLessThanOrEqual(20);
    expect(r.bridge.state.alarms.list().some((a) => a.cond === "DOSE_MISMATCH")).toBe(false);

    await r.bridge.close();
    const files = await readdir(path.join(r.dir, "rec"));
    expect(files.length).toBeGreaterThanOrEqual(1);
    const file = path.join(r.dir, "rec", files.sort().at(-1)!);
    const sum = summarise((await readRecording(file)).records);
    const canalSum = sum.channels[0];
    expect(canalSum).toMatchObject({ label: "canal", peakCc: 4300 });
    expect(canalSum.aboveMs[1]).toBeGreaterThan(2500); // >= 42 degC for most of the run
    expect(Math.abs(canalSum.recomputed!.t42Ms - canalSum.deviceDose!.t42Ms)).toBeLessThanOrEqual(200);
    expect(sum.alarms.find((a) => a.cond === "INTERVENE")).toMatchObject({ prio: "H", ackedAtMs: expect.any(Number) });
    expect(sum.events.map((e) => e.text)).toContain("CO2 injected");
    expect(sum.endedCleanly).toBe(true);
    const html = await import("node:fs/promises").then((fs) => writeReport(file, path.join(r.dir, "report.html")).then((p) => fs.readFile(p, "utf8")));
    expect(html).toContain("43.00 °C");
    expect(html).toContain("CO2 injected");
  }, 30_000);

  it("unplug and replug: LINK_LOST, reconnect, reboot reported, doses restored by the device and not counted twice", async () => {
    const r = await rig();
    const c = await TestClient.connect(r.bridge.wsUrl);
    cleanup.push(async () => c.close());
    await c.waitFor((m) => m.type === "dose" && m.doses.some((d) => d.ch === 0 && d.t42Ms >= 1000), 8000);
    const before = r.bridge.state.doses.get(0)!;
    const mark = c.messages.length;
    await r.unplug();
    await c.waitFor((m) => m.type === "alarm" && m.alarm.cond === "LINK_LOST" && m.action === "RAISE", 3000, mark);
    await r.replug();
    await c.waitFor((m) => m.type === "alarm" && m.alarm.cond === "LINK_LOST" && m.action === "CLEAR", 8000, mark);
    await c.waitFor((m) => m.type === "alarm" && m.alarm.cond === "DEVICE_REBOOT", 3000, mark);
    expect(r.bridge.state.device).toMatchObject({ deviceId: "REAL-1", restored: true });
    const after = await c.waitFor((m): m is Of<"dose"> => m.type === "dose" && m.doses.some((d) => d.ch === 0), 5000, c.messages.length);
    const d0 = after.doses.find((d) => d.ch === 0)!;
    expect(d0.t42Ms).toBeGreaterThanOrEqual(before.t42Ms - 5000); // restored (saved every 5 s), not reset to 0
    expect(d0.check!.ok).toBe(true);
  }, 30_000);
});
