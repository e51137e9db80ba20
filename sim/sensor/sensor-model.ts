// Thermocouple + amplifier effects on a true temperature: lag, cold-junction drift, noise, EMI spikes, quantisation, faults.

import { FAULT_NO_CHIP, FAULT_NONE, FAULT_OPEN, FAULT_SHORT_GND, FAULT_SHORT_VCC } from "../../device/source";
import { hashGaussian, hashUniform } from "../rng";

/** Thermocouple amplifier chips. */
export type ChipType = "MAX31855" | "MAX31856";
/** Thermocouple types (IEC 60584). */
export type ThermocoupleType = "K" | "T";
/** Faults a scenario can schedule. */
export type FaultKind = "open" | "short-gnd" | "short-vcc" | "no-chip";

export const CHIP_TYPES = ["MAX31855", "MAX31856"] as const satisfies readonly ChipType[];
export const THERMOCOUPLE_TYPES = ["K", "T"] as const satisfies readonly ThermocoupleType[];
export const FAULT_KINDS = ["open", "short-gnd", "short-vcc", "no-chip"] as const satisfies readonly FaultKind[];

/**
 * Thermocouple-temperature resolution, degC: MAX31855 14-bit, LSB 0.25 degC (datasheet Table 2);
 * MAX31856 19-bit, LSB 2^-7 = 0.0078125 degC (datasheet "Thermocouple Temperature Data").
 */
export const CHIP_RESOLUTION_C: Readonly<Record<ChipType, number>> = { MAX31855: 0.25, MAX31856: 0.0078125 };

/**
 * Default white-noise standard deviation, degC (assumed: a few microvolts of thermocouple-input
 * noise at ~41-52 uV/degC, plus pick-up in the operating room).
 */
export const CHIP_NOISE_C: Readonly<Record<ChipType, number>> = { MAX31855: 0.1, MAX31856: 0.03 };

/** Default thermocouple time constant, s (fine-gauge junction inside a needle, in tissue: 0.1-1 s). */
export const DEFAULT_TIME_CONSTANT_S = 0.5;

/** Fault code reported for each fault kind (device/source.ts). */
export const FAULT_KIND_CODE: Readonly<Record<FaultKind, number>> = {
  open: FAULT_OPEN,
  "short-gnd": FAULT_SHORT_GND,
  "short-vcc": FAULT_SHORT_VCC,
  "no-chip": FAULT_NO_CHIP,
};

/** Intermittent pattern: random per sample with a probability, or periodic bursts. */
export type Intermittent = { readonly probability: number } | { readonly periodS: number; readonly onS: number };

/** One scheduled fault on one channel (index), active over [startS, endS). */
export interface FaultSchedule {
  readonly channel: number;
  readonly kind: FaultKind;
  readonly startS: number;
  readonly endS: number;
  readonly intermittent?: Intermittent | undefined;
}

/** EMI spikes while the generator is on: per-sample probability and amplitude range (degC, either sign). */
export interface EmiSettings {
  readonly probability: number;
  readonly minC: number;
  readonly maxC: number;
}

/** Cold-junction compensation error as the board warms: amplitude * (1 - exp(-t / tau)). */
export interface CjDriftSettings {
  readonly amplitudeC: number;
  readonly tauS: number;
}

/** Everything the sensor model needs, per channel where it differs. */
export interface SensorSettings {
  readonly seed: number;
  /** Noise standard deviation per channel, degC. */
  readonly noiseC: readonly number[];
  /** Quantisation step per channel, degC (0 = none). */
  readonly resolutionC: readonly number[];
  readonly emi: EmiSettings;
  readonly cjDrift: CjDriftSettings;
  readonly faults: readonly FaultSchedule[];
}

/** Salt values that keep the hashed streams of the different effects independent. */
const SALT_NOISE = 1;
const SALT_SPIKE = 2;
const SALT_SPIKE_SIZE = 3;
const SALT_INTERMITTENT = 4;

/**
 * First-order thermocouple lag, exact for an input that moves linearly from x0C to x1C over dtS:
 * y' = (x - y) / tau. Splitting a linear segment at any point gives the same result, so the
 * output does not depend on how often it is evaluated.
 */
export function lagAdvance(yC: number, x0C: number, x1C: number, dtS: number, tauS: number): number {
  if (dtS <= 0) return yC;
  if (!(tauS > 0)) return x1C;
  const slope = (x1C - x0C) / dtS;
  const decay = Math.exp(-dtS / tauS);
  return x1C - slope * tauS + (yC - x0C + slope * tauS) * decay;
}

/** Round to the nearest multiple of stepC (stepC <= 0: unchanged). */
export function quantize(tempC: number, stepC: number): number {
  return stepC > 0 ? Math.round(tempC / stepC) * stepC : tempC;
}

/** Cold-junction compensation error at tS, degC. */
export function cjOffsetC(cj: CjDriftSettings, tS: number): number {
  if (cj.amplitudeC === 0 || tS <= 0) return 0;
  return cj.tauS > 0 ? cj.amplitudeC * (1 - Math.exp(-tS / cj.tauS)) : cj.amplitudeC;
}

/** Time key of a sample for the hashed random streams: integer microseconds of scenario time. */
export function sampleKey(tS: number): number {
  return Math.max(0, Math.round(tS * 1e6));
}

/** Fault code of channel ch at tS (FAULT_NONE when no scheduled fault is active). */
export function faultAt(faults: readonly FaultSchedule[], seed: number, ch: number, tS: number): number {
  for (const f of faults) {
    if (f.channel !== ch || tS < f.startS || tS >= f.endS) continue;
    const i = f.intermittent;
    if (i !== undefined) {
      if ("probability" in i) {
        if (hashUniform(seed, ch, sampleKey(tS), SALT_INTERMITTENT) >= i.probability) continue;
      } else if ((tS - f.startS) % i.periodS >= i.onS) {
        continue;
      }
    }
    return FAULT_KIND_CODE[f.kind];
  }
  return FAULT_NONE;
}

/** EMI spike added to channel ch at tS (0 most of the time); call only while the generator is on. */
export function emiSpikeC(emi: EmiSettings, seed: number, ch: number, tS: number): number {
  if (emi.probability <= 0) return 0;
  const key = sampleKey(tS);
  if (hashUniform(seed, ch, key, SALT_SPIKE) >= emi.probability) return 0;
  const u = hashUniform(seed, ch, key, SALT_SPIKE_SIZE); // one draw: sign from the half, size from the rest
  const size = emi.minC + (emi.maxC - emi.minC) * ((u * 2) % 1);
  return u < 0.5 ? size : -size;
}

/**
 * The measurement chain after the thermal lag: + cold-junction error + noise + EMI spike, then
 * the chip's quantisation; faults replace the value. Every random draw is a hash of
 * (seed, channel, sample time), so a reading is a pure function of its instant.
 */
export class SensorModel {
  constructor(readonly settings: SensorSettings) {}

  /** Fault code of channel ch at tS. */
  faultAt(ch: number, tS: number): number {
    return faultAt(this.settings.faults, this.settings.seed, ch, tS);
  }

  /** Reading (degC) of channel ch at tS for a lagged junction temperature laggedC. */
  measure(ch: number, tS: number, laggedC: number, generatorOn: boolean): number {
    const s = this.settings;
    let v = laggedC + cjOffsetC(s.cjDrift, tS);
    const sd = s.noiseC[ch] ?? 0;
    if (sd > 0) v += sd * hashGaussian(s.seed, ch, sampleKey(tS), SALT_NOISE);
    if (generatorOn) v += emiSpikeC(s.emi, s.seed, ch, tS);
    return quantize(v, s.resolutionC[ch] ?? 0);
  }
}
