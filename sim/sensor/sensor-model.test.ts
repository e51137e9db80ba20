import { describe, expect, it } from "vitest";
import { FAULT_NO_CHIP, FAULT_NONE, FAULT_OPEN, FAULT_SHORT_GND, FAULT_SHORT_VCC } from "../../device/source";
import { CHIP_RESOLUTION_C, SensorModel, type SensorSettings, cjOffsetC, emiSpikeC, faultAt, lagAdvance, quantize } from "./sensor-model";

const quiet: SensorSettings = {
  seed: 7,
  noiseC: [0.1, 0.1],
  resolutionC: [CHIP_RESOLUTION_C.MAX31855, CHIP_RESOLUTION_C.MAX31856],
  emi: { probability: 0.05, minC: 5, maxC: 25 },
  cjDrift: { amplitudeC: 0, tauS: 0 },
  faults: [],
};

describe("lag", () => {
  it("reaches 63.2 % of a step after one time constant", () => {
    const y = lagAdvance(37, 45, 45, 0.5, 0.5);
    expect((y - 37) / 8).toBeCloseTo(1 - Math.exp(-1), 12);
  });

  it("gives the same value whether a linear segment is taken in one go or in pieces", () => {
    const whole = lagAdvance(37, 37, 40, 1, 0.7);
    let y = 37;
    for (let i = 0; i < 10; i++) y = lagAdvance(y, 37 + 0.3 * i, 37 + 0.3 * (i + 1), 0.1, 0.7);
    expect(y).toBeCloseTo(whole, 12);
  });

  it("follows a ramp with a delay of tau", () => {
    // After many tau on a ramp of slope s, y = x - s * tau.
    expect(lagAdvance(37, 37, 47, 100, 0.5)).toBeCloseTo(47 - 0.1 * 0.5, 9);
  });
});

describe("quantisation", () => {
  it("MAX31855 steps of 0.25 degC, MAX31856 steps of 1/128 degC", () => {
    const m = new SensorModel(quiet);
    for (let i = 0; i < 200; i++) {
      const t = i * 0.1;
      const a = m.measure(0, t, 41.3 + i * 0.001, false);
      const b = m.measure(1, t, 41.3 + i * 0.001, false);
      expect(Number.isInteger(a / 0.25)).toBe(true);
      expect(Number.isInteger(b * 128)).toBe(true);
    }
    expect(quantize(41.13, 0.25)).toBe(41.25);
    expect(quantize(41.12, 0.25)).toBe(41);
    expect(quantize(-3.3, 0.25)).toBe(-3.25);
  });
});

describe("noise and spikes", () => {
  it("noise has the configured spread and depends only on (seed, channel, time)", () => {
    const m = new SensorModel({ ...quiet, resolutionC: [0, 0] });
    const xs = Array.from({ length: 4000 }, (_, i) => m.measure(0, i * 0.1, 40, false) - 40);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(sd).toBeGreaterThan(0.09);
    expect(sd).toBeLessThan(0.11);
    expect(m.measure(0, 12.3, 40, false)).toBe(m.measure(0, 12.3, 40, false));
    expect(m.measure(0, 12.3, 40, false)).not.toBe(m.measure(1, 12.3, 40, false));
  });

  it("EMI spikes appear only while the generator is on, at the configured rate and size", () => {
    const m = new SensorModel({ ...quiet, noiseC: [0, 0], resolutionC: [0, 0] });
    let spikesOn = 0;
    for (let i = 0; i < 10_000; i++) {
      const t = i * 0.1;
      expect(m.measure(0, t, 40, false)).toBe(40);
      const d = Math.abs(m.measure(0, t, 40, true) - 40);
      if (d > 0) {
        spikesOn++;
        expect(d).toBeGreaterThanOrEqual(5);
        expect(d).toBeLessThanOrEqual(25);
      }
    }
    expect(spikesOn).toBeGreaterThan(400);
    expect(spikesOn).toBeLessThan(600);
    expect(emiSpikeC({ probability: 0, minC: 5, maxC: 9 }, 1, 0, 3)).toBe(0);
  });

  it("cold-junction drift approaches its amplitude", () => {
    expect(cjOffsetC({ amplitudeC: 0.2, tauS: 600 }, 0)).toBe(0);
    expect(cjOffsetC({ amplitudeC: 0.2, tauS: 600 }, 600)).toBeCloseTo(0.2 * (1 - Math.exp(-1)), 12);
  });
});

describe("faults", () => {
  const faults = [
    { channel: 0, kind: "open" as const, startS: 10, endS: 20 },
    { channel: 1, kind: "short-gnd" as const, startS: 30, endS: 60, intermittent: { probability: 0.3 } },
    { channel: 2, kind: "short-vcc" as const, startS: 40, endS: 100, intermittent: { periodS: 10, onS: 2 } },
    { channel: 3, kind: "no-chip" as const, startS: 70, endS: Number.POSITIVE_INFINITY },
  ];

  it("are active exactly over [start, end)", () => {
    expect(faultAt(faults, 1, 0, 9.999)).toBe(FAULT_NONE);
    expect(faultAt(faults, 1, 0, 10)).toBe(FAULT_OPEN);
    expect(faultAt(faults, 1, 0, 19.999)).toBe(FAULT_OPEN);
    expect(faultAt(faults, 1, 0, 20)).toBe(FAULT_NONE);
    expect(faultAt(faults, 1, 3, 69.9)).toBe(FAULT_NONE);
    expect(faultAt(faults, 1, 3, 1e6)).toBe(FAULT_NO_CHIP);
  });

  it("periodic intermittent faults follow their period", () => {
    expect(faultAt(faults, 1, 2, 40)).toBe(FAULT_SHORT_VCC);
    expect(faultAt(faults, 1, 2, 41.9)).toBe(FAULT_SHORT_VCC);
    expect(faultAt(faults, 1, 2, 42)).toBe(FAULT_NONE);
    expect(faultAt(faults, 1, 2, 50.5)).toBe(FAULT_SHORT_VCC);
  });

  it("random intermittent faults hit about the configured fraction of samples, only inside the window", () => {
    let hits = 0;
    for (let i = 0; i < 3000; i++) {
      const t = 30 + i * 0.01;
      if (faultAt(faults, 1, 1, t) === FAULT_SHORT_GND) hits++;
    }
    expect(hits / 3000).toBeGreaterThan(0.25);
    expect(hits / 3000).toBeLessThan(0.35);
    expect(faultAt(faults, 1, 1, 29.99)).toBe(FAULT_NONE);
    expect(faultAt(faults, 1, 1, 60)).toBe(FAULT_NONE);
  });
});
