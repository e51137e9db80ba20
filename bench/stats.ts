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
