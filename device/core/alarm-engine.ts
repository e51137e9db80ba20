// Alarm state machine in the IEC 60601-1-8 manner: raise, latch, acknowledge, clear; one event per transition.
import { ALARM_ACTIONS } from "../../protocol/messages";
import { CHANNEL_CONDITIONS, COND_LATCH, COND_PRIO, C_SAMPLE_GAP, C_STOP } from "./conditions";

/* Transition actions, in the order of ALARM_ACTIONS in protocol/messages.ts. */
export const ACT_RAISE = 0;
export const ACT_UPDATE = 1;
export const ACT_CLEAR = 2;
export const ACT_ACK = 3;
/** Wire names of the actions, index = ACT_* (the protocol's own list). */
export const ACTION_NAMES: readonly string[] = ALARM_ACTIONS;

/* Slot state bits. */
/** The alarm exists (raised, not yet cleared). */
export const ST_PRESENT = 1;
/** Its condition is present now. */
export const ST_ACTIVE = 2;
/** A user acknowledged it. */
export const ST_ACKED = 4;

/** Receives every transition: the slot (read its state from the engine), the action, the time. */
export type AlarmListener = (slot: number, action: number, nowMs: number) => void;

/**
 * One slot per (condition, channel): 15 channel conditions x channels, then SAMPLE_GAP and
 * STORAGE_FAIL (channel -1). State lives in typed arrays; nothing is allocated per sample.
 *
 * Rules (clinical.md "Alarm conventions", PROTOCOL.md section 4):
 * - condition starts, no alarm: RAISE, with a new id (ids count from 1 within a boot);
 * - condition ends: a latching alarm not yet acknowledged stays (UPDATE, active=0); any other CLEARs;
 * - condition starts again while the latched alarm is shown: UPDATE, active=1, with the new value;
 * - acknowledge: an active alarm is marked (ACK, it CLEARs when its condition ends); a latched
 *   alarm whose condition has ended CLEARs at once. Acknowledging never hides an active alarm.
 */
export class AlarmEngine {
  readonly channelCount: number;
  readonly slots: number;
  /** Alarm id per slot (valid while ST_PRESENT, kept after CLEAR for the record); ids are 1..2^32-1 on the wire. */
  readonly id: Uint32Array;
  /** ST_* bits per slot. */
  readonly st: Uint8Array;
  /**
   * value / limit / info of the alarm line, per slot (PROTOCOL.md section 4 table). `info` is always
   * a small integer (ms to the predicted crossing, samples missed, a frozen reading in cC, 0), so it
   * takes 4 bytes a slot: on a Pico's heap, 130 slots of Float64 instead of Int32 and Uint32 for
   * `info` and `id` would cost about 80 of its 5,000 variables.
   */
  readonly value: Float64Array;
  readonly limit: Float64Array;
  readonly info: Int32Array;
  /** Present alarms: all, high priority, medium priority; STOP alarms present (interlock). */
  present = 0;
  highCount = 0;
  mediumCount = 0;
  stopCount = 0;
  /** Incremented on every transition (persistence and D lines key on it). */
  transitions = 0;
  private nextId = 1;
  private readonly listener: AlarmListener;
  /** Per slot: 2 high priority, 1 medium, 0 low; +4 for a STOP slot (what the counts above add up). */
  private readonly weight: Uint8Array;

  constructor(channels: number, listener: AlarmListener) {
    this.channelCount = channels;
    this.slots = CHANNEL_CONDITIONS * channels + 2;
    this.id = new Uint32Array(this.slots);
    this.st = new Uint8Array(this.slots);
    this.value = new Float64Array(this.slots);
    this.limit = new Float64Array(this.slots);
    this.info = new Int32Array(this.slots);
    this.listener = listener;
    this.weight = new Uint8Array(this.slots);
    for (let i = 0; i < this.slots; i++) {
      const p = COND_PRIO.charCodeAt(this.condOf(i));
      this.weight[i] = (p === 72 ? 2 : p === 77 ? 1 : 0) + (this.condOf(i) === C_STOP ? 4 : 0);
    }
  }

  /** Sets a slot's state bits, keeping the present / priority / STOP counts (no scan over the slots). */
  private put(slot: number, st: number): void {
    const was = this.st[slot] & ST_PRESENT;
    this.st[slot] = st;
    const d = (st & ST_PRESENT) - was;
    if (d === 0) return;
    const w = this.weight[slot];
    this.present += d;
    if (w & 2) this.highCount += d;
    else if (w & 1) this.mediumCount += d;
    if (w & 4) this.stopCount += d;
  }

  /** Slot of condition `cond` on channel `ch` (ch ignored for SAMPLE_GAP / STORAGE_FAIL). */
  slotOf(cond: number, ch: number): number {
    return cond < CHANNEL_CONDITIONS ? cond * this.channelCount + ch : CHANNEL_CONDITIONS * this.channelCount + cond - C_SAMPLE_GAP;
  }

  /** Condition of a slot. */
  condOf(slot: number): number {
    const base = CHANNEL_CONDITIONS * this.channelCount;
    return slot < base ? Math.floor(slot / this.channelCount) : C_SAMPLE_GAP + slot - base;
  }

  /** Channel of a slot (-1 for device-wide conditions). */
  chOf(slot: number): number {
    return slot < CHANNEL_CONDITIONS * this.channelCount ? slot % this.channelCount : -1;
  }

  /** 1 when the slot's condition latches. */
  latching(slot: number): number {
    return COND_LATCH.charCodeAt(this.condOf(slot)) - 48;
  }

  /**
   * Reports whether condition `cond` of channel `ch` is present now. value / limit / info are
   * stored when the alarm is raised or re-activated (e.g. the temperature that crossed).
   */
  set(cond: number, ch: number, active: boolean, value: number, limit: number, info: number, nowMs: number): void {
    const slot = this.slotOf(cond, ch);
    const s = this.st[slot];
    if (active) {
      if (s & ST_ACTIVE) return;
      this.value[slot] = value;
      this.limit[slot] = limit;
      this.info[slot] = info;
      if (s & ST_PRESENT) {
        this.put(slot, ST_PRESENT | ST_ACTIVE);
        this.emit(slot, ACT_UPDATE, nowMs);
      } else {
        this.id[slot] = this.nextId++;
        this.put(slot, ST_PRESENT | ST_ACTIVE);
        this.emit(slot, ACT_RAISE, nowMs);
      }
      return;
    }
    if (!(s & ST_ACTIVE)) return;
    if (this.latching(slot) && !(s & ST_ACKED)) {
      this.put(slot, ST_PRESENT);
      this.emit(slot, ACT_UPDATE, nowMs);
    } else {
      this.put(slot, s & ST_ACKED);
      this.emit(slot, ACT_CLEAR, nowMs);
    }
  }

  /** New value / info for an active alarm (e.g. another sample gap): UPDATE. */
  restate(cond: number, ch: number, value: number, info: number, nowMs: number): void {
    const slot = this.slotOf(cond, ch);
    if (!(this.st[slot] & ST_ACTIVE)) return;
    this.value[slot] = value;
    this.info[slot] = info;
    this.emit(slot, ACT_UPDATE, nowMs);
  }

  /** Shows a latched alarm restored from storage after a reboot: RAISE with active=0, not acknowledged. */
  restoreLatched(cond: number, ch: number, value: number, limit: number, nowMs: number): void {
    const slot = this.slotOf(cond, ch);
    if (this.st[slot] & ST_PRESENT || !this.latching(slot)) return;
    this.value[slot] = value;
    this.limit[slot] = limit;
    this.info[slot] = 0;
    this.id[slot] = this.nextId++;
    this.put(slot, ST_PRESENT);
    this.emit(slot, ACT_RAISE, nowMs);
  }

  /** Slot of the present alarm with this id, or -1. */
  findId(alarmId: number): number {
    for (let i = 0; i < this.slots; i++) if (this.st[i] & ST_PRESENT && this.id[i] === alarmId) return i;
    return -1;
  }

  /**
   * Acknowledges one alarm (`alarmId` > 0) or every present one (0). Returns how many were
   * newly acknowledged, or -1 when `alarmId` names no present alarm.
   */
  acknowledge(alarmId: number, nowMs: number): number {
    if (alarmId > 0) {
      const slot = this.findId(alarmId);
      if (slot < 0) return -1;
      return this.ackSlot(slot, nowMs);
    }
    let n = 0;
    for (let i = 0; i < this.slots; i++) if (this.st[i] & ST_PRESENT) n += this.ackSlot(i, nowMs);
    return n;
  }

  private ackSlot(slot: number, nowMs: number): number {
    const s = this.st[slot];
    if (s & ST_ACKED) return 0;
    if (s & ST_ACTIVE) {
      this.put(slot, s | ST_ACKED);
      this.emit(slot, ACT_ACK, nowMs);
    } else {
      this.put(slot, ST_ACKED);
      this.emit(slot, ACT_CLEAR, nowMs);
    }
    return 1;
  }

  private emit(slot: number, action: number, nowMs: number): void {
    this.transitions++;
    this.listener(slot, action, nowMs);
  }
}
