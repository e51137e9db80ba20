import { describe, expect, it } from "vitest";
import { FAULT_NO_CHIP, FAULT_NO_DATA, FAULT_NONE, FAULT_OPEN, FAULT_SHORT_GND, FAULT_SHORT_VCC } from "../device/source";
import { SimSource } from "./sim-source";

/** Read a source every periodMs from 0 to endMs; returns the readings, channel-major. */
function record(src: SimSource, endMs: number, periodMs: number): { temps: number[][]; faults: number[][] } {
  const n = src.channelCount;
  const t = new Float64Array(n);
  const f = new Uint8Array(n);
  const temps: number[][] = Array.from({ length: n }, () => []);
  const faults: number[][] = Array.from({ length: n }, () => []);
  for (let ms = 0; ms <= endMs; ms += periodMs) {
    src.read(ms, t, f);
    for (let ch = 0; ch < n; ch++) {
      temps[ch].push(t[ch]);
      faults[ch].push(f[ch]);
    }
  }
  return { temps, faults };
}

function trueAt(src: SimSource, ms: number): Float64Array {
  const out = new Float64Array(src.channelCount);
  src.trueTemperatures(ms, out);
  return out;
}

describe("SimSource", () => {
  it("exposes the scenario's channel list", () => {
    const src = SimSource.fromName("spinal-mwa-cooled");
    expect(src.channelCount).toBe(4);
    expect(src.channels.map((c) => `${c.label}/${c.role}/${c.thermocouple}/${c.chip}`)).toEqual([
      "canal/nerve/T/MAX31856",
      "foramen-L/nerve/T/MAX31856",
      "foramen-R/nerve/T/MAX31856",
      "ablation-zone/ablation/K/MAX31855",
    ]);
  });

  it("is deterministic for a seed, and a different seed changes only the noise", () => {
    const a = record(SimSource.fromName("spinal-mwa-cooled", { startMs: 0 }), 60_000, 100);
    const b = record(SimSource.fromName("spinal-mwa-cooled", { startMs: 0 }), 60_000, 100);
    const c = record(SimSource.fromName("spinal-mwa-cooled", { startMs: 0, seed: 99 }), 60_000, 100);
    expect(a).toEqual(b);
    expect(a.temps[0]).not.toEqual(c.temps[0]);
    const diffs = a.temps[0].map((v, i) => Math.abs(v - c.temps[0][i])).sort((x, y) => x - y);
    expect(diffs[Math.floor(diffs.length / 2)]).toBeLessThan(0.1); // same tissue; only noise and spikes differ
  });

  it("readings at an instant do not depend on how often the source was read before", () => {
    const fast = SimSource.fromName("spinal-mwa-cooled", { startMs: 0 });
    const slow = SimSource.fromName("spinal-mwa-cooled", { startMs: 0 });
    const rFast = record(fast, 120_000, 100);
    const rSlow = record(slow, 120_000, 2_000);
    for (let i = 0; i < rSlow.temps[0].length; i++) {
      for (let ch = 0; ch < 4; ch++) expect(rSlow.temps[ch][i]).toBe(rFast.temps[ch][i * 20]);
    }
  });

  it("follows the tissue truth within noise + quantisation + lag", () => {
    const src = SimSource.fromName("spinal-mwa-safe", { startMs: 0 });
    const t = new Float64Array(4);
    const f = new Uint8Array(4);
    for (let ms = 0; ms <= 300_000; ms += 1000) {
      const truth = trueAt(src, ms);
      src.read(ms, t, f);
      expect(f[0]).toBe(FAULT_NONE);
      if (!src.generatorOn(ms)) expect(Math.abs(t[0] - truth[0])).toBeLessThan(0.7); // 0.03 noise, 0.2 CJ, lag
    }
  });

  it("a CO2 event from the host cools the canal in the overshoot scenario", () => {
    const plain = SimSource.fromName("spinal-mwa-overshoot", { startMs: 1000 });
    const cooled = SimSource.fromName("spinal-mwa-overshoot", { startMs: 1000 });
    for (let ms = 1000; ms <= 161_000; ms += 100) {
      trueAt(plain, ms);
      trueAt(cooled, ms);
    }
    cooled.onEvent("Mark event: CO2 injected", 161_000);
    cooled.onEvent("antenna pulled back 2 mm", 161_000);
    expect(cooled.events.map((e) => e.effect === null)).toEqual([false, true]);
    expect(cooled.events[0].atS).toBe(160);
    const at = 301_000;
    const p = trueAt(plain, at);
    const c = trueAt(cooled, at);
    expect(p[0]).toBeGreaterThan(46);
    expect(c[0]).toBeLessThan(p[0] - 2);
    // Iced glucose, lower case, works too.
    const glucose = SimSource.fromName("spinal-mwa-overshoot", { startMs: 0 });
    trueAt(glucose, 150_000);
    glucose.onEvent("iced glucose 10 ml", 150_000);
    expect(trueAt(glucose, 200_000)[0]).toBeLessThan(trueAt(SimSource.fromName("spinal-mwa-overshoot", { startMs: 0 }), 200_000)[0] - 1);
  });

  it("runs faster than real time: time scale x1000 maps 300 ms of device time to 300 s of scenario", () => {
    const x1 = SimSource.fromName("spinal-mwa-cooled", { startMs: 0, idealSensor: true });
    const x1000 = SimSource.fromName("spinal-mwa-cooled", { startMs: 5, timeScale: 1000, idealSensor: true });
    expect(trueAt(x1000, 305)[0]).toBeCloseTo(trueAt(x1, 300_000)[0], 12);
    expect(() => SimSource.fromName("spinal-mwa-cooled", { timeScale: 5000 })).toThrow(/options.timeScale/);
  });

  it("starts at the first call when startMs is not given; before startMs it has no data", () => {
    const src = SimSource.fromName("synthetic-step", { idealSensor: true });
    const t = new Float64Array(2);
    const f = new Uint8Array(2);
    src.read(123_456, t, f);
    expect(src.scenarioTimeS(133_456)).toBe(10);
    const later = SimSource.fromName("synthetic-step", { startMs: 10_000 });
    later.read(5_000, t, f);
    expect([...f]).toEqual([FAULT_NO_DATA, FAULT_NO_DATA]);
  });

  it("refuses to go back in time (SIM_TIME_BACKWARDS)", () => {
    const src = SimSource.fromName("synthetic-ramp", { startMs: 0 });
    const t = new Float64Array(1);
    const f = new Uint8Array(1);
    src.read(10_000, t, f);
    expect(() => src.read(1_000, t, f)).toThrow(expect.objectContaining({ code: "SIM_TIME_BACKWARDS" }));
  });

  it("step scenario: 63 % after one time constant, readings on the chip's grid", () => {
    const src = SimSource.fromName("synthetic-step", { startMs: 0 });
    const t = new Float64Array(2);
    const f = new Uint8Array(2);
    src.read(10_500, t, f); // 0.5 s = tau after the step at 10 s
    // 1 - 1/e = 0.632; the step is resolved on the 20 ms trace grid (+0.007) and quantised (1/128 degC).
    expect(Math.abs((t[0] - 37) / 8 - 0.632)).toBeLessThan(0.01);
    expect(Number.isInteger(t[1] / 0.25)).toBe(true);
    expect(Number.isInteger(t[0] * 128)).toBe(true);
    src.read(15_000, t, f);
    expect(t).toEqual(Float64Array.from([45, 45]));
  });

  it("faults scenario: each fault at its scheduled time, spikes only while the generator is on", () => {
    const src = SimSource.fromName("synthetic-faults", { startMs: 0 });
    const r = record(src, 120_000, 100);
    const at = (ch: number, s: number): number => r.faults[ch][Math.round(s * 10)];
    expect(at(0, 9.9)).toBe(FAULT_NONE);
    expect(at(0, 10)).toBe(FAULT_OPEN);
    expect(at(0, 19.9)).toBe(FAULT_OPEN);
    expect(at(0, 20)).toBe(FAULT_NONE);
    const gnd = r.faults[1].slice(300, 600).filter((v) => v === FAULT_SHORT_GND).length;
    expect(gnd).toBeGreaterThan(60);
    expect(gnd).toBeLessThan(120);
    expect(r.faults[1].slice(0, 300).every((v) => v === FAULT_NONE)).toBe(true);
    expect(at(2, 40)).toBe(FAULT_SHORT_VCC);
    expect(at(2, 43)).toBe(FAULT_NONE);
    expect(at(3, 75)).toBe(FAULT_NO_CHIP);
    for (let i = 0; i < r.temps[3].length; i++) {
      const s = i / 10;
      const on = (s >= 20 && s < 50) || (s >= 80 && s < 110);
      if (r.faults[3][i] !== FAULT_NONE) continue;
      if (!on) expect(Math.abs(r.temps[3][i] - 37)).toBeLessThan(1.5);
    }
    const spikes = r.temps[3].filter((v, i) => r.faults[3][i] === FAULT_NONE && Math.abs(v - 37) >= 4).length;
    expect(spikes).toBeGreaterThan(10);
  });
});

describe("SimSource CSV replay", () => {
  const csv = "time_s,canal,foramen-L\n0,37,37\n10,42,38\n20,40,\n30,38,37\n40,37,37\n";

  it("interpolates the trace, reports gaps and the end as FAULT_NO_DATA", () => {
    const src = SimSource.fromCsv(csv, { startMs: 0 });
    expect(src.channels.map((c) => c.label)).toEqual(["canal", "foramen-L"]);
    expect(src.durationS).toBe(40);
    const t = new Float64Array(2);
    const f = new Uint8Array(2);
    src.read(5_000, t, f);
    expect([...t]).toEqual([39.5, 37.5]);
    src.read(15_000, t, f);
    expect(t[0]).toBe(41);
    expect(f[1]).toBe(FAULT_NO_DATA);
    src.read(35_000, t, f);
    expect([...f]).toEqual([FAULT_NONE, FAULT_NONE]);
    expect([...t]).toEqual([37.5, 37]);
    src.read(40_100, t, f);
    expect([...f]).toEqual([FAULT_NO_DATA, FAULT_NO_DATA]);
  });

  it("replays x1 to x1000", () => {
    const src = SimSource.fromCsv(csv, { startMs: 0, timeScale: 1000 });
    const t = new Float64Array(2);
    const f = new Uint8Array(2);
    src.read(10, t, f);
    expect(t[0]).toBe(42);
  });

  it("rejects a bad CSV with its line number", () => {
    expect(() => SimSource.fromCsv("time_s,a\n0,37\n1,hot\n")).toThrow(/line 3/);
    expect(() => SimSource.fromCsv("time,a\n0,37\n")).toThrow(expect.objectContaining({ code: "SCENARIO_CSV" }));
    const labelled = SimSource.fromCsv("time_s,x\n0,37\n", { channels: [{ label: "x", role: "reference", thermocouple: "K", chip: "MAX31855" }] });
    expect(labelled.channels[0].role).toBe("reference");
  });

  it("the shipped replay scenario loads its CSV file", () => {
    const src = SimSource.fromName("replay-example", { startMs: 0, idealSensor: true });
    const t = new Float64Array(3);
    src.trueTemperatures(60_000, t);
    expect(t[0]).toBeCloseTo(42.6, 6);
  });
});
