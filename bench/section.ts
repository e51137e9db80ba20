// The shape every benchmark module returns: a titled markdown section with its method, and the targets it checked.

/** One target measured by a benchmark: what it is, the figure, met or not. */
export interface TargetResult {
  target: string;
  figure: string;
  met: boolean;
}

export interface BenchSection {
  /** Heading of the section in BENCHMARKS.md. */
  title: string;
  /** How it was measured: what, how many runs, which statistic. */
  method: string;
  /** Markdown body: usually a table of medians and ratios. */
  body: string;
  /** Targets this benchmark checked (collected into the summary at the top of BENCHMARKS.md). */
  targets?: TargetResult[];
}
