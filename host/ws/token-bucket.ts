// A token bucket with explicit time: `burst` requests at once, then `perSecond` on average.

/** Shape of one bucket. */
export interface BucketSpec {
  /** Requests allowed at once (the bucket's size). */
  burst: number;
  /** Tokens added per second, up to `burst`. */
  perSecond: number;
}

/** One bucket; time is passed in (monotonic ms), so it is tested without clocks. */
export class TokenBucket {
  private tokens: number;
  private atMs: number;

  constructor(
    readonly spec: BucketSpec,
    nowMs: number,
  ) {
    this.tokens = spec.burst;
    this.atMs = nowMs;
  }

  /** Takes one token when there is one; false means the request is over the rate. */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Tokens available at `nowMs` (fractional). */
  available(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens;
  }

  private refill(nowMs: number): void {
    // A clock that steps back adds nothing (and does not take tokens away).
    const elapsedMs = Math.max(0, nowMs - this.atMs);
    this.atMs = Math.max(this.atMs, nowMs);
    this.tokens = Math.min(this.spec.burst, this.tokens + (elapsedMs * this.spec.perSecond) / 1000);
  }
}
