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
 * Confirmation, one sample later (what the dose and STOP use). At each sample the previous sample's
 * reading (`confCc[ch]`, taken at `confMs`) is judged: it is confirmed (`confCode[ch]` 0) when it was
 * accepted (or held and agreed with now) and is not contradicted: not more than CONFIRM_TOLERANCE_CC
 * (0.5 degC) from both the reading before it and this one on the same side (a lone excursion up or
 * down), nor, when this sample has no accepted reading (fault, "no data", spike, held), more than
 * that from the reading before it. Within the tolerance every reading counts as read, so a monotone
 * trace is exact to the sample and the host's recomputation from the wire values agrees. A reading
 * that is not confirmed never enters the dose; its interval is bridged by the neighbours
 * (dose-integrator.ts: the hotter end counts).
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
  /** Accepted value (cC) of each channel for this sample; meaningful when code[ch] == FAULT_NONE (the reference array itself). */
  readonly cc: Int32Array;
  /** FAULT_* code per channel after filtering (0 = valid). */
  readonly code: Uint8Array;
  /** Consecutive sensor-fault readings per channel. */
  readonly badCount: Uint16Array;
  /** Latest sensor-fault cause per channel (a FAULT_* code, 0 if none yet). */
  readonly cause: Uint8Array;
  /** The previous sample's reading (cC), to count for good when confCode[ch] == 0 (after `apply`: the reading before the reference). */
  readonly confCc: Int32Array;
  /** 0 when the previous sample's reading is confirmed (accepted, not contradicted), else 1. */
  readonly confCode: Uint8Array;
  /** Time of the previous sample (ms; -1 before the second). */
  confMs = -1;
  /** Spikes rejected since boot. */
  spikes = 0;
  /** Readings held for want of a recent reference since boot. */
  held = 0;
  /** Channels whose `code` is not FAULT_NONE in this sample (0: every `cc` is a valid reading). */
  invalid = 0;
  /** The allowance's fixed part (cC). */
  readonly jumpCc: number;
  /** This step's allowance (cC) against the previous sample's reading, and whether that sample is recent (set by `begin`). */
  stepAllow = 0;
  stepRecent = false;
  /** The reference: last accepted reading (cC), and its time (ms; far past before the first) once a sample was not accepted. */
  readonly lastCc: Int32Array;
  private readonly lastMs: Float64Array;
  /** The accepted (or confirmed held) reading before the reference. */
  readonly befCc: Int32Array;
  /** The previous sample's held reading. */
  private readonly heldCc: Int32Array;
  /** Spike rejections since the last accepted reading. */
  private readonly run: Uint8Array;
  /** Bits: 1 the previous sample was accepted, 2 it was held, 4 befCc is meaningful, 8 a reference exists. */
  readonly st: Uint8Array;
  private lastStepMs = -1;

  /** `jumpCc`: the allowance's fixed part (default SPIKE_JUMP_CC; other values for studies only). */
  constructor(channels: number, jumpCc?: number) {
    this.channelCount = channels;
    this.jumpCc = jumpCc !== undefined ? jumpCc : SPIKE_JUMP_CC;
    this.lastCc = new Int32Array(channels);
    this.cc = this.lastCc;
    this.code = new Uint8Array(channels);
    this.badCount = new Uint16Array(channels);
    this.cause = new Uint8Array(channels);
    this.befCc = new Int32Array(channels);
    this.confCc = this.befCc;
    this.confCode = new Uint8Array(channels);
    this.lastMs = new Float64Array(channels);
    this.heldCc = new Int32Array(channels);
    this.run = new Uint8Array(channels);
    this.st = new Uint8Array(channels);
    this.confCode.fill(1);
    this.lastMs.fill(-1e15);
  }

  /**
   * Starts sample instant `nowMs` (then `one` for each channel; results in `cc`, `code`, `badCount`,
   * `cause`, `confCc`, `confCode`, `confMs`): the step's allowance, `confMs`, `invalid` = 0.
   */
  begin(nowMs: number): void {
    const prev = this.lastStepMs;
    this.stepAllow = this.jumpCc + (SPIKE_SLEW_CC_PER_S * (nowMs - prev)) / 1000;
    this.stepRecent = nowMs - prev <= REFERENCE_MAX_AGE_MS;
    this.confMs = prev;
    this.lastStepMs = nowMs;
    this.invalid = 0;
  }

  /**
   * Filters channel `ch`'s raw reading `t` (degC) with source fault `f` at `nowMs` (after `begin`),
   * except the common case, which the caller takes inline (channel-step.ts): a valid reading
   * within `stepAllow` of an accepted previous one, `stepRecent`.
   */
  one(ch: number, t: number, f: number, nowMs: number): void {
    const codes = this.code;
    const badCount = this.badCount;
    const lastCc = this.lastCc;
    const lastMs = this.lastMs;
    const befCc = this.befCc;
    const run = this.run;
    const st = this.st;
    const confCode = this.confCode;
    const jump = this.jumpCc;
    const tol = CONFIRM_TOLERANCE_CC;
    const prevStep = this.confMs;
    const stepAllow = this.stepAllow;
    const s = st[ch];
    const last = lastCc[ch];
    if ((s & 1) !== 0) lastMs[ch] = prevStep;
    if (f === FAULT_NONE && !(t >= PLAUSIBLE_MIN_C && t <= PLAUSIBLE_MAX_C)) f = FAULT_RANGE;
    if (f === FAULT_NONE) {
      const cc = Math.round(t * 100);
      const d = cc - last;
      badCount[ch] = 0;
      const age = nowMs - lastMs[ch];
      const recent = age <= REFERENCE_MAX_AGE_MS;
      const ad = d < 0 ? -d : d;
      const okRef = recent && (ad <= jump || ad <= jump + (SPIKE_SLEW_CC_PER_S * age) / 1000);
      const h = this.heldCc[ch];
      const dn = h - cc;
      const agree = (s & 2) !== 0 && dn <= stepAllow && dn >= -stepAllow;
      if (agree || okRef) {
        const db = h - last;
        confCode[ch] = agree && !((s & 8) !== 0 ? (db > tol && dn > tol) || (db < -tol && dn < -tol) : dn > tol || dn < -tol) ? 0 : 1;
        befCc[ch] = agree ? h : last;
        lastCc[ch] = cc;
        codes[ch] = FAULT_NONE;
        run[ch] = 0;
        st[ch] = 13;
        return;
      }
      codes[ch] = FAULT_SPIKE;
      if (recent && run[ch] < SPIKE_MAX_RUN) {
        run[ch]++;
        this.spikes++;
        st[ch] = 12;
      } else {
        this.heldCc[ch] = cc;
        this.held++;
        st[ch] = s & 8 ? 14 : 2;
      }
    } else {
      if (badCount[ch] < 65535) badCount[ch]++;
      if (f >= FAULT_OPEN && f <= FAULT_RANGE) this.cause[ch] = f;
      else {
        f = FAULT_NO_DATA;
        if (badCount[ch] === 1) this.cause[ch] = FAULT_NO_CHIP;
      }
      codes[ch] = f;
      st[ch] = s & 8 ? 12 : 0;
    }
    this.invalid++;
    const u = last - befCc[ch];
    confCode[ch] = (s & 5) === 5 && u <= tol && u >= -tol ? 0 : 1;
    befCc[ch] = last;
  }
}
