// Register map, configuration bytes and pure decoder of one batched MAX31856 read (CJTH..SR).

import { FAULT_NONE, FAULT_NO_CHIP, FAULT_OPEN, FAULT_RANGE, FAULT_SHORT_VCC } from "../source";
import type { TcType } from "./its90";

/* Register read addresses (MAX31856 datasheet, "Register Memory Map and Descriptions"). */
/** Configuration 0: conversion mode, open detection, CJ disable, fault mode, mains filter. */
export const MAX31856_REG_CR0 = 0x00;
/** Configuration 1: averaging (bits 6..4) and thermocouple type (bits 3..0). */
export const MAX31856_REG_CR1 = 0x01;
/** Fault mask (masks the FAULT pin only; SR bits are set regardless). */
export const MAX31856_REG_MASK = 0x02;
export const MAX31856_REG_CJHF = 0x03;
export const MAX31856_REG_CJLF = 0x04;
export const MAX31856_REG_LTHFTH = 0x05;
export const MAX31856_REG_LTHFTL = 0x06;
export const MAX31856_REG_LTLFTH = 0x07;
export const MAX31856_REG_LTLFTL = 0x08;
export const MAX31856_REG_CJTO = 0x09;
/** Cold-junction temperature, high and low byte. */
export const MAX31856_REG_CJTH = 0x0a;
export const MAX31856_REG_CJTL = 0x0b;
/** Linearised thermocouple temperature, high, middle and low byte. */
export const MAX31856_REG_LTCBH = 0x0c;
export const MAX31856_REG_LTCBM = 0x0d;
export const MAX31856_REG_LTCBL = 0x0e;
/** Fault status register. */
export const MAX31856_REG_SR = 0x0f;
/** OR into a register address to write it (datasheet: write addresses are 0x80..0x8F). */
export const MAX31856_WRITE = 0x80;

/**
 * Bytes to clock out for one batched sample: the read address of CJTH, then 6 dummy bytes
 * (the chip auto-increments the address). The reply's bytes 1..6 are CJTH, CJTL, LTCBH, LTCBM,
 * LTCBL, SR: pass the reply with offset MAX31856_BATCH_DATA_OFFSET to decodeMax31856.
 * Do not modify (shared constant).
 */
export const MAX31856_BATCH_READ_TX: readonly number[] = [MAX31856_REG_CJTH, 0, 0, 0, 0, 0, 0];
/** Number of data bytes in the batched read (CJTH..SR). */
export const MAX31856_BATCH_DATA_LENGTH = 6;
/** Index of CJTH in the reply to MAX31856_BATCH_READ_TX (byte 0 is clocked during the address). */
export const MAX31856_BATCH_DATA_OFFSET = 1;

/* CR0 bits (datasheet, "Configuration 0 Register"). */
/** CMODE: automatic conversion every ~100 ms. */
export const MAX31856_CR0_AUTO_CONVERT = 0x80;
/** 1SHOT: start one conversion. */
export const MAX31856_CR0_ONE_SHOT = 0x40;
/** OCFAULT[1:0] = 01: open-circuit detection enabled, for probe resistance < 5 kΩ. */
export const MAX31856_CR0_OC_DETECT_LOW_R = 0x10;
/** CJ: disable the internal cold-junction sensor. */
export const MAX31856_CR0_CJ_DISABLE = 0x08;
/** FAULTCLR: clear latched faults (interrupt mode). */
export const MAX31856_CR0_FAULT_CLEAR = 0x02;
/** 50/60 Hz: 1 rejects 50 Hz mains (and harmonics), 0 rejects 60 Hz. */
export const MAX31856_CR0_REJECT_50HZ = 0x01;

/* CR1 (datasheet, "Configuration 1 Register"): AVGSEL bits 6..4, TC TYPE bits 3..0. */
/** TC TYPE = 0011: type K (power-on default). */
export const MAX31856_CR1_TC_TYPE_K = 0x03;
/** TC TYPE = 0111: type T. */
export const MAX31856_CR1_TC_TYPE_T = 0x07;
/** AVGSEL: samples averaged per conversion (1, 2, 4, 8, 16). */
export const MAX31856_CR1_AVG_1 = 0x00;
export const MAX31856_CR1_AVG_2 = 0x10;
export const MAX31856_CR1_AVG_4 = 0x20;
export const MAX31856_CR1_AVG_8 = 0x30;
export const MAX31856_CR1_AVG_16 = 0x40;

/* SR bits (datasheet, "Fault Status Register"). */
export const MAX31856_SR_CJ_RANGE = 0x80;
export const MAX31856_SR_TC_RANGE = 0x40;
export const MAX31856_SR_CJHIGH = 0x20;
export const MAX31856_SR_CJLOW = 0x10;
export const MAX31856_SR_TCHIGH = 0x08;
export const MAX31856_SR_TCLOW = 0x04;
export const MAX31856_SR_OVUV = 0x02;
export const MAX31856_SR_OPEN = 0x01;

/** LTCB LSB (°C): 19-bit signed, 2^-7 °C (datasheet, "Linearized TC Temperature" table). */
export const MAX31856_TC_LSB_C = 0.0078125;
/** CJT LSB (°C): 14-bit signed, 2^-6 °C (datasheet, "Cold-Junction Temperature" table). */
export const MAX31856_CJ_LSB_C = 0.015625;

/**
 * CR1 byte selecting `tcType` with `avgBits` (one of MAX31856_CR1_AVG_*); write it as
 * [MAX31856_WRITE | MAX31856_REG_CR1, byte].
 */
export function max31856Cr1(tcType: TcType, avgBits: number): number {
  return (avgBits & 0x70) | (tcType === "T" ? MAX31856_CR1_TC_TYPE_T : MAX31856_CR1_TC_TYPE_K);
}

/** Decoded MAX31856 sample. Allocate once with createMax31856Reading() and reuse. */
export interface Max31856Reading {
  /** Hot-junction temperature (°C), linearised on chip; NaN whenever `fault` is not FAULT_NONE. */
  tempC: number;
  /** The LTCB value as read (°C), kept even under a fault. */
  rawTcC: number;
  /** Cold-junction temperature (°C). */
  cjC: number;
  /** One FAULT_* code of device/source.ts, by the mapping documented on decodeMax31856. */
  fault: number;
  /** The SR byte as read: every fault bit that was set. */
  faultBits: number;
}

/** A zeroed result object for decodeMax31856 (allocate once per channel). */
export function createMax31856Reading(): Max31856Reading {
  return { tempC: NaN, rawTcC: NaN, cjC: NaN, fault: FAULT_NO_CHIP, faultBits: 0 };
}

/**
 * Decodes the 6 register bytes CJTH, CJTL, LTCBH, LTCBM, LTCBL, SR found at
 * `bytes[offset..offset+5]` into `out` (no allocation) and returns `out`.
 *
 * CJ = (CJTH:CJTL) >> 2, signed 14-bit x 0.015625 °C; TC = (LTCBH:LTCBM:LTCBL) >> 5,
 * signed 19-bit x 0.0078125 °C (the chip linearises per type: no ITS-90 correction here).
 *
 * SR -> fault code, first match wins (SR stays whole in `out.faultBits`):
 * 1. all six bytes 0x00 or all 0xFF -> FAULT_NO_CHIP (MISO held low or floating high).
 * 2. OPEN -> FAULT_OPEN.
 * 3. OVUV -> FAULT_SHORT_VCC. The chip flags an input below GND or above VDD without saying
 *    which (a probe touching a supply, a short, or a supply fault); FAULT_SHORT_VCC is the
 *    nearest code. It never yields FAULT_SHORT_GND.
 * 4. TC Range -> FAULT_RANGE (hot junction outside the selected type's range).
 * 5. CJ Range -> FAULT_RANGE (die outside -55..+125 °C: cold-junction compensation untrusted).
 * 6. CJHIGH, CJLOW, TCHIGH, TCLOW -> no fault code (FAULT_NONE if nothing above applies).
 *    They compare against the programmable threshold registers, which power up beyond the
 *    chip's range and so never set unless the firmware programs them. The reading is still a
 *    valid measurement: temperature limits are the device core's policy, and a hot reading
 *    must never be discarded as a sensor fault. The bits remain visible in `faultBits`.
 */
export function decodeMax31856(bytes: ArrayLike<number>, offset: number, out: Max31856Reading): Max31856Reading {
  const cjth = bytes[offset];
  const cjtl = bytes[offset + 1];
  const h = bytes[offset + 2];
  const m = bytes[offset + 3];
  const l = bytes[offset + 4];
  const sr = bytes[offset + 5];
  let cj = cjth * 64 + (cjtl >> 2);
  if (cj >= 0x2000) cj -= 0x4000;
  let tc = h * 2048 + m * 8 + (l >> 5);
  if (tc >= 0x40000) tc -= 0x80000;
  out.cjC = cj * MAX31856_CJ_LSB_C;
  out.rawTcC = tc * MAX31856_TC_LSB_C;
  out.faultBits = sr;
  out.tempC = NaN;
  if (
    (cjth === 0 && cjtl === 0 && h === 0 && m === 0 && l === 0 && sr === 0) ||
    (cjth === 0xff && cjtl === 0xff && h === 0xff && m === 0xff && l === 0xff && sr === 0xff)
  )
    out.fault = FAULT_NO_CHIP;
  else if (sr & MAX31856_SR_OPEN) out.fault = FAULT_OPEN;
  else if (sr & MAX31856_SR_OVUV) out.fault = FAULT_SHORT_VCC;
  else if (sr & (MAX31856_SR_TC_RANGE | MAX31856_SR_CJ_RANGE)) out.fault = FAULT_RANGE;
  else {
    out.tempC = out.rawTcC;
    out.fault = FAULT_NONE;
  }
  return out;
}
