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

/** One client -> server text frame (payload under 126 bytes), masked with the key 0. */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

const readingFrames = (ms: ServerMessage[]) => ms.filter((m): m is Extract<ServerMessage, { type: "readings" }> => m.type === "readings");

/** Figures of one flood: what the watcher got during the next WINDOW_READINGS readings, and what the bridge did. */
interface FloodResult {
  seqs: number[];
  seq0: number;
  worstFrameRows: number;
  falseAlarms: string[];
  reconnects: number;
  built: number;
  sent: number;
  rssGrowthMb: number;
  linkState: string;
  bridge: Awaited<ReturnType<typeof startBridge>>;
}

/** Starts device (own process) + bridge with 10 min of history, a watcher, and `flooders` paused viewers sending 3,000 resyncs each. */
async function flood(flooders: number): Promise<FloodResult> {
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

  const bad = await Promise.all(Array.from({ length: flooders }, () => TestClient.connect(bridge.wsUrl)));
  cleanup.push(async () => bad.forEach((c) => c.close()));
  await Promise.all(bad.map((c) => c.waitFor((m) => m.type === "snapshot")));
  for (const c of bad) (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  const k = bridge.state.counters;
  const reconnects = k.reconnects;
  const builtBefore = k.wsSnapshotsBuilt ?? 0;
  const sentBefore = k.wsSnapshotsSent ?? 0;
  const rssBefore = process.memoryUsage().rss;
  const mark = watcher.messages.length;
  const seq0 = Math.max(...readingFrames(watcher.messages).flatMap((m) => m.rows.map((r) => r.seq)));
  // 3,000 resyncs per viewer in one burst, as a script in another process would send them: the frames are encoded
  // here (masked with a zero key, RFC 6455 section 5.3) and written with one write each, so this process does
  // no per-frame work on the event loop it shares with the bridge it measures.
  const burst = Buffer.concat(Array.from({ length: 3000 }, () => maskedTextFrame('{"type":"resync"}')));
  for (const c of bad) (c.ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(burst);

  // Watch the next 50 readings at the other client.
  await watcher.waitFor((m) => m.type === "readings" && m.rows.some((r) => r.seq >= seq0 + WINDOW_READINGS), 30_000, mark);
  const frames = readingFrames(watcher.messages.slice(mark));
  const r: FloodResult = {
    seqs: frames.flatMap((m) => m.rows.map((x) => x.seq)).filter((q) => q > seq0 && q <= seq0 + WINDOW_READINGS),
    seq0: seq0,
    worstFrameRows: Math.max(...frames.map((m) => m.rows.length)),
    falseAlarms: watcher.messages.slice(mark).flatMap((m) => (m.type === "alarm" && m.action === "RAISE" && (m.alarm.cond === "LINK_LOST" || m.alarm.cond === "STALE") ? [m.alarm.cond] : [])),
    reconnects: k.reconnects - reconnects,
    built: (k.wsSnapshotsBuilt ?? 0) - builtBefore,
    sent: (k.wsSnapshotsSent ?? 0) - sentBefore,
    rssGrowthMb: (process.memoryUsage().rss - rssBefore) / 2 ** 20,
    linkState: bridge.link.state,
    bridge: bridge,
  };
  console.log(
    `resync flood x${flooders}: snapshot ${(snapshotBytes / 1024).toFixed(0)} KiB; watcher got ${new Set(r.seqs).size}/${WINDOW_READINGS} readings in ${frames.length} frames, worst ${r.worstFrameRows} rows/frame; ` +
      `false alarms ${r.falseAlarms.join(",") || "none"}; reconnects +${r.reconnects}; snapshots built ${r.built}, sent ${r.sent}; rate-limited ${JSON.stringify(k.wsRateLimited)}; RSS +${r.rssGrowthMb.toFixed(1)} MB`,
  );
  return r;
}

/** The watcher's delivery held: every reading once, none waiting behind the flood, no false alarm, the port never reopened. */
function expectUnaffected(r: FloodResult): void {
  expect(r.seqs).toEqual(Array.from({ length: WINDOW_READINGS }, (_, i) => r.seq0 + 1 + i));
  expect(r.worstFrameRows).toBeLessThanOrEqual(MAX_ROWS_PER_FRAME);
  expect(r.falseAlarms).toEqual([]);
  expect(r.linkState).toBe("up");
  expect(r.reconnects).toBe(0);
  expect(r.rssGrowthMb).toBeLessThan(100);
}

describe("resync flood from paused viewers", () => {
  it("3,000 resyncs: the other client gets every reading with at most 10 rows per frame, no LINK_LOST, the port stays open, snapshots are shared, memory stays bounded", async () => {
    const r = await flood(1);
    expectUnaffected(r);
    const k = r.bridge.state.counters;
    // The flood was cut off: 3 resyncs admitted, the rest dropped and counted, the connection closed as a flood.
    await expect.poll(() => k.wsGuardCloses?.FLOOD, { timeout: 10_000 }).toBe(1);
    // (in one instant 3 admitted, 47 resyncs and 500 frames dropped; a loaded machine spreads the flood and the buckets refill a little)
    expect(k.wsRateLimited.resync).toBeGreaterThanOrEqual(40);
    expect(k.wsRateLimited.frame).toBeGreaterThanOrEqual(500);
    expect(r.built).toBeLessThanOrEqual(4);
    expect(r.sent).toBeLessThanOrEqual(6);
    await expect.poll(() => r.bridge.relay.clientCount, { timeout: 10_000 }).toBe(1);
  }, 60_000);

  it("10 paused viewers at once, 30,000 resyncs: the same for the watcher; snapshots shared between the viewers, each flood closed", async () => {
    const r = await flood(10);
    expectUnaffected(r);
    const k = r.bridge.state.counters;
    await expect.poll(() => k.wsGuardCloses?.FLOOD, { timeout: 10_000 }).toBe(10);
    // A few resyncs served per viewer, from frames built at most once per 250 ms: far fewer builds than snapshots sent.
    expect(r.built).toBeLessThanOrEqual(8);
    expect(r.sent).toBeLessThanOrEqual(40); // 3 at once + 1 per 5 s each, over a flood that lasts a few seconds
    await expect.poll(() => r.bridge.relay.clientCount, { timeout: 10_000 }).toBe(1);
  }, 60_000);
});
