// Token bucket with explicit time: burst, refill rate, clock steps.
import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../../host/ws/token-bucket";

describe("token bucket", () => {
  it("admits the burst at once, then exactly perSecond per second", () => {
    const b = new TokenBucket({ burst: 3, perSecond: 2 }, 1000);
    const at = (t: number, n: number) => Array.from({ length: n }, () => b.take(t)).filter(Boolean).length;
    expect(at(1000, 10)).toBe(3);
    expect(at(1499, 10)).toBe(0); // 0.998 of a token
    expect(at(1500, 10)).toBe(1);
    expect(at(3500, 10)).toBe(3); // 4 tokens accrued, capped at the burst
    // Over the next minute of a client sending 4 per second: 2 * 60 admitted.
    let admitted = 0;
    for (let t = 3750; t <= 63_500; t += 250) if (b.take(t)) admitted++;
    expect(admitted).toBe(120);
  });

  it("a clock stepping back neither adds nor takes tokens", () => {
    const b = new TokenBucket({ burst: 2, perSecond: 1 }, 10_000);
    expect(b.take(10_000)).toBe(true);
    expect(b.available(5_000)).toBe(1);
    expect(b.available(10_500)).toBe(1.5);
  });
});
