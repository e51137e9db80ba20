// Test harness for the device core: feeds a temperature trace into a Monitor at explicit times and records alarm events.
import { FAULT_NONE } from "../../device/source";
import { ACTION_NAMES } from "../../device/core/alarm-engine";
import { CONDITION_NAMES } from "../../device/core/conditions";
import { ROLE_NERVE } from "../../device/core/core-constants";
import { Monitor, type MonitorOptions } from "../../device/core/monitor";
import type { Outputs } from "../../device/core/annunciator";
import type { Store } from "../../device/core/snapshot";

/** One recorded alarm transition with the slot's state right after it. */
export interface AlarmRecord {
  tMs: number;
  id: number;
  action: string;
  cond: string;
  ch: number;
  active: boolean;
  acked: boolean;
  value: number;
  limit: number;
  info: number;
}

/** In-memory Store. `fail` makes writes throw. */
export class MemoryStore implements Store {
  text: string | null = null;
  writes = 0;
  fail = false;
  read(): string | null {
    return this.text;
  }
  write(text: string): void {
    if (this.fail) throw new Error("flash full");
    this.writes++;
    this.text = text;
  }
}

/** Outputs that remember their level and every change. */
export class RecordingOutputs implements Outputs {
  ledOn = false;
  buzzerOn = false;
  interlockOn = false;
  changes: string[] = [];
  led(on: boolean): void {
    this.ledOn = on;
    this.changes.push("led" + (on ? 1 : 0));
  }
  buzzer(on: boolean): void {
    this.buzzerOn = on;
    this.changes.push("buz" + (on ? 1 : 0));
  }
  interlock(asserted: boolean): void {
    this.interlockOn = asserted;
    this.changes.push("ilk" + (asserted ? 1 : 0));
  }
}

/** A Monitor plus the arrays a source writes and the log of alarm transitions. */
export class Harness {
  readonly monitor: Monitor;
  readonly events: AlarmRecord[] = [];
  readonly tempC: Float64Array;
  readonly fault: Uint8Array;

  constructor(opts?: Partial<MonitorOptions>) {
    const roles = opts?.roles ?? [ROLE_NERVE];
    this.tempC = new Float64Array(roles.length);
    this.fault = new Uint8Array(roles.length);
    const events = this.events;
    let m: Monitor | undefined;
    m = new Monitor({
      ...opts,
      roles,
      onAlarm(slot, action, nowMs) {
        const a = m!.engine;
        events.push({
          tMs: nowMs, id: a.id[slot], action: ACTION_NAMES[action], cond: CONDITION_NAMES[a.condOf(slot)], ch: a.chOf(slot),
          active: (a.st[slot] & 2) !== 0, acked: (a.st[slot] & 4) !== 0, value: a.value[slot], limit: a.limit[slot], info: a.info[slot],
        });
      },
    });
    this.monitor = m;
  }

  /** One sample at nowMs with channel 0 (and others, if given) at tempC. */
  sample(nowMs: number, temps: number | number[], faults?: number[], missedBefore = 0): void {
    const t = typeof temps === "number" ? [temps] : temps;
    for (let i = 0; i < this.tempC.length; i++) {
      this.tempC[i] = t[i] ?? t[0];
      this.fault[i] = faults?.[i] ?? FAULT_NONE;
    }
    this.monitor.step(nowMs, this.tempC, this.fault, missedBefore);
  }

  /** Samples every periodMs from fromMs (inclusive) to toMs (exclusive), channel 0 = f(tMs). */
  run(fromMs: number, toMs: number, f: (tMs: number) => number, periodMs = 100): void {
    for (let t = fromMs; t < toMs; t += periodMs) this.sample(t, f(t));
  }

  /** Events of one condition (and action, if given). */
  of(cond: string, action?: string): AlarmRecord[] {
    return this.events.filter((e) => e.cond === cond && (action === undefined || e.action === action));
  }
}
