// The control token: generated at start (or configured) and compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A fresh random token: 128 bits as 32 hex digits. */
export function generateToken(): string {
  return randomBytes(16).toString("hex");
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
