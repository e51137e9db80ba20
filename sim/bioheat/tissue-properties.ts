// Literature thermal properties of the tissues the simulator models, and the derived Pennes coefficients.

/**
 * Thermal properties of one tissue, in the units the IT'IS database publishes them.
 *
 * Sources: IT'IS Foundation, "Tissue Properties Database V4.1" (Hasgall et al., 2022,
 * doi:10.13099/VIP21000-04-1), average values, which merge McIntosh & Anderson 2010
 * (Biophys. Rev. Lett. 5:129, doi:10.1142/S1793048010001184) and Duck 1990 ("Physical
 * Properties of Tissue", Academic Press). Values are rounded and transcribed by hand; the
 * database gives the spread per property (perfusion varies several-fold between studies),
 * so treat them as representative, not patient-specific.
 */
export interface TissueProperties {
  /** Display name. */
  readonly name: string;
  /** Density, kg/m^3. */
  readonly densityKgM3: number;
  /** Specific heat capacity, J/(kg K). */
  readonly specificHeatJKgK: number;
  /** Thermal conductivity, W/(m K). */
  readonly conductivityWMK: number;
  /** Blood perfusion ("heat transfer rate" in IT'IS), mL of blood per minute per kg of tissue. */
  readonly perfusionMlMinKg: number;
  /** Metabolic heat generation rate, W/kg. */
  readonly metabolicWKg: number;
}

/** Blood, IT'IS V4.1: density 1050 kg/m^3, specific heat 3617 J/(kg K). */
export const BLOOD_DENSITY_KG_M3 = 1050;
export const BLOOD_SPECIFIC_HEAT_J_KG_K = 3617;

/** Tissues known to the simulator, keyed by the name scenario files use. */
export const TISSUES = {
  // IT'IS V4.1 "Bone (Cortical)": 1908 kg/m^3, 1313 J/kgK, 0.32 W/mK, 10 mL/min/kg, ~0.15 W/kg.
  "bone-cortical": {
    name: "Bone (cortical)",
    densityKgM3: 1908,
    specificHeatJKgK: 1313,
    conductivityWMK: 0.32,
    perfusionMlMinKg: 10,
    metabolicWKg: 0.15,
  },
  // IT'IS V4.1 "Bone (Cancellous)": 1178 kg/m^3, 2274 J/kgK, 0.31 W/mK; perfusion ~30 mL/min/kg,
  // metabolic ~0.45 W/kg (marrow-rich vertebral body: the medium around a transpedicular antenna).
  "bone-cancellous": {
    name: "Bone (cancellous)",
    densityKgM3: 1178,
    specificHeatJKgK: 2274,
    conductivityWMK: 0.31,
    perfusionMlMinKg: 30,
    metabolicWKg: 0.45,
  },
  // IT'IS V4.1 "Nerve": 1075 kg/m^3, 3613 J/kgK, 0.49 W/mK; perfusion ~16 mL/min/kg (low end of a
  // wide spread), metabolic ~0.2 W/kg.
  nerve: {
    name: "Nerve",
    densityKgM3: 1075,
    specificHeatJKgK: 3613,
    conductivityWMK: 0.49,
    perfusionMlMinKg: 16,
    metabolicWKg: 0.2,
  },
  // IT'IS V4.1 "Muscle": 1090 kg/m^3, 3421 J/kgK, 0.49 W/mK, 36.7 mL/min/kg, 0.91 W/kg.
  muscle: {
    name: "Muscle",
    densityKgM3: 1090,
    specificHeatJKgK: 3421,
    conductivityWMK: 0.49,
    perfusionMlMinKg: 36.7,
    metabolicWKg: 0.91,
  },
  // IT'IS V4.1 "Liver": 1079 kg/m^3, 3540 J/kgK, 0.52 W/mK; perfusion ~860 mL/min/kg (hepatic
  // artery + portal vein), metabolic ~10 W/kg. Strong perfusion: heat stays within a few mm.
  liver: {
    name: "Liver",
    densityKgM3: 1079,
    specificHeatJKgK: 3540,
    conductivityWMK: 0.52,
    perfusionMlMinKg: 860,
    metabolicWKg: 10,
  },
  // IT'IS V4.1 "Lung (Inflated)": 394 kg/m^3, 3886 J/kgK, 0.39 W/mK; perfusion ~400 mL/min/kg,
  // metabolic ~1.6 W/kg.
  "lung-inflated": {
    name: "Lung (inflated)",
    densityKgM3: 394,
    specificHeatJKgK: 3886,
    conductivityWMK: 0.39,
    perfusionMlMinKg: 400,
    metabolicWKg: 1.6,
  },
} as const satisfies Record<string, TissueProperties>;

/** Name of a tissue in {@link TISSUES}. */
export type TissueName = keyof typeof TISSUES;

/** Every tissue name, for schemas. */
export const TISSUE_NAMES = Object.keys(TISSUES) as [TissueName, ...TissueName[]];

/** Pennes coefficients in SI units, derived from {@link TissueProperties}. */
export interface PennesCoefficients {
  /** Volumetric heat capacity rho*c, J/(m^3 K). */
  readonly heatCapacityJM3K: number;
  /** Conductivity k, W/(m K). */
  readonly conductivityWMK: number;
  /** Perfusion sink coefficient omega*rho_b*c_b, W/(m^3 K). */
  readonly perfusionWM3K: number;
  /** Metabolic heat, W/m^3. */
  readonly metabolicWM3: number;
}

/**
 * Pennes coefficients of a tissue. Perfusion in mL/min/kg becomes a volumetric flow
 * omega = HTR * 1e-6 / 60 * rho_tissue (m^3 blood per m^3 tissue per s), then
 * omega * rho_b * c_b (W/(m^3 K)), as in the IT'IS database notes.
 */
export function pennesCoefficients(t: TissueProperties): PennesCoefficients {
  const omegaPerS = (t.perfusionMlMinKg * 1e-6) / 60 * t.densityKgM3;
  return {
    heatCapacityJM3K: t.densityKgM3 * t.specificHeatJKgK,
    conductivityWMK: t.conductivityWMK,
    perfusionWM3K: omegaPerS * BLOOD_DENSITY_KG_M3 * BLOOD_SPECIFIC_HEAT_J_KG_K,
    metabolicWM3: t.metabolicWKg * t.densityKgM3,
  };
}

/** Perfusion length sqrt(k / (omega rho_b c_b)), m: how far heat spreads before blood carries it off. */
export function perfusionLengthM(c: PennesCoefficients): number {
  return c.perfusionWM3K > 0 ? Math.sqrt(c.conductivityWMK / c.perfusionWM3K) : Number.POSITIVE_INFINITY;
}

/**
 * Resting tissue temperature T_a + Q_m / (omega rho_b c_b), degC. The simulator takes the body
 * baseline (37 degC) as this resting temperature, so arterial blood sits Q_m/(omega rho_b c_b)
 * below it (0.1-0.4 degC for these tissues).
 */
export function restingTempC(arterialC: number, c: PennesCoefficients): number {
  return c.perfusionWM3K > 0 ? arterialC + c.metabolicWM3 / c.perfusionWM3K : arterialC;
}
