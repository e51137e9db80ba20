// A host wall-clock jump (NTP step, manual change) is neither a link loss nor stale data; sample times follow the new clock.
import { afterEach, describe, expect, it, vi } from "vitest";
import { startRig, type Rig } from "./helpers/rig";

let rig: Rig | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await rig?.close();
  rig = undefined;
});

describe("host clock jump", () => {
  it.each([3_600_000, -3_600_000])("jump of %i ms: no LINK_LOST / STALE, readings keep flowing with atMs on the new clock", async (jumpMs) => {
    rig = await startRig();
    const c = await rig.connect();
    await c.next((m) => m.type === "readings");
    vi.useFakeTimers({ toFake: ["Date"] }); // only Date: timers and performance.now() stay real
    vi.setSystemTime(Date.now() + jumpMs);
    const mark = c.messages.length;
    await new Promise((r) => setTimeout(r, 3000));
    const after = c.messages.slice(mark);
    expect(after.filter((m) => m.type === "alarm").map((m) => (m.type === "alarm" ? m.alarm.cond : ""))).toEqual([]);
    expect(rig.bridge.link.state).toBe("up");
    const rows = after.flatMap((m) => (m.type === "readings" ? m.rows : []));
    expect(rows.length).toBeGreaterThan(20);
    expect(Math.abs(rows[rows.length - 1].atMs - Date.now())).toBeLessThan(1000);
  });
});
