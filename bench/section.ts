// The shape every benchmark module returns: a titled markdown section with its method.

export interface BenchSection {
  /** Heading of the section in BENCHMARKS.md. */
  title: string;
  /** How it was measured: what, how many runs, which statistic. */
  method: string;
  /** Markdown body: usually a table of medians and ratios. */
  body: string;
}
