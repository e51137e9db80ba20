// Summary statistics for benchmarks: percentiles over repeated runs.

/** The p-th percentile (0..100) of a list of numbers, nearest-rank on a sorted copy. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** Formats a number with thousands separators and a fixed number of decimals. */
export function fmt(x: number, decimals = 0): string {
  return x.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** p50 / p99 / max and count of a sample, for latency tables. */
export interface Spread {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function spread(xs: readonly number[]): Spread {
  return { n: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99), max: xs.length ? Math.max(...xs) : NaN };
}

/** "12.3 / 45.6 / 78.9" with `decimals` places (p50 / p99 / max). */
export function fmtSpread(s: Spread, decimals = 2): string {
  return `${s.p50.toFixed(decimals)} / ${s.p99.toFixed(decimals)} / ${s.max.toFixed(decimals)}`;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
