// CRC-32/ISO-HDLC of an ASCII string: Espruino's E.CRC32 when present, else a small table-driven fallback.

declare const E: { CRC32?: (s: string) => number } | undefined;

/**
 * Espruino's native CRC-32 when running there, looked up once: on Espruino each lookup of the global
 * `E` first walks every module-level name of the bundle.
 */
export const NATIVE_CRC32 = typeof E !== "undefined" && E && E.CRC32 ? E.CRC32 : undefined;

let table: Int32Array | undefined;

function makeTable(): Int32Array {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
}

/**
 * CRC-32 (polynomial 0xEDB88320 reflected, init and xor-out 0xFFFFFFFF): the value of Node's
 * `zlib.crc32` and Espruino's `E.CRC32` for the same ASCII string. Returns an unsigned 32-bit number.
 * Characters are taken as their low 8 bits (the protocol is printable ASCII only).
 */
export function crc32(s: string): number {
  if (NATIVE_CRC32) return NATIVE_CRC32(s) >>> 0;
  if (!table) table = makeTable();
  const t = table;
  let c = -1;
  for (let i = 0; i < s.length; i++) c = t[(c ^ s.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const HEX = "0123456789ABCDEF";

/** The 8-digit upper-case hex form of an unsigned 32-bit number, as written after "*". */
export function hex8(n: number): string {
  let s = "";
  for (let i = 28; i >= 0; i -= 4) s += HEX[(n >>> i) & 15];
  return s;
}
