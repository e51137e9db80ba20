// MAX31855 decoder against datasheet words (Tables 2 and 3), every fault bit, no-chip words and the ITS-90 correction.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FAULT_NONE,
  FAULT_NO_CHIP,
  FAULT_OPEN,
  FAULT_RANGE,
  FAULT_SHORT_GND,
  FAULT_SHORT_VCC,
} from "../source";
import { typeKCFromMv, typeKmVFromC, typeTCFromMv, typeTmVFromC } from "./its90";
import {
  createMax31855Reading,
  decodeMax31855,
  decodeMax31855Bytes,
  MAX31855_BIT_FAULT,
  MAX31855_BIT_OC,
  MAX31855_BIT_RESERVED_D17,
  MAX31855_BIT_RESERVED_D3,
  MAX31855_BIT_SCG,
  MAX31855_BIT_SCV,
  max31855CorrectedC,
} from "./max31855";

/** Word from the datasheet's bit strings: 14-bit thermocouple field, 12-bit cold-junction field, low bits. */
function word(tcBits: string, cjBits: string, low = 0): number {
  return parseInt(tcBits.replace(/ /g, ""), 2) * 2 ** 18 + parseInt(cjBits.replace(/ /g, ""), 2) * 16 + low;
}

const CJ_25 = "0001 1001 0000";
const TC_25 = "0000 0001 1001 00";

/** MAX31855 datasheet Table 2: thermocouple temperature data format (D31..D18). */
const TABLE_2: [number, string][] = [
  [1600, "0110 0100 0000 00"],
  [1000, "0011 1110 1000 00"],
  [100.75, "0000 0110 0100 11"],
  [25, "0000 0001 1001 00"],
  [0, "0000 0000 0000 00"],
  [-0.25, "1111 1111 1111 11"],
  [-1, "1111 1111 1111 00"],
  [-250, "1111 0000 0110 00"],
];

/** MAX31855 datasheet Table 3: reference-junction temperature data format (D15..D4). */
const TABLE_3: [number, string][] = [
  [127, "0111 1111 0000"],
  [100.5625, "0110 0100 1001"],
  [25, "0001 1001 0000"],
  [0, "0000 0000 0000"],
  [-0.0625, "1111 1111 1111"],
  [-1, "1111 1111 0000"],
  [-20, "1110 1100 0000"],
  [-55, "1100 1001 0000"],
];

describe("datasheet Table 2: thermocouple field", () => {
  it.each(TABLE_2)("%d °C", (tempC, bits) => {
    const out = decodeMax31855(word(bits, CJ_25), "K", createMax31855Reading());
    expect(out.rawTcC).toBe(tempC);
    expect(out.cjC).toBe(25);
    expect(out.faultBits).toBe(0);
  });

  it("the same words arrive as 4 bytes, MSB first", () => {
    for (const [tempC, bits] of TABLE_2) {
      const w = word(bits, CJ_25);
      const bytes = [Math.floor(w / 2 ** 24), Math.floor(w / 2 ** 16) & 255, Math.floor(w / 256) & 255, w & 255];
      const out = decodeMax31855Bytes(new Uint8Array([0xaa, ...bytes]), 1, "K", createMax31855Reading());
      expect(out.rawTcC).toBe(tempC);
    }
  });

  it("in-range readings decode without fault; +1600 and -250 °C are impossible for type K after correction", () => {
    const out = createMax31855Reading();
    for (const [tempC, bits] of TABLE_2) {
      decodeMax31855(word(bits, CJ_25), "K", out);
      if (tempC === 1600 || tempC === -250) {
        expect(out.fault).toBe(FAULT_RANGE);
        expect(out.tempC).toBeNaN();
      } else {
        expect(out.fault).toBe(FAULT_NONE);
        expect(out.tempC).toBeCloseTo(max31855CorrectedC(tempC, 25, "K"), 9);
      }
    }
  });
});

describe("datasheet Table 3: cold-junction field", () => {
  it.each(TABLE_3)("%d °C", (cjC, bits) => {
    const out = decodeMax31855(word(TC_25, bits), "K", createMax31855Reading());
    expect(out.cjC).toBe(cjC);
    expect(out.rawTcC).toBe(25);
    expect(out.fault).toBe(FAULT_NONE);
  });
});

describe("negative values (two's complement, the bug of common drivers)", () => {
  it("decodes -0.25 °C and -0.0625 °C, not +4095.75 / +255.9375 or garbage", () => {
    const out = decodeMax31855(word("1111 1111 1111 11", "1111 1111 1111"), "T", createMax31855Reading());
    expect(out.rawTcC).toBe(-0.25);
    expect(out.cjC).toBe(-0.0625);
    expect(out.fault).toBe(FAULT_NONE);
    expect(out.tempC).toBeLessThan(0);
  });

  it("the most negative fields: -2048 °C and -128 °C", () => {
    const out = decodeMax31855(word("1000 0000 0000 00", "1000 0000 0000"), "K", createMax31855Reading());
    expect(out.rawTcC).toBe(-2048);
    expect(out.cjC).toBe(-128);
  });

  it("a signed 32-bit word (as `b0 << 24 | ...` gives) reads as its unsigned value", () => {
    const w = word("1111 1111 1111 00", CJ_25);
    const out = decodeMax31855(w | 0, "K", createMax31855Reading());
    expect(w | 0).toBeLessThan(0);
    expect(out.rawTcC).toBe(-1);
    expect(out.cjC).toBe(25);
  });

  /** Independent encoder: counts to two's complement fields by arithmetic only. */
  function pack(tcCount: number, cjCount: number, low: number): number {
    const tc = tcCount < 0 ? tcCount + 16384 : tcCount;
    const cj = cjCount < 0 ? cjCount + 4096 : cjCount;
    return tc * 262144 + cj * 16 + low;
  }

  it("property: any 14-bit / 12-bit pair and fault bits decode back exactly (word and bytes)", () => {
    const out = createMax31855Reading();
    fc.assert(
      fc.property(
        fc.integer({ min: -8192, max: 8191 }),
        fc.integer({ min: -2048, max: 2047 }),
        fc.constantFrom(0, 0x10001, 0x10002, 0x10004, 0x10007),
        (tcCount, cjCount, low) => {
          const w = pack(tcCount, cjCount, low);
          fc.pre(w !== 0 && w !== 0xffffffff);
          decodeMax31855(w, "K", out);
          expect(out.rawTcC).toBe(tcCount * 0.25);
          expect(out.cjC).toBe(cjCount * 0.0625);
          expect(out.faultBits).toBe(low);
          const b = [Math.floor(w / 2 ** 24), Math.floor(w / 2 ** 16) % 256, Math.floor(w / 256) % 256, w % 256];
          decodeMax31855Bytes(b, 0, "K", out);
          expect(out.rawTcC).toBe(tcCount * 0.25);
          expect(out.cjC).toBe(cjCount * 0.0625);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("fault bits", () => {
  const base = word(TC_25, CJ_25);
  const F = MAX31855_BIT_FAULT;

  it.each([
    ["OC", F | MAX31855_BIT_OC, FAULT_OPEN],
    ["SCG", F | MAX31855_BIT_SCG, FAULT_SHORT_GND],
    ["SCV", F | MAX31855_BIT_SCV, FAULT_SHORT_VCC],
  ])("%s alone (with D16)", (_name, bits, fault) => {
    const out = decodeMax31855(base + bits, "K", createMax31855Reading());
    expect(out.fault).toBe(fault);
    expect(out.faultBits).toBe(bits);
    expect(out.tempC).toBeNaN();
    expect(out.rawTcC).toBe(25);
    expect(out.cjC).toBe(25);
  });

  it.each([
    ["OC+SCG", MAX31855_BIT_OC | MAX31855_BIT_SCG, FAULT_OPEN],
    ["OC+SCV", MAX31855_BIT_OC | MAX31855_BIT_SCV, FAULT_OPEN],
    ["SCG+SCV", MAX31855_BIT_SCG | MAX31855_BIT_SCV, FAULT_SHORT_VCC],
    ["OC+SCG+SCV", MAX31855_BIT_OC | MAX31855_BIT_SCG | MAX31855_BIT_SCV, FAULT_OPEN],
  ])("%s combined: priority OC > SCV > SCG, every bit kept in faultBits", (_name, bits, fault) => {
    const out = decodeMax31855(base + F + bits, "K", createMax31855Reading());
    expect(out.fault).toBe(fault);
    expect(out.faultBits).toBe(F | bits);
  });

  it.each([
    ["OC", MAX31855_BIT_OC, FAULT_OPEN],
    ["SCG", MAX31855_BIT_SCG, FAULT_SHORT_GND],
    ["SCV", MAX31855_BIT_SCV, FAULT_SHORT_VCC],
  ])("%s without D16 still reports the fault (fail closed)", (_name, bits, fault) => {
    expect(decodeMax31855(base + bits, "K", createMax31855Reading()).fault).toBe(fault);
  });

  it("D16 without any of D2..D0 is an inconsistent frame: FAULT_NO_CHIP", () => {
    const out = decodeMax31855(base + F, "K", createMax31855Reading());
    expect(out.fault).toBe(FAULT_NO_CHIP);
    expect(out.faultBits).toBe(F);
  });

  it.each([
    ["D17", MAX31855_BIT_RESERVED_D17],
    ["D3", MAX31855_BIT_RESERVED_D3],
    ["D3 + OC", MAX31855_BIT_RESERVED_D3 | F | MAX31855_BIT_OC],
  ])("reserved bit %s set: not a chip frame, FAULT_NO_CHIP before any fault bit", (_name, bits) => {
    const out = decodeMax31855(base + bits, "K", createMax31855Reading());
    expect(out.fault).toBe(FAULT_NO_CHIP);
    expect(out.faultBits).toBe(bits);
  });
});

describe("no chip", () => {
  it.each([
    ["all zeros", 0],
    ["all ones", 0xffffffff],
    ["all ones as signed -1", -1],
  ])("%s -> FAULT_NO_CHIP", (_name, w) => {
    const out = decodeMax31855(w, "K", createMax31855Reading());
    expect(out.fault).toBe(FAULT_NO_CHIP);
    expect(out.tempC).toBeNaN();
  });

  it("all-zero and all-one bytes -> FAULT_NO_CHIP", () => {
    expect(decodeMax31855Bytes([0, 0, 0, 0], 0, "T", createMax31855Reading()).fault).toBe(FAULT_NO_CHIP);
    expect(decodeMax31855Bytes([255, 255, 255, 255], 0, "T", createMax31855Reading()).fault).toBe(FAULT_NO_CHIP);
  });

  it.each([0.5, NaN, 2 ** 32, -(2 ** 31) - 1, Infinity])("an impossible word %d -> FAULT_NO_CHIP", (w) => {
    expect(decodeMax31855(w, "K", createMax31855Reading()).fault).toBe(FAULT_NO_CHIP);
  });
});

describe("reuse", () => {
  it("writes into the caller's object and returns it; a later good word clears an earlier fault", () => {
    const out = createMax31855Reading();
    expect(decodeMax31855(0, "K", out)).toBe(out);
    expect(out.fault).toBe(FAULT_NO_CHIP);
    decodeMax31855(word(TC_25, CJ_25), "K", out);
    expect(out.fault).toBe(FAULT_NONE);
    expect(out.faultBits).toBe(0);
    expect(out.tempC).toBeCloseTo(25, 1);
  });
});

describe("ITS-90 correction", () => {
  /** The word a chip would send: V = E(hot) - E(cj), reported V/k + cj rounded to 0.25 °C. */
  function chipWord(hotC: number, cjC: number, e: (c: number) => number, kMvPerC: number): number {
    const rawC = (e(hotC) - e(cjC)) / kMvPerC + cjC;
    const tcCount = Math.round(rawC / 0.25);
    const cjCount = Math.round(cjC / 0.0625);
    return (tcCount < 0 ? tcCount + 16384 : tcCount) * 262144 + (cjCount < 0 ? cjCount + 4096 : cjCount) * 16;
  }

  it("type T near 45 °C: the chip's own reading is ~4 °C low, the corrected one within 0.1 °C", () => {
    const out = decodeMax31855(chipWord(45, 25, typeTmVFromC, 0.05218), "T", createMax31855Reading());
    expect(out.fault).toBe(FAULT_NONE);
    expect(45 - out.rawTcC).toBeGreaterThan(3.5);
    expect(45 - out.rawTcC).toBeLessThan(4.5);
    expect(Math.abs(out.tempC - 45)).toBeLessThan(0.1);
  });

  it("type T 40..50 °C (die 20..35 °C): the chip always reads low, the corrected error stays within half an LSB", () => {
    const out = createMax31855Reading();
    for (let cjC = 20; cjC <= 35; cjC += 5) {
      for (let hotC = 40; hotC <= 50; hotC += 0.1) {
        decodeMax31855(chipWord(hotC, cjC, typeTmVFromC, 0.05218), "T", out);
        // Half an LSB of the chip's scale is 0.125 * 52.18 µV, i.e. 0.125 * 52.18 / 42 = 0.155 °C of type T at 45 °C.
        expect(Math.abs(out.tempC - hotC)).toBeLessThan(0.16);
        expect(hotC - out.rawTcC).toBeGreaterThan(0.5);
      }
    }
  });

  it("type K near body temperature needs little correction but still gets it", () => {
    const out = decodeMax31855(chipWord(45, 25, typeKmVFromC, 0.041276), "K", createMax31855Reading());
    expect(Math.abs(out.tempC - 45)).toBeLessThan(0.1);
    expect(Math.abs(out.rawTcC - 45)).toBeLessThan(0.5);
  });

  it("type K over its range: corrected error bounded by the quantisation", () => {
    const out = createMax31855Reading();
    for (let hotC = -200; hotC <= 1372; hotC += 7) {
      decodeMax31855(chipWord(hotC, 25, typeKmVFromC, 0.041276), "K", out);
      const slope = typeKmVFromC(hotC + 0.5) - typeKmVFromC(hotC - 0.5 < -270 ? -270 : hotC - 0.5);
      const boundC = (0.125 * 0.041276) / slope + 1e-6;
      if (hotC === -200 && out.fault === FAULT_RANGE) continue;
      expect(out.fault).toBe(FAULT_NONE);
      expect(Math.abs(out.tempC - hotC)).toBeLessThanOrEqual(boundC);
    }
  });

  it("max31855CorrectedC inverts the linear model exactly (no quantisation)", () => {
    for (const [hotC, cjC] of [
      [45, 25],
      [-150, 30],
      [300, -10],
    ]) {
      const rawK = (typeKmVFromC(hotC) - typeKmVFromC(cjC)) / 0.041276 + cjC;
      const rawT = (typeTmVFromC(hotC) - typeTmVFromC(cjC)) / 0.05218 + cjC;
      expect(max31855CorrectedC(rawK, cjC, "K")).toBeCloseTo(hotC, 6);
      expect(max31855CorrectedC(rawT, cjC, "T")).toBeCloseTo(hotC, 6);
    }
    expect(typeKCFromMv(typeKmVFromC(45))).toBeCloseTo(45, 6);
    expect(typeTCFromMv(typeTmVFromC(45))).toBeCloseTo(45, 6);
  });
});

describe("cold-junction voltage kept between decodes", () => {
  it("a reused reading object gives exactly max31855CorrectedC whatever the order of cold junctions, probe words and types", () => {
    const out = createMax31855Reading();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -800, max: 1600 }), fc.integer({ min: -100, max: 500 }), fc.constantFrom("K" as const, "T" as const)), { minLength: 1, maxLength: 30 }), (steps) => {
        steps.push([0, 0, "T"], steps[0]);
        for (const [tcQ, cjQ, ty] of steps) {
          const w = (tcQ & 0x3fff) * 2 ** 18 + (cjQ & 0xfff) * 16;
          decodeMax31855(w, ty, out);
          if (w === 0) {
            expect(out.fault).toBe(FAULT_NO_CHIP); // an all-zero word: nothing answered
            continue;
          }
          const expected = max31855CorrectedC(out.rawTcC, out.cjC, ty);
          if (isNaN(expected)) expect(out.fault).toBe(FAULT_RANGE);
          else expect(out.tempC).toBe(expected);
        }
      }),
    );
  });
});
