// Hostile input on both sides: mutated and random serial lines between valid ones, random JSON on the WebSocket.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { encode } from "../../protocol";
import { startRig, type Rig } from "./helpers/rig";
import { NO_RATE_LIMITS } from "./ws/no-rate-limits";

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("fuzz", () => {
  it("serial side: 2000 random / mutated lines are counted and never stop valid readings", async () => {
    rig = await startRig();
    const c = await rig.connect();
    await c.next((m) => m.type === "readings");
    const valid = encode({ type: "D", seq: 1, tMs: 1, ch: 0, t42Ms: 0, t42Pm: 0, t70Ms: 0, t70Pm: 0, cem43M: 0, cem43Pm: 0 });
    const mutated = fc.tuple(fc.nat(valid.length - 2), fc.integer({ min: 0, max: 255 })).map(([i, b]) => valid.slice(0, i) + String.fromCharCode(b) + valid.slice(i + 1));
    const junk = fc.oneof(mutated, fc.string({ maxLength: 300 }).map((s) => s + "\n"), fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a).toString("latin1")));
    const inputs = fc.sample(junk, { numRuns: 2000, seed: 42 });
    const before = rig.bridge.state.counters.lines;
    for (let i = 0; i < inputs.length; i += 100) rig.device.writeRaw(Buffer.from(inputs.slice(i, i + 100).join("") + "\n", "latin1"));
    const mark = c.messages.length;
    const r = await c.waitFor((m) => m.type === "readings", 3000, mark);
    expect(r).toBeTruthy();
    const k = rig.bridge.state.counters;
    const bad = Object.values(k.badLines).reduce((a, b) => a + b, 0);
    expect(bad).toBeGreaterThan(500);
    expect(k.lines).toBeGreaterThan(before);
    expect(rig.bridge.link.state).toBe("up");
    expect(rig.bridge.link.parser!.assembler.pending).toBeLessThan(160);
  });

  it("WebSocket side: 500 random JSON values and strings each get an error answer; the connection stays", async () => {
    rig = await startRig({}, { wsLimits: NO_RATE_LIMITS });
    const c = await rig.connect();
    const values = fc.sample(fc.oneof(fc.json(), fc.jsonValue().map((v) => JSON.stringify({ type: "command", id: 1, command: v })), fc.string()), { numRuns: 500, seed: 7 });
    const mark = c.messages.length;
    for (const v of values) c.send(typeof v === "string" ? v : JSON.stringify(v));
    await c.waitFor(() => c.messages.slice(mark).filter((m) => m.type === "error" || m.type === "commandResult" || m.type === "snapshot" || m.type === "auth").length >= values.length, 10_000, mark).catch(() => {});
    const answers = c.messages.slice(mark).filter((m) => m.type === "error" || m.type === "commandResult" || m.type === "snapshot" || m.type === "auth");
    expect(answers.length).toBe(values.length);
    expect(c.closeCode).toBeNull();
    // Every error answer is counted by its code, for the status line and the dashboard.
    const errors = answers.filter((m) => m.type === "error");
    const byCode: Record<string, number> = {};
    for (const e of errors) byCode[e.code] = (byCode[e.code] ?? 0) + 1;
    expect(errors.length).toBeGreaterThan(100);
    expect(rig.bridge.state.counters.wsBadMessages).toEqual(byCode);
    expect(rig.device.received.filter((m) => m.type !== "HELLO" && m.type !== "TIME" && m.type !== "AK")).toEqual([]); // no token: nothing reached the device
  });
});
