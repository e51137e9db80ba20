// The bridge's updates become a room's MQTT output: session start / end derived from the device's session, acks and marks as events.
import { describe, expect, it } from "vitest";
import { MessageFeed, type RoomOutput } from "../../host/mqtt/room-output";
import type { BridgeUpdate } from "../../host/domain/bridge-updates";
import type { Alarm, DeviceInfo } from "../../host/ws/ws-messages";

const device = (session: string | null): DeviceInfo => ({ deviceId: "D1", fw: "1", bootId: "0000000A", major: 1, minor: 0, channels: 1, rateHz: 10, session: session, schemaHash: "0", schemaMatches: true, restored: false, port: null });
const alarm: Alarm = { key: "dev:0000000A:1", source: "device", alarmId: 1, cond: "STOP", ch: 0, prio: "H", kind: "P", active: true, acked: true, latching: true, value: 4510, limit: 4500, info: 0, raisedAtMs: 1000, changedAtMs: 2000, tMs: 900, text: "canal: 45.10 °C ≥ stop 45.00 °C (interlock)" };

function recorder(): { out: RoomOutput; events: string[]; calls: string[]; flushes: number[] } {
  const events: string[] = [];
  const calls: string[] = [];
  const flushes: number[] = [];
  const out: RoomOutput = {
    device: (d) => calls.push("device " + (d?.session ?? "-")),
    link: (l) => calls.push("link " + l.state),
    readings: (rows) => calls.push("readings " + rows.length),
    alarm: (action, a) => calls.push(`alarm ${action} ${a.cond}`),
    doses: (d) => calls.push("doses " + d.length),
    event: (kind, text, atMs, session) => events.push(`${kind} ${text} @${atMs} (${session ?? "-"})`),
    flush: (nowMs) => flushes.push(nowMs),
  };
  return { out, events, calls, flushes };
}

describe("room output feed", () => {
  it("turns the device's session changes into session-end then session-start events, and an alarm ACK into an ack event", () => {
    const r = recorder();
    const feed = new MessageFeed(r.out);
    const dev = (s: string | null): BridgeUpdate => ({ type: "device", device: device(s), channels: [], limits: null });
    feed.feed([dev(null)], 100);
    feed.feed([dev("case-1")], 200);
    feed.feed([{ type: "alarm", action: "ACK", alarm: alarm }, { type: "event", event: { atMs: 2500, text: "CO2 injected", source: "client" } }], 2500);
    feed.feed([dev("case-2")], 3000);
    feed.feed([dev(null)], 4000);
    expect(r.events).toEqual([
      "session-start case-1 @200 (case-1)",
      "ack dev:0000000A:1 @2000 (case-1)",
      "mark CO2 injected @2500 (case-1)",
      "session-end case-1 @3000 (case-2)",
      "session-start case-2 @3000 (case-2)",
      "session-end case-2 @4000 (-)",
    ]);
    expect(r.calls).toContain("alarm ACK STOP");
  });

  it("flushes once per bridge step at the step's time, after its updates, also for a step with no updates (a batch or heartbeat due then goes out)", () => {
    const r = recorder();
    const feed = new MessageFeed(r.out);
    feed.feed([{ type: "readings", rows: [{ seq: 1, tMs: 100, atMs: 1100, valuesCc: [3700] }] }, { type: "alarm", action: "RAISE", alarm: alarm }], 1100);
    feed.feed([], 2100);
    expect(r.calls).toEqual(["readings 1", "alarm RAISE STOP"]);
    expect(r.flushes).toEqual([1100, 2100]);
  });
});
