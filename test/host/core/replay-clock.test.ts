// A trace replayed with a fast device clock (--speed 100): every row, live or resent, is stamped by device time, so a 6-minute trace spans 6 minutes.
import { describe, expect, it } from "vitest";
import { CoreRig } from "./core-rig";

const SPEED = 100;
const TRACE_MS = 6 * 60_000;
const PERIOD_MS = 100;

describe("replay at --speed 100", () => {
  it("a minute of readings dropped in transit and fetched by RESEND shares the live rows' clock offset: stamps span the trace's 6 minutes", () => {
    const rig = new CoreRig();
    const devMs = (hostMs: number) => hostMs * SPEED; // the device's time runs SPEED x the host's
    rig.connect(0, 0);
    const ring = new Map<number, string>();
    let resent = false;
    for (let host = 1; devMs(host) <= TRACE_MS; host++) {
      const seq = rig.dev.readSeq;
      const line = rig.dev.reading(devMs(host));
      ring.set(seq, line);
      const dropped = devMs(host) > 60_000 && devMs(host) <= 120_000; // the transmit buffer overflowed
      if (!dropped) rig.feed(line, host);
      if (host % 10 === 0) rig.tickAt(host);
      const resend = rig.written.find((m) => m.type === "RESEND");
      if (resend && resend.type === "RESEND" && !resent) {
        resent = true;
        const out = [rig.dev.k(resend.seq, devMs(host), resend.count)];
        for (let s = resend.from; s < resend.from + resend.count; s++) out.push(ring.get(s)!);
        rig.feed(out, host);
      }
    }
    const rows = rig.rows();
    const seqs = rows.map((r) => r.seq).sort((a, b) => a - b);
    expect(seqs).toEqual([...Array(TRACE_MS / PERIOD_MS).keys()]);
    expect(rows.filter((r) => r.resent).length).toBe(600);
    const offsets = rows.map((r) => r.atMs - r.tMs);
    expect(Math.max(...offsets) - Math.min(...offsets)).toBe(0);
    const atMs = rows.map((r) => r.atMs);
    expect(Math.max(...atMs) - Math.min(...atMs)).toBe(TRACE_MS - PERIOD_MS);
  });
});
