// Alarm lines processed strictly in seq order; duplicates acknowledged but not processed; hold-back bounded.
import { describe, expect, it } from "vitest";
import type { AlarmEvent } from "../../../protocol";
import { ALARM_GAP_SKIP_MS, ALARM_HOLD_MAX, AlarmSequencer } from "../../../host/core/alarm-sequencer";
import { createCounters } from "../../../host/state/counters";

function a(seq: number): AlarmEvent {
  return { type: "A", seq, tMs: seq * 10, alarmId: seq + 1, action: "RAISE", cond: "WARN", ch: 0, prio: "M", kind: "P", active: 1, acked: 0, latching: 0, value: 4010, limit: 4000, info: 0 };
}
const seqs = (xs: AlarmEvent[]) => xs.map((x) => x.seq);

describe("AlarmSequencer", () => {
  it("processes in order, holds back after a gap, releases when the gap is filled", () => {
    const c = createCounters();
    const s = new AlarmSequencer(c);
    s.reset(3);
    expect(s.offer(a(3), 0)).toMatchObject({ ack: true, duplicate: false });
    expect(seqs(s.offer(a(5), 0).ready)).toEqual([]);
    expect(seqs(s.offer(a(6), 0).ready)).toEqual([]);
    expect(seqs(s.offer(a(4), 0).ready)).toEqual([4, 5, 6]);
    expect(c.alarmHeld).toBe(2);
  });

  it("acknowledges but does not process duplicates (already processed or already held)", () => {
    const c = createCounters();
    const s = new AlarmSequencer(c);
    s.reset(0);
    s.offer(a(0), 0);
    expect(s.offer(a(0), 0)).toEqual({ ack: true, ready: [], duplicate: true });
    s.offer(a(2), 0);
    expect(s.offer(a(2), 0)).toEqual({ ack: true, ready: [], duplicate: true });
    expect(c.alarmRetransmits).toBe(2);
  });

  it("does not acknowledge a line it cannot hold, so the device retransmits it", () => {
    const s = new AlarmSequencer(createCounters());
    s.reset(0);
    for (let i = 1; i <= ALARM_HOLD_MAX; i++) expect(s.offer(a(i), 0).ack).toBe(true);
    expect(s.offer(a(ALARM_HOLD_MAX + 1), 0).ack).toBe(false);
    expect(seqs(s.offer(a(0), 0).ready)).toHaveLength(ALARM_HOLD_MAX + 1);
  });

  it("skips a gap retransmission never fills, after ALARM_GAP_SKIP_MS", () => {
    const s = new AlarmSequencer(createCounters());
    s.reset(0);
    s.offer(a(2), 1000);
    expect(s.tick(1000 + ALARM_GAP_SKIP_MS - 1)).toEqual([]);
    expect(seqs(s.tick(1000 + ALARM_GAP_SKIP_MS))).toEqual([2]);
    expect(s.offer(a(1), 9000).duplicate).toBe(true);
  });
});
