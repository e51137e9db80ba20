// Lean positional encoder of device lines: "$TYPE,seq,v1,v2,...*CRC\n", byte-identical to protocol encode() (tested).
import { crc32, NATIVE_CRC32 } from "../../protocol/crc32";

/**
 * Frames one device line from its field values in declared order (protocol/messages.ts). Numbers
 * (always integers here) are written by plain concatenation, which is canonical on V8 and on
 * Espruino below 2^53 (reading-encoder.ts), strings as they are (enum tokens, texts, and hex
 * fields already formatted with hex8). No validation: the link only passes values it produced within
 * the declared bounds, and a test compares every line type with protocol encode(). Smaller and
 * faster than the table-driven encoder on Espruino, where each byte of code costs RAM.
 */
export function encodeLine(type: string, seq: number, values: (string | number)[]): string {
  let s = "$" + type + "," + seq;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    s += "," + v;
  }
  return frameLine(s);
}

/**
 * Closes a line body ("$TYPE,seq,...", fields already canonical): "*", the CRC-32 in 8 upper-case
 * hex digits (hex8Fast's expression, written out: every line passes here), "\n".
 */
export function frameLine(body: string): string {
  const c = NATIVE_CRC32 ? NATIVE_CRC32(body) >>> 0 : crc32(body);
  return body + "*" + (4294967296 + c).toString(16).substring(1).toUpperCase() + "\n";
}
