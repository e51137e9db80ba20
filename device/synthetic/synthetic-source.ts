// Small self-contained synthetic temperature source for demos on a bare board or a PC: repeating ablation cycles, noise, CO2 cooling.
import { FAULT_NONE, type SampleSource } from "../source";

/** Length of one synthetic ablation cycle (ms): rest, energy on, cooling. */
export const SYNTH_CYCLE_MS = 240000;
/** Energy is on from 60 s to 150 s of each cycle (clinical.md: cycles of 30-90 s). */
export const SYNTH_ON_FROM_MS = 60000;
export const SYNTH_ON_TO_MS = 150000;
/** Heating and cooling time constants (ms) of a nerve site next to the ablation zone. */
export const SYNTH_HEAT_TAU_MS = 45000;
export const SYNTH_COOL_TAU_MS = 30000;
/** Body temperature (degC). */
export const SYNTH_BASE_C = 37;
/** Amplitude of the deterministic noise (degC), and its size per unit of the generator's state. */
const SYNTH_NOISE_C = 0.05;
const NOISE_PER_SEED_C = (2 * SYNTH_NOISE_C) / 2147483647;
/** A MARK containing "CO2" or "cool" lowers every nerve site by this much (degC), decaying with SYNTH_COOL_TAU_MS. */
export const SYNTH_CO2_DROP_C = 3;

/**
 * Not a tissue model (that is sim/): each channel follows a first-order approach towards a
 * plateau while "energy" is on and relaxes back to 37 degC afterwards, plus +-SYNTH_NOISE_C of
 * deterministic noise. Nerve channels aim at staggered plateaus (44, 41.5, 40.5, ... degC), so
 * the demo shows WARN, PREDICT, INTERVENE and sometimes STOP; ablation channels aim at 90 degC,
 * reference channels stay at 37. Pure arithmetic on nowMs, no allocation: runs on Espruino.
 */
export class SyntheticSource implements SampleSource {
  readonly channelCount: number;
  /** Plateau (degC) each channel approaches while energy is on. */
  readonly peakC: Float64Array;
  /** peakC - SYNTH_BASE_C per channel, and 1 where the CO2 cooling applies (nerve sites), else 0. */
  private readonly ampC: Float64Array;
  private readonly coolable: Float64Array;
  private seed = 12345;
  private coolAtMs = -1e12;

  /** @param roles one of "nerve" | "ablation" | "reference" per channel */
  constructor(roles: string[]) {
    this.channelCount = roles.length;
    this.peakC = new Float64Array(roles.length);
    let nerve = 0;
    for (let i = 0; i < roles.length; i++) {
      if (roles[i] === "nerve") this.peakC[i] = 44 - 2.5 * (nerve++ % 3);
      else if (roles[i] === "ablation") this.peakC[i] = 90;
      else this.peakC[i] = SYNTH_BASE_C;
    }
    this.ampC = new Float64Array(roles.length);
    this.coolable = new Float64Array(roles.length);
    for (let i = 0; i < roles.length; i++) {
      this.ampC[i] = this.peakC[i] - SYNTH_BASE_C;
      this.coolable[i] = this.peakC[i] < 60 && this.peakC[i] > SYNTH_BASE_C ? 1 : 0;
    }
  }


  read(nowMs: number, tempC: Float64Array, fault: Uint8Array): void {
    const p = nowMs % SYNTH_CYCLE_MS;
    let frac: number;
    if (p < SYNTH_ON_FROM_MS) frac = 0;
    else if (p < SYNTH_ON_TO_MS) frac = 1 - Math.exp(-(p - SYNTH_ON_FROM_MS) / SYNTH_HEAT_TAU_MS);
    else frac = (1 - Math.exp(-(SYNTH_ON_TO_MS - SYNTH_ON_FROM_MS) / SYNTH_HEAT_TAU_MS)) * Math.exp(-(p - SYNTH_ON_TO_MS) / SYNTH_COOL_TAU_MS);
    if (nowMs < SYNTH_ON_FROM_MS) frac = 0;
    const since = nowMs - this.coolAtMs;
    const coolC = since >= 0 && frac !== 0 ? SYNTH_CO2_DROP_C * Math.exp(-since / SYNTH_COOL_TAU_MS) * frac : 0;
    const amp = this.ampC;
    const coolable = this.coolable;
    const base = SYNTH_BASE_C - SYNTH_NOISE_C;
    let seed = this.seed;
    let i = 0;
    // Park-Miller generator (exact in doubles, no Math.imul): noise uniform in [-SYNTH_NOISE_C, SYNTH_NOISE_C).
    // The loop without the cooling term is the one that runs nearly always (Espruino pays per token).
    if (coolC === 0) {
      for (i = 0; i < this.channelCount; i++) {
        seed = (seed * 16807) % 2147483647;
        tempC[i] = base + amp[i] * frac + seed * NOISE_PER_SEED_C;
      }
    } else {
      for (i = 0; i < this.channelCount; i++) {
        seed = (seed * 16807) % 2147483647;
        tempC[i] = base + amp[i] * frac + seed * NOISE_PER_SEED_C - coolable[i] * coolC;
      }
    }
    this.seed = seed;
    fault.fill(FAULT_NONE);
  }

  onEvent(text: string, nowMs: number): void {
    const s = text.toUpperCase();
    // lastIndexOf: Espruino 2v29's indexOf finds "CO2" in a text that merely ends in "C" or "CO" (bundle-checks.ts).
    if (s.lastIndexOf("CO2") >= 0 || s.lastIndexOf("COOL") >= 0) this.coolAtMs = nowMs;
  }
}
