// The host link core with explicit times: handshake and HELLO retry, reconnect timing, restatement, watchdog across a stall, line checks, seq jumps, boot flaps, close.
import { describe, expect, it } from "vitest";
import { HELLO_RETRY_MS, HELLO_TIMEOUT_MS, RECONNECT_MAX_MS, WATCHDOG_MS } from "../../../host/core/link-core";
import { SerialLinkError } from "../../../host/domain/link-error";
import { CoreRig, WALL0_MS } from "./core-rig";

/** Streams readings every 100 ms of host time (device time = host time) from `fromMs` to `toMs`, ticking in between. */
function stream(rig: CoreRig, fromMs: number, toMs: number): void {
  for (let t = fromMs; t <= toMs; t += 100) {
    rig.feed(rig.dev.reading(t), t);
    rig.tickAt(t);
  }
}

describe("handshake", () => {
  it("HELLO -> HI, CH, LM, K: link up, TIME sent with the wall clock, channels and limits known", () => {
    const rig = new CoreRig().connect(0);
    expect(rig.core.state).toBe("up");
    expect(rig.written.map((m) => m.type)).toEqual(["HELLO", "TIME"]);
    const time = rig.written[1];
    expect(time.type === "TIME" && time.epochMs).toBe(WALL0_MS);
    expect(rig.state.channels.map((c) => c.label)).toEqual(["nerve0", "nerve1"]);
    expect(rig.state.limits?.interveneCc).toBe(4200);
  });

  it("a HELLO lost while the device opens its port is repeated every HELLO_RETRY_MS; the third is answered: up at 600 ms, no WRONG_DEVICE", () => {
    const rig = new CoreRig().open(0);
    rig.runUntil(600);
    const hellos = rig.written.filter((m) => m.type === "HELLO");
    expect(hellos.length).toBe(1 + Math.floor(600 / HELLO_RETRY_MS));
    rig.feed(rig.dev.helloAnswer(rig.lastHelloId(), 600), 600);
    expect(rig.core.state).toBe("up");
    expect(rig.updates.some((u) => u.type === "link" && u.link.error?.code === "WRONG_DEVICE")).toBe(false);
  });

  it("no answer at all within HELLO_TIMEOUT_MS: WRONG_DEVICE on a new port, LINK_SILENT on a port that had the device", () => {
    const fresh = new CoreRig().open(0).runUntil(HELLO_TIMEOUT_MS);
    expect(fresh.core.state).toBe("reconnecting");
    expect(fresh.updates.filter((u) => u.type === "link").map((u) => u.type === "link" && u.link.error?.code)).toContain("WRONG_DEVICE");

    const known = new CoreRig().connect(0);
    known.unplug(1000).runUntil(1000 + RECONNECT_MAX_MS);
    known.open(2000).runUntil(2000 + HELLO_TIMEOUT_MS);
    const codes = known.updates.filter((u) => u.type === "link").map((u) => (u.type === "link" ? u.link.error?.code : null));
    expect(codes).not.toContain("WRONG_DEVICE");
    expect(codes).toContain("LINK_SILENT");
  });

  it("after an unplug the port is tried again at least every RECONNECT_MAX_MS; the link is back <= 1 s after the port returns", () => {
    const rig = new CoreRig().connect(0);
    rig.unplug(1000);
    const portBackMs = 4321;
    let upAtMs = -1;
    for (let t = 1000; t < 8000 && upAtMs < 0; t += 10) {
      rig.tickAt(t);
      if (rig.core.openDue(t)) {
        rig.core.openStarted(t);
        if (t < portBackMs) rig.core.connectionEnded(new SerialLinkError("PORT_NOT_FOUND", "absent", "/dev/ttyACM0"), t, rig.wallMs);
        else rig.open(t);
        rig.pump();
      }
      // The device reopens its port 200 ms after it is back: HELLOs before that are lost.
      const lastHello = rig.written.filter((m) => m.type === "HELLO").at(-1);
      if (rig.core.state === "handshaking" && t >= portBackMs + 200 && lastHello) rig.feed(rig.dev.helloAnswer(lastHello.seq, t), t);
      if (rig.core.state === "up") upAtMs = t;
    }
    expect(upAtMs).toBeGreaterThan(portBackMs);
    expect(upAtMs - portBackMs).toBeLessThanOrEqual(1000);
  });
});

describe("alarm restatement (PROTOCOL.md section 3)", () => {
  it("after a same-boot reconnect the restatement replaces the alarm list at once: an alarm that ended during the outage disappears, fresh seqs are processed without the gap timeout", () => {
    const rig = new CoreRig().connect(0);
    rig.feed([rig.dev.raise(1, 100), rig.dev.raise(2, 100)], 100);
    expect(rig.deviceAlarmIds()).toEqual([1, 2]);
    rig.unplug(500);
    // During the outage alarm 1 ends and is cleared on the device; its CLEAR line never reaches the host.
    rig.dev.clear(1, 2000);
    rig.dev.raise(3, 2500);
    rig.open(3000);
    rig.feed(rig.dev.helloAnswer(rig.lastHelloId(), 3000), 3000);
    expect(rig.deviceAlarmIds()).toEqual([2, 3]);
    const acks = rig.written.filter((m) => m.type === "AK").map((m) => m.seq);
    expect(acks).toEqual(expect.arrayContaining([rig.dev.alarmSeq - 2, rig.dev.alarmSeq - 1]));
    expect(rig.core.alarms.heldCount).toBe(0);
  });

  it("the restatement after an unsolicited re-handshake (link lost then back) also replaces the list", () => {
    const rig = new CoreRig().connect(0);
    rig.feed([rig.dev.raise(1, 100), rig.dev.raise(2, 100)], 100);
    rig.runUntil(100 + WATCHDOG_MS + 200);
    expect(rig.core.state).toBe("lost");
    rig.dev.clear(2, 2000);
    rig.feed(rig.dev.reading(2900), 2900);
    expect(rig.core.state).toBe("up");
    rig.feed(rig.dev.helloAnswer(rig.lastHelloId(), 2900), 2900);
    expect(rig.deviceAlarmIds()).toEqual([1]);
  });
});

describe("watchdog", () => {
  it("2.5 s without a valid line: lost (LINK_LOST high), cleared by the next line", () => {
    const rig = new CoreRig().connect(0);
    stream(rig, 100, 1000);
    rig.runUntil(1000 + WATCHDOG_MS);
    expect(rig.core.state).toBe("up");
    rig.runUntil(1000 + WATCHDOG_MS + 100);
    expect(rig.core.state).toBe("lost");
    expect(rig.hostAlarm("LINK_LOST")?.prio).toBe("H");
    rig.feed(rig.dev.reading(3700), 3700);
    expect(rig.core.state).toBe("up");
    expect(rig.hostAlarm("LINK_LOST")).toBeUndefined();
  });

  it("a 3.2 s stall of the bridge process raises no LINK_LOST, and the readings that waited are stamped by their device time", () => {
    const rig = new CoreRig().connect(0);
    stream(rig, 100, 5000);
    // Nothing runs from 5000 to 8200; then the late tick fires first, the waiting data is read after it.
    rig.tickAt(8200);
    const burst: string[] = [];
    for (let t = 5100; t <= 8200; t += 100) burst.push(rig.dev.reading(t));
    rig.feed(burst, 8200);
    stream(rig, 8300, 12000);
    expect(rig.updates.filter((u) => u.type === "link").map((u) => (u.type === "link" ? u.link.state : ""))).not.toContain("lost");
    expect(rig.hostAlarm("LINK_LOST")).toBeUndefined();
    const late = rig.rows().filter((r) => r.tMs >= 5100);
    for (const r of late) expect(Math.abs(r.atMs - (WALL0_MS + r.tMs))).toBeLessThanOrEqual(1);
  });
});

describe("valid-CRC lines checked against the device's declaration", () => {
  it("a reading with more values than channels, a dose line for a missing channel and limits out of order are refused and counted", () => {
    const rig = new CoreRig().connect(0);
    rig.feed(rig.dev.reading(100, [3700, 3700, 3700]), 100);
    rig.feed(rig.dev.line({ type: "D", seq: rig.dev.otherSeq++, tMs: 200, ch: 5, t42Ms: 0, t42Pm: 0, t70Ms: 0, t70Pm: 0, cem43M: 0, cem43Pm: 0 }), 200);
    rig.feed(rig.dev.line({ type: "LM", seq: rig.dev.otherSeq++, warnCc: 4400, interveneCc: 4200, stopCc: 4500, predictS: 15, dose42Min: 50, dose70Min: 5, cem43Limit: 1650 }), 300);
    expect(rig.counters.badLines).toMatchObject({ CHANNEL_COUNT: 1, NO_SUCH_CHANNEL: 1, LIMIT_ORDER: 1 });
    expect(rig.rows()).toEqual([]);
    expect(rig.state.doses.size).toBe(0);
    expect(rig.state.limits?.warnCc).toBe(4000);
  });

  it("one valid-CRC status line with tMs 2^53-1 is refused: the clock map keeps stamping readings at their device time", () => {
    const rig = new CoreRig().connect(0);
    stream(rig, 100, 1000);
    rig.feed(rig.dev.status(Number.MAX_SAFE_INTEGER), 1050);
    rig.feed(rig.dev.line({ type: "R", seq: rig.dev.readSeq, tMs: 1e12, values: [3700, 3700] }), 1060);
    stream(rig, 1100, 2000);
    expect(rig.counters.badLines.TIME_RANGE).toBe(2);
    for (const r of rig.rows()) expect(Math.abs(r.atMs - (WALL0_MS + r.tMs))).toBeLessThanOrEqual(1);
    expect(rig.state.status?.tMs ?? 0).toBeLessThan(1e12);
  });

  it("a reading seq 23 ahead is held and refuted by the next real reading: no reading lost, no RESEND", () => {
    const rig = new CoreRig().connect(0);
    stream(rig, 0, 900);
    rig.feed(rig.dev.reading(950, undefined, rig.dev.readSeq + 23), 950);
    stream(rig, 1000, 2900);
    expect(rig.counters.readLost).toBe(0);
    expect(rig.counters.readMissing).toBe(0);
    expect(rig.written.filter((m) => m.type === "RESEND")).toEqual([]);
    expect(rig.counters.badLines.SEQ_JUMP).toBe(1);
    expect(rig.rows().map((r) => r.seq)).toEqual([...Array(30).keys()]);
  });

  it("a real jump (its successor follows it) is believed: the gap is requested by RESEND", () => {
    const rig = new CoreRig().connect(0);
    stream(rig, 0, 900);
    rig.dev.readSeq += 30;
    stream(rig, 1000, 1500);
    const resend = rig.written.find((m) => m.type === "RESEND");
    expect(resend && resend.type === "RESEND" && [resend.from, resend.count]).toEqual([10, 30]);
  });

  it("a boot id flapping A -> B -> A continues boot A where it was: RESEND only for what A sent meanwhile, not its whole ring", () => {
    const rig = new CoreRig().connect(0);
    stream(rig, 0, 4900); // boot A: seqs 0..49
    const bootA = rig.dev.bootId;
    const { readSeq: aSeq, alarmSeq: aAlarm, otherSeq: aOther } = rig.dev;
    rig.dev.reboot(0xbbbbbbbb);
    rig.feed(rig.dev.info(), 5000);
    Object.assign(rig.dev, { bootId: bootA, readSeq: aSeq + 10, alarmSeq: aAlarm, otherSeq: aOther });
    rig.feed(rig.dev.info(), 6000);
    stream(rig, 6100, 6500);
    const resends = rig.written.filter((m) => m.type === "RESEND").map((m) => (m.type === "RESEND" ? [m.from, m.count] : []));
    expect(resends).toEqual([[50, 10]]);
    expect(rig.counters.badLines.BOOT_FLAP).toBe(1);
  });
});

describe("close", () => {
  it("readings still awaiting RESEND when the bridge stops are recorded as lost: no unmarked hole", () => {
    const rig = new CoreRig().connect(0);
    stream(rig, 0, 900);
    rig.dev.readSeq += 10;
    stream(rig, 1000, 1100);
    expect(rig.written.some((m) => m.type === "RESEND")).toBe(true);
    rig.close(1200);
    expect(rig.records.filter((r) => r.k === "lost").map((r) => (r.k === "lost" ? [r.from, r.count] : []))).toEqual([[10, 10]]);
    expect(rig.core.state).toBe("closed");
  });
});
