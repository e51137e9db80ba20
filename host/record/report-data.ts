// Procedure summary computed from a recording: per-channel peaks, time above thresholds, doses, alarms, events, link losses.
import { DEFAULT_LIMITS } from "../../protocol";
import { DoseAccumulator } from "../domain/dose-calc";
import type { Channel, DeviceInfo, Limits, ProcedureEvent } from "../domain/domain-schemas";
import type { AlarmRecord, ReadingRecord, RecordLine } from "./record-types";

/** Thresholds of the "time above" columns, centi-degC (clinical.md: warn 40, intervene 42, stop 45 degC). */
export const REPORT_THRESHOLDS_CC = [4000, 4200, 4500] as const;

/** One channel's summary. */
export interface ChannelSummary {
  ch: number;
  label: string;
  role: Channel["role"] | "?";
  samples: number;
  faults: number;
  peakCc: number | null;
  peakAtMs: number | null;
  /** ms at or above each REPORT_THRESHOLDS_CC (same interval rule as the doses: hotter end of each interval). */
  aboveMs: number[];
  /** The device's last D line in this recording (nerve channels). */
  deviceDose: { t42Ms: number; t70Ms: number; cem43M: number; t42Pm: number; t70Pm: number; cem43Pm: number } | null;
  /** The bridge's recomputation: the first D line's value plus the recorded readings after it. */
  recomputed: { t42Ms: number; t70Ms: number; cem43M: number } | null;
}

/** One alarm's life. */
export interface AlarmEntry {
  key: string;
  source: "device" | "host";
  cond: string;
  prio: "H" | "M" | "L";
  ch: number;
  text: string;
  raisedAtMs: number;
  ackedAtMs: number | null;
  clearedAtMs: number | null;
  /** Largest `value` seen (temperature cC, dose permille, ...). */
  peakValue: number;
}

/** A stretch of time the link was not up. */
export interface LinkLoss {
  fromMs: number;
  toMs: number | null;
  state: string;
  cause: string | null;
}

export interface ReportData {
  device: DeviceInfo | null;
  session: string | null;
  channels: ChannelSummary[];
  limits: Limits;
  startMs: number;
  endMs: number;
  alarms: AlarmEntry[];
  events: ProcedureEvent[];
  linkLosses: LinkLoss[];
  readingsLost: number;
  readingsResent: number;
  /** The recording ends with an end record (false: the bridge stopped abruptly). */
  endedCleanly: boolean;
  /** Readings for the plot, in time order. */
  readings: ReadingRecord[];
  commands: number;
}

function hotterEndAbove(prevCc: number, cc: number, thresholdCc: number): boolean {
  return Math.max(prevCc, cc) >= thresholdCc;
}

/** Computes the summary of one recording's records. */
export function summarise(records: readonly RecordLine[]): ReportData {
  let device: DeviceInfo | null = null;
  const channels = new Map<number, Channel>();
  let limits: Limits = { ...DEFAULT_LIMITS };
  const readings: ReadingRecord[] = [];
  const alarms = new Map<string, AlarmEntry>();
  const events: ProcedureEvent[] = [];
  const linkLosses: LinkLoss[] = [];
  const doseLines: { atMs: number; ch: number; tMs: number; t42Ms: number; t70Ms: number; cem43M: number; t42Pm: number; t70Pm: number; cem43Pm: number }[] = [];
  let readingsLost = 0;
  let endedCleanly = false;
  let commands = 0;
  let startMs = Infinity;
  let endMs = -Infinity;
  let linkUp = true;

  const onAlarm = (r: AlarmRecord) => {
    const a = r.alarm;
    let e = alarms.get(a.key);
    if (!e) {
      e = { key: a.key, source: a.source, cond: a.cond, prio: a.prio, ch: a.ch, text: a.text, raisedAtMs: a.raisedAtMs, ackedAtMs: null, clearedAtMs: null, peakValue: a.value };
      alarms.set(a.key, e);
    }
    if (a.value > e.peakValue) {
      e.peakValue = a.value;
      e.text = a.text;
    }
    if (a.acked && e.ackedAtMs === null) e.ackedAtMs = r.atMs;
    if (r.action === "CLEAR") e.clearedAtMs = r.atMs;
  };

  for (const r of records) {
    startMs = Math.min(startMs, r.atMs);
    endMs = Math.max(endMs, r.atMs);
    switch (r.k) {
      case "start":
        endedCleanly = false; // a restarted bridge continued the file after an end record
        device = r.device ?? device;
        for (const c of r.channels) channels.set(c.ch, c);
        if (r.limits) limits = r.limits;
        for (const a of r.alarms) onAlarm({ k: "alarm", atMs: r.atMs, action: "UPDATE", alarm: a });
        break;
      case "r":
        readings.push(r);
        break;
      case "dev": {
        const m = r.m;
        if (m.type === "CH") channels.set(m.ch, { ch: m.ch, label: m.label, role: m.role, tc: m.tc, chip: m.chip });
        else if (m.type === "LM") {
          const { type: _t, seq: _s, ...l } = m;
          limits = l;
        } else if (m.type === "D") doseLines.push({ atMs: r.atMs, ch: m.ch, tMs: m.tMs, t42Ms: m.t42Ms, t70Ms: m.t70Ms, cem43M: m.cem43M, t42Pm: m.t42Pm, t70Pm: m.t70Pm, cem43Pm: m.cem43Pm });
        else if (m.type === "HI") {
          const prev = device as DeviceInfo | null;
          const base: DeviceInfo = prev ?? { deviceId: "", fw: "", bootId: "", major: m.major, minor: m.minor, channels: m.channels, rateHz: m.rateHz, session: null, schemaHash: "", schemaMatches: true, restored: m.restored === 1, port: null };
          device = { ...base, deviceId: m.deviceId, fw: m.fw, channels: m.channels, rateHz: m.rateHz, session: m.session === "-" ? null : m.session };
        }
        break;
      }
      case "alarm":
        onAlarm(r);
        break;
      case "event":
        events.push(r.event);
        break;
      case "link": {
        const up = r.link.state === "up";
        if (linkUp && !up && r.link.state !== "closed" && r.link.state !== "connecting") linkLosses.push({ fromMs: r.atMs, toMs: null, state: r.link.state, cause: r.link.error?.message ?? null });
        if (!linkUp && up && linkLosses.length > 0 && linkLosses[linkLosses.length - 1].toMs === null) linkLosses[linkLosses.length - 1].toMs = r.atMs;
        if (r.link.state !== "closed" && r.link.state !== "connecting") linkUp = up;
        break;
      }
      case "lost":
        readingsLost += r.count;
        break;
      case "cmd":
        commands++;
        break;
      case "end":
        endedCleanly = true;
        break;
    }
  }
  readings.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);

  const nCh = Math.max(device?.channels ?? 0, channels.size, ...readings.map((r) => r.v.length));
  const summaries: ChannelSummary[] = [];
  for (let ch = 0; ch < nCh; ch++) {
    const info = channels.get(ch);
    const s: ChannelSummary = { ch, label: info?.label ?? "ch" + ch, role: info?.role ?? "?", samples: 0, faults: 0, peakCc: null, peakAtMs: null, aboveMs: REPORT_THRESHOLDS_CC.map(() => 0), deviceDose: null, recomputed: null };
    let prevCc: number | null = null;
    let prevT = 0;
    let prevAt = 0;
    for (const r of readings) {
      const v = r.v[ch];
      if (typeof v !== "number") {
        if (v !== undefined) s.faults++;
        continue;
      }
      s.samples++;
      if (s.peakCc === null || v > s.peakCc) {
        s.peakCc = v;
        s.peakAtMs = r.atMs;
      }
      if (prevCc !== null) {
        const dt = r.tMs > prevT ? r.tMs - prevT : r.atMs - prevAt; // device clock within a boot
        REPORT_THRESHOLDS_CC.forEach((th, i) => {
          if (hotterEndAbove(prevCc!, v, th)) s.aboveMs[i] += dt;
        });
      }
      prevCc = v;
      prevT = r.tMs;
      prevAt = r.atMs;
    }
    const ds = doseLines.filter((d) => d.ch === ch);
    if (ds.length > 0) {
      const last = ds[ds.length - 1];
      s.deviceDose = { t42Ms: last.t42Ms, t70Ms: last.t70Ms, cem43M: last.cem43M, t42Pm: last.t42Pm, t70Pm: last.t70Pm, cem43Pm: last.cem43Pm };
      s.recomputed = recompute(ch, ds, readings);
    }
    summaries.push(s);
  }
  return {
    device,
    session: device?.session ?? null,
    channels: summaries,
    limits,
    startMs: Number.isFinite(startMs) ? startMs : 0,
    endMs: Number.isFinite(endMs) ? endMs : 0,
    alarms: [...alarms.values()].sort((a, b) => a.raisedAtMs - b.raisedAtMs),
    events,
    linkLosses,
    readingsLost,
    readingsResent: readings.filter((r) => r.resent).length,
    endedCleanly,
    readings,
    commands,
  };
}

/** First D line's totals + integration of the readings after it (rebased when the device's dose goes down: session START). */
function recompute(ch: number, ds: { atMs: number; tMs: number; t42Ms: number; t70Ms: number; cem43M: number }[], readings: ReadingRecord[]) {
  const acc = new DoseAccumulator();
  let di = 0;
  let lastCc: number | null = null;
  let lastT = -1;
  const rebase = (d: (typeof ds)[number]) => acc.rebase(d, d.tMs, lastT === d.tMs ? lastCc : null);
  let based = false;
  let prev: (typeof ds)[number] | null = null;
  for (const r of readings) {
    while (di < ds.length && ds[di].atMs <= r.atMs) {
      const d = ds[di++];
      if (!based || (prev && (d.t42Ms < prev.t42Ms || d.cem43M < prev.cem43M))) {
        rebase(d);
        based = true;
      }
      prev = d;
    }
    const v = r.v[ch];
    if (lastT >= 0 && r.tMs < lastT - 1000) based = false; // the device rebooted: its clock restarted; rebase at the next D line
    if (!based) {
      if (typeof v === "number") {
        lastCc = v;
        lastT = r.tMs;
      }
      continue;
    }
    acc.add(r.tMs, typeof v === "number" ? v : null);
    if (typeof v === "number") {
      lastCc = v;
      lastT = r.tMs;
    }
  }
  return based ? { t42Ms: acc.t42Ms, t70Ms: acc.t70Ms, cem43M: acc.cem43M } : null;
}
