// The positional line encoder gives the same bytes as protocol encode() for every device line type.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hex8 } from "../../protocol/crc32";
import { encode } from "../../protocol/encode";
import { DEVICE_MESSAGES } from "../../protocol/messages";
import type { Field } from "../../protocol/fields";
import { VALID_VECTORS } from "../../test/vectors/load-vectors";
import { encodeLine } from "./line-encoder";

const TABLE = DEVICE_MESSAGES as unknown as Record<string, readonly Field[]>;

/** The positional values encodeLine takes for a typed message (hex fields pre-formatted). */
function positional(msg: Record<string, unknown>): (string | number)[] {
  return TABLE[msg.type as string].map((f) => (f.k === "hex" ? hex8(msg[f.n] as number) : (msg[f.n] as string | number)));
}

function arb(f: Field): fc.Arbitrary<unknown> {
  switch (f.k) {
    case "int":
      return fc.integer({ min: Math.max(f.min, Number.MIN_SAFE_INTEGER), max: Math.min(f.max, Number.MAX_SAFE_INTEGER) });
    case "enum":
      return fc.constantFrom(...f.v);
    case "text":
      return fc.string({ minLength: f.min, maxLength: f.max, unit: fc.constantFrom(..."abcXYZ019 -_.:/()".split("")) });
    case "hex":
      return fc.integer({ min: 0, max: 0xffffffff });
    case "temps":
      return fc.constant([1]);
  }
}

describe("encodeLine", () => {
  it("matches encode() on the shared vectors", () => {
    for (const v of VALID_VECTORS) {
      const m = v.message as unknown as Record<string, unknown>;
      if (!(m.type as string in TABLE) || m.type === "R") continue;
      expect(encodeLine(m.type as string, m.seq as number, positional(m))).toBe(v.line + "\n");
    }
  });

  for (const type of Object.keys(TABLE).filter((t) => t !== "R")) {
    it(`matches encode() for random ${type} lines`, () => {
      const rec: Record<string, fc.Arbitrary<unknown>> = { seq: fc.integer({ min: 0, max: 4294967295 }) };
      for (const f of TABLE[type]) rec[f.n] = arb(f);
      fc.assert(
        fc.property(fc.record(rec), (r) => {
          const msg = { type, ...r };
          expect(encodeLine(type, r.seq as number, positional(msg))).toBe(encode(msg as never));
        }),
        { numRuns: 300 },
      );
    });
  }
});
