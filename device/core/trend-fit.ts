// Recent temperature trend per channel: exponentially weighted least-squares slope, O(1) memory.
import { TREND_TAU_MS } from "./core-constants";

/**
 * Weighted least-squares line through each channel's recent valid readings, weight
 * exp(-age / TREND_TAU_MS). Five running sums per channel (no sample buffer, no allocation):
 * times are kept relative to the newest reading, so the sums stay small and exact enough for
 * hours. An exactly linear trace gives its exact slope.
 */
export class TrendFit {
  readonly channelCount: number;
  /** History covered by the current fit, per channel (ms); reset after a gap of 5 tau. */
  readonly spanMs: Float64Array;
  /** Slope per channel in cC per ms as of its last reading in the fit (0 when undetermined). */
  readonly slope: Float64Array;
  /** s0, su, sT, suu, suT per channel (u = time relative to the newest reading, ms; T in cC). */
  private readonly s: Float64Array;
  /** Time of each channel's last reading in the fit; Infinity before the first (dt is then negative: a fresh fit). */
  private readonly lastMs: Float64Array;
  /** exp(-dt / tau) of the last dt, reused while the interval repeats (it nearly always does). */
  private lastDt = -1;
  private lastW = 1;

  constructor(channels: number) {
    this.channelCount = channels;
    this.spanMs = new Float64Array(channels);
    this.slope = new Float64Array(channels);
    this.s = new Float64Array(channels * 5);
    this.lastMs = new Float64Array(channels);
    this.lastMs.fill(Infinity);
  }

  /**
   * Adds the sample at `nowMs` for the channels `list[0 .. count-1]` whose `code` is 0 (one call
   * per sample) and updates their slopes from the new sums while they are at hand (on Espruino every
   * array read and every local costs: loop variables are declared once).
   */
  addList(nowMs: number, cc: Int32Array, code: Uint8Array, list: Uint8Array, count: number): void {
    const s = this.s;
    const lastMs = this.lastMs;
    const span = this.spanMs;
    const slope = this.slope;
    let lastDt = this.lastDt;
    let w = this.lastW;
    let k = 0;
    let ch = 0;
    let i = 0;
    let dt = 0;
    let v = 0;
    let a = 0;
    let u = 0;
    let t = 0;
    let uu = 0;
    let ut = 0;
    for (k = 0; k < count; k++) {
      ch = list[k];
      if (code[ch] !== 0) continue;
      v = cc[ch];
      i = ch * 5;
      dt = nowMs - lastMs[ch];
      lastMs[ch] = nowMs;
      if (dt >= 0 && dt < 5 * TREND_TAU_MS) {
        if (dt !== lastDt) {
          lastDt = dt;
          w = Math.exp(-dt / TREND_TAU_MS);
        }
        a = s[i];
        u = s[i + 1];
        t = s[i + 2];
        s[i + 3] = uu = (s[i + 3] - 2 * dt * u + dt * dt * a) * w;
        s[i + 4] = ut = (s[i + 4] - dt * t) * w;
        s[i + 1] = u = (u - dt * a) * w;
        s[i] = a = a * w + 1;
        s[i + 2] = t = t * w + v;
        span[ch] += dt;
        uu = a * uu - u * u;
        slope[ch] = uu > 1e-6 ? (a * ut - u * t) / uu : 0;
      } else {
        s[i] = 1;
        s[i + 1] = 0;
        s[i + 2] = v;
        s[i + 3] = 0;
        s[i + 4] = 0;
        span[ch] = 0;
        slope[ch] = 0;
      }
    }
    this.lastDt = lastDt;
    this.lastW = w;
  }
}
