// A real client that stops reading: the others keep getting everything; it is dropped once it cannot take alarms in time.
import { afterEach, describe, expect, it } from "vitest";
import type { ReadingRow, ServerMessage } from "../../../host/ws/ws-messages";
import { startRig, type Rig } from "../helpers/rig";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("slow client over a real socket", () => {
  it("coalesces a stalled client's readings, keeps the others live, and disconnects it when an alarm cannot reach it", async () => {
    rig = await startRig({}, { fanout: { softBytes: 64 * 1024, lowWaterBytes: 16 * 1024, alarmLagMs: 1000 } });
    const fast = await rig.connect();
    const slow = await rig.connect();
    // Both are in the fan-out once their first snapshot went out (snapshots are shared and spaced, so it may wait).
    await slow.waitFor((m) => m.type === "snapshot");
    await fast.next((m) => m.type === "readings");
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // Flood: 200 frames of 1000 rows (~90 kB each), enough to fill the socket buffers of the stalled client.
    const rows: ReadingRow[] = Array.from({ length: 1000 }, (_, i) => ({ seq: 1e6 + i, tMs: i, atMs: 1e12 + i, valuesCc: [3700, 3701, 3702, 3703] }));
    for (let i = 0; i < 200; i++) rig.bridge.relay.broadcast([{ type: "readings", rows } satisfies ServerMessage]);
    const slowConn = [...rig.bridge.relay.fanout.clients].find((c) => c.lagging);
    expect(slowConn).toBeDefined();
    expect(slowConn!.pendingRows.length).toBeGreaterThan(0);
    const seqAtRaise = rig.device.readSeq;
    rig.device.raise("STOP", 0, 4510, 4500);
    const a = await fast.next((m) => m.type === "alarm" && m.alarm.cond === "STOP", 3000);
    // The flood did not delay the live client's alarm: it arrived within 5 readings (0.5 s of the device's sampling).
    expect(rig.device.readSeq - seqAtRaise).toBeLessThanOrEqual(5);
    expect(a).toMatchObject({ action: "RAISE", alarm: { value: 4510, limit: 4500, ch: 0 } });
    await expect.poll(() => rig!.bridge.state.counters.wsSlowDisconnects, { timeout: 5000 }).toBe(1);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await slow.waitClose();
    await expect.poll(() => rig!.bridge.state.counters.wsClients).toBe(1);
    expect(fast.closeCode).toBeNull();
  });
});
