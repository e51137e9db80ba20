// Cumulative thermal dose per channel: time >= 42.2 degC, time >= 70 degC, CEM43, over real elapsed time.
import { CEM43_REF_C, DOSE42_THRESHOLD_CC, DOSE70_THRESHOLD_CC } from "../../protocol/limits";
import { CEM43_M_MAX, ROLE_NERVE } from "./core-constants";

/** CEM43 (in CEM43 minutes) at which the accumulator saturates: 10^15 mCEM43 (PROTOCOL.md). */
const CEM43_MAX = CEM43_M_MAX / 1000;
/** The CEM43 reference temperature in cC. */
const CEM43_REF_CC = CEM43_REF_C * 100;

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
  /**
   * Per channel: levels of t42Ms, t70Ms and cem43 at which `add` reports the channel (the
   * monitor sets them just below its next dose-limit threshold, so it checks limits only then).
   */
  readonly gate42Ms: Float64Array;
  readonly gate70Ms: Float64Array;
  readonly gateCem43: Float64Array;
  /**
   * Per channel: readings (cC) at or above `watchHiCc` or at or below `watchLoCc` (NaN for the
   * channels that are not dosed: never) are evaluated by
   * the monitor in full (it keeps them at its nearest temperature-limit crossings, so a limit is
   * one comparison per sample in the loop that is running anyway).
   */
  readonly watchHiCc: Float64Array;
  readonly watchLoCc: Float64Array;
  private readonly lastCc: Int32Array;
  /** Time of the last valid reading per channel; Infinity before the first (its interval then counts nothing). */
  private readonly lastMs: Float64Array;
  /** The channels the monitor doses (ROLE_NERVE in the roles given; every channel without roles), the first `nerveCount` entries. */
  readonly nerve: Uint8Array;
  readonly nerveCount: number;

  constructor(channels: number, roles?: ArrayLike<number>) {
    this.channelCount = channels;
    this.t42Ms = new Float64Array(channels);
    this.t70Ms = new Float64Array(channels);
    this.cem43 = new Float64Array(channels);
    this.lastCc = new Int32Array(channels);
    this.lastMs = new Float64Array(channels);
    this.lastMs.fill(Infinity);
    this.gate42Ms = new Float64Array(channels);
    this.gate70Ms = new Float64Array(channels);
    this.gateCem43 = new Float64Array(channels);
    this.watchHiCc = new Float64Array(channels);
    this.watchLoCc = new Float64Array(channels);
    this.watchHiCc.fill(Infinity);
    this.watchLoCc.fill(-Infinity);
    this.nerve = new Uint8Array(channels);
    let nn = 0;
    for (let ch = 0; ch < channels; ch++) {
      if (!roles || roles[ch] === ROLE_NERVE) this.nerve[nn++] = ch;
      else {
        // A channel without limits (not dosed) gets an empty band that no reading, not even a fault's Infinity, falls out of.
        this.watchHiCc[ch] = NaN;
        this.watchLoCc[ch] = NaN;
      }
    }
    this.nerveCount = nn;
  }

  /**
   * Adds, for each channel `list[0 .. count-1]` whose previous reading is confirmed (`conf[ch]` 0),
   * that reading `cc[ch]` (cC) taken at `doseMs` (the monitor passes each reading once the next
   * sample has confirmed it: sample-filter.ts). Returns the channels (bit 1 << ch) whose dose
   * reached its gate. One call per sample with every array in a local: on Espruino a call per
   * channel cost more than the arithmetic (each parameter and local is a new variable).
   */
  addConfirmed(doseMs: number, list: Uint8Array, count: number, conf: Uint8Array, cc: Int32Array): number {
    const lastMs = this.lastMs;
    const lastCc = this.lastCc;
    const t42 = this.t42Ms;
    const t70 = this.t70Ms;
    const cem = this.cem43;
    // Module constants and globals are looked up by name on Espruino (a scan of the bundle's scope): once per call.
    const pow = Math.pow;
    const refCc = CEM43_REF_CC;
    const max = CEM43_MAX;
    let k = 0;
    let ch = 0;
    let dtMs = 0;
    let v = 0;
    let hot = 0;
    let c = 0;
    let gated = 0;
    for (k = 0; k < count; k++) {
      ch = list[k];
      if (conf[ch] !== 0) continue;
      v = cc[ch];
      dtMs = doseMs - lastMs[ch];
      hot = lastCc[ch];
      lastCc[ch] = v;
      lastMs[ch] = doseMs;
      if (!(dtMs > 0)) continue;
      if (v > hot) hot = v;
      if (hot >= DOSE42_THRESHOLD_CC) {
        if ((t42[ch] += dtMs) >= this.gate42Ms[ch]) gated |= 1 << ch;
        if (hot >= DOSE70_THRESHOLD_CC && (t70[ch] += dtMs) >= this.gate70Ms[ch]) gated |= 1 << ch;
      }
      // Sapareto & Dewey 1984: R = 0.5 at or above 43 degC, 0.25 below.
      c = cem[ch] + (dtMs / 60000) * pow(hot >= refCc ? 0.5 : 0.25, CEM43_REF_C - hot / 100);
      if ((cem[ch] = c < max ? c : max) >= this.gateCem43[ch]) gated |= 1 << ch;
    }
    return gated;
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
