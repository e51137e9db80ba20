// Token-guess lock-out with explicit time: free failures, doubling waits, per connection and per address, forgetting, key cap.
import { describe, expect, it } from "vitest";
import { AuthGuard, DEFAULT_AUTH_GUARD_LIMITS } from "../../../host/ws/auth-guard";

/** A guesser that tries as fast as the guard lets it: how many tokens get compared between t0 and t1. */
function guessesCompared(g: AuthGuard, keys: string[], t0: number, t1: number, stepMs = 1): number {
  let compared = 0;
  for (let t = t0; t < t1; t += stepMs) {
    if (!g.check(keys, t).allowed) continue;
    compared++;
    g.fail(keys, t);
  }
  return compared;
}

describe("auth guard", () => {
  it("5 wrong tokens free, then waits of 1 s, 2 s, 4 s ... capped at 60 s", () => {
    const g = new AuthGuard();
    const k = ["conn:1", "addr:10.0.0.9"];
    for (let i = 0; i < 5; i++) {
      expect(g.check(k, 0).allowed).toBe(true);
      g.fail(k, 0);
    }
    expect(g.check(k, 0)).toEqual({ allowed: false, retryAfterMs: 1000 });
    expect(g.check(k, 999).allowed).toBe(false);
    expect(g.check(k, 1000).allowed).toBe(true);
    g.fail(k, 1000);
    expect(g.check(k, 1000)).toEqual({ allowed: false, retryAfterMs: 2000 });
    g.fail(k, 3000);
    expect(g.check(k, 3000)).toEqual({ allowed: false, retryAfterMs: 4000 });
    for (let i = 0; i < 20; i++) g.fail(k, 10_000);
    expect(g.check(k, 10_000)).toEqual({ allowed: false, retryAfterMs: 60_000 });
  });

  it("an attacker at full speed gets 19 guesses compared in the first 10 minutes, on any number of connections from one address", () => {
    // 5 at once, then at 1, 3, 7, 15, 31, 63 s (waits doubling from 1 s), then one per 60 s: 123, 183, ... 543 s.
    const one = new AuthGuard();
    const alone = guessesCompared(one, ["conn:1", "addr:a"], 0, 600_000);
    const many = new AuthGuard();
    let compared = 0;
    for (let t = 0; t < 600_000; t += 1) {
      const keys = ["conn:" + (t % 4), "addr:a"]; // four connections, one address
      if (!many.check(keys, t).allowed) continue;
      compared++;
      many.fail(keys, t);
    }
    expect(alone).toBe(5 + 6 + 8);
    expect(compared).toBe(alone);
  });

  it("another address is not locked by this one; an address is forgotten after 15 min without failures", () => {
    const g = new AuthGuard();
    for (let i = 0; i < 6; i++) g.fail(["conn:1", "addr:a"], 0);
    expect(g.check(["conn:2", "addr:b"], 0).allowed).toBe(true);
    expect(g.check(["conn:3", "addr:a"], 0).allowed).toBe(false);
    const later = DEFAULT_AUTH_GUARD_LIMITS.forgetAfterMs + 1;
    expect(g.check(["conn:3", "addr:a"], later).allowed).toBe(true);
    g.fail(["conn:3", "addr:a"], later);
    expect(g.check(["conn:3", "addr:a"], later).allowed).toBe(true); // counting starts again at 1
  });

  it("keeps at most maxKeys keys (least recently failed forgotten first)", () => {
    const g = new AuthGuard({ ...DEFAULT_AUTH_GUARD_LIMITS, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) g.fail(["addr:" + i], i);
    expect(g.size).toBe(100);
    for (let i = 0; i < 6; i++) g.fail(["addr:x"], 20_000);
    expect(g.check(["addr:x"], 20_000).allowed).toBe(false);
  });
});
