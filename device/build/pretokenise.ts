// Pretokenises an Espruino bundle at build time: operators, reserved words, strings and small integers become Espruino's one-byte tokens, white space goes.
import ts from "typescript";
import { type BundleToken, scanBundleTokens } from "./bundle-tokens";
import { espruinoTokenId, LEX_RAW_INT0, LEX_RAW_INT16, LEX_RAW_INT8, LEX_RAW_STRING16, LEX_RAW_STRING8 } from "./espruino-tokens";

/** A bundle that cannot be pretokenised; `code` is stable: PRETOKENISE_NON_ASCII. */
export class PretokeniseError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly pos: number,
  ) {
    super(`${code}: ${message} at offset ${pos}`);
    this.name = "PretokeniseError";
  }
}

/**
 * Words kept as text although Espruino has a token for them. `catch` is sent as text by
 * Espruino's own Web IDE pretokeniser too (espruino/Espruino#1868).
 */
const KEPT_AS_TEXT = new Set(["catch"]);

/** Integer literals Espruino's lexer reads as LEX_INT (jslex.c): decimal without a fraction or exponent, or hexadecimal. */
const INT_LITERAL = /^(?:0|[1-9][0-9]*|0[xX][0-9a-fA-F]+)$/;

/** Tokens before a `-` that make it a unary minus (`x=-1`, `f(-1)`, `return-1`, `a*-1`). */
const UNARY_AFTER_WORDS = new Set(["return", "typeof", "void", "case", "in", "instanceof", "delete", "throw"]);
const NOT_UNARY_AFTER_PUNCT = new Set([")", "]", "}", "++", "--"]);
/** Tokens after a number that bind tighter than a unary minus (`-1 .toString()` is `-(1 .toString())`). */
const BINDS_TIGHTER = new Set([".", "[", "(", "**", "**=", "?."]);

const WORD_CHAR = /[A-Za-z0-9_$]/;
const pairScanner = ts.createScanner(ts.ScriptTarget.ES2015, true, ts.LanguageVariant.Standard);

/** The value of an integer literal Espruino lexes as an integer, else undefined. */
function intValue(t: BundleToken | undefined): number | undefined {
  return t?.kind === "number" && INT_LITERAL.test(t.text) ? Number(t.text) : undefined;
}

/**
 * The raw-integer token for `v`, or undefined when it has none or it would hold a zero byte
 * (128..255 and multiples of 256): code with a NUL byte is cut short by loaders that read source
 * as a C string, such as the Linux interpreter's file loader (jspEvaluate uses strlen).
 */
function rawInt(v: number): string | undefined {
  if (v === 0 && !Object.is(v, -0)) return String.fromCharCode(LEX_RAW_INT0);
  if (v >= -128 && v <= 127 && v !== 0) return String.fromCharCode(LEX_RAW_INT8, v & 255);
  if (v < -32768 || v > 32767 || (v & 255) === 0 || ((v >> 8) & 255) === 0) return undefined;
  return String.fromCharCode(LEX_RAW_INT16, v & 255, (v >> 8) & 255);
}

/** The raw-string token for `s`, or undefined when a character is above 255, it is empty, or it would hold a zero byte. */
function rawString(s: string): string | undefined {
  if (s.length === 0 || s.length > 65535 || (s.length > 255 && (s.length & 255) === 0)) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c > 255) return undefined;
  }
  if (s.length <= 255) return String.fromCharCode(LEX_RAW_STRING8, s.length) + s;
  return String.fromCharCode(LEX_RAW_STRING16, s.length & 255, s.length >> 8) + s;
}

/** True when `prev` and `next`, both written as text, would read as different tokens without a space between them. */
export function needsSpaceBetween(prev: BundleToken, next: BundleToken): boolean {
  const a = prev.text[prev.text.length - 1];
  const b = next.text[0];
  if (WORD_CHAR.test(a) && WORD_CHAR.test(b)) return true;
  if (prev.kind === "regex" && WORD_CHAR.test(b)) return true; // it would read as a flag
  if (prev.kind === "number" && /^[0-9]+$/.test(prev.text) && b === ".") return true; // `1.x` reads as the number `1.`
  if (prev.kind === "punct" && next.kind === "punct") {
    pairScanner.setText(prev.text + next.text);
    pairScanner.scan();
    if (pairScanner.getTokenEnd() !== prev.text.length) return true; // `- -` would read as `--`
  }
  if (a === "/" && (b === "/" || b === "*")) return true; // a comment
  return false;
}

/** True when the `-` at `i` is a unary minus of an integer literal that can be written as one negative raw integer. */
function isFoldableNegative(tokens: BundleToken[], i: number): boolean {
  const minus = tokens[i];
  const num = tokens[i + 1];
  const v = intValue(num);
  if (minus.kind !== "punct" || minus.text !== "-" || v === undefined || v === 0 || num.newlineBefore) return false;
  const before = tokens[i - 1];
  const unary = before === undefined ||
    (before.kind === "punct" && !NOT_UNARY_AFTER_PUNCT.has(before.text)) ||
    (before.kind === "word" && UNARY_AFTER_WORDS.has(before.text));
  const after = tokens[i + 2];
  return unary && !(after && (after.kind === "template" || (after.kind === "punct" && BINDS_TIGHTER.has(after.text)))) && rawInt(-v) !== undefined;
}

/**
 * Pretokenises a minified bundle (bundleForEspruino's output) the way Espruino stores code it
 * has tokenised itself (jslex.c, jslNewTokenisedStringFromLexer): multi-character operators and
 * reserved words become their one-byte LEX_TYPES ids, strings of 8-bit characters become
 * LEX_RAW_STRING8/16 + their bytes, integer literals that fit 16 bits become LEX_RAW_INT0/8/16
 * (a unary minus folded in where the sign cannot bind differently), white space and comments
 * go, and a space is kept only where two text tokens would otherwise merge. Line breaks between
 * tokens stay (one per gap), as automatic semicolon insertion may depend on them. Regular
 * expressions and template literals with substitutions stay as text. Espruino's lexer reads
 * the result token for token as it reads the source, so it behaves the same, but lexes faster.
 *
 * The result is a binary string (every character 1..255, never 0): write it with the 'latin1'
 * encoding. Throws BundleTokenError (bundle-tokens.ts) when the bundle does not scan, and
 * PretokeniseError PRETOKENISE_NON_ASCII when text kept as text has a character above 127 (it
 * would read as a token byte).
 */
export function pretokeniseForEspruino(code: string): string {
  const tokens = scanBundleTokens(code);
  let out = "";
  let prevText: BundleToken | undefined; // the last token written as text, if it was the last written
  const writeText = (t: BundleToken): void => {
    if (/[^\x00-\x7f]/.test(t.text)) throw new PretokeniseError("PRETOKENISE_NON_ASCII", `a character above 127 in ${JSON.stringify(t.text.slice(0, 40))}`, t.start);
    if (prevText && needsSpaceBetween(prevText, t)) out += " ";
    out += t.text;
    prevText = t;
  };
  const writeBytes = (b: string): void => {
    out += b;
    prevText = undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.newlineBefore && out.length > 0) writeBytes("\n");
    if (isFoldableNegative(tokens, i)) {
      writeBytes(rawInt(-(intValue(tokens[i + 1]) as number)) as string);
      i++;
      continue;
    }
    let bytes: string | undefined;
    if (t.kind === "word" || t.kind === "punct") bytes = KEPT_AS_TEXT.has(t.text) ? undefined : espruinoTokenId(t.text) === undefined ? undefined : String.fromCharCode(espruinoTokenId(t.text) as number);
    else if (t.kind === "number") bytes = intValue(t) === undefined ? undefined : rawInt(intValue(t) as number);
    else if (t.kind === "string") bytes = rawString(t.value as string);
    if (bytes === undefined) writeText(t);
    else writeBytes(bytes);
  }
  return out;
}
