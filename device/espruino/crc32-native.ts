// CRC-32 in the Espruino bundles: the firmware's E.CRC32 only (the build puts this file in place of protocol/crc32.ts).
declare const E: { CRC32?: (s: string) => number };

/**
 * Espruino's native CRC-32 (the same polynomial as protocol/crc32.ts, tested). Every board the
 * device supports has it; only firmwares built with SAVE_ON_FLASH (micro:bit 1, nRF51 and
 * STM32F100 boards, far too small for the runtime) lack it, and there the bundle stops at load
 * with this error rather than frame lines it cannot check.
 */
export const NATIVE_CRC32 = E.CRC32;
if (!NATIVE_CRC32) throw new Error("E.CRC32 missing: firmware built with SAVE_ON_FLASH");

/** CRC-32 of the string's bytes, unsigned. */
export function crc32(s: string): number {
  return (NATIVE_CRC32 as (s: string) => number)(s) >>> 0;
}
