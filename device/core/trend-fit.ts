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
  /** s0, su, sT, suu, suT per channel (u = time relative to the newest reading, ms; T in cC). */
  private readonly s: Float64Array;
  private readonly lastMs: Float64Array;
  private readonly has: Uint8Array;
  /** exp(-dt / tau) of the last dt, reused while the interval repeats (it nearly always does). */
  private lastDt = -1;
  private lastW = 1;

  constructor(channels: number) {
    this.channelCount = channels;
    this.spanMs = new Float64Array(channels);
    this.s = new Float64Array(channels * 5);
    this.lastMs = new Float64Array(channels);
    this.has = new Uint8Array(channels);
  }

  /** Adds the sample at `nowMs` for the channels `list[0 .. count-1]` whose `code` is 0 (one call per sample). */
  addList(nowMs: number, cc: Int32Array, code: Uint8Array, list: Uint8Array, count: number): void {
    const s = this.s;
    const lastMs = this.lastMs;
    const has = this.has;
    const span = this.spanMs;
    for (let k = 0; k < count; k++) {
      const ch = list[k];
      if (code[ch] !== 0) continue;
      const i = ch * 5;
      const dt = nowMs - lastMs[ch];
      if (has[ch] && dt >= 0 && dt < 5 * TREND_TAU_MS) {
        if (dt !== this.lastDt) {
          this.lastDt = dt;
          this.lastW = Math.exp(-dt / TREND_TAU_MS);
        }
        const w = this.lastW;
        const s0 = s[i];
        const su = s[i + 1];
        const sT = s[i + 2];
        s[i + 3] = (s[i + 3] - 2 * dt * su + dt * dt * s0) * w;
        s[i + 4] = (s[i + 4] - dt * sT) * w;
        s[i + 1] = (su - dt * s0) * w;
        s[i] = s0 * w + 1;
        s[i + 2] = sT * w + cc[ch];
        span[ch] += dt;
      } else {
        s[i] = 1;
        s[i + 1] = 0;
        s[i + 2] = cc[ch];
        s[i + 3] = 0;
        s[i + 4] = 0;
        span[ch] = 0;
      }
      lastMs[ch] = nowMs;
      has[ch] = 1;
    }
  }

  /** Slope of channel `ch` in cC per ms (0 when undetermined). */
  slopeCcPerMs(ch: number): number {
    const s = this.s;
    const i = ch * 5;
    const den = s[i] * s[i + 3] - s[i + 1] * s[i + 1];
    if (!(den > 1e-6)) return 0;
    return (s[i] * s[i + 4] - s[i + 1] * s[i + 2]) / den;
  }
}
