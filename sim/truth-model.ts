// The interface every "true temperature" generator implements (bioheat model, keyframe or CSV trace).

/**
 * True temperatures at the probes on a fixed time grid t_k = k * stepS (scenario seconds).
 * Between grid points the truth is linear. Implementations are deterministic: the values depend
 * only on the scenario and on the operator events given so far, never on wall-clock time.
 */
export interface TruthModel {
  /** Number of probes / channels. */
  readonly channelCount: number;
  /** Grid step, s. */
  readonly stepS: number;
  /** Write the true temperatures (degC; NaN = no data) at t = 0. */
  initial(out: Float64Array): void;
  /** Advance one grid step and write the true temperatures at its end. */
  step(out: Float64Array): void;
  /** Whether an energy source is delivering power at tS (EMI spikes happen only then). */
  generatorOnAt(tS: number): boolean;
  /**
   * An operator event marked at tS (e.g. "CO2 injected"). Returns a short description of the
   * effect on the simulation, or null when the event changes nothing.
   */
  onEvent(text: string, tS: number): string | null;
}
