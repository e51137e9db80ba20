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
  alarms(): (Pick<AlarmView, "key" | "cond" | "prio" | "ch" | "active" | "acked" | "source" | "raisedAtMs" | "changedAtMs" | "tMs" | "seenAtMs"> & { shownAtMs: number | null })[];
  link(): { wsOpen: boolean; state: string | null; control: boolean };
  /** Limits in force (centi-degC etc.), from the snapshot / device messages. */
  limits(): DashboardState["limits"];
  /** Device time (tMs) of the newest reading held, or null. */
  newestTMs(): number | null;
  badMessages(): number;
  audio(): string;
  /** uPlot series per chart (x, temperature, and the rate of rise when shown). */
  chartSeries(): number[];
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
        raisedAtMs: a.raisedAtMs, changedAtMs: a.changedAtMs, tMs: a.tMs, seenAtMs: a.seenAtMs, shownAtMs: d.shownAtMs.get(a.key) ?? null,
      })),
    link: () => ({ wsOpen: d.sock.open, state: d.state.link?.state ?? null, control: d.state.control }),
    limits: () => d.state.limits,
    newestTMs: () => (d.state.history.length ? d.state.history.tMs[d.state.history.length - 1]! : null),
    badMessages: () => d.bad.count,
    audio: () => d.audio.state(Date.now()),
    chartSeries: () => d.rows().map((c) => c.u.series.length),
  };
}
