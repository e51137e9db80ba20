// window.__thermoguard: a small read-only view of the page's state for the end-to-end test.
import type { AlarmAudio } from "./alarm-audio";
import type { ChannelChart } from "./channel-chart";
import type { AlarmView, DashboardState } from "./dashboard-state";
import type { BridgeSocket } from "./ws-client";

export interface TestHookDeps {
  state: DashboardState;
  sock: BridgeSocket;
  rows: () => ChannelChart[];
  alarms: () => AlarmView[];
  shownAtMs: Map<string, number>;
  bad: { count: number };
  audio: AlarmAudio;
}

/** What the test reads; plain JSON-able values only. */
export interface TestHook {
  /** Non-null points in each chart's uPlot data, in channel order. */
  chartPoints(): number[];
  /** First received reading at or above `cc` on channel `ch`: seq, device tMs, atMs, local receive ms. */
  crossing(ch: number, cc: number): { seq: number; tMs: number; atMs: number; recvMs: number } | null;
  /** Alarms shown, with the local ms their list entry entered the DOM. */
  alarms(): (Pick<AlarmView, "key" | "cond" | "prio" | "ch" | "active" | "acked" | "source" | "raisedAtMs" | "changedAtMs" | "seenAtMs"> & { shownAtMs: number | null })[];
  link(): { wsOpen: boolean; state: string | null; control: boolean };
  /** Limits in force (centi-degC etc.), from the snapshot / device messages. */
  limits(): DashboardState["limits"];
  /** Device time (tMs) at wall-clock `atMs`, interpolated between the received readings (same clock map). */
  tMsAt(atMs: number): number | null;
  /** Device time (tMs) of the newest reading held, or null. */
  newestTMs(): number | null;
  badMessages(): number;
  audio(): string;
}

declare global {
  interface Window {
    __thermoguard?: TestHook;
  }
}

export function installTestHook(d: TestHookDeps): void {
  window.__thermoguard = {
    chartPoints: () => d.rows().map((c) => c.points()),
    crossing: (ch, cc) => d.state.crossing(ch, cc),
    alarms: () =>
      d.alarms().map((a) => ({
        key: a.key, cond: a.cond, prio: a.prio, ch: a.ch, active: a.active, acked: a.acked, source: a.source,
        raisedAtMs: a.raisedAtMs, changedAtMs: a.changedAtMs, seenAtMs: a.seenAtMs, shownAtMs: d.shownAtMs.get(a.key) ?? null,
      })),
    link: () => ({ wsOpen: d.sock.open, state: d.state.link?.state ?? null, control: d.state.control }),
    limits: () => d.state.limits,
    tMsAt: (atMs) => tMsAt(d.state, atMs),
    newestTMs: () => (d.state.history.length ? d.state.history.tMs[d.state.history.length - 1]! : null),
    badMessages: () => d.bad.count,
    audio: () => d.audio.state(Date.now()),
  };
}

function tMsAt(s: DashboardState, atMs: number): number | null {
  const h = s.history;
  const n = h.length;
  if (n === 0) return null;
  let i = 0;
  while (i < n && h.atMs[i]! < atMs) i++;
  if (i === 0) return h.tMs[0]! - (h.atMs[0]! - atMs);
  if (i === n) return h.tMs[n - 1]! + (atMs - h.atMs[n - 1]!);
  const a0 = h.atMs[i - 1]!;
  const a1 = h.atMs[i]!;
  const t0 = h.tMs[i - 1]!;
  const t1 = h.tMs[i]!;
  return a1 === a0 ? t0 : t0 + ((t1 - t0) * (atMs - a0)) / (a1 - a0);
}
