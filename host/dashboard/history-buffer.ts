// Columnar reading history for the charts (uPlot layout), ordered by time, capped, with late rows inserted in place.
import type { ChannelValue, History, ReadingRow } from "../ws/ws-messages";

/** Default cap: 1 h at the protocol's highest rate (20 Hz), enough for a whole ablation and far above the snapshot's 10 min. */
export const HISTORY_CAP_ROWS = 72_000;

/** Centi-degC to degC for plotting; fault tokens become null (a gap in the line). */
export function toDegC(v: ChannelValue): number | null {
  return typeof v === "number" ? v / 100 : null;
}

/** The instant of one row, for tests and the crossing check. */
export interface RowTime {
  seq: number;
  tMs: number;
  atMs: number;
  /** Browser wall-clock ms when the row reached this page. */
  recvMs: number;
}

/**
 * Readings in columns: `x` (atMs / 1000, uPlot's seconds), `y[ch]` (degC or null), plus seq, tMs, atMs
 * and the local receive time of every row. Rows are kept sorted by atMs; a row older than the newest
 * (a RESEND filling a gap) is inserted by binary search; exact duplicates (same seq and atMs) are dropped.
 * When the length exceeds the cap by 10 % the oldest rows are cut in one splice (amortised O(1)).
 */
export class HistoryBuffer {
  x: number[] = [];
  /** Device time in seconds (tMs / 1000), for the trend. */
  tS: number[] = [];
  seq: number[] = [];
  tMs: number[] = [];
  atMs: number[] = [];
  recvMs: number[] = [];
  y: (number | null)[][] = [];
  /** Bumped on every change, so views redraw only when needed. */
  version = 0;
  duplicates = 0;

  constructor(readonly capRows = HISTORY_CAP_ROWS) {
    if (!(capRows >= 1)) throw new Error("HistoryBuffer capRows must be >= 1, got " + capRows);
  }

  get length(): number {
    return this.x.length;
  }

  /** Drops everything and sets the channel count. */
  reset(channels: number): void {
    this.x = [];
    this.tS = [];
    this.seq = [];
    this.tMs = [];
    this.atMs = [];
    this.recvMs = [];
    this.y = Array.from({ length: channels }, () => []);
    this.version++;
  }

  /** Replaces the content with a snapshot's history (columns, oldest first). */
  load(h: History, channels: number, recvMs: number): void {
    this.reset(channels);
    const n = Math.min(h.atMs.length, h.seq.length, h.tMs.length);
    for (let i = 0; i < n; i++) {
      const values: ChannelValue[] = [];
      for (let c = 0; c < channels; c++) values.push(h.valuesCc[c]?.[i] ?? "ND");
      this.push({ seq: h.seq[i]!, tMs: h.tMs[i]!, atMs: h.atMs[i]!, valuesCc: values }, recvMs);
    }
  }

  /** Adds one row in time order. Returns false for a duplicate. */
  push(row: ReadingRow, recvMs: number): boolean {
    const n = this.x.length;
    let i = n;
    if (n > 0 && row.atMs < this.atMs[n - 1]!) i = this.lowerBound(row.atMs);
    // Duplicate: same seq and time at the insertion point or just before it.
    for (let j = Math.max(0, i - 1); j < Math.min(n, i + 1); j++) {
      if (this.seq[j] === row.seq && this.atMs[j] === row.atMs) {
        this.duplicates++;
        return false;
      }
    }
    const put = <T>(a: T[], v: T) => (i === n ? a.push(v) : a.splice(i, 0, v));
    put(this.x, row.atMs / 1000);
    put(this.tS, row.tMs / 1000);
    put(this.seq, row.seq);
    put(this.tMs, row.tMs);
    put(this.atMs, row.atMs);
    put(this.recvMs, recvMs);
    for (let c = 0; c < this.y.length; c++) put(this.y[c]!, toDegC(row.valuesCc[c] ?? "ND"));
    if (this.x.length > this.capRows * 1.1) this.trim();
    this.version++;
    return true;
  }

  /** Cuts the oldest rows down to the cap. */
  trim(): void {
    const cut = this.x.length - this.capRows;
    if (cut <= 0) return;
    for (const a of [this.x, this.tS, this.seq, this.tMs, this.atMs, this.recvMs, ...this.y]) (a as unknown[]).splice(0, cut);
    this.version++;
  }

  /** First row whose channel `ch` is at or above `cc` centi-degC, or null. */
  firstAtOrAbove(ch: number, cc: number): RowTime | null {
    const ys = this.y[ch];
    if (!ys) return null;
    for (let i = 0; i < ys.length; i++) {
      const v = ys[i];
      if (v != null && Math.round(v * 100) >= cc) return this.rowTime(i);
    }
    return null;
  }

  rowTime(i: number): RowTime {
    return { seq: this.seq[i]!, tMs: this.tMs[i]!, atMs: this.atMs[i]!, recvMs: this.recvMs[i]! };
  }

  private lowerBound(atMs: number): number {
    let lo = 0;
    let hi = this.atMs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.atMs[mid]! <= atMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
