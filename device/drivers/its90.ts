// NIST ITS-90 thermocouple reference functions (°C -> mV) and inverses (mV -> °C) for types K and T.

/** Thermocouple types the drivers support. */
export type TcType = "K" | "T";

/*
 * Coefficients: NIST Monograph 175 (Burns et al., 1993), "Temperature-Electromotive Force
 * Reference Functions and Tables for the Letter-Designated Thermocouple Types Based on the
 * ITS-90", as published in the NIST ITS-90 Thermocouple Database (srdata.nist.gov/its90,
 * files type_k.tab and type_t.tab). Units °C and mV, constant term first (index i multiplies
 * t^i or E^i), evaluated by Horner's rule. Transcribed with every printed digit.
 */

/** Type K reference function, -270..0 °C: E[mV] = sum c_i t^i (NIST Monograph 175, type K). */
const TYPE_K_MV_NEG = [
  0.0, 0.39450128025e-1, 0.236223735980e-4, -0.328589067840e-6, -0.499048287770e-8,
  -0.675090591730e-10, -0.574103274280e-12, -0.310888728940e-14, -0.104516093650e-16,
  -0.198892668780e-19, -0.163226974860e-22,
];
/** Type K reference function, 0..1372 °C: E[mV] = sum c_i t^i + a0 exp(a1 (t - a2)^2). */
const TYPE_K_MV_POS = [
  -0.176004136860e-1, 0.389212049750e-1, 0.185587700320e-4, -0.994575928740e-7,
  0.318409457190e-9, -0.560728448890e-12, 0.560750590590e-15, -0.320207200030e-18,
  0.971511471520e-22, -0.121047212750e-25,
];
/** Type K exponential term above 0 °C: a0 [mV], a1 [1/°C^2], a2 [°C] (NIST Monograph 175). */
const TYPE_K_EXP_A0_MV = 0.1185976;
const TYPE_K_EXP_A1 = -0.1183432e-3;
const TYPE_K_EXP_A2_C = 0.1269686e3;

/** Type K inverse, -5.891..0 mV (-200..0 °C): t[°C] = sum d_i E^i; NIST error -0.02..0.04 °C. */
const TYPE_K_C_INV_NEG = [
  0.0, 2.5173462e1, -1.1662878, -1.0833638, -8.977354e-1, -3.7342377e-1, -8.6632643e-2,
  -1.0450598e-2, -5.1920577e-4,
];
/** Type K inverse, 0..20.644 mV (0..500 °C); NIST error -0.05..0.04 °C. */
const TYPE_K_C_INV_MID = [
  0.0, 2.508355e1, 7.860106e-2, -2.503131e-1, 8.31527e-2, -1.228034e-2, 9.804036e-4,
  -4.41303e-5, 1.057734e-6, -1.052755e-8,
];
/** Type K inverse, 20.644..54.886 mV (500..1372 °C); NIST error -0.05..0.06 °C. */
const TYPE_K_C_INV_HIGH = [
  -1.318058e2, 4.830222e1, -1.646031, 5.464731e-2, -9.650715e-4, 8.802193e-6, -3.11081e-8,
];
/** Boundary between the type K inverse sub-ranges 0..500 °C and 500..1372 °C (NIST). */
const TYPE_K_INV_SPLIT_MV = 20.644;

/** Type T reference function, -270..0 °C (NIST Monograph 175, type T). */
const TYPE_T_MV_NEG = [
  0.0, 0.387481063640e-1, 0.441944343470e-4, 0.118443231050e-6, 0.200329735540e-7,
  0.901380195590e-9, 0.226511565930e-10, 0.360711542050e-12, 0.384939398830e-14,
  0.282135219250e-16, 0.142515947790e-18, 0.487686622860e-21, 0.107955392700e-23,
  0.139450270620e-26, 0.797951539270e-30,
];
/** Type T reference function, 0..400 °C. */
const TYPE_T_MV_POS = [
  0.0, 0.387481063640e-1, 0.332922278800e-4, 0.206182434040e-6, -0.218822568460e-8,
  0.109968809280e-10, -0.308157587720e-13, 0.454791352900e-16, -0.275129016730e-19,
];
/** Type T inverse, -5.603..0 mV (-200..0 °C); NIST error -0.02..0.04 °C. */
const TYPE_T_C_INV_NEG = [
  0.0, 2.5949192e1, -2.1316967e-1, 7.9018692e-1, 4.2527777e-1, 1.3304473e-1, 2.0241446e-2,
  1.2668171e-3,
];
/** Type T inverse, 0..20.872 mV (0..400 °C); NIST error -0.03..0.03 °C. */
const TYPE_T_C_INV_POS = [
  0.0, 2.5928e1, -7.602961e-1, 4.637791e-2, -2.165394e-3, 6.048144e-5, -7.293422e-7,
];

/** Lower end of the type K reference function (°C). */
export const TYPE_K_MIN_C = -270;
/** Upper end of the type K reference function (°C). */
export const TYPE_K_MAX_C = 1372;
/** Lower end of the type T reference function (°C). */
export const TYPE_T_MIN_C = -270;
/** Upper end of the type T reference function (°C). */
export const TYPE_T_MAX_C = 400;
/** Lower end of the NIST inverse polynomials (°C), K and T alike; below it mV -> °C gives NaN. */
export const INVERSE_MIN_C = -200;

/** Polynomial sum c_i x^i by Horner's rule, coefficients constant term first. */
function horner(c: number[], x: number): number {
  let y = 0;
  for (let i = c.length - 1; i >= 0; i--) y = y * x + c[i];
  return y;
}

/** Derivative d/dx of sum c_i x^i, by Horner's rule run alongside the value. */
/** The polynomial's value at the last hornerBoth call (its slope is the return value). */
let hornerY = 0;

/** Horner's scheme for the value (left in hornerY) and the derivative (returned) in one pass. */
function hornerBoth(c: number[], x: number): number {
  let y = 0;
  let d = 0;
  for (let i = c.length - 1; i >= 0; i--) {
    d = d * x + y;
    y = y * x + c[i];
  }
  hornerY = y;
  return d;
}

function kMv(tC: number): number {
  if (tC < 0) return horner(TYPE_K_MV_NEG, tC);
  const u = tC - TYPE_K_EXP_A2_C;
  return horner(TYPE_K_MV_POS, tC) + TYPE_K_EXP_A0_MV * Math.exp(TYPE_K_EXP_A1 * u * u);
}

/**
 * One Newton step towards the type K temperature of `mV` from `t`: t - (E(t) - mV) / E'(t), the
 * value and slope from one pass over the coefficients (the same arithmetic as kMv, so the result is
 * bit-identical to evaluating them apart; on Espruino each pass costs ~0.2 M instructions).
 */
function kNewton(t: number, mV: number): number {
  if (t < 0) {
    const d = hornerBoth(TYPE_K_MV_NEG, t);
    return t - (hornerY - mV) / d;
  }
  const u = t - TYPE_K_EXP_A2_C;
  const e = TYPE_K_EXP_A0_MV * Math.exp(TYPE_K_EXP_A1 * u * u);
  const d = hornerBoth(TYPE_K_MV_POS, t);
  return t - (hornerY + e - mV) / (d + e * 2 * TYPE_K_EXP_A1 * u);
}

function tMv(tC: number): number {
  return tC < 0 ? horner(TYPE_T_MV_NEG, tC) : horner(TYPE_T_MV_POS, tC);
}

/** One Newton step towards the type T temperature of `mV` from `t` (as kNewton). */
function tNewton(t: number, mV: number): number {
  const d = t < 0 ? hornerBoth(TYPE_T_MV_NEG, t) : hornerBoth(TYPE_T_MV_POS, t);
  return t - (hornerY - mV) / d;
}

/**
 * Type K thermoelectric voltage (mV, reference junction at 0 °C) at `tempC`, by the ITS-90
 * reference function including the exponential term above 0 °C.
 * Returns NaN outside -270..1372 °C (or for NaN input).
 */
export function typeKmVFromC(tempC: number): number {
  if (!(tempC >= TYPE_K_MIN_C && tempC <= TYPE_K_MAX_C)) return NaN;
  return kMv(tempC);
}

/**
 * Type T thermoelectric voltage (mV, reference junction at 0 °C) at `tempC`, by the ITS-90
 * reference function. Returns NaN outside -270..400 °C (or for NaN input).
 */
export function typeTmVFromC(tempC: number): number {
  if (!(tempC >= TYPE_T_MIN_C && tempC <= TYPE_T_MAX_C)) return NaN;
  return tMv(tempC);
}

/*
 * Inverse domains (mV): the wider of NIST's published ranges (K -5.891..54.886 mV,
 * T -5.603..20.872 mV, rounded to 0.001 mV) and the exact reference-function values at
 * -200 °C and at the top of the range, so that both the printed table ends and the exact
 * end voltages invert.
 */
/** Lowest type K voltage the inverse accepts (mV), about -200 °C. */
export const TYPE_K_MIN_MV = Math.min(-5.891, kMv(INVERSE_MIN_C));
/** Highest type K voltage the inverse accepts (mV), about 1372 °C. */
export const TYPE_K_MAX_MV = Math.max(54.886, kMv(TYPE_K_MAX_C));
/** Lowest type T voltage the inverse accepts (mV), about -200 °C. */
export const TYPE_T_MIN_MV = Math.min(-5.603, tMv(INVERSE_MIN_C));
/** Highest type T voltage the inverse accepts (mV), about 400 °C. */
export const TYPE_T_MAX_MV = Math.max(20.872, tMv(TYPE_T_MAX_C));

/**
 * Temperature (°C) of a type K thermocouple producing `mV` (reference junction at 0 °C).
 * Starts from the NIST inverse polynomial of the sub-range (-200..0, 0..500, 500..1372 °C) and
 * takes one Newton step on the reference function, which removes the inverse polynomial's own
 * error (up to 0.06 °C, NIST) to well under 0.001 °C. Valid for -200..1372 °C
 * (TYPE_K_MIN_MV..TYPE_K_MAX_MV); returns NaN outside it.
 */
export function typeKCFromMv(mV: number): number {
  if (!(mV >= TYPE_K_MIN_MV && mV <= TYPE_K_MAX_MV)) return NaN;
  let t: number;
  if (mV < 0) t = horner(TYPE_K_C_INV_NEG, mV);
  else if (mV < TYPE_K_INV_SPLIT_MV) t = horner(TYPE_K_C_INV_MID, mV);
  else t = horner(TYPE_K_C_INV_HIGH, mV);
  return kNewton(t, mV);
}

/**
 * Temperature (°C) of a type T thermocouple producing `mV` (reference junction at 0 °C).
 * NIST inverse polynomial (-200..0, 0..400 °C) refined by one Newton step on the reference
 * function. Valid for -200..400 °C (TYPE_T_MIN_MV..TYPE_T_MAX_MV); returns NaN outside it.
 */
export function typeTCFromMv(mV: number): number {
  if (!(mV >= TYPE_T_MIN_MV && mV <= TYPE_T_MAX_MV)) return NaN;
  const t = mV < 0 ? horner(TYPE_T_C_INV_NEG, mV) : horner(TYPE_T_C_INV_POS, mV);
  return tNewton(t, mV);
}

/** Reference-function voltage (mV) of a `tcType` thermocouple at `tempC`; NaN out of range. */
export function tcMvFromC(tcType: TcType, tempC: number): number {
  return tcType === "T" ? typeTmVFromC(tempC) : typeKmVFromC(tempC);
}

/** Temperature (°C) of a `tcType` thermocouple producing `mV`; NaN out of range. */
export function tcCFromMv(tcType: TcType, mV: number): number {
  return tcType === "T" ? typeTCFromMv(mV) : typeKCFromMv(mV);
}
