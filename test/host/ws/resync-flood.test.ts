// A viewer without a token pauses its socket and sends 3,000 resyncs: the other client keeps every reading on time, the link stays up.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startBridge } from "../../../host/bridge";
import { HISTORY_MS } from "../../../host/state/history-ring";
import type { ServerMessage } from "../../../host/ws/ws-messages";
import { openPtyPair } from "../../../sim/pty-pair";
import { TestClient } from "../helpers/ws-client";

// The device runs in its own process, so it keeps sampling at 10 Hz whatever the bridge's event loop does.
const CHILD = fileURLToPath(new URL("../../reliability/support/device-child.ts", import.meta.url));
/** Readings watched after the flood was sent (5 s at 10 Hz). */
const WINDOW_READINGS = 50;
/** Most rows in one `readings` frame the watcher may get: 10 = 1 s of readings waited behind something. */
const MAX_ROWS_PER_FRAME = 10;

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

function startChild(portPath: string, statePath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, portPath, statePath, "1"], { stdio: ["ignore", "pipe", "pipe"] });
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

const readingFrames = (ms: ServerMessage[]) => ms.filter((m): m is Extract<ServerMessage, { type: "readings" }> => m.type === "readings");

describe("resync flood from a paused viewer", () => {
  it("3,000 resyncs: the other client gets every reading with at most 10 rows per frame, no LINK_LOST, the port stays open, snapshots are shared, memory stays bounded", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tg-ws-flood-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const pty = await openPtyPair({ dir });
    cleanup.push(() => pty.close());
    await startChild(pty.devicePath, path.join(dir, "device-state.json"));
    const bridge = await startBridge({ port: pty.hostPath, listen: "127.0.0.1:0", recordDir: path.join(dir, "rec"), token: "flood-test-token-4b7e" });
    cleanup.push(() => bridge.close());
    const watcher = await TestClient.connect(bridge.wsUrl);
    cleanup.push(async () => watcher.close());
    await watcher.next((m) => m.type === "readings", 10_000);
    // Ten minutes of history, as mid-procedure: each snapshot is then ~230 kB of JSON.
    const now = Date.now();
    for (let i = 0; i < 6000; i++) bridge.state.history.add({ seq: 1e6 + i, tMs: i * 100, atMs: now - HISTORY_MS + 30_000 + i * 100, valuesCc: [4301, 6002] });
    const snapshotBytes = JSON.stringify(bridge.state.snapshot(false)).length;
    expect(snapshotBytes).toBeGreaterThan(200_000);

    const flooder = await TestClient.connect(bridge.wsUrl);
    cleanup.push(async () => flooder.close());
    await flooder.next((m) => m.type === "snapshot");
    (flooder.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const k = bridge.state.counters;
    const reconnects = k.reconnects;
    const builtBefore = k.wsSnapshotsBuilt ?? 0;
    const rssBefore = process.memoryUsage().rss;
    const mark = watcher.messages.length;
    const seq0 = Math.max(...readingFrames(watcher.messages).flatMap((m) => m.rows.map((r) => r.seq)));
    for (let i = 0; i < 3000; i++) flooder.ws.send('{"type":"resync"}');

    // Watch the next 50 readings at the other client.
    await watcher.waitFor((m) => m.type === "readings" && m.rows.some((r) => r.seq >= seq0 + WINDOW_READINGS), 30_000, mark);
    const frames = readingFrames(watcher.messages.slice(mark));
    const seqs = frames.flatMap((m) => m.rows.map((r) => r.seq)).filter((s) => s > seq0 && s <= seq0 + WINDOW_READINGS);
    const worstFrameRows = Math.max(...frames.map((m) => m.rows.length));
    const falseAlarms = watcher.messages.slice(mark).filter((m) => m.type === "alarm" && m.action === "RAISE" && (m.alarm.cond === "LINK_LOST" || m.alarm.cond === "STALE"));
    const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    console.log(
      `resync flood: snapshot ${(snapshotBytes / 1024).toFixed(0)} KiB; watcher got ${new Set(seqs).size}/${WINDOW_READINGS} readings in ${frames.length} frames, worst ${worstFrameRows} rows/frame; ` +
        `false alarms ${falseAlarms.map((m) => (m.type === "alarm" ? m.alarm.cond : "")).join(",") || "none"}; reconnects +${k.reconnects - reconnects}; snapshots built ${(k.wsSnapshotsBuilt ?? 0) - builtBefore}, sent ${k.wsSnapshotsSent}; ` +
        `rate-limited ${JSON.stringify(k.wsRateLimited)}; RSS +${rssGrowthMb.toFixed(1)} MB`,
    );
    expect(seqs).toEqual(Array.from({ length: WINDOW_READINGS }, (_, i) => seq0 + 1 + i));
    expect(worstFrameRows).toBeLessThanOrEqual(MAX_ROWS_PER_FRAME);
    // No false alarm, no reconnect: the serial path was never starved.
    expect(falseAlarms).toEqual([]);
    expect(bridge.link.state).toBe("up");
    expect(k.reconnects).toBe(reconnects);
    expect(rssGrowthMb).toBeLessThan(100);
    // The flood was cut off: 3 resyncs admitted, the rest dropped and counted, the connection closed as a flood.
    await expect.poll(() => k.wsGuardCloses?.FLOOD, { timeout: 10_000 }).toBe(1);
    expect(k.wsRateLimited).toEqual({ resync: 47, frame: 500 });
    expect(k.wsSnapshotsBuilt - builtBefore).toBeLessThanOrEqual(4);
    await expect.poll(() => bridge.relay.clientCount, { timeout: 10_000 }).toBe(1);
  }, 60_000);
});
