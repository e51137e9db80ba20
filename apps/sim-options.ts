// Option parsers shared by the demo and sim subcommands.
import { UserError } from "./user-error";

/** Parses --speed: a number 1..1000 (simulated seconds per wall second). */
export function parseSpeed(v: string): number {
  const n = Number(v);
  if (!(n >= 1 && n <= 1000)) throw new UserError(`--speed: expected a factor from 1 to 1000, got "${v}"`);
  return n;
}

/** Parses --rate: an integer sample rate 1..20 Hz. */
export function parseRate(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new UserError(`--rate: expected an integer from 1 to 20 Hz, got "${v}"`);
  return n;
}
