// Procedure summary of a recording, aggregated record by record in bounded memory: peaks, time above thresholds, doses, alarms, events, case, link losses.
import { DEFAULT_LIMITS } from "../../protocol";
import { DoseAccumulator } from "../domain/dose-calc";
import type { Channel, DeviceInfo, Limits, ProcedureEvent } from "../domain/domain-schemas";
import { PlotBuckets } from "./plot-buckets";
import { CaseRecord, type CaseFields, type RecordLine } from "./record-types";
import { TimeOrderedQueue } from "./time-ordered-queue";

/** Thresholds of the "time above" columns, centi-degC: warn 40, intervene 42, stop 45 degC (IEC 60601-1-8 style escalation of the clinical limits). */
export const REPORT_THRESHOLDS_CC = [4000, 4200, 4500] as const;
/** Most channels a report covers (the protocol allows 8; a hostile file cannot make it allocate more). */
export const MAX_REPORT_CHANNELS = 16;
/** Most alarms, events, link losses, acknowledgements and case changes kept each (the rest counted). */
export const MAX_REPORT_ITEMS = 2000;
/** Readings and dose lines held to put late (resent) readings back in time order: 13.6 min at 10 Hz. */
export const REORDER_WINDOW = 8192;

/** The device's D line values kept per channel. */
export interface DeviceDose {
  t42Ms: number;
  t70Ms: number;
  cem43M: number;
  t42Pm: number;
  t70Pm: number;
  cem43Pm: number;
}

/** One channel's summary. */
export interface ChannelSummary {
  ch: number;
  label: string;
  role: Channel["role"] | "?";
  /** Where the probe sits (case record), null when not given. */
  placement: string | null;
  samples: number;
  faults: number;
  peakCc: number | null;
  peakAtMs: number | null;
  /** ms at or above each REPORT_THRESHOLDS_CC (same interval rule as the doses: hotter end of each interval). */
  aboveMs: number[];
  /** The device's last D line in this recording (nerve channels). */
  deviceDose: DeviceDose | null;
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
  /** Who acknowledged it: the client name of the accepted ack command, "a client" without a name, null when unknown (the device's own button). */
  ackedBy: string | null;
  clearedAtMs: number | null;
  /** Largest `value` seen (temperature cC, dose permille, ...) and the limit it was compared with. */
  peakValue: number;
  limit: number;
}

/** A stretch of time the link was not up. */
export interface LinkLoss {
  fromMs: number;
  toMs: number | null;
  state: string;
  cause: string | null;
}

/** A change of the case fields. */
export interface CaseChange {
  atMs: number;
  by: string | null;
  fields: CaseFields;
}

/** The case as the last case records left it. */
export interface CaseInfo {
  caseId: string | null;
  procedure: string | null;
  modality: string | null;
  modalityOther: string | null;
  operator: string | null;
}

export interface ReportData {
  device: DeviceInfo | null;
  session: string | null;
  case: CaseInfo;
  caseChanges: CaseChange[];
  channels: ChannelSummary[];
  limits: Limits;
  /** The earliest and latest record times. */
  startMs: number;
  endMs: number;
  /** Time of the first reading (offsets in the report count from it), null without readings. */
  firstReadingAtMs: number | null;
  alarms: AlarmEntry[];
  events: ProcedureEvent[];
  linkLosses: LinkLoss[];
  readingsLost: number;
  readingsResent: number;
  /** Readings later than the reorder window allowed: counted in peaks and samples, not in times above or doses. */
  readingsOutOfOrder: number;
  /** The recording ends with an end record (false: still being written, or the bridge stopped abruptly). */
  endedCleanly: boolean;
  /** A simulated device (demo or replay) made the recording. */
  simulated: boolean;
  /** Downsampled plot data (min / max per bucket and channel). */
  plot: PlotBuckets;
  commands: number;
  /** Records aggregated (valid or not). */
  records: number;
  /** Lines that are not a record, plus records whose fields make no sense. */
  unreadable: number;
  /** Alarms, events, link losses or case changes beyond MAX_REPORT_ITEMS (not listed). */
  itemsOmitted: number;
}

type Dline = { atMs: number; rank: 0; ch: number; tMs: number } & DeviceDose;
type Rline = { atMs: number; rank: 1; seq: number; tMs: number; v: unknown[] };

/** Per-channel running state. */
class ChannelAcc {
  samples = 0;
  faults = 0;
  peakCc: number | null = null;
  peakAtMs: number | null = null;
  aboveMs = REPORT_THRESHOLDS_CC.map(() => 0);
  prevCc: number | null = null;
  prevT = 0;
  prevAt = 0;
  deviceDose: DeviceDose | null = null;
  // Recomputation (first D line's value + the readings after it; rebased when the device's dose goes down).
  acc: DoseAccumulator | null = null;
  based = false;
  prevD: Dline | null = null;
  pendingD: Dline[] = [];
  lastCc: number | null = null;
  lastT = -1;
}

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Limits with every field a finite number (the defaults where the recording has nonsense). */
function limitsOf(l: Limits): Limits {
  const out = { ...DEFAULT_LIMITS };
  for (const k of Object.keys(out) as (keyof Limits)[]) if (isNum(l[k])) out[k] = l[k];
  return out;
}

/** A start record's device with the fields the report uses made sane (a recording is data, not trusted). */
function deviceOf(d: DeviceInfo): DeviceInfo {
  const n = (v: unknown, dflt: number) => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : dflt);
  const s = (v: unknown) => (typeof v === "string" ? v : "");
  return { ...d, deviceId: s(d.deviceId), fw: s(d.fw), bootId: s(d.bootId), channels: n(d.channels, 0), rateHz: n(d.rateHz, 10), session: typeof d.session === "string" ? d.session : null };
}
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** Aggregates a recording's records, fed in file order; `finish` gives the summary. Memory is bounded whatever the length. */
export class ReportBuilder {
  private device: DeviceInfo | null = null;
  private readonly channelInfo = new Map<number, Channel>();
  private limits: Limits = { ...DEFAULT_LIMITS };
  private readonly caseInfo: CaseInfo = { caseId: null, procedure: null, modality: null, modalityOther: null, operator: null };
  private readonly placements = new Map<number, string>();
  private readonly caseChanges: CaseChange[] = [];
  private readonly alarms = new Map<string, AlarmEntry>();
  private readonly acks: { atMs: number; key: string; by: string | null }[] = [];
  private readonly events: ProcedureEvent[] = [];
  private readonly linkLosses: LinkLoss[] = [];
  private readonly chans: ChannelAcc[] = [];
  private readonly plot = new PlotBuckets();
  private readonly queue = new TimeOrderedQueue<Dline | Rline>(REORDER_WINDOW, (it) => (it.rank === 0 ? this.onDose(it) : this.onReading(it)));
  private readingsLost = 0;
  private readingsResent = 0;
  private outOfOrder = 0;
  private endedCleanly = false;
  private simulated = false;
  private commands = 0;
  private records = 0;
  private unreadable = 0;
  private omitted = 0;
  private startMs = Infinity;
  private endMs = -Infinity;
  private firstReadingAtMs: number | null = null;
  private linkUp = true;

  /** Lines of the file that were not records at all (counted on the page). */
  addUnreadable(n: number): void {
    this.unreadable += n;
  }

  /** Adds one record. Records whose fields make no sense are counted, never thrown on. */
  add(r: RecordLine): void {
    this.records++;
    try {
      if (!this.take(r)) this.unreadable++;
    } catch {
      this.unreadable++;
    }
  }

  private keep<T>(list: T[], item: T): void {
    if (list.length < MAX_REPORT_ITEMS) list.push(item);
    else this.omitted++;
  }

  private take(r: RecordLine): boolean {
    if (!Number.isFinite(r.atMs)) return false;
    if (r.k !== "r") this.span(r.atMs);
    switch (r.k) {
      case "start": {
        this.endedCleanly = false; // a restarted bridge continued the file after an end record
        if (r.device && typeof r.device === "object") this.device = deviceOf(r.device);
        if (Array.isArray(r.channels)) for (const c of r.channels) this.setChannel(c);
        if (r.limits && typeof r.limits === "object") this.limits = limitsOf(r.limits);
        if (Array.isArray(r.alarms)) for (const a of r.alarms) this.onAlarm(r.atMs, "UPDATE", a);
        return true;
      }
      case "r": {
        if (!Number.isInteger(r.seq) || !isNum(r.tMs) || !Array.isArray(r.v)) return false;
        this.span(r.atMs);
        if (this.firstReadingAtMs === null || r.atMs < this.firstReadingAtMs) this.firstReadingAtMs = r.atMs;
        if (r.resent) this.readingsResent++;
        const item: Rline = { atMs: r.atMs, rank: 1, seq: r.seq, tMs: r.tMs, v: r.v };
        if (!this.queue.push(item)) {
          this.outOfOrder++;
          this.onReading(item, true);
        }
        return true;
      }
      case "dev": {
        const m = r.m as unknown as Record<string, unknown> | null;
        if (!m || typeof m !== "object") return false;
        if (m.type === "CH") return this.setChannel({ ch: m.ch, label: m.label, role: m.role, tc: m.tc, chip: m.chip } as Channel);
        if (m.type === "LM") {
          const { type: _t, seq: _s, ...l } = m;
          this.limits = limitsOf(l as unknown as Limits);
        } else if (m.type === "D") {
          if (!Number.isInteger(m.ch) || (m.ch as number) < 0 || (m.ch as number) >= MAX_REPORT_CHANNELS) return false;
          const nums = ["tMs", "t42Ms", "t70Ms", "cem43M", "t42Pm", "t70Pm", "cem43Pm"] as const;
          if (!nums.every((k) => isNum(m[k]))) return false;
          const d: Dline = { atMs: r.atMs, rank: 0, ch: m.ch as number, tMs: m.tMs as number, t42Ms: m.t42Ms as number, t70Ms: m.t70Ms as number, cem43M: m.cem43M as number, t42Pm: m.t42Pm as number, t70Pm: m.t70Pm as number, cem43Pm: m.cem43Pm as number };
          this.chan(d.ch).deviceDose = { t42Ms: d.t42Ms, t70Ms: d.t70Ms, cem43M: d.cem43M, t42Pm: d.t42Pm, t70Pm: d.t70Pm, cem43Pm: d.cem43Pm };
          if (!this.queue.push(d)) this.onDose(d);
        } else if (m.type === "HI") {
          const prev = this.device;
          const base: DeviceInfo = prev ?? { deviceId: "", fw: "", bootId: "", major: 0, minor: 0, channels: 0, rateHz: 10, session: null, schemaHash: "", schemaMatches: true, restored: false, port: null };
          this.device = deviceOf({ ...base, deviceId: m.deviceId, fw: m.fw, channels: m.channels, rateHz: m.rateHz, session: m.session === "-" ? null : m.session } as DeviceInfo);
        }
        return true;
      }
      case "alarm":
        return this.onAlarm(r.atMs, r.action, r.alarm);
      case "event": {
        const e = r.event as Partial<ProcedureEvent> | null;
        if (!e || typeof e.text !== "string") return false;
        this.keep(this.events, { atMs: isNum(e.atMs) ? e.atMs : r.atMs, text: e.text, source: e.source === "host" ? "host" : "client" });
        return true;
      }
      case "case": {
        const c = CaseRecord.safeParse(r);
        if (!c.success) return false;
        const f = c.data.fields;
        for (const k of ["caseId", "procedure", "modality", "modalityOther", "operator"] as const) if (f[k] !== undefined) this.caseInfo[k] = f[k] ?? null;
        for (const p of f.placements ?? []) {
          if (p.placement === null) this.placements.delete(p.ch);
          else this.placements.set(p.ch, p.placement);
        }
        this.keep(this.caseChanges, { atMs: r.atMs, by: c.data.by ?? null, fields: f });
        return true;
      }
      case "link": {
        const state = str(r.link?.state);
        if (state === null) return false;
        const up = state === "up";
        const counts = state !== "closed" && state !== "connecting";
        if (this.linkUp && !up && counts) this.keep(this.linkLosses, { fromMs: r.atMs, toMs: null, state: state, cause: str(r.link.error?.message) });
        const last = this.linkLosses[this.linkLosses.length - 1];
        if (!this.linkUp && up && last && last.toMs === null) last.toMs = r.atMs;
        if (counts) this.linkUp = up;
        return true;
      }
      case "lost":
        if (!isNum(r.count) || r.count < 0) return false;
        this.readingsLost += r.count;
        return true;
      case "cmd": {
        this.commands++;
        const c = r.command as { name?: unknown; alarmKey?: unknown } | null;
        if (c?.name === "ack" && typeof c.alarmKey === "string" && (r.outcome === "ACK" || r.outcome === "LOCAL")) this.keep(this.acks, { atMs: r.atMs, key: c.alarmKey, by: str(r.by) });
        return true;
      }
      case "end":
        this.endedCleanly = true;
        return true;
      default:
        return false;
    }
  }

  private span(atMs: number): void {
    if (atMs < this.startMs) this.startMs = atMs;
    if (atMs > this.endMs) this.endMs = atMs;
  }

  private setChannel(c: Channel): boolean {
    if (!c || !Number.isInteger(c.ch) || c.ch < 0 || c.ch >= MAX_REPORT_CHANNELS) return false;
    this.channelInfo.set(c.ch, { ch: c.ch, label: String(c.label ?? "ch" + c.ch), role: c.role, tc: c.tc, chip: c.chip });
    if (c.tc === "SIM" || c.chip === "SIM") this.simulated = true;
    return true;
  }

  private chan(ch: number): ChannelAcc {
    while (this.chans.length <= ch) this.chans.push(new ChannelAcc());
    return this.chans[ch];
  }

  private onAlarm(atMs: number, action: unknown, a: unknown): boolean {
    const x = a as Partial<AlarmEntry> & { value?: unknown; acked?: unknown; raisedAtMs?: unknown };
    if (!x || typeof x.key !== "string" || typeof x.cond !== "string") return false;
    let e = this.alarms.get(x.key);
    if (!e) {
      if (this.alarms.size >= MAX_REPORT_ITEMS) {
        this.omitted++;
        return true;
      }
      const prio = x.prio === "H" || x.prio === "M" ? x.prio : "L";
      e = { key: x.key, source: x.source === "host" ? "host" : "device", cond: x.cond, prio: prio, ch: isNum(x.ch) ? x.ch : -1, text: String(x.text ?? ""), raisedAtMs: isNum(x.raisedAtMs) ? x.raisedAtMs : atMs, ackedAtMs: null, ackedBy: null, clearedAtMs: null, peakValue: isNum(x.value) ? x.value : 0, limit: isNum(x.limit) ? x.limit : 0 };
      this.alarms.set(x.key, e);
    }
    if (isNum(x.value) && x.value > e.peakValue) {
      e.peakValue = x.value;
      e.text = String(x.text ?? e.text);
    }
    if (x.acked === true && e.ackedAtMs === null) e.ackedAtMs = atMs;
    if (action === "CLEAR") e.clearedAtMs = atMs;
    return true;
  }

  /** A D line in time order: applied to the recomputation at the next reading (as the device's line came before it). */
  private onDose(d: Dline): void {
    this.chan(d.ch).pendingD.push(d);
    const c = this.chans[d.ch];
    if (c.pendingD.length > 64) c.pendingD.shift();
  }

  private onReading(r: Rline, late = false): void {
    const n = Math.min(r.v.length, MAX_REPORT_CHANNELS);
    const nCh = Math.max(n, this.chans.length);
    for (let ch = 0; ch < nCh; ch++) {
      const c = this.chan(ch);
      const v = r.v[ch];
      const valid = isNum(v);
      if (valid) {
        c.samples++;
        if (c.peakCc === null || v > c.peakCc) {
          c.peakCc = v;
          c.peakAtMs = r.atMs;
        }
        this.plot.add(ch, r.atMs, v);
      } else if (v !== undefined && v !== null) c.faults++;
      if (late) continue;
      if (valid) {
        if (c.prevCc !== null) {
          const dt = r.tMs > c.prevT ? r.tMs - c.prevT : r.atMs - c.prevAt; // device clock within a boot
          const hot = Math.max(c.prevCc, v);
          for (let i = 0; i < REPORT_THRESHOLDS_CC.length; i++) if (hot >= REPORT_THRESHOLDS_CC[i]) c.aboveMs[i] += dt;
        }
        c.prevCc = v;
        c.prevT = r.tMs;
        c.prevAt = r.atMs;
      }
      this.recompute(c, r.tMs, valid ? v : null);
    }
  }

  /** The first D line's totals plus the readings after it; rebased when the device's dose goes down (session START). */
  private recompute(c: ChannelAcc, tMs: number, v: number | null): void {
    if (c.pendingD.length > 0) {
      for (const d of c.pendingD) {
        const p = c.prevD;
        if (!c.based || (p && (d.t42Ms < p.t42Ms || d.cem43M < p.cem43M))) {
          c.acc ??= new DoseAccumulator();
          c.acc.rebase(d, d.tMs, c.lastT === d.tMs ? c.lastCc : null);
          c.based = true;
        }
        c.prevD = d;
      }
      c.pendingD.length = 0;
    }
    if (c.lastT >= 0 && tMs < c.lastT - 1000) c.based = false; // the device rebooted: its clock restarted; rebase at the next D line
    if (c.based) c.acc!.add(tMs, v);
    if (v !== null) {
      c.lastCc = v;
      c.lastT = tMs;
    }
  }

  /** The summary of everything added. */
  finish(): ReportData {
    this.queue.drain();
    const nCh = Math.min(MAX_REPORT_CHANNELS, Math.max(this.device?.channels ?? 0, this.chans.length, this.channelInfo.size ? Math.max(...this.channelInfo.keys()) + 1 : 0));
    const channels: ChannelSummary[] = [];
    for (let ch = 0; ch < nCh; ch++) {
      const info = this.channelInfo.get(ch);
      const c = this.chans[ch] ?? new ChannelAcc();
      channels.push({
        ch: ch,
        label: info?.label ?? "ch" + ch,
        role: info?.role ?? "?",
        placement: this.placements.get(ch) ?? null,
        samples: c.samples,
        faults: c.faults,
        peakCc: c.peakCc,
        peakAtMs: c.peakAtMs,
        aboveMs: c.aboveMs,
        deviceDose: c.deviceDose,
        recomputed: c.deviceDose && c.based && c.acc ? { t42Ms: c.acc.t42Ms, t70Ms: c.acc.t70Ms, cem43M: c.acc.cem43M } : null,
      });
    }
    const alarms = [...this.alarms.values()].sort((a, b) => a.raisedAtMs - b.raisedAtMs);
    for (const a of alarms) {
      if (a.ackedAtMs === null) continue;
      // The accepted ack command closest before the acknowledgement (the device's answer follows the command).
      let best: { atMs: number; by: string | null } | null = null;
      for (const k of this.acks) if ((k.key === a.key || k.key === "*") && k.atMs <= a.ackedAtMs + 1000 && (!best || k.atMs > best.atMs)) best = k;
      a.ackedBy = best ? (best.by ?? "a client") : null;
    }
    return {
      device: this.device,
      session: this.device?.session ?? null,
      case: { ...this.caseInfo },
      caseChanges: this.caseChanges,
      channels: channels,
      limits: this.limits,
      startMs: Number.isFinite(this.startMs) ? this.startMs : 0,
      endMs: Number.isFinite(this.endMs) ? this.endMs : 0,
      firstReadingAtMs: this.firstReadingAtMs,
      alarms: alarms,
      events: this.events,
      linkLosses: this.linkLosses,
      readingsLost: this.readingsLost,
      readingsResent: this.readingsResent,
      readingsOutOfOrder: this.outOfOrder,
      endedCleanly: this.endedCleanly,
      simulated: this.simulated,
      plot: this.plot,
      commands: this.commands,
      records: this.records,
      unreadable: this.unreadable,
      itemsOmitted: this.omitted,
    };
  }
}

/** The summary of records already in memory (tests, small files). */
export function summarise(records: readonly RecordLine[]): ReportData {
  const b = new ReportBuilder();
  for (const r of records) b.add(r);
  return b.finish();
}
