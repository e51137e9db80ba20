// Cumulative thermal dose per channel: time >= 42.2 degC, time >= 70 degC, CEM43, over real elapsed time.
import { CEM43_REF_C, DOSE42_THRESHOLD_CC, DOSE70_THRESHOLD_CC } from "../../protocol/limits";
import { CEM43_M_MAX } from "./core-constants";

/** CEM43 (in CEM43 minutes) at which the accumulator saturates: 10^15 mCEM43 (PROTOCOL.md). */
const CEM43_MAX = CEM43_M_MAX / 1000;

/**
 * Integrates the three dose models of clinical.md per channel, from valid readings only (the
 * monitor passes each reading one sample late, once the next has confirmed it: sample-filter.ts).
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

  /**
   * Adds the sample taken at `nowMs`: for every channel whose `code` is 0 (valid) and whose role
   * is `role`, the reading `cc[ch]` (centi-degC). One call per sample, locals hoisted: on Espruino
   * every property lookup costs.
   */
  addAll(nowMs: number, cc: Int32Array, code: Uint8Array, roles: Uint8Array, role: number): void {
    const n = this.channelCount;
    const t42 = this.t42Ms;
    const t70 = this.t70Ms;
    const cem = this.cem43;
    const lastCc = this.lastCc;
    const lastMs = this.lastMs;
    const has = this.has;
    for (let ch = 0; ch < n; ch++) {
      if (code[ch] !== 0 || roles[ch] !== role) continue;
      const v = cc[ch];
      if (has[ch]) {
        const dtMs = nowMs - lastMs[ch];
        if (dtMs > 0) {
          const hot = v > lastCc[ch] ? v : lastCc[ch];
          if (hot >= DOSE42_THRESHOLD_CC) t42[ch] += dtMs;
          if (hot >= DOSE70_THRESHOLD_CC) t70[ch] += dtMs;
          const r = hot >= CEM43_REF_C * 100 ? 0.5 : 0.25;
          const c = cem[ch] + (dtMs / 60000) * Math.pow(r, CEM43_REF_C - hot / 100);
          cem[ch] = c < CEM43_MAX ? c : CEM43_MAX;
        }
      }
      lastCc[ch] = v;
      lastMs[ch] = nowMs;
      has[ch] = 1;
    }
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
