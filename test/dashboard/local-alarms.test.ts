// The display's own alarms: no connection, silent bridge, stale readings.
import { describe, expect, it } from "vitest";
import { BRIDGE_SILENT_MS, localConditions, syncLocalAlarms, type FeedState, type LocalAlarm } from "../../host/dashboard/local-alarms";

const base: FeedState = { nowMs: 100_000, wsOpen: true, retryInMs: null, lastFrameMs: 99_900, lastRowMs: 99_900, snapshotMs: 90_000, staleAfterMs: 2500 };
const conds = (f: Partial<FeedState>) => localConditions({ ...base, ...f }).map((c) => `${c.cond}:${c.prio}`);

describe("localConditions", () => {
  it("is quiet while frames and readings flow", () => {
    expect(conds({})).toEqual([]);
  });

  it("raises DISPLAY_OFFLINE (high) when the socket is closed, with the retry time", () => {
    const c = localConditions({ ...base, wsOpen: false, retryInMs: 3900 });
    expect(c).toEqual([{ cond: "DISPLAY_OFFLINE", prio: "H", text: expect.stringContaining("retry in 4 s") }]);
  });

  it("raises BRIDGE_SILENT (high) when no frame arrives, and DATA_STALE (medium) when no reading arrives", () => {
    expect(conds({ lastFrameMs: base.nowMs - BRIDGE_SILENT_MS - 1, lastRowMs: base.nowMs - 5000 })).toEqual(["BRIDGE_SILENT:H", "DATA_STALE:M"]);
    expect(conds({ lastRowMs: base.nowMs - 2501 })).toEqual(["DATA_STALE:M"]);
    expect(conds({ lastRowMs: base.nowMs - 2500 })).toEqual([]);
  });

  it("counts staleness from the snapshot when no reading ever came, and not before a snapshot", () => {
    expect(conds({ lastRowMs: null, snapshotMs: base.nowMs - 3000 })).toEqual(["DATA_STALE:M"]);
    expect(conds({ lastRowMs: null, snapshotMs: null })).toEqual([]);
  });
});

describe("syncLocalAlarms", () => {
  it("raises new conditions unacknowledged, refreshes texts, clears the gone ones", () => {
    const m = new Map<string, LocalAlarm>();
    let r = syncLocalAlarms(m, [{ cond: "DATA_STALE", prio: "M", text: "3 s" }], 1000);
    expect(r.raised.map((a) => [a.key, a.prio, a.acked, a.raisedAtMs])).toEqual([["display:DATA_STALE", "M", false, 1000]]);
    r = syncLocalAlarms(m, [{ cond: "DATA_STALE", prio: "M", text: "4 s" }], 2000);
    expect(r.raised).toEqual([]);
    expect(m.get("display:DATA_STALE")!.text).toBe("4 s");
    r = syncLocalAlarms(m, [], 3000);
    expect(r.cleared.map((a) => [a.cond, a.changedAtMs])).toEqual([["DATA_STALE", 3000]]);
    expect(m.size).toBe(0);
  });
});
