// Cooling interventions (CO2 insufflation, iced 5 % glucose) as a temperature-dependent local heat sink.

/** Cooling methods the clinical notes describe (BMC Musculoskelet. Disord. 2022, doi 10.1186/s12891-022-05999-y). */
export type CoolingKind = "co2" | "iced-glucose";

/** Every cooling kind, for schemas. */
export const COOLING_KINDS = ["co2", "iced-glucose"] as const satisfies readonly CoolingKind[];

/** Parameters of one cooling intervention. */
export interface CoolingParams {
  /** Heat-exchange conductance between the coolant and the tissue around the target, W/K. */
  readonly conductanceWK: number;
  /** Coolant temperature, degC. */
  readonly coolantC: number;
  /** Time for the effect to build up (coolant spreading), s: conductance ramps linearly from 0. */
  readonly rampS: number;
  /** Time at full effect after the start (ramp included), s. */
  readonly durationS: number;
  /** Exponential fade-out time constant after durationS, s. */
  readonly decayS: number;
  /** Radius of the cooled region around the target, mm. */
  readonly radiusMm: number;
}

/**
 * Default effect per kind. The physics is a sink of power G(t) * (T_local - T_coolant) spread
 * over a sphere of radius radiusMm centred on the target probe. The conductances and ramps are
 * NOT literature values: they are tuned so that the effect matches the clinical report (a canal
 * probe ~0.5 degC above 42 degC is back below 42 degC ~30 s after the injection, and stays there
 * while the cycles are shortened), see sim/scenarios/README.md.
 * - CO2: room-temperature gas (20 degC). It spreads through the epidural space over ~2 min
 *   (rampS) and is kept flowing ~3 min; low heat capacity, so much of its effect is displacing
 *   warm fluid and insulating the cord, folded into one conductance.
 * - Iced 5 % glucose: 4 degC bolus, effective within seconds, fading as it warms and washes out.
 */
export const COOLING_DEFAULTS: Readonly<Record<CoolingKind, CoolingParams>> = {
  co2: { conductanceWK: 0.0025, coolantC: 20, rampS: 120, durationS: 180, decayS: 60, radiusMm: 2.5 },
  "iced-glucose": { conductanceWK: 0.002, coolantC: 4, rampS: 10, durationS: 30, decayS: 60, radiusMm: 2.5 },
};

/** A cooling intervention scheduled at atS (s, scenario time) at the target probes. */
export interface CoolingEvent extends CoolingParams {
  readonly kind: CoolingKind;
  readonly atS: number;
  /** Labels of the probes whose surroundings are cooled. */
  readonly targets: readonly string[];
}

/** Build a full event from a kind, a start time, targets and optional overrides. */
export function coolingEvent(kind: CoolingKind, atS: number, targets: readonly string[], overrides: Partial<CoolingParams> = {}): CoolingEvent {
  const d = COOLING_DEFAULTS[kind];
  return {
    kind,
    atS,
    targets,
    conductanceWK: overrides.conductanceWK ?? d.conductanceWK,
    coolantC: overrides.coolantC ?? d.coolantC,
    rampS: overrides.rampS ?? d.rampS,
    durationS: overrides.durationS ?? d.durationS,
    decayS: overrides.decayS ?? d.decayS,
    radiusMm: overrides.radiusMm ?? d.radiusMm,
  };
}

/** Conductance (W/K) of one event at tS: 0 before atS, linear ramp over rampS, full until durationS, then exp fade. */
export function coolingConductanceWK(e: CoolingEvent, tS: number): number {
  const dt = tS - e.atS;
  if (dt < 0) return 0;
  if (dt <= e.durationS) return e.rampS > 0 && dt < e.rampS ? (e.conductanceWK * dt) / e.rampS : e.conductanceWK;
  return e.decayS > 0 ? e.conductanceWK * Math.exp(-(dt - e.durationS) / e.decayS) : 0;
}

/**
 * Heat (W, positive = removed) drawn by the events from tissue at localC, evaluated at tS.
 * Only events that started at or before `startedByS` count (an event takes effect from the first
 * model step that begins after it, which keeps the result independent of read timing).
 */
export function sinkPowerW(events: readonly CoolingEvent[], tS: number, startedByS: number, localC: number): number {
  let p = 0;
  for (const e of events) {
    if (e.atS > startedByS) continue;
    p += coolingConductanceWK(e, tS) * (localC - e.coolantC);
  }
  return p;
}

/**
 * Cooling kind named by an operator's event text ("CO2 injected", "iced glucose 10 ml"), or null.
 * Case-insensitive; CO2 wins if both are named.
 */
export function coolingKindFromText(text: string): CoolingKind | null {
  if (/co2|co₂|carbon dioxide/i.test(text)) return "co2";
  if (/glucose/i.test(text)) return "iced-glucose";
  return null;
}
