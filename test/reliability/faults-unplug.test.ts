// Fault: the virtual device is unplugged and plugged back 50 times during a scenario at simulated speed.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { FAST_CLOCK_SLACK_MS } from "../../host/core/clock-map";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startBridge, type Bridge } from "../../host/bridge";
import type { ServerMessage } from "../../host/ws/ws-messages";
import { startVirtualDevice, type VirtualDevice } from "../../sim/virtual-device";
import { TestClient } from "../host/helpers/ws-client";
import { expectBounded } from "./support/bridge-probes";
import { duplicates, readAll, readingsByBoot, seqHoles } from "./support/recording";

/** Most one wait may take: a guard against a hang on a loaded machine, not a speed bound. */
const GUARD_MS = 20_000;

const CYCLES = 50;
/** Readings of each boot to see before pulling the plug again. */
const READINGS_PER_BOOT = 30;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

const linkLost = (action: string) => (m: ServerMessage) => m.type === "alarm" && m.alarm.key === "host:LINK_LOST" && m.action === action;

describe("unplug / replug", () => {
  it(`${CYCLES} unplugs during a scenario: reconnects each time, LINK_LOST raised and cleared each time, recording without duplicates, gaps only while unplugged`, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tg-rel-unplug-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await mkdir(path.join(dir, "dev"));
    // Paced to the bridge: a loaded machine slows the simulation instead of making the device drop readings.
    const vdev: VirtualDevice = await startVirtualDevice({ scenario: "synthetic-plateau-42-5", timeScale: 100, dir: path.join(dir, "dev"), paceToHost: true });
    cleanup.push(() => vdev.close());
    const bridge: Bridge = await startBridge({ port: vdev.hostPath, listen: "127.0.0.1:0", recordDir: path.join(dir, "rec"), token: "t-0123456789abcdef", reconnectInitialMs: 50, reconnectMaxMs: 200 });
    let bridgeClosed = false;
    cleanup.push(async () => void (bridgeClosed || (await bridge.close())));
    const c = await TestClient.connect(bridge.wsUrl);
    cleanup.push(async () => c.close());
    const unplugged: { from: number; to: number; deviceMsAtStop: number }[] = [];
    const newBootReadings = (from: number) => c.waitFor((m) => m.type === "readings" && m.rows.some((r) => r.seq >= READINGS_PER_BOOT && !r.resent), 10_000, from);
    await newBootReadings(0);
    for (let i = 0; i < CYCLES; i++) {
      const mark = c.messages.length;
      const deviceMsAtStop = vdev.nowMs();
      const from = Date.now();
      await vdev.stop();
      await c.waitFor(linkLost("RAISE"), GUARD_MS, mark);
      const to = Date.now();
      await vdev.start();
      await c.waitFor(linkLost("CLEAR"), GUARD_MS, mark);
      unplugged.push({ from, to, deviceMsAtStop });
      // The new boot streams from seq 0: wait for enough of it before the next unplug.
      await newBootReadings(c.messages.findIndex((m, j) => j >= mark && linkLost("CLEAR")(m)));
      // and for the readings taken before the handshake to come back by RESEND.
      await vi.waitFor(() => expect(bridge.link.tracker.busy).toBe(false), { timeout: GUARD_MS, interval: 5 });
    }
    expectBounded(bridge, "after 50 unplugs");
    const k = bridge.state.counters;
    expect(c.messages.filter(linkLost("RAISE"))).toHaveLength(CYCLES);
    expect(c.messages.filter(linkLost("CLEAR"))).toHaveLength(CYCLES);
    expect(k.reboots).toBe(CYCLES);
    expect(k.reconnects).toBeGreaterThanOrEqual(CYCLES);
    expect(k.readDuplicates).toBe(0);
    expect(k.badLines).toEqual({});
    expect(bridge.link.state).toBe("up");
    await bridge.close();
    bridgeClosed = true;

    const boots = readingsByBoot(await readAll(path.join(dir, "rec"))).filter((b) => b.rows.length > 0);
    expect(boots).toHaveLength(CYCLES + 1);
    expect(duplicates(boots)).toEqual([]);
    expect(seqHoles(boots)).toEqual([]); // nothing missing inside a boot
    expect(k.readLost).toBe(0);
    const tails: number[] = [];
    for (let i = 0; i < boots.length; i++) {
      const seqs = boots[i].rows.map((r) => r.seq);
      // Every boot is complete from seq 0: readings taken before the bridge reconnected came by RESEND.
      if (i > 0) expect(Math.min(...seqs), `boot ${i} from seq 0`).toBe(0);
      const live = boots[i].rows.filter((r) => !r.resent);
      if (i < CYCLES) {
        // Only the last moments before the plug was pulled (in flight in the pty) can be missing.
        const u = unplugged[i];
        tails.push(Math.floor(u.deviceMsAtStop / 100) - Math.max(...seqs));
        expect(live.at(-1)!.tMs, `boot ${i}: sampled before the stop`).toBeLessThanOrEqual(u.deviceMsAtStop + 100);
      }
      // The device clock runs 100x: stamps follow device time (one offset per boot, resent rows included) once
      // the clock map has seen it run fast (within FAST_CLOCK_SLACK_MS of device time).
      const offsets = boots[i].rows.map((r) => r.atMs - r.tMs);
      expect(Math.max(...offsets) - Math.min(...offsets), `boot ${i}: one clock offset for every row`).toBeLessThanOrEqual(FAST_CLOCK_SLACK_MS + 500);
      if (i > 0) expect(live[0].atMs, `boot ${i} streams after replug ${i - 1}`).toBeGreaterThanOrEqual(unplugged[i - 1].to);
    }
    // In flight when the pty is torn down: at most what the device's transmit backlog holds before it
    // paces itself (half of its 4096-byte high water) plus what the pty itself buffers (a 4096-byte line
    // discipline buffer), counted in this scenario's ~29-byte R lines; a loaded machine fills both.
    expect(Math.max(...tails), `readings in flight at each unplug: ${tails.join(" ")}`).toBeLessThanOrEqual(Math.ceil((2048 + 4096) / 29));
  }, 150_000);
});
