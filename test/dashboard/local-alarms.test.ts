// The display's own alarms: no connection, silent bridge, stale readings.
import { describe, expect, it } from "vitest";
import { BRIDGE_SILENT_MS, localConditions, type FeedState } from "../../host/dashboard/local-alarms";

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
