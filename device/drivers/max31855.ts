// Pure decoder for the 32-bit MAX31855 SPI word, with NIST ITS-90 correction of the chip's linear model.

import { FAULT_NONE, FAULT_NO_CHIP, FAULT_OPEN, FAULT_RANGE, FAULT_SHORT_GND, FAULT_SHORT_VCC } from "../source";
import { tcCFromMv, tcMvFromC } from "./its90";
import type { TcType } from "./its90";

/*
 * Word layout (MAX31855 datasheet, "Memory Map" table):
 *   D31..D18 thermocouple temperature, signed 14-bit, 0.25 °C (Table 2)
 *   D17 reserved (always 0), D16 fault (1 when SCV, SCG or OC is set)
 *   D15..D4  cold-junction temperature, signed 12-bit, 0.0625 °C (Table 3)
 *   D3 reserved (always 0), D2 SCV, D1 SCG, D0 OC
 * The bits below are given in the word's own positions; `faultBits` uses them.
 */

/** D0: thermocouple open (no connection). */
export const MAX31855_BIT_OC = 0x1;
/** D1: thermocouple shorted to GND. */
export const MAX31855_BIT_SCG = 0x2;
/** D2: thermocouple shorted to VCC. */
export const MAX31855_BIT_SCV = 0x4;
/** D3: reserved, always reads 0 on a working chip. */
export const MAX31855_BIT_RESERVED_D3 = 0x8;
/** D16: summary fault bit, set when any of SCV, SCG, OC is set. */
export const MAX31855_BIT_FAULT = 0x10000;
/** D17: reserved, always reads 0 on a working chip. */
export const MAX31855_BIT_RESERVED_D17 = 0x20000;
/** Every bit of the word that `faultBits` reports. */
export const MAX31855_FAULT_MASK = 0x3000f;

/** Thermocouple LSB (°C), datasheet Table 2. */
export const MAX31855_TC_LSB_C = 0.25;
/** Cold-junction LSB (°C), datasheet Table 3. */
export const MAX31855_CJ_LSB_C = 0.0625;
/**
 * Seebeck coefficients the chip's linear model assumes (mV/°C), datasheet Table 1:
 * V_out = k (T_hot - T_cj), k = 41.276 µV/°C (MAX31855K) and 52.18 µV/°C (MAX31855T).
 */
export const MAX31855_SEEBECK_K_MV_PER_C = 0.041276;
export const MAX31855_SEEBECK_T_MV_PER_C = 0.05218;

/** Decoded MAX31855 sample. Allocate once with createMax31855Reading() and reuse. */
export interface Max31855Reading {
  /** Hot-junction temperature (°C), ITS-90 corrected; NaN whenever `fault` is not FAULT_NONE. */
  tempC: number;
  /** Thermocouple temperature as the chip reports it (°C, linear model, uncorrected). */
  rawTcC: number;
  /** Cold-junction (chip die) temperature (°C). */
  cjC: number;
  /** One FAULT_* code of device/source.ts, chosen by the priority documented on decodeMax31855. */
  fault: number;
  /** The word's fault-related bits in place (word & MAX31855_FAULT_MASK): every bit that was set. */
  faultBits: number;
  /**
   * The cold junction's reference voltage E(cjMvAtC) (mV) and the temperature and type it was
   * computed for: the cold junction moves far more slowly than the probe, so most decodes reuse it.
   */
  cjMv: number;
  cjMvAtC: number;
  cjMvType: string;
}

/** A zeroed result object for decodeMax31855 (allocate once per channel). */
export function createMax31855Reading(): Max31855Reading {
  return { tempC: NaN, rawTcC: NaN, cjC: NaN, fault: FAULT_NO_CHIP, faultBits: 0, cjMv: NaN, cjMvAtC: NaN, cjMvType: "" };
}

/** The chip's Seebeck coefficient (mV/°C) for `tcType` (datasheet Table 1). */
export function max31855MvPerC(tcType: TcType): number {
  return tcType === "T" ? MAX31855_SEEBECK_T_MV_PER_C : MAX31855_SEEBECK_K_MV_PER_C;
}

/**
 * ITS-90 correction of a MAX31855 reading. The chip reports rawTcC = V/k + cjC, so the
 * thermocouple voltage is V = (rawTcC - cjC) k; the voltage the same thermocouple would give
 * against a 0 °C reference is V + E(cjC) with E the NIST reference function, and the NIST
 * inverse of that sum is the hot-junction temperature (datasheet "Thermocouple Voltage
 * Conversion": V_out = k (T_R - T_AMB)).
 * Returns NaN when the sum falls outside the inverse range (K -200..1372 °C, T -200..400 °C).
 */
export function max31855CorrectedC(rawTcC: number, cjC: number, tcType: TcType): number {
  return tcCFromMv(tcType, (rawTcC - cjC) * max31855MvPerC(tcType) + tcMvFromC(tcType, cjC));
}

/**
 * Decodes one sample given as its two 16-bit halves (hi = D31..D16, lo = D15..D0).
 * Working on halves keeps every bit operation within 16 bits, so it behaves identically on V8
 * and on Espruino whatever the top bit of the word.
 */
function decodeHalves(hi: number, lo: number, tcType: TcType, out: Max31855Reading): Max31855Reading {
  let tc = hi >> 2;
  if (tc >= 0x2000) tc -= 0x4000;
  let cj = lo >> 4;
  if (cj >= 0x800) cj -= 0x1000;
  out.rawTcC = tc * MAX31855_TC_LSB_C;
  out.cjC = cj * MAX31855_CJ_LSB_C;
  out.faultBits = (hi & 3) * 0x10000 + (lo & 0xf);
  out.tempC = NaN;
  if ((hi === 0 && lo === 0) || (hi === 0xffff && lo === 0xffff)) out.fault = FAULT_NO_CHIP;
  else if (hi & 2 || lo & 8) out.fault = FAULT_NO_CHIP;
  else if (lo & MAX31855_BIT_OC) out.fault = FAULT_OPEN;
  else if (lo & MAX31855_BIT_SCV) out.fault = FAULT_SHORT_VCC;
  else if (lo & MAX31855_BIT_SCG) out.fault = FAULT_SHORT_GND;
  else if (hi & 1) out.fault = FAULT_NO_CHIP;
  else {
    // max31855CorrectedC with E(cjC) kept from the previous decode while the cold junction reads the same.
    if (out.cjMvAtC !== out.cjC || out.cjMvType !== tcType) {
      out.cjMv = tcMvFromC(tcType, out.cjC);
      out.cjMvAtC = out.cjC;
      out.cjMvType = tcType;
    }
    const t = tcCFromMv(tcType, (out.rawTcC - out.cjC) * max31855MvPerC(tcType) + out.cjMv);
    if (isNaN(t)) out.fault = FAULT_RANGE;
    else {
      out.tempC = t;
      out.fault = FAULT_NONE;
    }
  }
  return out;
}

/**
 * Decodes a MAX31855 word into `out` (no allocation) and returns `out`.
 *
 * `word` is the 32 bits read MSB first, as an unsigned number 0..0xFFFFFFFF; a signed 32-bit
 * value (-0x80000000..-1, e.g. from `b0 << 24 | ...`) is accepted as its unsigned equivalent.
 * Anything else (non-integer, NaN, out of range) decodes as FAULT_NO_CHIP.
 * `tcType` selects the chip variant (MAX31855K or MAX31855T) for the ITS-90 correction.
 *
 * Fault priority, first match wins (all set bits stay visible in `out.faultBits`):
 * 1. FAULT_NO_CHIP: word all zeros or all ones (MISO held low or floating high).
 * 2. FAULT_NO_CHIP: reserved bit D17 or D3 set: not a frame a working chip sends (bus error).
 * 3. FAULT_OPEN (OC, D0): with the input open the short comparisons are meaningless.
 * 4. FAULT_SHORT_VCC (SCV, D2), before
 * 5. FAULT_SHORT_GND (SCG, D1).
 * 6. FAULT_NO_CHIP: summary bit D16 set with none of D2..D0: inconsistent frame (bus error).
 * 7. FAULT_RANGE: the corrected voltage is outside the ITS-90 inverse range of `tcType`.
 * A specific bit (D2..D0) without D16 is still reported (fail closed).
 * `rawTcC` and `cjC` are always decoded, even under a fault; `tempC` is NaN under any fault.
 */
export function decodeMax31855(word: number, tcType: TcType, out: Max31855Reading): Max31855Reading {
  let w = word;
  if (w < 0 && w >= -0x80000000) w += 0x100000000;
  if (!(w >= 0 && w <= 0xffffffff) || w % 1 !== 0) {
    out.tempC = NaN;
    out.rawTcC = NaN;
    out.cjC = NaN;
    out.faultBits = 0;
    out.fault = FAULT_NO_CHIP;
    return out;
  }
  const lo = w % 0x10000;
  return decodeHalves((w - lo) / 0x10000, lo, tcType, out);
}

/**
 * Same as decodeMax31855 for the 4 bytes as clocked out of the chip (MSB first), read from
 * `bytes[offset..offset+3]` (a Uint8Array from `spi.send`, or any array of 0..255).
 */
export function decodeMax31855Bytes(
  bytes: ArrayLike<number>,
  offset: number,
  tcType: TcType,
  out: Max31855Reading,
): Max31855Reading {
  return decodeMax31855(
    bytes[offset] * 0x1000000 + bytes[offset + 1] * 0x10000 + bytes[offset + 2] * 0x100 + bytes[offset + 3],
    tcType,
    out,
  );
}
