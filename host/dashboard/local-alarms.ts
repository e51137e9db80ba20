// Alarms this display raises itself: no connection to the bridge, a silent bridge, stale readings.
// A remote display is a distributed alarm system (IEC 60601-1-8): it must notice its own feed failing,
// even when the bridge is dead and cannot say so.

/** The bridge sends `status` once per second; 3.5 s of silence means the socket is dead or the bridge hung. */
export const BRIDGE_SILENT_MS = 3500;
/** Stale limit used before the bridge has told us its own (`link.staleAfterMs`, PROTOCOL.md section 6). */
export const DEFAULT_STALE_AFTER_MS = 2500;

export type LocalCondition = "DISPLAY_OFFLINE" | "BRIDGE_SILENT" | "DATA_STALE";

export interface LocalAlarmCondition {
  cond: LocalCondition;
  prio: "H" | "M";
  text: string;
}

/** What the display knows about its feed, all times local browser wall-clock ms. */
export interface FeedState {
  nowMs: number;
  wsOpen: boolean;
  /** Ms until the next reconnect attempt, when closed. */
  retryInMs: number | null;
  /** Local receive time of the last frame of any kind. */
  lastFrameMs: number | null;
  /** Local receive time of the newest reading row. */
  lastRowMs: number | null;
  /** Local time the current connection's snapshot arrived (null: none yet). */
  snapshotMs: number | null;
  staleAfterMs: number;
}

/**
 * The display's own alarm conditions present now. Priorities mirror the bridge's: losing the feed
 * is high like LINK_LOST, stale readings are medium like STALE (docs/WEBSOCKET.md).
 */
export function localConditions(f: FeedState): LocalAlarmCondition[] {
  const out: LocalAlarmCondition[] = [];
  const sec = (ms: number) => Math.round(ms / 1000);
  if (!f.wsOpen) {
    const retry = f.retryInMs != null ? ` (retry in ${Math.max(0, sec(f.retryInMs))} s)` : "";
    out.push({ cond: "DISPLAY_OFFLINE", prio: "H", text: "No connection to the bridge: nothing on this screen is live" + retry });
    return out;
  }
  if (f.lastFrameMs != null && f.nowMs - f.lastFrameMs > BRIDGE_SILENT_MS) {
    out.push({ cond: "BRIDGE_SILENT", prio: "H", text: `No message from the bridge for ${sec(f.nowMs - f.lastFrameMs)} s` });
  }
  if (f.snapshotMs != null) {
    const ref = f.lastRowMs ?? f.snapshotMs;
    const age = f.nowMs - ref;
    if (age > f.staleAfterMs) out.push({ cond: "DATA_STALE", prio: "M", text: `No new reading on this display for ${sec(age)} s` });
  }
  return out;
}

/** The parts of an alarm view this module fills in (dashboard-state's AlarmView has these fields). */
export interface LocalAlarm {
  key: string;
  source: "display";
  cond: string;
  ch: number;
  prio: "H" | "M" | "L";
  kind: "T";
  active: boolean;
  acked: boolean;
  latching: boolean;
  raisedAtMs: number;
  changedAtMs: number;
  /** No device time: the display raised it. */
  tMs: null;
  text: string;
  seenAtMs: number;
}

/**
 * Brings `alarms` (key "display:<cond>") in line with the conditions present: new ones raised
 * (unacknowledged), gone ones removed, texts refreshed. Returns what was raised and what cleared.
 */
export function syncLocalAlarms(alarms: Map<string, LocalAlarm>, conds: LocalAlarmCondition[], nowMs: number): { raised: LocalAlarm[]; cleared: LocalAlarm[] } {
  const raised: LocalAlarm[] = [];
  const cleared: LocalAlarm[] = [];
  const present = new Set<string>(conds.map((c) => c.cond));
  for (const c of conds) {
    const key = "display:" + c.cond;
    const cur = alarms.get(key);
    if (cur) {
      cur.text = c.text;
      continue;
    }
    const a: LocalAlarm = { key, source: "display", cond: c.cond, ch: -1, prio: c.prio, kind: "T", active: true, acked: false, latching: false, raisedAtMs: nowMs, changedAtMs: nowMs, tMs: null, text: c.text, seenAtMs: nowMs };
    alarms.set(key, a);
    raised.push(a);
  }
  for (const [key, a] of alarms) {
    if (present.has(a.cond)) continue;
    alarms.delete(key);
    a.changedAtMs = nowMs;
    cleared.push(a);
  }
  return { raised, cleared };
}
