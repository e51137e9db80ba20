// The case fields of a procedure (pseudonymous case id, procedure, modality, operator, probe placements).
import * as z from "zod";

/** Treatment modalities a case names (microwave ablation, radiofrequency, high-intensity focused ultrasound). */
export const MODALITIES = ["MWA", "RF", "HIFU", "other"] as const;
export type Modality = (typeof MODALITIES)[number];

/** Longest text of a case field, characters. */
export const CASE_TEXT_MAX_CHARS = 80;
const caseText = () => z.string().max(CASE_TEXT_MAX_CHARS);

/**
 * The case fields of a procedure. Every field is optional: a case record sets the fields it names and
 * leaves the others as the previous case records set them (null clears a field).
 */
export const CaseFields = z.object({
  /** Pseudonymous case / patient id (never a name). */
  caseId: caseText().nullable().optional(),
  procedure: caseText().nullable().optional(),
  modality: z.enum(MODALITIES).nullable().optional(),
  /** The modality's name when modality is "other". */
  modalityOther: caseText().nullable().optional(),
  operator: caseText().nullable().optional(),
  /** Where each probe sits ("left L4 foramen"), by channel index; a null placement clears it. */
  placements: z
    .array(z.object({ ch: z.int().min(0).max(63), placement: caseText().nullable() }))
    .max(64)
    .optional(),
});
export type CaseFields = z.infer<typeof CaseFields>;
