// The device core: one step per sample instant (time passed in) -> filtering, doses, alarms, annunciation, persistence.
import { FAULT_NONE, FAULT_SPIKE } from "../source";
import type { LimitParam } from "../../protocol/message-types";
import { checkLimit, DEFAULT_LIMITS, LIMIT_BOUNDS, LIMIT_FIELD, type LimitValues } from "../../protocol/limits";
import { AlarmEngine, ACT_RAISE, ST_ACKED, ST_ACTIVE, ST_PRESENT, type AlarmListener } from "./alarm-engine";
import { Annunciator, PRIO_HIGH, PRIO_LOW, PRIO_MEDIUM, PRIO_NONE, type Outputs } from "./annunciator";
import {
  CHANNEL_CONDITIONS, CONDITION_COUNT, C_DOSE42_50, C_FAULT_STUCK, C_INTERVENE, C_PREDICT,
  C_SAMPLE_GAP, C_STOP, C_STORAGE_FAIL, C_WARN, COND_PRIO, faultCondition,
} from "./conditions";
import {
  ACK_AUDIO_PAUSE_MS, FAULT_DEBOUNCE_COUNT, MAX_AUDIO_PAUSE_S, PREDICT_CLEAR_FACTOR, ROLE_NERVE, SAMPLE_GAP_HOLD_MS,
  SAMPLE_GAP_LIMIT_MS, SAVE_PERIOD_MS, STUCK_MIN_MS, TEMP_HYSTERESIS_CC, TREND_MIN_SLOPE_CC_PER_S, TREND_MIN_SPAN_MS, TREND_STEP_MS,
} from "./core-constants";
import { DoseIntegrator } from "./dose-integrator";
import { SampleFilter } from "./sample-filter";
import { StuckDetector } from "./stuck-detector";
import { stepChannels } from "./channel-step";
import { parseSnapshot, SNAPSHOT_VERSION, type Store } from "./snapshot";
import { TrendFit } from "./trend-fit";

/** Monitor construction options. */
export interface MonitorOptions {
  /** Role code per channel (ROLE_NERVE / ROLE_ABLATION / ROLE_REFERENCE); its length is the channel count (1..8). */
  roles: ArrayLike<number>;
  /** Limits in force at boot (default: DEFAULT_LIMITS; a restored snapshot overrides them). */
  limits?: LimitValues;
  /** Persistence; without it nothing survives a reboot and S.flags has no "storage ok". */
  store?: Store;
  /** Every alarm transition, after the engine's state is updated (the link encodes the A line from it). */
  onAlarm?: AlarmListener;
  /** Local outputs; without them the pattern generator still runs (for status / tests). */
  outputs?: Outputs;
}

const NO_OUTPUTS: Outputs = { led: function () {}, buzzer: function () {}, interlock: function () {} };

/** True when a restored limit set is within LIMIT_BOUNDS and ordered. */
function limitsValid(l: LimitValues): boolean {
  for (const p in LIMIT_BOUNDS) {
    const b = LIMIT_BOUNDS[p as LimitParam];
    const v = l[LIMIT_FIELD[p as LimitParam]];
    if (!(v >= b.min && v <= b.max) || Math.floor(v) !== v) return false;
  }
  return l.warnCc < l.interveneCc && l.interveneCc < l.stopCc;
}

/**
 * Everything the device decides, as a step function with time passed in. No timers, no I/O of
 * its own (storage and outputs are interfaces), no allocation per sample; runs unchanged on
 * Espruino and Node. `step` is called once per sample instant by the shell:
 *
 *   monitor.step(nowMs, tempC, fault, missedBefore)
 *
 * Order within a step: sample gap check, filter, then per nerve channel faults, doses,
 * temperature limits, prediction and dose limits, then annunciation and persistence. Alarm
 * transitions reach `onAlarm` synchronously, during the step that causes them. WARN and INTERVENE
 * act on the sample that crosses; STOP (and so the interlock) needs two consecutive samples at or
 * above its limit, the first confirmed by the second (`filter.confCc` / `confCode`); the doses count
 * each reading one sample late, once the next sample has confirmed it (sample-filter.ts).
 */
export class Monitor {
  readonly channelCount: number;
  readonly roles: Uint8Array;
  readonly filter: SampleFilter;
  readonly stuck: StuckDetector;
  readonly doses: DoseIntegrator;
  /** doseLimits' copy of a channel's three permilles (dosePermilles). */
  private readonly permilleScratch = new Float64Array(5);
  readonly trend: TrendFit;
  readonly engine: AlarmEngine;
  readonly annunciator: Annunciator;
  /** Limits in force (LM). */
  readonly limits: LimitValues;
  /** Session id, "-" when none. */
  session = "-";
  /** Samples taken since boot. */
  samples = 0;
  /** Sample instants missed since boot. */
  missed = 0;
  /** Time of the last sample (-1 before the first). */
  lastSampleMs = -1;
  /** True when the doses were restored from storage at boot. */
  restored = false;
  /** True while the last storage write succeeded (false without a store). */
  storageOk = false;
  /** Audio is paused until this device time. */
  pauseUntilMs = 0;
  private readonly store: Store | undefined;
  private readonly onAlarm: AlarmListener | undefined;
  /** Active sensor-fault condition per channel, -1 none. */
  private readonly faultCond: Int8Array;
  /** Dose conditions per channel as last evaluated (bits: 42 50 %, 42 100 %, 70 50 %, 70 100 %, CEM 50 %, CEM 100 %). */
  private readonly doseMask: Uint8Array;
  /** The nerve channels' indices (the first `nerveCount` entries; the dose integrator's list): limits and doses apply to them only. */
  readonly nerve: Uint8Array;
  readonly nerveCount: number;
  /** Channels (bit 1 << ch) whose limits must be evaluated at the next step whatever their reading (limits, doses or state changed). */
  private recheck = 0;
  private gapUntilMs = 0;
  private nextTrendMs = 0;
  private nextSaveMs = 0;
  private saveNeeded = false;
  private lastSaved = "";
  /** The outputs were last set with no alarm present (nothing to do until one appears). */
  private quiet = false;
  /** The annunciator's inputs at its last update (prio * 4 + paused * 2 + interlock) and the edge it returned. */
  private annKey = -1;
  private annNextMs = 0;

  constructor(opts: MonitorOptions) {
    const n = opts.roles.length;
    if (!(n >= 1 && n <= 8)) throw new Error("CHANNEL_COUNT");
    this.channelCount = n;
    this.roles = new Uint8Array(n);
    for (let i = 0; i < n; i++) this.roles[i] = opts.roles[i];
    const l = opts.limits || DEFAULT_LIMITS;
    this.limits = {
      warnCc: l.warnCc, interveneCc: l.interveneCc, stopCc: l.stopCc, predictS: l.predictS,
      dose42Min: l.dose42Min, dose70Min: l.dose70Min, cem43Limit: l.cem43Limit,
    };
    this.store = opts.store;
    this.onAlarm = opts.onAlarm;
    this.filter = new SampleFilter(n);
    this.stuck = new StuckDetector(n);
    this.doses = new DoseIntegrator(n, this.roles);
    this.trend = new TrendFit(n);
    this.faultCond = new Int8Array(n);
    this.doseMask = new Uint8Array(n);
    this.faultCond.fill(-1);
    this.nerve = this.doses.nerve;
    this.nerveCount = this.doses.nerveCount;
    this.recheck = 255;
    this.annunciator = new Annunciator(opts.outputs || NO_OUTPUTS);
    const self = this;
    this.engine = new AlarmEngine(n, function (slot, action, nowMs) {
      self.onTransition(slot, action, nowMs);
    });
  }

  private onTransition(slot: number, action: number, nowMs: number): void {
    if (action === ACT_RAISE && COND_PRIO.charCodeAt(this.engine.condOf(slot)) === 72) this.pauseUntilMs = 0;
    this.saveNeeded = true;
    if (this.onAlarm) this.onAlarm(slot, action, nowMs);
  }

  /**
   * Restores session, doses, limits and latched alarms from the store (call once at boot, after the
   * listener is ready: restored latched alarms are RAISEd). Returns true when a snapshot was used.
   */
  restore(nowMs: number): boolean {
    if (!this.store) return false;
    let text: string | null | undefined = null;
    try {
      text = this.store.read();
      this.storageOk = true;
    } catch (e) {
      this.storageOk = false;
    }
    const snap = parseSnapshot(text, this.channelCount);
    if (!snap) return false;
    this.session = snap.s;
    for (let ch = 0; ch < this.channelCount; ch++) this.doses.set(ch, snap.d[ch * 3], snap.d[ch * 3 + 1], snap.d[ch * 3 + 2] / 1000);
    const lv: LimitValues = {
      warnCc: snap.l[0], interveneCc: snap.l[1], stopCc: snap.l[2], predictS: snap.l[3],
      dose42Min: snap.l[4], dose70Min: snap.l[5], cem43Limit: snap.l[6],
    };
    if (limitsValid(lv)) {
      const l = this.limits;
      l.warnCc = lv.warnCc;
      l.interveneCc = lv.interveneCc;
      l.stopCc = lv.stopCc;
      l.predictS = lv.predictS;
      l.dose42Min = lv.dose42Min;
      l.dose70Min = lv.dose70Min;
      l.cem43Limit = lv.cem43Limit;
    }
    for (let i = 0; i + 3 < snap.a.length; i += 4) {
      const cond = snap.a[i];
      const ch = snap.a[i + 1];
      if (cond >= 0 && cond < CONDITION_COUNT && ch >= -1 && ch < this.channelCount) this.engine.restoreLatched(cond, ch, snap.a[i + 2], snap.a[i + 3], nowMs);
    }
    this.restored = true;
    this.recheck = 255;
    this.lastSaved = text as string;
    this.saveNeeded = false;
    this.nextSaveMs = nowMs + SAVE_PERIOD_MS;
    return true;
  }

  /**
   * Processes one sample instant taken at `nowMs` (device ms, integer). `tempC` / `fault` as
   * written by SampleSource.read; `missedBefore` = instants missed just before this one (from
   * Deadline.take). Results: filter.cc / filter.code per channel, doses, alarm transitions.
   *
   * Cost on Espruino, which pays for every token, call and lookup: one loop over the channels
   * (channel-step.ts: stuck detection, filter, doses) also compares each reading with the nearest temperature-limit
   * crossing of its channel and each dose with its next limit, both precomputed when limits or
   * alarm states change; only the channels it flags (a crossing, a dose limit, no valid reading)
   * go through the full evaluation, in channel order, as every channel did before.
   */
  step(nowMs: number, tempC: Float64Array, fault: Uint8Array, missedBefore: number): void {
    this.samples++;
    this.missed += missedBefore;
    if (this.lastSampleMs >= 0) {
      const dt = nowMs - this.lastSampleMs;
      if (dt > SAMPLE_GAP_LIMIT_MS || this.gapUntilMs > 0) this.sampleGap(dt, missedBefore, nowMs);
    }
    this.lastSampleMs = nowMs;
    const f = this.filter;
    let flags = stepChannels(nowMs, tempC, fault, f, this.stuck, this.doses);
    if (flags & 256) this.stuckAlarms(nowMs);
    flags = (flags & 255) | this.recheck;
    this.recheck = 0;
    const codes = f.code;
    const ccs = f.cc;
    const list = this.nerve;
    const nn = this.nerveCount;
    const trendDue = nowMs >= this.nextTrendMs;
    if (trendDue) {
      this.trend.addList(nowMs, ccs, codes, list, nn);
      this.nextTrendMs = nowMs + TREND_STEP_MS;
    }
    if (flags !== 0 || trendDue) {
      for (let k = 0; k < nn; k++) {
        const ch = list[k];
        if (flags & (1 << ch)) this.channel(ch, codes[ch], ccs[ch], trendDue, nowMs);
        else if (trendDue && codes[ch] === FAULT_NONE) this.predict(ch, ccs[ch], nowMs);
      }
      if (flags !== 0) for (let k = 0; k < nn; k++) if (flags & (1 << list[k])) this.doseLimits(list[k], nowMs);
    }
    if (this.saveNeeded || nowMs >= this.nextSaveMs) this.saveIfDue(nowMs);
  }

  /** SAMPLE_GAP: raised (or restated) by an interval over the limit, cleared SAMPLE_GAP_HOLD_MS after the last one. */
  private sampleGap(dt: number, missedBefore: number, nowMs: number): void {
    const eng = this.engine;
    const gapActive = eng.st[CHANNEL_CONDITIONS * this.channelCount] & ST_ACTIVE;
    if (dt > SAMPLE_GAP_LIMIT_MS) {
      this.gapUntilMs = nowMs + SAMPLE_GAP_HOLD_MS;
      if (gapActive) eng.restate(C_SAMPLE_GAP, -1, dt, missedBefore, nowMs);
      else eng.set(C_SAMPLE_GAP, -1, true, dt, SAMPLE_GAP_LIMIT_MS, missedBefore, nowMs);
    } else if (gapActive && nowMs >= this.gapUntilMs) {
      eng.set(C_SAMPLE_GAP, -1, false, 0, 0, 0, nowMs);
      this.gapUntilMs = 0;
    } else if (!gapActive) this.gapUntilMs = 0;
  }

  /**
   * Full evaluation of nerve channel `ch` with filter result `code` / `cc`: sensor-fault alarm,
   * WARN / INTERVENE / STOP with hysteresis, PREDICT when due; then the channel's watch band.
   */
  private channel(ch: number, code: number, cc: number, trendDue: boolean, nowMs: number): void {
    const faultCond = this.faultCond;
    if (code === FAULT_NONE) {
      if (faultCond[ch] >= 0) this.faultState(ch, -1, 0, nowMs);
      const eng = this.engine;
      const st = eng.st;
      const n = this.channelCount;
      const l = this.limits;
      const warn = l.warnCc;
      const itv = l.interveneCc;
      const stop = l.stopCc;
      const hyst = TEMP_HYSTERESIS_CC;
      let was = (st[C_WARN * n + ch] & ST_ACTIVE) !== 0;
      let act = cc >= warn || (was && cc > warn - hyst);
      if (act !== was) eng.set(C_WARN, ch, act, cc, warn, 0, nowMs);
      was = (st[C_INTERVENE * n + ch] & ST_ACTIVE) !== 0;
      act = cc >= itv || (was && cc > itv - hyst);
      if (act !== was) eng.set(C_INTERVENE, ch, act, cc, itv, 0, nowMs);
      was = (st[C_STOP * n + ch] & ST_ACTIVE) !== 0;
      act = (cc >= stop && this.filter.confCode[ch] === 0 && this.filter.confCc[ch] >= stop) || (was && cc > stop - hyst);
      if (act !== was) eng.set(C_STOP, ch, act, cc, stop, 0, nowMs);
      if (trendDue || (cc >= itv && st[C_PREDICT * n + ch] & ST_ACTIVE)) this.predict(ch, cc, nowMs);
    } else if (code === FAULT_SPIKE) {
      if (faultCond[ch] >= 0) this.faultState(ch, -1, 0, nowMs);
    } else {
      // a sensor fault or "no data" (sample-filter.ts: ND counts, as FAULT_NO_CHIP unless a sensor fault names the cause)
      const bad = this.filter.badCount[ch];
      if (bad >= FAULT_DEBOUNCE_COUNT) this.faultState(ch, faultCondition(this.filter.cause[ch]), bad, nowMs);
    }
    this.watch(ch);
  }

  /**
   * Sets channel `ch`'s watch band in the dose integrator: a reading at or above the lowest limit
   * of an inactive temperature condition, or at or below (limit - hysteresis) of an active one,
   * changes a condition; so does reaching INTERVENE while PREDICT is active. Inside the band
   * `channel` would change nothing, so it is skipped. A sensor-fault alarm keeps the band empty
   * (the next valid reading must clear it).
   */
  private watch(ch: number): void {
    const st = this.engine.st;
    const n = this.channelCount;
    const l = this.limits;
    const w = l.warnCc;
    const i = l.interveneCc;
    const s = l.stopCc;
    const h = TEMP_HYSTERESIS_CC;
    let hi = Infinity;
    let lo = -Infinity;
    if (st[C_WARN * n + ch] & ST_ACTIVE) lo = w - h;
    else hi = w;
    if (st[C_INTERVENE * n + ch] & ST_ACTIVE) lo = lo > i - h ? lo : i - h;
    else if (i < hi) hi = i;
    if (st[C_STOP * n + ch] & ST_ACTIVE) lo = lo > s - h ? lo : s - h;
    else if (s < hi) hi = s;
    if (st[C_PREDICT * n + ch] & ST_ACTIVE && i < hi) hi = i;
    if (this.faultCond[ch] >= 0) hi = -Infinity;
    this.doses.watchHiCc[ch] = hi;
    this.doses.watchLoCc[ch] = lo;
  }

  /** FAULT_STUCK on the nerve channels whose stuck flag changed: value ms unchanged, info the frozen reading cC. */
  private stuckAlarms(nowMs: number): void {
    const s = this.stuck;
    const st = this.engine.st;
    const n = this.channelCount;
    for (let ch = 0; ch < n; ch++) {
      const on = s.stuck[ch] === 1;
      if (this.roles[ch] !== ROLE_NERVE || on === ((st[C_FAULT_STUCK * n + ch] & ST_ACTIVE) !== 0)) continue;
      this.engine.set(C_FAULT_STUCK, ch, on, on ? nowMs - s.sinceMs[ch] : 0, STUCK_MIN_MS, on ? Math.round(s.tempC[ch] * 100) : 0, nowMs);
    }
  }

  /** Switches channel `ch`'s sensor-fault alarm to condition `cond` (-1 = none). */
  private faultState(ch: number, cond: number, bad: number, nowMs: number): void {
    const was = this.faultCond[ch];
    if (was === cond) return;
    this.faultCond[ch] = cond;
    if (was >= 0) this.engine.set(was, ch, false, 0, 0, 0, nowMs);
    if (cond >= 0) this.engine.set(cond, ch, true, bad, FAULT_DEBOUNCE_COUNT, 0, nowMs);
    this.watch(ch);
  }

  /**
   * PREDICT on a valid reading: the trend's slope predicts the intervene limit within PREDICT s.
   * Temperature limits are evaluated inline in `step`, flat (slot = cond * channels + ch): this runs
   * for every nerve channel at every sample, and on Espruino each call and lookup costs microseconds.
   */
  private predict(ch: number, cc: number, nowMs: number): void {
    const l = this.limits;
    const itv = l.interveneCc;
    const was = (this.engine.st[C_PREDICT * this.channelCount + ch] & ST_ACTIVE) !== 0;
    let act = false;
    let predMs = 0;
    if (cc < itv && this.trend.spanMs[ch] >= TREND_MIN_SPAN_MS) {
      const slope = this.trend.slope[ch];
      if (slope * 1000 >= TREND_MIN_SLOPE_CC_PER_S) {
        predMs = Math.round((itv - cc) / slope);
        act = predMs <= l.predictS * 1000 * (was ? PREDICT_CLEAR_FACTOR : 1);
      }
    }
    if (act !== was) {
      this.engine.set(C_PREDICT, ch, act, cc, itv, predMs, nowMs);
      this.watch(ch);
    }
  }

  /**
   * Channel `ch`'s three dose permilles into v[at] (time >= 42.2 degC), v[at + 2] (time >= 70 degC)
   * and v[at + 4] (CEM43): the D line's layout, in one call.
   */
  dosePermilles(ch: number, v: Float64Array, at: number): void {
    const l = this.limits;
    const d = this.doses;
    const floor = Math.floor;
    v[at] = floor((d.t42Ms[ch] * 1000) / (l.dose42Min * 60000));
    v[at + 2] = floor((d.t70Ms[ch] * 1000) / (l.dose70Min * 60000));
    const pm = floor((d.cem43[ch] * 100000) / l.cem43Limit);
    v[at + 4] = pm < 9007199254740991 ? pm : 9007199254740991;
  }

  /**
   * Dose conditions at 50 % and 100 % of each model for nerve channel `ch`: a bit mask of the six
   * conditions is computed and compared with the last one; the alarms are touched only when it
   * changes. floor(x) >= 500 exactly when x >= 500 (x = t * 1000 / limit with integer ms, exact
   * at the boundary), so the masks agree with dosePermilles. Then the integrator's gates are set
   * to the next threshold not yet reached (CEM43's a hair below it, so rounding never skips one).
   */
  private doseLimits(ch: number, nowMs: number): void {
    const l = this.limits;
    const d = this.doses;
    const n = this.channelCount;
    const l42 = l.dose42Min * 60000;
    const l70 = l.dose70Min * 60000;
    const lc = l.cem43Limit;
    const t42 = d.t42Ms[ch];
    const t70 = d.t70Ms[ch];
    const x = (d.cem43[ch] * 100000) / lc;
    const m = (t42 * 2 >= l42 ? 1 : 0) | (t42 >= l42 ? 2 : 0) | (t70 * 2 >= l70 ? 4 : 0) | (t70 >= l70 ? 8 : 0) |
      (x >= 500 ? 16 : 0) | (x >= 1000 ? 32 : 0);
    d.gate42Ms[ch] = m & 2 ? Infinity : m & 1 ? l42 : l42 / 2;
    d.gate70Ms[ch] = m & 8 ? Infinity : m & 4 ? l70 : l70 / 2;
    d.gateCem43[ch] = m & 32 ? Infinity : ((m & 16 ? 1000 : 500) * lc * (1 - 1e-9)) / 100000;
    if (m === this.doseMask[ch]) return;
    this.doseMask[ch] = m;
    const pm = this.permilleScratch;
    this.dosePermilles(ch, pm, 0);
    for (let k = 0; k < 6; k++) {
      const c = C_DOSE42_50 + k;
      const act = (m & (1 << k)) !== 0;
      if (act !== ((this.engine.st[c * n + ch] & ST_ACTIVE) !== 0)) this.engine.set(c, ch, act, pm[(k >> 1) * 2], k & 1 ? 1000 : 500, 0, nowMs);
    }
  }

  /**
   * Acknowledges alarm `alarmId` (0 = all) and pauses local audio for ACK_AUDIO_PAUSE_MS.
   * Returns the number acknowledged, or -1 when `alarmId` names no present alarm (nothing paused).
   */
  acknowledge(alarmId: number, nowMs: number): number {
    const n = this.engine.acknowledge(alarmId, nowMs);
    if (n >= 0) this.pauseUntilMs = nowMs + ACK_AUDIO_PAUSE_MS;
    this.saveIfDue(nowMs);
    return n;
  }

  /** Pauses local audio for 1..120 s (the visual signal stays). Returns false when out of range. */
  pauseAudio(seconds: number, nowMs: number): boolean {
    if (!(seconds >= 1 && seconds <= MAX_AUDIO_PAUSE_S) || Math.floor(seconds) !== seconds) return false;
    this.pauseUntilMs = nowMs + seconds * 1000;
    return true;
  }

  /** Seconds of audio pause left at `nowMs` (0..120, rounded up). */
  pauseLeftS(nowMs: number): number {
    const left = this.pauseUntilMs - nowMs;
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /** Starts session `id`: doses reset. False when a session is running. */
  startSession(id: string, nowMs: number): boolean {
    if (this.session !== "-") return false;
    this.session = id;
    this.doses.reset();
    this.recheck = 255;
    this.save(nowMs);
    return true;
  }

  /** Ends the running session (doses kept until the next start). False when none is running. */
  endSession(nowMs: number): boolean {
    if (this.session === "-") return false;
    this.session = "-";
    this.save(nowMs);
    return true;
  }

  /** Sets one limit within its safe bounds (protocol/limits.ts checkLimit): "" when done, else the NAK reason. */
  setLimit(param: LimitParam, value: number, nowMs: number): "" | "RANGE" | "ORDER" {
    const why = checkLimit(this.limits, param, value);
    if (why !== "") return why;
    this.limits[LIMIT_FIELD[param]] = value;
    this.recheck = 255;
    this.save(nowMs);
    return "";
  }

  /** Highest priority present (PRIO_*). */
  priority(): number {
    const a = this.engine;
    return a.highCount > 0 ? PRIO_HIGH : a.mediumCount > 0 ? PRIO_MEDIUM : a.present > 0 ? PRIO_LOW : PRIO_NONE;
  }

  /** True while a STOP alarm is present (active, or latched and not acknowledged): fail closed. */
  interlock(): boolean {
    return this.engine.stopCount > 0;
  }

  /**
   * Drives the outputs for `nowMs`; returns the device time of the next pattern edge (Infinity if
   * none). Between two edges with the same inputs (priority, audio pause, interlock) the levels
   * cannot change, so the pattern is only recomputed at an edge or when an input changed.
   */
  annunciate(nowMs: number): number {
    if (this.engine.present === 0 && this.quiet) return Infinity;
    this.quiet = this.engine.present === 0;
    const prio = this.priority();
    const key = prio * 4 + (this.pauseUntilMs > nowMs ? 2 : 0) + (this.engine.stopCount > 0 ? 1 : 0);
    if (key === this.annKey && nowMs < this.annNextMs) return this.annNextMs;
    const next = this.annunciator.step(nowMs, prio, (key & 2) !== 0, (key & 1) !== 0);
    this.annKey = key;
    return (this.annNextMs = key & 2 && this.pauseUntilMs < next ? this.pauseUntilMs : next);
  }

  /** The snapshot text of the current state. */
  snapshotText(): string {
    const d: number[] = [];
    for (let ch = 0; ch < this.channelCount; ch++) d.push(this.doses.t42Ms[ch], this.doses.t70Ms[ch], Math.ceil(this.doses.cem43[ch] * 1000));
    const l = this.limits;
    const a: number[] = [];
    const al = this.engine;
    for (let i = 0; i < al.slots; i++) {
      if ((al.st[i] & (ST_PRESENT | ST_ACKED)) === ST_PRESENT && al.latching(i)) a.push(al.condOf(i), al.chOf(i), al.value[i], al.limit[i]);
    }
    return JSON.stringify({
      v: SNAPSHOT_VERSION, n: this.channelCount, s: this.session, d: d,
      l: [l.warnCc, l.interveneCc, l.stopCc, l.predictS, l.dose42Min, l.dose70Min, l.cem43Limit], a: a,
    });
  }

  /** Writes the snapshot now if it changed (alarm transitions, session, limits call this). */
  save(nowMs: number): void {
    this.saveNeeded = false;
    this.nextSaveMs = nowMs + SAVE_PERIOD_MS;
    if (!this.store) return;
    const text = this.snapshotText();
    if (text === this.lastSaved && this.storageOk) return;
    let ok = false;
    try {
      ok = this.store.write(text) !== false;
    } catch (e) {
      ok = false;
    }
    this.storageOk = ok;
    if (ok) this.lastSaved = text;
    this.engine.set(C_STORAGE_FAIL, -1, !ok, 0, 0, 0, nowMs);
    this.saveNeeded = false;
  }

  /** Saves when an alarm changed (at once, unless storage is failing) or the save period is over. */
  private saveIfDue(nowMs: number): void {
    if ((this.saveNeeded && (this.storageOk || !this.store)) || nowMs >= this.nextSaveMs) this.save(nowMs);
  }
}
