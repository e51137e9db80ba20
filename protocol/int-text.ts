// Exact integer <-> canonical decimal text for the whole 53-bit range, on V8 and on Espruino.

/**
 * Canonical decimal of an integer ("0", "-42", never "+1", "01" or "1e+21").
 * Splits at 1e9, so it is exact on any engine that prints only 32-bit integers exactly. (The
 * device does not need it: Espruino 2v29 prints every integer below 2^53 exactly, checked on its
 * interpreter, and the device writes its lines by plain concatenation: device/link/reading-encoder.ts.)
 */
export function intToText(v: number): string {
  if (v > -1e9 && v < 1e9) return "" + v;
  const neg = v < 0;
  const a = neg ? -v : v;
  const hi = Math.floor(a / 1e9);
  const lo = "" + (a - hi * 1e9);
  return (neg ? "-" : "") + intToText(hi) + "000000000".substring(lo.length) + lo;
}

/**
 * Parses a canonical decimal integer (as written by intToText). Returns NaN for anything else:
 * empty, sign without digits, "-0", leading zeros, "+", non-digits, more than 16 digits.
 */
export function textToInt(s: string): number {
  let i = 0;
  const neg = s.charCodeAt(0) === 45;
  if (neg) i = 1;
  const n = s.length - i;
  if (n < 1 || n > 16) return NaN;
  if (s.charCodeAt(i) === 48 && (n > 1 || neg)) return NaN;
  let v = 0;
  for (; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}
