// Cumulative thermal dose of one channel from its readings: time >= 42.2 degC, time >= 70 degC, CEM43.
import { CEM43_REF_C, DOSE42_THRESHOLD_CC, DOSE70_THRESHOLD_CC } from "../../protocol";

/** An interval longer than this many nominal sample periods is a gap (missed samples or faults). */
export const GAP_FACTOR = 1.5;

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
 * Integrates one channel's doses sample by sample, in time order. Each valid sample covers the time
 * since the previous valid one at its own temperature; across a gap (interval > GAP_FACTOR x the
 * nominal period: missed samples, fault tokens, lost readings) the hotter of the two neighbours is
 * used for the whole interval, so a gap never lowers the dose (the conservative choice).
 * The first sample covers one nominal period.
 */
export class DoseAccumulator implements DoseTotals {
  t42Ms = 0;
  t70Ms = 0;
  cem43M = 0;
  private lastTMs = -1;
  private lastCc = 0;

  /** @param periodMs nominal sample period (1000 / rateHz). */
  constructor(private periodMs: number) {
    if (!(periodMs > 0)) throw new Error("DoseAccumulator: periodMs must be > 0, got " + periodMs);
  }

  /** Adds one sample: device time tMs and the temperature in centi-degC, or null for a fault / no data. */
  add(tMs: number, tempCc: number | null): void {
    if (tempCc === null) return; // bridged by the next valid sample (hotter neighbour)
    if (this.lastTMs >= 0 && tMs <= this.lastTMs) return; // out of order or repeated: ignored
    const dt = this.lastTMs < 0 ? this.periodMs : tMs - this.lastTMs;
    const t = this.lastTMs >= 0 && dt > GAP_FACTOR * this.periodMs ? Math.max(this.lastCc, tempCc) : tempCc;
    this.integrate(dt, t);
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

  setPeriod(periodMs: number): void {
    if (periodMs > 0) this.periodMs = periodMs;
  }

  private integrate(dtMs: number, tempCc: number): void {
    if (tempCc >= DOSE42_THRESHOLD_CC) this.t42Ms += dtMs;
    if (tempCc >= DOSE70_THRESHOLD_CC) this.t70Ms += dtMs;
    this.cem43M += dtMs * cem43RateMPerMs(tempCc);
  }
}
