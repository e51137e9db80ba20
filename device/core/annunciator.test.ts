// Annunciation patterns: high = 10-pulse bursts, medium = 3-pulse bursts, LED flash rates, IEC 60601-1-8 timing ranges, edges on the sample grid, pause mutes sound only.
import { describe, expect, it } from "vitest";
import {
  Annunciator, HIGH_BURST_PERIOD_MS, HIGH_LED_PERIOD_MS, HIGH_PULSE_OFF_MS, HIGH_PULSE_ON_MS, MEDIUM_BURST_PERIOD_MS, MEDIUM_LED_PERIOD_MS,
  HIGH_PULSES, MEDIUM_PULSE_OFF_MS, MEDIUM_PULSE_ON_MS, MEDIUM_PULSES, PRIO_HIGH, PRIO_LOW, PRIO_MEDIUM, PRIO_NONE,
} from "./annunciator";
import { RecordingOutputs } from "../../test/device/monitor-harness";

/** Drives the annunciator only at its own next-change times and counts buzzer pulses and LED flashes in [0, toMs). */
function drive(prio: number, toMs: number, paused = false) {
  const out = new RecordingOutputs();
  const a = new Annunciator(out);
  let t = 0;
  let steps = 0;
  while (t < toMs && steps++ < 10000) t = a.step(t, prio, paused, false);
  return { pulses: out.changes.filter((c) => c === "buz1").length, flashes: out.changes.filter((c) => c === "led1").length, out };
}

/**
 * The patterns written plainly, level by level (LED on for the first half of its period; buzzer
 * pulses from each burst's start), and the next edge found by walking the 1 ms grid: the reference
 * for Annunciator.step's closed forms.
 */
function referenceLevels(prio: number, paused: boolean, t: number): number {
  if (prio === PRIO_LOW) return 1;
  if (prio < PRIO_MEDIUM) return 0;
  const high = prio === PRIO_HIGH;
  const period = high ? HIGH_LED_PERIOD_MS : MEDIUM_LED_PERIOD_MS;
  const led = t % period < period / 2 ? 1 : 0;
  const on = high ? HIGH_PULSE_ON_MS : MEDIUM_PULSE_ON_MS;
  const cycle = on + (high ? HIGH_PULSE_OFF_MS : MEDIUM_PULSE_OFF_MS);
  const p = t % (high ? HIGH_BURST_PERIOD_MS : MEDIUM_BURST_PERIOD_MS);
  const buz = !paused && p < (high ? HIGH_PULSES : MEDIUM_PULSES) * cycle && p % cycle < on ? 2 : 0;
  return led | buz;
}

describe("Annunciator", () => {
  it("levels and next edge agree with the patterns written plainly, on and off the sample grid", () => {
    for (const prio of [PRIO_NONE, PRIO_LOW, PRIO_MEDIUM, PRIO_HIGH]) {
      for (const paused of [false, true]) {
        const since = 1234;
        const a = new Annunciator(new RecordingOutputs());
        a.step(since, prio, paused, false);
        for (let t = 0; t < 2 * MEDIUM_BURST_PERIOD_MS; t += 37) {
          const next = a.step(since + t, prio, paused, false);
          const want = referenceLevels(prio, paused, t);
          expect(a.levels(), `prio ${prio} paused ${paused} t ${t}`).toBe(want);
          let e = t + 1;
          while (e < t + 20000 && referenceLevels(prio, paused, e) === want) e++;
          expect(next, `prio ${prio} paused ${paused} t ${t}`).toBe(e < t + 20000 ? since + e : Infinity);
        }
      }
    }
  });

  it("high priority: bursts of 10 pulses, LED at 2.5 Hz", () => {
    const r = drive(PRIO_HIGH, HIGH_BURST_PERIOD_MS * 3);
    expect(r.pulses).toBe(30);
    expect(r.flashes).toBe(Math.ceil((HIGH_BURST_PERIOD_MS * 3) / HIGH_LED_PERIOD_MS)); // 400 ms period: 38 flashes in 15 s
  });

  it("medium priority: bursts of 3 pulses, LED at 0.5 Hz", () => {
    const r = drive(PRIO_MEDIUM, MEDIUM_BURST_PERIOD_MS * 2);
    expect(r.pulses).toBe(6);
    expect(r.flashes).toBe((MEDIUM_BURST_PERIOD_MS * 2) / 2000);
  });

  it("paused: no sound, the LED keeps flashing", () => {
    const r = drive(PRIO_HIGH, 10000, true);
    expect(r.pulses).toBe(0);
    expect(r.flashes).toBe(25);
  });

  it("timings within IEC 60601-1-8, every edge on the 100 ms sample grid from the pattern's start", () => {
    expect(1000 / HIGH_LED_PERIOD_MS).toBeGreaterThanOrEqual(1.4);
    expect(1000 / HIGH_LED_PERIOD_MS).toBeLessThanOrEqual(2.8);
    expect(1000 / MEDIUM_LED_PERIOD_MS).toBeGreaterThanOrEqual(0.4);
    expect(1000 / MEDIUM_LED_PERIOD_MS).toBeLessThanOrEqual(0.8);
    expect([HIGH_PULSE_ON_MS >= 75 && HIGH_PULSE_ON_MS <= 200, HIGH_PULSE_OFF_MS >= 50 && HIGH_PULSE_OFF_MS <= 125]).toEqual([true, true]);
    expect([MEDIUM_PULSE_ON_MS >= 125 && MEDIUM_PULSE_ON_MS <= 250, MEDIUM_PULSE_OFF_MS >= 125 && MEDIUM_PULSE_OFF_MS <= 250]).toEqual([true, true]);
    for (const prio of [PRIO_HIGH, PRIO_MEDIUM]) {
      for (const paused of [false, true]) {
        const a = new Annunciator(new RecordingOutputs());
        const offGrid: number[] = [];
        let t = 300;
        for (let k = 0; k < 200 && t < 300 + 3 * MEDIUM_BURST_PERIOD_MS; k++) {
          t = a.step(t, prio, paused, false);
          if ((t - 300) % 100 !== 0) offGrid.push(t);
        }
        expect(offGrid, `prio ${prio} paused ${paused}`).toEqual([]);
      }
    }
  });

  it("low priority: LED steady, silent; none: all off, no further edges", () => {
    const out = new RecordingOutputs();
    const a = new Annunciator(out);
    expect(a.step(0, PRIO_LOW, false, false)).toBe(Infinity);
    expect(out.ledOn).toBe(true);
    expect(a.step(10, PRIO_NONE, false, true)).toBe(Infinity);
    expect([out.ledOn, out.buzzerOn, out.interlockOn]).toEqual([false, false, true]);
    expect(a.levels()).toBe(4);
  });
});
