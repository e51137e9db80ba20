// Per-channel sample filter: plausibility (FAULT_RANGE), spike rejection, held first readings, one-sample confirmation, fault debounce counts.
import {
  FAULT_NONE, FAULT_NO_CHIP, FAULT_NO_DATA, FAULT_OPEN, FAULT_RANGE, FAULT_SPIKE,
} from "../source";
import {
  CONFIRM_TOLERANCE_CC, PLAUSIBLE_MAX_C, PLAUSIBLE_MIN_C, REFERENCE_MAX_AGE_MS, SPIKE_JUMP_CC, SPIKE_MAX_RUN, SPIKE_SLEW_CC_PER_S,
} from "./core-constants";

/**
 * Turns a source's raw sample (degC + fault code per channel) into what the device reports and
 * acts on: a centi-degC value or a fault code per channel (`cc`, `code`), and, one sample later,
 * what may count for good (`confCc`, `confCode`, `prevCc`).
 *
 * Reference. Each channel's reference is its last accepted reading. It survives faults, "no data"
 * and sample gaps, but only counts while it is recent: at most REFERENCE_MAX_AGE_MS (1 s) old.
 *
 * Spike rule. A valid reading is accepted when it differs from a recent reference by at most the
 * allowance SPIKE_JUMP_CC + SPIKE_SLEW_CC_PER_S * elapsed s (1.2 degC per sample at 10 Hz, 3 degC
 * after 1 s). Otherwise it is rejected as a spike (code FAULT_SPIKE, token SP, counted in `spikes`),
 * at most SPIKE_MAX_RUN samples in a row since the last accepted reading.
 *
 * Held readings. A valid reading that nothing recent can judge (boot, a fault / "no data" run or gap
 * longer than REFERENCE_MAX_AGE_MS, or the reading after SPIKE_MAX_RUN rejections) is held: code
 * FAULT_SPIKE (SP), counted in `held`. It is accepted only in hindsight, when the very next sample
 * agrees with it within the allowance (that next sample is then accepted too); otherwise the next
 * valid reading is judged in its turn (accepted against a recent reference, or held). So a wrong
 * first reading after a fault (an intermittent short can deliver numbers without a fault bit)
 * neither raises an alarm nor adds dose; a real change across a long fault is reported one sample
 * late, and an implausible jump that persists SPIKE_MAX_RUN + 1 samples late (400 ms at 10 Hz).
 *
 * Confirmation, one sample later (what the dose and STOP use). At each sample, the previous sample's
 * reading is confirmed (`confCode[ch]` 0) when it was accepted (or held and agreed with now) and this
 * sample's reading is accepted; a fault, "no data", spike or held reading next to it leaves it
 * unconfirmed (`confCode[ch]` 1). `confCc[ch]` is then the median of the previous reading, the one
 * before it (when that was accepted at the sample before) and this one: a lone excursion in either
 * direction is replaced by a neighbour, a monotone trace passes unchanged (so the dose of a ramp or
 * a step is exact to the sample). `prevCc[ch]` is the previous reading itself. `confMs` is the time
 * of the previous sample. Consequence: a reading that the next sample contradicts never enters the
 * dose; its interval is bridged by the neighbours (dose-integrator.ts: the hotter end counts).
 *
 * Plausibility: NaN or a temperature outside PLAUSIBLE_MIN_C..PLAUSIBLE_MAX_C is FAULT_RANGE.
 *
 * Fault debounce: `badCount[ch]` counts consecutive samples without a reading: a sensor fault
 * (FAULT_OPEN .. FAULT_RANGE) or "no data" (FAULT_NO_DATA, or any other code a source may report),
 * in any mix; `cause[ch]` is the latest sensor fault of the run, or FAULT_NO_CHIP when the run began
 * with "no data" and no sensor fault has come since. A valid, spike or held reading (the chip answered
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
  /** The previous sample's reading (cC), to count for good when confCode[ch] == 0. */
  readonly confCc: Int32Array;
  /** 0 when the previous sample's reading is confirmed (not contradicted), else 1. */
  readonly confCode: Uint8Array;
  /** 1 when both the previous sample's reading (confCc) and this one (cc) are accepted: two consecutive samples. */
  readonly prevAcc: Uint8Array;
  /** Time of the previous sample (ms; -1 before the second). */
  confMs = -1;
  /** Spikes rejected since boot. */
  spikes = 0;
  /** Readings held for want of a recent reference since boot. */
  held = 0;
  /** Channels whose `code` is not FAULT_NONE in this sample (0: every `cc` is a valid reading). */
  invalid = 0;
  private readonly jumpCc: number;
  private readonly lastCc: Int32Array;
  private readonly lastMs: Float64Array;
  /** Per channel: 1 once a reading was accepted (lastCc / lastMs are meaningful). */
  private readonly hasRef: Uint8Array;
  /** Spike rejections since the last accepted reading. */
  private readonly run: Uint8Array;
  /** The previous sample's reading: 0 none / rejected, 1 accepted, 2 held. */
  private readonly pState: Uint8Array;
  private readonly pCc: Int32Array;
  /** 1 once a reading before the previous one was accepted; ppCc is the last such reading. */
  private readonly ppOk: Uint8Array;
  private readonly ppCc: Int32Array;
  private lastStepMs = -1;

  /** `jumpCc`: the allowance's fixed part (default SPIKE_JUMP_CC; other values for studies only). */
  constructor(channels: number, jumpCc?: number) {
    this.channelCount = channels;
    this.jumpCc = jumpCc !== undefined ? jumpCc : SPIKE_JUMP_CC;
    this.cc = new Int32Array(channels);
    this.code = new Uint8Array(channels);
    this.badCount = new Uint16Array(channels);
    this.cause = new Uint8Array(channels);
    this.confCc = new Int32Array(channels);
    this.confCode = new Uint8Array(channels);
    this.prevAcc = new Uint8Array(channels);
    this.lastCc = new Int32Array(channels);
    this.lastMs = new Float64Array(channels);
    this.hasRef = new Uint8Array(channels);
    this.run = new Uint8Array(channels);
    this.pState = new Uint8Array(channels);
    this.pCc = new Int32Array(channels);
    this.ppOk = new Uint8Array(channels);
    this.ppCc = new Int32Array(channels);
    this.confCode.fill(1);
  }

  /** Filters one sample instant taken at `nowMs`; results in `cc`, `code`, `badCount`, `cause`, `confCc`, `confCode`, `prevCc`. */
  apply(nowMs: number, tempC: Float64Array, fault: Uint8Array): void {
    const n = this.channelCount;
    const out = this.cc;
    const codes = this.code;
    const badCount = this.badCount;
    const lastCc = this.lastCc;
    const lastMs = this.lastMs;
    const hasRef = this.hasRef;
    const run = this.run;
    const pState = this.pState;
    const pCc = this.pCc;
    const ppOk = this.ppOk;
    const ppCc = this.ppCc;
    const confCode = this.confCode;
    const confCc = this.confCc;
    const prevAcc = this.prevAcc;
    const tol = CONFIRM_TOLERANCE_CC;
    const jump = this.jumpCc;
    const stepAllow = jump + (SPIKE_SLEW_CC_PER_S * (nowMs - this.lastStepMs)) / 1000;
    // Fast lane (the steady case, nearly every sample on Espruino, where every operation costs): the
    // previous reading was accepted at the previous step, so it is this one's reference (lastCc ==
    // pCc, lastMs == that step, run == 0, badCount == 0, code == 0) and the allowance is stepAllow.
    // A valid reading within it is accepted with exactly the general path's results; anything else
    // takes the general path below.
    const fast = nowMs - this.lastStepMs <= REFERENCE_MAX_AGE_MS;
    let invalid = 0;
    this.confMs = this.lastStepMs;
    this.lastStepMs = nowMs;
    for (let ch = 0; ch < n; ch++) {
      let f = fault[ch];
      const t = tempC[ch];
      const ps = pState[ch];
      if (fast && ps === 1 && f === FAULT_NONE && t >= PLAUSIBLE_MIN_C && t <= PLAUSIBLE_MAX_C) {
        const c = Math.round(t * 100);
        const q = pCc[ch];
        const d = c - q;
        if (d <= stepAllow && d >= -stepAllow) {
          out[ch] = c;
          lastCc[ch] = c;
          lastMs[ch] = nowMs;
          const db = q - ppCc[ch];
          const keep = ppOk[ch] === 1 ? !((db > tol && d < -tol) || (db < -tol && d > tol)) : d <= tol && d >= -tol;
          confCode[ch] = keep ? 0 : 1;
          confCc[ch] = q;
          prevAcc[ch] = 1;
          ppOk[ch] = 1;
          ppCc[ch] = q;
          pCc[ch] = c;
          continue;
        }
      }
      if (f === FAULT_NONE && !(t >= PLAUSIBLE_MIN_C && t <= PLAUSIBLE_MAX_C)) f = FAULT_RANGE;
      let st = 0;
      let agreed = false;
      let cc = 0;
      if (f !== FAULT_NONE) {
        if (badCount[ch] < 65535) badCount[ch]++;
        if (f >= FAULT_OPEN && f <= FAULT_RANGE) this.cause[ch] = f;
        else {
          f = FAULT_NO_DATA;
          if (badCount[ch] === 1) this.cause[ch] = FAULT_NO_CHIP;
        }
        codes[ch] = f;
      } else {
        cc = Math.round(t * 100);
        badCount[ch] = 0;
        const age = nowMs - lastMs[ch];
        const recent = hasRef[ch] === 1 && age <= REFERENCE_MAX_AGE_MS;
        let ok = false;
        if (recent) {
          const d = cc - lastCc[ch];
          ok = (d <= jump && d >= -jump) || (d > 0 ? d : -d) <= jump + (SPIKE_SLEW_CC_PER_S * age) / 1000;
        }
        if (ps === 2) {
          const d2 = cc - pCc[ch];
          agreed = (d2 > 0 ? d2 : -d2) <= stepAllow;
        }
        if (ok || agreed) {
          st = 1;
          out[ch] = cc;
          codes[ch] = FAULT_NONE;
          lastCc[ch] = cc;
          lastMs[ch] = nowMs;
          hasRef[ch] = 1;
          run[ch] = 0;
        } else if (recent && run[ch] < SPIKE_MAX_RUN) {
          codes[ch] = FAULT_SPIKE;
          run[ch]++;
          this.spikes++;
        } else {
          st = 2;
          codes[ch] = FAULT_SPIKE;
          this.held++;
        }
      }
      const prevOk = ps === 1 || (ps === 2 && agreed);
      const p = pCc[ch];
      let keep = false;
      if (prevOk) {
        const db = p - ppCc[ch];
        const before = ppOk[ch] === 1;
        if (st === 1) {
          const dn = p - cc;
          keep = before ? !((db > tol && dn > tol) || (db < -tol && dn < -tol)) : dn <= tol && dn >= -tol;
        } else keep = before && db <= tol && db >= -tol;
      }
      confCode[ch] = keep ? 0 : 1;
      confCc[ch] = p;
      prevAcc[ch] = prevOk && st === 1 ? 1 : 0;
      if (prevOk) {
        ppOk[ch] = 1;
        ppCc[ch] = p;
      }
      pState[ch] = st;
      pCc[ch] = cc;
      if (codes[ch] !== FAULT_NONE) invalid++;
    }
    this.invalid = invalid;
  }
}
