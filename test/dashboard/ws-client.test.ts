// Frame validation (every message through the zod schemas, bad ones counted not thrown) and reconnect backoff.
import { describe, expect, it } from "vitest";
import { backoffMs, parseFrame, RECONNECT_MAX_MS, RECONNECT_MIN_MS } from "../../host/dashboard/ws-client";

const readings = { type: "readings", rows: [{ seq: 1, tMs: 100, atMs: 1e12, valuesCc: [3700, "OC"] }] };

describe("parseFrame", () => {
  it("accepts an array of valid messages in order", () => {
    const r = parseFrame(JSON.stringify([readings, { type: "auth", control: true }]));
    expect(r.bad).toEqual([]);
    expect(r.messages.map((m) => m.type)).toEqual(["readings", "auth"]);
  });

  it("keeps the good messages of a frame and reports the bad one with its path", () => {
    const r = parseFrame(JSON.stringify([readings, { type: "readings", rows: [{ seq: -1, tMs: 0, atMs: 0, valuesCc: [] }] }, { type: "nope" }]));
    expect(r.messages).toHaveLength(1);
    expect(r.bad.map((b) => b.code)).toEqual(["BAD_MESSAGE", "BAD_MESSAGE"]);
    expect(r.bad[0]!.detail).toMatch(/^message 1 \(type readings\): rows\.0\.seq: /);
  });

  it("reports non-JSON and non-array frames without throwing", () => {
    expect(parseFrame("{").bad[0]!.code).toBe("BAD_JSON");
    expect(parseFrame("{}").bad[0]!.code).toBe("NOT_ARRAY");
    expect(parseFrame("[]").bad[0]!.code).toBe("NOT_ARRAY");
    expect(parseFrame("null").bad[0]!.code).toBe("NOT_ARRAY");
  });
});

describe("backoffMs", () => {
  it("doubles from the minimum to the maximum with +-20 % jitter", () => {
    expect(backoffMs(0, 0.5)).toBe(RECONNECT_MIN_MS);
    expect(backoffMs(1, 0.5)).toBe(2 * RECONNECT_MIN_MS);
    expect(backoffMs(20, 0.5)).toBe(RECONNECT_MAX_MS);
    expect(backoffMs(0, 0)).toBe(0.8 * RECONNECT_MIN_MS);
    expect(backoffMs(20, 0.999999)).toBeLessThanOrEqual(1.2 * RECONNECT_MAX_MS);
  });
});
