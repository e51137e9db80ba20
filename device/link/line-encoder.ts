// Lean positional encoder of device lines: "$TYPE,seq,v1,v2,...*CRC\n", byte-identical to protocol encode() (tested).
import { crc32 } from "../../protocol/crc32";
import { hex8Fast } from "./hex8-fast";

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

/** Closes a line body ("$TYPE,seq,...", fields already canonical): "*", the CRC-32 in 8 upper-case hex digits, "\n". */
export function frameLine(body: string): string {
  return body + "*" + hex8Fast(crc32(body)) + "\n";
}
