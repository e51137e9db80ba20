// Recent history for snapshots: >= 10 minutes kept, capped in rows, late rows inserted in time order.
import { describe, expect, it } from "vitest";
import { HISTORY_MAX_ROWS, HISTORY_MS, HistoryRing } from "../../../host/state/history-ring";

const row = (seq: number, atMs: number) => ({ seq, tMs: seq * 100, atMs, valuesCc: [3700, "OC" as const] });

describe("HistoryRing", () => {
  it("keeps at least 10 minutes at 20 Hz and never more than HISTORY_MAX_ROWS + a trimming batch", () => {
    expect(HISTORY_MS).toBeGreaterThanOrEqual(10 * 60_000);
    const h = new HistoryRing();
    for (let i = 0; i < 30 * 60 * 20; i++) {
      h.add(row(i, i * 50));
      expect(h.length).toBeLessThanOrEqual(HISTORY_MAX_ROWS + 500);
    }
    const cols = h.columns(2);
    const spanMs = cols.atMs[cols.atMs.length - 1] - cols.atMs[0];
    expect(spanMs).toBeGreaterThanOrEqual(10 * 60_000);
    expect(cols.valuesCc[1][0]).toBe("OC");
  });
  it("inserts a late (resent) row at its place", () => {
    const h = new HistoryRing();
    h.add(row(1, 100));
    h.add(row(3, 300));
    h.add({ ...row(2, 200), resent: true });
    expect(h.columns(1).seq).toEqual([1, 2, 3]);
  });
});
