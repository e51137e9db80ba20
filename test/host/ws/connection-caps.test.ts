// Connection caps: per address and in total, slots given back on close.
import { describe, expect, it } from "vitest";
import { ConnectionCaps } from "../../../host/ws/connection-caps";

describe("connection caps", () => {
  it("refuses the 17th connection from one address and the 65th in total; a closed one frees its slot", () => {
    const c = new ConnectionCaps();
    const results = Array.from({ length: 20 }, () => c.acquire("10.0.0.1"));
    expect(results.filter((r) => r === null)).toHaveLength(16);
    expect(results.slice(16)).toEqual(Array(4).fill("TOO_MANY_FROM_ADDRESS"));
    for (let i = 0; i < 48; i++) expect(c.acquire("10.0.1." + i)).toBeNull();
    expect(c.count).toBe(64);
    expect(c.acquire("10.0.2.1")).toBe("TOO_MANY_CONNECTIONS");
    c.release("10.0.1.0");
    expect(c.acquire("10.0.2.1")).toBeNull();
    c.release("10.0.0.1");
    c.release("never-seen");
    expect(c.count).toBe(63);
  });
});
