// Round trips: simulated MAX31855 / MAX31856 output through the real device decoders.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FAULT_NONE,
  FAULT_NO_CHIP,
  FAULT_NO_DATA,
  FAULT_OPEN,
  FAULT_RANGE,
  FAULT_SHORT_GND,
  FAULT_SHORT_VCC,
  FAULT_SPIKE,
} from "../device/source";
import { tcMvFromC, typeKmVFromC, typeTmVFromC } from "../device/drivers/its90";
import type { TcType } from "../device/drivers/its90";
import {
  createMax31855Reading,
  decodeMax31855,
  decodeMax31855Bytes,
  MAX31855_BIT_FAULT,
  MAX31855_BIT_OC,
  max31855MvPerC,
} from "../device/drivers/max31855";
import {
  createMax31856Reading,
  decodeMax31856,
  MAX31856_SR_CJ_RANGE,
  MAX31856_SR_OVUV,
  MAX31856_SR_TC_RANGE,
} from "../device/drivers/max31856";
import {
  encodeMax31855,
  encodeMax31856,
  max31855Bytes,
  max31855Word,
  max31856Bytes,
  MAX31855_NO_CHIP_WORD,
} from "./chip-words";

/**
 * Worst-case error of a corrected MAX31855 reading (°C): half an LSB of the thermocouple field
 * (0.125 °C on the chip's scale, i.e. 0.125 k mV) plus half an LSB of the die temperature times
 * the mismatch |S(cj) - k|, divided by the true Seebeck coefficient at the hot junction.
 */
function max31855BoundC(hotC: number, cjC: number, tcType: TcType): number {
  const k = max31855MvPerC(tcType);
  const maxC = tcType === "T" ? 400 : 1372;
  const s = (c: number): number => {
    const a = Math.max(-270, c - 0.05);
    const b = Math.min(maxC, c + 0.05);
    return (tcMvFromC(tcType, b) - tcMvFromC(tcType, a)) / (b - a);
  };
  return (0.125 * k + 0.03125 * Math.abs(s(cjC) - k)) / s(hotC) + 1e-6;
}

describe("encodeMax31855", () => {
  it("reproduces datasheet words", () => {
    expect(encodeMax31855(1600, 0)).toBe(0b01100100000000 * 2 ** 18);
    expect(encodeMax31855(-250, -55) >>> 0).toBe((0b11110000011000 * 2 ** 18 + 0b110010010000 * 16) >>> 0);
    expect(encodeMax31855(-0.25, -0.0625)).toBe(0xfffcfff0);
    expect(encodeMax31855(25, 25, MAX31855_BIT_FAULT | MAX31855_BIT_OC) % 0x100000).toBe(0x11901);
  });

  it("rounds to the LSB and clamps to the field", () => {
    const out = createMax31855Reading();
    decodeMax31855(encodeMax31855(100.6, 25.04), "K", out);
    expect(out.rawTcC).toBe(100.5);
    expect(out.cjC).toBe(25.0625);
    decodeMax31855(encodeMax31855(5000, 300), "K", out);
    expect(out.rawTcC).toBe(2047.75);
    expect(out.cjC).toBe(127.9375);
    decodeMax31855(encodeMax31855(-5000, -300), "K", out);
    expect(out.rawTcC).toBe(-2048);
    expect(out.cjC).toBe(-128);
  });

  it("max31855Bytes splits MSB first", () => {
    expect([...max31855Bytes(0x12345678)]).toEqual([0x12, 0x34, 0x56, 0x78]);
    expect([...max31855Bytes(0xfffffff0)]).toEqual([0xff, 0xff, 0xff, 0xf0]);
    expect(() => max31855Bytes(-1)).toThrow(/word/);
  });
});

describe("max31855Word -> decodeMax31855", () => {
  // One degree inside each end: at the ends themselves the chip's rounding can push the voltage
  // just past the ITS-90 inverse range, which decodes as FAULT_RANGE (tested below).
  const cases: [TcType, number, number][] = [
    ["K", -199, 1371],
    ["T", -199, 399],
  ];

  it.each(cases)("type %s, %d..%d °C every degree, die -20/0/25/50 °C: within the quantisation bound", (tcType, lo, hi) => {
    const out = createMax31855Reading();
    let worst = 0;
    for (const cjC of [-20, 0, 25, 50]) {
      for (let hotC = lo; hotC <= hi; hotC++) {
        decodeMax31855(max31855Word(hotC, cjC, tcType), tcType, out);
        if (hotC === 0 && cjC === 0) {
          // Both fields 0 is the all-zero word, which the decoder must treat as "no chip".
          expect(out.fault).toBe(FAULT_NO_CHIP);
          continue;
        }
        expect(out.fault).toBe(FAULT_NONE);
        const err = Math.abs(out.tempC - hotC);
        expect(err).toBeLessThanOrEqual(max31855BoundC(hotC, cjC, tcType));
        if (hotC >= 0) worst = Math.max(worst, err);
      }
    }
    // Above 0 °C the bound is at most ~0.16 °C for both types.
    expect(worst).toBeLessThan(0.17);
  });

  it("type T at 45 °C with the die at 25 °C: raw 41.00 °C, corrected 45.10 °C", () => {
    const out = decodeMax31855(max31855Word(45, 25, "T"), "T", createMax31855Reading());
    expect(out.rawTcC).toBe(41);
    expect(out.tempC).toBeCloseTo(45.098, 3);
    // Unquantised, the chip's linear model would say 40.92 °C: 4.08 °C low.
    const linearC = (typeTmVFromC(45) - typeTmVFromC(25)) / 0.05218 + 25;
    expect(45 - linearC).toBeCloseTo(4.08, 2);
  });

  it("property: random hot / die temperatures round-trip through the bytes path", () => {
    const out = createMax31855Reading();
    fc.assert(
      fc.property(
        fc.constantFrom<TcType>("K", "T"),
        fc.double({ min: -150, max: 390, noNaN: true }),
        fc.double({ min: -40, max: 85, noNaN: true }),
        (tcType, hotC, cjC) => {
          const word = max31855Word(hotC, cjC, tcType);
          // Both fields 0 is the all-zero no-chip word: a real chip cannot be told apart there either.
          fc.pre(word !== 0);
          decodeMax31855Bytes(max31855Bytes(word), 0, tcType, out);
          expect(out.fault).toBe(FAULT_NONE);
          expect(Math.abs(out.tempC - hotC)).toBeLessThanOrEqual(max31855BoundC(hotC, cjC, tcType));
          expect(Math.abs(out.cjC - cjC)).toBeLessThanOrEqual(0.03125);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    [FAULT_OPEN, FAULT_OPEN],
    [FAULT_SHORT_GND, FAULT_SHORT_GND],
    [FAULT_SHORT_VCC, FAULT_SHORT_VCC],
    [FAULT_NO_CHIP, FAULT_NO_CHIP],
    [FAULT_RANGE, FAULT_RANGE],
  ])("fault %d decodes as %d, for both types", (fault, expected) => {
    for (const tcType of ["K", "T"] as const) {
      const out = decodeMax31855(max31855Word(42, 25, tcType, fault), tcType, createMax31855Reading());
      expect(out.fault).toBe(expected);
      expect(out.tempC).toBeNaN();
    }
  });

  it("keeps the die temperature under a thermocouple fault", () => {
    const out = decodeMax31855(max31855Word(42, 25, "T", FAULT_OPEN), "T", createMax31855Reading());
    expect(out.cjC).toBe(25);
    expect(out.faultBits).toBe(MAX31855_BIT_FAULT | MAX31855_BIT_OC);
  });

  it("the no-chip word is all ones", () => {
    expect(max31855Word(42, 25, "K", FAULT_NO_CHIP)).toBe(MAX31855_NO_CHIP_WORD);
  });

  it("a hot junction below -200 °C is produced but decodes as FAULT_RANGE", () => {
    const out = decodeMax31855(max31855Word(-250, 25, "K"), "K", createMax31855Reading());
    expect(out.fault).toBe(FAULT_RANGE);
  });

  it("at the top of the range a rounded-up reading decodes as FAULT_RANGE, never as a wrong value", () => {
    const out = decodeMax31855(max31855Word(400, 50, "T"), "T", createMax31855Reading());
    expect(out.rawTcC).toBe(411);
    expect(out.fault).toBe(FAULT_RANGE);
  });

  it("throws for programmer mistakes, naming the argument", () => {
    expect(() => max31855Word(500, 25, "T")).toThrow(/hotC/);
    expect(() => max31855Word(NaN, 25, "K")).toThrow(/hotC/);
    expect(() => max31855Word(42, -300, "K")).toThrow(/cjC/);
    expect(() => max31855Word(42, 25, "K", FAULT_SPIKE)).toThrow(/fault/);
    expect(() => max31855Word(42, 25, "K", FAULT_NO_DATA)).toThrow(/fault/);
  });

  it("matches a hand-built word at a type K point", () => {
    const rawC = (typeKmVFromC(300) - typeKmVFromC(25)) / 0.041276 + 25;
    const out = decodeMax31855(max31855Word(300, 25, "K"), "K", createMax31855Reading());
    expect(out.rawTcC).toBe(Math.round(rawC * 4) / 4);
  });
});

describe("max31856Bytes -> decodeMax31856", () => {
  it("encodeMax31856 reproduces datasheet register bytes", () => {
    expect([...encodeMax31856(25, 25)]).toEqual([0x19, 0x00, 0x01, 0x90, 0x00, 0x00]);
    expect([...encodeMax31856(-250, -55, 0x40)]).toEqual([0xc9, 0x00, 0xf0, 0x60, 0x00, 0x40]);
    expect([...encodeMax31856(-0.0078125, -0.015625)]).toEqual([0xff, 0xfc, 0xff, 0xff, 0xe0, 0x00]);
  });

  it("property: in-range temperatures round-trip within half an LSB", () => {
    const out = createMax31856Reading();
    fc.assert(
      fc.property(
        fc.constantFrom<TcType>("K", "T"),
        fc.double({ min: -200, max: 400, noNaN: true }),
        fc.double({ min: -55, max: 125, noNaN: true }),
        (tcType, hotC, cjC) => {
          const bytes = max31856Bytes(hotC, cjC, tcType);
          fc.pre(bytes.some((b) => b !== 0));
          decodeMax31856(new Uint8Array([0, ...bytes]), 1, out);
          expect(out.fault).toBe(FAULT_NONE);
          expect(Math.abs(out.tempC - hotC)).toBeLessThanOrEqual(0.0078125 / 2);
          expect(Math.abs(out.cjC - cjC)).toBeLessThanOrEqual(0.015625 / 2);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    [FAULT_OPEN, FAULT_OPEN],
    [FAULT_SHORT_VCC, FAULT_SHORT_VCC],
    [FAULT_SHORT_GND, FAULT_SHORT_VCC],
    [FAULT_RANGE, FAULT_RANGE],
    [FAULT_NO_CHIP, FAULT_NO_CHIP],
  ])("fault %d decodes as %d (the MAX31856 cannot tell a GND short from a VCC short)", (fault, expected) => {
    const out = decodeMax31856(max31856Bytes(42, 25, "T", fault), 0, createMax31856Reading());
    expect(out.fault).toBe(expected);
  });

  it("sets TC Range outside the type's range and CJ Range outside -55..125 °C", () => {
    const out = createMax31856Reading();
    decodeMax31856(max31856Bytes(450, 25, "T"), 0, out);
    expect(out.faultBits).toBe(MAX31856_SR_TC_RANGE);
    expect(out.fault).toBe(FAULT_RANGE);
    expect(out.rawTcC).toBe(450);
    decodeMax31856(max31856Bytes(450, 25, "K"), 0, out);
    expect(out.fault).toBe(FAULT_NONE);
    decodeMax31856(max31856Bytes(42, 130, "K"), 0, out);
    expect(out.faultBits).toBe(MAX31856_SR_CJ_RANGE);
    expect(out.fault).toBe(FAULT_RANGE);
    decodeMax31856(max31856Bytes(42, 25, "K", FAULT_SHORT_GND), 0, out);
    expect(out.faultBits).toBe(MAX31856_SR_OVUV);
  });

  it("throws for programmer mistakes, naming the argument", () => {
    expect(() => max31856Bytes(NaN, 25, "K")).toThrow(/hotC/);
    expect(() => max31856Bytes(42, Infinity, "K")).toThrow(/cjC/);
    expect(() => max31856Bytes(42, 25, "K", FAULT_SPIKE)).toThrow(/fault/);
  });
});
