// The sample-source interface every temperature source implements (chip drivers, simulator, replay).

/** Per-channel fault codes. 0 = valid reading. Numeric so they fit a Uint8Array on Espruino. */
export const FAULT_NONE = 0;
/** Thermocouple open circuit (MAX31855 bit OC, MAX31856 OPEN). */
export const FAULT_OPEN = 1;
/** Thermocouple shorted to GND (MAX31855 bit SCG). */
export const FAULT_SHORT_GND = 2;
/** Thermocouple shorted to VCC (MAX31855 bit SCV). */
export const FAULT_SHORT_VCC = 3;
/** No chip answering: all-zero or all-one SPI word. */
export const FAULT_NO_CHIP = 4;
/** Reading outside the plausible range for the channel (or a MAX31856 range fault). */
export const FAULT_RANGE = 5;
/** Single-sample spike rejected by the device filter (set by the device core, never by a source). */
export const FAULT_SPIKE = 6;
/** Sample not available (source had nothing for this instant). */
export const FAULT_NO_DATA = 7;

/**
 * A source of one sample instant for every channel. Implementations write into caller-owned
 * arrays so that no object is allocated per sample (Espruino has a few thousand variables).
 */
export interface SampleSource {
  /** Number of channels this source provides. */
  readonly channelCount: number;
  /**
   * Read every channel for the sample instant `nowMs` (device monotonic ms).
   * Writes tempC[i] (degrees Celsius, ITS-90 corrected where the driver can) and fault[i]
   * (one of the FAULT_* codes; tempC[i] is ignored when fault[i] != 0).
   */
  read(nowMs: number, tempC: Float64Array, fault: Uint8Array): void;
  /** Optional hook: a procedure event marked by the operator (the simulator cools on "CO2 injected"). */
  onEvent?(text: string, nowMs: number): void;
}
