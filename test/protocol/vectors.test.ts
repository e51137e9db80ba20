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

describe("decodeWith and rejection context", () => {
  it("decodes against one direction's table only", async () => {
    const { decodeWith, HOST_MESSAGES, DEVICE_MESSAGES } = await import("../../protocol");
    const hello = VALID_VECTORS.find((v) => v.message.type === "HELLO")!.line;
    const reading = VALID_VECTORS.find((v) => v.message.type === "R")!.line;
    expect(decodeWith(HOST_MESSAGES, hello).ok).toBe(true);
    expect(decodeWith(HOST_MESSAGES, reading)).toEqual({ ok: false, code: "UNKNOWN_TYPE" });
    expect(decodeWith(DEVICE_MESSAGES, reading).ok).toBe(true);
  });
  it("names the command and its id when only an argument is bad, so a device can NAK it", () => {
    const r = REJECT_VECTORS.find((v) => v.why === "pause longer than 120 s")!;
    expect(decode(r.line)).toEqual({ ok: false, code: "RANGE", field: "seconds", type: "PAUSE", seq: 5 });
    const noCrc = decode("$PAUSE,5,121*00000000");
    expect(noCrc).toEqual({ ok: false, code: "BAD_CRC" });
  });
});
