// Caps every bridge buffer must respect, checked from outside (parser, history, alarm book, sequencers, per-client queues).
import { expect } from "vitest";
import type { Bridge } from "../../../host/bridge";
import { ALARM_HOLD_MAX } from "../../../host/core/alarm-sequencer";
import { MAX_TRACKED_MISSING } from "../../../host/core/reading-tracker";
import { MAX_DEVICE_ALARMS } from "../../../host/state/alarm-book";
import { HISTORY_MAX_ROWS } from "../../../host/state/history-ring";
import { MAX_PENDING_ROWS } from "../../../host/ws/fanout";
import { MAX_LINE_BYTES } from "../../../protocol";
import { HOST_CONDITIONS, type ReadingRow, type ServerMessage } from "../../../host/ws/ws-messages";

/** Most host alarms: one per host condition, DOSE_MISMATCH once per channel (8). */
export const HOST_ALARM_CAP = HOST_CONDITIONS.length - 1 + 8;
/** The history ring trims in batches of 500 rows (host/state/history-ring.ts). */
export const HISTORY_TRIM_BATCH = 500;

/** Asserts that every buffer of the bridge is within its cap. */
export function expectBounded(bridge: Bridge, where = ""): void {
  const l = bridge.link;
  const s = bridge.state;
  const caps = {
    parserPending: l.parser ? l.parser.assembler.pending : 0,
    history: s.history.length,
    deviceAlarms: s.alarms.list().filter((a) => a.source === "device").length,
    hostAlarms: s.alarms.list().filter((a) => a.source === "host").length,
    alarmHeld: l.alarms.heldCount,
    missing: l.tracker.missingCount,
    events: s.events.length,
    clientRows: Math.max(0, ...[...bridge.relay.fanout.clients].map((c) => c.pendingRows.length)),
  };
  const msg = where + " " + JSON.stringify(caps);
  expect(caps.parserPending, msg).toBeLessThanOrEqual(MAX_LINE_BYTES - 1);
  expect(caps.history, msg).toBeLessThanOrEqual(HISTORY_MAX_ROWS + HISTORY_TRIM_BATCH);
  expect(caps.deviceAlarms, msg).toBeLessThanOrEqual(MAX_DEVICE_ALARMS);
  expect(caps.hostAlarms, msg).toBeLessThanOrEqual(HOST_ALARM_CAP);
  expect(caps.alarmHeld, msg).toBeLessThanOrEqual(ALARM_HOLD_MAX);
  expect(caps.missing, msg).toBeLessThanOrEqual(MAX_TRACKED_MISSING);
  expect(caps.events, msg).toBeLessThanOrEqual(1000);
  expect(caps.clientRows, msg).toBeLessThanOrEqual(MAX_PENDING_ROWS);
}

/** Reading rows in the messages of a client, in arrival order. */
export function rowsOf(messages: ServerMessage[]): ReadingRow[] {
  const out: ReadingRow[] = [];
  for (const m of messages) if (m.type === "readings") for (const r of m.rows) out.push(r);
  return out;
}

/** Asserts seqs [from, to] each arrived exactly once (order aside); returns the count. */
export function expectEachSeqOnce(seqs: number[], from: number, to: number, what = "readings"): number {
  const seen = new Map<number, number>();
  for (const s of seqs) seen.set(s, (seen.get(s) ?? 0) + 1);
  const missing: number[] = [];
  const dup: number[] = [];
  for (let s = from; s <= to; s++) {
    const n = seen.get(s) ?? 0;
    if (n === 0) missing.push(s);
    if (n > 1) dup.push(s);
  }
  const stray = [...seen.keys()].filter((s) => s < from || s > to);
  expect({ missing: missing.slice(0, 20), missingCount: missing.length, dup: dup.slice(0, 20), stray: stray.slice(0, 20) }, what).toEqual({ missing: [], missingCount: 0, dup: [], stray: [] });
  return to - from + 1;
}
