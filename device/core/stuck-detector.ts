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
 * Per sample: one compare and at most two stores per channel, no allocation.
 */
export class StuckDetector {
  readonly channelCount: number;
  /** 1 while the channel is stuck. */
  readonly stuck: Uint8Array;
  /** Since when (ms) each channel has read the same value (or its last fault sample). */
  readonly sinceMs: Float64Array;
  /** Last raw reading per channel (degC; meaningful while its fault code is 0). */
  readonly tempC: Float64Array;
  private readonly fault: Uint8Array;
  /** Latest time any channel's valid reading changed to another valid reading. */
  private movedMs = -1;

  constructor(channels: number) {
    this.channelCount = channels;
    this.stuck = new Uint8Array(channels);
    this.sinceMs = new Float64Array(channels);
    this.tempC = new Float64Array(channels);
    this.fault = new Uint8Array(channels);
    this.fault.fill(255);
  }

  /** Takes the raw sample at `nowMs`; returns true when any channel's `stuck` flag changed. */
  update(nowMs: number, tempC: Float64Array, fault: Uint8Array): boolean {
    const n = this.channelCount;
    const last = this.tempC;
    const lastF = this.fault;
    const since = this.sinceMs;
    const stuck = this.stuck;
    let moved = this.movedMs;
    let changed = false;
    // A channel whose reading changed now is not stuck (since == nowMs): settled in this pass, so the
    // second pass, which needs the final `moved`, runs only when some channel repeated its reading.
    let unchanged = 0;
    for (let ch = 0; ch < n; ch++) {
      const f = fault[ch];
      const t = tempC[ch];
      if (f !== FAULT_NONE || t !== last[ch] || lastF[ch] !== FAULT_NONE) {
        if (f === FAULT_NONE && lastF[ch] === FAULT_NONE) moved = nowMs;
        since[ch] = nowMs;
        last[ch] = t;
        lastF[ch] = f;
        if (stuck[ch] !== 0) {
          stuck[ch] = 0;
          changed = true;
        }
      } else unchanged++;
    }
    this.movedMs = moved;
    if (unchanged === 0) return changed;
    const recent = nowMs - moved <= STUCK_OTHERS_RECENT_MS;
    for (let ch = 0; ch < n; ch++) {
      const s = since[ch];
      const v = s === nowMs ? 0 : stuck[ch] === 1 || (recent && nowMs - s >= STUCK_MIN_MS && moved > s) ? 1 : 0;
      if (v !== stuck[ch]) {
        stuck[ch] = v;
        changed = true;
      }
    }
    return changed;
  }
}
