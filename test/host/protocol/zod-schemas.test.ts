// The host's zod stage: accepts exactly what the declaration table allows, for every device message type.
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { DEVICE_MESSAGES, decode, encode, type Field } from "../../../protocol";
import { DEVICE_MESSAGE_SCHEMAS, validateDeviceMessage } from "../../../host/protocol/zod-schemas";
import { VALID_VECTORS } from "../../vectors/load-vectors";
import { messageArb } from "../../protocol/arbitraries";

const TABLE = DEVICE_MESSAGES as unknown as Record<string, readonly Field[]>;
const DEVICE_TYPES = Object.keys(TABLE);

describe("device message zod schemas", () => {
  it("has one schema per device message type", () => {
    expect(Object.keys(DEVICE_MESSAGE_SCHEMAS).sort()).toEqual([...DEVICE_TYPES].sort());
  });

  it("accepts every shared valid vector of a device type, as decoded", () => {
    const device = VALID_VECTORS.filter((v) => DEVICE_TYPES.includes(v.message.type));
    expect(device.length).toBeGreaterThan(5);
    for (const v of device) {
      const d = decode(v.line);
      expect(d.ok).toBe(true);
      if (d.ok) expect(validateDeviceMessage(d.msg)).toEqual({ ok: true, msg: d.msg });
    }
  });

  it("accepts every decodable random device message (property)", () => {
    fc.assert(
      fc.property(fc.oneof(...DEVICE_TYPES.map(messageArb)), (m) => {
        const d = decode(encode(m));
        return d.ok && validateDeviceMessage(d.msg).ok;
      }),
      { numRuns: 2000 },
    );
  });

  it("rejects each field out of bounds, with the field's path", () => {
    for (const type of DEVICE_TYPES) {
      for (const f of TABLE[type]) {
        const m = fc.sample(messageArb(type), { numRuns: 1, seed: 7 })[0] as unknown as Record<string, unknown>;
        const bad =
          f.k === "int" ? f.max + 1 : f.k === "enum" ? "NOPE" : f.k === "text" ? "a$b" : f.k === "hex" ? -1 : [4000, "XX"];
        const r = validateDeviceMessage({ ...m, [f.n]: bad });
        expect(r.ok, type + "." + f.n).toBe(false);
        if (!r.ok) expect(r.path.split(".")[0]).toBe(f.n);
      }
    }
  });

  it("rejects a missing field, an extra field, an unknown type and non-objects", () => {
    const m = decode("$K,5,42,1000,0*" + "00000000");
    expect(m.ok).toBe(false); // sanity: a wrong CRC never reaches this stage
    const k = { type: "K", seq: 5, cmd: 42, tMs: 1000, info: 0 };
    expect(validateDeviceMessage(k).ok).toBe(true);
    expect(validateDeviceMessage({ ...k, extra: 1 })).toMatchObject({ ok: false, code: "unrecognized_keys" });
    const { info: _info, ...noInfo } = k;
    expect(validateDeviceMessage(noInfo)).toMatchObject({ ok: false, path: "info" });
    expect(validateDeviceMessage({ ...k, type: "HELLO" })).toMatchObject({ ok: false, path: "type" });
    expect(validateDeviceMessage(null).ok).toBe(false);
    expect(validateDeviceMessage("$K").ok).toBe(false);
    expect(validateDeviceMessage({ ...k, cmd: 1.5 })).toMatchObject({ ok: false, path: "cmd" });
    expect(validateDeviceMessage({ ...k, cmd: "42" })).toMatchObject({ ok: false, path: "cmd" });
  });

  it("answers the same before and after a type's schema is compiled (valid, each field out of bounds, extra, missing)", async () => {
    vi.resetModules(); // a fresh module: no type used yet
    const fresh = await import("../../../host/protocol/zod-schemas");
    for (const type of DEVICE_TYPES) {
      const m = fc.sample(messageArb(type), { numRuns: 1, seed: 11 })[0] as unknown as Record<string, unknown>;
      const cases: unknown[] = [m, { ...m, extra: 1 }];
      for (const f of TABLE[type]) {
        const { [f.n]: _gone, ...missing } = m;
        const bad = f.k === "int" ? f.max + 1 : f.k === "enum" ? "NOPE" : f.k === "text" ? "a$b" : f.k === "hex" ? -1 : [4000, "XX"];
        cases.push({ ...m, [f.n]: bad }, missing);
      }
      expect(cases.length, type).toBeLessThan(fresh.COMPILE_AFTER_USES); // all of the first pass is interpreted
      const interpreted = cases.map((c) => fresh.validateDeviceMessage(c));
      expect(interpreted[0]).toEqual({ ok: true, msg: m });
      for (let i = 0; i < fresh.COMPILE_AFTER_USES; i++) fresh.validateDeviceMessage(m);
      expect(cases.map((c) => fresh.validateDeviceMessage(c)), type).toEqual(interpreted);
    }
  });

  it("decode and the zod stage accept 20,000 R lines of 8 channels in a row (their speed is measured by npm run bench: codec, capacity)", () => {
    const line = encode({ type: "R", seq: 1, tMs: 1000, values: [3712, 4215, 3800, 3700, 3650, 4000, "OC", 3900] } as never);
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const d = decode(line);
      if (d.ok && validateDeviceMessage(d.msg).ok) accepted++;
    }
    expect(accepted).toBe(20_000);
  });
});
