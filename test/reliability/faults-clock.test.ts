// Fault: the host's wall clock jumps (NTP step, manual change) while the bridge runs: staleness and ordering must hold.
// (test/host/clock-jump.test.ts checks that a jump alone raises nothing; this file checks what must still happen.)
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ServerMessage } from "../../host/ws/ws-messages";
import { startRig, type Rig } from "../host/helpers/rig";
import { rowsOf } from "./support/bridge-probes";

let rig: Rig | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await rig?.close();
  rig = undefined;
});

/** Moves the host's wall clock (Date only: timers and performance.now() stay real, as with an NTP step). */
function jumpClock(ms: number): void {
  vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
  vi.setSystemTime(Date.now() + ms);
}

const linkLostRaised = (m: ServerMessage) => m.type === "alarm" && m.alarm.key === "host:LINK_LOST" && m.action === "RAISE";

describe("host clock jump", () => {
  it.each([-3_600_000, 3_600_000])("jump of %i ms with the device falling silent at that moment: LINK_LOST still 2.5 s after its last line", async (jumpMs) => {
    rig = await startRig();
    const c = await rig.connect();
    await c.next((m) => m.type === "readings");
    const mark = c.messages.length;
    rig.device.talking = false;
    const silentAt = performance.now();
    const raisedAfter: number[] = [];
    c.ws.on("message", (d) => {
      if ((JSON.parse(d.toString()) as ServerMessage[]).some((m) => m.type === "alarm" && m.action === "RAISE")) raisedAfter.push(performance.now() - silentAt);
    });
    jumpClock(jumpMs);
    await c.waitFor(linkLostRaised, 6000, mark);
    const after = performance.now() - silentAt;
    expect(after).toBeGreaterThanOrEqual(2400);
    expect(after).toBeLessThan(3500);
    // Nothing was raised by the jump itself, before the silence had lasted 2.5 s.
    expect(raisedAfter.filter((t) => t < 2400)).toEqual([]);
  });

  it("after a backward jump, a client connecting later gets a snapshot whose history ends with the newest readings, in seq order", async () => {
    rig = await startRig({ rateHz: 20 });
    const c = await rig.connect();
    await c.next((m) => m.type === "readings" && m.rows.some((r) => r.seq >= 20), 5000);
    jumpClock(-3_600_000);
    const jumpSeq = rig.device.readSeq;
    await c.next((m) => m.type === "readings" && m.rows.some((r) => r.seq >= jumpSeq + 30), 5000);
    const late = await rig.connect();
    const snap = await late.waitFor((m): m is Extract<ServerMessage, { type: "snapshot" }> => m.type === "snapshot");
    const newestSeen = Math.max(...rowsOf(c.messages).map((r) => r.seq));
    const seqs = snap.history.seq;
    expect(seqs.at(-1), "history ends with the newest reading").toBeGreaterThanOrEqual(newestSeen);
    expect(seqs.filter((s) => s > jumpSeq).length, "readings after the jump are in the history").toBeGreaterThanOrEqual(30);
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]), "history in seq order").toBe(true);
    expect(rig.bridge.state.link.readingsStale).toBe(false);
  });
});
