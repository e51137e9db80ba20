// Fault: a WebSocket client that stops reading during a scenario full of alarm transitions (virtual device -> pty -> bridge).
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startBridge } from "../../host/bridge";
import type { AlarmRecord } from "../../host/record/record-types";
import type { ServerMessage } from "../../host/ws/ws-messages";
import { startVirtualDevice } from "../../sim/virtual-device";
import { TestClient } from "../host/helpers/ws-client";
import { NO_RATE_LIMITS } from "../host/ws/no-rate-limits";
import { expectBounded, expectEachSeqOnce, rowsOf } from "./support/bridge-probes";
import { readAll } from "./support/recording";

/** Most one wait may take: a guard against a hang on a loaded machine, not a speed bound. */
const GUARD_MS = 20_000;

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

const alarmSeq = (msgs: { action: string; alarm: { key: string; active: boolean; acked: boolean } }[]) => msgs.map((m) => `${m.alarm.key} ${m.action} ${m.alarm.active ? "active" : "ended"}${m.alarm.acked ? " acked" : ""}`);
const alarmsOf = (c: TestClient) => c.messages.filter((m): m is Extract<ServerMessage, { type: "alarm" }> => m.type === "alarm");
const sock = (c: TestClient) => (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;

describe("a client that stops reading", () => {
  it("is disconnected as too slow; a fast and a slow client get every alarm transition and every reading meanwhile", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tg-rel-stuck-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await mkdir(path.join(dir, "dev"));
    // synthetic-faults: open / short / no-chip faults from 10 s to 100 s, intermittent ones included.
    const vdev = await startVirtualDevice({ scenario: "synthetic-faults", timeScale: 20, rateHz: 20, dir: path.join(dir, "dev") });
    cleanup.push(() => vdev.close());
    // Resync rates lifted: the stuck client's snapshots are how this test fills its socket buffers quickly.
    const bridge = await startBridge({ port: vdev.hostPath, listen: "127.0.0.1:0", recordDir: path.join(dir, "rec"), token: "tok-0123456789abcdef", fanout: { alarmLagMs: 1000 }, wsLimits: NO_RATE_LIMITS });
    let open = true;
    cleanup.push(async () => open && bridge.close());
    const fast = await TestClient.connect(bridge.wsUrl);
    const slow = await TestClient.connect(bridge.wsUrl);
    const stuck = await TestClient.connect(bridge.wsUrl);
    cleanup.push(async () => [fast, slow, stuck].forEach((c) => c.close()));
    await fast.next((m) => m.type === "readings");
    await slow.next((m) => m.type === "readings");
    await stuck.waitFor((m) => m.type === "snapshot"); // in the fan-out from its first snapshot on

    // The stuck client stops reading and keeps asking for snapshots (10 minutes of history each)
    // until the kernel's socket buffers are full and the bridge has to queue for it.
    sock(stuck).pause();
    const stuckConn = [...bridge.relay.fanout.clients][2];
    const hammer = setInterval(() => {
      if (stuckConn.lagging) clearInterval(hammer);
      else for (let i = 0; i < 10; i++) stuck.send({ type: "resync" });
    }, 100);
    cleanup.push(async () => clearInterval(hammer));
    // The slow client reads, but stalls 200 ms out of every 500 ms.
    const throttle = setInterval(() => {
      sock(slow).pause();
      setTimeout(() => sock(slow).resume(), 200);
    }, 500);
    cleanup.push(async () => clearInterval(throttle));

    await vi.waitFor(() => expect(bridge.state.counters.wsSlowDisconnects).toBe(1), { timeout: GUARD_MS, interval: 20 });
    expect(bridge.relay.fanout.clients.size).toBe(2);
    // Run the scenario past its last fault.
    await fast.next((m) => m.type === "readings" && m.rows.some((r) => r.tMs >= 105_000), 20_000);
    clearInterval(throttle);
    sock(slow).resume();
    expectBounded(bridge, "stuck client");
    // Unplug the device so the stream ends; the slow client must then catch up with all of it.
    await vdev.stop();
    await vi.waitFor(() => expect(bridge.link.state).not.toBe("up"), { timeout: GUARD_MS, interval: 10 });
    const lastSeq = Math.max(...rowsOf(fast.messages).map((r) => r.seq));
    await slow.waitFor((m) => m.type === "readings" && m.rows.some((r) => r.seq === lastSeq), GUARD_MS);
    sock(stuck).resume();
    await stuck.waitClose(GUARD_MS);
    expect([1006, 1008]).toContain(stuck.closeCode);
    expect(fast.closeCode).toBeNull();
    expect(slow.closeCode).toBeNull();
    await bridge.close();
    open = false;

    // Every alarm transition the bridge recorded reached both healthy clients, in order.
    const recorded = (await readAll(path.join(dir, "rec"))).filter((r): r is AlarmRecord => r.k === "alarm");
    expect(recorded.filter((r) => r.alarm.cond.startsWith("FAULT")).length).toBeGreaterThanOrEqual(10);
    for (const c of [fast, slow]) {
      const got = alarmSeq(alarmsOf(c));
      const k = recorded.length - got.length; // transitions recorded before this client connected
      expect(k).toBeGreaterThanOrEqual(0);
      expect(got).toEqual(alarmSeq(recorded.slice(k)));
      expect(recorded.slice(0, k).some((r) => r.alarm.cond.startsWith("FAULT"))).toBe(false);
    }
    // ... and every reading, exactly once.
    // (from the first live reading both had: earlier ones came in their snapshots)
    const firstSeq = Math.max(...[fast, slow].map((c) => Math.min(...rowsOf(c.messages).map((r) => r.seq))));
    for (const c of [fast, slow]) expectEachSeqOnce(rowsOf(c.messages).map((r) => r.seq).filter((q) => q >= firstSeq), firstSeq, lastSeq);
    expect(bridge.state.counters.wsDroppedRows).toBe(0);
  }, 60_000);
});
