// Alarm limits: clinical defaults with their sources, the safe bounds a LIM command may set, and the check.
import type { LimitParam, Limits } from "./message-types";

/** Dose model thresholds (fixed, not settable). Source: clinical.md, BMC Musculoskelet Disord 2022 doi 10.1186/s12891-022-05999-y. */
export const DOSE42_THRESHOLD_CC = 4220;
/** 70 degC for 5 min: the second nerve-damage model of the same paper. */
export const DOSE70_THRESHOLD_CC = 7000;
/** CEM43 reference temperature (Sapareto & Dewey 1984). */
export const CEM43_REF_C = 43;

/**
 * Safe bounds of each settable limit, in its wire unit. A LIM outside them is refused with NAK RANGE
 * by the device and by the host before it is sent. Bounds only allow settings at least as protective
 * as the clinical defaults, except DOSE42_MIN which the source itself gives as 50–60 min.
 * Units and reasons: LIMIT_DOCS in limit-docs.ts (kept apart so device bundles carry numbers only).
 */
export const LIMIT_BOUNDS: { readonly [P in LimitParam]: { readonly min: number; readonly max: number } } = {
  WARN: { min: 3800, max: 4200 },
  INTERVENE: { min: 3900, max: 4200 },
  STOP: { min: 4000, max: 4500 },
  PREDICT: { min: 5, max: 60 },
  DOSE42_MIN: { min: 50, max: 60 },
  DOSE70_MIN: { min: 1, max: 5 },
  CEM43: { min: 100, max: 1650 },
};

/** Clinical defaults (clinical.md "Dose and threshold models"): warn 40, intervene 42, stop 45 degC, predict 15 s, 50 min, 5 min, 16.5 CEM43. */
export const DEFAULT_LIMITS = {
  warnCc: 4000,
  interveneCc: 4200,
  stopCc: 4500,
  predictS: 15,
  dose42Min: 50,
  dose70Min: 5,
  cem43Limit: 1650,
};

/** The LM field a LIM parameter sets. */
export const LIMIT_FIELD: { readonly [P in LimitParam]: keyof typeof DEFAULT_LIMITS } = {
  WARN: "warnCc",
  INTERVENE: "interveneCc",
  STOP: "stopCc",
  PREDICT: "predictS",
  DOSE42_MIN: "dose42Min",
  DOSE70_MIN: "dose70Min",
  CEM43: "cem43Limit",
};

export type LimitValues = Omit<Limits, "type" | "seq">;

/**
 * Checks setting `param` to `value` given the current limits. Returns "" when allowed, "RANGE" when
 * outside LIMIT_BOUNDS, "ORDER" when it would break warn < intervene < stop.
 */
export function checkLimit(current: LimitValues, param: LimitParam, value: number): "" | "RANGE" | "ORDER" {
  const b = LIMIT_BOUNDS[param];
  if (!b || typeof value !== "number" || Math.floor(value) !== value || value < b.min || value > b.max) return "RANGE";
  const w = param === "WARN" ? value : current.warnCc;
  const i = param === "INTERVENE" ? value : current.interveneCc;
  const s = param === "STOP" ? value : current.stopCc;
  return w < i && i < s ? "" : "ORDER";
}
