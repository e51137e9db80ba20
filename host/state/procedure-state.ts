// The procedure state: device, channels, limits, alarms, doses, link, history; turns link output into client messages.
import { FLAG_AUDIO_PAUSED, FLAG_INTERLOCK, FLAG_SESSION, FLAG_STORAGE_OK, FLAG_TIME_SYNCED, FLAG_TX_CONGESTED, hex8, schemaHash, type Dose as DoseLine, type Hello, type Status } from "../../protocol";
import type { BridgeUpdate, SnapshotMsg } from "../domain/bridge-updates";
import { WS_API_VERSION } from "../domain/bridge-updates";
import type { CaseFields } from "../domain/case-fields";
import type { RecordLine, RecordSink } from "../record/record-types";
import type { LinkItem } from "../core/link-types";
import type { SeqRange } from "../core/reading-tracker";
import type { SerialLinkError } from "../domain/link-error";
import type { AlarmLogEntry, Channel, Counters, DeviceInfo, DeviceStatus, Dose, Limits, Link, LinkState, ProcedureEvent, ReadingRow, Recording } from "../domain/domain-schemas";
import { AlarmBook, type AlarmTransition } from "./alarm-book";
import { ClockMap } from "../core/clock-map";
import { DoseChecker } from "./dose-check";
import { HistoryRing } from "./history-ring";
import { InOrderReadings } from "./in-order-readings";

/** Values older than this are stale (PROTOCOL.md section 6). */
export const STALE_AFTER_MS = 2500;
/** Session names remembered for the once-only rule (a procedure a day for years). */
export const SESSION_NAMES_MAX = 10_000;
/** Alarm transitions kept for the snapshot's alarmLog. */
export const ALARM_LOG_SIZE = 200;
/** Status lines in a row whose alarm count differs from the bridge's before ALARM_MISMATCH is raised (S comes once a second). */
export const ALARM_MISMATCH_STATUS_LINES = 3;

/**
 * Everything the bridge knows about the procedure. Fed by the link (batches, state, losses) and the
 * clock (tick); every change becomes a BridgeUpdate in the outbox and what is to be recorded a
 * RecordLine in the record outbox. The bridge drains both after each step and hands them to its
 * consumers (WebSocket relay, recorder, ...): the state itself writes nowhere.
 */
export class ProcedureState {
  hello: Hello | null = null;
  device: DeviceInfo | null = null;
  channels: Channel[] = [];
  limits: Limits | null = null;
  readonly doses = new Map<number, Dose>();
  status: DeviceStatus | null = null;
  readonly link: Link;
  /** The recorder's status (kept current by the recorder; reportUrl is added for the clients). */
  recording: Omit<Recording, "reportUrl"> = { active: false, file: null, bytes: 0, lastFlushAtMs: null, error: null, droppedRecords: 0 };
  /** Path the bridge serves the live report of the recording at (null: no report route). */
  reportUrl: string | null = null;
  events: ProcedureEvent[] = [];
  readonly history = new HistoryRing();
  readonly clock = new ClockMap();
  readonly alarms: AlarmBook;
  /** The record outbox: what is written here is drained by drainRecords() (the bridge hands it to the recorder). */
  readonly record: RecordSink = { write: (rec) => void this.recordOut.push(rec) };

  private readonly checkers = new Map<number, DoseChecker>();
  private readonly ordered = new InOrderReadings<ReadingRow>();
  private out: BridgeUpdate[] = [];
  private recordOut: RecordLine[] = [];
  /** The last ALARM_LOG_SIZE alarm transitions, oldest first. */
  private readonly alarmLog: AlarmLogEntry[] = [];
  private rows: ReadingRow[] = [];
  private doseBatch: Dose[] = [];
  private deviceDirty = false;
  private wasUp = false;
  /** performance.now() of the last reading: staleness runs on the monotonic clock (a host clock jump is not staleness). */
  private lastReadingMono = -1;
  /** performance.now() of the last batch of valid lines (any type). */
  private lastLineMono = -1;
  /** Device alarm keys restated since the latest HI (null: no restatement running). */
  private restated: Set<string> | null = null;
  /** First seq of the running restatement's A lines. */
  private restateFromSeq = 0;
  /** Status lines in a row that counted another number of device alarms than the book holds. */
  private alarmCountMisses = 0;
  private resyncWanted = false;

  constructor(
    readonly counters: Counters,
    private readonly staleAfterMs = STALE_AFTER_MS,
  ) {
    this.link = { state: "connecting", port: null, sinceMs: Date.now(), lastLineAtMs: null, lastReadingAtMs: null, readingsStale: false, staleAfterMs: staleAfterMs, error: null, reconnects: 0 };
    this.alarms = new AlarmBook((t) => this.onAlarm(t));
  }

  /** Whether updates wait for the next drain. */
  get pending(): boolean {
    return this.out.length > 0;
  }

  /** Takes the updates produced since the last drain. */
  drain(): BridgeUpdate[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  /** Takes the record lines produced since the last drain, in order. */
  drainRecords(): RecordLine[] {
    const o = this.recordOut;
    this.recordOut = [];
    return o;
  }

  /** Nominal sample period of the device, ms. */
  get periodMs(): number {
    return this.hello ? 1000 / this.hello.rateHz : 100;
  }

  /** Applies one batch of link items (one serial chunk). */
  applyBatch(items: LinkItem[]): void {
    if (items.length > 0) this.lastLineMono = items[items.length - 1].monoMs ?? performance.now();
    for (const it of items) {
      this.apply(it);
      if (it.restated) this.endRestatement(it.atMs);
    }
    this.flush();
    if (this.sessionlessDue) {
      this.sessionlessDue = false;
      this.onSessionless?.();
    }
  }

  /** Whether the state wants the link to re-handshake (its alarm list disagrees with the device's); reading it clears it. */
  takeResyncRequest(): boolean {
    const w = this.resyncWanted;
    this.resyncWanted = false;
    return w;
  }

  /** The restatement after HELLO is complete: device alarms it did not name are gone (PROTOCOL.md section 3: replace, not merge). */
  private endRestatement(atMs: number): void {
    if (!this.restated) return;
    this.alarms.retainDevice(this.restated, atMs);
    this.restated = null;
  }

  /** The link changed state. LINK_LOST is raised whenever a link that was up is not up. */
  applyLinkState(state: LinkState, error: SerialLinkError | null, port: string | null, nowMs = Date.now()): void {
    const l = this.link;
    l.state = state;
    l.port = port;
    l.sinceMs = nowMs;
    l.error = error ? { code: error.code, message: error.message } : null;
    l.reconnects = this.counters.reconnects;
    if (state === "up") {
      this.wasUp = true;
      this.alarms.endHost("LINK_LOST", -1, nowMs);
    } else if (state !== "closed" && (this.wasUp || state === "refused")) {
      this.alarms.raiseHost("LINK_LOST", -1, "", l.lastLineAtMs === null ? 0 : nowMs - l.lastLineAtMs, this.staleAfterMs, 0, nowMs);
      this.alarms.endHost("STALE", -1, nowMs);
    }
    this.out.push({ type: "link", link: { ...l } });
    this.record.write({ k: "link", atMs: nowMs, link: { ...l } });
  }

  /** Readings the link could not recover. */
  applyLost(ranges: SeqRange[], nowMs = Date.now()): void {
    let n = 0;
    for (const r of ranges) {
      n += r.count;
      this.record.write({ k: "lost", atMs: nowMs, from: r.from, count: r.count });
      this.feedDose(this.ordered.lose(r.from, r.count));
    }
    if (n > 0) {
      this.alarms.raiseHost("READINGS_LOST", -1, "", this.counters.readLost, 0, 0, nowMs);
      this.alarms.endHost("READINGS_LOST", -1, nowMs); // an event: stays latched until acknowledged
    }
    this.flush();
  }

  /** Periodic check (every ~100 ms): stale readings. */
  tick(nowMs = Date.now(), monoMs = performance.now()): void {
    const l = this.link;
    const ageMs = this.lastReadingMono < 0 ? -1 : monoMs - this.lastReadingMono;
    const stale = ageMs > this.staleAfterMs;
    if (stale !== l.readingsStale) {
      l.readingsStale = stale;
      this.out.push({ type: "link", link: { ...l } });
    }
    // STALE is for a link that still talks (S, D lines) while its readings stopped. A device that fell silent
    // altogether is LINK_LOST's alarm: raised at the same 2.5 s, STALE would flash up and clear 0-100 ms before it.
    const talking = this.lastLineMono >= 0 && monoMs - this.lastLineMono <= this.staleAfterMs;
    if (stale && talking && l.state === "up") this.alarms.raiseHost("STALE", -1, "", Math.round(ageMs), this.staleAfterMs, 0, nowMs);
    else this.alarms.endHost("STALE", -1, nowMs);
    if (this.alarms.get("host:LINK_LOST")?.active && l.lastLineAtMs !== null) {
      this.alarms.raiseHost("LINK_LOST", -1, "", nowMs - l.lastLineAtMs, this.staleAfterMs, 0, nowMs);
    }
  }

  /** Records a procedure event and tells the clients. */
  addEvent(text: string, source: ProcedureEvent["source"], nowMs = Date.now()): void {
    const ev: ProcedureEvent = { atMs: nowMs, text: text, source: source };
    this.events.push(ev);
    if (this.events.length > 1000) this.events.shift();
    this.out.push({ type: "event", event: ev });
    this.record.write({ k: "event", atMs: nowMs, event: ev });
  }

  // ---------------------------------------------------------------------------------------------
  // Procedure sessions and case fields
  // ---------------------------------------------------------------------------------------------

  /** Session names seen on this bridge (started, or reported by a device): a name is used once. The newest SESSION_NAMES_MAX kept. */
  readonly sessionNames = new Set<string>();
  /** The case fields set so far (setCase), merged. */
  caseFields: CaseFields = {};
  /**
   * Called once per device hello when the device runs no session and every nerve channel's doses, as sent
   * since that hello, are zero: a session may then start without losing anything (the command handler
   * starts one when the bridge was told to).
   */
  onSessionless: (() => void) | null = null;
  /** Nerve channels whose D line arrived since the last HI, and whether the sessionless check ran for that HI. */
  private readonly dosedSinceHello = new Set<number>();
  private sessionlessChecked = false;
  private sessionlessDue = false;

  /** The device acknowledged START / END: the session changes now (S lines confirm it within a second). */
  setSession(session: string | null): void {
    if (session !== null) this.noteSessionName(session);
    if (!this.device || this.device.session === session) return;
    this.device = { ...this.device, session: session };
    this.deviceDirty = true;
    this.flush();
  }

  /** Remembers a session name, capped: a device sending ever new names cannot grow the set. */
  private noteSessionName(name: string): void {
    this.sessionNames.delete(name);
    this.sessionNames.add(name);
    if (this.sessionNames.size > SESSION_NAMES_MAX) this.sessionNames.delete(this.sessionNames.values().next().value!);
  }

  /** Whether `name` was already used as a session on this bridge. */
  sessionUsed(name: string): boolean {
    return this.sessionNames.has(name);
  }

  /** Nerve channels whose latest dose is above zero: what a START would zero. */
  dosesAboveZero(): Dose[] {
    return [...this.doses.values()].filter((d) => this.channels[d.ch]?.role === "nerve" && (d.t42Ms > 0 || d.t70Ms > 0 || d.cem43M > 0));
  }

  /** Merges case fields (null clears one), records the change and tells the clients. */
  setCase(fields: CaseFields, by: string | null, nowMs = Date.now()): void {
    const next: CaseFields = { ...this.caseFields };
    for (const [k, v] of Object.entries(fields) as [keyof CaseFields, unknown][]) {
      if (k === "placements" || v === undefined) continue;
      (next as Record<string, unknown>)[k] = v;
    }
    if (fields.placements) {
      const byCh = new Map((next.placements ?? []).map((p) => [p.ch, p]));
      for (const p of fields.placements) byCh.set(p.ch, p);
      next.placements = [...byCh.values()].filter((p) => p.placement !== null).sort((a, b) => a.ch - b.ch);
    }
    this.caseFields = next;
    this.out.push({ type: "case", atMs: nowMs, fields: next, by: by });
    this.record.write(by ? { k: "case", atMs: nowMs, fields: fields, by: by } : { k: "case", atMs: nowMs, fields: fields });
  }

  /** After a device line: runs the sessionless check once per hello, when the first S line follows its doses. */
  private checkSessionless(type: string, ch: number): void {
    const seen = type === "HI" ? this.device?.session : type === "S" ? this.status?.session : null;
    if (seen) this.noteSessionName(seen);
    if (type === "HI") {
      this.dosedSinceHello.clear();
      this.sessionlessChecked = false;
      return;
    }
    if (type === "D") {
      this.dosedSinceHello.add(ch);
      return;
    }
    if (type !== "S" || this.sessionlessChecked || !this.device || !this.status) return;
    const nerves = this.channels.filter((c) => c && c.role === "nerve");
    if (!nerves.every((c) => this.dosedSinceHello.has(c.ch))) return;
    this.sessionlessChecked = true;
    this.sessionlessDue = this.status.session === null && this.dosesAboveZero().length === 0;
  }

  /** LM lines applied so far (the command handler tells whether a LIM's own LM arrived). */
  lmCount = 0;

  /** Applies one limit the device has just ACKed when its LM (sent before the K) did not arrive, e.g. a corrupted line. */
  applyLimit(field: keyof Limits, value: number): void {
    if (!this.limits || this.limits[field] === value) return;
    this.limits = { ...this.limits, [field]: value };
    this.deviceDirty = true;
    this.flush();
  }

  /** Acknowledges a host alarm by key (true when one was acknowledged). */
  ackHostAlarm(key: string, nowMs = Date.now()): boolean {
    return this.alarms.ackHost(key, nowMs);
  }

  /** The once-a-second status message. */
  statusMessage(nowMs = Date.now()): BridgeUpdate {
    return { type: "status", atMs: nowMs, status: this.status, counters: { ...this.counters, badLines: { ...this.counters.badLines } }, recording: this.recordingState() };
  }

  /** The whole picture for a newly connected client. */
  snapshot(control: boolean, nowMs = Date.now()): SnapshotMsg {
    return {
      type: "snapshot",
      apiVersion: WS_API_VERSION,
      atMs: nowMs,
      control: control,
      device: this.device,
      channels: this.channels,
      limits: this.limits,
      alarms: this.alarms.list(),
      alarmLog: this.alarmLog.slice(),
      doses: [...this.doses.values()],
      link: { ...this.link },
      status: this.status,
      counters: { ...this.counters, badLines: { ...this.counters.badLines } },
      recording: this.recordingState(),
      events: this.events,
      case: this.caseFields,
      history: this.history.columns(this.channels.length || (this.hello?.channels ?? 0)),
    };
  }

  /** The recording state as sent to clients: the recorder's, and where its report is served while it records. */
  private recordingState(): Recording {
    return { ...this.recording, reportUrl: this.recording.active ? this.reportUrl : null };
  }

  private apply(it: LinkItem): void {
    const m = it.msg;
    this.link.lastLineAtMs = it.atMs;
    switch (m.type) {
      case "HI":
        this.onHello(m, it.hello ?? "first", it.atMs, it.trackFromSeq);
        break;
      case "CH":
        this.channels[m.ch] = { ch: m.ch, label: m.label, role: m.role, tc: m.tc, chip: m.chip };
        this.deviceDirty = true;
        break;
      case "LM": {
        const { type: _t, seq: _s, ...limits } = m;
        this.limits = limits;
        this.lmCount++;
        this.deviceDirty = true;
        break;
      }
      case "R": {
        if (!it.resent) {
          this.clock.observe(m.tMs, it.atMs, it.monoMs);
          this.link.lastReadingAtMs = it.atMs;
          this.lastReadingMono = it.monoMs ?? performance.now();
          if (this.link.readingsStale) {
            this.link.readingsStale = false;
            this.out.push({ type: "link", link: { ...this.link } });
          }
        }
        const row: ReadingRow = { seq: m.seq, tMs: m.tMs, atMs: this.clock.toWallMs(m.tMs, it.atMs), valuesCc: m.values };
        if (it.resent) row.resent = true;
        this.history.add(row);
        this.rows.push(row);
        this.record.write(it.resent ? { k: "r", atMs: row.atMs, seq: m.seq, tMs: m.tMs, v: m.values, resent: true } : { k: "r", atMs: row.atMs, seq: m.seq, tMs: m.tMs, v: m.values });
        this.feedDose(this.ordered.push(m.seq, row));
        return;
      }
      // Every time-stamped line calibrates the clock map, not just readings: an A line precedes its
      // sample's R line, and with a fast simulated device clock the previous reading's offset would
      // place the alarm up to one sample period (x timeScale) late. The map keeps the smallest
      // offset, so a late retransmission cannot move it.
      case "D":
        this.clock.observe(m.tMs, it.atMs, it.monoMs);
        this.onDose(m, it.atMs);
        break;
      case "A": {
        this.clock.observe(m.tMs, it.atMs, it.monoMs);
        const label = m.ch >= 0 ? (this.channels[m.ch]?.label ?? "ch" + m.ch) : "";
        this.record.write({ k: "dev", atMs: it.atMs, m: m });
        const bootHex = this.device?.bootId ?? "00000000";
        if (this.restated && m.action === "UPDATE" && m.seq >= this.restateFromSeq) this.restated.add("dev:" + bootHex + ":" + m.alarmId);
        this.alarms.device(m, bootHex, label, this.clock.toWallMs(m.tMs, it.atMs));
        return;
      }
      case "S":
        this.clock.observe(m.tMs, it.atMs, it.monoMs);
        this.endRestatement(it.atMs); // the device sends S only after the whole restatement (a lost K must not keep it open)
        this.onStatus(m, it.atMs);
        break;
    }
    if (m.type === "HI" || m.type === "D" || m.type === "S") this.checkSessionless(m.type, m.type === "D" ? m.ch : -1);
    this.record.write({ k: "dev", atMs: it.atMs, m: m });
  }

  private onHello(hi: Hello, kind: NonNullable<LinkItem["hello"]>, atMs: number, trackFromSeq?: number): void {
    this.hello = hi;
    // Every HI is followed by the restatement of every present alarm, then the K of the HELLO.
    this.restated = new Set();
    this.restateFromSeq = hi.alarmSeq;
    this.alarmCountMisses = 0;
    if (kind !== "same") {
      if (kind !== "first") this.alarms.clearDevice(atMs);
      this.clock.reset();
      this.ordered.reset(trackFromSeq ?? (kind === "reboot" ? 0 : hi.readSeq)); // earlier readings come by RESEND (link core)
      for (const c of this.checkers.values()) c.invalidate();
      if (kind === "new-device") {
        this.channels = [];
        this.doses.clear();
        this.history.clear();
      }
      if (kind === "reboot") {
        this.alarms.raiseHost("DEVICE_REBOOT", -1, "", 0, 0, 0, atMs);
        this.alarms.endHost("DEVICE_REBOOT", -1, atMs);
      }
    }
    this.channels.length = Math.min(this.channels.length, hi.channels);
    const matches = hi.schema === schemaHash();
    this.device = {
      deviceId: hi.deviceId,
      fw: hi.fw,
      bootId: hex8(hi.bootId),
      major: hi.major,
      minor: hi.minor,
      channels: hi.channels,
      rateHz: hi.rateHz,
      session: hi.session === "-" ? null : hi.session,
      schemaHash: hex8(hi.schema),
      schemaMatches: matches,
      restored: hi.restored === 1,
      port: this.link.port,
    };
    if (matches) this.alarms.endHost("SCHEMA_MISMATCH", -1, atMs);
    else this.alarms.raiseHost("SCHEMA_MISMATCH", -1, "", 0, 0, 0, atMs);
    this.deviceDirty = true;
  }

  private onStatus(s: Status, atMs: number): void {
    const f = s.flags;
    this.status = {
      tMs: s.tMs,
      atMs: this.clock.toWallMs(s.tMs, atMs),
      session: s.session === "-" ? null : s.session,
      flags: f,
      interlock: (f & FLAG_INTERLOCK) !== 0,
      audioPaused: (f & FLAG_AUDIO_PAUSED) !== 0,
      sessionActive: (f & FLAG_SESSION) !== 0,
      timeSynced: (f & FLAG_TIME_SYNCED) !== 0,
      storageOk: (f & FLAG_STORAGE_OK) !== 0,
      txCongested: (f & FLAG_TX_CONGESTED) !== 0,
      pauseS: s.pauseS,
      alarms: s.alarms,
      samples: s.samples,
      missed: s.missed,
      dropped: s.dropped,
      badRx: s.badRx,
      retx: s.retx,
      spikes: s.spikes,
    };
    this.reconcileAlarmCount(s.alarms, atMs);
    if (this.device && this.device.session !== this.status.session) {
      this.device = { ...this.device, session: this.status.session };
      this.deviceDirty = true;
    }
  }

  /**
   * The device counts its present alarms in every S line; the lines come in order after the A lines,
   * so a count that keeps differing means alarm lines were withheld or lost: ALARM_MISMATCH, and a
   * re-handshake whose restatement replaces the list.
   */
  private reconcileAlarmCount(deviceCount: number, atMs: number): void {
    const ours = this.alarms.deviceCount();
    if (deviceCount === ours || this.restated) {
      if (deviceCount === ours) {
        this.alarmCountMisses = 0;
        this.alarms.endHost("ALARM_MISMATCH", -1, atMs);
      }
      return;
    }
    if (++this.alarmCountMisses < ALARM_MISMATCH_STATUS_LINES) return;
    this.alarms.raiseHost("ALARM_MISMATCH", -1, "", deviceCount, ours, 0, atMs);
    if (this.alarmCountMisses === ALARM_MISMATCH_STATUS_LINES) this.resyncWanted = true;
  }

  private onDose(d: DoseLine, atMs: number): void {
    let checker = this.checkers.get(d.ch);
    if (!checker) {
      checker = new DoseChecker();
      this.checkers.set(d.ch, checker);
    }
    const v = checker.compare(d, this.periodMs);
    const dose: Dose = {
      ch: d.ch,
      tMs: d.tMs,
      atMs: this.clock.toWallMs(d.tMs, atMs),
      t42Ms: d.t42Ms,
      t42Pm: d.t42Pm,
      t70Ms: d.t70Ms,
      t70Pm: d.t70Pm,
      cem43M: d.cem43M,
      cem43Pm: d.cem43Pm,
      check: { t42Ms: v.t42Ms, t70Ms: v.t70Ms, cem43M: Math.round(v.cem43M * 1000) / 1000, ok: !this.alarms.get("host:DOSE_MISMATCH:" + d.ch)?.active && v.mismatch !== true },
    };
    const label = this.channels[d.ch]?.label ?? "ch" + d.ch;
    if (v.mismatch === true) this.alarms.raiseHost("DOSE_MISMATCH", d.ch, label, v.worstPm, 1000, v.which, atMs);
    else if (v.mismatch === false) this.alarms.endHost("DOSE_MISMATCH", d.ch, atMs);
    this.doses.set(d.ch, dose);
    this.doseBatch.push(dose);
  }

  /** Feeds rows released in seq order to the nerve channels' dose checkers. */
  private feedDose(r: { rows: ReadingRow[]; crossedLoss: boolean }): void {
    if (r.crossedLoss) for (const c of this.checkers.values()) c.invalidate();
    for (const row of r.rows) {
      for (const [ch, checker] of this.checkers) {
        const v = row.valuesCc[ch];
        checker.sample(row.tMs, typeof v === "number" ? v : null);
      }
    }
  }

  private onAlarm(t: AlarmTransition): void {
    const a = t.alarm;
    this.alarmLog.push({ atMs: a.changedAtMs, tMs: a.tMs, key: a.key, source: a.source, action: t.action, cond: a.cond, ch: a.ch, prio: a.prio, active: a.active, acked: a.acked, text: a.text });
    if (this.alarmLog.length > ALARM_LOG_SIZE) this.alarmLog.shift();
    this.out.push({ type: "alarm", action: t.action, alarm: t.alarm });
    this.record.write({ k: "alarm", atMs: t.alarm.changedAtMs, action: t.action, alarm: t.alarm });
  }

  private flush(): void {
    if (this.rows.length > 0) {
      this.out.push({ type: "readings", rows: this.rows });
      this.rows = [];
    }
    if (this.doseBatch.length > 0) {
      this.out.push({ type: "dose", doses: this.doseBatch });
      this.doseBatch = [];
    }
    if (this.deviceDirty) {
      this.deviceDirty = false;
      this.out.push({ type: "device", device: this.device, channels: this.channels.filter(Boolean), limits: this.limits });
    }
  }
}
