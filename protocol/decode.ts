// Decoder: one received line -> typed message, or a stable error code. Never throws, whatever the input.
import { MAX_CHANNELS, MAX_LINE_BYTES, TEMP_MAX_CC, TEMP_MIN_CC, TEXT_FORBIDDEN } from "./constants";
import { crc32 } from "./crc32";
import { FAULT_TOKENS, type Field } from "./fields";
import { textToInt } from "./int-text";
import { MESSAGES, SEQ_FIELD } from "./messages";
import type { Message } from "./message-types";

/** Why a line was rejected. Stable strings: counters and tests key on them. */
export type DecodeErrorCode =
  | "TOO_LONG" | "NO_START" | "NON_PRINTABLE" | "NO_CRC" | "BAD_CRC" | "UNKNOWN_TYPE"
  | "FIELD_COUNT" | "BAD_INT" | "RANGE" | "BAD_ENUM" | "BAD_TEXT" | "BAD_HEX" | "BAD_TEMP";

/**
 * A rejected line says why (`code`, and `field` when one field is at fault). When the frame itself
 * was intact (CRC good, type known, seq readable) it also carries `type` and `seq`, so a device can
 * answer a command with a bad argument by NAK instead of silence.
 */
export type DecodeResult =
  | { ok: true; msg: Message }
  | { ok: false; code: DecodeErrorCode; field?: string; type?: string; seq?: number };

function bad(code: DecodeErrorCode, field?: string): DecodeResult {
  return field === undefined ? { ok: false, code: code } : { ok: false, code: code, field: field };
}

function badIn(code: DecodeErrorCode, field: string, type: string, seq: number): DecodeResult {
  return { ok: false, code: code, field: field, type: type, seq: seq };
}

const HEX_DIGITS = "0123456789ABCDEF";
/** A message table: type token -> declared fields (MESSAGES, or one direction's table). */
export type MessageTable = { readonly [type: string]: readonly Field[] };

function hexToU32(s: string): number {
  if (s.length !== 8) return NaN;
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const d = HEX_DIGITS.indexOf(s[i]);
    if (d < 0) return NaN;
    v = v * 16 + d;
  }
  return v;
}

/** Parses one field token; returns the value, or a DecodeResult error object. */
function parseField(f: Field, tok: string): unknown {
  switch (f.k) {
    case "int": {
      const v = textToInt(tok);
      if (v !== v) return bad("BAD_INT", f.n);
      if (v < f.min || v > f.max) return bad("RANGE", f.n);
      return v;
    }
    case "enum":
      return f.v.indexOf(tok) < 0 ? bad("BAD_ENUM", f.n) : tok;
    case "text":
      if (tok.length < f.min || tok.length > f.max) return bad("BAD_TEXT", f.n);
      for (let i = 0; i < tok.length; i++) if (TEXT_FORBIDDEN.indexOf(tok[i]) >= 0) return bad("BAD_TEXT", f.n);
      return tok;
    case "hex": {
      const v = hexToU32(tok);
      return v !== v ? bad("BAD_HEX", f.n) : v;
    }
    case "temps":
      return bad("BAD_TEMP", f.n);
  }
}

function parseTemp(tok: string): number | string | undefined {
  if (tok.length === 2 && tok.charCodeAt(0) > 64) return FAULT_TOKENS.indexOf(tok as never) > 0 ? tok : undefined;
  const v = textToInt(tok);
  return v === v && v >= TEMP_MIN_CC && v <= TEMP_MAX_CC ? v : undefined;
}

function isResult(x: unknown): x is DecodeResult {
  return typeof x === "object" && x !== null && !Array.isArray(x) && (x as DecodeResult).ok === false;
}

/**
 * Decodes one line against a message table: a device passes HOST_MESSAGES only, so the device
 * messages' declarations stay out of its RAM (about 700 of an Espruino Pico's 5,000 variables).
 * A type that is not in `table` is UNKNOWN_TYPE.
 */
export function decodeWith(table: MessageTable, line: string): DecodeResult {
  let end = line.length;
  if (end > MAX_LINE_BYTES) return bad("TOO_LONG");
  if (end > 0 && line.charCodeAt(end - 1) === 10) end--;
  if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  if (line.charCodeAt(0) !== 36) return bad("NO_START");
  for (let i = 0; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c < 32 || c > 126) return bad("NON_PRINTABLE");
  }
  const star = end - 9;
  if (star < 2 || line.charCodeAt(star) !== 42) return bad("NO_CRC");
  const body = line.substring(0, star);
  const want = hexToU32(line.substring(star + 1, end));
  if (want !== want) return bad("NO_CRC");
  if (crc32(body) !== want) return bad("BAD_CRC");
  const toks = body.substring(1).split(",");
  const type = toks[0];
  const fields = table.hasOwnProperty(type) ? table[type] : undefined;
  if (!fields) return bad("UNKNOWN_TYPE");
  const hasTemps = fields.length > 0 && fields[fields.length - 1].k === "temps";
  const fixed = fields.length + 2 - (hasTemps ? 1 : 0);
  if (hasTemps ? toks.length < fixed + 1 || toks.length > fixed + MAX_CHANNELS : toks.length !== fixed) return bad("FIELD_COUNT");
  const seq = parseField(SEQ_FIELD, toks[1]);
  if (isResult(seq)) return seq;
  const seqN = seq as number;
  const msg: Record<string, unknown> = { type: type, seq: seq };
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.k === "temps") {
      const vals: (number | string)[] = [];
      for (let j = i + 2; j < toks.length; j++) {
        const t = parseTemp(toks[j]);
        if (t === undefined) return badIn("BAD_TEMP", f.n, type, seqN);
        vals.push(t);
      }
      msg[f.n] = vals;
    } else {
      const v = parseField(f, toks[i + 2]);
      if (isResult(v)) return badIn((v as { code: DecodeErrorCode }).code, f.n, type, seqN);
      msg[f.n] = v;
    }
  }
  return { ok: true, msg: msg as unknown as Message };
}

/**
 * Decodes one line (with or without its "\n" / "\r\n") against every message of the protocol.
 * Checks, in order: length, "$" start, printable ASCII, "*" + 8 upper-case hex CRC-32 of everything
 * before "*", known type, field count, and every field against its declared kind and bounds.
 */
export function decode(line: string): DecodeResult {
  return decodeWith(MESSAGES as unknown as MessageTable, line);
}
