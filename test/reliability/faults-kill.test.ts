// Fault: the device runtime is killed (SIGKILL: no final save) mid-session and started again on the same port and state file.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SAVE_PERIOD_MS } from "../../device/core/core-constants";
import { startBridge } from "../../host/bridge";
import type { Dose, ServerMessage } from "../../host/ws/ws-messages";
import { openPtyPair } from "../../sim/pty-pair";
import { TestClient } from "../host/helpers/ws-client";
import { duplicates, readAll, readingsByBoot, seqHoles } from "./support/recording";

/** Most one wait may take: a guard against a hang on a loaded machine, not a speed bound. */
const GUARD_MS = 20_000;

const CHILD = fileURLToPath(new URL("./support/device-child.ts", import.meta.url));
const TIME_SCALE = 20;
/** 43 degC: 1 CEM43 per minute = 1000 mCEM43 per 60,000 ms (Sapareto & Dewey 1984, R = 0.5 at >= 43 degC). */
const CEM43_M_PER_MS = 1000 / 60_000;

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

/** Starts the device in a child process; resolves once it has opened the port. */
function startChild(portPath: string, statePath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, portPath, statePath, String(TIME_SCALE)], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  cleanup.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    }
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve(child));
    child.once("exit", (code) => reject(new Error(`device child exited (${code}): ${err.slice(-2000)}`)));
  });
}

const canalDose = (m: ServerMessage): Dose | undefined => (m.type === "dose" ? m.doses.find((d) => d.ch === 0) : undefined);

describe("device killed and restarted mid-session", () => {
  it("doses continue from the persisted value (within one persistence interval), the session and latched alarm survive, nothing recorded twice", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tg-rel-kill-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const statePath = path.join(dir, "device-state.json");
    const pty = await openPtyPair({ dir });
    cleanup.push(() => pty.close());
    let child = await startChild(pty.devicePath, statePath);
    const bridge = await startBridge({ port: pty.hostPath, listen: "127.0.0.1:0", recordDir: path.join(dir, "rec"), token: "tok-0123456789abcdef", staleAfterMs: 1000, reconnectInitialMs: 50, reconnectMaxMs: 200 });
    let bridgeOpen = true;
    cleanup.push(async () => bridgeOpen && bridge.close());
    const c = await TestClient.connect(bridge.wsUrl);
    cleanup.push(async () => c.close());
    // Confirm what the user is shown now (the session running, if the bridge started one, and every
    // channel's dose, which the device's 43 degC source has been building since its start).
    const shown = bridge.state.channels.map((_, ch) => bridge.state.dosesAboveZero().find((d) => d.ch === ch) ?? { ch, t42Ms: 0, t70Ms: 0, cem43M: 0 });
    const confirm = { session: bridge.state.device?.session ?? null, doses: shown.map((d) => ({ ch: d.ch, t42Ms: d.t42Ms, t70Ms: d.t70Ms, cem43M: d.cem43M })) };
    expect(await c.command(1, { name: "startSession", session: "case-kill", confirm }, "tok-0123456789abcdef")).toMatchObject({ ok: true, outcome: "ACK" });
    // Let the dose build up over several persistence intervals (5 s of device time each).
    await c.next((m) => (canalDose(m)?.t42Ms ?? 0) >= 4 * SAVE_PERIOD_MS, 10_000);
    const intervene = bridge.state.alarms.list().find((a) => a.cond === "INTERVENE");
    expect(intervene).toMatchObject({ latching: true });

    const mark = c.messages.length;
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    await c.waitFor((m) => m.type === "alarm" && m.alarm.key === "host:LINK_LOST" && m.action === "RAISE", GUARD_MS, mark);
    child = await startChild(pty.devicePath, statePath);
    const reboot = await c.waitFor((m) => m.type === "alarm" && m.alarm.cond === "DEVICE_REBOOT" && m.action === "RAISE", 10_000, mark);
    await c.waitFor((m) => m.type === "alarm" && m.alarm.key === "host:LINK_LOST" && m.action === "CLEAR", 10_000, mark);
    expect(bridge.state.device).toMatchObject({ deviceId: "KILL-1", restored: true, session: "case-kill" });
    const at = c.messages.indexOf(reboot);
    const lastBefore = c.messages.slice(0, at).map(canalDose).filter((d): d is Dose => !!d).at(-1)!;
    const firstAfter = canalDose(await c.waitFor((m) => canalDose(m) !== undefined, GUARD_MS, at))!;
    // Restored from the last save: at most one persistence interval (plus the in-flight lines) behind
    // the last dose seen before the kill, never reset, never beyond it plus the time since the restart.
    expect(firstAfter.t42Ms).toBeGreaterThanOrEqual(lastBefore.t42Ms - SAVE_PERIOD_MS - 100);
    expect(firstAfter.t42Ms).toBeLessThanOrEqual(lastBefore.t42Ms + firstAfter.tMs + 3000);
    expect(firstAfter.cem43M).toBeGreaterThanOrEqual(lastBefore.cem43M - (SAVE_PERIOD_MS + 100) * CEM43_M_PER_MS - 1);
    // The latched INTERVENE alarm was persisted and restated by the new boot.
    // (Waited for in the state: the old boot's alarms are cleared at the reboot, the new boot's restatement may come later.)
    await vi.waitFor(() => expect(bridge.state.alarms.list().some((a) => a.cond === "INTERVENE" && a.source === "device")).toBe(true), { timeout: GUARD_MS, interval: 20 });
    // The bridge's own recomputation agrees with the restored device doses (new baseline at the reboot).
    await c.next((m) => (canalDose(m)?.tMs ?? 0) >= firstAfter.tMs + 3000, GUARD_MS);
    expect(bridge.state.alarms.list().some((a) => a.cond === "DOSE_MISMATCH")).toBe(false);
    expect(bridge.state.counters.reboots).toBe(1);

    await bridge.close();
    bridgeOpen = false;
    const boots = readingsByBoot(await readAll(path.join(dir, "rec"))).filter((b) => b.rows.length > 0);
    expect(boots).toHaveLength(2);
    expect(duplicates(boots)).toEqual([]);
    expect(seqHoles(boots)).toEqual([]);
    expect(Math.min(...boots[1].rows.map((r) => r.seq))).toBe(0); // what the new boot sampled before the handshake came by RESEND
    expect(bridge.state.counters.readLost).toBe(0);
  }, 60_000);
});
