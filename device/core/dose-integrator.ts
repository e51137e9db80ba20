// Cumulative thermal dose per channel: time >= 42.2 degC, time >= 70 degC, CEM43, over real elapsed time.
import { CEM43_REF_C, DOSE42_THRESHOLD_CC, DOSE70_THRESHOLD_CC } from "../../protocol/limits";
import { CEM43_M_MAX } from "./core-constants";

/** CEM43 (in CEM43 minutes) at which the accumulator saturates: 10^15 mCEM43 (PROTOCOL.md). */
const CEM43_MAX = CEM43_M_MAX / 1000;

/**
 * Integrates the three dose models of clinical.md per channel, from valid readings only.
 *
 * Each interval between two consecutive valid readings of a channel, however long (a normal
 * period, missed sample instants, a rejected spike, a fault), is counted over its real elapsed
 * time at the HOTTER of its two end readings. That is conservative: the dose is never
 * underestimated by sampling, and it exceeds the exact value of a trace by at most one interval at
 * each upward step. So a plateau reaches its limit on the sample at which the elapsed time does.
 *
 * - t42Ms: time at >= 42.2 degC (DOSE42_THRESHOLD_CC), t70Ms: time at >= 70 degC.
 * - cem43: Sapareto & Dewey 1984, sum of dt[min] * R^(43 - T), R = 0.5 for T >= 43 degC, 0.25
 *   below; T is the reading in cC / 100, the same rounded value that goes on the wire, so the host
 *   can recompute the dose exactly from the recorded readings. Saturates at 10^12 CEM43.
 */
export class DoseIntegrator {
  readonly channelCount: number;
  /** Time at >= 42.2 degC per channel (ms). */
  readonly t42Ms: Float64Array;
  /** Time at >= 70 degC per channel (ms). */
  readonly t70Ms: Float64Array;
  /** CEM43 per channel (equivalent minutes at 43 degC). */
  readonly cem43: Float64Array;
  private readonly lastCc: Int32Array;
  private readonly lastMs: Float64Array;
  private readonly has: Uint8Array;

  constructor(channels: number) {
    this.channelCount = channels;
    this.t42Ms = new Float64Array(channels);
    this.t70Ms = new Float64Array(channels);
    this.cem43 = new Float64Array(channels);
    this.lastCc = new Int32Array(channels);
    this.lastMs = new Float64Array(channels);
    this.has = new Uint8Array(channels);
  }

  /** Adds the valid reading `cc` (centi-degC) of channel `ch` taken at `nowMs`. */
  add(ch: number, nowMs: number, cc: number): void {
    if (this.has[ch]) {
      const dtMs = nowMs - this.lastMs[ch];
      if (dtMs > 0) {
        const hot = cc > this.lastCc[ch] ? cc : this.lastCc[ch];
        if (hot >= DOSE42_THRESHOLD_CC) this.t42Ms[ch] += dtMs;
        if (hot >= DOSE70_THRESHOLD_CC) this.t70Ms[ch] += dtMs;
        const r = hot >= CEM43_REF_C * 100 ? 0.5 : 0.25;
        const c = this.cem43[ch] + (dtMs / 60000) * Math.pow(r, CEM43_REF_C - hot / 100);
        this.cem43[ch] = c < CEM43_MAX ? c : CEM43_MAX;
      }
    }
    this.lastCc[ch] = cc;
    this.lastMs[ch] = nowMs;
    this.has[ch] = 1;
  }

  /** Sets every dose to zero (session start). The last reading is kept, so the next interval counts. */
  reset(): void {
    for (let ch = 0; ch < this.channelCount; ch++) {
      this.t42Ms[ch] = 0;
      this.t70Ms[ch] = 0;
      this.cem43[ch] = 0;
    }
  }

  /** Restores one channel's doses (from a snapshot). */
  set(ch: number, t42Ms: number, t70Ms: number, cem43: number): void {
    this.t42Ms[ch] = t42Ms;
    this.t70Ms[ch] = t70Ms;
    this.cem43[ch] = cem43 < CEM43_MAX ? cem43 : CEM43_MAX;
  }
}
