// The hand-specialised reading encoder is byte-identical to protocol encode() for every kind of value.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encode } from "../../protocol/encode";
import { FAULT_TOKENS } from "../../protocol/fields";
import { encodeReading, encodeValidReading, FAULT_PACK_BASE, packValue } from "./reading-encoder";

const value = fc.oneof(fc.integer({ min: -27000, max: 180000 }), fc.integer({ min: 1, max: 7 }).map((c) => -c));

describe("encodeReading", () => {
  it("matches encode() byte for byte (random seqs, times, readings and fault tokens)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4294967295 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.array(value, { minLength: 1, maxLength: 8 }), (seq, tMs, vs) => {
        const packed = new Int32Array(vs.map((v) => (v < 0 && v >= -7 ? packValue(0, -v) : v)));
        const expected = encode({ type: "R", seq, tMs, values: vs.map((v) => (v < 0 && v >= -7 ? FAULT_TOKENS[-v] : v)) as never });
        expect(encodeReading(seq, tMs, packed, 0, packed.length)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("encodeValidReading matches encode() byte for byte when every channel is valid", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4294967295 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.array(fc.integer({ min: -27000, max: 180000 }), { minLength: 1, maxLength: 8 }), (seq, tMs, vs) => {
        expect(encodeValidReading(seq, tMs, new Int32Array(vs))).toBe(encode({ type: "R", seq, tMs, values: vs as never }));
      }),
      { numRuns: 2000 },
    );
  });

  it("reproduces the protocol's example lines", () => {
    const v = new Int32Array([3712, 4215, FAULT_PACK_BASE - 1, -150]);
    expect(encodeReading(12, 1200, v, 0, 4)).toBe("$R,12,1200,3712,4215,OC,-150*6009AE62\n");
    const w = new Int32Array([0, -27000, 180000, FAULT_PACK_BASE - 2, FAULT_PACK_BASE - 3, FAULT_PACK_BASE - 4, FAULT_PACK_BASE - 5, FAULT_PACK_BASE - 6, FAULT_PACK_BASE - 7]);
    expect(encodeReading(4294967295, 9007199254740991, w, 1, 8)).toBe("$R,4294967295,9007199254740991,-27000,180000,SG,SV,NC,OR,SP,ND*A874F40A\n");
  });
});

describe("hex8Fast", () => {
  it("equals protocol hex8 for edge and random values", async () => {
    const { hex8 } = await import("../../protocol/crc32");
    const { hex8Fast } = await import("./hex8-fast");
    for (const v of [0, 1, 0xf, 0x10, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xffffffff]) expect(hex8Fast(v)).toBe(hex8(v));
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => hex8Fast(v) === hex8(v)), { numRuns: 5000 });
  });
});
