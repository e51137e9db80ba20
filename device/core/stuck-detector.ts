// Stuck readings: a channel whose raw reading does not change at all for STUCK_MIN_MS while another channel's does.
import { FAULT_NONE } from "../source";
import { STUCK_MIN_MS, STUCK_OTHERS_RECENT_MS } from "./core-constants";

/**
 * Watches the raw readings of a source (before any filtering). A channel is stuck when its reading
 * (the exact number, fault 0) has been identical for at least STUCK_MIN_MS and some other channel's
 * valid reading changed after it froze and at most STUCK_OTHERS_RECENT_MS ago. It stays stuck until
 * its own reading changes (or a fault replaces it). A fault sample restarts the channel's run and
 * is no evidence of movement for the others; a reading that changes at the same instant as the
 * frozen one stopped is not "after". So a quiet source whose channels all hold still (an ideal,
 * noiseless trace, or a bus on which every chip froze at once) raises nothing; a single-channel
 * device cannot tell a frozen converter from a still patient and raises nothing either.
 *
 * Per sample: one compare per channel (three stores when it changed), no allocation.
 */
export class StuckDetector {
  readonly channelCount: number;
  /** 1 while the channel is stuck. */
  readonly stuck: Uint8Array;
  /** Since when (ms) each channel has read the same value (or its last fault sample). */
  readonly sinceMs: Float64Array;
  /** Last raw reading per channel (degC; NaN after a fault sample). */
  readonly tempC: Float64Array;
  /** Latest time any channel's valid reading changed to another valid reading. */
  private movedMs = -1;

  constructor(channels: number) {
    this.channelCount = channels;
    this.stuck = new Uint8Array(channels);
    this.sinceMs = new Float64Array(channels);
    this.tempC = new Float64Array(channels);
    this.tempC.fill(NaN);
  }

  /**
   * Takes the raw sample at `nowMs`; returns true when any channel's `stuck` flag changed. One pass:
   * a channel judged before another that moves in the same sample sees that move one sample later.
   */
  update(nowMs: number, tempC: Float64Array, fault: Uint8Array): boolean {
    const n = this.channelCount;
    const last = this.tempC;
    const since = this.sinceMs;
    const stuck = this.stuck;
    let moved = this.movedMs;
    let changed = false;
    for (let ch = 0; ch < n; ch++) {
      const t = tempC[ch];
      const l = last[ch];
      if (t !== l || fault[ch] !== FAULT_NONE) {
        if (fault[ch] !== FAULT_NONE) last[ch] = NaN;
        else {
          if (l === l) moved = nowMs;
          last[ch] = t;
        }
        since[ch] = nowMs;
        if (stuck[ch] !== 0) {
          stuck[ch] = 0;
          changed = true;
        }
      } else if (nowMs - since[ch] >= STUCK_MIN_MS && stuck[ch] === 0 && moved > since[ch] && nowMs - moved <= STUCK_OTHERS_RECENT_MS) {
        stuck[ch] = 1;
        changed = true;
      }
    }
    this.movedMs = moved;
    return changed;
  }
}
