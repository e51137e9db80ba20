// Scenario tests of the device core with explicit times: crossings, doses vs closed forms, gaps, spikes, faults, latching, persistence.
import { describe, expect, it } from "vitest";
import { FAULT_NO_CHIP, FAULT_NO_DATA, FAULT_OPEN, FAULT_RANGE, FAULT_SHORT_GND, FAULT_SHORT_VCC, FAULT_SPIKE } from "../source";
import { ROLE_ABLATION, ROLE_NERVE, SPIKE_MAX_RUN, TREND_STEP_MS } from "./core-constants";
import { PRIO_HIGH } from "./annunciator";
import { Monitor } from "./monitor";
import { Harness, MemoryStore, RecordingOutputs } from "../../test/device/monitor-harness";

const MIN = 60000;

/**
 * Samples every 100 ms from `fromMs`, moving channel 0 from `fromC` (the previous sample's value)
 * towards `toC` by `stepCc` per sample, the last sample exactly at `toC`; returns the next free
 * instant. The default 0.1 degC per sample (1 degC/s) is faster than tissue next to a nerve ever
 * heats (core-constants.ts: 0.13 degC/s at most) and well inside the spike allowance (1.2 degC).
 */
function ramp(h: Harness, fromMs: number, fromC: number, toC: number, stepCc = 10): number {
  let c = Math.round(fromC * 100);
  const to = Math.round(toC * 100);
  let t = fromMs;
  while (c !== to) {
    c = c < to ? Math.min(to, c + stepCc) : Math.max(to, c - stepCc);
    h.sample(t, c / 100);
    t += 100;
  }
  return t;
}

describe("temperature limits", () => {
  it("raises INTERVENE on the very sample that crosses 42 degC", () => {
    const h = new Harness();
    // 39.5 degC, then a physiological approach (1 degC/s): 40.0 at 8.0 s, 41.9 at 9.9 s, 42.05 at 10.0 s
    h.run(0, 7600, () => 39.5);
    const t = ramp(h, 7600, 39.5, 41.9);
    expect(t).toBe(10000);
    h.run(10000, 20000, () => 42.05);
    const r = h.of("INTERVENE", "RAISE");
    expect(r).toHaveLength(1);
    expect(r[0].tMs).toBe(10000);
    expect(r[0]).toMatchObject({ ch: 0, active: true, acked: false, value: 4205, limit: 4200, info: 0 });
    expect(h.of("WARN", "RAISE")).toHaveLength(1);
    expect(h.of("WARN", "RAISE")[0]).toMatchObject({ tMs: 8000, value: 4000 });
    expect(h.monitor.filter.spikes).toBe(0);
  });

  it("spike allowance at 10 Hz is 1.2 degC per sample (1 degC + 2 degC/s x 0.1 s): at it alarms on its sample, beyond it later", () => {
    const a = new Harness();
    a.run(0, 5000, () => 41.0);
    a.sample(5000, 42.2); // +1.20 degC: accepted
    expect(a.monitor.filter.code[0]).toBe(0);
    expect(a.of("INTERVENE", "RAISE")[0]).toMatchObject({ tMs: 5000, value: 4220 });
    expect(a.monitor.filter.spikes).toBe(0);
    const b = new Harness();
    b.run(0, 5000, () => 41.0);
    b.sample(5000, 42.21); // +1.21 degC: rejected
    expect(b.monitor.filter.code[0]).toBe(FAULT_SPIKE);
    expect(b.of("INTERVENE")).toHaveLength(0);
    b.sample(5100, 42.21); // 200 ms after the last accepted reading the allowance is 1.4 degC: accepted
    expect(b.of("INTERVENE", "RAISE")[0]).toMatchObject({ tMs: 5100, value: 4221 });
    expect(b.monitor.filter.spikes).toBe(1);
    // the slew term widens the allowance after a gap, up to the 1 s a reference stays recent: 1 + 2 x 1 = 3 degC
    const c = new Harness();
    c.run(0, 1100, () => 37);
    c.sample(2000, 40.0); // 1 s after the last accepted reading: +3.00 degC accepted
    expect(c.monitor.filter.code[0]).toBe(0);
    c.sample(3000, 43.01); // +3.01 degC after 1 s: rejected
    expect(c.monitor.filter.code[0]).toBe(FAULT_SPIKE);
    // 3 s later nothing recent is left: the reading is held (SP) until the next sample agrees with it
    const d = new Harness();
    d.run(0, 1100, () => 37);
    d.sample(4000, 44.0);
    expect(d.monitor.filter.code[0]).toBe(FAULT_SPIKE);
    expect(d.monitor.filter.held).toBe(2); // the boot sample and this one
    expect(d.of("INTERVENE")).toHaveLength(0);
    d.sample(4100, 44.1);
    expect(d.monitor.filter.code[0]).toBe(0);
    expect(d.of("INTERVENE", "RAISE")[0]).toMatchObject({ tMs: 4100, value: 4410 });
    expect(d.monitor.filter.spikes).toBe(0);
  });

  it("raises at exactly the limit (>=) and a slow ramp on the first sample at or above it", () => {
    const h = new Harness();
    // 0.01 degC per sample from 41.50: 42.00 is reached at sample 50, t = 5000 ms
    h.run(0, 8000, (t) => 41.5 + (t / 100) * 0.01);
    expect(h.of("INTERVENE", "RAISE")[0].tMs).toBe(5000);
    expect(h.of("INTERVENE", "RAISE")[0].value).toBe(4200);
  });

  it("delays an implausible one-sample jump that persists by SPIKE_MAX_RUN (3) rejections plus one held sample, and reports SP", () => {
    expect(SPIKE_MAX_RUN).toBe(3);
    const h = new Harness();
    h.run(0, 10000, () => 37);
    for (let i = 0; i < SPIKE_MAX_RUN; i++) {
      h.sample(10000 + i * 100, 47);
      expect(h.monitor.filter.code[0]).toBe(FAULT_SPIKE);
      expect(h.of("STOP")).toHaveLength(0);
    }
    // the 4th sample has nothing to be judged by (the reference rejected it 3 times): held until the next agrees
    h.sample(10300, 47);
    expect(h.monitor.filter.code[0]).toBe(FAULT_SPIKE);
    expect(h.events).toHaveLength(0);
    h.sample(10400, 47);
    expect(h.monitor.filter.code[0]).toBe(0);
    expect(h.of("INTERVENE", "RAISE")[0]).toMatchObject({ tMs: 10400, value: 4700 });
    // the held reading agreed, so 10300 and 10400 are two consecutive samples at or above the limit
    expect(h.of("STOP", "RAISE")[0]).toMatchObject({ tMs: 10400, value: 4700 });
    expect(h.monitor.filter.spikes).toBe(3);
    expect(h.monitor.filter.held).toBe(2); // the boot sample and 10300
  });

  it("STOP asserts the interlock until the latched alarm is acknowledged", () => {
    const out = new RecordingOutputs();
    const h = new Harness({ outputs: out });
    h.run(0, 5000, () => 44);
    h.monitor.annunciate(4900);
    expect(out.interlockOn).toBe(false);
    h.run(5000, 6000, () => 45.2);
    h.monitor.annunciate(5900);
    expect(out.interlockOn).toBe(true);
    h.run(6000, 20000, () => 41);
    h.monitor.annunciate(19900);
    expect(out.interlockOn).toBe(true); // condition over, still latched: fail closed
    const stop = h.of("STOP", "UPDATE")[0];
    expect(stop).toMatchObject({ active: false, acked: false });
    expect(h.monitor.acknowledge(stop.id, 20000)).toBe(1);
    expect(h.of("STOP", "CLEAR")[0]).toMatchObject({ tMs: 20000, acked: true });
    h.monitor.annunciate(20000);
    expect(out.interlockOn).toBe(false);
  });
});

describe("latching and acknowledge", () => {
  it("WARN (non-latching) clears with the condition; INTERVENE latches until acknowledged", () => {
    const h = new Harness();
    h.run(0, 2000, () => 42.3);
    let t = ramp(h, 2000, 42.3, 39); // cooled (CO2 / iced glucose) at 1 degC/s
    h.run(t, t + 1000, () => 39);
    t += 1000;
    expect(h.of("WARN").map((e) => e.action)).toEqual(["RAISE", "CLEAR"]);
    expect(h.of("INTERVENE").map((e) => [e.action, e.active])).toEqual([["RAISE", true], ["UPDATE", false]]);
    expect(h.of("INTERVENE")[1].tMs).toBe(2400); // 41.80 degC: ends at 0.2 degC (hysteresis) below the limit
    const id = h.of("INTERVENE")[0].id;
    // re-crossing while latched: same alarm, UPDATE active again with the new value, on the crossing sample
    t = ramp(h, t, 39, 41.9);
    expect(h.of("INTERVENE")).toHaveLength(2);
    h.sample(t, 42.1);
    expect(h.of("INTERVENE").at(-1)).toMatchObject({ tMs: t, id, action: "UPDATE", cond: "INTERVENE", active: true, value: 4210 });
    expect(h.of("INTERVENE")).toHaveLength(3);
    t = ramp(h, t + 100, 42.1, 39);
    expect(h.monitor.acknowledge(id, t)).toBe(1);
    expect(h.events.at(-1)).toMatchObject({ id, action: "CLEAR", active: false, acked: true });
    expect(h.monitor.engine.present).toBe(0);
    expect(h.monitor.filter.spikes).toBe(0);
  });

  it("acknowledging an active alarm never hides it: ACK, and CLEAR only when the condition ends", () => {
    const h = new Harness();
    h.run(0, 1000, () => 42.5);
    const id = h.of("INTERVENE")[0].id;
    expect(h.monitor.acknowledge(id, 1000)).toBe(1);
    expect(h.events.at(-1)).toMatchObject({ id, action: "ACK", active: true, acked: true });
    expect(h.monitor.engine.present).toBe(2); // WARN and INTERVENE still shown
    expect(h.monitor.acknowledge(id, 1000)).toBe(0); // already acknowledged
    expect(h.monitor.acknowledge(9999, 1000)).toBe(-1); // no such alarm
    h.run(1000, 2000, () => 38);
    expect(h.of("INTERVENE").at(-1)).toMatchObject({ action: "CLEAR", acked: true });
  });

  it("acknowledge pauses audio for 120 s, the LED keeps flashing, audio resumes if the condition lasts", () => {
    const out = new RecordingOutputs();
    const h = new Harness({ outputs: out });
    h.run(0, 1000, () => 42.5);
    h.monitor.annunciate(900);
    const buzzerSeen = (from: number, to: number) => {
      let on = false;
      let led = false;
      for (let t = from; t < to; t += 10) {
        h.monitor.annunciate(t);
        on = on || out.buzzerOn;
        led = led || out.ledOn;
      }
      return [on, led];
    };
    expect(buzzerSeen(1000, 6000)).toEqual([true, true]);
    h.monitor.acknowledge(0, 6000);
    expect(h.monitor.pauseLeftS(6000)).toBe(120);
    expect(buzzerSeen(6000, 126000)).toEqual([false, true]);
    expect(h.monitor.pauseLeftS(126000)).toBe(0);
    expect(buzzerSeen(126000, 140000)).toEqual([true, true]);
  });

  it("a new high-priority alarm ends an audio pause", () => {
    const h = new Harness();
    h.run(0, 1000, () => 41.5);
    expect(h.of("WARN", "RAISE")).toHaveLength(1);
    h.monitor.acknowledge(0, 1000);
    expect(h.monitor.pauseLeftS(1000)).toBe(120);
    h.sample(1000, 42.2);
    expect(h.of("INTERVENE", "RAISE")[0].tMs).toBe(1000);
    expect(h.monitor.pauseLeftS(1000)).toBe(0);
  });
});

describe("doses against closed forms", () => {
  it("a 42.2 degC plateau reaches 100 % of the 42.2-model at 50 min (to one sample)", () => {
    const h = new Harness();
    h.run(0, 50 * MIN + 1000, () => 42.2);
    const half = h.of("DOSE42_50", "RAISE")[0];
    const full = h.of("DOSE42_100", "RAISE")[0];
    expect(Math.abs(half.tMs - 25 * MIN)).toBeLessThanOrEqual(100);
    expect(Math.abs(full.tMs - 50 * MIN)).toBeLessThanOrEqual(100);
    expect(full).toMatchObject({ value: 1000, limit: 1000, active: true });
    const pm = new Float64Array(5);
    h.monitor.dosePermilles(0, pm, 0);
    expect(pm[0]).toBe(1000);
    // CEM43 of 42.2 degC for 50 min: 50 * 0.25^0.8 = 16.49 (clinical.md: 16.5); each sample's dose is
    // committed when the next confirms it, so after the last sample (50:00.9) it covers 0 .. 50:00.8
    expect(h.monitor.doses.cem43[0]).toBeCloseTo(50 * Math.pow(0.25, 0.8) * (50 * MIN + 800) / (50 * MIN), 6);
  });

  it("70 degC for 5 min reaches 100 % of the 70-model at 5 min (to one sample)", () => {
    const h = new Harness();
    h.run(0, 5 * MIN + 1000, () => 70);
    const full = h.of("DOSE70_100", "RAISE")[0];
    expect(Math.abs(full.tMs - 5 * MIN)).toBeLessThanOrEqual(100);
    expect(h.monitor.doses.t70Ms[0]).toBe(5 * MIN + 800); // committed up to the sample before the last
  });

  it("CEM43: 45 degC for 4 min = 16, 42 degC for 10 min = 2.5 (constant traces)", () => {
    // one sample past the end: it confirms the last sample of the trace, whose dose is then committed
    const a = new Harness();
    a.run(0, 4 * MIN + 200, () => 45);
    expect(a.monitor.doses.cem43[0]).toBeCloseTo(16, 9);
    const b = new Harness();
    b.run(0, 10 * MIN + 200, () => 42);
    expect(b.monitor.doses.cem43[0]).toBeCloseTo(2.5, 9);
    expect(b.monitor.doses.t42Ms[0]).toBe(0);
  });

  it("CEM43 of plateaus joined by physiological ramps equals the closed form within one sample per ramp", () => {
    const h = new Harness();
    // 42 degC 10 min, ramp to 45 at 1 degC/s (3 s), 45 degC until 14 min, ramp to 43 (2 s), 43 degC until 17 min
    h.run(0, 10 * MIN + 100, () => 42);
    let t = ramp(h, 10 * MIN + 100, 42, 45);
    expect(t).toBe(10 * MIN + 3100);
    h.run(t, 14 * MIN + 100, () => 45);
    t = ramp(h, 14 * MIN + 100, 45, 43);
    expect(t).toBe(14 * MIN + 2100);
    h.run(t, 17 * MIN + 100, () => 43);
    // closed form, min: rate(T) = R^(43 - T); over a linear ramp at s degC/min from T1 to T2 on one
    // side of 43 degC the integral is (rate(T2) - rate(T1)) / (s ln(1/R)). Samples 10:00.0 (42) ..
    // 10:03.0 (45): 42 -> 43 in 1 s (R = 0.25), 43 -> 45 in 2 s (R = 0.5); 14:00.0 (45) .. 14:02.0 (43).
    const rate = (T: number) => Math.pow(T >= 43 ? 0.5 : 0.25, 43 - T);
    const rampInt = (t1: number, t2: number, R: number) => Math.abs(rate(t2) - rate(t1)) / (60 * Math.log(1 / R)); // s = 60 degC/min
    const closed = 10 * 0.25 + rampInt(42, 43, 0.25) + rampInt(43, 45, 0.5) + (4 - 3 / 60) * 4 + rampInt(45, 43, 0.5) + (3 - 2 / 60) * 1;
    const cem = h.monitor.doses.cem43[0];
    expect(cem).toBeGreaterThanOrEqual(closed - 1e-12); // conservative: never below the closed form
    // at most one sample of each monotone ramp's rate change (hotter neighbour = right / left Riemann sum)
    const oneSamplePerRamp = (100 / MIN) * ((4 - 0.25) + (4 - 1));
    expect(cem - closed).toBeLessThanOrEqual(oneSamplePerRamp + 1e-12);
    expect(h.monitor.filter.spikes).toBe(0);
  });

  it("CEM43 of a piecewise-constant trace with implausible steps: closed form plus exactly the bridged samples", () => {
    const h = new Harness();
    // 42 degC 10 min (2.5), 45 degC 4 min (16), 43 degC 3 min (3) = 21.5 CEM43
    h.run(0, 17 * MIN + 200, (t) => (t < 10 * MIN ? 42 : t < 14 * MIN ? 45 : 43));
    // both steps (3 and 2 degC in one sample) are beyond the spike allowance: their first 3 samples
    // are rejected, the 4th is held and confirmed by the 5th, and each 400 ms interval across the
    // rejected samples counts at its hotter end (45 degC). So the dose exceeds the closed form by
    // exactly: 100 ms at 45 instead of 42 before the step up (as any upward step), and 300 ms at 45
    // instead of 43 after the step down. (The run ends one sample late: the last sample's dose is
    // committed when the next confirms it.)
    expect(h.monitor.filter.spikes).toBe(2 * SPIKE_MAX_RUN);
    expect(h.monitor.filter.held).toBe(3); // boot, and the 4th sample of each step
    const excess = (100 / MIN) * (4 - 0.25) + (300 / MIN) * (4 - 1);
    expect(h.monitor.doses.cem43[0]).toBeCloseTo(21.5 + excess, 10); // 10,200 float additions: ~3e-12 rounding
    expect(h.of("STOP", "RAISE")).toHaveLength(1); // 45 degC reached: STOP 4 samples after the implausible step
    expect(h.of("STOP", "RAISE")[0].tMs).toBe(10 * MIN + 400);
  });

  it("integrates across a gap at the hotter neighbour, raises SAMPLE_GAP with gap ms and missed count", () => {
    const h = new Harness();
    h.run(0, 1000, () => 37);
    h.sample(1000, 37);
    const before = h.monitor.doses.cem43[0];
    h.sample(4000, 43, undefined, 29); // 3 s gap, 29 instants missed: nothing recent, held until the next sample agrees
    expect(h.monitor.filter.code[0]).toBe(FAULT_SPIKE);
    h.sample(4100, 43);
    expect(h.monitor.filter.code[0]).toBe(0);
    // 3 s at the hotter neighbour, 43 degC: R^0 = 1 CEM43/min (the colder one would give 0.25^6 /min);
    // committed when the 4000 ms reading is confirmed, at 4100 ms (plus 0.9 -> 1.0 s at 37 degC, committed at 4000 ms)
    expect(h.monitor.doses.cem43[0] - before).toBeCloseTo((3000 / MIN) * 1 + (100 / MIN) * Math.pow(0.25, 6), 12);
    expect(h.of("SAMPLE_GAP", "RAISE")[0]).toMatchObject({ tMs: 4000, ch: -1, value: 3000, limit: 1000, info: 29, active: true });
    expect(h.monitor.missed).toBe(29);
    // a gap of exactly 1 s is not a gap alarm; the alarm clears 10 s after the last gap
    h.run(4100, 14000, () => 43);
    expect(h.of("SAMPLE_GAP", "CLEAR")).toHaveLength(0);
    h.sample(14000, 43);
    expect(h.of("SAMPLE_GAP", "CLEAR")[0].tMs).toBe(14000);
    h.sample(15000, 43);
    expect(h.of("SAMPLE_GAP", "RAISE")).toHaveLength(1);
  });

  it("ablation and reference channels get no doses and no nerve alarms", () => {
    const h = new Harness({ roles: [ROLE_NERVE, ROLE_ABLATION] });
    for (let t = 0; t < 60000; t += 100) h.sample(t, [37, 90]);
    for (let t = 60000; t < 61000; t += 100) h.sample(t, [37, NaN], [0, FAULT_OPEN]);
    for (let t = 61000; t < 62000; t += 100) h.sample(t, [37, 95]);
    expect(h.monitor.doses.t70Ms[1]).toBe(0);
    expect(h.monitor.doses.t42Ms[1]).toBe(0);
    expect(h.monitor.doses.cem43[1]).toBe(0);
    expect(h.events.filter((e) => e.ch === 1)).toHaveLength(0);
    expect(Number.isNaN(h.monitor.doses.watchHiCc[1])).toBe(true); // an empty band: never evaluated in full
  });
});

describe("spikes and sensor faults", () => {
  it("rejects single-sample spikes up and down, counts them, adds no dose", () => {
    const h = new Harness();
    h.run(0, 1000, () => 37);
    h.sample(1000, 80);
    h.sample(1100, 37);
    h.sample(1200, 20);
    h.sample(1300, 37);
    expect(h.monitor.filter.spikes).toBe(2);
    expect(h.events).toHaveLength(0);
    expect(h.monitor.doses.t42Ms[0]).toBe(0);
  });

  it("rejects bursts of 2 and 3 independent spikes in a row (EMI pick-up), counts them, no alarm, no dose", () => {
    const h = new Harness();
    h.run(0, 1000, () => 39.5);
    const cem = h.monitor.doses.cem43[0];
    h.sample(1000, 45.5); // +6
    h.sample(1100, 45); // +5.5: agrees with the previous spike, still rejected
    h.sample(1200, 39.5);
    h.sample(1300, 36.5); // -3
    h.sample(1400, 51.5); // +12
    h.sample(1500, 42.5); // +3
    h.sample(1600, 39.6);
    expect(Array.from(h.events, (e) => e.cond)).toEqual([]);
    expect(h.monitor.filter.spikes).toBe(5);
    expect(h.monitor.doses.t42Ms[0]).toBe(0);
    h.sample(1700, 39.6);
    expect(h.monitor.filter.code[0]).toBe(0);
    // bridged by the accepted neighbours at the hotter one: 0.9 -> 1.2 s at 39.5 degC, 1.2 -> 1.6 s at
    // 39.6 degC, and 0.8 -> 0.9 s at 39.5 (the dose at 0.9 s covered 0 .. 0.8 s: each sample's dose is
    // committed when the next sample confirms it)
    expect(h.monitor.doses.cem43[0] - cem).toBeCloseTo((400 / MIN) * Math.pow(0.25, 3.5) + (400 / MIN) * Math.pow(0.25, 3.4), 12);
  });

  for (const [code, cond] of [
    [FAULT_OPEN, "FAULT_OPEN"], [FAULT_SHORT_GND, "FAULT_SHORT_GND"], [FAULT_SHORT_VCC, "FAULT_SHORT_VCC"],
    [FAULT_NO_CHIP, "FAULT_NO_CHIP"], [FAULT_RANGE, "FAULT_RANGE"],
  ] as const) {
    it(`${cond} after exactly 3 consecutive bad readings, cleared by a valid one`, () => {
      const h = new Harness();
      h.run(0, 1000, () => 37);
      h.sample(1000, NaN, [code]);
      h.sample(1100, NaN, [code]);
      expect(h.events).toHaveLength(0);
      h.sample(1200, NaN, [code]);
      expect(h.events).toEqual([expect.objectContaining({ tMs: 1200, action: "RAISE", cond, ch: 0, value: 3, limit: 3, info: 0 })]);
      h.sample(1300, 37);
      expect(h.events.at(-1)).toMatchObject({ action: "CLEAR", cond });
    });
  }

  it("out-of-plausible-range readings and NaN count as FAULT_RANGE; no-data in the run counts but does not rename the cause", () => {
    const h = new Harness();
    h.sample(0, 400);
    h.sample(100, NaN);
    expect(h.events).toHaveLength(0);
    h.sample(200, 37, [FAULT_NO_DATA]);
    expect(h.monitor.filter.code[0]).toBe(FAULT_NO_DATA);
    expect(h.events).toEqual([expect.objectContaining({ tMs: 200, action: "RAISE", cond: "FAULT_RANGE", value: 3, limit: 3 })]);
    h.sample(300, -60);
    expect(h.events).toHaveLength(1);
  });

  it("a nerve channel with no data (ND) for 3 samples in a row raises FAULT_NO_CHIP; a valid reading clears it", () => {
    const h = new Harness({ roles: [ROLE_NERVE, ROLE_ABLATION] });
    h.run(0, 1000, () => 37);
    h.sample(1000, [NaN, NaN], [FAULT_NO_DATA, FAULT_NO_DATA]);
    h.sample(1100, [NaN, NaN], [FAULT_NO_DATA, FAULT_NO_DATA]);
    h.sample(1200, 37); // two ND then data: nothing
    expect(h.events).toHaveLength(0);
    for (let t = 1300; t < 1600; t += 100) h.sample(t, [NaN, NaN], [FAULT_NO_DATA, FAULT_NO_DATA]);
    // technical, high priority, on the nerve channel only (no nerve alarms on an ablation probe)
    expect(h.events).toEqual([expect.objectContaining({ tMs: 1500, action: "RAISE", cond: "FAULT_NO_CHIP", ch: 0, active: true, value: 3, limit: 3, info: 0 })]);
    expect(h.monitor.priority()).toBe(PRIO_HIGH);
    for (let t = 1600; t < 60000; t += 100) h.sample(t, [NaN, NaN], [FAULT_NO_DATA, FAULT_NO_DATA]);
    expect(h.events).toHaveLength(1); // stays raised for as long as it lasts, no flood
    h.sample(60000, 37);
    expect(h.events.at(-1)).toMatchObject({ tMs: 60000, action: "CLEAR", cond: "FAULT_NO_CHIP", ch: 0 });
  });

  it("a run mixing ND and a sensor fault names the sensor fault", () => {
    const a = new Harness();
    a.sample(0, 37);
    a.sample(100, NaN, [FAULT_OPEN]);
    a.sample(200, NaN, [FAULT_NO_DATA]);
    a.sample(300, NaN, [FAULT_NO_DATA]);
    expect(a.events.map((e) => e.action + " " + e.cond + " " + e.tMs)).toEqual(["RAISE FAULT_OPEN 300"]);
    const b = new Harness();
    b.sample(0, 37);
    b.sample(100, NaN, [FAULT_NO_DATA]);
    b.sample(200, NaN, [FAULT_NO_DATA]);
    b.sample(300, NaN, [FAULT_SHORT_GND]);
    expect(b.events.map((e) => e.action + " " + e.cond + " " + e.tMs)).toEqual(["RAISE FAULT_SHORT_GND 300"]);
  });

  it("a change of fault cause while alarmed names the new cause", () => {
    const h = new Harness();
    for (let i = 0; i < 3; i++) h.sample(i * 100, NaN, [FAULT_OPEN]);
    h.sample(300, NaN, [FAULT_SHORT_VCC]);
    expect(h.events.map((e) => e.action + " " + e.cond)).toEqual(["RAISE FAULT_OPEN", "CLEAR FAULT_OPEN", "RAISE FAULT_SHORT_VCC"]);
  });
});

describe("prediction", () => {
  it("raises PREDICT when the trend crosses the intervene limit within 15 s, with the predicted time", () => {
    const h = new Harness();
    h.run(0, 10000, () => 38);
    // 0.1 degC/s from 38 degC at t = 10 s: 42 degC at t = 50 s; 15 s before is t = 35 s (40.5 degC)
    h.run(10000, 60000, (t) => 38 + (t - 10000) / 10000);
    const p = h.of("PREDICT", "RAISE")[0];
    expect(Math.abs(p.tMs - 35000)).toBeLessThanOrEqual(TREND_STEP_MS); // the trend is evaluated every 500 ms
    expect(p.limit).toBe(4200);
    expect(Math.abs(p.info - (50000 - p.tMs))).toBeLessThanOrEqual(150);
    expect(p.value).toBe(Math.round(100 * (38 + (p.tMs - 10000) / 10000)));
    // ends when the limit itself is crossed (INTERVENE takes over)
    expect(h.of("PREDICT", "CLEAR")[0].tMs).toBe(h.of("INTERVENE", "RAISE")[0].tMs);
  });

  it("does not predict on a flat noisy trace", () => {
    const h = new Harness();
    h.run(0, 60000, (t) => 41.5 + 0.1 * Math.sin(t / 300));
    expect(h.of("PREDICT")).toHaveLength(0);
  });
});

describe("persistence", () => {
  it("a reboot mid-session restores the doses, limits and latched alarms, and the dose continues", () => {
    const store = new MemoryStore();
    const a = new Harness({ store });
    expect(a.monitor.restore(0)).toBe(false);
    expect(a.monitor.startSession("case-7", 0)).toBe(true);
    expect(a.monitor.setLimit("DOSE42_MIN", 55, 0)).toBe("");
    a.run(0, 10 * MIN, () => 42.5);
    const t42 = a.monitor.doses.t42Ms[0];
    // saved at most 5 s ago: the restored dose is within one save period of the live one
    const b = new Harness({ store });
    expect(b.monitor.restore(0)).toBe(true);
    expect(b.monitor.restored).toBe(true);
    expect(b.monitor.session).toBe("case-7");
    expect(b.monitor.limits.dose42Min).toBe(55);
    expect(t42 - b.monitor.doses.t42Ms[0]).toBeLessThanOrEqual(5000);
    expect(b.monitor.doses.cem43[0]).toBeGreaterThan(0);
    // INTERVENE was latched (active) at the reboot: shown again at once, interlock-free
    expect(b.events.map((e) => e.action + " " + e.cond + " " + e.active)).toContain("RAISE INTERVENE false");
    const restored = b.monitor.doses.t42Ms[0];
    b.run(0, 60000, () => 42.5);
    expect(b.monitor.doses.t42Ms[0]).toBe(restored + 59800); // the boot sample is held, confirmed at 100 ms; committed to 59.8 s
    expect(b.of("INTERVENE").at(-1)).toMatchObject({ action: "UPDATE", active: true });
  });

  it("saves on alarm transitions and every 5 s when something changed; raises STORAGE_FAIL on a failing store", () => {
    const store = new MemoryStore();
    const h = new Harness({ store });
    h.monitor.restore(0);
    h.run(0, 1000, () => 41.9); // WARN raised (and saved) at 0
    const w0 = store.writes;
    h.sample(1000, 42.5);
    expect(store.writes).toBe(w0 + 1);
    expect(JSON.parse(store.text!).a).toEqual([1, 0, 4250, 4200]);
    store.fail = true;
    h.run(1100, 8000, () => 42.5);
    expect(h.of("STORAGE_FAIL", "RAISE")).toHaveLength(1);
    expect(h.monitor.storageOk).toBe(false);
    store.fail = false;
    h.run(8000, 15000, () => 42.5);
    expect(h.of("STORAGE_FAIL", "CLEAR")).toHaveLength(1);
    expect(h.monitor.storageOk).toBe(true);
  });

  it("ignores a corrupt snapshot or one for another channel count", () => {
    const store = new MemoryStore();
    store.text = "{not json";
    expect(new Monitor({ roles: [0], store }).restore(0)).toBe(false);
    store.text = JSON.stringify({ v: 1, n: 2, s: "x", d: [0, 0, 0, 0, 0, 0], l: [4000, 4200, 4500, 15, 50, 5, 1650], a: [] });
    expect(new Monitor({ roles: [0], store }).restore(0)).toBe(false);
    expect(new Monitor({ roles: [0, 0], store }).restore(0)).toBe(true);
  });
});

describe("session and limits", () => {
  it("a dose limit lowered mid-plateau alarms on the very next sample; START (doses back to 0) clears the dose alarms at once", () => {
    const h = new Harness();
    expect(h.monitor.setLimit("DOSE42_MIN", 60, 0)).toBe("");
    h.run(0, 26 * MIN, () => 42.5); // 26 min of 60: below 50 %
    expect(h.of("DOSE42_50")).toEqual([]);
    expect(h.monitor.setLimit("DOSE42_MIN", 50, 26 * MIN)).toBe(""); // 26 of 50 min: above 50 % now
    h.sample(26 * MIN, 42.5);
    expect(h.of("DOSE42_50", "RAISE")).toMatchObject([{ tMs: 26 * MIN, active: true }]);
    expect(h.monitor.startSession("next", 26 * MIN + 50)).toBe(true);
    h.sample(26 * MIN + 100, 42.5);
    expect(h.of("DOSE42_50").at(-1)).toMatchObject({ tMs: 26 * MIN + 100, active: false });
  });

  it("START resets doses, refuses a second START; END keeps doses; LIM checks RANGE and ORDER", () => {
    const h = new Harness();
    h.run(0, 60000, () => 43);
    expect(h.monitor.doses.t42Ms[0]).toBeGreaterThan(0);
    expect(h.monitor.startSession("a", 60000)).toBe(true);
    expect(h.monitor.doses.t42Ms[0]).toBe(0);
    expect(h.monitor.startSession("b", 60000)).toBe(false);
    h.run(60000, 70000, () => 43);
    expect(h.monitor.endSession(70000)).toBe(true);
    expect(h.monitor.doses.t42Ms[0]).toBe(10000);
    expect(h.monitor.endSession(70000)).toBe(false);
    expect(h.monitor.setLimit("INTERVENE", 4300, 0)).toBe("RANGE");
    expect(h.monitor.setLimit("WARN", 4200, 0)).toBe("ORDER");
    expect(h.monitor.setLimit("INTERVENE", 4100, 0)).toBe("");
    expect(h.monitor.limits.interveneCc).toBe(4100);
  });
});
