// Link faults over a real pty: silence (LINK_LOST, stale after 2.5 s), unplug / replug, reboot, garbage, gaps filled by RESEND.
import { afterEach, describe, expect, it } from "vitest";
import type { ServerMessage } from "../../host/ws/ws-messages";
import { startRig, type Rig } from "./helpers/rig";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Of<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;
const is = <T extends ServerMessage["type"]>(t: T) => (m: ServerMessage): m is Of<T> => m.type === t;
const alarmOf = (cond: string, action: string) => (m: ServerMessage): m is Of<"alarm"> => m.type === "alarm" && m.alarm.cond === cond && m.action === action;

describe("link faults", () => {
  it("raises LINK_LOST (high priority) and marks readings stale 2.5 s after the last valid line; clears when lines resume", async () => {
    rig = await startRig();
    const c = await rig.connect();
    await c.next(is("readings"));
    rig.device.talking = false;
    const silentAt = Date.now();
    const mark = c.messages.length;
    let staleAfter = 0;
    let lostAfter = 0;
    const [stale, lost] = await Promise.all([
      c.waitFor((m): m is Of<"link"> => m.type === "link" && m.link.readingsStale, 5000, mark).then((m) => ((staleAfter = Date.now() - silentAt), m)),
      c.waitFor(alarmOf("LINK_LOST", "RAISE"), 5000, mark).then((m) => ((lostAfter = Date.now() - silentAt), m)),
    ]);
    expect(staleAfter).toBeGreaterThanOrEqual(2400);
    expect(staleAfter).toBeLessThan(3200);
    expect(lostAfter).toBeGreaterThanOrEqual(2400);
    expect(lostAfter).toBeLessThan(3200);
    expect(stale.link.lastReadingAtMs).not.toBeNull();
    expect(lost.alarm).toMatchObject({ source: "host", prio: "H", kind: "T", active: true, key: "host:LINK_LOST" });
    expect(rig.bridge.state.link.state).toBe("lost");
    const mark2 = c.messages.length;
    rig.device.talking = true;
    await c.waitFor(alarmOf("LINK_LOST", "CLEAR"), 3000, mark2);
    await c.waitFor((m) => m.type === "link" && m.link.state === "up", 3000, mark2);
    await c.waitFor((m) => m.type === "link" && !m.link.readingsStale, 3000, mark2);
  });

  it("survives unplug and replug: LINK_LOST at once, reconnects, re-HELLOs, reports the reboot, readings resume", async () => {
    rig = await startRig();
    const c = await rig.connect();
    await c.next(is("readings"));
    const oldBoot = rig.bridge.state.device!.bootId;
    const mark = c.messages.length;
    const unpluggedAt = Date.now();
    await rig.unplug();
    const lost = await c.waitFor(alarmOf("LINK_LOST", "RAISE"), 2000, mark);
    expect(Date.now() - unpluggedAt).toBeLessThan(1000); // the port vanishing is noticed at once, not after 2.5 s
    expect(lost.alarm.prio).toBe("H");
    await c.waitFor((m) => m.type === "link" && m.link.state === "reconnecting", 2000, mark);
    const mark2 = c.messages.length;
    const dev = await rig.replug();
    await c.waitFor(alarmOf("LINK_LOST", "CLEAR"), 5000, mark2);
    expect(dev.received[0]).toMatchObject({ type: "HELLO" });
    const reboot = await c.waitFor(alarmOf("DEVICE_REBOOT", "RAISE"), 3000, mark2);
    expect(reboot.alarm.latching).toBe(true);
    expect(rig.bridge.state.device!.bootId).not.toBe(oldBoot);
    const r = await c.next(is("readings"), 3000);
    expect(r.rows[0].seq).toBeLessThan(50); // the new boot's seqs
    expect(rig.bridge.state.counters.reboots).toBe(1);
    expect(rig.bridge.state.counters.reconnects).toBeGreaterThanOrEqual(1);
  });

  it("detects a device reboot by its boot id, drops the old boot's alarms and gets the restatement with HELLO", async () => {
    rig = await startRig();
    const c = await rig.connect();
    const id = rig.device.raise("WARN", 0, 4010, 4000, "M", false);
    const raised = await c.next(alarmOf("WARN", "RAISE"), 2000);
    expect(raised.alarm.alarmId).toBe(id);
    const hellosBefore = rig.device.received.filter((m) => m.type === "HELLO").length;
    const mark = c.messages.length;
    rig.device.reboot();
    await c.waitFor(alarmOf("WARN", "CLEAR"), 2000, mark); // the old boot's alarm is gone
    await c.waitFor(alarmOf("DEVICE_REBOOT", "RAISE"), 2000, mark);
    await expect.poll(() => rig!.device.received.filter((m) => m.type === "HELLO").length).toBe(hellosBefore + 1);
    const r = await c.next(is("readings"), 2000);
    expect(r.rows[0].seq).toBeLessThan(20);
    expect(rig.bridge.state.counters.readDuplicates).toBe(0);
  });

  it("drops garbage, non-ASCII bytes, corrupted CRCs and over-long lines, counts them by reason, and keeps delivering readings", async () => {
    rig = await startRig();
    const c = await rig.connect();
    await c.next(is("readings"));
    const before = c.messages.length;
    rig.device.writeRaw(Buffer.alloc(100_000, 0x41)); // 100 kB, no newline: one over-long line
    rig.device.writeRaw("\n$R,1,2,3*DEADBEEF\n"); // bad CRC
    rig.device.writeRaw(Buffer.from([0x24, 0x52, 0x2c, 0xff, 0xfe, 0x0a])); // non-printable
    rig.device.writeRaw("hello world\n$NOPE,1*00000000\n");
    await expect.poll(() => rig!.bridge.state.counters.badLines.BAD_CRC ?? 0, { timeout: 3000 }).toBeGreaterThanOrEqual(1);
    const r = await c.next(is("readings"), 2000);
    expect(r.rows[0].valuesCc).toEqual([3700, 3700, 3700, 3700]);
    const k = rig.bridge.state.counters;
    expect(k.badLines.NON_PRINTABLE).toBeGreaterThanOrEqual(1);
    expect(k.droppedBytes).toBeGreaterThanOrEqual(100_000);
    expect(rig.bridge.link.parser!.assembler.overlong).toBeGreaterThanOrEqual(1);
    expect(rig.bridge.link.state).toBe("up");
    expect(c.messages.slice(before).some((m) => m.type === "alarm" && m.alarm.cond === "LINK_LOST")).toBe(false);
  });

  it("fills reading gaps with RESEND: late rows are marked resent and every seq arrives exactly once", async () => {
    const dropped = new Set([12, 13, 14, 30]);
    rig = await startRig({ dropRead: (s) => dropped.has(s) });
    const c = await rig.connect();
    await c.waitFor((m) => m.type === "readings" && m.rows.some((r) => r.seq === 40), 8000);
    await expect.poll(() => rig!.bridge.state.counters.readRecovered, { timeout: 3000 }).toBe(4);
    const rows = c.messages.filter(is("readings")).flatMap((m) => m.rows);
    const resent = rows.filter((r) => r.resent).map((r) => r.seq).sort((a, b) => a - b);
    expect(resent).toEqual([12, 13, 14, 30]);
    const seqs = rows.map((r) => r.seq).filter((s) => s <= 40);
    const first = Math.min(...seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.length).toBe(41 - first);
    const resends = rig.device.received.filter((m) => m.type === "RESEND");
    expect(resends).toEqual([expect.objectContaining({ from: 12, count: 3 }), expect.objectContaining({ from: 30, count: 1 })]);
    expect(rig.bridge.state.counters).toMatchObject({ readGaps: 2, readMissing: 4, readLost: 0 });
  });

  it("records readings the device no longer holds (GONE) as lost, with a latched READINGS_LOST alarm", async () => {
    rig = await startRig({ dropRead: (s) => s === 8, ringSize: 1 });
    const c = await rig.connect();
    const a = await c.waitFor(alarmOf("READINGS_LOST", "RAISE"), 5000);
    expect(a.alarm).toMatchObject({ prio: "L", latching: true, value: 1 });
    expect(rig.bridge.state.counters.readLost).toBe(1);
    expect(rig.device.received.find((m) => m.type === "RESEND")).toMatchObject({ from: 8, count: 1 });
  });
});
