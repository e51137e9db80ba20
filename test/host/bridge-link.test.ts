// Link faults end to end over a real pty: unplug / replug, and raw bytes (garbage, non-ASCII, over-long lines) through the real port and line splitter. The logic itself: test/host/core.
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
  it("survives unplug and replug: LINK_LOST at once, reconnects, re-HELLOs, reports the reboot, readings resume", async () => {
    rig = await startRig();
    const c = await rig.connect();
    await c.next(is("readings"));
    const oldBoot = rig.bridge.state.device!.bootId;
    const mark = c.messages.length;
    await rig.unplug();
    const lost = await c.waitFor(alarmOf("LINK_LOST", "RAISE"), 2000, mark);
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
});
