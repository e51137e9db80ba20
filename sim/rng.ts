// Small deterministic random numbers: a seeded stream (mulberry32) and a counter-based hash.

/** 2^-32, turns a uint32 into [0, 1). */
const UINT32_TO_UNIT = 1 / 4294967296;

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit seeded generator, enough for
 * simulation noise. Same seed -> same sequence on every platform.
 */
export class Mulberry32 {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) * UINT32_TO_UNIT;
  }

  /** Standard normal (Box-Muller). */
  nextGaussian(): number {
    const u1 = Math.max(this.next(), UINT32_TO_UNIT);
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

/** Integer finaliser (murmur3 fmix32): spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Counter-based uniform in [0, 1) for the tuple (seed, a, b, salt). A pure function: the noise of
 * a sample depends only on its channel and instant, never on how often read() was called before.
 * `b` may be any non-negative integer up to 2^53 (e.g. a time in microseconds).
 */
export function hashUniform(seed: number, a: number, b: number, salt = 0): number {
  const bLo = b >>> 0;
  const bHi = Math.floor(b / 4294967296) >>> 0;
  let h = fmix32((seed >>> 0) ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(a >>> 0, 0x27d4eb2f));
  h = fmix32(h ^ bLo);
  h = fmix32(h ^ Math.imul(bHi, 0x165667b1));
  h = fmix32(h ^ Math.imul(salt >>> 0, 0xd3a2646c));
  return h * UINT32_TO_UNIT;
}

/** Counter-based standard normal for (seed, a, b, salt), Box-Muller on two hashed uniforms. */
export function hashGaussian(seed: number, a: number, b: number, salt = 0): number {
  const u1 = Math.max(hashUniform(seed, a, b, salt * 2 + 1), UINT32_TO_UNIT);
  const u2 = hashUniform(seed, a, b, salt * 2 + 2);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
