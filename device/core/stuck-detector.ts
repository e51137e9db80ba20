// Stuck readings: a channel whose raw reading does not change at all for STUCK_MIN_MS while another channel's does.

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
 * The state only: the monitor updates it in its per-channel loop (monitor.ts `sense`): one compare
 * per channel per sample (three stores when it changed), no allocation.
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
  movedMs = -1;

  constructor(channels: number) {
    this.channelCount = channels;
    this.stuck = new Uint8Array(channels);
    this.sinceMs = new Float64Array(channels);
    this.tempC = new Float64Array(channels);
    this.tempC.fill(NaN);
  }
}
