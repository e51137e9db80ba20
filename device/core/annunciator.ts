// Local alarm signals: LED and buzzer patterns by priority (IEC 60601-1-8), interlock output.

/** The device's local outputs. Each method is called only when the level changes. */
export interface Outputs {
  /** Visual alarm signal (never silenced while an alarm is present). */
  led(on: boolean): void;
  /** Auditory alarm signal (silenced while audio is paused). */
  buzzer(on: boolean): void;
  /** Generator interlock: true = energy must stop. */
  interlock(asserted: boolean): void;
}

/** Priority levels of the annunciator (highest present alarm). */
export const PRIO_NONE = 0;
export const PRIO_LOW = 1;
export const PRIO_MEDIUM = 2;
export const PRIO_HIGH = 3;

/*
 * Patterns (clinical.md, IEC 60601-1-8 as commonly summarised):
 * - high: LED flashing 2.5 Hz (within 1.4-2.8 Hz), 50 % duty; buzzer burst of 10 pulses of 100 ms
 *   spaced 100 ms (IEC 60601-1-8 pulse duration 75-200 ms, spacing 50-125 ms), repeated;
 * - medium: LED flashing 0.5 Hz (within 0.4-0.8 Hz), 50 % duty; buzzer burst of 3 pulses of 200 ms
 *   spaced 200 ms (pulse duration and spacing 125-250 ms), repeated;
 * - low: LED steady, no sound.
 * Every edge falls on a multiple of 100 ms from the pattern's start, which is a sample instant: at
 * 10 Hz the outputs change only in sample ticks, so a board never wakes between samples for them
 * (on Espruino each extra wake-up cost ~0.46 M instructions).
 */
export const HIGH_LED_PERIOD_MS = 400;
export const MEDIUM_LED_PERIOD_MS = 2000;
export const HIGH_PULSES = 10;
export const HIGH_PULSE_ON_MS = 100;
export const HIGH_PULSE_OFF_MS = 100;
/** Start-to-start interval of high-priority bursts (IEC range 2.5-15 s). */
export const HIGH_BURST_PERIOD_MS = 5000;
export const MEDIUM_PULSES = 3;
export const MEDIUM_PULSE_ON_MS = 200;
export const MEDIUM_PULSE_OFF_MS = 200;
/** Start-to-start interval of medium-priority bursts (IEC range 2.5-30 s). */
export const MEDIUM_BURST_PERIOD_MS = 8000;

/**
 * Pattern generator. Call `step` whenever the alarm state may have changed and at the time it
 * returns; it drives `outputs` only on level changes. Patterns restart when the priority changes,
 * so a new high alarm starts with a full burst at once.
 */
export class Annunciator {
  private readonly outputs: Outputs;
  private prio = -1;
  private sinceMs = 0;
  private ledLevel = -1;
  private buzzerLevel = -1;
  private interlockLevel = -1;

  constructor(outputs: Outputs) {
    this.outputs = outputs;
  }

  /**
   * Sets the outputs for time `nowMs` given the highest present priority, audio pause and
   * interlock; returns the device time of the next pattern edge after `nowMs` (Infinity when the
   * outputs stay steady). Levels and the next edge come from one pass over the same quantities
   * (on Espruino every operation costs; this runs at every sample while a high alarm sounds).
   * LED: on for the first half of each period. Buzzer: `pulses` pulses of `on` ms every `cycle`
   * ms from the start of each burst, then silence until the next burst.
   */
  step(nowMs: number, prio: number, audioPaused: boolean, interlock: boolean): number {
    if (prio !== this.prio) {
      this.prio = prio;
      this.sinceMs = nowMs;
    }
    const t = nowMs - this.sinceMs;
    let led = prio === PRIO_LOW ? 1 : 0;
    let buz = 0;
    let next = Infinity;
    if (prio >= PRIO_MEDIUM) {
      const high = prio === PRIO_HIGH;
      const ledHalf = (high ? HIGH_LED_PERIOD_MS : MEDIUM_LED_PERIOD_MS) / 2;
      const k = Math.floor(t / ledHalf);
      led = k % 2 === 0 ? 1 : 0;
      next = (k + 1) * ledHalf;
      if (!audioPaused) {
        const on = high ? HIGH_PULSE_ON_MS : MEDIUM_PULSE_ON_MS;
        const cycle = on + (high ? HIGH_PULSE_OFF_MS : MEDIUM_PULSE_OFF_MS);
        const burst = high ? HIGH_BURST_PERIOD_MS : MEDIUM_BURST_PERIOD_MS;
        const pulses = high ? HIGH_PULSES : MEDIUM_PULSES;
        const p = t % burst;
        const q = p % cycle;
        if (p < pulses * cycle && q < on) buz = 1;
        const e = t - p + (p >= (pulses - 1) * cycle + on ? burst : q < on ? p - q + on : p - q + cycle);
        if (e < next) next = e;
      }
      next += this.sinceMs;
    }
    const ilk = interlock ? 1 : 0;
    if (ilk !== this.interlockLevel) {
      this.interlockLevel = ilk;
      this.outputs.interlock(interlock);
    }
    if (led !== this.ledLevel) {
      this.ledLevel = led;
      this.outputs.led(led === 1);
    }
    if (buz !== this.buzzerLevel) {
      this.buzzerLevel = buz;
      this.outputs.buzzer(buz === 1);
    }
    return next;
  }

  /** Current levels (for tests and status): bit 1 LED, bit 2 buzzer, bit 4 interlock. */
  levels(): number {
    return (this.ledLevel === 1 ? 1 : 0) | (this.buzzerLevel === 1 ? 2 : 0) | (this.interlockLevel === 1 ? 4 : 0);
  }
}
