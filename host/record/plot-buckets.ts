// Bounded plot data for a recording of any length: per channel, the min and max of each time bucket (peaks survive downsampling).

/** Buckets per plot: about two per pixel column of the report's plot. */
export const PLOT_BUCKETS = 600;
/** Width of a bucket at first, ms; doubled (neighbours merged) whenever the recording outgrows the buckets. */
export const FIRST_BUCKET_MS = 500;

/** One channel's series: min and max per bucket, NaN where the bucket holds no valid sample. */
export interface BucketSeries {
  min: Float64Array;
  max: Float64Array;
}

/** Min / max per bucket for every channel; memory is PLOT_BUCKETS x channels whatever the recording's length. */
export class PlotBuckets {
  /** Start of bucket 0, wall ms (the first sample added). */
  startMs: number | null = null;
  widthMs: number;
  readonly series: BucketSeries[] = [];

  constructor(
    readonly count = PLOT_BUCKETS,
    firstWidthMs = FIRST_BUCKET_MS,
  ) {
    this.widthMs = firstWidthMs;
  }

  /** Adds a valid sample of channel `ch` (centi-degC) at wall time atMs (earlier than the first sample: bucket 0). */
  add(ch: number, atMs: number, cc: number): void {
    if (this.startMs === null) this.startMs = atMs;
    let i = Math.floor((atMs - this.startMs) / this.widthMs);
    while (i >= this.count) {
      this.merge();
      i = Math.floor((atMs - this.startMs) / this.widthMs);
    }
    if (i < 0) i = 0;
    while (this.series.length <= ch) this.series.push({ min: new Float64Array(this.count).fill(NaN), max: new Float64Array(this.count).fill(NaN) });
    const s = this.series[ch];
    if (!(s.min[i] <= cc)) s.min[i] = cc;
    if (!(s.max[i] >= cc)) s.max[i] = cc;
  }

  /** Wall time of the middle of bucket i. */
  midMs(i: number): number {
    return (this.startMs ?? 0) + (i + 0.5) * this.widthMs;
  }

  private merge(): void {
    for (const s of this.series) {
      for (let i = 0; i < this.count / 2; i++) {
        s.min[i] = nanMin(s.min[2 * i], s.min[2 * i + 1]);
        s.max[i] = nanMax(s.max[2 * i], s.max[2 * i + 1]);
      }
      s.min.fill(NaN, Math.floor(this.count / 2));
      s.max.fill(NaN, Math.floor(this.count / 2));
    }
    this.widthMs *= 2;
  }
}

const nanMin = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.min(a, b));
const nanMax = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b));
