// Control token: strength of a configured one (and of the generated one), the command line and startBridge refusing a weak one.
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../apps/main";
import { startBridge } from "../../../host/bridge";
import { checkTokenStrength, generateToken, tokenEquals } from "../../../host/ws/token";

afterEach(() => vi.restoreAllMocks());

describe("token strength", () => {
  it("refuses short, repetitive, low-variety and unsendable tokens, with the reason", () => {
    expect(checkTokenStrength("tok")).toBe("3 characters; at least 16 needed");
    expect(checkTokenStrength("test-token")).toMatch(/^10 characters/);
    expect(checkTokenStrength("aaaaaaaaaaaaaaaaaaaaaaaa")).toBe("only 1 different characters; at least 8 needed");
    expect(checkTokenStrength("1234567890123456")).toBe("about 53 bits; at least 64 needed (longer, or mix letters, digits and signs)");
    expect(checkTokenStrength("correct horse battery")).toBe("use printable ASCII without spaces");
    expect(checkTokenStrength("x1".repeat(40) + "abcdefghij".repeat(5))).toMatch(/^130 characters; at most 128/);
  });

  it("accepts strong tokens: openssl rand -hex 16, a 20-character mixed one, and 1,000 generated ones", () => {
    expect(checkTokenStrength("3f1c9a0be2d47c55a1f08e9b6d2c4471")).toBeNull();
    expect(checkTokenStrength("Ward7-Theatre-2-Pm!")).toBeNull();
    for (let i = 0; i < 1000; i++) {
      const t = generateToken();
      expect(t).toMatch(/^[0-9a-f]{32}$/);
      expect(checkTokenStrength(t)).toBeNull();
    }
  });

  it("compares in constant time over hashes: equal only for the same string", () => {
    expect(tokenEquals("3f1c9a0be2d47c55a1f08e9b6d2c4471", "3f1c9a0be2d47c55a1f08e9b6d2c4471")).toBe(true);
    expect(tokenEquals("3f1c9a0be2d47c55a1f08e9b6d2c447", "3f1c9a0be2d47c55a1f08e9b6d2c4471")).toBe(false);
    expect(tokenEquals(42, "42")).toBe(false);
  });

  it("bridge and demo refuse a weak --token before opening anything: exit 1, code WEAK_TOKEN", async () => {
    const err: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((s) => (err.push(String(s)), true));
    expect(await main(["node", "thermoguard", "bridge", "--port", "/dev/tg-none", "--token", "tok"])).toBe(1);
    expect(await main(["node", "thermoguard", "demo", "--token", "abababababababababab"])).toBe(1);
    expect(err[0]).toBe("thermoguard: --token: too weak to guard control of the device (3 characters; at least 16 needed); leave --token out to have a strong one generated [WEAK_TOKEN]\n");
    expect(err[1]).toMatch(/^thermoguard: --token: too weak .*\(only 2 different characters; at least 8 needed\).*\[WEAK_TOKEN\]\n$/);
  });

  it("startBridge (the library) refuses a weak or empty token before opening the port or listening", async () => {
    // The port does not exist: a bridge that got as far as opening it would fail with PORT_NOT_FOUND instead.
    await expect(startBridge({ port: "/dev/tg-none", listen: "127.0.0.1:0", recordDir: null, token: "tok" })).rejects.toThrow(
      "token: too weak to guard control of the device (3 characters; at least 16 needed); leave it out to have a strong one generated",
    );
    await expect(startBridge({ port: "/dev/tg-none", listen: "127.0.0.1:0", recordDir: null, token: "  " })).rejects.toThrow(/^token: an empty control token/);
  });
});
