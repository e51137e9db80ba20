// The control token: generated at start (or configured, and then checked for strength) and compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** Shortest configured token, in characters. */
export const MIN_TOKEN_LENGTH = 16;
/** Longest token: what a `hello` can carry (HelloMsg.token). */
export const MAX_TOKEN_LENGTH = 128;
/** Least estimated strength, bits: length x log2(size of the character classes used). */
export const MIN_TOKEN_BITS = 64;
/** Fewest different characters (rejects "aaaaaaaaaaaaaaaa", "abababababababab"). */
export const MIN_TOKEN_DISTINCT_CHARS = 8;

/** A fresh random token: 128 bits as 32 hex digits (checked like a configured one). */
export function generateToken(): string {
  for (;;) {
    const t = randomBytes(16).toString("hex");
    if (checkTokenStrength(t) === null) return t;
  }
}

/**
 * Why a configured token is too weak to guard control, or null when it is strong enough. An estimate, not
 * a proof: a token from a password manager or `openssl rand -hex 16` passes, a word or a short PIN does not.
 */
export function checkTokenStrength(token: string): string | null {
  if (!/^[\x21-\x7e]*$/.test(token)) return "use printable ASCII without spaces";
  if (token.length < MIN_TOKEN_LENGTH) return `${token.length} characters; at least ${MIN_TOKEN_LENGTH} needed`;
  if (token.length > MAX_TOKEN_LENGTH) return `${token.length} characters; at most ${MAX_TOKEN_LENGTH} fit in a hello`;
  const distinct = new Set(token).size;
  if (distinct < MIN_TOKEN_DISTINCT_CHARS) return `only ${distinct} different characters; at least ${MIN_TOKEN_DISTINCT_CHARS} needed`;
  const alphabet = (/[a-z]/.test(token) ? 26 : 0) + (/[A-Z]/.test(token) ? 26 : 0) + (/[0-9]/.test(token) ? 10 : 0) + (/[^a-zA-Z0-9]/.test(token) ? 32 : 0);
  const bits = token.length * Math.log2(alphabet);
  if (bits < MIN_TOKEN_BITS) return `about ${Math.floor(bits)} bits; at least ${MIN_TOKEN_BITS} needed (longer, or mix letters, digits and signs)`;
  return null;
}

/**
 * Constant-time comparison. Both sides are hashed first so that neither the length nor the
 * position of the first difference shows in the timing.
 */
export function tokenEquals(given: unknown, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}
