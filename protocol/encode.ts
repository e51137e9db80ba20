// Encoder: typed message -> one framed line "$TYPE,seq,fields*CRC32\n", checked against the declaration.
import { MAX_FRAME_BYTES, MAX_CHANNELS, TEMP_MAX_CC, TEMP_MIN_CC, TEXT_FORBIDDEN } from "./constants";
import { crc32, hex8 } from "./crc32";
import { FAULT_TOKENS, type Field } from "./fields";
import { intToText } from "./int-text";
import { MESSAGES, SEQ_FIELD } from "./messages";
import type { Message } from "./message-types";

function fail(type: string, name: string, why: string): never {
  throw new Error("encode " + type + "." + name + ": " + why);
}

function encodeInt(type: string, name: string, v: unknown, min: number, max: number): string {
  if (typeof v !== "number" || Math.floor(v) !== v) fail(type, name, "not an integer: " + v);
  if (v < min || v > max) fail(type, name, v + " outside [" + min + ", " + max + "]");
  return intToText(v);
}

function encodeTemps(type: string, name: string, v: unknown): string {
  if (!Array.isArray(v) || v.length < 1 || v.length > MAX_CHANNELS) fail(type, name, "needs 1.." + MAX_CHANNELS + " values");
  let s = "";
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (i > 0) s += ",";
    if (typeof x === "string") {
      if (x === "" || FAULT_TOKENS.indexOf(x as never) < 0) fail(type, name, "bad fault token " + x);
      s += x;
    } else s += encodeInt(type, name, x, TEMP_MIN_CC, TEMP_MAX_CC);
  }
  return s;
}

function encodeField(type: string, f: Field, v: unknown): string {
  switch (f.k) {
    case "int":
      return encodeInt(type, f.n, v, f.min, f.max);
    case "enum":
      if (typeof v !== "string" || f.v.indexOf(v) < 0) fail(type, f.n, "not one of " + f.v.join("|") + ": " + v);
      return v;
    case "text":
      if (typeof v !== "string" || v.length < f.min || v.length > f.max) fail(type, f.n, "length not in [" + f.min + ", " + f.max + "]");
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        if (c < 32 || c > 126 || TEXT_FORBIDDEN.indexOf(v[i]) >= 0) fail(type, f.n, "forbidden character code " + c);
      }
      return v;
    case "hex":
      if (typeof v !== "number" || Math.floor(v) !== v || v < 0 || v > 0xffffffff) fail(type, f.n, "not a u32: " + v);
      return hex8(v);
    case "temps":
      return encodeTemps(type, f.n, v);
  }
}

/** Appends "*CRC32\n" to a frame body that starts with "$". */
export function frame(body: string): string {
  if (body.length + 9 > MAX_FRAME_BYTES) throw new Error("encode: frame of " + (body.length + 9) + " bytes exceeds " + MAX_FRAME_BYTES);
  return body + "*" + hex8(crc32(body)) + "\n";
}

/**
 * Encodes a message into its wire line, terminated by "\n". Throws (a programmer mistake) when a
 * field is missing, out of its declared bounds, or the frame would exceed MAX_FRAME_BYTES.
 */
export function encode(msg: Message): string {
  const fields = (MESSAGES as unknown as Record<string, readonly Field[]>)[msg.type];
  if (!fields) throw new Error("encode: unknown message type " + msg.type);
  const m = msg as unknown as Record<string, unknown>;
  let body = "$" + msg.type + "," + encodeInt(msg.type, "seq", m.seq, SEQ_FIELD.min, SEQ_FIELD.max);
  for (let i = 0; i < fields.length; i++) body += "," + encodeField(msg.type, fields[i], m[fields[i].n]);
  return frame(body);
}
