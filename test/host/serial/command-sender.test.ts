// Commands get fresh ids and resolve with ACK / NAK / TIMEOUT / REFUSED.
import { afterEach, describe, expect, it, vi } from "vitest";
import { decode } from "../../../protocol";
import { CommandSender } from "../../../host/serial/command-sender";
import { createCounters } from "../../../host/state/counters";

afterEach(() => vi.useRealTimers());

describe("CommandSender", () => {
  it("writes an encoded command with a fresh id and resolves with the matching K", async () => {
    const lines: string[] = [];
    const c = createCounters();
    const s = new CommandSender((l) => (lines.push(l), true), c);
    const p1 = s.send({ type: "PAUSE", seconds: 120 });
    const p2 = s.send({ type: "MARK", text: "CO2 injected" });
    const d1 = decode(lines[0]);
    const d2 = decode(lines[1]);
    expect(d1.ok && d1.msg).toMatchObject({ type: "PAUSE", seq: 1, seconds: 120 });
    expect(d2.ok && d2.msg).toMatchObject({ type: "MARK", seq: 2, text: "CO2 injected" });
    expect(s.answer({ type: "N", seq: 9, cmd: 2, reason: "STATE" })).toBe(true);
    expect(s.answer({ type: "K", seq: 10, cmd: 1, tMs: 5, info: 120 })).toBe(true);
    expect(s.answer({ type: "K", seq: 11, cmd: 1, tMs: 5, info: 120 })).toBe(false);
    await expect(p1).resolves.toEqual({ outcome: "ACK", id: 1, tMs: 5, info: 120 });
    await expect(p2).resolves.toEqual({ outcome: "NAK", id: 2, reason: "STATE" });
    expect(c).toMatchObject({ commandsSent: 2, commandsAcked: 1, commandsNaked: 1 });
  });

  it("times out after the timeout", async () => {
    vi.useFakeTimers();
    const s = new CommandSender(() => true, createCounters(), 2000);
    const p = s.send({ type: "END" });
    vi.advanceTimersByTime(1999);
    expect(s.waiting).toBe(1);
    vi.advanceTimersByTime(1);
    await expect(p).resolves.toEqual({ outcome: "TIMEOUT", id: 1 });
  });

  it("refuses without a writer and refuses pending commands when the link goes", async () => {
    const s = new CommandSender(null, createCounters());
    await expect(s.send({ type: "END" })).resolves.toMatchObject({ outcome: "REFUSED", reason: "LINK_DOWN" });
    s.setWriter(() => true);
    const p = s.send({ type: "END" });
    s.setWriter(null);
    await expect(p).resolves.toMatchObject({ outcome: "REFUSED", reason: "LINK_DOWN" });
  });
});
