// Independent dose check: the bridge recomputes each nerve channel's doses from the readings and compares with the device's D lines.
import type { Dose as DoseLine } from "../../protocol";
import { cem43RateMPerMs, DoseAccumulator } from "../domain/dose-calc";

/**
 * Tolerance of the comparison. Both sides integrate the same wire values on the same device clock
 * by the same rule, so they differ only by a D line that is sent before the host has the reading
 * of the same instant (one period), by the device's rounding of CEM43 to whole mCEM43, and by dose
 * the device integrated before a reconnect that the host adopts as a baseline. Allowed:
 * TOL_PERIODS sample periods at the hottest recent temperature, plus TOL_ABS_*, plus TOL_RELATIVE
 * of the value.
 */
export const TOL_PERIODS = 3;
export const TOL_ABS_TIME_MS = 500;
export const TOL_ABS_CEM43_M = 1;
export const TOL_RELATIVE = 0.005;
/** Consecutive D lines beyond / within tolerance before the mismatch is declared / ended. */
export const MISMATCH_PERSIST = 3;

/** One comparison: host totals, whether the mismatch condition is present, and the worst excess. */
export interface DoseVerdict {
  t42Ms: number;
  t70Ms: number;
  cem43M: number;
  /** Mismatch condition (after MISMATCH_PERSIST consecutive results), null when no verdict was possible. */
  mismatch: boolean | null;
  /** Worst |device - host| as permille of its tolerance, and which dose (1 t42, 2 t70, 3 CEM43). */
  worstPm: number;
  which: number;
}

/**
 * Per-channel checker. The first D line after start, a reboot, a session start (device dose went
 * down) or lost readings is adopted as the baseline; from then on the host integrates the readings
 * itself and compares at every D line.
 */
export class DoseChecker {
  private readonly acc: DoseAccumulator;
  private baselined = false;
  private lastDevice: DoseLine | null = null;
  private recentCc: number[] = [];
  private lastFedTMs = -1;
  private bad = 0;
  private good = 0;
  private mismatch = false;

  constructor() {
    this.acc = new DoseAccumulator();
  }

  /** A reading of this channel, in seq order (null: fault token). */
  sample(tMs: number, tempCc: number | null): void {
    this.lastFedTMs = tMs;
    if (tempCc !== null) {
      this.recentCc.push(tempCc);
      if (this.recentCc.length > TOL_PERIODS + 1) this.recentCc.shift();
    }
    if (this.baselined) this.acc.add(tMs, tempCc);
  }

  /** Readings were lost or the device rebooted: the next D line becomes the new baseline. */
  invalidate(): void {
    this.baselined = false;
  }

  /** Compares with a device D line of this channel. */
  compare(d: DoseLine, periodMs: number): DoseVerdict {
    const prev = this.lastDevice;
    this.lastDevice = d;
    const wentDown = prev !== null && (d.t42Ms < prev.t42Ms || d.t70Ms < prev.t70Ms || d.cem43M < prev.cem43M);
    if (!this.baselined || wentDown) {
      const lastCc = this.recentCc.length > 0 ? this.recentCc[this.recentCc.length - 1] : null;
      this.acc.rebase({ t42Ms: d.t42Ms, t70Ms: d.t70Ms, cem43M: d.cem43M }, d.tMs, lastCc);
      this.baselined = true;
      return { t42Ms: d.t42Ms, t70Ms: d.t70Ms, cem43M: d.cem43M, mismatch: null, worstPm: 0, which: 0 };
    }
    // Readings still held back behind a gap (RESEND under way): the host is behind, no verdict yet.
    if (this.lastFedTMs < d.tMs - 1.5 * periodMs) return { t42Ms: this.acc.t42Ms, t70Ms: this.acc.t70Ms, cem43M: this.acc.cem43M, mismatch: null, worstPm: 0, which: 0 };
    const hottest = this.recentCc.length > 0 ? Math.max(...this.recentCc) : 0;
    const spanMs = TOL_PERIODS * periodMs;
    const tolTime = (v: number) => TOL_ABS_TIME_MS + spanMs + TOL_RELATIVE * v;
    const tolCem = TOL_ABS_CEM43_M + spanMs * cem43RateMPerMs(hottest) + TOL_RELATIVE * d.cem43M;
    const r = [
      Math.abs(d.t42Ms - this.acc.t42Ms) / tolTime(d.t42Ms),
      Math.abs(d.t70Ms - this.acc.t70Ms) / tolTime(d.t70Ms),
      Math.abs(d.cem43M - this.acc.cem43M) / tolCem,
    ];
    let which = 0;
    for (let i = 1; i < 3; i++) if (r[i] > r[which]) which = i;
    const beyond = r[which] > 1;
    if (beyond) {
      this.bad++;
      this.good = 0;
    } else {
      this.good++;
      this.bad = 0;
    }
    if (this.bad >= MISMATCH_PERSIST) this.mismatch = true;
    if (this.good >= MISMATCH_PERSIST) this.mismatch = false;
    return { t42Ms: this.acc.t42Ms, t70Ms: this.acc.t70Ms, cem43M: this.acc.cem43M, mismatch: this.mismatch, worstPm: Math.round(r[which] * 1000), which: which + 1 };
  }
}
