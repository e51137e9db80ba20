// Fan-out under backpressure: one serialisation per batch, readings coalesced for a lagging client, alarms never dropped, too-slow clients dropped.
import { describe, expect, it } from "vitest";
import { Fanout, FanoutClient, type FanoutSocket } from "../../../host/ws/fanout";
import type { Alarm, ReadingRow, ServerMessage } from "../../../host/ws/ws-messages";

class StubSocket implements FanoutSocket {
  bufferedAmount = 0;
  sent: string[] = [];
  buffers: Buffer[] = [];
  closed: [number, string] | null = null;
  send(data: Buffer) {
    this.buffers.push(data);
    this.sent.push(data.toString());
  }
  close(code: number, reason: string) {
    this.closed = [code, reason];
  }
  messages(): ServerMessage[] {
    return this.sent.flatMap((s) => JSON.parse(s) as ServerMessage[]);
  }
}

const row = (seq: number): ReadingRow => ({ seq, tMs: seq * 100, atMs: 1e12 + seq * 100, valuesCc: [3700] });
const readings = (...seqs: number[]): ServerMessage => ({ type: "readings", rows: seqs.map(row) });
const alarm = (key: string): ServerMessage => ({
  type: "alarm",
  action: "RAISE",
  alarm: { key, source: "device", alarmId: 1, cond: "STOP", ch: 0, prio: "H", kind: "P", active: true, acked: false, latching: true, value: 4510, limit: 4500, info: 0, raisedAtMs: 0, changedAtMs: 0, tMs: 0, text: "" } satisfies Alarm,
});

function setup(limits = {}) {
  const counts = { wsDroppedRows: 0, wsSlowDisconnects: 0 };
  const f = new Fanout(counts, { softBytes: 1000, lowWaterBytes: 100, hardBytes: 100_000, alarmLagMs: 5000, maxPendingRows: 5, ...limits });
  const a = new StubSocket();
  const b = new StubSocket();
  const ca = new FanoutClient(a);
  const cb = new FanoutClient(b);
  f.clients.add(ca);
  f.clients.add(cb);
  return { f, a, b, ca, cb, counts };
}

describe("Fanout", () => {
  it("sends the very same string to every client that keeps up", () => {
    const { f, a, b } = setup();
    f.broadcast([readings(1), alarm("k")]);
    expect(a.sent).toHaveLength(1);
    expect(b.buffers[0]).toBe(a.buffers[0]); // the same Buffer object: serialised and encoded once
  });

  it("holds readings for a lagging client, sends its alarms at once, and catches it up with one coalesced message", () => {
    const { f, a, b, cb } = setup();
    b.bufferedAmount = 5000;
    f.broadcast([readings(1)], 0);
    f.broadcast([readings(2), alarm("k1")], 10);
    f.broadcast([{ type: "status", atMs: 1, status: null, counters: {} as never, recording: {} as never }], 20);
    expect(cb.lagging).toBe(true);
    expect(b.messages().map((m) => m.type)).toEqual(["alarm"]);
    expect(a.messages().map((m) => m.type)).toEqual(["readings", "readings", "alarm", "status"]);
    b.bufferedAmount = 50;
    f.tick(30);
    const caught = b.messages().slice(1);
    expect(caught.map((m) => m.type)).toEqual(["readings", "status"]);
    expect((caught[0] as Extract<ServerMessage, { type: "readings" }>).rows.map((r) => r.seq)).toEqual([1, 2]);
    expect(cb.lagging).toBe(false);
    f.broadcast([readings(3)], 40);
    expect(b.buffers[b.buffers.length - 1]).toBe(a.buffers[a.buffers.length - 1]);
  });

  it("keeps only the newest maxPendingRows rows and counts the dropped ones", () => {
    const { f, b, cb, counts } = setup();
    b.bufferedAmount = 5000;
    f.broadcast([readings(1, 2, 3, 4)], 0);
    f.broadcast([readings(5, 6, 7)], 0);
    expect(cb.pendingRows.map((r) => r.seq)).toEqual([3, 4, 5, 6, 7]);
    expect(counts.wsDroppedRows).toBe(2);
  });

  it("disconnects a client still lagging alarmLagMs after an alarm was queued for it", () => {
    const { f, b, cb, counts } = setup({ alarmLagMs: 1000 });
    b.bufferedAmount = 5000;
    f.broadcast([alarm("k1")], 0);
    f.tick(900);
    expect(b.closed).toBeNull();
    f.tick(1001);
    expect(b.closed).toEqual([1008, expect.stringContaining("alarms")]);
    expect(f.clients.has(cb)).toBe(false);
    expect(counts.wsSlowDisconnects).toBe(1);
  });

  it("disconnects a client over the hard limit", () => {
    const { f, a, b } = setup();
    b.bufferedAmount = 200_000;
    f.broadcast([readings(1)]);
    expect(b.closed?.[0]).toBe(1008);
    expect(a.closed).toBeNull();
  });

  it("own replies: a command result goes out unless the client is over the hard limit (then it is closed); optional replies only when it has room", () => {
    const { f, b, cb, counts } = setup();
    const err: ServerMessage = { type: "error", code: "RATE_LIMITED", message: "x", id: null, issues: [] };
    b.bufferedAmount = 5000; // over softBytes (1000): lagging for snapshots and optional replies
    expect(f.hasRoom(cb)).toBe(false);
    expect(f.sendIfRoom(cb, [err])).toBe(false);
    f.sendTo(cb, [{ type: "auth", control: false }]);
    expect(b.messages().map((m) => m.type)).toEqual(["auth"]);
    b.bufferedAmount = 500;
    expect(f.hasRoom(cb)).toBe(true);
    expect(f.sendIfRoom(cb, [err])).toBe(true);
    b.bufferedAmount = 200_000; // over hardBytes
    expect(f.sendFrame(cb, Buffer.from("[]"))).toBe(false);
    expect(b.closed).toEqual([1008, "too slow: send buffer over 100000 bytes"]);
    expect(counts.wsSlowDisconnects).toBe(1);
    expect(b.messages().map((m) => m.type)).toEqual(["auth", "error"]);
  });
});
