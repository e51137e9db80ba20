// ITS-90 reference functions against NIST Monograph 175 table values, and C -> mV -> C round trips.

import { describe, expect, it } from "vitest";
import {
  tcCFromMv,
  tcMvFromC,
  TYPE_K_MAX_MV,
  TYPE_K_MIN_MV,
  TYPE_T_MAX_MV,
  TYPE_T_MIN_MV,
  typeKCFromMv,
  typeKmVFromC,
  typeTCFromMv,
  typeTmVFromC,
} from "./its90";

/** NIST ITS-90 tables (Monograph 175), type K, reference junction 0 °C: [°C, mV to 0.001]. */
const TYPE_K_TABLE: [number, number][] = [
  [-270, -6.458],
  [-200, -5.891],
  [-100, -3.554],
  [-50, -1.889],
  [0, 0.0],
  [25, 1.0],
  [37, 1.489],
  [42, 1.694],
  [100, 4.096],
  [200, 8.138],
  [300, 12.209],
  [400, 16.397],
  [500, 20.644],
  [600, 24.905],
  [700, 29.129],
  [800, 33.275],
  [900, 37.326],
  [1000, 41.276],
  [1100, 45.119],
  [1200, 48.838],
  [1300, 52.41],
  [1372, 54.886],
];

/** NIST ITS-90 tables (Monograph 175), type T, reference junction 0 °C: [°C, mV to 0.001]. */
const TYPE_T_TABLE: [number, number][] = [
  [-270, -6.258],
  [-200, -5.603],
  [-100, -3.379],
  [-50, -1.819],
  [0, 0.0],
  [25, 0.992],
  [37, 1.486],
  [40, 1.612],
  [42, 1.696],
  [45, 1.823],
  [50, 2.036],
  [100, 4.279],
  [200, 9.288],
  [300, 14.862],
  [400, 20.872],
];

describe("type K reference function", () => {
  it.each(TYPE_K_TABLE)("%d °C -> %d mV", (tempC, mV) => {
    expect(Math.abs(typeKmVFromC(tempC) - mV)).toBeLessThanOrEqual(0.001);
  });

  it("includes the exponential term above 0 °C (without it 100 °C would be 0.11 mV off)", () => {
    expect(typeKmVFromC(100)).toBeCloseTo(4.0962, 4);
    expect(typeKmVFromC(0)).toBeCloseTo(0, 6);
  });

  it("is continuous at 0 °C", () => {
    expect(Math.abs(typeKmVFromC(-1e-9) - typeKmVFromC(0))).toBeLessThan(1e-6);
  });

  it("returns NaN outside -270..1372 °C", () => {
    expect(typeKmVFromC(-270.01)).toBeNaN();
    expect(typeKmVFromC(1372.01)).toBeNaN();
    expect(typeKmVFromC(NaN)).toBeNaN();
  });
});

describe("type T reference function", () => {
  it.each(TYPE_T_TABLE)("%d °C -> %d mV", (tempC, mV) => {
    expect(Math.abs(typeTmVFromC(tempC) - mV)).toBeLessThanOrEqual(0.001);
  });

  it("returns NaN outside -270..400 °C", () => {
    expect(typeTmVFromC(-270.01)).toBeNaN();
    expect(typeTmVFromC(400.01)).toBeNaN();
    expect(typeTmVFromC(NaN)).toBeNaN();
  });
});

describe("inverse functions", () => {
  // A table mV is rounded to 0.001 mV, i.e. up to 0.0005 mV / (15 µV/°C at -200 °C) = 0.035 °C.
  it.each(TYPE_K_TABLE.filter((r) => r[0] >= -200))("type K %d °C from %d mV", (tempC, mV) => {
    expect(Math.abs(typeKCFromMv(mV) - tempC)).toBeLessThan(0.04);
  });

  it.each(TYPE_T_TABLE.filter((r) => r[0] >= -200))("type T %d °C from %d mV", (tempC, mV) => {
    expect(Math.abs(typeTCFromMv(mV) - tempC)).toBeLessThan(0.04);
  });

  it("covers exactly K -200..1372 °C and T -200..400 °C, NaN outside", () => {
    expect(typeKCFromMv(typeKmVFromC(-200))).toBeCloseTo(-200, 4);
    expect(typeKCFromMv(typeKmVFromC(1372))).toBeCloseTo(1372, 4);
    expect(typeTCFromMv(typeTmVFromC(-200))).toBeCloseTo(-200, 4);
    expect(typeTCFromMv(typeTmVFromC(400))).toBeCloseTo(400, 4);
    expect(typeKCFromMv(-5.891)).toBeCloseTo(-200, 1);
    expect(typeKCFromMv(54.886)).toBeCloseTo(1372, 1);
    expect(typeTCFromMv(-5.603)).toBeCloseTo(-200, 1);
    expect(typeTCFromMv(20.872)).toBeCloseTo(400, 1);
    expect(typeKCFromMv(TYPE_K_MIN_MV - 0.001)).toBeNaN();
    expect(typeKCFromMv(TYPE_K_MAX_MV + 0.001)).toBeNaN();
    expect(typeTCFromMv(TYPE_T_MIN_MV - 0.001)).toBeNaN();
    expect(typeTCFromMv(TYPE_T_MAX_MV + 0.001)).toBeNaN();
    expect(typeKCFromMv(NaN)).toBeNaN();
    expect(typeTCFromMv(NaN)).toBeNaN();
  });

  it("is continuous across the NIST sub-range boundaries (0 mV, K 20.644 mV)", () => {
    expect(Math.abs(typeKCFromMv(-1e-9) - typeKCFromMv(0))).toBeLessThan(1e-4);
    expect(Math.abs(typeKCFromMv(20.644 - 1e-9) - typeKCFromMv(20.644))).toBeLessThan(1e-4);
    expect(Math.abs(typeTCFromMv(-1e-9) - typeTCFromMv(0))).toBeLessThan(1e-4);
  });
});

describe("round trips C -> mV -> C in 1-degree steps", () => {
  function worstError(toMv: (c: number) => number, toC: (mV: number) => number, lo: number, hi: number): number {
    let worst = 0;
    for (let t = lo; t <= hi; t++) worst = Math.max(worst, Math.abs(toC(toMv(t)) - t));
    return worst;
  }

  it("type K -200..1372 °C within 0.01 °C", () => {
    expect(worstError(typeKmVFromC, typeKCFromMv, -200, 1372)).toBeLessThan(0.01);
  });

  it("type T -200..400 °C within 0.01 °C", () => {
    expect(worstError(typeTmVFromC, typeTCFromMv, -200, 400)).toBeLessThan(0.01);
  });

  it("tcMvFromC / tcCFromMv dispatch on the type", () => {
    expect(tcMvFromC("K", 100)).toBe(typeKmVFromC(100));
    expect(tcMvFromC("T", 100)).toBe(typeTmVFromC(100));
    expect(tcCFromMv("K", 4.096)).toBe(typeKCFromMv(4.096));
    expect(tcCFromMv("T", 4.279)).toBe(typeTCFromMv(4.279));
  });
});
