// fast-check arbitraries for protocol messages, derived from the declaration table (no per-message code).
import fc from "fast-check";
import { FAULT_TOKENS, MESSAGES, SEQ_FIELD, TEMP_MAX_CC, TEMP_MIN_CC, TEXT_FORBIDDEN, type Field, type Message } from "../../protocol";

const TEXT_CHARS: string[] = [];
for (let c = 32; c < 127; c++) if (TEXT_FORBIDDEN.indexOf(String.fromCharCode(c)) < 0) TEXT_CHARS.push(String.fromCharCode(c));

function intArb(min: number, max: number): fc.Arbitrary<number> {
  return fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number);
}

/** An arbitrary valid value for one declared field. */
export function fieldArb(f: Field): fc.Arbitrary<unknown> {
  switch (f.k) {
    case "int":
      return fc.oneof(intArb(f.min, f.max), fc.constantFrom(f.min, f.max));
    case "enum":
      return fc.constantFrom(...f.v);
    case "text":
      return fc.string({ minLength: f.min, maxLength: f.max, unit: fc.constantFrom(...TEXT_CHARS) });
    case "hex":
      return intArb(0, 0xffffffff);
    case "temps":
      return fc.array(fc.oneof(intArb(TEMP_MIN_CC, TEMP_MAX_CC), fc.constantFrom(...FAULT_TOKENS.slice(1))), { minLength: 1, maxLength: 8 });
  }
}

const TABLE = MESSAGES as unknown as Record<string, readonly Field[]>;

/** An arbitrary valid message of the given type. */
export function messageArb(type: string): fc.Arbitrary<Message> {
  const rec: Record<string, fc.Arbitrary<unknown>> = { type: fc.constant(type), seq: fieldArb(SEQ_FIELD) };
  for (const f of TABLE[type]) rec[f.n] = fieldArb(f);
  return fc.record(rec) as unknown as fc.Arbitrary<Message>;
}

/** An arbitrary valid message of any type. */
export const anyMessageArb: fc.Arbitrary<Message> = fc.oneof(...Object.keys(TABLE).map(messageArb));

/** The widest message of a type: every field at its longest text form (for the line-length budget). */
export function widestMessage(type: string): Message {
  const m: Record<string, unknown> = { type: type, seq: SEQ_FIELD.max };
  for (const f of TABLE[type]) {
    if (f.k === "int") m[f.n] = String(f.min).length > String(f.max).length ? f.min : f.max;
    else if (f.k === "enum") m[f.n] = [...f.v].sort((a, b) => b.length - a.length)[0];
    else if (f.k === "text") m[f.n] = "W".repeat(f.max);
    else if (f.k === "hex") m[f.n] = 0xffffffff;
    else m[f.n] = new Array(8).fill(TEMP_MIN_CC);
  }
  return m as unknown as Message;
}
