// Remaining time to each dose limit at the present temperature (clinical.md "Dose and threshold models").
import { CEM43_REF_C, DOSE42_THRESHOLD_CC, DOSE70_THRESHOLD_CC } from "../../protocol";
import type { Dose, Limits } from "../ws/ws-messages";

/** CEM43 accumulated per minute at `tempC`: R^(43 - T), R = 0.5 at or above 43 degC, 0.25 below (Sapareto & Dewey 1984). */
export function cem43PerMin(tempC: number): number {
  const r = tempC >= CEM43_REF_C ? 0.5 : 0.25;
  return Math.pow(r, CEM43_REF_C - tempC);
}

/** One dose model's progress and what is left of it at the present temperature. */
export interface DoseBar {
  /** Fraction of the limit used, 0..(more than 1). */
  fraction: number;
  /** Amount so far and the limit, in display units (min, min, CEM43). */
  used: number;
  limit: number;
  /** Milliseconds until the limit at the present temperature; null when the dose is not accumulating now. */
  remainingMs: number | null;
}

export interface DoseBars {
  t42: DoseBar;
  t70: DoseBar;
  cem43: DoseBar;
}

/**
 * The three dose bars of one nerve channel. `tempC` is the present temperature (null: unknown / stale,
 * then nothing is predicted). Fractions come from the device's permille fields (the device is the
 * authority); remaining times from the limits and the present temperature.
 */
export function doseBars(d: Dose, limits: Limits, tempC: number | null): DoseBars {
  const lim42Ms = limits.dose42Min * 60_000;
  const lim70Ms = limits.dose70Min * 60_000;
  const limCem = limits.cem43Limit / 100;
  const cem = d.cem43M / 1000;
  const left = (limitMs: number, usedMs: number, accumulating: boolean) => (accumulating ? Math.max(0, limitMs - usedMs) : null);
  let cemLeft: number | null = null;
  if (tempC != null) cemLeft = (Math.max(0, limCem - cem) / cem43PerMin(tempC)) * 60_000;
  return {
    t42: { fraction: d.t42Pm / 1000, used: d.t42Ms / 60_000, limit: limits.dose42Min, remainingMs: left(lim42Ms, d.t42Ms, tempC != null && Math.round(tempC * 100) >= DOSE42_THRESHOLD_CC) },
    t70: { fraction: d.t70Pm / 1000, used: d.t70Ms / 60_000, limit: limits.dose70Min, remainingMs: left(lim70Ms, d.t70Ms, tempC != null && Math.round(tempC * 100) >= DOSE70_THRESHOLD_CC) },
    cem43: { fraction: d.cem43Pm / 1000, used: cem, limit: limCem, remainingMs: cemLeft },
  };
}
