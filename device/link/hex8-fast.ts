// Upper-case 8-digit hex of an unsigned 32-bit number via native toString(16): three native calls on Espruino instead of a digit loop.

/**
 * Same output as protocol/crc32.ts `hex8` (a test compares them): 2^32 is added so that
 * toString(16) yields exactly 9 digits, and the leading "1" is dropped. The sum stays an integer
 * below 2^33, which Espruino prints exactly in base 16 (checked on the 2v29 interpreter).
 */
export function hex8Fast(n: number): string {
  return (4294967296 + n).toString(16).substring(1).toUpperCase();
}
