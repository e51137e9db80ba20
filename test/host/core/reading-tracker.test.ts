// Reading seq tracking: gaps become RESEND requests, late lines fill them, GONE / silence become losses.
import { describe, expect, it } from "vitest";
import { MAX_TRACKED_MISSING, ReadingTracker, RESEND_MAX_ATTEMPTS, RESYNC_AFTER_DUPLICATES } from "../../../host/core/reading-tracker";
import { createCounters } from "../../../host/state/counters";

function tracker(next = 0) {
  const c = createCounters();
  const t = new ReadingTracker(c);
  t.reset(next);
  return { t, c };
}

describe("ReadingTracker", () => {
  it("accepts in-order seqs without requests", () => {
    const { t, c } = tracker(5);
    for (let s = 5; s < 10; s++) expect(t.accept(s).kind).toBe("new");
    expect(t.nextRequest(0)).toBeNull();
    expect(c.readGaps).toBe(0);
  });

  it("turns a gap into one RESEND and matches the late lines as resent", () => {
    const { t, c } = tracker(0);
    t.accept(0);
    t.accept(4); // 1, 2, 3 missing
    expect(c).toMatchObject({ readGaps: 1, readMissing: 3 });
    expect(t.nextRequest(0)).toEqual({ from: 1, count: 3 });
    expect(t.nextRequest(0)).toBeNull(); // one outstanding at a time
    expect(t.requestDone({ outcome: "ACK", info: 3 }, 10)).toEqual([]);
    expect(t.accept(2).kind).toBe("resent");
    expect(t.accept(2).kind).toBe("duplicate");
    expect(t.accept(1).kind).toBe("resent");
    expect(t.accept(3).kind).toBe("resent");
    expect(t.missingCount).toBe(0);
    expect(t.tick(1e9)).toEqual([]);
    expect(c).toMatchObject({ readRecovered: 3, readDuplicates: 1, readLost: 0, resendRequests: 1 });
  });

  it("declares GONE readings lost, and acknowledged lines that never come lost after the deadline", () => {
    const { t, c } = tracker(0);
    t.accept(10); // 0..9 missing
    expect(t.nextRequest(0)).toEqual({ from: 0, count: 10 });
    expect(t.requestDone({ outcome: "NAK", reason: "GONE" }, 0)).toEqual([{ from: 0, count: 10 }]);
    t.accept(20); // 11..19
    t.nextRequest(0);
    t.requestDone({ outcome: "ACK", info: 5 }, 0);
    for (let s = 15; s < 20; s++) t.accept(s);
    expect(t.tick(100)).toEqual([]);
    expect(t.tick(10_000)).toEqual([{ from: 11, count: 4 }]);
    expect(c.readLost).toBe(14);
  });

  it("retries after BUSY / timeout and gives up after RESEND_MAX_ATTEMPTS", () => {
    const { t } = tracker(0);
    t.accept(3);
    t.nextRequest(0);
    t.requestDone({ outcome: "NAK", reason: "BUSY" }, 0);
    expect(t.nextRequest(100)).toBeNull(); // retry delay
    expect(t.nextRequest(1000)).toEqual({ from: 0, count: 3 });
    let lost: unknown[] = [];
    for (let i = 1; i < RESEND_MAX_ATTEMPTS; i++) {
      lost = t.requestDone({ outcome: "TIMEOUT" }, 1000 * i);
      if (lost.length === 0) t.nextRequest(1000 * i + 1000);
    }
    expect(lost).toEqual([{ from: 0, count: 3 }]);
  });

  it("splits requests at 1000 and trims a range to what is still missing", () => {
    const { t } = tracker(0);
    t.accept(2500);
    t.accept(0);
    t.accept(1);
    expect(t.nextRequest(0)).toEqual({ from: 2, count: 998 });
    t.requestDone({ outcome: "ACK", info: 998 }, 0);
    expect(t.nextRequest(0)).toBeNull(); // the device serves one RESEND at a time: wait for its lines
    for (let s = 2; s < 999; s++) t.accept(s);
    expect(t.nextRequest(0)).toBeNull();
    t.accept(999);
    expect(t.nextRequest(0)).toEqual({ from: 1000, count: 1000 });
  });

  it("fills the gap a reconnect HI reveals (same boot), and keeps only the newest MAX_TRACKED_MISSING of a huge gap", () => {
    const { t, c } = tracker(0);
    t.accept(0);
    expect(t.expect(50)).toEqual([]);
    expect(t.nextRequest(0)).toEqual({ from: 1, count: 49 });
    const { t: t2, c: c2 } = tracker(0);
    const lost = t2.expect(MAX_TRACKED_MISSING + 100);
    expect(lost).toEqual([{ from: 0, count: 100 }]);
    expect(c2.readLost).toBe(100);
    expect(t2.missingCount).toBe(MAX_TRACKED_MISSING);
    expect(c.readGaps).toBe(1);
  });

  it("reports resync after a run of stale seqs (device rebooted without us seeing HI)", () => {
    const { t } = tracker(0);
    t.accept(5000);
    let resync = false;
    for (let s = 0; s < RESYNC_AFTER_DUPLICATES + 5 && !resync; s++) resync = t.accept(s % 1).resync || resync;
    expect(resync).toBe(true);
  });

  it("reset (new boot) declares everything still missing lost", () => {
    const { t } = tracker(0);
    t.accept(4);
    expect(t.reset(0)).toEqual([{ from: 0, count: 4 }]);
    expect(t.missingCount).toBe(0);
  });
});
