// Per-channel sample filter: plausibility (FAULT_RANGE), single-sample spike rejection, fault debounce counts.
import {
  FAULT_NONE, FAULT_NO_CHIP, FAULT_NO_DATA, FAULT_OPEN, FAULT_RANGE, FAULT_SPIKE,
} from "../source";
import { PLAUSIBLE_MAX_C, PLAUSIBLE_MIN_C, SPIKE_JUMP_CC, SPIKE_MAX_RUN, SPIKE_SLEW_CC_PER_S } from "./core-constants";

/**
 * Turns a source's raw sample (degC + fault code per channel) into what the device reports and
 * acts on: a centi-degC value or a fault code per channel.
 *
 * Spike rule. A valid reading is rejected as a spike (code FAULT_SPIKE, token SP, counted in
 * `spikes`) when it differs from the last accepted reading by more than
 * SPIKE_JUMP_CC + SPIKE_SLEW_CC_PER_S * elapsed s (elapsed since that accepted reading), but only
 * while fewer than SPIKE_MAX_RUN samples of that channel in a row have been rejected. So at most
 * SPIKE_MAX_RUN samples in a row are ever rejected: the next one is accepted whatever its value.
 * Consequences, by design (core-constants.ts SPIKE_MAX_RUN gives the figures behind the choice):
 * - a real change within the plausible slew (anything tissue next to a nerve can do) is never
 *   delayed: its alarm fires on the very sample that crosses a limit;
 * - an excursion of up to SPIKE_MAX_RUN samples (RF pick-up, microwave heating of the probe, also
 *   two or three independent spikes in a row) is rejected and counted, raises no alarm and adds no
 *   dose (the dose integrator bridges it with the hotter neighbour);
 * - an implausible jump that is real (it persists) is reported SPIKE_MAX_RUN periods late
 *   (300 ms at 10 Hz), never more.
 * The first valid reading after a fault, "no data" or boot is accepted (there is nothing recent to
 * judge it against).
 *
 * Plausibility: NaN or a temperature outside PLAUSIBLE_MIN_C..PLAUSIBLE_MAX_C is FAULT_RANGE.
 *
 * Fault debounce: `badCount[ch]` counts consecutive samples without a reading: a sensor fault
 * (FAULT_OPEN .. FAULT_RANGE) or "no data" (FAULT_NO_DATA, or any other code a source may report),
 * in any mix; `cause[ch]` is the latest sensor fault of the run, or FAULT_NO_CHIP when the run began
 * with "no data" and no sensor fault has come since. A valid or spike reading (the chip answered
 * with a number) resets the count. The alarm decision is the monitor's (FAULT_DEBOUNCE_COUNT).
 *
 * Why "no data" counts: a nerve channel that reports nothing is as unmonitored as one whose probe
 * is open, and it used to raise nothing however long it lasted. The protocol has no condition of
 * its own for it; FAULT_NO_CHIP ("no chip answering": the converter gives no usable word) is the
 * closest, while the readings themselves keep showing ND, so the cause is visible on the wire.
 */
export class SampleFilter {
  readonly channelCount: number;
  /** Accepted value (cC) of each channel for this sample; meaningful when code[ch] == FAULT_NONE. */
  readonly cc: Int32Array;
  /** FAULT_* code per channel after filtering (0 = valid). */
  readonly code: Uint8Array;
  /** Consecutive sensor-fault readings per channel. */
  readonly badCount: Uint16Array;
  /** Latest sensor-fault cause per channel (a FAULT_* code, 0 if none yet). */
  readonly cause: Uint8Array;
  /** Spikes rejected since boot. */
  spikes = 0;
  private readonly lastCc: Int32Array;
  private readonly lastMs: Float64Array;
  /** Per channel: 0 nothing to judge against, else 1 + the spike rejections in a row since the last accepted reading. */
  private readonly run: Uint8Array;

  constructor(channels: number) {
    this.channelCount = channels;
    this.cc = new Int32Array(channels);
    this.code = new Uint8Array(channels);
    this.badCount = new Uint16Array(channels);
    this.cause = new Uint8Array(channels);
    this.lastCc = new Int32Array(channels);
    this.lastMs = new Float64Array(channels);
    this.run = new Uint8Array(channels);
  }

  /** Filters one sample instant taken at `nowMs`; results in `cc`, `code`, `badCount`, `cause`. */
  apply(nowMs: number, tempC: Float64Array, fault: Uint8Array): void {
    const n = this.channelCount;
    const out = this.cc;
    const codes = this.code;
    const badCount = this.badCount;
    const lastCc = this.lastCc;
    const lastMs = this.lastMs;
    const run = this.run;
    for (let ch = 0; ch < n; ch++) {
      let f = fault[ch];
      const t = tempC[ch];
      if (f === FAULT_NONE && !(t >= PLAUSIBLE_MIN_C && t <= PLAUSIBLE_MAX_C)) f = FAULT_RANGE;
      if (f !== FAULT_NONE) {
        if (badCount[ch] < 65535) badCount[ch]++;
        if (f >= FAULT_OPEN && f <= FAULT_RANGE) this.cause[ch] = f;
        else {
          f = FAULT_NO_DATA;
          if (badCount[ch] === 1) this.cause[ch] = FAULT_NO_CHIP;
        }
        codes[ch] = f;
        run[ch] = 0;
        continue;
      }
      const cc = Math.round(t * 100);
      badCount[ch] = 0;
      const d = cc - lastCc[ch];
      if (run[ch] !== 0 && run[ch] <= SPIKE_MAX_RUN && (d > SPIKE_JUMP_CC || d < -SPIKE_JUMP_CC)) {
        const allow = SPIKE_JUMP_CC + (SPIKE_SLEW_CC_PER_S * (nowMs - lastMs[ch])) / 1000;
        if (d > allow || -d > allow) {
          codes[ch] = FAULT_SPIKE;
          run[ch]++;
          this.spikes++;
          continue;
        }
      }
      out[ch] = cc;
      codes[ch] = FAULT_NONE;
      lastCc[ch] = cc;
      lastMs[ch] = nowMs;
      run[ch] = 1;
    }
  }
}
