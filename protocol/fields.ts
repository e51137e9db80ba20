// Field kinds of the wire protocol: one constructor per kind, carrying name, unit and bounds.

/** Unsigned or signed integer in [min, max], canonical decimal on the wire ("0", "-5", never "007" or "+5"). */
export interface IntField<N extends string = string> {
  readonly n: N;
  readonly k: "int";
  readonly min: number;
  readonly max: number;
  /** Unit of the integer, e.g. "ms", "cC" (centi-degC), "permille". */
  readonly u: string;
}
/** One token out of a fixed list. */
export interface EnumField<N extends string = string, V extends string = string> {
  readonly n: N;
  readonly k: "enum";
  readonly v: readonly V[];
}
/** Printable ASCII without "$ , * \", length in [min, max]. */
export interface TextField<N extends string = string> {
  readonly n: N;
  readonly k: "text";
  readonly min: number;
  readonly max: number;
}
/** Unsigned 32-bit number written as exactly 8 upper-case hex digits (ids, hashes). */
export interface HexField<N extends string = string> {
  readonly n: N;
  readonly k: "hex";
}
/** Rest of the line: one entry per channel, a centi-degC integer or a two-letter fault token. */
export interface TempsField<N extends string = string> {
  readonly n: N;
  readonly k: "temps";
}

export type Field = IntField | EnumField | TextField | HexField | TempsField;

/** Two-letter fault tokens in a reading, index = fault code of device/source.ts (0 = valid, unused). */
export const FAULT_TOKENS = ["", "OC", "SG", "SV", "NC", "OR", "SP", "ND"] as const;
export type FaultToken = Exclude<(typeof FAULT_TOKENS)[number], "">;
/** One channel's value in a reading: centi-degC, or a fault token. */
export type ChannelValue = number | FaultToken;

/* @__NO_SIDE_EFFECTS__ */
export function int<N extends string>(n: N, min: number, max: number, u: string): IntField<N> {
  return { n: n, k: "int", min: min, max: max, u: u };
}
/* @__NO_SIDE_EFFECTS__ */
export function enm<N extends string, const V extends readonly string[]>(n: N, v: V): EnumField<N, V[number]> {
  return { n: n, k: "enum", v: v };
}
/* @__NO_SIDE_EFFECTS__ */
export function text<N extends string>(n: N, min: number, max: number): TextField<N> {
  return { n: n, k: "text", min: min, max: max };
}
/* @__NO_SIDE_EFFECTS__ */
export function hex<N extends string>(n: N): HexField<N> {
  return { n: n, k: "hex" };
}
/* @__NO_SIDE_EFFECTS__ */
export function temps<N extends string>(n: N): TempsField<N> {
  return { n: n, k: "temps" };
}

/** The TypeScript value type a field decodes to. */
export type FieldValue<F> = F extends EnumField<string, infer V>
  ? V
  : F extends TextField
    ? string
    : F extends TempsField
      ? ChannelValue[]
      : number;
