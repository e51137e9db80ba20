// Focused regression tests for bugs the reliability suite found (each names the bug it pins down).
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { performance } from "node:perf_hooks";
import { DeviceClock, MAX_CATCH_UP_WALL_MS } from "../../device/node/device-clock";
import { startBridge } from "../../host/bridge";
import { AlarmBook, MAX_DEVICE_ALARMS, type AlarmTransition } from "../../host/state/alarm-book";
import { InOrderReadings } from "../../host/state/in-order-readings";
import { ReadingTracker } from "../../host/core/reading-tracker";
import { createCounters } from "../../host/state/counters";
import type { AlarmEvent, DeviceMessage } from "../../protocol";
import { RuntimeHarness, ScriptedSource } from "../device/runtime-harness";
import { MockSerialDevice } from "./support/mock-serial-device";

vi.mock("serialport", async (importOriginal) => {
  const real = await importOriginal<typeof import("serialport")>();
  return { ...real, SerialPort: real.SerialPortMock };
});

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

function raise(alarmId: number, active = 1): AlarmEvent {
  return { type: "A", seq: alarmId, tMs: alarmId, alarmId, action: "RAISE", cond: "WARN", ch: 0, prio: "M", kind: "P", active, acked: 0, latching: 0, value: 4010, limit: 4000, info: 0 } as AlarmEvent;
}

describe("reliability regressions", () => {
  it("InOrderReadings skips a lost range of 4e9 seqs in one step (was: one Set entry per seq -> 'Set maximum size exceeded', bridge pipeline dead)", () => {
    const o = new InOrderReadings<string>();
    o.reset(5);
    expect(o.push(5, "a").rows).toEqual(["a"]);
    // A CRC-valid R line with seq 4e9 makes the tracker report [6, 4e9) lost.
    expect(o.push(4_000_000_000, "far").rows).toEqual([]);
    const r = o.lose(6, 4_000_000_000 - 6); // one step: a per-seq set would throw "Set maximum size exceeded" here
    expect(r).toEqual({ rows: ["far"], crossedLoss: true });
    expect(o.push(4_000_000_001, "next")).toEqual({ rows: ["next"], crossedLoss: false });
  });

  it("InOrderReadings stops a skip at a row held inside the lost range", () => {
    const o = new InOrderReadings<number>();
    o.reset(0);
    o.push(0, 0);
    o.push(50, 50);
    o.push(200, 200);
    expect(o.lose(1, 1000)).toEqual({ rows: [50, 200], crossedLoss: true });
    expect(o.push(1001, 1001).rows).toEqual([1001]);
  });

  it("AlarmBook keeps at most MAX_DEVICE_ALARMS device alarms, dropping ended ones first, as CLEARs (was: a device raising without clearing grew the book and every snapshot without bound)", () => {
    const out: AlarmTransition[] = [];
    const book = new AlarmBook((t) => out.push(t));
    book.raiseHost("LINK_LOST", -1, "", 0, 2500, 0, 0);
    for (let id = 1; id <= MAX_DEVICE_ALARMS; id++) book.device(raise(id, id % 2), "0000002A", "canal", id);
    expect(book.list()).toHaveLength(MAX_DEVICE_ALARMS + 1);
    for (let id = MAX_DEVICE_ALARMS + 1; id <= 10 * MAX_DEVICE_ALARMS; id++) book.device(raise(id), "0000002A", "canal", id);
    const dev = book.list().filter((a) => a.source === "device");
    expect(dev).toHaveLength(MAX_DEVICE_ALARMS);
    expect(book.get("host:LINK_LOST")?.active).toBe(true); // host alarms are never evicted
    expect(dev.every((a) => a.active)).toBe(true); // the ended ones went first
    expect(dev.at(-1)?.alarmId).toBe(10 * MAX_DEVICE_ALARMS); // the newest is kept
    const cleared = out.filter((t) => t.action === "CLEAR");
    expect(cleared).toHaveLength(9 * MAX_DEVICE_ALARMS);
    expect(cleared.slice(0, MAX_DEVICE_ALARMS / 2).every((t) => !t.alarm.active)).toBe(true);
  });

  it("ReadingTracker fetches a 2,500-reading gap from the device's ring without losing any (was: the second RESEND went out while the device was still serving the first, got BUSY three times in 1 s and its range was declared lost)", () => {
    // The real device runtime (10 min ring, 20 resent readings per sample) and the host's tracker,
    // wired the way Link wires them, in simulated time.
    const dev = new RuntimeHarness(new ScriptedSource([() => 37, () => 37]), { ringCapacity: 6000, resendPerTick: 20, txHighWaterBytes: 1e9, txHardLimitBytes: 1e9 });
    const counters = createCounters();
    const tracker = new ReadingTracker(counters);
    let inFlight: number | null = null;
    let cmdId = 0;
    const lost: number[] = [];
    const pump = (now: number) => {
      if (inFlight !== null) return;
      const req = tracker.nextRequest(now);
      if (!req) return;
      inFlight = ++cmdId;
      dev.send({ type: "RESEND", seq: inFlight, from: req.from, count: req.count });
    };
    const deliver = (now: number, drop: boolean) => {
      for (const m of dev.tx.take() as DeviceMessage[]) {
        if (drop) continue;
        if (m.type === "R") tracker.accept(m.seq);
        if ((m.type === "K" || m.type === "N") && m.cmd === inFlight) {
          inFlight = null;
          const answer = m.type === "K" ? { outcome: "ACK" as const, info: m.info } : { outcome: "NAK" as const, reason: m.reason };
          for (const r of tracker.requestDone(answer, now)) lost.push(r.count);
        }
      }
      for (const r of tracker.tick(now)) lost.push(r.count);
      pump(now);
    };
    dev.send({ type: "HELLO", seq: 1000, major: 1, minor: 0 });
    tracker.reset(0);
    for (let t = 100; t <= 600_000; t += 100) {
      dev.advanceTo(t + 1);
      // The link is down between 10 s and 260 s: 2,500 readings never reach the host.
      deliver(t, t > 10_000 && t <= 260_000);
      if (t > 400_000 && !tracker.busy) break;
    }
    expect({ lost: lost.reduce((a, b) => a + b, 0), readLost: counters.readLost, recovered: counters.readRecovered, busy: tracker.busy }).toEqual({ lost: 0, readLost: 0, recovered: 2500, busy: false });
  });

  it("ReadingTracker.expect moves past the gap a reconnect HI reveals (was: next stayed behind, the resent lines were taken as live ones, their seqs stayed 'missing' and were declared lost)", () => {
    const counters = createCounters();
    const t = new ReadingTracker(counters);
    t.reset(0);
    for (let s = 0; s <= 10; s++) t.accept(s);
    expect(t.expect(50)).toEqual([]);
    expect(t.nextRequest(0)).toEqual({ from: 11, count: 39 });
    t.requestDone({ outcome: "ACK", info: 39 }, 0);
    for (let s = 11; s < 50; s++) expect(t.accept(s).kind).toBe("resent");
    expect(t.accept(50).kind).toBe("new");
    expect(t.tick(1e9)).toEqual([]);
    expect(t.busy).toBe(false);
    expect(counters).toMatchObject({ readGaps: 1, readMissing: 39, readRecovered: 39, readLost: 0 });
  });

  it("DeviceClock at timeScale 500 resumes after a 2.5 s process stall instead of bursting 12,500 samples (was: the catch-up flooded the link and overran the 10 min RESEND ring: 6,801 readings lost)", () => {
    let wall = 1000;
    const now = vi.spyOn(performance, "now").mockImplementation(() => wall);
    try {
      const clock = new DeviceClock(500);
      // Steady run: events every 100 ms of device time, 0.2 ms of wall time apart.
      for (let t = 0; t <= 10_000; t += 100) {
        wall = 1000 + t / 500;
        clock.nextEventMs = t;
        expect(clock.targetMs()).toBeCloseTo(t, 6);
        clock.advanceTo(t);
        clock.nextEventMs = t + 100;
      }
      wall += 2500; // the process stalls for 2.5 s
      const target = clock.targetMs();
      expect(target - clock.nextEventMs).toBeLessThanOrEqual(MAX_CATCH_UP_WALL_MS * 500 + 1);
      expect(target).toBeGreaterThan(clock.nextEventMs); // it does move on, at its own pace
      // The loop works through the events up to the target; from there it runs at timeScale again.
      clock.advanceTo(Math.floor(target / 100) * 100);
      clock.nextEventMs = Math.floor(target / 100) * 100 + 100;
      wall += 1;
      expect(clock.targetMs() - target).toBeCloseTo(500, 6);
    } finally {
      now.mockRestore();
    }
  });

  it("Link reopens a port that stays open but dead (was: after an unnoticed unplug the link stayed 'lost' for ever, even with the device back on the same path)", async () => {
    const portPath = "/dev/tg-reopen-" + randomUUID();
    const first = MockSerialDevice.create(portPath);
    const bridge = await startBridge({ port: portPath, listen: "127.0.0.1:0", recordDir: null, staleAfterMs: 300, reconnectInitialMs: 20, reconnectMaxMs: 50 });
    cleanup.push(() => bridge.close());
    first.emit(first.reading());
    // The device re-enumerates on the same path; the old port gives no error, just silence.
    const second = MockSerialDevice.create(portPath);
    await vi.waitFor(() => expect(bridge.link.state).toBe("lost"), { timeout: 2000, interval: 10 });
    await vi.waitFor(() => expect(bridge.link.state).toBe("up"), { timeout: 3000, interval: 10 });
    expect(second.received[0]).toMatchObject({ type: "HELLO" });
    expect(bridge.state.alarms.get("host:LINK_LOST")).toBeUndefined();
  });
});
