// The dashboard's model: everything the bridge told us, folded from validated server messages; no DOM.
import type {
  Alarm, AlarmLogEntry, CaseMsg, Channel, ChannelValue, Counters, DeviceInfo, DeviceStatus, Dose, Limits, Link, ProcedureEvent, Recording, ServerMessage,
} from "../ws/ws-messages";
import { HistoryBuffer, toDegC } from "./history-buffer";

type CaseFields = CaseMsg["fields"];
import { fmtClock, prettyText } from "./format";

/** Longest log kept on the page. */
export const LOG_CAP = 500;

/** An alarm as displayed: the bridge's Alarm, or one this display raised ("display" source). */
export interface AlarmView {
  key: string;
  source: "device" | "host" | "display";
  cond: string;
  ch: number;
  prio: "H" | "M" | "L";
  kind: "P" | "T";
  active: boolean;
  acked: boolean;
  latching: boolean;
  raisedAtMs: number;
  changedAtMs: number;
  /** Device ms of the A line that raised / last changed it (the crossing reading's tMs); null for bridge and display alarms. */
  tMs: number | null;
  text: string;
  /** The alarm's value, limit and info (meaning by condition: PROTOCOL.md section 4); absent for this display's own. */
  value?: number;
  limit?: number;
  info?: number;
  /** Local ms when this page first learnt of the alarm. */
  seenAtMs: number;
}

export interface LogEntry {
  atMs: number;
  /** Device ms (since its boot) of a device alarm's transition, shown next to the wall-clock time. */
  tMs?: number | null;
  kind: "alarm" | "event" | "link" | "display" | "command";
  prio: "H" | "M" | "L" | null;
  text: string;
}

/** Newest value of one channel. */
export interface LatestValue {
  value: ChannelValue;
  atMs: number;
  tMs: number;
  /** Local receive time. */
  recvMs: number;
  /** Local ms of the newest rejected spike (SP) after this value: the value stays, with a small marker. */
  spikeAtMs?: number;
}

/** A rejected spike is marked beside the kept value for this long, ms. */
export const SPIKE_MARK_MS = 3000;

export const PRIO_RANK = { H: 3, M: 2, L: 1 } as const;

/** Which parts of the page need redrawing; views clear their own flag. */
export interface Dirty {
  layout: boolean;
  chart: boolean;
  channels: boolean;
  alarms: boolean;
  header: boolean;
  log: boolean;
  tech: boolean;
}

export function alarmView(a: Alarm, seenAtMs: number): AlarmView {
  return { ...a, text: prettyText(a.text), seenAtMs };
}

export class DashboardState {
  snapshotMs: number | null = null;
  control = false;
  device: DeviceInfo | null = null;
  channels: Channel[] = [];
  limits: Limits | null = null;
  link: Link | null = null;
  status: DeviceStatus | null = null;
  counters: Counters | null = null;
  recording: Recording | null = null;
  /** Bridge clock minus local clock, ms (from snapshot / status `atMs`; includes transport delay). */
  bridgeOffsetMs = 0;
  events: ProcedureEvent[] = [];
  /** The case fields the bridge holds (snapshot, case messages). */
  caseFields: CaseFields = {};
  doses = new Map<number, Dose>();
  alarms = new Map<string, AlarmView>();
  log: LogEntry[] = [];
  history = new HistoryBuffer();
  latest: (LatestValue | null)[] = [];
  /** Highest valid temperature seen per channel in the history held, degC. */
  peakC: (number | null)[] = [];
  lastRowMs: number | null = null;
  lastFrameMs: number | null = null;
  rowsReceived = 0;
  dirty: Dirty = { layout: true, chart: true, channels: true, alarms: true, header: true, log: true, tech: true };
  private logKeys = new Set<string>();

  /** Records that a frame arrived (valid or not): the bridge is alive. */
  frameArrived(nowMs: number): void {
    this.lastFrameMs = nowMs;
  }

  /**
   * Folds one validated message into the model. Returns alarms that are new to this page (raised, or
   * first seen in a snapshot), for the sound and the screen-reader announcement.
   */
  apply(m: ServerMessage, nowMs: number): AlarmView[] {
    const fresh: AlarmView[] = [];
    switch (m.type) {
      case "snapshot": {
        const known = this.alarms;
        this.snapshotMs = nowMs;
        this.control = m.control;
        this.bridgeOffsetMs = m.atMs - nowMs;
        this.setDevice(m.device, m.channels, m.limits, true);
        this.history.load(m.history, m.channels.length, nowMs);
        this.rowsReceived += this.history.length;
        this.latest = m.channels.map(() => null);
        const n = this.history.length;
        if (n > 0) {
          for (let c = 0; c < m.channels.length; c++) {
            const col = m.history.valuesCc[c] ?? [];
            // The newest value that is not a rejected spike (a spike keeps the value before it).
            let i = col.length - 1;
            while (i > 0 && col[i] === "SP") i--;
            const v = col[i];
            if (v !== undefined) this.latest[c] = { value: v, atMs: m.history.atMs[i]!, tMs: m.history.tMs[i]!, recvMs: nowMs };
          }
          // A snapshot's newest row is as old as the bridge says, not "just received": age it by the bridge's clock.
          const ageMs = Math.max(0, m.atMs - this.history.atMs[n - 1]!);
          for (const l of this.latest) if (l) l.recvMs = nowMs - ageMs;
          this.lastRowMs = nowMs - ageMs;
        } else this.lastRowMs = null;
        this.recomputePeaks();
        // The bridge's recent transitions first (alarms raised and cleared before this page connected),
        // then a line for each current alarm the log does not reach back to.
        const logged = this.replayAlarmLog(m.alarmLog);
        this.alarms = new Map();
        for (const a of m.alarms) {
          const prev = known.get(a.key);
          const v = alarmView(a, prev?.seenAtMs ?? nowMs);
          this.alarms.set(a.key, v);
          if (!prev) fresh.push(v);
          if (!logged.has(a.key)) this.logAlarm(prev ? "UPDATE" : "ACTIVE", v);
        }
        this.doses = new Map(m.doses.map((d) => [d.ch, d]));
        this.setLink(m.link, nowMs);
        this.status = m.status;
        this.counters = m.counters;
        this.recording = m.recording;
        this.events = m.events.slice(-LOG_CAP);
        this.caseFields = m.case ?? {};
        for (const e of m.events) this.addLog({ atMs: e.atMs, kind: "event", prio: null, text: "Event: " + e.text });
        this.markAll();
        break;
      }
      case "readings":
        for (const r of m.rows) {
          if (!this.history.push(r, nowMs)) continue;
          this.rowsReceived++;
          this.lastRowMs = nowMs;
          for (let c = 0; c < this.channels.length; c++) {
            const v = r.valuesCc[c];
            if (v === undefined) continue;
            const cur = this.latest[c];
            // A rejected spike (SP) is one sample the device's filter threw away: the last value stands, marked.
            if (v === "SP" && cur && typeof cur.value === "number") {
              if (r.atMs >= cur.atMs) cur.spikeAtMs = nowMs;
            } else if (!cur || r.atMs >= cur.atMs) this.latest[c] = { value: v, atMs: r.atMs, tMs: r.tMs, recvMs: nowMs };
            const t = toDegC(v);
            if (t != null && (this.peakC[c] == null || t > this.peakC[c]!)) this.peakC[c] = t;
          }
        }
        this.dirty.chart = this.dirty.channels = true;
        break;
      case "dose":
        for (const d of m.doses) this.doses.set(d.ch, d);
        this.dirty.channels = true;
        break;
      case "alarm": {
        const prev = this.alarms.get(m.alarm.key);
        const v = alarmView(m.alarm, prev?.seenAtMs ?? nowMs);
        if (m.action === "CLEAR") this.alarms.delete(v.key);
        else this.alarms.set(v.key, v);
        if (!prev && m.action !== "CLEAR") fresh.push(v);
        // An UPDATE that only refreshes a value (a device restatement after HELLO) is not worth a log line.
        if (m.action !== "UPDATE" || !prev || prev.active !== v.active || prev.acked !== v.acked) this.logAlarm(m.action, v);
        this.dirty.alarms = this.dirty.channels = this.dirty.chart = true;
        break;
      }
      case "link":
        this.setLink(m.link, nowMs);
        break;
      case "device":
        this.setDevice(m.device, m.channels, m.limits, false);
        break;
      case "status":
        this.bridgeOffsetMs = m.atMs - nowMs;
        this.status = m.status;
        this.counters = m.counters;
        this.recording = m.recording;
        this.dirty.header = this.dirty.tech = true;
        break;
      case "event":
        this.events.push(m.event);
        if (this.events.length > LOG_CAP) this.events.splice(0, this.events.length - LOG_CAP);
        this.addLog({ atMs: m.event.atMs, kind: "event", prio: null, text: "Event: " + m.event.text });
        this.dirty.chart = true;
        break;
      case "case":
        this.caseFields = m.fields;
        this.dirty.header = true;
        break;
      case "auth":
        this.control = m.control;
        this.dirty.header = true;
        break;
      case "commandResult":
      case "error":
        break; // answered by the command tracker
    }
    return fresh;
  }

  /** Appends a log line unless the same line is already there. */
  addLog(e: LogEntry): void {
    const k = e.atMs + "|" + e.text;
    if (this.logKeys.has(k)) return;
    this.logKeys.add(k);
    this.log.push(e);
    if (this.log.length > LOG_CAP * 1.2) {
      for (const old of this.log.splice(0, this.log.length - LOG_CAP)) this.logKeys.delete(old.atMs + "|" + old.text);
    }
    this.dirty.log = true;
  }

  logAlarm(action: string, a: AlarmView): void {
    const when = action === "RAISE" || action === "ACTIVE" ? a.raisedAtMs : a.changedAtMs;
    const state = action === "ACTIVE" ? (a.active ? "active" : "latched") : action.toLowerCase();
    // ACTIVE (from a snapshot) is logged at raisedAtMs, but tMs is the device time of the last change: shown only when they agree.
    const tMs = action === "ACTIVE" && a.raisedAtMs !== a.changedAtMs ? null : a.tMs;
    this.addLog({ atMs: when, tMs, kind: "alarm", prio: a.prio, text: `${a.cond} ${state} (${a.source}): ${a.text}` });
  }

  /**
   * Logs the snapshot's alarm transitions like live ones (same lines, so a resync adds no duplicates;
   * value-only UPDATEs skipped). Returns the keys it logged.
   */
  private replayAlarmLog(entries: AlarmLogEntry[]): Set<string> {
    const last = new Map<string, AlarmLogEntry>();
    for (const e of entries) {
      const p = last.get(e.key);
      last.set(e.key, e);
      if (e.action === "UPDATE" && p && p.active === e.active && p.acked === e.acked) continue;
      this.addLog({ atMs: e.atMs, tMs: e.tMs, kind: "alarm", prio: e.prio, text: `${e.cond} ${e.action.toLowerCase()} (${e.source}): ${prettyText(e.text)}` });
    }
    return new Set(last.keys());
  }

  /** Staleness limit in force: the bridge's, else the protocol default. */
  staleAfterMs(): number {
    return this.link?.staleAfterMs ?? 2500;
  }

  /**
   * Delay from a reading's device time (as wall clock, by the bridge's clock map) to its arrival on
   * this page, median of the last 50 rows; assumes the bridge's and the browser's clocks agree (same
   * PC, or NTP). Alarms travel the same pipeline: this discloses the display's part of the alarm delay.
   */
  readingDelayMs(): number | null {
    const h = this.history;
    const n = h.length;
    if (n === 0) return null;
    const d: number[] = [];
    for (let i = Math.max(0, n - 50); i < n; i++) d.push(h.recvMs[i]! - h.atMs[i]!);
    d.sort((a, b) => a - b);
    return d[d.length >> 1]!;
  }

  /** Test-hook / chart helper: the time of the first reading at or above `cc` on `ch`. */
  crossing(ch: number, cc: number) {
    return this.history.firstAtOrAbove(ch, cc);
  }

  private setDevice(device: DeviceInfo | null, channels: Channel[], limits: Limits | null, fromSnapshot: boolean): void {
    const changed = channels.length !== this.channels.length || channels.some((c, i) => c.label !== this.channels[i]?.label || c.role !== this.channels[i]?.role);
    this.device = device;
    this.channels = channels;
    this.limits = limits;
    if (changed && !fromSnapshot) {
      this.history.reset(channels.length);
      this.latest = channels.map(() => null);
      this.peakC = channels.map(() => null);
    }
    if (changed) this.dirty.layout = true;
    this.markAll();
  }

  private setLink(link: Link, nowMs: number): void {
    const before = this.link?.state;
    this.link = link;
    if (before !== link.state) {
      const why = link.error ? ` (${link.error.code}: ${link.error.message})` : "";
      this.addLog({ atMs: link.sinceMs || nowMs + this.bridgeOffsetMs, kind: "link", prio: link.state === "up" ? null : "H", text: `Serial link ${link.state}${why}` });
    }
    this.dirty.header = this.dirty.channels = this.dirty.tech = true;
  }

  private recomputePeaks(): void {
    this.peakC = this.history.y.map((ys) => {
      let p: number | null = null;
      for (const v of ys) if (v != null && (p == null || v > p)) p = v;
      return p;
    });
  }

  private markAll(): void {
    const d = this.dirty;
    d.chart = d.channels = d.alarms = d.header = d.log = d.tech = true;
  }
}

/** "14:03:07 INTERVENE" style label, for logs and tests. */
export function alarmLabel(a: AlarmView): string {
  return `${fmtClock(a.raisedAtMs)} ${a.cond}`;
}
