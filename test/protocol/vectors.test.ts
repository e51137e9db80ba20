// The shared vectors, both directions: every valid line decodes to its message and back; every reject line is refused with its code.
import { describe, expect, it } from "vitest";
import { decode, encode } from "../../protocol";
import { REJECT_VECTORS, VALID_VECTORS } from "../vectors/load-vectors";

describe("shared protocol vectors", () => {
  it("has vectors for every message type", () => {
    const types = new Set(VALID_VECTORS.map((v) => v.message.type));
    for (const t of ["HI", "CH", "LM", "R", "D", "A", "S", "K", "N", "HELLO", "TIME", "ACKAL", "PAUSE", "LIM", "START", "END", "MARK", "RESEND", "AK"]) expect(types.has(t as never), t).toBe(true);
  });
  for (const v of VALID_VECTORS) {
    it(`encodes ${v.message.type} seq ${v.message.seq} to ${v.line}`, () => {
      expect(encode(v.message)).toBe(v.line + "\n");
    });
    it(`decodes ${v.line}`, () => {
      expect(decode(v.line)).toEqual({ ok: true, msg: v.message });
      expect(decode(v.line + "\r\n")).toEqual({ ok: true, msg: v.message });
    });
  }
  for (const r of REJECT_VECTORS) {
    it(`rejects (${r.why}) with ${r.code}`, () => {
      const res = decode(r.line);
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res.code).toBe(r.code);
      if (r.field) expect(res.field).toBe(r.field);
    });
  }
});
