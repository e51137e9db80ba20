// Cumulative thermal dose of one channel from its readings: time >= 42.2 degC, time >= 70 degC, CEM43.
import { CEM43_REF_C, DOSE42_THRESHOLD_CC, DOSE70_THRESHOLD_CC } from "../../protocol";

/**
 * CEM43 rate in milli-CEM43 per ms at tempCc (Sapareto & Dewey 1984):
 * CEM43 = sum dt[min] * R^(43 - T), R = 0.5 for T >= 43 degC, 0.25 below. (42 degC: 0.25 CEM43/min;
 * 45 degC: 4 CEM43/min, clinical.md.)
 */
export function cem43RateMPerMs(tempCc: number): number {
  const t = tempCc / 100;
  const r = t >= CEM43_REF_C ? 0.5 : 0.25;
  return (Math.pow(r, CEM43_REF_C - t) * 1000) / 60_000;
}

/** Dose totals: ms at >= 42.2 degC, ms at >= 70 degC, milli-CEM43 (fractional: not rounded). */
export interface DoseTotals {
  t42Ms: number;
  t70Ms: number;
  cem43M: number;
}

/**
 * Integrates one channel's doses from its valid readings, in time order, by the device's rule
 * (device/core/dose-integrator.ts): each interval between two consecutive valid readings, however
 * long (a normal period, missed samples, fault tokens, lost readings), counts its elapsed device
 * time at the HOTTER of its two end readings, so a gap never lowers the dose (conservative). The
 * first reading only starts the first interval. Temperatures are the wire's centi-degC values, so
 * host and device integrate the same numbers.
 */
export class DoseAccumulator implements DoseTotals {
  t42Ms = 0;
  t70Ms = 0;
  cem43M = 0;
  private lastTMs = -1;
  private lastCc = 0;

  /** Adds one sample: device time tMs and the temperature in centi-degC, or null for a fault / no data. */
  add(tMs: number, tempCc: number | null): void {
    if (tempCc === null) return; // bridged by the next valid sample (hotter neighbour)
    if (this.lastTMs >= 0) {
      if (tMs <= this.lastTMs) return; // out of order or repeated: ignored
      this.integrate(tMs - this.lastTMs, Math.max(this.lastCc, tempCc));
    }
    this.lastTMs = tMs;
    this.lastCc = tempCc;
  }

  /** Starts from the given totals at device time tMs (a baseline: earlier samples are already counted). */
  rebase(totals: DoseTotals, tMs: number, lastCc: number | null): void {
    this.t42Ms = totals.t42Ms;
    this.t70Ms = totals.t70Ms;
    this.cem43M = totals.cem43M;
    this.lastTMs = lastCc === null ? -1 : tMs;
    this.lastCc = lastCc ?? 0;
  }

  /** Device time of the last valid sample integrated (-1: none). */
  get lastSampleTMs(): number {
    return this.lastTMs;
  }

  private integrate(dtMs: number, tempCc: number): void {
    if (tempCc >= DOSE42_THRESHOLD_CC) this.t42Ms += dtMs;
    if (tempCc >= DOSE70_THRESHOLD_CC) this.t70Ms += dtMs;
    this.cem43M += dtMs * cem43RateMPerMs(tempCc);
  }
}
