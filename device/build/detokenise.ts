// Turns a pretokenised Espruino bundle back into JavaScript text, reading each token byte as Espruino's lexer does (jslex.c): for checking a pretokenised bundle.
import { espruinoTokenText, LEX_RAW_INT0, LEX_RAW_INT16, LEX_RAW_INT8, LEX_RAW_STRING16, LEX_RAW_STRING8 } from "./espruino-tokens";

/** A byte Espruino's lexer would not read as a token; `code` is stable: DETOKENISE_BAD_BYTE, DETOKENISE_TRUNCATED. */
export class DetokeniseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly pos: number,
  ) {
    super(`${code}: ${message} at offset ${pos}`);
    this.name = "DetokeniseError";
  }
}

/**
 * JavaScript text with the same tokens as the pretokenised `binary` (characters 0..255). Each
 * token byte is written out with a space on both sides (a space never changes what the tokens
 * around it are); raw strings are written as JSON strings, raw integers in decimal.
 */
export function detokeniseForEspruino(binary: string): string {
  let out = "";
  const need = (i: number, n: number): void => {
    if (i + n >= binary.length + 1) throw new DetokeniseError("DETOKENISE_TRUNCATED", `a raw token needs ${n} more bytes`, i);
  };
  for (let i = 0; i < binary.length; i++) {
    const c = binary.charCodeAt(i);
    if (c < 128) {
      out += binary[i];
      continue;
    }
    if (c === LEX_RAW_STRING8 || c === LEX_RAW_STRING16) {
      const head = c === LEX_RAW_STRING8 ? 1 : 2;
      need(i + 1, head);
      const len = c === LEX_RAW_STRING8 ? binary.charCodeAt(i + 1) : binary.charCodeAt(i + 1) | (binary.charCodeAt(i + 2) << 8);
      need(i + 1 + head, len);
      out += " " + JSON.stringify(binary.slice(i + 1 + head, i + 1 + head + len)) + " ";
      i += head + len;
    } else if (c === LEX_RAW_INT0) {
      out += " 0 ";
    } else if (c === LEX_RAW_INT8) {
      need(i + 1, 1);
      out += " " + ((binary.charCodeAt(i + 1) << 24) >> 24) + " ";
      i += 1;
    } else if (c === LEX_RAW_INT16) {
      need(i + 1, 2);
      out += " " + (((binary.charCodeAt(i + 1) | (binary.charCodeAt(i + 2) << 8)) << 16) >> 16) + " ";
      i += 2;
    } else {
      const text = espruinoTokenText(c);
      if (text === undefined) throw new DetokeniseError("DETOKENISE_BAD_BYTE", `byte 0x${c.toString(16)} is no Espruino token`, i);
      out += " " + text + " ";
    }
  }
  return out;
}
