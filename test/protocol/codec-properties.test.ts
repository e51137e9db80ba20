// Property tests of the codec: round trip, no throw on any input, every single-byte corruption rejected, size budget.
import fc from "fast-check";
import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { MAX_FRAME_BYTES, MAX_LINE_BYTES, MESSAGES, crc32, decode, encode } from "../../protocol";
import { VALID_VECTORS } from "../vectors/load-vectors";
import { anyMessageArb, widestMessage } from "./arbitraries";

describe("codec properties", () => {
  it("decode(encode(m)) equals m for generated valid messages of every type", () => {
    fc.assert(
      fc.property(anyMessageArb, (m) => {
        const line = encode(m);
        expect(line.length).toBeLessThanOrEqual(MAX_FRAME_BYTES + 1);
        expect(decode(line)).toEqual({ ok: true, msg: m });
      }),
      { numRuns: 20000 },
    );
  });

  it("every message type fits the line budget at its widest", () => {
    for (const type of Object.keys(MESSAGES)) {
      const line = encode(widestMessage(type));
      expect(line.length + 1, type).toBeLessThanOrEqual(MAX_LINE_BYTES);
    }
  });

  it("never throws, whatever the input string", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: "binary", maxLength: 200 }), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString("latin1"))), (s) => {
        const r = decode(s);
        expect(typeof r.ok).toBe("boolean");
      }),
      { numRuns: 20000 },
    );
  });

  it("never throws on mutations of valid lines (delete, insert, swap)", () => {
    const lines = VALID_VECTORS.map((v) => v.line);
    fc.assert(
      fc.property(fc.constantFrom(...lines), fc.nat(200), fc.nat(255), fc.constantFrom("del", "ins", "dup"), (line, pos, byte, op) => {
        const p = pos % (line.length + 1);
        const c = String.fromCharCode(byte);
        const mutated = op === "del" ? line.slice(0, p) + line.slice(p + 1) : op === "ins" ? line.slice(0, p) + c + line.slice(p) : line.slice(0, p) + line.slice(p - 1);
        const r = decode(mutated);
        // Anything accepted must be exactly the canonical line (a trailing "\n" / "\r" is framing, not content).
        if (r.ok) expect(encode(r.msg).slice(0, -1)).toBe(mutated.replace(/\r?\n?$/, ""));
      }),
      { numRuns: 20000 },
    );
  });

  it("rejects every single-byte substitution of every valid vector line (all 255 other byte values, every position)", () => {
    let cases = 0;
    for (const { line } of VALID_VECTORS) {
      for (let i = 0; i < line.length; i++) {
        for (let b = 0; b < 256; b++) {
          if (b === line.charCodeAt(i)) continue;
          const bad = line.slice(0, i) + String.fromCharCode(b) + line.slice(i + 1);
          const r = decode(bad);
          if (r.ok) throw new Error(`accepted corruption at ${i} -> ${b}: ${bad}`);
          cases++;
        }
      }
    }
    expect(cases).toBe(VALID_VECTORS.reduce((n, v) => n + v.line.length * 255, 0));
  });

  it("crc32 equals Node's zlib.crc32 (and so Espruino's E.CRC32) for any ASCII string", () => {
    expect(crc32("hello")).toBe(0x3610a686);
    expect(crc32("")).toBe(0);
    fc.assert(fc.property(fc.string({ unit: "binary-ascii", maxLength: 200 }), (s) => crc32(s) === zlibCrc32(s)), { numRuns: 5000 });
  });

  it("encode refuses values outside the declaration, naming the field", () => {
    expect(() => encode({ type: "R", seq: 1, tMs: 0, values: [180001] })).toThrow(/R\.values/);
    expect(() => encode({ type: "R", seq: -1, tMs: 0, values: [1] })).toThrow(/R\.seq/);
    expect(() => encode({ type: "PAUSE", seq: 1, seconds: 121 })).toThrow(/PAUSE\.seconds/);
    expect(() => encode({ type: "MARK", seq: 1, text: "a,b" })).toThrow(/MARK\.text/);
    expect(() => encode({ type: "CH", seq: 1, ch: 0, label: "x", role: "spine" as never, tc: "K", chip: "SIM" })).toThrow(/CH\.role/);
  });
});
