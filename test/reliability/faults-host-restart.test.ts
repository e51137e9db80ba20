// Fault: the host goes away (bridge stopped; later the cable pulled) while the device keeps monitoring on its own.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Outputs } from "../../device/core/annunciator";
import { startNodeDevice } from "../../device/node/node-device";
import { startBridge, type Bridge } from "../../host/bridge";
import type { ServerMessage } from "../../host/ws/ws-messages";
import { openPtyPair, type PtyPair } from "../../sim/pty-pair";
import { ScriptedSource } from "../device/runtime-harness";
import { TestClient } from "../host/helpers/ws-client";
import { summarise } from "../../host/record/report-data";
import { duplicates, readAll, readingsByBoot, seqHoles } from "./support/recording";

/** Most one wait may take: a guard against a hang on a loaded machine, not a speed bound. */
const GUARD_MS = 20_000;

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

/** The device's local annunciation, as the hardware would see it. */
class RecordingOutputs implements Outputs {
  interlockOn = false;
  ledOn = false;
  changes: string[] = [];
  led(on: boolean): void {
    if (on !== this.ledOn) this.changes.push("led " + on);
    this.ledOn = on;
  }
  buzzer(): void {}
  interlock(asserted: boolean): void {
    if (asserted !== this.interlockOn) this.changes.push("interlock " + asserted);
    this.interlockOn = asserted;
  }
}

describe("host restart", () => {
  it("with no host the device alarms and asserts the interlock on its own; a new bridge shows the active alarms; a pulled cable's gap is fetched by RESEND", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tg-rel-host-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    let pty: PtyPair = await openPtyPair({ dir, deviceName: "dev", hostName: "host" });
    cleanup.push(() => pty.close());
    let canalC = 37;
    const outputs = new RecordingOutputs();
    const device = await startNodeDevice({
      portPath: pty.devicePath,
      source: new ScriptedSource([() => canalC, () => 60]),
      channels: [
        { label: "canal", role: "nerve", tc: "SIM", chip: "SIM" },
        { label: "zone", role: "ablation", tc: "SIM", chip: "SIM" },
      ],
      deviceId: "HOSTLESS-1",
      timeScale: 10,
      outputs,
    });
    cleanup.push(() => device.stop());
    const opts = { port: pty.hostPath, listen: "127.0.0.1:0", token: "tok-0123456789abcdef", reconnectInitialMs: 50, reconnectMaxMs: 200 };

    const first: Bridge = await startBridge({ ...opts, recordDir: null });
    const c1 = await TestClient.connect(first.wsUrl);
    await c1.next((m) => m.type === "readings");
    c1.close();
    expect(device.runtime.monitor.engine.present).toBe(0);
    await first.close();

    // No host: the nerve probe heats past 45 degC. The device alone must raise STOP and assert the interlock.
    canalC = 46;
    await vi.waitFor(() => expect(device.runtime.monitor.interlock()).toBe(true), { timeout: GUARD_MS, interval: 10 });
    expect(outputs.interlockOn).toBe(true);
    expect(outputs.ledOn).toBe(true);
    expect(outputs.changes).toEqual(expect.arrayContaining(["led true", "interlock true"]));
    const conds = () => device.runtime.monitor.engine;
    expect(conds().present).toBeGreaterThanOrEqual(3); // WARN, INTERVENE, STOP

    // A new bridge: its first snapshot already shows what the device has been alarming about.
    const rec = path.join(dir, "rec");
    const second = await startBridge({ ...opts, recordDir: rec });
    let secondOpen = true;
    cleanup.push(async () => secondOpen && second.close());
    const c2 = await TestClient.connect(second.wsUrl);
    cleanup.push(async () => c2.close());
    const snap = (await c2.waitFor((m) => m.type === "snapshot")) as Extract<ServerMessage, { type: "snapshot" }>;
    const shown = snap.alarms.filter((a) => a.source === "device" && a.active).map((a) => a.cond);
    expect(shown).toEqual(expect.arrayContaining(["WARN", "INTERVENE", "STOP"]));
    expect(snap.alarms.find((a) => a.cond === "STOP")).toMatchObject({ prio: "H", latching: true, ch: 0 });
    await c2.waitFor((m) => m.type === "status" && m.status?.interlock === true, GUARD_MS);

    // The cable is pulled and put back (same device, same boot): the readings of the gap are still
    // in the device's ring and come back by RESEND.
    await c2.next((m) => m.type === "readings");
    const mark = c2.messages.length;
    await pty.close();
    await c2.waitFor((m) => m.type === "alarm" && m.alarm.key === "host:LINK_LOST" && m.action === "RAISE", GUARD_MS, mark);
    pty = await openPtyPair({ dir, deviceName: "dev", hostName: "host" }); // the device reopens its path every second
    await c2.waitFor((m) => m.type === "alarm" && m.alarm.key === "host:LINK_LOST" && m.action === "CLEAR", GUARD_MS, mark);
    await vi.waitFor(() => expect(second.state.counters.readRecovered).toBeGreaterThan(0), { timeout: GUARD_MS, interval: 10 });
    await vi.waitFor(() => expect(second.link.tracker.busy).toBe(false), { timeout: GUARD_MS, interval: 10 });
    expect(second.state.counters).toMatchObject({ reboots: 0, readLost: 0 });
    expect(c2.messages.slice(mark).some((m) => m.type === "alarm" && m.alarm.cond === "DEVICE_REBOOT")).toBe(false);

    await second.close();
    secondOpen = false;
    const boots = readingsByBoot(await readAll(rec)).filter((b) => b.rows.length > 0);
    expect(boots).toHaveLength(1);
    expect(duplicates(boots)).toEqual([]);
    expect(seqHoles(boots)).toEqual([]);
    expect(boots[0].rows.some((r) => r.resent)).toBe(true);
  }, 60_000);

  it("a restarted bridge continues the same recording file and fetches the readings taken while it was down, so the session has no hole", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tg-rel-resume-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const pty: PtyPair = await openPtyPair({ dir, deviceName: "dev", hostName: "host" });
    cleanup.push(() => pty.close());
    const device = await startNodeDevice({
      portPath: pty.devicePath,
      source: new ScriptedSource([() => 38, () => 60]),
      channels: [
        { label: "canal", role: "nerve", tc: "SIM", chip: "SIM" },
        { label: "zone", role: "ablation", tc: "SIM", chip: "SIM" },
      ],
      deviceId: "RESUME-1",
      timeScale: 10,
    });
    cleanup.push(() => device.stop());
    const rec = path.join(dir, "rec");
    const opts = { port: pty.hostPath, listen: "127.0.0.1:0", token: "tok-0123456789abcdef", recordDir: rec };

    const first = await startBridge(opts);
    const c1 = await TestClient.connect(first.wsUrl);
    await c1.next((m) => m.type === "readings");
    c1.close();
    await first.close();
    const stoppedAtSeq = device.runtime.link.ring.nextSeq;
    // 150 readings taken without a host: only the device's ring holds them (counted, not timed).
    await vi.waitFor(() => expect(device.runtime.link.ring.nextSeq).toBeGreaterThanOrEqual(stoppedAtSeq + 150), { timeout: GUARD_MS, interval: 20 });

    const second = await startBridge(opts);
    let secondOpen = true;
    cleanup.push(async () => secondOpen && second.close());
    await vi.waitFor(() => expect(second.state.counters.readRecovered).toBeGreaterThan(100), { timeout: GUARD_MS, interval: 20 });
    await vi.waitFor(() => expect(second.link.tracker.busy).toBe(false), { timeout: GUARD_MS, interval: 20 });
    expect(second.state.counters).toMatchObject({ readLost: 0, reboots: 0 });
    await second.close();
    secondOpen = false;

    const files = (await readdir(rec)).filter((f) => f.endsWith(".ndjson"));
    expect(files).toHaveLength(1);
    const records = await readAll(rec);
    expect(records.filter((r) => r.k === "start")).toHaveLength(2);
    const boots = readingsByBoot(records).filter((b) => b.rows.length > 0);
    expect(boots).toHaveLength(1);
    expect(duplicates(boots)).toEqual([]);
    expect(seqHoles(boots)).toEqual([]);
    const resent = boots[0].rows.filter((r) => r.resent).map((r) => r.seq);
    expect(resent.length).toBeGreaterThan(100);
    expect(Math.min(...resent)).toBeLessThanOrEqual(stoppedAtSeq);
    const report = summarise(records);
    expect(report.endedCleanly).toBe(true);
  }, 60_000);
});
