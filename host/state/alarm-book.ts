// The active alarms: device alarms mirrored from A lines, and the bridge's own technical alarms.
import type { AlarmEvent } from "../../protocol";
import type { Alarm, AlarmCondition, HostCondition } from "../domain/domain-schemas";
import { alarmText } from "./alarm-text";

/** One alarm transition, as sent to clients and recorded. */
export interface AlarmTransition {
  action: "RAISE" | "UPDATE" | "CLEAR" | "ACK";
  alarm: Alarm;
}

/** Host alarm properties: IEC 60601-1-8 priority and latching, per condition (docs/WEBSOCKET.md table). */
export const HOST_ALARM_SPEC: { readonly [C in HostCondition]: { prio: "H" | "M" | "L"; latching: boolean } } = {
  LINK_LOST: { prio: "H", latching: false },
  STALE: { prio: "M", latching: false },
  DOSE_MISMATCH: { prio: "M", latching: true },
  DEVICE_REBOOT: { prio: "M", latching: true },
  READINGS_LOST: { prio: "L", latching: true },
  SCHEMA_MISMATCH: { prio: "L", latching: false },
  RECORDING_FAILED: { prio: "M", latching: true },
  ALARM_MISMATCH: { prio: "H", latching: false },
  MQTT_DOWN: { prio: "L", latching: false },
};

/**
 * Most device alarms kept. A device has at most 15 channel conditions x 8 channels + 2 alarms present
 * at once (device/core/alarm-engine.ts), so more means a faulty device; beyond the cap the oldest
 * alarm whose condition has ended (else the oldest) is dropped, as a CLEAR, so memory and snapshots stay bounded.
 */
export const MAX_DEVICE_ALARMS = 256;

/** Key of a host alarm: "host:COND" or "host:COND:ch". */
export function hostAlarmKey(cond: HostCondition, ch: number): string {
  return ch < 0 ? "host:" + cond : "host:" + cond + ":" + ch;
}

/** Alarms by key; every change is reported through `emit`. */
export class AlarmBook {
  private readonly alarms = new Map<string, Alarm>();

  constructor(private readonly emit: (t: AlarmTransition) => void) {}

  /** Alarms currently shown (active, latched, or not yet acknowledged), oldest first. */
  list(): Alarm[] {
    return [...this.alarms.values()];
  }

  get(key: string): Alarm | undefined {
    return this.alarms.get(key);
  }

  /** Mirrors a device A line (already in seq order). atMs: wall-clock time of the device's tMs. */
  device(a: AlarmEvent, bootHex: string, label: string, atMs: number): void {
    const key = "dev:" + bootHex + ":" + a.alarmId;
    const prev = this.alarms.get(key);
    const alarm: Alarm = {
      key: key,
      source: "device",
      alarmId: a.alarmId,
      cond: a.cond,
      ch: a.ch,
      prio: a.prio,
      kind: a.kind,
      active: a.active === 1,
      acked: a.acked === 1,
      latching: a.latching === 1,
      value: a.value,
      limit: a.limit,
      info: a.info,
      raisedAtMs: prev ? prev.raisedAtMs : atMs,
      changedAtMs: atMs,
      tMs: a.tMs,
      text: alarmText(a.cond, label, a.value, a.limit, a.info),
    };
    if (a.action === "CLEAR") this.alarms.delete(key);
    else {
      this.alarms.set(key, alarm);
      if (!prev) this.capDevice(key, atMs);
    }
    this.emit({ action: a.action, alarm: { ...alarm } });
  }

  /** Drops one device alarm (oldest ended, else oldest; never `keep`) when there are more than MAX_DEVICE_ALARMS. */
  private capDevice(keep: string, atMs: number): void {
    let n = 0;
    let oldest: Alarm | undefined;
    let oldestEnded: Alarm | undefined;
    for (const a of this.alarms.values()) {
      if (a.source !== "device") continue;
      n++;
      if (a.key === keep) continue;
      oldest ??= a;
      if (!a.active) oldestEnded ??= a;
    }
    const victim = oldestEnded ?? oldest;
    if (n <= MAX_DEVICE_ALARMS || !victim) return;
    this.alarms.delete(victim.key);
    this.emit({ action: "CLEAR", alarm: { ...victim, changedAtMs: atMs } });
  }

  /** Device alarms present (not cleared): what the device's status line counts as active or latched. */
  deviceCount(): number {
    let n = 0;
    for (const a of this.alarms.values()) if (a.source === "device") n++;
    return n;
  }

  /** Keys of the device alarms present. */
  deviceKeys(): string[] {
    return [...this.alarms.values()].filter((a) => a.source === "device").map((a) => a.key);
  }

  /** Removes the device alarms not in `keep` (the handshake's restatement is the complete list: PROTOCOL.md section 3). */
  retainDevice(keep: ReadonlySet<string>, atMs: number): void {
    for (const [key, a] of this.alarms) {
      if (a.source !== "device" || keep.has(key)) continue;
      this.alarms.delete(key);
      this.emit({ action: "CLEAR", alarm: { ...a, active: false, changedAtMs: atMs } });
    }
  }

  /** Removes every device alarm (the device rebooted, or another device took the port). */
  clearDevice(atMs: number): void {
    for (const [key, a] of this.alarms) {
      if (a.source !== "device") continue;
      this.alarms.delete(key);
      this.emit({ action: "CLEAR", alarm: { ...a, active: false, changedAtMs: atMs } });
    }
  }

  /** Raises (or re-raises) a host alarm; while it stays active only its value is refreshed, silently. */
  raiseHost(cond: HostCondition, ch: number, label: string, value: number, limit: number, info: number, atMs: number): void {
    const key = hostAlarmKey(cond, ch);
    const prev = this.alarms.get(key);
    if (prev && prev.active) {
      prev.value = value;
      prev.info = info;
      prev.text = alarmText(cond, label, value, limit, info);
      return;
    }
    const spec = HOST_ALARM_SPEC[cond];
    const alarm: Alarm = {
      key: key,
      source: "host",
      alarmId: null,
      cond: cond,
      ch: ch,
      prio: spec.prio,
      kind: "T",
      active: true,
      acked: false,
      latching: spec.latching,
      value: value,
      limit: limit,
      info: info,
      raisedAtMs: prev ? prev.raisedAtMs : atMs,
      changedAtMs: atMs,
      tMs: null,
      text: alarmText(cond, label, value, limit, info),
    };
    this.alarms.set(key, alarm);
    this.emit({ action: prev ? "UPDATE" : "RAISE", alarm: { ...alarm } });
  }

  /** The host alarm's condition ended: cleared, or kept (inactive) while latched and unacknowledged. */
  endHost(cond: HostCondition, ch: number, atMs: number): void {
    const key = hostAlarmKey(cond, ch);
    const a = this.alarms.get(key);
    if (!a || !a.active) return;
    a.active = false;
    a.changedAtMs = atMs;
    if (a.latching && !a.acked) this.emit({ action: "UPDATE", alarm: { ...a } });
    else {
      this.alarms.delete(key);
      this.emit({ action: "CLEAR", alarm: { ...a } });
    }
  }

  /** Acknowledges a host alarm (true if there was one to acknowledge). Cleared when its condition has ended. */
  ackHost(key: string, atMs: number): boolean {
    const a = this.alarms.get(key);
    if (!a || a.source !== "host" || a.acked) return false;
    a.acked = true;
    a.changedAtMs = atMs;
    if (!a.active) {
      this.alarms.delete(key);
      this.emit({ action: "CLEAR", alarm: { ...a } });
    } else this.emit({ action: "ACK", alarm: { ...a } });
    return true;
  }

  /** Whether any alarm of `cond` is active. */
  isActive(cond: AlarmCondition): boolean {
    for (const a of this.alarms.values()) if (a.cond === cond && a.active) return true;
    return false;
  }
}
