// MAX31856 decoder against datasheet register examples, every SR fault bit alone and combined, and no-chip bytes.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FAULT_NONE, FAULT_NO_CHIP, FAULT_OPEN, FAULT_RANGE, FAULT_SHORT_VCC } from "../source";
import {
  createMax31856Reading,
  decodeMax31856,
  MAX31856_BATCH_DATA_LENGTH,
  MAX31856_BATCH_DATA_OFFSET,
  MAX31856_BATCH_READ_TX,
  MAX31856_CR1_AVG_1,
  MAX31856_CR1_AVG_16,
  MAX31856_CR1_AVG_4,
  MAX31856_CR1_TC_TYPE_K,
  MAX31856_CR1_TC_TYPE_T,
  max31856Cr1,
  MAX31856_REG_CJTH,
  MAX31856_REG_CR0,
  MAX31856_REG_CR1,
  MAX31856_REG_LTCBH,
  MAX31856_REG_SR,
  MAX31856_SR_CJHIGH,
  MAX31856_SR_CJLOW,
  MAX31856_SR_CJ_RANGE,
  MAX31856_SR_OPEN,
  MAX31856_SR_OVUV,
  MAX31856_SR_TCHIGH,
  MAX31856_SR_TCLOW,
  MAX31856_SR_TC_RANGE,
  MAX31856_WRITE,
} from "./max31856";

/** 6 register bytes from the datasheet's bit strings: 19-bit LTCB field, 14-bit CJT field, SR. */
function regs(tcBits: string, cjBits: string, sr = 0): number[] {
  const tc = parseInt(tcBits.replace(/ /g, ""), 2) * 32;
  const cj = parseInt(cjBits.replace(/ /g, ""), 2) * 4;
  return [cj >> 8, cj & 255, tc >> 16, (tc >> 8) & 255, tc & 255, sr];
}

const CJ_25 = "0001 1001 0000 00";
const TC_25 = "000 0000 1100 1000 0000";

/** MAX31856 datasheet, linearised thermocouple temperature format (LTCBH..LTCBL, 19 bits). */
const LTCB_TABLE: [number, string][] = [
  [1600, "011 0010 0000 0000 0000"],
  [100, "000 0011 0010 0000 0000"],
  [25, "000 0000 1100 1000 0000"],
  [0.0078125, "000 0000 0000 0000 0001"],
  [0, "000 0000 0000 0000 0000"],
  [-0.0078125, "111 1111 1111 1111 1111"],
  [-1, "111 1111 1111 1000 0000"],
  [-250, "111 1000 0011 0000 0000"],
];

/** MAX31856 datasheet, cold-junction temperature format (CJTH:CJTL, 14 bits). */
const CJT_TABLE: [number, string][] = [
  [127.984375, "0111 1111 1111 11"],
  [127, "0111 1111 0000 00"],
  [100.5625, "0110 0100 1001 00"],
  [25, "0001 1001 0000 00"],
  [0, "0000 0000 0000 00"],
  [-0.015625, "1111 1111 1111 11"],
  [-1, "1111 1111 0000 00"],
  [-20, "1110 1100 0000 00"],
  [-55, "1100 1001 0000 00"],
];

describe("register map and configuration constants", () => {
  it("addresses per the datasheet memory map", () => {
    expect(MAX31856_REG_CR0).toBe(0x00);
    expect(MAX31856_REG_CR1).toBe(0x01);
    expect(MAX31856_REG_CJTH).toBe(0x0a);
    expect(MAX31856_REG_LTCBH).toBe(0x0c);
    expect(MAX31856_REG_SR).toBe(0x0f);
    expect(MAX31856_WRITE | MAX31856_REG_CR1).toBe(0x81);
  });

  it("one batched read: address 0x0A then 6 dummy bytes; data at offset 1", () => {
    expect([...MAX31856_BATCH_READ_TX]).toEqual([0x0a, 0, 0, 0, 0, 0, 0]);
    expect(MAX31856_BATCH_DATA_LENGTH).toBe(6);
    expect(MAX31856_BATCH_DATA_OFFSET).toBe(1);
  });

  it("CR1 type bits: K = 0011, T = 0111, averaging in bits 6..4", () => {
    expect(MAX31856_CR1_TC_TYPE_K).toBe(0b0011);
    expect(MAX31856_CR1_TC_TYPE_T).toBe(0b0111);
    expect(max31856Cr1("K", MAX31856_CR1_AVG_1)).toBe(0x03);
    expect(max31856Cr1("T", MAX31856_CR1_AVG_1)).toBe(0x07);
    expect(max31856Cr1("T", MAX31856_CR1_AVG_4)).toBe(0x27);
    expect(max31856Cr1("K", MAX31856_CR1_AVG_16)).toBe(0x43);
  });
});

describe("linearised thermocouple temperature (LTCB, 0.0078125 °C)", () => {
  it.each(LTCB_TABLE)("%d °C", (tempC, bits) => {
    const out = decodeMax31856(regs(bits, CJ_25), 0, createMax31856Reading());
    expect(out.rawTcC).toBe(tempC);
    expect(out.tempC).toBe(tempC);
    expect(out.cjC).toBe(25);
    expect(out.fault).toBe(FAULT_NONE);
  });

  it.each([
    [25, [0x19, 0x00, 0x01, 0x90, 0x00], 25],
    [-250, [0xc9, 0x00, 0xf0, 0x60, 0x00], -55],
    [-0.0078125, [0xff, 0xfc, 0xff, 0xff, 0xe0], -0.015625],
    [1600, [0x7f, 0x00, 0x64, 0x00, 0x00], 127],
  ])("literal register bytes for %d °C", (tempC, bytes, cjC) => {
    const out = decodeMax31856([...bytes, 0], 0, createMax31856Reading());
    expect(out.tempC).toBe(tempC);
    expect(out.cjC).toBe(cjC);
  });

  it("ignores the don't-care low bits of LTCBL", () => {
    const b = regs(TC_25, CJ_25);
    b[4] |= 0x1f;
    expect(decodeMax31856(b, 0, createMax31856Reading()).tempC).toBe(25);
  });

  it("most negative and most positive 19-bit values", () => {
    const out = createMax31856Reading();
    expect(decodeMax31856(regs("100 0000 0000 0000 0000", CJ_25), 0, out).rawTcC).toBe(-2048);
    expect(decodeMax31856(regs("011 1111 1111 1111 1111", CJ_25), 0, out).rawTcC).toBe(2048 - 0.0078125);
  });
});

describe("cold-junction temperature (CJTH:CJTL, 0.015625 °C)", () => {
  it.each(CJT_TABLE)("%d °C", (cjC, bits) => {
    const out = decodeMax31856(regs(TC_25, bits), 0, createMax31856Reading());
    expect(out.cjC).toBe(cjC);
    expect(out.fault).toBe(FAULT_NONE);
  });

  it("ignores the don't-care low bits of CJTL", () => {
    const b = regs(TC_25, CJ_25);
    b[1] |= 0x03;
    expect(decodeMax31856(b, 0, createMax31856Reading()).cjC).toBe(25);
  });
});

describe("fault status register", () => {
  it.each([
    ["OPEN", MAX31856_SR_OPEN, FAULT_OPEN],
    ["OVUV", MAX31856_SR_OVUV, FAULT_SHORT_VCC],
    ["TC Range", MAX31856_SR_TC_RANGE, FAULT_RANGE],
    ["CJ Range", MAX31856_SR_CJ_RANGE, FAULT_RANGE],
  ])("%s alone", (_name, sr, fault) => {
    const out = decodeMax31856(regs(TC_25, CJ_25, sr), 0, createMax31856Reading());
    expect(out.fault).toBe(fault);
    expect(out.faultBits).toBe(sr);
    expect(out.tempC).toBeNaN();
    expect(out.rawTcC).toBe(25);
    expect(out.cjC).toBe(25);
  });

  it.each([
    ["TCHIGH", MAX31856_SR_TCHIGH],
    ["TCLOW", MAX31856_SR_TCLOW],
    ["CJHIGH", MAX31856_SR_CJHIGH],
    ["CJLOW", MAX31856_SR_CJLOW],
  ])("threshold bit %s alone: reading kept, bit visible, no fault code", (_name, sr) => {
    const out = decodeMax31856(regs(TC_25, CJ_25, sr), 0, createMax31856Reading());
    expect(out.fault).toBe(FAULT_NONE);
    expect(out.faultBits).toBe(sr);
    expect(out.tempC).toBe(25);
  });

  it.each([
    ["OPEN+OVUV", MAX31856_SR_OPEN | MAX31856_SR_OVUV, FAULT_OPEN],
    ["OPEN+TC Range", MAX31856_SR_OPEN | MAX31856_SR_TC_RANGE, FAULT_OPEN],
    ["OVUV+TC Range+CJ Range", MAX31856_SR_OVUV | MAX31856_SR_TC_RANGE | MAX31856_SR_CJ_RANGE, FAULT_SHORT_VCC],
    ["TC Range+TCHIGH", MAX31856_SR_TC_RANGE | MAX31856_SR_TCHIGH, FAULT_RANGE],
    ["CJ Range+CJLOW", MAX31856_SR_CJ_RANGE | MAX31856_SR_CJLOW, FAULT_RANGE],
    ["OVUV+TCLOW", MAX31856_SR_OVUV | MAX31856_SR_TCLOW, FAULT_SHORT_VCC],
    ["every bit but no-chip bytes", 0xff, FAULT_OPEN],
  ])("%s combined: OPEN > OVUV > TC/CJ Range > thresholds", (_name, sr, fault) => {
    const out = decodeMax31856(regs(TC_25, CJ_25, sr), 0, createMax31856Reading());
    expect(out.fault).toBe(fault);
    expect(out.faultBits).toBe(sr);
  });
});

describe("no chip", () => {
  it("six 0x00 bytes -> FAULT_NO_CHIP", () => {
    expect(decodeMax31856([0, 0, 0, 0, 0, 0], 0, createMax31856Reading()).fault).toBe(FAULT_NO_CHIP);
  });

  it("six 0xFF bytes -> FAULT_NO_CHIP (not FAULT_OPEN)", () => {
    const out = decodeMax31856(new Uint8Array(6).fill(0xff), 0, createMax31856Reading());
    expect(out.fault).toBe(FAULT_NO_CHIP);
    expect(out.faultBits).toBe(0xff);
    expect(out.tempC).toBeNaN();
  });

  it("0 °C with a 0 °C die still reads when SR or any byte differs", () => {
    expect(decodeMax31856([0, 0, 0, 0, 1, 0], 0, createMax31856Reading()).fault).toBe(FAULT_NONE);
  });
});

describe("batched reply and reuse", () => {
  it("decodes the 7-byte reply at offset MAX31856_BATCH_DATA_OFFSET into the same object", () => {
    const out = createMax31856Reading();
    const reply = new Uint8Array([0xff, ...regs(TC_25, CJ_25)]);
    expect(decodeMax31856(reply, MAX31856_BATCH_DATA_OFFSET, out)).toBe(out);
    expect(out.tempC).toBe(25);
    decodeMax31856(regs(TC_25, CJ_25, MAX31856_SR_OPEN), 0, out);
    expect(out.fault).toBe(FAULT_OPEN);
    decodeMax31856(reply, 1, out);
    expect(out.fault).toBe(FAULT_NONE);
    expect(out.faultBits).toBe(0);
  });

  it("property: any 19-bit / 14-bit pair decodes back exactly", () => {
    const out = createMax31856Reading();
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 18), max: 2 ** 18 - 1 }),
        fc.integer({ min: -(2 ** 13), max: 2 ** 13 - 1 }),
        fc.integer({ min: 0, max: 0x3c }),
        (tcCount, cjCount, thresholdBits) => {
          const tc = (tcCount < 0 ? tcCount + 2 ** 19 : tcCount) * 32;
          const cj = (cjCount < 0 ? cjCount + 2 ** 14 : cjCount) * 4;
          const sr = thresholdBits & 0x3c;
          const b = [cj >> 8, cj & 255, tc >> 16, (tc >> 8) & 255, tc & 255, sr];
          fc.pre(b.some((x) => x !== 0));
          decodeMax31856(b, 0, out);
          expect(out.rawTcC).toBe(tcCount * 0.0078125);
          expect(out.cjC).toBe(cjCount * 0.015625);
          expect(out.fault).toBe(FAULT_NONE);
          expect(out.tempC).toBe(out.rawTcC);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
