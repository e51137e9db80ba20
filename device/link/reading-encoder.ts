// Hand-specialised encoder of R (reading) lines from packed typed-array values, byte-identical to protocol encode().
import { FAULT_TOKENS } from "../../protocol/fields";
import { frameLine } from "./line-encoder";

/**
 * Packed channel value: a reading in centi-degC as is; a fault code f (1..7 of device/source.ts)
 * as FAULT_PACK_BASE - f. Centi-degC on the wire never go below -27000, so the two cannot collide.
 */
export const FAULT_PACK_BASE = -1000000;

/** Packs a filtered channel result (valid when code is 0) into one Int32 value. */
export function packValue(cc: number, code: number): number {
  return code === 0 ? cc : FAULT_PACK_BASE - code;
}

/**
 * The wire line of one reading: `$R,<seq>,<tMs>,<v0>,...*CRC\n` with n channel values taken from
 * `vals[off .. off+n-1]` (packed with packValue). No validation and no intermediate objects:
 * the values come from the filter, which only produces plausible readings and known fault codes.
 * A test proves the output byte-identical to protocol/encode.ts `encode` for every kind of value.
 * Integers are written by plain concatenation: V8 and Espruino (2v29, checked with 3,000 random
 * integers and the 1e9, 2^32 and 2^53 boundaries) print every integer below 2^53 exactly.
 */
export function encodeReading(seq: number, tMs: number, vals: Int32Array, off: number, n: number): string {
  let s = "$R," + seq + "," + tMs;
  for (let i = 0; i < n; i++) {
    const v = vals[off + i];
    s += v > FAULT_PACK_BASE ? "," + v : "," + FAULT_TOKENS[FAULT_PACK_BASE - v];
  }
  return frameLine(s);
}

/**
 * The same line when every channel has a valid reading: `cc` holds the n centi-degC values, written
 * by the native typed-array join (one call on Espruino instead of a concatenation per channel).
 */
export function encodeValidReading(seq: number, tMs: number, cc: Int32Array): string {
  return frameLine("$R," + seq + "," + tMs + "," + cc.join(","));
}
