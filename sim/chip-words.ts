// Raw SPI words a MAX31855 / MAX31856 would send for a true temperature, so the simulator exercises the real decoders.

import { FAULT_NONE, FAULT_NO_CHIP, FAULT_OPEN, FAULT_RANGE, FAULT_SHORT_GND, FAULT_SHORT_VCC } from "../device/source";
import { tcMvFromC, TYPE_K_MAX_C, TYPE_K_MIN_C, TYPE_T_MAX_C, TYPE_T_MIN_C } from "../device/drivers/its90";
import type { TcType } from "../device/drivers/its90";
import {
  MAX31855_BIT_FAULT,
  MAX31855_BIT_OC,
  MAX31855_BIT_SCG,
  MAX31855_BIT_SCV,
  MAX31855_CJ_LSB_C,
  max31855MvPerC,
  MAX31855_TC_LSB_C,
} from "../device/drivers/max31855";
import {
  MAX31856_CJ_LSB_C,
  MAX31856_SR_CJ_RANGE,
  MAX31856_SR_OPEN,
  MAX31856_SR_OVUV,
  MAX31856_SR_TC_RANGE,
  MAX31856_TC_LSB_C,
} from "../device/drivers/max31856";

/** The word a MAX31855 bus reads when MISO floats high (no chip, pull-up); 0 is the other no-chip word. */
export const MAX31855_NO_CHIP_WORD = 0xffffffff;

/**
 * Measurement ranges of the MAX31856 per type (°C, datasheet "Thermocouple Type" table): outside
 * them the chip sets TC Range. Cold-junction operating range -55..+125 °C sets CJ Range.
 */
export const MAX31856_TC_RANGE_C: Readonly<Record<TcType, readonly [number, number]>> = {
  K: [-200, 1372],
  T: [-250, 400],
};
export const MAX31856_CJ_RANGE_C: readonly [number, number] = [-55, 125];

/** Rounds `valueC` to a whole number of `lsbC` and clamps it to a signed `bits`-bit count. */
function quantise(valueC: number, lsbC: number, bits: number): number {
  const max = 2 ** (bits - 1) - 1;
  return Math.min(max, Math.max(-max - 1, Math.round(valueC / lsbC)));
}

/** Two's complement of a signed count in `bits` bits, as a non-negative integer. */
function twos(count: number, bits: number): number {
  return count < 0 ? count + 2 ** bits : count;
}

function checkFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}

/**
 * Packs a MAX31855 word from the values the chip reports: `rawTcC` (rounded to 0.25 °C, clamped
 * to the signed 14-bit range), `cjC` (rounded to 0.0625 °C, clamped to signed 12-bit) and
 * `faultBits` in the word's own positions (MAX31855_BIT_*; D16 is not added automatically).
 * Returns the unsigned word 0..0xFFFFFFFF.
 */
export function encodeMax31855(rawTcC: number, cjC: number, faultBits = 0): number {
  checkFinite("rawTcC", rawTcC);
  checkFinite("cjC", cjC);
  const tc = twos(quantise(rawTcC, MAX31855_TC_LSB_C, 14), 14);
  const cj = twos(quantise(cjC, MAX31855_CJ_LSB_C, 12), 12);
  return tc * 2 ** 18 + cj * 2 ** 4 + (faultBits & 0x3000f);
}

/**
 * The word a MAX31855 (K or T variant per `tcType`) outputs with its hot junction at `hotC` and its
 * die (cold junction) at `cjC`, optionally with a fault (one FAULT_* code).
 *
 * Chip model (datasheet "Thermocouple Voltage Conversion"): the thermocouple gives
 * V = E(hotC) - E(cjC) with E the NIST ITS-90 reference function; the chip reports
 * V / k + cjC with its fixed Seebeck coefficient k, rounded to 0.25 °C, and cjC rounded to
 * 0.0625 °C (the datasheet does not state the rounding; nearest is modelled).
 * Faults: FAULT_OPEN / FAULT_SHORT_GND / FAULT_SHORT_VCC set OC / SCG / SCV plus D16, keeping the
 * temperature fields; FAULT_NO_CHIP returns MAX31855_NO_CHIP_WORD; FAULT_RANGE reports the
 * saturated +2047.75 °C a runaway input would give, outside every ITS-90 inverse range.
 * Throws RangeError for a hotC or cjC outside the reference function's range, or another fault.
 */
export function max31855Word(hotC: number, cjC: number, tcType: TcType, fault: number = FAULT_NONE): number {
  checkRange("hotC", hotC, tcType);
  checkRange("cjC", cjC, tcType);
  const k = max31855MvPerC(tcType);
  const rawTcC = (tcMvFromC(tcType, hotC) - tcMvFromC(tcType, cjC)) / k + cjC;
  switch (fault) {
    case FAULT_NONE:
      return encodeMax31855(rawTcC, cjC, 0);
    case FAULT_OPEN:
      return encodeMax31855(rawTcC, cjC, MAX31855_BIT_FAULT | MAX31855_BIT_OC);
    case FAULT_SHORT_GND:
      return encodeMax31855(rawTcC, cjC, MAX31855_BIT_FAULT | MAX31855_BIT_SCG);
    case FAULT_SHORT_VCC:
      return encodeMax31855(rawTcC, cjC, MAX31855_BIT_FAULT | MAX31855_BIT_SCV);
    case FAULT_NO_CHIP:
      return MAX31855_NO_CHIP_WORD;
    case FAULT_RANGE:
      return encodeMax31855(2047.75, cjC, 0);
    default:
      throw new RangeError(`fault ${fault} is not a fault a MAX31855 can produce`);
  }
}

/** The 4 bytes of a MAX31855 word as clocked out, MSB first. */
export function max31855Bytes(word: number): Uint8Array {
  if (!Number.isInteger(word) || word < 0 || word > 0xffffffff) {
    throw new RangeError(`word must be an integer 0..0xFFFFFFFF, got ${word}`);
  }
  const b = new Uint8Array(4);
  b[0] = Math.floor(word / 2 ** 24) & 0xff;
  b[1] = Math.floor(word / 2 ** 16) & 0xff;
  b[2] = Math.floor(word / 2 ** 8) & 0xff;
  b[3] = word & 0xff;
  return b;
}

function checkRange(name: string, valueC: number, tcType: TcType): void {
  checkFinite(name, valueC);
  const min = tcType === "T" ? TYPE_T_MIN_C : TYPE_K_MIN_C;
  const max = tcType === "T" ? TYPE_T_MAX_C : TYPE_K_MAX_C;
  if (valueC < min || valueC > max) {
    throw new RangeError(`${name} ${valueC} is outside the type ${tcType} reference range ${min}..${max} °C`);
  }
}

/**
 * Packs the 6 MAX31856 bytes CJTH, CJTL, LTCBH, LTCBM, LTCBL, SR from the values the chip reports:
 * `tcC` (rounded to 0.0078125 °C, signed 19-bit), `cjC` (rounded to 0.015625 °C, signed 14-bit)
 * and the SR byte `sr`. Unused low bits (LTCBL 4..0, CJTL 1..0) are sent as 0.
 */
export function encodeMax31856(tcC: number, cjC: number, sr = 0): Uint8Array {
  checkFinite("tcC", tcC);
  checkFinite("cjC", cjC);
  const tc = twos(quantise(tcC, MAX31856_TC_LSB_C, 19), 19) * 32;
  const cj = twos(quantise(cjC, MAX31856_CJ_LSB_C, 14), 14) * 4;
  const b = new Uint8Array(6);
  b[0] = cj >> 8;
  b[1] = cj & 0xff;
  b[2] = tc >> 16;
  b[3] = (tc >> 8) & 0xff;
  b[4] = tc & 0xff;
  b[5] = sr & 0xff;
  return b;
}

/**
 * The 6 bytes (CJTH..SR) a MAX31856 configured for `tcType` outputs with its hot junction at
 * `hotC` and die at `cjC`, optionally with a fault (one FAULT_* code).
 *
 * The chip linearises on chip, so LTCB holds hotC itself, quantised; outside the type's range
 * (MAX31856_TC_RANGE_C) it sets TC Range, and outside -55..125 °C for cjC, CJ Range.
 * Faults: FAULT_OPEN sets OPEN; FAULT_SHORT_VCC and FAULT_SHORT_GND both set OVUV (the chip
 * cannot tell them apart: both decode as FAULT_SHORT_VCC); FAULT_RANGE sets TC Range;
 * FAULT_NO_CHIP returns six 0xFF bytes (MISO floating high). Throws RangeError otherwise.
 */
export function max31856Bytes(hotC: number, cjC: number, tcType: TcType, fault: number = FAULT_NONE): Uint8Array {
  checkFinite("hotC", hotC);
  checkFinite("cjC", cjC);
  const tcRange = MAX31856_TC_RANGE_C[tcType];
  let sr = 0;
  if (hotC < tcRange[0] || hotC > tcRange[1]) sr |= MAX31856_SR_TC_RANGE;
  if (cjC < MAX31856_CJ_RANGE_C[0] || cjC > MAX31856_CJ_RANGE_C[1]) sr |= MAX31856_SR_CJ_RANGE;
  switch (fault) {
    case FAULT_NONE:
      break;
    case FAULT_OPEN:
      sr |= MAX31856_SR_OPEN;
      break;
    case FAULT_SHORT_VCC:
    case FAULT_SHORT_GND:
      sr |= MAX31856_SR_OVUV;
      break;
    case FAULT_RANGE:
      sr |= MAX31856_SR_TC_RANGE;
      break;
    case FAULT_NO_CHIP:
      return new Uint8Array(6).fill(0xff);
    default:
      throw new RangeError(`fault ${fault} is not a fault a MAX31856 can produce`);
  }
  return encodeMax31856(hotC, cjC, sr);
}
