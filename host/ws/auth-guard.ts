// Token-guess lock-out with explicit time: after a few wrong tokens per connection or per remote address, exponential waits.

/** Lock-out policy. */
export interface AuthGuardLimits {
  /** Wrong tokens per key before the first lock-out (the one that reaches it locks). */
  freeFailures: number;
  /** First lock-out; each further failure doubles it. */
  baseLockMs: number;
  /** Longest lock-out. */
  maxLockMs: number;
  /** A key with no failure for this long is forgotten (its count starts again at 0). */
  forgetAfterMs: number;
  /** Keys tracked at most; beyond it the least recently failed is forgotten. */
  maxKeys: number;
}

/** 5 wrong tokens, then waits of 1 s, 2 s, 4 s, ... up to 60 s between guesses; forgotten after 15 min; 4096 keys. */
export const DEFAULT_AUTH_GUARD_LIMITS: AuthGuardLimits = { freeFailures: 5, baseLockMs: 1000, maxLockMs: 60_000, forgetAfterMs: 15 * 60_000, maxKeys: 4096 };

interface Entry {
  failures: number;
  lastFailMs: number;
  lockedUntilMs: number;
}

/** What the guard says about a guess. */
export type AuthVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Counts failed token guesses per key ("conn:<id>", "addr:<ip>") and refuses guesses while a key is locked.
 * A locked guess is refused without comparing the token, so guessing stays slow however many connections try.
 */
export class AuthGuard {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly limits: AuthGuardLimits = DEFAULT_AUTH_GUARD_LIMITS) {}

  /** Whether a guess may be compared now, for every key it comes under. */
  check(keys: readonly string[], nowMs: number): AuthVerdict {
    let until = 0;
    for (const k of keys) {
      const e = this.live(k, nowMs);
      if (e && e.lockedUntilMs > nowMs) until = Math.max(until, e.lockedUntilMs);
    }
    return until > nowMs ? { allowed: false, retryAfterMs: until - nowMs } : { allowed: true };
  }

  /** A compared guess was wrong: counted under every key; beyond freeFailures the key locks. */
  fail(keys: readonly string[], nowMs: number): void {
    for (const k of keys) {
      const e = this.live(k, nowMs) ?? { failures: 0, lastFailMs: nowMs, lockedUntilMs: 0 };
      e.failures++;
      e.lastFailMs = nowMs;
      // The freeFailures-th failure locks for baseLockMs, each later one for twice the one before.
      const over = e.failures - this.limits.freeFailures;
      if (over >= 0) e.lockedUntilMs = nowMs + Math.min(this.limits.maxLockMs, this.limits.baseLockMs * 2 ** Math.min(over, 30));
      this.entries.delete(k); // re-inserted last: the Map's order is least recently failed first
      this.entries.set(k, e);
    }
    while (this.entries.size > this.limits.maxKeys) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets one key: a connection that gave the right token or closed (an address keeps its count: others there may be guessing). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Keys tracked now (for tests and counters). */
  get size(): number {
    return this.entries.size;
  }

  private live(k: string, nowMs: number): Entry | undefined {
    const e = this.entries.get(k);
    if (e && nowMs - e.lastFailMs > this.limits.forgetAfterMs && e.lockedUntilMs <= nowMs) {
      this.entries.delete(k);
      return undefined;
    }
    return e;
  }
}
