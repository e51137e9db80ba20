// Per-connection rates: frames before parsing, resync and command by type, one notice per run, flood at the run limit.
import { describe, expect, it } from "vitest";
import { ClientRate, DEFAULT_CLIENT_RATE_LIMITS, type Admission } from "../../../host/ws/client-rate";

const tally = (xs: Admission[]) => xs.reduce<Record<string, number>>((t, x) => ((t[x] = (t[x] ?? 0) + 1), t), {});

describe("client rate", () => {
  it("3,000 resyncs in one instant: 50 frames parsed, 3 resyncs served, one notice, closed as a flood at the 500th drop in a row", () => {
    const r = new ClientRate(DEFAULT_CLIENT_RATE_LIMITS, 0);
    const out: Admission[] = [];
    let resyncs = 0;
    for (let i = 0; i < 3000; i++) {
      const f = r.admitFrame(0);
      if (f !== "ok") {
        out.push(f);
        if (f === "flood") break;
        continue;
      }
      const m = r.admitMessage("resync", 0);
      if (m === "ok") resyncs++;
      out.push(m);
    }
    expect(resyncs).toBe(3);
    // 47 parsed resyncs dropped (the first notifies), then 500 frames dropped unparsed (the first notifies, the 500th closes).
    expect(tally(out)).toEqual({ ok: 3, "drop-notify": 2, drop: 46 + 498, flood: 1 });
    expect(out.length).toBe(550);
  });

  it("a client within its rate is never limited: a hello, a resync every 5 s and 2 commands a second for 10 minutes", () => {
    const r = new ClientRate(DEFAULT_CLIENT_RATE_LIMITS, 0);
    const verdicts: Admission[] = [r.admitFrame(0), r.admitMessage("hello", 0)];
    for (let t = 0; t < 600_000; t += 500) {
      verdicts.push(r.admitFrame(t), r.admitMessage("command", t));
      if (t % 5000 === 0) verdicts.push(r.admitFrame(t), r.admitMessage("resync", t));
    }
    expect(verdicts.every((v) => v === "ok")).toBe(true);
  });

  it("commands beyond 10 at once are dropped until the bucket refills at 2 per second; the run restarts after an admitted frame", () => {
    const r = new ClientRate(DEFAULT_CLIENT_RATE_LIMITS, 0);
    const first = Array.from({ length: 12 }, () => (r.admitFrame(0), r.admitMessage("command", 0)));
    expect(first.slice(0, 10).every((v) => v === "ok")).toBe(true);
    expect(first.slice(10)).toEqual(["drop-notify", "drop"]);
    r.admitFrame(500);
    expect(r.admitMessage("command", 500)).toBe("ok");
    expect(r.admitMessage("command", 500)).toBe("drop-notify");
    expect(r.admitMessage("hello", 500)).toBe("ok"); // hello is rated only as a frame (and by the token lock-out)
  });
});
